/**
 * Kernel SHAP for text (Lundberg & Lee 2017), over the same words as LIME: a coalition keeps some
 * words and removes every occurrence of the others. Pure and split in two like lime.ts: draw the
 * coalitions, let the caller run the model on them, then solve for the Shapley values.
 *
 * Row 0 keeps every word and row 1 none; they are not regression rows but the constraint: the
 * values sum exactly to f(text) - f(no words). When every coalition fits in the budget they are all
 * enumerated with their Shapley kernel weights, which gives the exact Shapley values. Otherwise
 * each coalition is drawn with its complement (paired sampling, Covert & Lee 2021), its size
 * uniformly from 1..M-1 and then its words uniformly: the leverage-score distribution of the
 * Shapley regression (Musco & Witter 2024, "Leverage SHAP"), with the kernel moved into the row
 * weights. On the shipped models that agreed across seeds more often than drawing sizes in
 * proportion to the kernel, as shap's KernelExplainer does (bench/reports/explain-quality.md).
 */
import { concatPerturbations, unperturbedRow, type Perturbations } from './lime';
import { createRandom, randomInt, sampleWithoutReplacement } from './random';
import { solveRidgeSystem } from './ridge';

/** Regression rows and their weights; rows 0 and 1 are the full and empty coalitions. */
export interface Coalitions {
  perturbations: Perturbations;
  /** One weight per row; the anchors' weights are 0 (they enter through the constraint). */
  weights: Float64Array;
  /** True when every coalition was enumerated, so the values are exact. */
  exact: boolean;
}

/** Coalitions a budget of `rows` model runs (anchors included) can enumerate completely. */
export function canEnumerate(features: number, rows: number): boolean {
  return features <= 20 && 2 ** features <= rows;
}

/** Draws paired coalitions; successive calls continue one seeded stream (adaptive rounds). */
export interface CoalitionSampler {
  /** `pairs` coalitions, each followed by its complement: 2 * pairs rows. */
  next(pairs: number): Perturbations;
}

export function createCoalitionSampler(features: number, seed: number): CoalitionSampler {
  const random = createRandom(seed);
  const scratch = Int32Array.from({ length: features }, (_, i) => i);
  return {
    next(pairs) {
      const data = new Uint8Array(2 * pairs * features);
      for (let p = 0; p < pairs; p++) {
        const size = randomInt(random, 1, Math.max(features, 2));
        const row = 2 * p * features;
        data.fill(1, row + features, row + 2 * features);
        for (const feature of sampleWithoutReplacement(random, scratch, size)) {
          data[row + feature] = 1;
          data[row + features + feature] = 0;
        }
      }
      return { rows: 2 * pairs, features, data };
    },
  };
}

/** The anchors followed by every other coalition, with the Shapley kernel weight of each. */
export function enumerateCoalitions(features: number): Coalitions {
  const count = 2 ** features - 2;
  const data = new Uint8Array(count * features);
  const weights = new Float64Array(count + 2);
  for (let mask = 1; mask <= count; mask++) {
    let size = 0;
    for (let f = 0; f < features; f++) {
      if ((mask >> f) & 1) {
        data[(mask - 1) * features + f] = 1;
        size++;
      }
    }
    weights[mask + 1] = shapleyKernel(features, size);
  }
  return { perturbations: concatPerturbations([anchors(features), { rows: count, features, data }]), weights, exact: true };
}

/**
 * Sampled coalitions after the anchors. Sizes were drawn uniformly, so each row's regression weight
 * is its size's share of the Shapley kernel, 1 / (s (M - s)), over that uniform probability.
 */
export function sampledCoalitions(sampled: readonly Perturbations[], features: number): Coalitions {
  const perturbations = concatPerturbations([anchors(features), ...sampled]);
  const weights = new Float64Array(perturbations.rows);
  for (let r = 2; r < perturbations.rows; r++) {
    let size = 0;
    for (let f = 0; f < features; f++) size += perturbations.data[r * features + f];
    weights[r] = size > 0 && size < features ? (features - 1) / (size * (features - size)) : 0;
  }
  return { perturbations, weights, exact: false };
}

/**
 * The rows' weights with sampled pair p counted `multiplicity[p]` times (a bootstrap resample, or
 * 0 and 1 for a half of the pairs); the anchors keep weight 0.
 */
export function pairWeights(coalitions: Coalitions, multiplicity: ArrayLike<number>): Float64Array {
  const weights = new Float64Array(coalitions.weights.length);
  for (let p = 0; p < multiplicity.length; p++) {
    weights[2 + 2 * p] = multiplicity[p] * coalitions.weights[2 + 2 * p];
    weights[3 + 2 * p] = multiplicity[p] * coalitions.weights[3 + 2 * p];
  }
  return weights;
}

/** Row 0 keeps every word, row 1 removes them all. */
export function anchors(features: number): Perturbations {
  return concatPerturbations([unperturbedRow(features), { rows: 1, features, data: new Uint8Array(features) }]);
}

/** The Shapley kernel (M - 1) / (C(M, s) s (M - s)) of one coalition of size s among M words. */
export function shapleyKernel(features: number, size: number): number {
  return (features - 1) / (binomial(features, size) * size * (features - size));
}

export interface ShapleyValues {
  /** One value per feature; they sum to full - empty. */
  values: Float64Array;
  /** f(no words): the base value the values are added to. */
  empty: number;
  full: number;
}

/**
 * Weighted least squares of y - f(empty) on the kept words, with the values constrained to add up
 * to f(full) - f(empty): the last feature is eliminated (its value is the rest of the total), which
 * is exact whichever feature is chosen. `rowWeights` may be a resample of the coalitions' weights.
 */
export function solveShapley(coalitions: Coalitions, y: ArrayLike<number>, rowWeights: ArrayLike<number> = coalitions.weights): ShapleyValues {
  const { rows, features, data } = coalitions.perturbations;
  const full = y[0];
  const empty = y[1];
  const total = full - empty;
  const values = new Float64Array(features);
  if (features === 1) {
    values[0] = total;
    return { values, empty, full };
  }
  const k = features - 1;
  const last = features - 1;
  const gram = new Float64Array(k * k);
  const rhs = new Float64Array(k);
  const x = new Float64Array(k);
  for (let r = 2; r < rows; r++) {
    const w = rowWeights[r];
    if (w === 0) continue;
    const offset = r * features;
    const lastKept = data[offset + last];
    for (let j = 0; j < k; j++) x[j] = data[offset + j] - lastKept;
    const target = y[r] - empty - lastKept * total;
    for (let a = 0; a < k; a++) {
      if (x[a] === 0) continue;
      const wa = w * x[a];
      rhs[a] += wa * target;
      for (let b = a; b < k; b++) if (x[b] !== 0) gram[a * k + b] += wa * x[b];
    }
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) gram[a * k + b] = gram[b * k + a];
  // Fewer distinct coalitions than words leaves the system singular: a vanishing ridge picks the
  // smallest solution instead of failing.
  const solved = solveRidgeSystem(gram, rhs, k, 0);
  let rest = total;
  for (let j = 0; j < k; j++) {
    values[j] = solved[j];
    rest -= solved[j];
  }
  values[last] = rest;
  return { values, empty, full };
}

function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return result;
}
