import { GlassboxError } from '../contract/errors';

/**
 * Hands out numbered turns so that only the newest request of one kind counts: an older request
 * that is still queued or running learns it was superseded (or cancelled) and drops its result.
 * The worker's loads and classifications and every UI controller's requests use it.
 */
export class LatestWins {
  private latest = 0;
  private cancelledThrough = 0;

  /** Starts a request: every earlier turn is superseded from now on. */
  begin(): number {
    return ++this.latest;
  }

  /** The turn handed out last. */
  get newest(): number {
    return this.latest;
  }

  /** Cancels every turn handed out so far. */
  cancelAll(): void {
    this.cancelledThrough = this.latest;
  }

  /** Whether `turn` is still the newest, uncancelled one: its answer is still wanted. */
  isCurrent(turn: number): boolean {
    return turn > this.cancelledThrough && turn === this.latest;
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
