import { describe, expect, it } from 'vitest';
import {
  anchors,
  canEnumerate,
  createCoalitionSampler,
  enumerateCoalitions,
  pairWeights,
  sampledCoalitions,
  shapleyKernel,
  solveShapley,
  type Coalitions,
} from '../../src/core/explain/kernel-shap';
import { indexWords } from '../../src/core/explain/words';
import type { ExplainRunnerDeps } from '../../workers/explain/evaluator';
import { runExplanation } from '../../workers/explain/run';

/** A game with main effects, pairwise and three-way interactions, and an "or": linear models cannot fit it. */
function plantedGame(features: number): (kept: ArrayLike<number>) => number {
  return (kept) => {
    let value = 0.1;
    for (let f = 0; f < features; f++) value += kept[f] * (((f * 7) % 5) - 2) * 0.05;
    if (features > 1) value += 0.3 * kept[0] * kept[1];
    if (features > 3) value -= 0.2 * kept[1] * kept[2] * kept[3];
    if (features > 5) value += 0.15 * Math.max(kept[4], kept[5]);
    return value;
  };
}

/** Shapley values by definition: every coalition without the player, weighted |S|!(M-|S|-1)!/M!. */
function exactShapley(features: number, game: (kept: ArrayLike<number>) => number): Float64Array {
  const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
  const values = new Float64Array(features);
  const kept = new Uint8Array(features);
  for (let mask = 0; mask < 2 ** features; mask++) {
    let size = 0;
    for (let f = 0; f < features; f++) size += (kept[f] = (mask >> f) & 1);
    for (let f = 0; f < features; f++) {
      if (kept[f]) continue;
      const without = game(kept);
      kept[f] = 1;
      const withPlayer = game(kept);
      kept[f] = 0;
      values[f] += ((factorial(size) * factorial(features - size - 1)) / factorial(features)) * (withPlayer - without);
    }
  }
  return values;
}

function scoresOf(coalitions: Coalitions, game: (kept: ArrayLike<number>) => number): Float64Array {
  const { rows, features, data } = coalitions.perturbations;
  return Float64Array.from({ length: rows }, (_, r) => game(data.subarray(r * features, (r + 1) * features)));
}

describe('Kernel SHAP', () => {
  for (const features of [1, 2, 3, 5, 7, 10]) {
    it(`equals the exact Shapley values when every coalition of ${features} words is enumerated`, () => {
      const game = plantedGame(features);
      const coalitions = enumerateCoalitions(features);
      expect(coalitions.exact).toBe(true);
      expect(coalitions.perturbations.rows).toBe(2 ** features);
      const { values, empty, full } = solveShapley(coalitions, scoresOf(coalitions, game));
      const exact = exactShapley(features, game);
      values.forEach((value, f) => expect(value).toBeCloseTo(exact[f], 9));
      expect(full - empty).toBeCloseTo(values.reduce((a, b) => a + b, 0), 12);
    });
  }

  it('sampled coalitions come in complementary pairs after the full and empty anchors', () => {
    const sampled = createCoalitionSampler(12, 4).next(50);
    const coalitions = sampledCoalitions([sampled], 12);
    const { rows, features, data } = coalitions.perturbations;
    expect(rows).toBe(102);
    expect(Array.from(data.subarray(0, 12))).toEqual(new Array(12).fill(1));
    expect(Array.from(data.subarray(12, 24))).toEqual(new Array(12).fill(0));
    for (let r = 2; r < rows; r += 2) {
      let kept = 0;
      for (let f = 0; f < features; f++) {
        expect(data[r * features + f] + data[(r + 1) * features + f]).toBe(1);
        kept += data[r * features + f];
      }
      expect(kept).toBeGreaterThanOrEqual(1);
      expect(kept).toBeLessThanOrEqual(11);
    }
    expect(coalitions.weights[0]).toBe(0);
    expect(coalitions.weights[1]).toBe(0);
  });

  it('sampled values add up exactly to f(all words) - f(no words) and approach the exact ones', () => {
    const features = 10;
    const game = plantedGame(features);
    const coalitions = sampledCoalitions([createCoalitionSampler(features, 1).next(2000)], features);
    const { values, empty, full } = solveShapley(coalitions, scoresOf(coalitions, game));
    expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(full - empty, 12);
    const exact = exactShapley(features, game);
    values.forEach((value, f) => expect(Math.abs(value - exact[f])).toBeLessThan(0.02));
  });

  it('resamples pairs on top of the kernel weights: counting every pair once gives the weights back', () => {
    const coalitions = sampledCoalitions([createCoalitionSampler(9, 3).next(30)], 9);
    expect(Array.from(pairWeights(coalitions, new Float64Array(30).fill(1)))).toEqual(Array.from(coalitions.weights));
    const twice = pairWeights(coalitions, Float64Array.from({ length: 30 }, (_, p) => (p === 4 ? 2 : 0)));
    expect(twice[2 + 8]).toBe(2 * coalitions.weights[2 + 8]);
    expect(twice[3 + 8]).toBe(2 * coalitions.weights[3 + 8]);
    expect(twice.reduce((a, b) => a + b, 0)).toBeCloseTo(2 * (coalitions.weights[10] + coalitions.weights[11]), 12);
  });

  it('the same seed draws the same coalitions', () => {
    expect(createCoalitionSampler(9, 5).next(20).data).toEqual(createCoalitionSampler(9, 5).next(20).data);
    expect(createCoalitionSampler(9, 5).next(20).data).not.toEqual(createCoalitionSampler(9, 6).next(20).data);
  });

  it('weights coalitions with the Shapley kernel and enumerates only what fits the budget', () => {
    expect(shapleyKernel(4, 1)).toBeCloseTo(3 / (4 * 1 * 3), 12);
    expect(shapleyKernel(4, 2)).toBeCloseTo(3 / (6 * 2 * 2), 12);
    expect(canEnumerate(8, 256)).toBe(true);
    expect(canEnumerate(9, 400)).toBe(false);
    expect(anchors(3).rows).toBe(2);
  });
});

describe('runExplanation with kernelshap', () => {
  // Each distinct word is a player; the probability is the planted game of which words remain.
  const text = 'alpha beta gamma delta epsilon zeta, alpha again';
  const vocabulary = indexWords(text).features;
  const game = plantedGame(vocabulary.length);
  const deps: ExplainRunnerDeps = {
    labels: ['no', 'yes'],
    tokenCount: (piece) => piece.split(/\s+/).filter(Boolean).length,
    classify: async (texts) =>
      texts.map((t) => {
        const present = new Set(indexWords(t).features);
        const p = game(vocabulary.map((word) => (present.has(word) ? 1 : 0)));
        return Float32Array.of(1 - p, p);
      }),
  };

  it('gives the exact Shapley values of the model for a short text, summing to f(text) - f(no words)', async () => {
    const explanation = await runExplanation(text, { method: 'kernelshap', link: 'identity', labels: [1], numFeatures: 20, faithfulness: false }, deps);
    const exact = exactShapley(vocabulary.length, game);
    expect(explanation.method).toBe('kernelshap');
    expect(explanation.modelRuns).toBe(2 ** vocabulary.length);
    for (const { word, weight } of explanation.weights) expect(weight).toBeCloseTo(exact[vocabulary.indexOf(word)], 5);
    const sum = explanation.weights.reduce((a, w) => a + w.weight, 0);
    expect(explanation.localPrediction! - explanation.intercept!).toBeCloseTo(sum, 5);
    expect(explanation.stability).toEqual({ topKAgreement: 1, k: 5, bootstrapDraws: 0 });
    expect(explanation.scale).toBe('probability');
  });

  it('by default explains the log-odds: a model whose log-odds are the game gets the game\'s exact Shapley values', async () => {
    const sigmoid: ExplainRunnerDeps = {
      ...deps,
      classify: async (texts) =>
        texts.map((t) => {
          const present = new Set(indexWords(t).features);
          const p = 1 / (1 + Math.exp(-game(vocabulary.map((word) => (present.has(word) ? 1 : 0)))));
          return Float32Array.of(1 - p, p);
        }),
    };
    const explanation = await runExplanation(text, { method: 'kernelshap', labels: [1], numFeatures: 20, faithfulness: false }, sigmoid);
    const exact = exactShapley(vocabulary.length, game);
    expect(explanation.scale).toBe('log-odds');
    // float32 probabilities carry about 1e-6 of error into the log-odds.
    for (const { word, weight } of explanation.weights) expect(weight).toBeCloseTo(exact[vocabulary.indexOf(word)], 4);
    expect(explanation.localPrediction).toBeCloseTo(game(new Array(vocabulary.length).fill(1)), 4);
  });
});
