import type { BenchmarkRow } from '../contract/benchmark-types';
import type { BackendName, EngineName } from '../contract/types';

/** What the benchmark table and verdicts call each engine and backend. */
export const BENCHMARK_ENGINE_NAMES: Record<EngineName, string> = { onnx: 'ONNX Runtime', tfjs: 'TF.js' };
export const BENCHMARK_BACKEND_NAMES: Record<BackendName, string> = { webgpu: 'WebGPU', wasm: 'WebAssembly', cpu: 'plain JavaScript' };

export function combinationName(engine: EngineName, backend: BackendName): string {
  return `${BENCHMARK_ENGINE_NAMES[engine]} on ${BENCHMARK_BACKEND_NAMES[backend]}`;
}

/** The name of what really ran: a backend that fell back is named by the one it fell back to. */
export function rowName(row: BenchmarkRow): string {
  return combinationName(row.info?.engine ?? row.engine, row.info?.backend ?? row.backend);
}

export interface Verdict {
  /** What the verdict ranks by: time per text, or texts per second in batches. */
  by: 'latency' | 'throughput';
  winner: BenchmarkRow;
  runnerUp?: BenchmarkRow;
  /** How many times better the winner is than the runner-up. */
  ratio?: number;
  /** One sentence for people. */
  text: string;
}

/**
 * The fastest measured combination: by median time per text (what a person waits for after typing),
 * or by texts per second in batches (what a batch file or a LIME explanation waits for).
 */
export function fastest(rows: readonly BenchmarkRow[], by: Verdict['by']): Verdict | undefined {
  const score = (row: BenchmarkRow) => (by === 'latency' ? row.latencyMs?.median : row.batch?.textsPerSecond);
  const measured = rows.filter((row) => row.status === 'done' && (score(row) ?? 0) > 0);
  if (measured.length === 0) return undefined;
  const ranked = [...measured].sort((a, b) => (by === 'latency' ? score(a)! - score(b)! : score(b)! - score(a)!));
  const [winner, runnerUp] = ranked;
  const lead = by === 'latency' ? 'Fastest here' : 'Most texts per second';
  if (!runnerUp) return { by, winner, text: `${lead}: ${rowName(winner)}, the only combination measured.` };
  const ratio = by === 'latency' ? score(runnerUp)! / score(winner)! : score(winner)! / score(runnerUp)!;
  const comparison = ratio < 1.05 ? `about as fast as ${rowName(runnerUp)}` : `${formatRatio(ratio)} ${rowName(runnerUp)}`;
  return { by, winner, runnerUp, ratio, text: `${lead}: ${rowName(winner)}, ${comparison}.` };
}

/** "2.3x", "14x": two significant digits are as precise as a benchmark on a busy device gets. */
export function formatRatio(ratio: number): string {
  return `${ratio >= 10 ? Math.round(ratio) : ratio.toFixed(1)}x`;
}

/**
 * Whether a WebGPU adapter is a software one (SwiftShader and the like): it runs on the CPU, so its
 * numbers say that WebGPU works here, not how fast a GPU is.
 */
export function isSoftwareAdapter(description: string | undefined): boolean {
  return /swiftshader|software|fallback adapter|llvmpipe|lavapipe|basic render/i.test(description ?? '');
}

/** Whether the page can be switched to what a row measured: it offers no choice of TF.js's cpu backend. */
export function canSwitchTo(row: BenchmarkRow): boolean {
  return row.status === 'done' && row.backend !== 'cpu';
}

/** Whether `current` (the page's model) runs on what a row measured. */
export function runsOn(row: BenchmarkRow, current: { engine: EngineName; backend: BackendName } | undefined): boolean {
  return current !== undefined && current.engine === (row.info?.engine ?? row.engine) && current.backend === (row.info?.backend ?? row.backend);
}
