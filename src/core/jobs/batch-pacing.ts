/**
 * How long one model call of a long job (an explanation, a batch file) should take. The worker
 * runs one model call at a time and a call cannot be interrupted, so Cancel, a model switch or a
 * newer text waits for the call that is running: about this long, on any backend.
 */
export const BATCH_PACING = Object.freeze({ targetMs: 400, firstBatch: 4 });

/**
 * Sizes the model calls of one job from the time the previous call took: texts per call grow
 * while calls are quick (batches amortise padding and dispatch), and shrink to one text on a slow
 * backend (software WebGPU takes seconds per batch). Growth is capped at double per call because
 * the jobs feed texts shortest first, so later texts cost more.
 */
export class BatchPacer {
  private next: number;

  constructor(
    private readonly max: number,
    private readonly targetMs: number = BATCH_PACING.targetMs,
    first: number = BATCH_PACING.firstBatch,
  ) {
    this.next = clamp(first, 1, max);
  }

  /** Texts for the next model call. */
  get size(): number {
    return this.next;
  }

  /** Records that the last call ran `texts` texts in `ms`. */
  record(texts: number, ms: number): void {
    const fits = ms > 0 ? Math.floor((texts * this.targetMs) / ms) : Number.POSITIVE_INFINITY;
    this.next = clamp(Math.min(fits, texts * 2), 1, this.max);
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, Math.floor(value)));
}
