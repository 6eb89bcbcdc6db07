/**
 * One explanation at a time, and how a running one is stopped: starting one aborts the one still
 * running, which then rejects with SUPERSEDED; cancel() makes it reject with CANCELLED.
 */
import { throwIfCancelled, unlessCancelled } from '../../src/core/jobs/abort';
import { GlassboxError } from '../../src/core/contract/errors';

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

const CANCELLED_MESSAGE = 'The explanation was cancelled; explain again to restart it.';

function cancelledError(): GlassboxError {
  return new GlassboxError('CANCELLED', CANCELLED_MESSAGE);
}

/** Throws SUPERSEDED or CANCELLED, as the slot stopped it, once `signal` has aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  throwIfCancelled(signal, () => CANCELLED_MESSAGE);
}

/** The promise's value, unless the signal aborts first. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  return unlessCancelled(promise, signal, () => CANCELLED_MESSAGE);
}
