import { describe, expect, it } from 'vitest';
import { toGlassboxError } from '../../src/core/contract/errors';
import { padBatch } from '../../src/core/text/pad-batch';
import { rankScores } from '../../src/core/text/scores';
import { softmax } from '../../src/core/text/softmax';

describe('softmax', () => {
  it('turns logits into probabilities that sum to one, in order', () => {
    const p = softmax([2, 1, 0.1]);
    expect(p[0]).toBeCloseTo(0.659, 3);
    expect(p[1]).toBeCloseTo(0.2424, 3);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });
  it('stays finite for large logits', () => {
    const p = softmax([1000, 999]);
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 5);
    expect(Number.isFinite(p[1])).toBe(true);
  });
});

describe('rankScores', () => {
  it('sorts labels by probability, keeping label order on ties', () => {
    expect(rankScores(['a', 'b', 'c'], [0.2, 0.6, 0.2])).toEqual([
      { label: 'b', score: 0.6 },
      { label: 'a', score: 0.2 },
      { label: 'c', score: 0.2 },
    ]);
  });
  it('refuses scores that do not match the labels', () => {
    let error: unknown;
    try {
      rankScores(['a', 'b'], [1]);
    } catch (e) {
      error = e;
    }
    expect(toGlassboxError(error).code).toBe('MODEL_INVALID');
  });
});

describe('padBatch', () => {
  it('pads rows on the right and masks the padding', () => {
    const batch = padBatch([[101, 7, 102], [101, 102]], 0);
    expect(batch.shape).toEqual([2, 3]);
    expect([...batch.inputIds]).toEqual([101n, 7n, 102n, 101n, 102n, 0n]);
    expect([...batch.attentionMask]).toEqual([1n, 1n, 1n, 1n, 1n, 0n]);
  });
  it('refuses an empty batch', () => {
    expect(() => padBatch([], 0)).toThrow(/at least one/);
  });
});
