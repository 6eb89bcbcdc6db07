/**
 * Faithfulness as a deletion curve: if LIME's weights are faithful to the model, deleting the k
 * words it ranks most supportive of a label lowers that label's probability more than deleting k
 * words drawn at random. Pure: plan the perturbations, let the caller score them with the model,
 * then read the curve off the scores.
 */
import type { DeletionCurve, DeletionOptions, WordWeight } from '../contract/explanation-types';
import { concatPerturbations, unperturbedRow, type Perturbations } from './lime';
import { createRandom, sampleWithoutReplacement } from './random';
import type { IndexedWords } from './words';

export interface DeletionPlan {
  /** Words deleted in order, most supportive of the label first. */
  words: string[];
  randomDraws: number;
  /** Row 0 unperturbed; rows 1..K delete LIME's first k words; then randomDraws rows for each k. */
  perturbations: Perturbations;
}

/** The words with positive weight, most supportive first: the order the curve deletes them in. */
export function supportiveWords(weights: readonly WordWeight[]): string[] {
  return weights
    .filter((w) => w.weight > 0)
    .sort((a, b) => b.weight - a.weight)
    .map((w) => w.word);
}

export function planDeletionCurve(
  indexed: IndexedWords,
  ranking: readonly string[],
  options: DeletionOptions = {},
): DeletionPlan {
  const features = indexed.features.length;
  const randomDraws = options.randomDraws ?? 10;
  const featureOf = new Map(indexed.features.map((word, i) => [word, i]));
  const ranked = ranking.filter((word) => featureOf.has(word)).slice(0, options.maxK ?? 10);
  const maxK = ranked.length;

  const rows = new Uint8Array((maxK + maxK * randomDraws) * features).fill(1);
  for (let k = 1; k <= maxK; k++) {
    const row = (k - 1) * features;
    for (let i = 0; i < k; i++) rows[row + featureOf.get(ranked[i])!] = 0;
  }
  const random = createRandom(options.seed ?? 0);
  const scratch = Int32Array.from({ length: features }, (_, i) => i);
  for (let k = 1; k <= maxK; k++) {
    for (let draw = 0; draw < randomDraws; draw++) {
      const row = (maxK + (k - 1) * randomDraws + draw) * features;
      for (const feature of sampleWithoutReplacement(random, scratch, k)) rows[row + feature] = 0;
    }
  }
  const deleted: Perturbations = { rows: maxK + maxK * randomDraws, features, data: rows };
  return { words: ranked, randomDraws, perturbations: concatPerturbations([unperturbedRow(features), deleted]) };
}

/** `scores[r]` is the label's probability for plan row r. */
export function deletionCurveFromScores(
  plan: DeletionPlan,
  scores: ArrayLike<number>,
): Omit<DeletionCurve, 'label' | 'labelIndex'> {
  const maxK = plan.words.length;
  const lime = [scores[0]];
  const random = [scores[0]];
  for (let k = 1; k <= maxK; k++) {
    lime.push(scores[k]);
    let sum = 0;
    const first = 1 + maxK + (k - 1) * plan.randomDraws;
    for (let draw = 0; draw < plan.randomDraws; draw++) sum += scores[first + draw];
    random.push(sum / plan.randomDraws);
  }
  return { words: plan.words, lime, random, randomDraws: plan.randomDraws };
}

/**
 * Mean over k >= 1 of (random deletion's probability - LIME deletion's probability): positive when
 * LIME's words matter more to the model than random ones. 0 when nothing could be deleted.
 */
export function deletionAdvantage(curve: Pick<DeletionCurve, 'lime' | 'random'>): number {
  const ks = curve.lime.length - 1;
  if (ks < 1) return 0;
  let sum = 0;
  for (let k = 1; k <= ks; k++) sum += curve.random[k] - curve.lime[k];
  return sum / ks;
}
