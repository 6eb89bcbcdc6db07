import { describe, expect, it, vi } from 'vitest';
import type { BenchmarkProgress, BenchmarkRequest, BenchmarkResult, BenchmarkRow } from '../../src/core/contract/benchmark-types';
import type { BenchmarkApi, ProgressListener, LoadResult } from '../../src/core/contract/classifier-api';
import type { WebGpuSupport } from '../../src/core/contract/types';
import { GlassboxError } from '../../src/core/contract/errors';
import type { BackendChoice, EngineChoice } from '../../src/core/contract/types';
import { BenchmarkController, type EngineSelection } from '../../src/ui/benchmark-controller';
import type { ModelState } from '../../src/ui/classifier-controller';
import { deferred } from './fake-engine';

const NO_GPU: WebGpuSupport = { available: false, reason: 'no adapter (test)' };
const SWIFTSHADER: WebGpuSupport = { available: true, adapter: 'google swiftshader (software fallback adapter)' };
const HARDWARE: WebGpuSupport = { available: true, adapter: 'nvidia ampere' };

function ready(webgpu: WebGpuSupport, engine: LoadResult['engine'] = 'onnx', backend: LoadResult['backend'] = 'wasm'): ModelState {
  const loaded: LoadResult = {
    model: 'news-topic',
    url: 'http://site.test/models/news-topic/',
    engine,
    backend,
    device: 'test',
    webgpu,
    labels: ['a', 'b'],
    msToReady: 10,
    phaseMs: {},
    reused: false,
  };
  return { status: 'ready', loaded };
}

function row(engine: BenchmarkRow['engine'], backend: BenchmarkRow['backend'], median: number): BenchmarkRow {
  return {
    engine,
    backend,
    status: 'done',
    info: { engine, backend, device: 'test' },
    loadMs: 100,
    firstMs: median * 2,
    latencyMs: { median, mean: median, min: median, runs: 3 },
    batch: { size: 32, medianMs: median * 20, textsPerSecond: 1600 / median, runs: 1 },
  };
}

function result(rows: BenchmarkRow[], webgpu: WebGpuSupport = NO_GPU): BenchmarkResult {
  return { model: 'news-topic', url: 'http://site.test/models/news-topic/', tokens: 128, batchSize: 32, webgpu, crossOriginIsolated: true, rows, ms: 1 };
}

/** A benchmark client whose answers the test settles by hand. */
class ScriptedBenchmarkClient implements BenchmarkApi {
  readonly runs: { request: BenchmarkRequest; onProgress: ProgressListener<BenchmarkProgress> | undefined; answer: ReturnType<typeof deferred<BenchmarkResult>> }[] = [];
  cancelled = 0;

  benchmark(request: BenchmarkRequest, onProgress?: ProgressListener<BenchmarkProgress>): Promise<BenchmarkResult> {
    const answer = deferred<BenchmarkResult>();
    this.runs.push({ request, onProgress, answer });
    return answer.promise;
  }
  async cancelBenchmark(): Promise<void> {
    this.cancelled++;
  }
}

class Selection implements EngineSelection {
  engine: EngineChoice = 'auto';
  backend: BackendChoice = 'auto';
  readonly changes: string[] = [];
  setEngine(engine: EngineChoice): void {
    this.engine = engine;
    this.changes.push(`engine ${engine}`);
  }
  setBackend(backend: BackendChoice): void {
    this.backend = backend;
    this.changes.push(`backend ${backend}`);
  }
}

const settle = () => new Promise((r) => setTimeout(r, 0));

function setup(model: ModelState = ready(NO_GPU)) {
  const host = { addController: vi.fn(), removeController: vi.fn(), requestUpdate: vi.fn(), updateComplete: Promise.resolve(true) };
  const client = new ScriptedBenchmarkClient();
  const selection = new Selection();
  let state = model;
  const controller = new BenchmarkController(host, client, () => state, selection);
  return { host, client, selection, controller, setModel: (next: ModelState) => (state = next) };
}

const ticked = (controller: BenchmarkController) => controller.options.filter((o) => o.selected).map((o) => `${o.engine}/${o.backend}`);

describe('BenchmarkController', () => {
  it('ticks the combinations that can run here: WebGPU only once a model load found an adapter', () => {
    const { controller, setModel } = setup({ status: 'idle' });
    expect(ticked(controller)).toEqual(['onnx/wasm', 'tfjs/wasm', 'tfjs/cpu']);
    expect(controller.unavailableReason).toBe('Load a model first.');
    setModel(ready(NO_GPU));
    expect(ticked(controller)).toEqual(['onnx/wasm', 'tfjs/wasm', 'tfjs/cpu']);
    expect(controller.options.filter((o) => o.note).map((o) => `${o.engine}/${o.backend}: ${o.note}`)).toEqual([
      'onnx/webgpu: no WebGPU here',
      'tfjs/webgpu: no WebGPU here',
    ]);
    setModel(ready(HARDWARE));
    expect(ticked(controller)).toEqual(['onnx/webgpu', 'onnx/wasm', 'tfjs/webgpu', 'tfjs/wasm', 'tfjs/cpu']);
    expect(controller.unavailableReason).toBe('');
  });

  it('keeps the person’s choice, and cannot run with nothing ticked', () => {
    const { controller } = setup();
    controller.toggle('tfjs', 'cpu', false);
    controller.toggle('onnx', 'webgpu', true);
    expect(ticked(controller)).toEqual(['onnx/webgpu', 'onnx/wasm', 'tfjs/wasm']);
    for (const option of controller.options) controller.toggle(option.engine, option.backend, false);
    expect(controller.unavailableReason).toBe('Choose at least one engine and backend.');
  });

  it('asks for the ticked combinations with the chosen repetitions, fewer for slow backends', async () => {
    const { client, controller } = setup(ready(SWIFTSHADER));
    controller.setRepetitions(5);
    void controller.run();
    expect(client.runs[0].request).toEqual({
      combinations: [
        { engine: 'onnx', backend: 'webgpu', repetitions: 3, batchRepetitions: 1 },
        { engine: 'onnx', backend: 'wasm', repetitions: 5 },
        { engine: 'tfjs', backend: 'webgpu', repetitions: 3, batchRepetitions: 1 },
        { engine: 'tfjs', backend: 'wasm', repetitions: 5 },
        { engine: 'tfjs', backend: 'cpu', repetitions: 3, batchRepetitions: 1 },
      ],
    });
    expect(controller.softwareAdapter).toBe(SWIFTSHADER.adapter);
    controller.setRepetitions(2);
    expect(controller.repetitions).toBe(2);
    controller.setRepetitions(5000);
    expect(controller.repetitions).toBe(1000);
  });

  it('shows progress, then the results with the fastest named', async () => {
    const { client, controller, host } = setup();
    controller.toggle('tfjs', 'cpu', false);
    const running = controller.run();
    expect(controller.status).toBe('running');
    // A second Run while one is running does nothing.
    void controller.run();
    expect(client.runs).toHaveLength(1);
    const progress: BenchmarkProgress = {
      phase: 'benchmark',
      engine: 'onnx',
      backend: 'wasm',
      index: 0,
      count: 2,
      stage: 'latency',
      loaded: 3,
      total: 30,
      progress: 0.1,
      rows: [],
    };
    client.runs[0].onProgress?.(progress);
    expect(controller.progress).toEqual(progress);
    const rows = [row('onnx', 'wasm', 40), row('tfjs', 'wasm', 92)];
    client.runs[0].answer.resolve(result(rows));
    await running;
    expect(controller.status).toBe('done');
    expect(controller.progress).toBeUndefined();
    expect(controller.verdicts.map((v) => v.text)).toEqual(['Fastest here: ONNX Runtime on WebAssembly, 2.3x TF.js on WebAssembly.']);
    expect(host.requestUpdate).toHaveBeenCalled();
  });

  it('names the throughput winner too when it is another combination', async () => {
    const { client, controller } = setup();
    void controller.run();
    const quick: BenchmarkRow = { ...row('tfjs', 'wasm', 65), batch: { size: 32, medianMs: 3333, textsPerSecond: 9.6, runs: 2 } };
    const wide: BenchmarkRow = { ...row('onnx', 'wasm', 238), batch: { size: 32, medianMs: 1730, textsPerSecond: 18.5, runs: 2 } };
    client.runs[0].answer.resolve(result([wide, quick]));
    await settle();
    expect(controller.verdicts.map((v) => [v.by, v.winner.engine])).toEqual([
      ['latency', 'tfjs'],
      ['throughput', 'onnx'],
    ]);
  });

  it('cancels through cancelBenchmark and says how far the run got', async () => {
    const { client, controller } = setup();
    const running = controller.run();
    controller.cancel();
    expect(client.cancelled).toBe(1);
    client.runs[0].answer.reject(new GlassboxError('CANCELLED', 'The benchmark was cancelled while measuring TF.js on WebAssembly (1 of 3 done).'));
    await running;
    expect(controller.status).toBe('failed');
    expect(controller.error).toBe('The benchmark was cancelled while measuring TF.js on WebAssembly (1 of 3 done).');
    // Nothing to cancel now.
    controller.cancel();
    expect(client.cancelled).toBe(1);
  });

  it('drops the answer of a run whose page went away', async () => {
    const { client, controller } = setup();
    const running = controller.run();
    controller.hostDisconnected();
    client.runs[0].answer.resolve(result([row('onnx', 'wasm', 40)]));
    await running;
    expect(controller.result).toBeUndefined();
    expect(controller.running).toBe(false);
  });

  it('switches the page with one change of its choice where one is enough', () => {
    const { controller, selection } = setup();
    controller.use('tfjs', 'wasm');
    expect(selection.changes).toEqual(['engine tfjs', 'backend wasm']);
    controller.use('tfjs', 'webgpu');
    expect(selection.changes.slice(2)).toEqual(['backend webgpu']);
    controller.use('onnx', 'webgpu');
    expect(selection.changes.slice(3)).toEqual(['engine onnx']);
    // The page has no choice of the cpu backend.
    controller.use('tfjs', 'cpu');
    expect(selection.changes).toHaveLength(4);
  });

  it('tells which engine and backend the page runs on', () => {
    const { controller, setModel } = setup(ready(NO_GPU, 'tfjs', 'wasm'));
    expect(controller.current).toEqual({ engine: 'tfjs', backend: 'wasm' });
    setModel({ status: 'loading', source: { id: 'x', url: 'http://site.test/x/' } });
    expect(controller.current).toBeUndefined();
    expect(controller.unavailableReason).toBe('The model is still loading.');
  });
});
