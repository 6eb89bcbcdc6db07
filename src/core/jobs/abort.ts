import { GlassboxError } from '../contract/errors';

/**
 * The error an aborted signal stands for: its reason when that is a GlassboxError (a job stopped as
 * SUPERSEDED says so), else CANCELLED with `message` (what was stopped, in words).
 */
function abortError(signal: AbortSignal, message: () => string): GlassboxError {
  return signal.reason instanceof GlassboxError ? signal.reason : new GlassboxError('CANCELLED', message());
}

/** Throws once `signal` has aborted: its GlassboxError reason, else CANCELLED with `message`. */
export function throwIfCancelled(signal: AbortSignal | undefined, message: () => string): void {
  if (signal?.aborted) throw abortError(signal, message);
}

/**
 * The promise's value, unless `signal` aborts first: then its error at once, without waiting for
 * a model call that may take seconds (its result is dropped when it arrives).
 */
export async function unlessCancelled<T>(promise: Promise<T>, signal: AbortSignal | undefined, message: () => string): Promise<T> {
  if (!signal) return promise;
  throwIfCancelled(signal, message);
  let onAbort = () => {};
  const cancelled = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortError(signal, message));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, cancelled]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
