/**
 * Faithfulness of one explanation as ERASER defines it (DeYoung et al. 2020), word-level: for the
 * top k% of words (k in 1, 5, 10, 20, 50), comprehensiveness is p(label | text) minus p(label) with
 * those words removed (high: they mattered), sufficiency is p(label | text) minus p(label) with only
 * those words kept (low: they suffice). Each is averaged over the bins (AOPC), and the same numbers
 * for random rankings of the same words say what "no better than chance" looks like. Pure: plan the
 * rows, let the caller run the model, then read the scores back.
 */
import { concatPerturbations, unperturbedRow, type Perturbations } from './lime';
import { createRandom, sampleWithoutReplacement } from './random';

export const AOPC_BINS = Object.freeze([0.01, 0.05, 0.1, 0.2, 0.5] as const);
/** Model runs the check may add (the unperturbed text is already run); short texts fit more random rankings. */
export const AOPC_RUN_BUDGET = 20;

export interface AopcPlan {
  /** Words per bin (at least 1, at most all). */
  counts: number[];
  randomRankings: number;
  /**
   * Row 0: the text. Then for the explanation's ranking and each random ranking in turn, one row
   * per bin removing its top words, then one per bin keeping only them.
   */
  perturbations: Perturbations;
}

export interface AopcScore {
  /** The explanation's ranking, averaged over the bins. */
  aopc: number;
  /** The same for random rankings of the same words (mean over the rankings drawn). */
  random: number;
}

export interface AopcResult {
  comprehensiveness: AopcScore;
  sufficiency: AopcScore;
  /** Words removed or kept per bin. */
  counts: number[];
  randomRankings: number;
}

/**
 * The features in the order an explanation ranks them for its label: most supportive first, words
 * it gave no weight in text order, the most opposing last.
 */
export function rankFeatures(weights: ArrayLike<number>): number[] {
  return Array.from({ length: weights.length }, (_, i) => i).sort((a, b) => weights[b] - weights[a] || a - b);
}

export function binCounts(features: number): number[] {
  return AOPC_BINS.map((share) => Math.min(features, Math.max(1, Math.round(share * features))));
}

/** Random rankings the budget fits after the explanation's own distinct rows (at least one). */
function randomRankingsFor(counts: readonly number[], budget: number): number {
  const distinctRows = 2 * new Set(counts).size;
  return Math.max(1, Math.floor((budget - distinctRows) / distinctRows));
}

/** Rows planAopc plans for `features` words, before identical rows are merged. */
export function aopcPlanRows(features: number, budget = AOPC_RUN_BUDGET): number {
  const counts = binCounts(features);
  return 1 + (1 + randomRankingsFor(counts, budget)) * 2 * counts.length;
}

export function planAopc(ranking: readonly number[], seed: number, budget = AOPC_RUN_BUDGET): AopcPlan {
  const features = ranking.length;
  const counts = binCounts(features);
  const randomRankings = randomRankingsFor(counts, budget);
  const random = createRandom(seed);
  const scratch = Int32Array.from({ length: features }, (_, i) => i);
  const rankings = [ranking, ...Array.from({ length: randomRankings }, () => Array.from(sampleWithoutReplacement(random, scratch, features)))];
  const rowsPerRanking = 2 * counts.length;
  const data = new Uint8Array(rankings.length * rowsPerRanking * features);
  rankings.forEach((order, r) => {
    counts.forEach((count, b) => {
      const removeTop = (r * rowsPerRanking + b) * features;
      const keepTop = (r * rowsPerRanking + counts.length + b) * features;
      data.fill(1, removeTop, removeTop + features);
      for (let i = 0; i < count; i++) {
        data[removeTop + order[i]] = 0;
        data[keepTop + order[i]] = 1;
      }
    });
  });
  const rows: Perturbations = { rows: rankings.length * rowsPerRanking, features, data };
  return { counts, randomRankings, perturbations: concatPerturbations([unperturbedRow(features), rows]) };
}

/** `scores[r]` is the label's probability on plan row r. */
export function aopcFromScores(plan: AopcPlan, scores: ArrayLike<number>): AopcResult {
  const bins = plan.counts.length;
  const full = scores[0];
  const mean = (ranking: number, offset: number) => {
    let sum = 0;
    for (let b = 0; b < bins; b++) sum += full - scores[1 + ranking * 2 * bins + offset + b];
    return sum / bins;
  };
  let comprehensiveness = 0;
  let sufficiency = 0;
  for (let r = 1; r <= plan.randomRankings; r++) {
    comprehensiveness += mean(r, 0);
    sufficiency += mean(r, bins);
  }
  return {
    comprehensiveness: { aopc: mean(0, 0), random: comprehensiveness / plan.randomRankings },
    sufficiency: { aopc: mean(0, bins), random: sufficiency / plan.randomRankings },
    counts: plan.counts,
    randomRankings: plan.randomRankings,
  };
}
