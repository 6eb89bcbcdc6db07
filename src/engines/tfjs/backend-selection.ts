import { GlassboxError, messageOf } from '../../core/contract/errors';
import type { BackendChoice, BackendName } from '../../core/contract/types';

/** One TF.js backend: how to make it the active one, and how to describe what it runs on. */
export interface BackendStarter {
  /** Makes this backend TF.js's current one; rejects with an Error saying why it cannot run here. */
  start(): Promise<void>;
  /** What runs the model, in words: the adapter, or WebAssembly's features and threads. */
  describe(): Promise<string>;
}

export type BackendStarters = Record<BackendName, BackendStarter>;

export interface BackendFailure {
  backend: BackendName;
  reason: string;
}

export interface ActiveBackend {
  backend: BackendName;
  device: string;
  /** Set when a backend earlier in the order could not be used: which, and why. */
  fallbackReason?: string;
}

export const BACKEND_LABELS: Record<BackendName, string> = {
  webgpu: 'WebGPU',
  wasm: 'WebAssembly',
  cpu: 'the plain JavaScript (cpu) backend',
};

/** A backend that has not started by then is treated as failed, so a load never hangs on it. */
export const BACKEND_START_TIMEOUT_MS = 60_000;

/**
 * The order to try: `auto` prefers the GPU, then WebAssembly, then plain JavaScript, which runs
 * everywhere. An explicit `webgpu` is not silently replaced by something slower; an explicit
 * `wasm` may still fall to the cpu backend (it computes the same, only slower), and says so.
 */
export function backendOrder(choice: BackendChoice): BackendName[] {
  switch (choice) {
    case 'webgpu':
      return ['webgpu'];
    case 'wasm':
      return ['wasm', 'cpu'];
    case 'auto':
      return ['webgpu', 'wasm', 'cpu'];
  }
}

/**
 * Starts the first backend of `order` that works. `earlier` carries failures found before (a
 * WebGPU backend that started but could not run the model), so the reason reaches the user.
 */
export async function startFirstWorking(
  order: readonly BackendName[],
  starters: BackendStarters,
  earlier: readonly BackendFailure[] = [],
  timeoutMs = BACKEND_START_TIMEOUT_MS,
): Promise<ActiveBackend> {
  const failures = [...earlier];
  for (const backend of order) {
    try {
      await withTimeout(starters[backend].start(), timeoutMs, `it did not start within ${Math.round(timeoutMs / 1000)} s`);
      const device = await starters[backend].describe();
      return failures.length > 0 ? { backend, device, fallbackReason: explainFallback(failures, backend) } : { backend, device };
    } catch (error) {
      failures.push({ backend, reason: messageOf(error) });
    }
  }
  throw noBackendError(order, failures);
}

export function explainFallback(failures: readonly BackendFailure[], chosen: BackendName): string {
  const why = failures.map(({ backend, reason }) => `${BACKEND_LABELS[backend]} could not be used (${trimPeriod(reason)})`).join('; ');
  return `${why}; using ${BACKEND_LABELS[chosen]} instead.`;
}

function noBackendError(order: readonly BackendName[], failures: readonly BackendFailure[]): GlassboxError {
  const reasons = failures.map(({ backend, reason }) => `${BACKEND_LABELS[backend]}: ${trimPeriod(reason)}`).join('; ');
  if (order.length === 1 && order[0] === 'webgpu') {
    return new GlassboxError('BACKEND_UNAVAILABLE', `WebGPU was requested but cannot run here (${reasons}). Choose WebAssembly or auto.`);
  }
  return new GlassboxError('BACKEND_UNAVAILABLE', `No TensorFlow.js backend could start (${reasons}). Try the ONNX engine, or another browser.`);
}

function withTimeout<T>(work: Promise<T>, ms: number, reason: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(reason)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function trimPeriod(text: string): string {
  return text.trim().replace(/\.+$/, '');
}
