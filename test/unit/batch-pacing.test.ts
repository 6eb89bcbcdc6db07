import { describe, expect, it } from 'vitest';
import { BatchPacer } from '../../src/core/jobs/batch-pacing';

describe('BatchPacer', () => {
  it('starts small and doubles while calls are quick, up to the largest batch', () => {
    const pacer = new BatchPacer(32, 400, 4);
    const sizes = [pacer.size];
    for (let call = 0; call < 5; call++) {
      pacer.record(pacer.size, 20);
      sizes.push(pacer.size);
    }
    expect(sizes).toEqual([4, 8, 16, 32, 32, 32]);
  });

  it('shrinks to what fits the target time, and to one text on a backend that takes seconds per text', () => {
    const pacer = new BatchPacer(32, 400, 4);
    pacer.record(4, 800);
    expect(pacer.size).toBe(2);
    pacer.record(2, 4_000);
    expect(pacer.size).toBe(1);
    pacer.record(1, 300);
    expect(pacer.size).toBe(1);
    pacer.record(1, 100);
    expect(pacer.size).toBe(2);
  });
});
