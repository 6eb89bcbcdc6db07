import { describe, expect, it } from 'vitest';
import type { BenchmarkCombination, BenchmarkProgress } from '../../src/core/contract/benchmark-types';
import type { EngineInfo } from '../../src/core/contract/types';
import type { BenchmarkEngineFactory } from '../../workers/benchmark-runner';
import { ClassifierService } from '../../workers/classifier-service';
import { deferred, FakeEngine, fakeDeps, type FakeEngineScript } from './fake-engine';
import { failureOf } from './helpers/error-code';

const NEWS = { id: 'news-topic', url: 'http://site.test/models/news-topic/' };
const SENTIMENT = { id: 'sentiment', url: 'http://site.test/models/sentiment/' };
const AUTO = { engine: 'auto', backend: 'auto' } as const;
const MANIFEST = {
  id: 'news-topic',
  title: 'News topic',
  task: 'text-classification',
  labels: ['sport', 'tech', 'politics'],
  maxTokens: 64,
  examples: [{ text: 'The match ended in a draw after extra time', label: 'sport' }],
};
const FAST = { repetitions: 2, batchRepetitions: 1, batchSize: 4 };

class BenchEngine extends FakeEngine {
  constructor(
    script: FakeEngineScript,
    private readonly ranOn: EngineInfo,
  ) {
    super(script);
  }
  override info(): EngineInfo {
    return { ...this.ranOn };
  }
}


const ticks = (n = 5) => new Promise((r) => setTimeout(r, n));

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await ticks(5);
  expect(condition()).toBe(true);
}

/** A service with news-topic loaded; benchmark engines are BenchEngines following `script`. */
async function loadedService(script: (combination: BenchmarkCombination) => FakeEngineScript = () => ({}), pageScript: FakeEngineScript = {}) {
  const world = fakeDeps(() => pageScript, { manifest: MANIFEST });
  const benchEngines: BenchEngine[] = [];
  const createBenchmarkEngine: BenchmarkEngineFactory = async (combination) => {
    const engine = new BenchEngine(script(combination), { engine: combination.engine, backend: combination.backend, device: 'test' });
    benchEngines.push(engine);
    return { engine, loadAs: combination.backend === 'cpu' ? 'wasm' : combination.backend };
  };
  const service = new ClassifierService({ ...world.deps, createBenchmarkEngine });
  await service.load(NEWS, AUTO);
  return { world, service, benchEngines, pageEngine: () => world.engines[0] };
}

describe('ClassifierService benchmarks', () => {
  it('measure each combination in a fresh engine on the loaded folder, leaving the loaded model as it was', async () => {
    const { service, benchEngines, pageEngine, world } = await loadedService();
    const progress: BenchmarkProgress[] = [];
    const result = await service.benchmark(
      { combinations: [{ engine: 'onnx', backend: 'wasm' }, { engine: 'tfjs', backend: 'wasm' }, { engine: 'tfjs', backend: 'webgpu' }], ...FAST, tokens: 16 },
      (p) => progress.push(p),
    );
    expect(result.model).toBe('news-topic');
    expect(result.rows.map((r) => `${r.engine}/${r.backend} ${r.status}`)).toEqual(['onnx/wasm done', 'tfjs/wasm done', 'tfjs/webgpu unavailable']);
    expect(result.rows[2].reason).toBe('no adapter (test)');
    // The benchmark engines load the same folder with the window from its model card, and are disposed.
    expect(benchEngines.map((e) => [e.loadedFrom, e.backendChoice, e.disposed])).toEqual([
      [{ ...NEWS, maxTokens: 64 }, 'wasm', true],
      [{ ...NEWS, maxTokens: 64 }, 'wasm', true],
    ]);
    // The measured text is built from the model card's example.
    expect(benchEngines[0].calls.find((c) => c.startsWith('classify'))).toMatch(/^classify The match ended in a draw after extra time The match/);
    expect(progress.at(-1)).toMatchObject({ progress: 1, stage: 'done' });

    // The page's model: loaded once, never disposed, never used by the benchmark, still answering.
    expect(world.engines).toHaveLength(1);
    expect(pageEngine().calls).toEqual(['load news-topic']);
    expect((await service.classify('tech news')).label).toBe('tech');
    expect(pageEngine().calls).toEqual(['load news-topic', 'classify tech news']);
    expect((await service.load(NEWS, AUTO)).reused).toBe(true);
  });

  it('let a classification asked for during a benchmark run between two of its steps', async () => {
    const held = deferred();
    let calls = 0;
    let benchCallsBeforeClassify: number | undefined;
    const { service, pageEngine } = await loadedService(() => ({ classifyGate: () => (++calls === 2 ? held.promise : undefined) }), {
      classifyGate: () => {
        benchCallsBeforeClassify = calls;
        return undefined;
      },
    });
    const benchmark = service.benchmark({ combinations: [{ engine: 'onnx', backend: 'wasm' }], ...FAST });
    await until(() => calls === 2);
    const classified = service.classify('sport results');
    await ticks(20);
    // The timed run holds the model queue; the classification waits for it, not for the whole benchmark.
    expect(pageEngine().calls).toEqual(['load news-topic']);
    held.resolve();
    expect((await classified).label).toBe('sport');
    // The first text and the first timed run were done when the classification ran; the other
    // timed run and the batch of 4 texts came after it.
    expect(benchCallsBeforeClassify).toBe(2);
    expect((await benchmark).rows[0].status).toBe('done');
    expect(calls).toBe(1 + 2 + 4);
  });

  it('stop with CANCELLED on cancelBenchmark, while cancel() leaves a benchmark running', async () => {
    const held = deferred();
    let calls = 0;
    const { service, benchEngines } = await loadedService(() => ({ classifyGate: () => (++calls === 2 ? held.promise : undefined) }));
    const benchmark = service.benchmark({ combinations: [{ engine: 'onnx', backend: 'wasm' }, { engine: 'tfjs', backend: 'wasm' }], ...FAST });
    let settled = false;
    void benchmark.then(
      () => (settled = true),
      () => (settled = true),
    );
    await until(() => calls === 2);
    await service.cancel();
    await ticks(20);
    expect(settled).toBe(false);
    await service.cancelBenchmark();
    expect((await failureOf(benchmark)).code).toBe('CANCELLED');
    held.resolve();
    await until(() => benchEngines[0].disposed);
    expect(benchEngines).toHaveLength(1);
  });

  it('let a newer benchmark stop an older one', async () => {
    const held = deferred();
    let calls = 0;
    const { service } = await loadedService(() => ({ classifyGate: () => (++calls === 2 ? held.promise : undefined) }));
    const older = service.benchmark({ combinations: [{ engine: 'onnx', backend: 'wasm' }], ...FAST });
    await until(() => calls === 2);
    const newer = service.benchmark({ combinations: [{ engine: 'tfjs', backend: 'wasm' }], ...FAST });
    expect((await failureOf(older)).code).toBe('CANCELLED');
    held.resolve();
    expect((await newer).rows.map((r) => r.status)).toEqual(['done']);
  });

  it('fail with SUPERSEDED when another model folder is loaded meanwhile', async () => {
    const held = deferred();
    let calls = 0;
    const { service } = await loadedService(() => ({ classifyGate: () => (++calls === 2 ? held.promise : undefined) }));
    const benchmark = service.benchmark({ combinations: [{ engine: 'onnx', backend: 'wasm' }], ...FAST });
    await until(() => calls === 2);
    const loading = service.load(SENTIMENT, AUTO);
    held.resolve();
    await loading;
    const stopped = await failureOf(benchmark);
    expect(stopped.code).toBe('SUPERSEDED');
    expect(stopped.message).toMatch(/benchmark of news-topic stopped because another model was loaded/);
  });

  it('refuse bad requests and need a loaded model', async () => {
    const { service } = await loadedService();
    expect(await failureOf(service.benchmark({ combinations: [] }))).toMatchObject({ code: 'BAD_INPUT' });
    expect(await failureOf(service.benchmark({ combinations: [{ engine: 'onnx', backend: 'metal' as 'wasm' }] }))).toMatchObject({
      code: 'BAD_INPUT',
      message: 'Unknown backend "metal": use webgpu, wasm, cpu.',
    });
    expect(await failureOf(service.benchmark({ combinations: [{ engine: 'onnx', backend: 'wasm' }], repetitions: 0 }))).toMatchObject({
      code: 'BAD_INPUT',
      message: 'repetitions must be a whole number from 1 to 1000, got 0.',
    });
    const empty = new ClassifierService(fakeDeps().deps);
    expect(await failureOf(empty.benchmark({ combinations: [{ engine: 'onnx', backend: 'wasm' }] }))).toMatchObject({ code: 'MODEL_NOT_LOADED' });
  });

  it('by default make engines with createEngine, and report TF.js-only cpu as unavailable for ONNX Runtime', async () => {
    const world = fakeDeps(() => ({}), { manifest: MANIFEST });
    const service = new ClassifierService(world.deps);
    await service.load(NEWS, AUTO);
    const result = await service.benchmark({ combinations: [{ engine: 'onnx', backend: 'wasm' }, { engine: 'onnx', backend: 'cpu' }], ...FAST });
    expect(result.rows.map((r) => r.status)).toEqual(['done', 'unavailable']);
    expect(result.rows[1].reason).toMatch(/ONNX Runtime Web has no plain JavaScript backend/);
    expect(world.engines.map((e) => [e.backendChoice, e.disposed])).toEqual([
      ['auto', false],
      ['wasm', true],
    ]);
  });
});
