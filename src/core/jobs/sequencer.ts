import { GlassboxError } from '../contract/errors';

/**
 * Hands out numbered turns so that only the newest request counts: an older request that is
 * still queued or running learns it was superseded (or cancelled) and drops its result.
 */
export class LatestWins {
  private latest = 0;
  private cancelledThrough = 0;

  begin(): number {
    return ++this.latest;
  }

  /** Cancels every turn handed out so far. */
  cancelAll(): void {
    this.cancelledThrough = this.latest;
  }

  /** Throws SUPERSEDED or CANCELLED unless `turn` is still the newest, uncancelled one. */
  assertCurrent(turn: number, what: string): void {
    if (turn <= this.cancelledThrough) throw new GlassboxError('CANCELLED', `${what} was cancelled.`);
    if (turn !== this.latest) throw new GlassboxError('SUPERSEDED', `${what} was replaced by a newer request.`);
  }
}

/** Runs async jobs one after another: a model can only do one thing at a time. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
