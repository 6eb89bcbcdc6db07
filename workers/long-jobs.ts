/**
 * The worker's long jobs (a CSV batch, a dataset explanation, an engine benchmark): one of each
 * kind at a time. Starting one stops the one of its kind still running; cancel(kind) stops it.
 * The job gets the signal that says so; its model calls check it between two calls.
 */
export class LongJobs<Kind extends string> {
  private readonly running = new Map<Kind, AbortController>();

  async run<T>(kind: Kind, job: (signal: AbortSignal) => Promise<T>): Promise<T> {
    this.running.get(kind)?.abort();
    const abort = new AbortController();
    this.running.set(kind, abort);
    try {
      return await job(abort.signal);
    } finally {
      if (this.running.get(kind) === abort) this.running.delete(kind);
    }
  }

  cancel(kind: Kind): void {
    this.running.get(kind)?.abort();
  }
}
