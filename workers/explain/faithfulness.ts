/**
 * Checks an explanation against the model: ERASER comprehensiveness and sufficiency (src/core/explain/aopc.ts)
 * on every explanation, and the deletion curve the page draws on request.
 */
import { aopcFromScores, planAopc, rankFeatures, type AopcResult } from '../../src/core/explain/aopc';
import { GlassboxError } from '../../src/core/contract/errors';
import type { DeletionCurve, DeletionOptions, LabelExplanation } from '../../src/core/contract/explanation-types';
import { deletionCurveFromScores, planDeletionCurve, supportiveWords } from '../../src/core/explain/faithfulness';
import { BatchEvaluator, ProgressMeter, type ExplainRunnerDeps } from './evaluator';
import { EXPLAIN_DEFAULTS, positiveInteger, seedValue } from './options';
import { indexText } from './words';

/** Comprehensiveness and sufficiency of `weights` (one per feature) for one label, and the runs it took. */
export async function measureAopc(
  weights: ArrayLike<number>,
  labelIndex: number,
  seed: number,
  evaluator: BatchEvaluator,
  meter: ProgressMeter,
): Promise<AopcResult & { modelRuns: number }> {
  const before = evaluator.evaluated;
  const plan = planAopc(rankFeatures(weights), seed);
  const outputs = await evaluator.evaluate(plan.perturbations, (done) => meter.add(done));
  const result = aopcFromScores(
    plan,
    outputs.map((row) => row[labelIndex]),
  );
  return { ...result, modelRuns: evaluator.evaluated - before };
}

/**
 * The deletion curve for one explained label: the label's probability as the explanation's most
 * supportive words are deleted, against deleting as many random words.
 */
export async function runDeletionCurve(
  text: string,
  explained: Pick<LabelExplanation, 'label' | 'labelIndex' | 'weights'>,
  options: DeletionOptions & { maxFeatures?: number },
  deps: ExplainRunnerDeps,
): Promise<DeletionCurve> {
  const maxFeatures = positiveInteger(options.maxFeatures, EXPLAIN_DEFAULTS.maxFeatures, 'maxFeatures');
  const indexed = indexText(text, maxFeatures);
  if (!Number.isInteger(explained.labelIndex) || explained.labelIndex < 0 || explained.labelIndex >= deps.labels.length) {
    throw new GlassboxError('BAD_INPUT', `Label index ${explained.labelIndex} is not one of the model's ${deps.labels.length} labels.`);
  }
  const plan = planDeletionCurve(indexed, supportiveWords(explained.weights), {
    maxK: positiveInteger(options.maxK, 10, 'maxK'),
    randomDraws: positiveInteger(options.randomDraws, 10, 'randomDraws'),
    seed: seedValue(options.seed),
  });
  const meter = new ProgressMeter(plan.perturbations.rows, 0, deps.onProgress);
  const outputs = await new BatchEvaluator(indexed, deps).evaluate(plan.perturbations, (rows) => meter.add(rows));
  const scores = outputs.map((probabilities) => probabilities[explained.labelIndex]);
  return { label: explained.label, labelIndex: explained.labelIndex, ...deletionCurveFromScores(plan, scores) };
}
