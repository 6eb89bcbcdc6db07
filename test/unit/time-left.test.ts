import { describe, expect, it } from 'vitest';
import { formatTimeLeft, TimeLeft } from '../../src/ui/time-left';

describe('TimeLeft', () => {
  it('gives no estimate until two steps after the first batch, then the average rate since that batch', () => {
    const eta = new TimeLeft();
    expect(eta.observe(0, 100, 0)).toBeUndefined();
    // The cold first batch took 5 s: it is not counted.
    expect(eta.observe(10, 100, 5_000)).toBeUndefined();
    expect(eta.observe(20, 100, 6_000)).toBeUndefined();
    expect(eta.observe(30, 100, 7_000)).toBe(7_000);
    expect(eta.observe(40, 100, 9_000)).toBeCloseTo(60 * (4_000 / 30));
  });

  it('starts again when the count goes back or the total changes, as for a new job', () => {
    const eta = new TimeLeft();
    for (const [loaded, at] of [[10, 1_000], [20, 2_000], [30, 3_000]]) eta.observe(loaded, 100, at);
    expect(eta.observe(40, 100, 4_000)).toBe(6_000);
    expect(eta.observe(5, 50, 10_000)).toBeUndefined();
    expect(eta.observe(10, 50, 10_500)).toBeUndefined();
    expect(eta.observe(15, 50, 11_000)).toBe(3_500);
  });

  it('ignores repeated events that report no new work', () => {
    const eta = new TimeLeft();
    for (const [loaded, at] of [[10, 0], [10, 500], [20, 1_000], [20, 1_500]]) expect(eta.observe(loaded, 40, at)).toBeUndefined();
    expect(eta.observe(30, 40, 2_000)).toBe(1_000);
  });
});

describe('formatTimeLeft', () => {
  it('rounds as a person would say it', () => {
    expect(formatTimeLeft(3_000)).toBe('a few seconds left');
    expect(formatTimeLeft(42_000)).toBe('about 40 s left');
    expect(formatTimeLeft(200_000)).toBe('about 3 min left');
    expect(formatTimeLeft(3 * 3_600_000)).toBe('about 3.0 h left');
  });
});
