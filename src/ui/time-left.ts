/** Progress steps measured before an estimate is given: the first batches of a job are the slow, cold ones. */
export const STEPS_BEFORE_ESTIMATE = 2;

/**
 * Estimates how long a job has left from its progress events (units done of a total). The clock
 * starts at the first event that reports work done, so the first batch (compilation, cold caches)
 * does not count; the rate is the average since then. A job whose count goes back or whose total
 * changes is a new job and starts a new estimate.
 */
export class TimeLeft {
  private start: { loaded: number; at: number } | undefined;
  private last: { loaded: number; total: number } | undefined;
  private steps = 0;

  /** Records progress at time `at` (ms) and returns the estimated ms left, or undefined while too little is measured. */
  observe(loaded: number, total: number, at: number): number | undefined {
    const restarted = !this.last || loaded < this.last.loaded || total !== this.last.total;
    if (restarted) {
      this.start = loaded > 0 ? { loaded, at } : undefined;
      this.steps = 0;
    } else if (this.last && loaded > this.last.loaded) {
      if (this.start) this.steps++;
      else this.start = { loaded, at };
    }
    this.last = { loaded, total };
    const start = this.start;
    if (!start || this.steps < STEPS_BEFORE_ESTIMATE || at <= start.at) return undefined;
    const perUnit = (at - start.at) / (loaded - start.loaded);
    return Math.max(0, (total - loaded) * perUnit);
  }
}

/** How a progress line ends with the estimate: " · about 40 s left", or nothing while too little is measured. */
export function timeLeftSuffix(estimate: TimeLeft, loaded: number, total: number, at: number = performance.now()): string {
  const ms = estimate.observe(loaded, total, at);
  return ms === undefined ? '' : ` · ${formatTimeLeft(ms)}`;
}

/** "about 40 s left", "about 3 min left": rounded as a person would say it. */
export function formatTimeLeft(ms: number): string {
  return `${formatAbout(ms)} left`;
}

/** "about 40 s", "about 3 min", "a few seconds": a duration rounded as a person would say it. */
export function formatAbout(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 5) return 'a few seconds';
  if (seconds < 60) return `about ${Math.round(seconds / 5) * 5} s`;
  const minutes = seconds / 60;
  if (minutes < 90) return `about ${Math.round(minutes)} min`;
  return `about ${(minutes / 60).toFixed(1)} h`;
}
