/**
 * Integrated Gradients or gradient x input through an engine that can take gradients (the TF.js
 * BERT): the engine attributes the label's probability to each piece of the text, and a word's
 * weight is the sum over its pieces, every occurrence included, as LIME's words are.
 */
import { GlassboxError } from '../../src/core/contract/errors';
import { unperturbedRow } from '../../src/core/explain/lime';
import { untilAborted } from './slot';
import { chooseLabels, topFeatures, type MethodContext, type MethodOutcome } from './method';

export async function explainWithGradient({ indexed, settings, evaluator, deps, meter }: MethodContext): Promise<MethodOutcome> {
  if (!deps.attributions) {
    throw new GlassboxError('BACKEND_UNAVAILABLE', 'The gradient method needs the TF.js engine, which cannot run here; choose occlusion, lime or kernelshap.');
  }
  const features = indexed.features.length;
  const [original] = await evaluator.evaluate(unperturbedRow(features), (done) => meter.add(done));
  const labels = chooseLabels(settings, original);
  let first: Awaited<ReturnType<NonNullable<typeof deps.attributions>>> | undefined;
  const weights = [];
  for (const labelIndex of labels) {
    const attributed = await untilAborted(deps.attributions(indexed.pieces, labelIndex, settings.gradient), deps.signal);
    first ??= attributed;
    meter.add(settings.gradient.steps);
    const all = new Float64Array(features);
    indexed.pieceFeature.forEach((feature, piece) => {
      if (feature >= 0) all[feature] += attributed.perPiece[piece];
    });
    weights.push({
      labelIndex,
      all,
      reported: topFeatures(all, settings.numFeatures),
      intercept: attributed.baseline,
      localPrediction: attributed.baseline + attributed.total,
    });
  }
  return {
    labels: weights,
    original,
    samples: settings.gradient.steps,
    extraRuns: settings.gradient.steps * labels.length,
    gradient: {
      ...settings.gradient,
      completenessError: Math.abs(first!.total - (first!.full - first!.baseline)),
      engine: first!.engine,
      backend: first!.backend,
      ...(first!.note ? { note: first!.note } : {}),
    },
  };
}
