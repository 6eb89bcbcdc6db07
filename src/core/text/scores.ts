import { GlassboxError } from '../contract/errors';
import type { LabelScore } from '../contract/types';

/** Pairs labels with probabilities, highest first; equal scores keep the model's label order. */
export function rankScores(labels: readonly string[], probabilities: ArrayLike<number>): LabelScore[] {
  if (labels.length !== probabilities.length) {
    throw new GlassboxError(
      'MODEL_INVALID',
      `The model returned ${probabilities.length} scores for ${labels.length} labels; config.json id2label does not match the model's output layer.`,
    );
  }
  return labels
    .map((label, index) => ({ label, score: probabilities[index], index }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map(({ label, score }) => ({ label, score }));
}
