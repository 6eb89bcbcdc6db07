/**
 * Leave-one-word-out (occlusion): the text, then the text without each word in turn (every
 * occurrence removed, as LIME removes a word). A word's weight is how much the label's probability
 * drops without it: n + 1 model runs for n words, and no sampling, so it is the same every time.
 */
import { concatPerturbations, unperturbedRow, type Perturbations } from './lime';

/** Row 0 keeps every word; row f + 1 removes word f. */
export function occlusionRows(features: number): Perturbations {
  const data = new Uint8Array(features * features).fill(1);
  for (let f = 0; f < features; f++) data[f * features + f] = 0;
  return concatPerturbations([unperturbedRow(features), { rows: features, features, data }]);
}

/** Per word: p(label | text) - p(label | text without the word). `scores[r]` is the label's probability on row r. */
export function occlusionWeights(scores: ArrayLike<number>, features: number): Float64Array {
  return Float64Array.from({ length: features }, (_, f) => scores[0] - scores[f + 1]);
}
