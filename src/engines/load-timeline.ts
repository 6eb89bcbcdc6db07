import { GlassboxError, toGlassboxError } from '../core/contract/errors';
import type { LoadProgress } from '../core/contract/types';

/** How every engine ends a load its caller cancelled. */
export const LOAD_CANCELLED = 'Loading the model was cancelled.';

/**
 * The phases an engine's load reports once its files are in, each timed: preparing the model (a
 * session, or weights uploaded and shaders compiled), one warm-up run, ready. Both engines report
 * the same sequence, so the page shows their times alike.
 */
export class LoadTimeline {
  private compileStarted = 0;
  private warmupStarted: number | undefined;
  private compileReported = false;

  constructor(
    private readonly emit: (progress: LoadProgress) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Preparing the model starts. */
  compiling(): void {
    this.compileStarted = this.now();
    this.emit({ phase: 'compile', loaded: 0, total: 1, progress: 0 });
  }

  /**
   * The model is prepared and its warm-up run starts. After a fallback to another backend it is
   * called again: the preparation is reported once (with the time it took in all), the warm-up
   * timed from the last call.
   */
  warming(): void {
    this.warmupStarted = this.now();
    if (this.compileReported) return;
    this.compileReported = true;
    this.emit({ phase: 'compile', loaded: 1, total: 1, progress: 1, ms: Math.round(this.warmupStarted - this.compileStarted) });
    this.emit({ phase: 'warmup', loaded: 0, total: 1, progress: 0 });
  }

  /** The warm-up ran: the model is ready. */
  ready(): void {
    this.emit({ phase: 'warmup', loaded: 1, total: 1, progress: 1, ms: Math.round(this.now() - (this.warmupStarted ?? this.now())) });
    this.emit({ phase: 'ready', loaded: 1, total: 1, progress: 1 });
  }
}

/**
 * Ends a failed load alike in every engine: what it had set up is released, a load its caller
 * cancelled says CANCELLED, anything else arrives as a GlassboxError.
 */
export async function failedLoad(error: unknown, signal: AbortSignal | undefined, release: () => Promise<void>): Promise<never> {
  await release();
  if (signal?.aborted) throw new GlassboxError('CANCELLED', LOAD_CANCELLED, { cause: error });
  throw toGlassboxError(error);
}
