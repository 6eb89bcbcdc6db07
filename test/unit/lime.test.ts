import { describe, expect, it } from 'vitest';
import { kernelWeights, samplePerturbations } from '../../src/core/explain/lime';
import { explainWithModel, plantedModel, REVIEW, SENTIMENT } from './helpers/planted-model';

const signed = (fit: { weights: { feature: number; weight: number }[] }, vocabulary: string[], k: number) =>
  fit.weights.slice(0, k).map((w) => `${w.weight > 0 ? '+' : '-'}${vocabulary[w.feature]}`).sort();

describe('LIME on a classifier whose truth is known', () => {
  it('ranks the planted words first, with the right signs, for each label', () => {
    const { fits, vocabulary } = explainWithModel(REVIEW, SENTIMENT, { numSamples: 2000, seed: 1, numFeatures: 10, labels: [1, 0] });
    expect(signed(fits[0], vocabulary, 4)).toEqual(['+excellent', '+superb', '-awful', '-boring']);
    expect(signed(fits[1], vocabulary, 4)).toEqual(['+awful', '+boring', '-excellent', '-superb']);
    // Stronger planted weight, larger LIME weight.
    const weightOf = (word: string) => fits[0].weights.find((w) => vocabulary[w.feature] === word)!.weight;
    expect(weightOf('excellent')).toBeGreaterThan(weightOf('superb'));
    expect(weightOf('awful')).toBeLessThan(weightOf('boring'));
    // Unplanted words get next to nothing.
    for (const w of fits[0].weights.slice(4)) expect(Math.abs(w.weight)).toBeLessThan(0.1 * Math.abs(weightOf('boring')));
  });

  it('finds per-label words of a three-label model with forward selection (numFeatures <= 6)', () => {
    const model = plantedModel([{ goal: 2, match: 1.5 }, { election: 2, vote: 1.5 }, { market: 2, shares: 1.5 }]);
    const text = 'After the match the vote on the market was close; the goal, the election and shares all moved.';
    const { fits, vocabulary } = explainWithModel(text, model, { numSamples: 1500, seed: 3, numFeatures: 3, labels: [0, 1, 2] });
    expect(fits.map((fit) => fit.weights.length)).toEqual([3, 3, 3]);
    expect(signed(fits[0], vocabulary, 2)).toEqual(['+goal', '+match']);
    expect(signed(fits[1], vocabulary, 2)).toEqual(['+election', '+vote']);
    expect(signed(fits[2], vocabulary, 2)).toEqual(['+market', '+shares']);
  });

  it('reports a surrogate that fits a near-linear model well and predicts the original', () => {
    const { fits } = explainWithModel(REVIEW, SENTIMENT, { numSamples: 2000, seed: 2, numFeatures: 10, labels: [1] });
    const original = SENTIMENT(REVIEW)[1];
    expect(fits[0].r2).toBeGreaterThan(0.8);
    expect(fits[0].r2).toBeLessThanOrEqual(1);
    expect(Math.abs(fits[0].localPrediction - original)).toBeLessThan(0.1);
    expect(fits[0].localPrediction).toBeCloseTo(fits[0].weights.reduce((s, w) => s + w.weight, fits[0].intercept), 12);
  });
});

describe('sampling', () => {
  it('keeps row 0 whole and removes a uniform number of distinct words from every other row', () => {
    const features = 8;
    const p = samplePerturbations(features, 8001, 5);
    expect(Array.from(p.data.subarray(0, features))).toEqual(new Array(features).fill(1));
    const removedCounts = new Array(features + 1).fill(0);
    for (let r = 1; r < p.rows; r++) {
      let removed = 0;
      for (let c = 0; c < features; c++) removed += 1 - p.data[r * features + c];
      removedCounts[removed]++;
    }
    expect(removedCounts[0]).toBe(0);
    // 1000 expected per count; a binomial standard deviation is about 30.
    for (let size = 1; size <= features; size++) expect(Math.abs(removedCounts[size] - 1000)).toBeLessThan(150);
  });

  it('gives the same explanation for the same seed, and different samples for another', () => {
    const options = { numSamples: 500, numFeatures: 10, labels: [1] };
    const a = explainWithModel(REVIEW, SENTIMENT, { ...options, seed: 7 });
    const b = explainWithModel(REVIEW, SENTIMENT, { ...options, seed: 7 });
    const c = explainWithModel(REVIEW, SENTIMENT, { ...options, seed: 8 });
    expect(b.fits).toEqual(a.fits);
    expect(samplePerturbations(30, 500, 7).data).toEqual(samplePerturbations(30, 500, 7).data);
    expect(samplePerturbations(30, 500, 8).data).not.toEqual(samplePerturbations(30, 500, 7).data);
    expect(c.fits[0].weights).not.toEqual(a.fits[0].weights);
  });

  it('weights the unperturbed row 1 and a row with every word removed exp(-8)', () => {
    const weights = kernelWeights({ rows: 3, features: 4, data: Uint8Array.from([1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0]) });
    expect(weights[0]).toBe(1);
    expect(weights[1]).toBeCloseTo(Math.exp(-8), 15);
    // One of four words kept: cosine similarity 1/2, distance 50.
    expect(weights[2]).toBeCloseTo(Math.exp(-(50 * 50) / (2 * 25 * 25)), 15);
  });
});
