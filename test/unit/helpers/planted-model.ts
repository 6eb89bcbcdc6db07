import { explainLabels, samplePerturbations, type SurrogateFit } from '../../../src/core/explain/lime';
import { indexWords, removeWords } from '../../../src/core/explain/words';

/**
 * A classifier whose truth is known: a linear bag-of-words scorer with planted word weights per
 * label (a word counts once however often it occurs, like LIME's features), through a softmax.
 */
export function plantedModel(weightsByLabel: Record<string, number>[]) {
  return (text: string): Float32Array => {
    const present = new Set(indexWords(text).features);
    const scores = weightsByLabel.map((weights) => {
      let score = 0;
      for (const word of present) score += weights[word] ?? 0;
      return score;
    });
    const max = Math.max(...scores);
    const exps = scores.map((s) => Math.exp(s - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    return Float32Array.from(exps, (e) => e / sum);
  };
}

/** The core pipeline end to end, synchronously, as the worker runs it. */
export function explainWithModel(
  text: string,
  model: (text: string) => Float32Array,
  options: { numSamples: number; seed: number; numFeatures: number; labels: number[] },
): { fits: SurrogateFit[]; vocabulary: string[] } {
  const indexed = indexWords(text);
  const features = indexed.features.length;
  const perturbations = samplePerturbations(features, options.numSamples, options.seed);
  const probabilities = Array.from({ length: perturbations.rows }, (_, r) =>
    model(removeWords(indexed, perturbations.data.subarray(r * features, (r + 1) * features))),
  );
  const fits = explainLabels(perturbations, probabilities, options.labels, {
    numFeatures: options.numFeatures,
    featureSelection: 'auto',
  });
  return { fits, vocabulary: indexed.features };
}

export const REVIEW =
  'The plot was excellent and the acting superb, although the middle felt boring and one scene ' +
  'was frankly awful. Still, the music, the camera work and the cast made the evening worth it; ' +
  'an excellent film for a rainy weekend with friends.';

/** Label 1 ("positive") has planted word weights; label 0 is the reference class at score 0. */
export const SENTIMENT = plantedModel([{}, { excellent: 2.5, superb: 1.5, boring: -1.2, awful: -2.5 }]);
