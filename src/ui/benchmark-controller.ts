import type { ReactiveControllerHost } from 'lit';
import { BENCHMARK_COMBINATIONS, BENCHMARK_DEFAULTS, BENCHMARK_LIMITS, type BenchmarkCombination, type BenchmarkProgress, type BenchmarkResult } from '../core/contract/benchmark-types';
import { fastest, isSoftwareAdapter, type Verdict } from '../core/benchmark/benchmark-verdict';
import type { BenchmarkApi } from '../core/contract/classifier-api';
import type { WebGpuSupport } from '../core/contract/types';
import type { BackendChoice, BackendName, EngineChoice, EngineName } from '../core/contract/types';
import type { ModelState } from './classifier-controller';
import { WorkerJobController } from './worker-job-controller';

/** The page's engine and backend choice (ClassifierController's), which "use this" changes. */
export interface EngineSelection {
  readonly engine: EngineChoice;
  readonly backend: BackendChoice;
  setEngine(engine: EngineChoice): void;
  setBackend(backend: BackendChoice): void;
}

/** One checkbox of the panel. */
export interface BenchmarkOption {
  engine: EngineName;
  backend: BackendName;
  selected: boolean;
  /** Why it will probably not run here, when that is known before running. */
  note?: string;
}

/**
 * Timed runs for combinations that take seconds per text (the plain JavaScript backend, WebGPU on
 * a software adapter): a few runs show the difference, more would keep the person waiting minutes.
 */
const SLOW_REPETITIONS = 3;
const SLOW_BATCH_REPETITIONS = 1;

const key = (engine: EngineName, backend: BackendName) => `${engine}/${backend}`;

/**
 * The benchmark panel's state and its calls to the worker: which engines and backends to measure,
 * running and cancelling the measurement, the results with the fastest one named, and switching
 * the page to a measured combination. Only the newest run counts.
 */
export class BenchmarkController extends WorkerJobController<BenchmarkProgress, BenchmarkResult> {
  /** Timed single-text runs per combination. */
  repetitions: number = BENCHMARK_DEFAULTS.repetitions;
  /** The person's choice of combinations; until they make one, those that can run here are chosen. */
  private chosen: Set<string> | undefined;

  constructor(
    host: ReactiveControllerHost,
    private readonly client: BenchmarkApi,
    model: () => ModelState,
    private readonly selection: EngineSelection,
  ) {
    super(host, model);
  }

  get status(): 'idle' | 'running' | 'done' | 'failed' {
    if (this.running) return 'running';
    if (this.error) return 'failed';
    return this.result ? 'done' : 'idle';
  }

  /** WebGPU as the worker found it, once a model has loaded. */
  get webgpu(): WebGpuSupport | undefined {
    const model = this.model();
    return this.result?.webgpu ?? (model.status === 'ready' ? model.loaded.webgpu : undefined);
  }

  /** The adapter's description when WebGPU runs on a software adapter such as SwiftShader. */
  get softwareAdapter(): string | undefined {
    const webgpu = this.webgpu;
    return webgpu?.available && isSoftwareAdapter(webgpu.adapter) ? webgpu.adapter : undefined;
  }

  get options(): BenchmarkOption[] {
    const webgpu = this.webgpu;
    return BENCHMARK_COMBINATIONS.map(({ engine, backend }) => {
      const noGpu = backend === 'webgpu' && webgpu !== undefined && !webgpu.available;
      // Until a model has loaded, nobody knows whether WebGPU works: it is left out until then.
      const canRun = backend !== 'webgpu' || webgpu?.available === true;
      const selected = this.chosen ? this.chosen.has(key(engine, backend)) : canRun;
      return { engine, backend, selected, ...(noGpu ? { note: 'no WebGPU here' } : {}) };
    });
  }

  /** Why a run cannot start now; empty when it can. */
  get unavailableReason(): string {
    return this.modelUnavailableReason || (this.options.some((option) => option.selected) ? '' : 'Choose at least one engine and backend.');
  }

  /** The fastest per text, and the one with most texts per second when that is another one. */
  get verdicts(): Verdict[] {
    const rows = this.result?.rows ?? [];
    const latency = fastest(rows, 'latency');
    const throughput = fastest(rows, 'throughput');
    if (!latency) return [];
    return throughput && throughput.winner !== latency.winner ? [latency, throughput] : [latency];
  }

  toggle(engine: EngineName, backend: BackendName, selected: boolean): void {
    const chosen = new Set(this.options.filter((o) => o.selected).map((o) => key(o.engine, o.backend)));
    if (selected) chosen.add(key(engine, backend));
    else chosen.delete(key(engine, backend));
    this.chosen = chosen;
    this.host.requestUpdate();
  }

  setRepetitions(repetitions: number): void {
    const { min, max } = BENCHMARK_LIMITS.repetitions;
    if (!Number.isInteger(repetitions)) return;
    this.repetitions = Math.min(max, Math.max(min, repetitions));
    this.host.requestUpdate();
  }

  /** Measures the chosen combinations; progress and the result (or what went wrong) land here. */
  async run(): Promise<void> {
    if (this.running || this.unavailableReason) return;
    await this.runJob((onProgress) => this.client.benchmark({ combinations: this.request() }, onProgress));
  }

  /** Stops the running measurement; run() then says how far it got. */
  cancel(): void {
    if (this.running) void this.client.cancelBenchmark();
  }

  /** Switches the page to a measured engine and backend, through the page's own choice of them. */
  use(engine: EngineName, backend: BackendName): void {
    // The page offers no choice of TF.js's cpu backend (it is what WebAssembly falls back to).
    if (backend === 'cpu') return;
    if (this.selection.engine === engine) this.selection.setBackend(backend);
    else if (this.selection.backend === backend) this.selection.setEngine(engine);
    else {
      // Two changes: the load the first one starts is superseded by the second's at once.
      this.selection.setEngine(engine);
      this.selection.setBackend(backend);
    }
  }

  /** The engine and backend the page's model runs on, when one is loaded. */
  get current(): { engine: EngineName; backend: BackendName } | undefined {
    const model = this.model();
    return model.status === 'ready' ? { engine: model.loaded.engine, backend: model.loaded.backend } : undefined;
  }

  private request(): BenchmarkCombination[] {
    const software = this.softwareAdapter !== undefined;
    return this.options
      .filter((option) => option.selected)
      .map(({ engine, backend }) => {
        const slow = backend === 'cpu' || (backend === 'webgpu' && software);
        return slow
          ? { engine, backend, repetitions: Math.min(this.repetitions, SLOW_REPETITIONS), batchRepetitions: SLOW_BATCH_REPETITIONS }
          : { engine, backend, repetitions: this.repetitions };
      });
  }
}
