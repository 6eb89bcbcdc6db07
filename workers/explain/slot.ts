/**
 * One explanation at a time, and how a running one is stopped: starting one aborts the one still
 * running, which then rejects with SUPERSEDED; cancel() makes it reject with CANCELLED.
 */
import { GlassboxError } from '../../src/core/errors';

export class ExplanationSlot {
  private current: AbortController | null = null;

  start(): AbortSignal {
    this.supersede();
    this.current = new AbortController();
    return this.current.signal;
  }

  /** Stops the running explanation as SUPERSEDED without starting another, e.g. when its text was replaced. */
  supersede(): void {
    this.current?.abort(new GlassboxError('SUPERSEDED', 'A newer text replaced this explanation; its result is on the way.'));
    this.current = null;
  }

  cancel(): void {
    this.current?.abort(cancelledError());
    this.current = null;
  }

  /** Call when the explanation started with `signal` has settled. */
  finish(signal: AbortSignal): void {
    if (this.current?.signal === signal) this.current = null;
  }
}

function cancelledError(): GlassboxError {
  return new GlassboxError('CANCELLED', 'The explanation was cancelled; explain again to restart it.');
}

/** An abort's own GlassboxError reason (SUPERSEDED from ExplanationSlot), else CANCELLED. */
function abortError(signal: AbortSignal): GlassboxError {
  return signal.reason instanceof GlassboxError ? signal.reason : cancelledError();
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}

/** The promise's value, unless the signal aborts first. */
export async function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  throwIfAborted(signal);
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
