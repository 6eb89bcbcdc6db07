import type { WebGpuSupport } from '../../src/core/contract/types';
import { GlassboxError } from '../../src/core/contract/errors';
import type { BackendChoice, EngineInfo, LoadProgress, ModelSource, TruncationInfo } from '../../src/core/contract/types';
import type { Engine } from '../../src/engines/engine';
import type { ClassifierServiceDeps } from '../../workers/classifier-service';
import type { ModelFolder } from '../../workers/model-folder';

/** A promise you settle by hand, to hold an engine call open while a test acts. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export interface FakeEngineScript {
  labels?: string[];
  /** Scores per text: by default the label whose name occurs in the text wins. */
  score?: (text: string, labels: string[]) => number[];
  /** Held open until released, to test overlapping requests. */
  loadGate?: Promise<void>;
  classifyGate?: (text: string) => Promise<void> | undefined;
  loadError?: GlassboxError;
  progress?: LoadProgress[];
  /** The backend the engine says it runs on (default wasm). */
  backend?: EngineInfo['backend'];
  /** Runs for each text on the calling thread, as a WebAssembly model call does. */
  busyMs?: number;
}

/** An Engine that records what the worker asks of it; no ML runtime involved. */
export class FakeEngine implements Engine {
  readonly calls: string[] = [];
  /** Texts per classify call, in order. */
  readonly batchSizes: number[] = [];
  loadedFrom: ModelSource | undefined;
  backendChoice: BackendChoice | undefined;
  disposed = false;
  signal: AbortSignal | undefined;

  constructor(private readonly script: FakeEngineScript = {}) {}

  async load(model: ModelSource, backend: BackendChoice, onProgress?: (p: LoadProgress) => void, signal?: AbortSignal): Promise<void> {
    this.calls.push(`load ${model.id}`);
    this.loadedFrom = model;
    this.backendChoice = backend;
    this.signal = signal;
    for (const p of this.script.progress ?? []) onProgress?.(p);
    if (this.script.loadGate) {
      await Promise.race([
        this.script.loadGate,
        new Promise<never>((_, reject) =>
          signal?.addEventListener('abort', () => reject(new GlassboxError('CANCELLED', 'Loading the model was cancelled.'))),
        ),
      ]);
    }
    if (this.script.loadError) throw this.script.loadError;
  }

  async classify(texts: string[]): Promise<Float32Array[]> {
    this.batchSizes.push(texts.length);
    const out: Float32Array[] = [];
    for (const text of texts) {
      this.calls.push(`classify ${text}`);
      await this.script.classifyGate?.(text);
      if (this.script.busyMs) blockFor(this.script.busyMs);
      const labels = this.labels();
      const raw = this.script.score?.(text, labels) ?? labels.map((label) => (text.includes(label) ? 5 : 1));
      const sum = raw.reduce((a, b) => a + b, 0);
      out.push(Float32Array.from(raw, (v) => v / sum));
    }
    return out;
  }

  async describeInput(text: string): Promise<TruncationInfo> {
    const tokens = text.split(/\s+/).length + 2;
    return { strategy: 'head+tail', tokens, maxTokens: 8, truncated: tokens > 8, keptHead: Math.min(tokens - 2, 1), keptTail: tokens > 8 ? 5 : 0 };
  }

  labels(): string[] {
    return this.script.labels ?? ['sport', 'tech', 'politics'];
  }

  info(): EngineInfo {
    return { engine: 'onnx', backend: this.script.backend ?? 'wasm', device: 'fake, 1 thread' };
  }

  async dispose(): Promise<void> {
    this.calls.push('dispose');
    this.disposed = true;
  }
}

function blockFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

export interface FakeWorld {
  deps: ClassifierServiceDeps;
  engines: FakeEngine[];
  folders: ModelFolder;
}

/** Service dependencies where every engine is a FakeEngine following `script(n)` for the n-th engine created. */
export function fakeDeps(script: (index: number) => FakeEngineScript = () => ({}), folder: Partial<ModelFolder> = {}): FakeWorld {
  const engines: FakeEngine[] = [];
  let clock = 0;
  const folders: ModelFolder = { labels: ['sport', 'tech', 'politics'], ...folder };
  const webgpu: WebGpuSupport = { available: false, reason: 'no adapter (test)' };
  return {
    engines,
    folders,
    deps: {
      createEngine: async () => {
        const engine = new FakeEngine(script(engines.length));
        engines.push(engine);
        return engine;
      },
      resolveEngine: (choice) => (choice === 'auto' ? 'onnx' : choice),
      inspectFolder: async () => folders,
      detectWebGpu: async () => webgpu,
      now: () => (clock += 5),
    },
  };
}
