import type { ErrorCode } from './errors';
import type { BackendName, EngineInfo, EngineName, WebGpuSupport } from './types';

/**
 * The engine benchmark's request and answer (ClassifierApi.benchmark): each engine on each backend,
 * measured on this device with the model the page has loaded. Plain data, structured-cloned across
 * the worker boundary.
 */

/** One engine on one backend. `cpu` is TF.js's plain JavaScript backend. */
export interface BenchmarkCombination {
  engine: EngineName;
  backend: BackendName;
  /** Overrides the request's repetitions for this combination (slow backends need fewer). */
  repetitions?: number;
  /** Overrides the request's batch repetitions for this combination. */
  batchRepetitions?: number;
}

/** Every combination the page offers, fastest-to-set-up first. */
export const BENCHMARK_COMBINATIONS: readonly BenchmarkCombination[] = [
  { engine: 'onnx', backend: 'webgpu' },
  { engine: 'onnx', backend: 'wasm' },
  { engine: 'tfjs', backend: 'webgpu' },
  { engine: 'tfjs', backend: 'wasm' },
  { engine: 'tfjs', backend: 'cpu' },
];

export interface BenchmarkRequest {
  /** What to measure, in this order. */
  combinations: BenchmarkCombination[];
  /** Timed single-text runs after the first one (default 10). */
  repetitions?: number;
  /** Timed runs of a whole batch (default 2). */
  batchRepetitions?: number;
  /** Tokens per text, special tokens included (default 128). */
  tokens?: number;
  /** Texts per batch for the throughput measurement (default 32). */
  batchSize?: number;
}

export const BENCHMARK_DEFAULTS = { repetitions: 10, batchRepetitions: 2, tokens: 128, batchSize: 32 } as const;

/** The limits a request must respect; beyond them a benchmark would run for hours. */
export const BENCHMARK_LIMITS = {
  repetitions: { min: 1, max: 1000 },
  batchRepetitions: { min: 1, max: 100 },
  tokens: { min: 8, max: 512 },
  batchSize: { min: 1, max: 256 },
} as const;

export interface LatencySummary {
  median: number;
  mean: number;
  min: number;
  runs: number;
}

export interface ThroughputSummary {
  size: number;
  /** Median time of one batch. */
  medianMs: number;
  textsPerSecond: number;
  runs: number;
}

export interface BenchmarkRow {
  /** What was asked for; `info` says what really ran. */
  engine: EngineName;
  backend: BackendName;
  /**
   * done: measured; unavailable: cannot run in this browser (no WebGPU, no such backend), with the
   * reason; failed: it started but broke, with the reason.
   */
  status: 'done' | 'unavailable' | 'failed';
  reason?: string;
  code?: ErrorCode;
  /** Engine, backend, device as the engine reported them. */
  info?: EngineInfo;
  /** Set when the engine ran on another backend than the one asked for: why. */
  fallbackReason?: string;
  /** From creating the engine to a model that has answered once: download, compilation and warm-up. */
  loadMs?: number;
  /** The warm-up phase alone, as the engine reported it. */
  warmupMs?: number;
  /** Tokens the measured text has in the model's window, special tokens included. */
  tokens?: number;
  /** The first classification after loading. */
  firstMs?: number;
  /** One text at a time, after the first. */
  latencyMs?: LatencySummary;
  batch?: ThroughputSummary;
}

export interface BenchmarkResult {
  model: string;
  url: string;
  tokens: number;
  batchSize: number;
  webgpu: WebGpuSupport;
  /** Whether the worker could use SharedArrayBuffer (multi-threaded WebAssembly). */
  crossOriginIsolated: boolean;
  rows: BenchmarkRow[];
  /** The whole run. */
  ms: number;
}

export type BenchmarkStage = 'load' | 'first' | 'latency' | 'batch' | 'done';

export interface BenchmarkProgress {
  phase: 'benchmark';
  /** The combination being measured (the last one when stage is done). */
  engine: EngineName;
  backend: BackendName;
  /** Its position among the requested combinations, from 0. */
  index: number;
  count: number;
  stage: BenchmarkStage;
  /** Steps finished over all combinations (load, first text, each timed run). */
  loaded: number;
  total: number;
  /** 0..1 */
  progress: number;
  /** The combinations finished so far, so a table can fill in as the run goes. */
  rows: BenchmarkRow[];
}
