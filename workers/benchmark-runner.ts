import { throwIfCancelled, unlessCancelled } from '../src/core/jobs/abort';
import type { CheckedBenchmarkRequest } from '../src/core/benchmark/benchmark-request';
import type { BenchmarkCombination, BenchmarkProgress, BenchmarkResult, BenchmarkRow, BenchmarkStage, LatencySummary } from '../src/core/contract/benchmark-types';
import { combinationName } from '../src/core/benchmark/benchmark-verdict';
import type { WebGpuSupport } from '../src/core/contract/types';
import { toGlassboxError } from '../src/core/contract/errors';
import type { BackendChoice, LoadProgress, ModelSource } from '../src/core/contract/types';
import type { Engine } from '../src/engines/engine';
import { nextTask } from './next-task';

/** A fresh engine for one combination, and the backend choice that makes it run there. */
export interface BenchmarkEngine {
  engine: Engine;
  loadAs: BackendChoice;
}

export type BenchmarkEngineFactory = (combination: BenchmarkCombination) => Promise<BenchmarkEngine>;

export interface BenchmarkRunnerDeps {
  /** The model folder to measure, with its token window. */
  source: ModelSource;
  /** Words to build the measured text from: the model's own examples. */
  sampleText: string;
  webgpu: WebGpuSupport;
  createEngine: BenchmarkEngineFactory;
  /**
   * Runs engine work in the worker's model queue. Each step (a load, one timed run) is its own job,
   * so a classification asked for meanwhile runs between two steps, never during one.
   */
  exclusive<T>(job: () => Promise<T>): Promise<T>;
  /** Throws when the run must stop (the page loaded another model); asked before every step. */
  assertCurrent?(): void;
  signal?: AbortSignal;
  onProgress?(progress: BenchmarkProgress): void;
  now(): number;
}

/** Text for models whose folder has no examples: plain English words to fill the token window. */
const FALLBACK_TEXT =
  'The report describes how the new service works for people who use it every day, what it costs, ' +
  'where it is available and which problems remain to be solved before the next version is released.';

/**
 * Measures each requested engine on each backend with the given model: load (warm-up included),
 * the first text, the median time per text over repeated runs at a fixed token length, and texts
 * per second in batches. Each combination gets a fresh engine that is disposed before the next
 * one is created. A combination that cannot run here becomes a row saying why; only a
 * cancellation or a change of model stops the whole run.
 */
export async function runBenchmark(request: CheckedBenchmarkRequest, deps: BenchmarkRunnerDeps): Promise<BenchmarkResult> {
  const started = deps.now();
  const rows: BenchmarkRow[] = [];
  const stepsOf = (c: CheckedBenchmarkRequest['combinations'][number]) => 2 + c.repetitions + c.batchRepetitions;
  const total = request.combinations.reduce((sum, c) => sum + stepsOf(c), 0);
  let finished = 0;
  for (const [index, combination] of request.combinations.entries()) {
    const before = finished;
    const report = (stage: BenchmarkStage) => {
      deps.onProgress?.({
        phase: 'benchmark',
        engine: combination.engine,
        backend: combination.backend,
        index,
        count: request.combinations.length,
        stage,
        loaded: finished,
        total,
        progress: total > 0 ? finished / total : 1,
        rows: [...rows],
      });
    };
    const cancelled = () => `The benchmark was cancelled while measuring ${combinationName(combination.engine, combination.backend)} (${rows.length} of ${request.combinations.length} done).`;
    const row = await measureCombination(combination, request, deps, {
      report,
      step: () => finished++,
      cancelled,
    });
    finished = before + stepsOf(combination);
    rows.push(row);
    report('done');
  }
  return {
    model: deps.source.id,
    url: deps.source.url,
    tokens: request.tokens,
    batchSize: request.batchSize,
    webgpu: deps.webgpu,
    crossOriginIsolated: Boolean((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated),
    rows,
    ms: Math.round(deps.now() - started),
  };
}

interface StepHooks {
  report(stage: BenchmarkStage): void;
  /** Counts one finished step. */
  step(): void;
  cancelled(): string;
}

async function measureCombination(
  combination: CheckedBenchmarkRequest['combinations'][number],
  request: CheckedBenchmarkRequest,
  deps: BenchmarkRunnerDeps,
  hooks: StepHooks,
): Promise<BenchmarkRow> {
  const { engine: engineName, backend } = combination;
  const base = { engine: engineName, backend };
  throwIfCancelled(deps.signal, hooks.cancelled);
  if (backend === 'webgpu' && !deps.webgpu.available) {
    return { ...base, status: 'unavailable', code: 'BACKEND_UNAVAILABLE', reason: deps.webgpu.reason ?? 'This browser has no working WebGPU adapter.' };
  }
  let engine: Engine | undefined;
  // Every engine call runs as its own job in the model queue, after a turn of the worker's message
  // queue (a cancel or a newer request gets in). A cancel answers at once; the step that is running
  // finishes in the queue, and the engine is disposed right after it.
  const step = <T>(stage: BenchmarkStage, work: (engine: Engine) => Promise<T>): Promise<T> => {
    hooks.report(stage);
    return unlessCancelled(
      deps.exclusive(async () => {
        await nextTask();
        throwIfCancelled(deps.signal, hooks.cancelled);
        deps.assertCurrent?.();
        if (!engine) throw new Error('The benchmark engine was not created.');
        return work(engine);
      }),
      deps.signal,
      hooks.cancelled,
    ).then((value) => {
      hooks.step();
      return value;
    });
  };
  try {
    hooks.report('load');
    const load = await unlessCancelled(
      deps.exclusive(async () => {
        throwIfCancelled(deps.signal, hooks.cancelled);
        deps.assertCurrent?.();
        const made = await deps.createEngine(combination);
        engine = made.engine;
        let warmupMs: number | undefined;
        const onProgress = (progress: LoadProgress) => {
          if (progress.phase === 'warmup' && progress.ms !== undefined) warmupMs = progress.ms;
        };
        const loadStarted = deps.now();
        await engine.load(deps.source, made.loadAs, onProgress, deps.signal);
        return { loadMs: Math.round(deps.now() - loadStarted), warmupMs };
      }),
      deps.signal,
      hooks.cancelled,
    );
    hooks.step();
    const loaded = engine as Engine | undefined;
    if (!loaded) throw new Error('The benchmark engine was not created.');
    const { fallbackReason, ...info } = loaded.info();
    const row: BenchmarkRow = {
      ...base,
      status: 'done',
      info,
      ...(info.backend !== backend ? { fallbackReason: fallbackReason ?? `It ran on ${info.backend} instead.` } : {}),
      loadMs: load.loadMs,
      ...(load.warmupMs !== undefined ? { warmupMs: load.warmupMs } : {}),
    };

    const measured = await step('first', async (e) => {
      const text = await textOfTokens(e, deps.sampleText.trim() ? deps.sampleText : FALLBACK_TEXT, request.tokens);
      const fit = await e.describeInput?.(text);
      return { text, tokens: fit ? Math.min(fit.tokens, fit.maxTokens) : undefined, firstMs: await time(deps, () => e.classify([text], 1)) };
    });
    row.firstMs = measured.firstMs;
    if (measured.tokens !== undefined) row.tokens = measured.tokens;

    const latencies: number[] = [];
    for (let i = 0; i < combination.repetitions; i++) {
      latencies.push(await step('latency', (e) => time(deps, () => e.classify([measured.text], 1))));
    }
    row.latencyMs = summarize(latencies);

    const batch = new Array<string>(request.batchSize).fill(measured.text);
    const batches: number[] = [];
    for (let i = 0; i < combination.batchRepetitions; i++) {
      batches.push(await step('batch', (e) => time(deps, () => e.classify(batch, request.batchSize))));
    }
    const medianMs = summarize(batches).median;
    row.batch = { size: request.batchSize, medianMs, textsPerSecond: round((request.batchSize * 1000) / medianMs), runs: batches.length };
    return row;
  } catch (error) {
    const failure = toGlassboxError(error);
    if (failure.code === 'CANCELLED' || failure.code === 'SUPERSEDED' || deps.signal?.aborted) throw failure;
    return { ...base, status: failure.code === 'BACKEND_UNAVAILABLE' ? 'unavailable' : 'failed', code: failure.code, reason: failure.detail };
  } finally {
    // Queued behind the step still running, if any: only one benchmark engine is alive at a time.
    const disposal = deps.exclusive(async () => engine?.dispose()).catch(() => undefined);
    if (!deps.signal?.aborted) await disposal;
  }
}

/** Median, mean and minimum of timings, rounded to 0.1 ms. */
export function summarize(values: readonly number[]): LatencySummary {
  if (values.length === 0) return { median: 0, mean: 0, min: 0, runs: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median: round(median), mean: round(values.reduce((a, b) => a + b, 0) / values.length), min: round(sorted[0]), runs: values.length };
}

/**
 * The longest run of words from `source` (repeated as often as needed) that fits in `tokens`
 * tokens, special tokens included: every engine measures the same text at the same length.
 */
export async function textOfTokens(engine: Engine, source: string, tokens: number): Promise<string> {
  const given = source.split(/\s+/).filter(Boolean);
  // At least one token per word: `tokens` words are always enough.
  const words = Array.from({ length: Math.max(tokens, 1) }, (_, i) => given[i % given.length]);
  const count = async (n: number) => (await engine.describeInput?.(words.slice(0, n).join(' ')))?.tokens ?? n + 2;
  let low = 1;
  let high = words.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if ((await count(middle)) <= tokens) low = middle;
    else high = middle - 1;
  }
  return words.slice(0, low).join(' ');
}

async function time(deps: Pick<BenchmarkRunnerDeps, 'now'>, work: () => Promise<unknown>): Promise<number> {
  const started = deps.now();
  await work();
  return round(deps.now() - started);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
