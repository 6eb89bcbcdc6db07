import type { EngineInfo } from '../../src/core/types';

export interface BenchRequest {
  engine: 'onnx' | 'tfjs';
  /** `cpu` is TF.js only: its plain JavaScript backend. */
  backend: 'webgpu' | 'wasm' | 'cpu';
  modelUrl: string;
  /** Tokens per text, special tokens included. */
  tokens: number;
  latencyRuns: number;
  batchSize: number;
  batchRuns: number;
}

export interface BenchResult {
  request: BenchRequest;
  error?: string;
  info?: EngineInfo;
  crossOriginIsolated?: boolean;
  /** Load to ready, warm-up included. */
  loadMs?: number;
  /** The warm-up phase alone, where the engine reports it. */
  warmupMs?: number;
  /** Tokens the benchmark text really has (special tokens included). */
  tokens?: number;
  firstMs?: number;
  latencyMs?: { median: number; mean: number; min: number; runs: number };
  batch?: { size: number; medianMs: number; textsPerSecond: number; runs: number };
}
