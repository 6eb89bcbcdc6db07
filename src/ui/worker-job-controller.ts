import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { toGlassboxError } from '../core/contract/errors';
import { withProgress } from '../core/jobs/late-progress';
import { LatestWins } from '../core/jobs/sequencer';
import type { ModelState } from './classifier-controller';

/**
 * The life of a panel's long worker job (a CSV batch, an engine benchmark): progress while it runs,
 * then its result or what went wrong in words. Only the newest run counts; the host going away
 * drops it (the worker goes with the page's element).
 */
export abstract class WorkerJobController<P, R> implements ReactiveController {
  running = false;
  progress: P | undefined;
  result: R | undefined;
  /** What went wrong (or how far a cancelled run got), in words; empty when nothing did. */
  error = '';
  protected readonly runs = new LatestWins();

  constructor(
    protected readonly host: ReactiveControllerHost,
    protected readonly model: () => ModelState,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.runs.cancelAll();
    this.running = false;
    this.progress = undefined;
  }

  /** Why a job cannot start for want of a model; empty when the model is ready. */
  protected get modelUnavailableReason(): string {
    const model = this.model();
    if (model.status === 'ready') return '';
    return model.status === 'loading' ? 'The model is still loading.' : 'Load a model first.';
  }

  /**
   * A short call that readies a job (reading an input's columns, measuring a dataset), newest wins
   * like the jobs: `busy` says it runs, `apply` takes its answer, and a failure becomes `error`. An
   * answer to an older call, or to one a job has replaced, is dropped.
   */
  protected async prepare<T>(call: () => Promise<T>, apply: (value: T) => void, busy: (on: boolean) => void): Promise<void> {
    const turn = this.runs.begin();
    this.error = '';
    busy(true);
    this.host.requestUpdate();
    try {
      const value = await call();
      if (!this.runs.isCurrent(turn)) return;
      apply(value);
    } catch (error) {
      if (!this.runs.isCurrent(turn)) return;
      this.error = toGlassboxError(error).detail;
    }
    busy(false);
    this.host.requestUpdate();
  }

  /**
   * Runs one job, newest wins: `call` gets the progress listener and a check of whether this run
   * still counts; its value becomes `result`. `onFailure` runs after a failure of the current run,
   * to keep what it had finished.
   */
  protected async runJob(call: (onProgress: (progress: P) => void, current: () => boolean) => Promise<R>, onFailure?: () => void): Promise<void> {
    const turn = this.runs.begin();
    const current = () => this.runs.isCurrent(turn);
    this.running = true;
    this.error = '';
    this.result = undefined;
    this.progress = undefined;
    this.host.requestUpdate();
    try {
      const result = await withProgress<R, P>(
        (onProgress) => call(onProgress, current),
        (progress) => {
          if (!current()) return;
          this.progress = progress;
          this.host.requestUpdate();
        },
      );
      if (!current()) return;
      this.result = result;
    } catch (error) {
      if (!current()) return;
      this.error = toGlassboxError(error).detail;
      onFailure?.();
    }
    this.running = false;
    this.progress = undefined;
    this.host.requestUpdate();
  }
}
