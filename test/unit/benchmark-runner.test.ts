import { describe, expect, it } from 'vitest';
import { checkBenchmarkRequest } from '../../src/core/benchmark/benchmark-request';
import type { BenchmarkCombination, BenchmarkProgress, BenchmarkRequest } from '../../src/core/contract/benchmark-types';
import type { WebGpuSupport } from '../../src/core/contract/types';
import { GlassboxError } from '../../src/core/contract/errors';
import type { EngineInfo } from '../../src/core/contract/types';
import { SerialQueue } from '../../src/core/jobs/sequencer';
import { runBenchmark, summarize, textOfTokens, type BenchmarkRunnerDeps } from '../../workers/benchmark-runner';
import { deferred, FakeEngine, type FakeEngineScript } from './fake-engine';
import { failureOf } from './helpers/error-code';

const SOURCE = { id: 'news-topic', url: 'http://site.test/models/news-topic/', maxTokens: 64 };
const NO_GPU: WebGpuSupport = { available: false, reason: 'This browser has no WebGPU (test).' };

/** A fake engine that says what it runs on, and whose load takes time on the test's clock. */
class MeasuredEngine extends FakeEngine {
  constructor(
    script: FakeEngineScript,
    private readonly ranOn: EngineInfo,
    private readonly onLoad: () => void,
  ) {
    super(script);
  }
  override async load(...args: Parameters<FakeEngine['load']>): Promise<void> {
    this.onLoad();
    await super.load(...args);
  }
  override info(): EngineInfo {
    return { ...this.ranOn };
  }
}

interface World {
  deps: BenchmarkRunnerDeps;
  engines: MeasuredEngine[];
  /** Engine creations and disposals in the order they happened. */
  log: string[];
  progress: BenchmarkProgress[];
  advance(ms: number): void;
}

/**
 * Runner dependencies on a hand-driven clock: each classify takes `msPerCall(engine, texts)` of it,
 * each load `loadMs`. `script` shapes the n-th engine created.
 */
function world({
  webgpu = NO_GPU,
  msPerCall = () => 10,
  script = () => ({}),
  ranOn = (c: BenchmarkCombination): EngineInfo => ({ engine: c.engine, backend: c.backend, device: `${c.backend} (test)` }),
  loadMs = 50,
  unavailable = [] as string[],
}: {
  webgpu?: WebGpuSupport;
  msPerCall?: (combination: BenchmarkCombination, call: number) => number;
  script?: (index: number) => FakeEngineScript;
  ranOn?: (c: BenchmarkCombination) => EngineInfo;
  loadMs?: number;
  unavailable?: string[];
} = {}): World {
  let clock = 0;
  const engines: MeasuredEngine[] = [];
  const log: string[] = [];
  const progress: BenchmarkProgress[] = [];
  const queue = new SerialQueue();
  return {
    engines,
    log,
    progress,
    advance: (ms) => (clock += ms),
    deps: {
      source: SOURCE,
      sampleText: 'one two three four five six seven eight nine ten eleven twelve',
      webgpu,
      createEngine: async (combination) => {
        const name = `${combination.engine}/${combination.backend}`;
        if (unavailable.includes(name)) throw new GlassboxError('BACKEND_UNAVAILABLE', `${name} cannot run in this test.`);
        const index = engines.length;
        const own = script(index);
        let calls = 0;
        const engine = new MeasuredEngine(
          {
            ...own,
            progress: [
              { phase: 'warmup', loaded: 0, total: 1, progress: 0 },
              { phase: 'warmup', loaded: 1, total: 1, progress: 1, ms: 7 },
            ],
            classifyGate: (text) => {
              clock += msPerCall(combination, calls++);
              return own.classifyGate?.(text);
            },
          },
          ranOn(combination),
          () => (clock += loadMs),
        );
        const dispose = engine.dispose.bind(engine);
        engine.dispose = async () => {
          log.push(`dispose ${name}`);
          await dispose();
        };
        engines.push(engine);
        log.push(`create ${name}`);
        return { engine, loadAs: combination.backend === 'cpu' ? 'wasm' : combination.backend };
      },
      exclusive: (job) => queue.run(job),
      onProgress: (p) => progress.push(p),
      now: () => clock,
    },
  };
}

const request = (combinations: BenchmarkCombination[], extra: Omit<BenchmarkRequest, 'combinations'> = {}) =>
  checkBenchmarkRequest({ combinations, tokens: 8, batchSize: 4, repetitions: 3, batchRepetitions: 2, ...extra });


const ticks = (n = 5) => new Promise((r) => setTimeout(r, n));

describe('summarize', () => {
  it('takes the middle value of an odd count and the mean of the two middle values of an even count', () => {
    expect(summarize([30, 10, 20])).toEqual({ median: 20, mean: 20, min: 10, runs: 3 });
    expect(summarize([40, 10, 20, 100])).toEqual({ median: 30, mean: 42.5, min: 10, runs: 4 });
    expect(summarize([1.234])).toEqual({ median: 1.2, mean: 1.2, min: 1.2, runs: 1 });
  });
});

describe('textOfTokens', () => {
  it('builds the longest text that fits the token count, repeating a short source as needed', async () => {
    const engine = new FakeEngine();
    // The fake engine counts one token per word plus two special tokens.
    expect(await textOfTokens(engine, 'alpha beta', 8)).toBe('alpha beta alpha beta alpha beta');
    const long = Array.from({ length: 300 }, (_, i) => `w${i}`).join(' ');
    expect((await textOfTokens(engine, long, 128)).split(' ')).toHaveLength(126);
  });
});

describe('runBenchmark', () => {
  it('measures load, warm-up, the first text, the median time per text and texts per second in batches', async () => {
    // Calls of each engine: 1 first text, 3 timed texts, then 2 batches of 4 texts (one call per text).
    const perCall = [100, 30, 10, 20, ...Array(4).fill(50), ...Array(4).fill(25)];
    const w = world({ msPerCall: (_, call) => perCall[call] ?? 0 });
    const result = await runBenchmark(request([{ engine: 'onnx', backend: 'wasm' }]), w.deps);
    expect(result).toMatchObject({ model: 'news-topic', url: SOURCE.url, tokens: 8, batchSize: 4, webgpu: NO_GPU, crossOriginIsolated: false });
    const [row] = result.rows;
    expect(row).toEqual({
      engine: 'onnx',
      backend: 'wasm',
      status: 'done',
      info: { engine: 'onnx', backend: 'wasm', device: 'wasm (test)' },
      loadMs: 50,
      warmupMs: 7,
      // The fake engine's window is 8 tokens.
      tokens: 8,
      firstMs: 100,
      latencyMs: { median: 20, mean: 20, min: 10, runs: 3 },
      // Batches of 4 texts took 200 and 100 ms: the median batch is 150 ms, 26.7 texts per second.
      batch: { size: 4, medianMs: 150, textsPerSecond: 26.7, runs: 2 },
    });
    // Every text the engine saw is the same text of 8 tokens.
    const texts = new Set(w.engines[0].calls.filter((c) => c.startsWith('classify ')));
    expect(texts.size).toBe(1);
    expect([...texts][0].split(' ')).toHaveLength(1 + 6);
  });

  it('reports progress step by step, with the rows finished so far', async () => {
    const w = world();
    await runBenchmark(request([{ engine: 'onnx', backend: 'wasm' }, { engine: 'tfjs', backend: 'wasm' }], { repetitions: 2, batchRepetitions: 1 }), w.deps);
    // Each combination: load, first text, 2 timed texts, 1 batch = 5 steps.
    expect(w.progress.map((p) => `${p.engine}/${p.backend} ${p.stage} ${p.loaded}/${p.total}`)).toEqual([
      'onnx/wasm load 0/10',
      'onnx/wasm first 1/10',
      'onnx/wasm latency 2/10',
      'onnx/wasm latency 3/10',
      'onnx/wasm batch 4/10',
      'onnx/wasm done 5/10',
      'tfjs/wasm load 5/10',
      'tfjs/wasm first 6/10',
      'tfjs/wasm latency 7/10',
      'tfjs/wasm latency 8/10',
      'tfjs/wasm batch 9/10',
      'tfjs/wasm done 10/10',
    ]);
    expect(w.progress.at(-1)).toMatchObject({ progress: 1, index: 1, count: 2 });
    expect(w.progress.at(-1)?.rows.map((r) => r.status)).toEqual(['done', 'done']);
    expect(w.progress[6].rows.map((r) => r.engine)).toEqual(['onnx']);
  });

  it('turns a combination that cannot run here into a row saying why, and measures the others', async () => {
    const w = world({ unavailable: ['tfjs/cpu'], script: (i) => (i === 1 ? { loadError: new GlassboxError('MODEL_INVALID', 'The weights are broken.') } : {}) });
    const result = await runBenchmark(
      request([
        { engine: 'onnx', backend: 'webgpu' },
        { engine: 'tfjs', backend: 'cpu' },
        { engine: 'onnx', backend: 'wasm' },
        { engine: 'tfjs', backend: 'wasm' },
      ]),
      w.deps,
    );
    expect(result.rows.map((r) => [r.engine, r.backend, r.status, r.code, r.reason])).toEqual([
      ['onnx', 'webgpu', 'unavailable', 'BACKEND_UNAVAILABLE', NO_GPU.reason],
      ['tfjs', 'cpu', 'unavailable', 'BACKEND_UNAVAILABLE', 'tfjs/cpu cannot run in this test.'],
      ['onnx', 'wasm', 'done', undefined, undefined],
      ['tfjs', 'wasm', 'failed', 'MODEL_INVALID', 'The weights are broken.'],
    ]);
    // No engine is made for WebGPU without an adapter; the one that failed to load is disposed too.
    expect(w.log).toEqual(['create onnx/wasm', 'dispose onnx/wasm', 'create tfjs/wasm', 'dispose tfjs/wasm']);
    expect(w.progress.at(-1)).toMatchObject({ loaded: w.progress.at(-1)?.total, progress: 1 });
  });

  it('says when an engine ran on another backend than the one asked for, and keeps the cpu backend asked for as it is', async () => {
    const w = world({
      ranOn: (c) => ({
        engine: c.engine,
        backend: 'cpu',
        device: 'TF.js cpu backend',
        fallbackReason: 'WebAssembly could not be used (test); using the plain JavaScript (cpu) backend instead.',
      }),
    });
    const result = await runBenchmark(request([{ engine: 'tfjs', backend: 'wasm' }, { engine: 'tfjs', backend: 'cpu' }]), w.deps);
    expect(result.rows[0].fallbackReason).toMatch(/WebAssembly could not be used/);
    expect(result.rows[0].info).toEqual({ engine: 'tfjs', backend: 'cpu', device: 'TF.js cpu backend' });
    expect(result.rows[1].fallbackReason).toBeUndefined();
    expect(result.rows[1].info).toEqual({ engine: 'tfjs', backend: 'cpu', device: 'TF.js cpu backend' });
  });

  it('disposes each engine before creating the next', async () => {
    const w = world();
    await runBenchmark(
      request([
        { engine: 'onnx', backend: 'wasm' },
        { engine: 'tfjs', backend: 'wasm' },
        { engine: 'tfjs', backend: 'cpu' },
      ]),
      w.deps,
    );
    expect(w.log).toEqual(['create onnx/wasm', 'dispose onnx/wasm', 'create tfjs/wasm', 'dispose tfjs/wasm', 'create tfjs/cpu', 'dispose tfjs/cpu']);
    expect(w.engines.map((e) => e.calls.at(-1))).toEqual(['dispose', 'dispose', 'dispose']);
  });

  it('stops at once when cancelled, disposes the engine after the step that was running, and starts no other', async () => {
    const held = deferred();
    const abort = new AbortController();
    let calls = 0;
    const w = world({ script: () => ({ classifyGate: () => (++calls === 3 ? held.promise : undefined) }) });
    const running = runBenchmark(request([{ engine: 'onnx', backend: 'wasm' }, { engine: 'tfjs', backend: 'wasm' }]), { ...w.deps, signal: abort.signal });
    while (calls < 3) await ticks();
    abort.abort();
    const stopped = await failureOf(running);
    expect(stopped.code).toBe('CANCELLED');
    expect(stopped.message).toMatch(/cancelled while measuring ONNX Runtime on WebAssembly \(0 of 2 done\)/);
    // The timed run still holds the engine: it is disposed as soon as that run ends.
    expect(w.log).toEqual(['create onnx/wasm']);
    held.resolve();
    await ticks(20);
    expect(w.log).toEqual(['create onnx/wasm', 'dispose onnx/wasm']);
    expect(w.engines[0].calls.filter((c) => c.startsWith('classify'))).toHaveLength(3);
  });

  it('takes a cancel between two timed runs even when every model call blocks the thread', async () => {
    const abort = new AbortController();
    let calls = 0;
    const w = world({
      script: () => ({ busyMs: 1, classifyGate: () => void calls++ }),
    });
    const running = runBenchmark(request([{ engine: 'onnx', backend: 'wasm' }], { repetitions: 200 }), { ...w.deps, signal: abort.signal });
    let atCancel = -1;
    // A timer stands for the cancel message: it only runs if the benchmark yields to the task queue.
    const watch = setInterval(() => {
      if (calls < 10) return;
      clearInterval(watch);
      atCancel = calls;
      abort.abort();
    }, 0);
    expect((await failureOf(running)).code).toBe('CANCELLED');
    clearInterval(watch);
    expect(atCancel).toBeGreaterThanOrEqual(10);
    await ticks(20);
    expect(calls - atCancel).toBeLessThanOrEqual(1);
  });

  it('passes the cancel on to a load in progress', async () => {
    const abort = new AbortController();
    const w = world({ script: () => ({ loadGate: deferred().promise }) });
    const running = runBenchmark(request([{ engine: 'onnx', backend: 'wasm' }]), { ...w.deps, signal: abort.signal });
    await ticks();
    expect(w.engines[0].signal).toBe(abort.signal);
    abort.abort();
    expect((await failureOf(running)).code).toBe('CANCELLED');
    await ticks();
    expect(w.log).toEqual(['create onnx/wasm', 'dispose onnx/wasm']);
    expect(w.engines[0].calls.filter((c) => c.startsWith('classify'))).toEqual([]);
  });

  it('stops the whole run when it is told the model changed', async () => {
    const w = world();
    let steps = 0;
    const stopped = await failureOf(
      runBenchmark(request([{ engine: 'onnx', backend: 'wasm' }, { engine: 'tfjs', backend: 'wasm' }]), {
        ...w.deps,
        assertCurrent: () => {
          if (++steps > 3) throw new GlassboxError('SUPERSEDED', 'Another model was loaded.');
        },
      }),
    );
    expect(stopped).toEqual({ code: 'SUPERSEDED', message: 'Another model was loaded.' });
    expect(w.log).toEqual(['create onnx/wasm', 'dispose onnx/wasm']);
  });
});
