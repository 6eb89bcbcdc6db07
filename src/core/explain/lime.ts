/**
 * LIME for text, bag-of-words mode, with the semantics of the reference `lime` package
 * (LimeTextExplainer + LimeBase.explain_instance_with_data). Pure and split in two so the model can
 * run in between: `samplePerturbations` draws which words each sample keeps, the caller turns the
 * rows into texts (words.ts removeWords) and gets the model's probabilities, and `explainLabels`
 * fits the weighted-ridge surrogate for each label.
 */
import type { FeatureSelection } from '../contract/explanation-types';
import { createRandom, randomInt, sampleWithoutReplacement, type Random } from './random';
import {
  fitRidge,
  weightedDesign,
  weightedTarget,
  type DenseMatrix,
  type WeightedDesign,
  type WeightedTarget,
} from './ridge';

export const KERNEL_WIDTH = 25;
/** The surrogate's ridge penalty, and the lighter one highest_weights ranks features with. */
const SURROGATE_ALPHA = 1;
const RANKING_ALPHA = 0.01;
/** 'auto' uses forward selection up to this many features (it refits features x k models). */
const FORWARD_SELECTION_MAX = 6;

/** Row-major samples x features matrix of 0/1: 1 keeps the word, 0 removes every occurrence. */
export interface Perturbations {
  rows: number;
  features: number;
  data: Uint8Array;
}

/** Draws perturbation rows; successive calls continue one seeded stream (adaptive rounds). */
export interface PerturbationSampler {
  /** `count` perturbed rows: each removes a uniformly drawn number (1..features) of distinct words. */
  next(count: number): Perturbations;
}

export function createPerturbationSampler(features: number, seed: number): PerturbationSampler {
  const random: Random = createRandom(seed);
  const scratch = Int32Array.from({ length: features }, (_, i) => i);
  return {
    next(count) {
      const data = new Uint8Array(count * features).fill(1);
      for (let r = 0; r < count; r++) {
        const removed = sampleWithoutReplacement(random, scratch, randomInt(random, 1, features + 1));
        for (const feature of removed) data[r * features + feature] = 0;
      }
      return { rows: count, features, data };
    },
  };
}

/** The reference's neighbourhood: row 0 keeps every word, then numSamples - 1 random rows. */
export function samplePerturbations(features: number, numSamples: number, seed: number): Perturbations {
  return concatPerturbations([unperturbedRow(features), createPerturbationSampler(features, seed).next(numSamples - 1)]);
}

export function unperturbedRow(features: number): Perturbations {
  return { rows: 1, features, data: new Uint8Array(features).fill(1) };
}

export function concatPerturbations(parts: readonly Perturbations[]): Perturbations {
  const features = parts[0].features;
  const rows = parts.reduce((sum, part) => sum + part.rows, 0);
  const data = new Uint8Array(rows * features);
  let offset = 0;
  for (const part of parts) {
    data.set(part.data, offset);
    offset += part.data.length;
  }
  return { rows, features, data };
}

/**
 * Kernel weights: cosine distance x 100 to the unperturbed row, through sqrt(exp(-d^2 / width^2)).
 * Against an all-ones row the cosine similarity of a 0/1 row with k ones is sqrt(k / features);
 * a row with every word removed has similarity 0, as scikit-learn computes for a zero vector.
 */
export function kernelWeights(perturbations: Perturbations, kernelWidth = KERNEL_WIDTH): Float64Array {
  const { rows, features, data } = perturbations;
  const weights = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let kept = 0;
    for (let c = 0; c < features; c++) kept += data[r * features + c];
    const distance = (1 - Math.sqrt(kept / features)) * 100;
    weights[r] = Math.sqrt(Math.exp(-(distance * distance) / (kernelWidth * kernelWidth)));
  }
  return weights;
}

export interface FeatureWeight {
  feature: number;
  weight: number;
}

export interface SurrogateFit {
  labelIndex: number;
  intercept: number;
  /** Sorted by |weight|, largest first (ties keep selection order). */
  weights: FeatureWeight[];
  r2: number;
  localPrediction: number;
}

export interface ExplainLabelsOptions {
  numFeatures: number;
  featureSelection: FeatureSelection;
  kernelWidth?: number;
}

/**
 * One surrogate per label. `probabilities[r][label]` is the model's output for sample row r; row 0
 * must be the unperturbed text.
 */
export function explainLabels(
  perturbations: Perturbations,
  probabilities: readonly ArrayLike<number>[],
  labels: readonly number[],
  options: ExplainLabelsOptions,
): SurrogateFit[] {
  const weights = kernelWeights(perturbations, options.kernelWidth);
  const x = asMatrix(perturbations);
  const design = weightedDesign(x, weights);
  return labels.map((labelIndex) => {
    const y = Float64Array.from(probabilities, (row) => row[labelIndex]);
    const target = weightedTarget(design, x, y, weights);
    const used = selectFeatures(design, target, options.numFeatures, options.featureSelection);
    const fit = fitRidge(design, target, used, SURROGATE_ALPHA);
    // Row 0 keeps every word, so the surrogate's prediction there is the intercept plus all weights.
    const localPrediction = fit.coef.reduce((sum, c) => sum + c, fit.intercept);
    const sorted = used
      .map((feature, i) => ({ feature, weight: fit.coef[i] }))
      .sort((p, q) => Math.abs(q.weight) - Math.abs(p.weight));
    return { labelIndex, intercept: fit.intercept, weights: sorted, r2: fit.r2, localPrediction };
  });
}

export function selectFeatures(
  design: WeightedDesign,
  target: WeightedTarget,
  numFeatures: number,
  method: FeatureSelection,
): number[] {
  switch (method) {
    case 'none':
      return Array.from({ length: design.cols }, (_, i) => i);
    case 'forward_selection':
      return forwardSelection(design, target, numFeatures);
    case 'highest_weights':
      return highestWeights(design, target, numFeatures);
    case 'auto':
      return numFeatures <= FORWARD_SELECTION_MAX
        ? forwardSelection(design, target, numFeatures)
        : highestWeights(design, target, numFeatures);
  }
}

/** Greedily adds the feature whose least-squares fit (alpha 0) has the best weighted R^2. */
export function forwardSelection(design: WeightedDesign, target: WeightedTarget, numFeatures: number): number[] {
  const used: number[] = [];
  const isUsed = new Uint8Array(design.cols);
  const steps = Math.min(numFeatures, design.cols);
  for (let step = 0; step < steps; step++) {
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let feature = 0; feature < design.cols; feature++) {
      if (isUsed[feature]) continue;
      const score = fitRidge(design, target, [...used, feature], 0).r2;
      // Strictly greater: ties go to the lowest feature index, as in the reference.
      if (score > bestScore) {
        best = feature;
        bestScore = score;
      }
    }
    used.push(best);
    isUsed[best] = 1;
  }
  return used;
}

/**
 * Fits every feature with a light ridge and keeps those with the largest |coef x row 0|; row 0 is
 * all ones, so that is the largest |coef|. Ties keep feature order (a stable sort, as the reference).
 */
export function highestWeights(design: WeightedDesign, target: WeightedTarget, numFeatures: number): number[] {
  const all = Array.from({ length: design.cols }, (_, i) => i);
  const { coef } = fitRidge(design, target, all, RANKING_ALPHA);
  return all.sort((a, b) => Math.abs(coef[b]) - Math.abs(coef[a])).slice(0, numFeatures);
}

function asMatrix(perturbations: Perturbations): DenseMatrix {
  return { rows: perturbations.rows, cols: perturbations.features, data: perturbations.data };
}

/**
 * Refits one label's surrogate on fixed features with each row's kernel weight multiplied by
 * `rowScale` (a bootstrap resample's multiplicities). `selected` holds only those features'
 * columns (selectColumns); `kernel` is the full rows' kernelWeights. Coefficients in column order.
 */
export function refitSurrogate(selected: Perturbations, kernel: ArrayLike<number>, scores: ArrayLike<number>, rowScale: ArrayLike<number>): Float64Array {
  const weights = Float64Array.from(kernel, (w, r) => w * rowScale[r]);
  const x = asMatrix(selected);
  const design = weightedDesign(x, weights);
  const all = Array.from({ length: selected.features }, (_, i) => i);
  return fitRidge(design, weightedTarget(design, x, scores, weights), all, SURROGATE_ALPHA).coef;
}

/** The perturbation matrix cut to the given feature columns, in that order. */
export function selectColumns(perturbations: Perturbations, features: readonly number[]): Perturbations {
  const { rows, features: width, data } = perturbations;
  const out = new Uint8Array(rows * features.length);
  for (let r = 0; r < rows; r++) features.forEach((f, c) => (out[r * features.length + c] = data[r * width + f]));
  return { rows, features: features.length, data: out };
}

/** The rows at the given indices, in that order. */
export function selectRows(perturbations: Perturbations, rows: readonly number[]): Perturbations {
  const { features, data } = perturbations;
  const out = new Uint8Array(rows.length * features);
  rows.forEach((row, i) => out.set(data.subarray(row * features, (row + 1) * features), i * features));
  return { rows: rows.length, features, data: out };
}

/** Every feature's coefficient in the light ridge highest_weights ranks with: LIME's view of the words it did not select. */
export function rankingCoefficients(perturbations: Perturbations, scores: ArrayLike<number>, kernelWidth = KERNEL_WIDTH): Float64Array {
  const weights = kernelWeights(perturbations, kernelWidth);
  const x = asMatrix(perturbations);
  const design = weightedDesign(x, weights);
  const all = Array.from({ length: design.cols }, (_, i) => i);
  return fitRidge(design, weightedTarget(design, x, scores, weights), all, RANKING_ALPHA).coef;
}
