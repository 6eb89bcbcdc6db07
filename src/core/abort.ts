import { GlassboxError } from './errors';

/** Throws CANCELLED, with `message` (what was stopped, in words), once `signal` has aborted. */
export function throwIfCancelled(signal: AbortSignal | undefined, message: () => string): void {
  if (signal?.aborted) throw new GlassboxError('CANCELLED', message());
}

/**
 * The promise's value, unless `signal` aborts first: then CANCELLED at once, without waiting for
 * a model call that may take seconds (its result is dropped when it arrives).
 */
export async function unlessCancelled<T>(promise: Promise<T>, signal: AbortSignal | undefined, message: () => string): Promise<T> {
  if (!signal) return promise;
  throwIfCancelled(signal, message);
  let onAbort = () => {};
  const cancelled = new Promise<never>((_, reject) => {
    onAbort = () => reject(new GlassboxError('CANCELLED', message()));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, cancelled]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
