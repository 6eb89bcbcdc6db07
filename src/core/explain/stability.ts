/**
 * How much a sampling explanation would change with other samples, from the samples already drawn
 * (no extra model runs): a bootstrap spread per word, and the agreement of the top words fitted on
 * two halves of the samples.
 */
import type { WordWeight } from '../contract/explanation-types';
import { createRandom, randomInt } from './random';

/** Bootstrap resamples per explanation: enough for a spread to about 10%, cheap next to the model. */
export const BOOTSTRAP_DRAWS = 40;
/** The top words whose agreement between two halves of the samples is reported. */
const AGREEMENT_K = 5;

/** How many top words the agreement compares: 5, or fewer when the explanation reports fewer. */
export function agreementK(numFeatures: number): number {
  return Math.min(AGREEMENT_K, numFeatures);
}

/** Share of the first k words (by |weight|) of `a` that are also among the first k of `b`. */
export function topKAgreement(a: readonly WordWeight[], b: readonly WordWeight[], k: number): number {
  const top = (weights: readonly WordWeight[]) =>
    [...weights].sort((p, q) => Math.abs(q.weight) - Math.abs(p.weight)).slice(0, k).map((w) => w.word);
  const first = top(a);
  if (first.length === 0) return 1;
  const second = new Set(top(b));
  return first.filter((word) => second.has(word)).length / first.length;
}

/**
 * Standard deviation of each refitted value over bootstrap resamples of `units` (groups of rows
 * drawn with replacement). `refit` gets each unit's multiplicity and returns one value per feature.
 */
export function bootstrapSpread(units: number, seed: number, refit: (multiplicity: Float64Array) => ArrayLike<number>, draws = BOOTSTRAP_DRAWS): Float64Array {
  const random = createRandom(seed);
  const multiplicity = new Float64Array(units);
  let sums: Float64Array | undefined;
  let squares: Float64Array | undefined;
  for (let d = 0; d < draws; d++) {
    multiplicity.fill(0);
    for (let i = 0; i < units; i++) multiplicity[randomInt(random, 0, units)] += 1;
    const values = refit(multiplicity);
    sums ??= new Float64Array(values.length);
    squares ??= new Float64Array(values.length);
    for (let f = 0; f < values.length; f++) {
      sums[f] += values[f];
      squares[f] += values[f] * values[f];
    }
  }
  if (!sums || !squares) return new Float64Array(0);
  return sums.map((sum, f) => Math.sqrt(Math.max(0, squares![f] / draws - (sum / draws) ** 2)));
}
