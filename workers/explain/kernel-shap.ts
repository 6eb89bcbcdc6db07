/**
 * Kernel SHAP (src/core/explain/kernel-shap.ts) of the label's log-odds (or probability, with the identity
 * link): the anchors first (the text, and no words), then paired
 * coalitions up to the budget, or every coalition when that fits; in adaptive rounds that stop
 * once the top words settle. Stability comes from the pairs already drawn: a bootstrap over
 * pairs, and the agreement of solutions on the odd and even pairs.
 */
import {
  anchors,
  canEnumerate,
  createCoalitionSampler,
  enumerateCoalitions,
  pairWeights,
  sampledCoalitions,
  solveShapley,
  type Coalitions,
} from '../../src/core/explain/kernel-shap';
import type { ShapLink } from '../../src/core/contract/explanation-types';
import type { Perturbations } from '../../src/core/explain/lime';
import { agreementK, bootstrapSpread, BOOTSTRAP_DRAWS, topKAgreement } from '../../src/core/explain/stability';
import { chooseLabels, topFeatures, TopWordsWatch, type LabelWeights, type MethodContext, type MethodOutcome } from './method';

/** Probabilities are float32: 1e-7 keeps log-odds finite (about ±16) where one rounds to 0 or 1. */
const LOGIT_CLAMP = 1e-7;

export async function explainWithKernelShap({ indexed, settings, evaluator, meter }: MethodContext): Promise<MethodOutcome> {
  const features = indexed.features.length;
  const report = (done: number) => meter.add(done);
  const anchorOutputs = await evaluator.evaluate(anchors(features), report);
  const labels = chooseLabels(settings, anchorOutputs[0]);
  const scale = linkFunction(settings.link);

  if (canEnumerate(features, settings.numSamples)) {
    const coalitions = enumerateCoalitions(features);
    const outputs = await evaluator.evaluate(coalitions.perturbations, report);
    meter.methodDone(coalitions.perturbations.rows);
    const weights = labels.map((label) => solveLabel(coalitions, outputs, label, scale, settings.numFeatures, new Float64Array(features)));
    return {
      labels: weights,
      original: outputs[0],
      samples: coalitions.perturbations.rows,
      // Every coalition was run: the values are exact, and another seed would give the same.
      stability: { topKAgreement: 1, k: agreementK(settings.numFeatures), bootstrapDraws: 0 },
    };
  }

  const sampler = createCoalitionSampler(features, settings.seed);
  const totalPairs = Math.max(1, Math.floor((settings.numSamples - 2) / 2));
  const roundPairs = settings.adaptive ? Math.max(1, Math.floor(settings.adaptive.roundSize / 2)) : totalPairs;
  const rounds: Perturbations[] = [];
  let outputs: Float32Array[] = anchorOutputs;
  let pairs = 0;
  const watch = new TopWordsWatch(settings.adaptive);
  let converged = false;
  let coalitions: Coalitions = sampledCoalitions([], features);
  let weights: LabelWeights[] = [];
  while (pairs < totalPairs && !converged) {
    const round = sampler.next(Math.min(roundPairs, totalPairs - pairs));
    outputs = outputs.concat(await evaluator.evaluate(round, report));
    rounds.push(round);
    pairs += round.rows / 2;
    coalitions = sampledCoalitions(rounds, features);
    weights = labels.map((label) => solveLabel(coalitions, outputs, label, scale, settings.numFeatures));
    converged = watch.settled(weights);
  }
  meter.methodDone(coalitions.perturbations.rows);

  // The last round's solution stands; the bootstrap only adds each reported word's spread.
  const withSpread = weights.map((label) => {
    const scores = Float64Array.from(outputs, (row) => scale(row[label.labelIndex]));
    const spread = bootstrapSpread(pairs, settings.seed, (multiplicity) => solveShapley(coalitions, scores, pairWeights(coalitions, multiplicity)).values);
    return { ...label, reported: topFeatures(label.all, settings.numFeatures, spread) };
  });
  return {
    labels: withSpread,
    original: outputs[0],
    samples: coalitions.perturbations.rows,
    stability: {
      topKAgreement: halvesAgreement(coalitions, outputs, labels[0], scale, pairs, agreementK(settings.numFeatures)),
      k: agreementK(settings.numFeatures),
      bootstrapDraws: BOOTSTRAP_DRAWS,
    },
    ...(settings.adaptive ? { adaptive: { rounds: rounds.length, converged } } : {}),
  };
}

/** The label's probability as the link sees it: its log-odds, or itself. */
function linkFunction(link: ShapLink): (probability: number) => number {
  if (link === 'identity') return (p) => p;
  // Clamped so a probability float32 rounds to 0 or 1 still has finite log-odds.
  return (p) => {
    const q = Math.min(Math.max(p, LOGIT_CLAMP), 1 - LOGIT_CLAMP);
    return Math.log(q / (1 - q));
  };
}

function solveLabel(
  coalitions: Coalitions,
  outputs: readonly Float32Array[],
  label: number,
  scale: (probability: number) => number,
  count: number,
  spread?: Float64Array,
): LabelWeights {
  const scores = Float64Array.from(outputs, (row) => scale(row[label]));
  const { values, empty, full } = solveShapley(coalitions, scores);
  return {
    labelIndex: label,
    all: values,
    reported: topFeatures(values, count, spread),
    intercept: empty,
    r2: fitR2(coalitions, scores, values, empty),
    localPrediction: full,
  };
}

/** Weighted R^2 of base value + kept words' values against the model on the coalitions. */
function fitR2(coalitions: Coalitions, scores: Float64Array, values: Float64Array, empty: number): number {
  const { rows, features, data } = coalitions.perturbations;
  let weight = 0;
  let mean = 0;
  for (let r = 2; r < rows; r++) {
    weight += coalitions.weights[r];
    mean += coalitions.weights[r] * scores[r];
  }
  if (weight === 0) return 1;
  mean /= weight;
  let residual = 0;
  let spread = 0;
  for (let r = 2; r < rows; r++) {
    let predicted = empty;
    for (let f = 0; f < features; f++) if (data[r * features + f]) predicted += values[f];
    residual += coalitions.weights[r] * (scores[r] - predicted) ** 2;
    spread += coalitions.weights[r] * (scores[r] - mean) ** 2;
  }
  return spread === 0 ? (residual === 0 ? 1 : 0) : 1 - residual / spread;
}

/** Top-k agreement of the first label's values solved on the odd and on the even pairs. */
function halvesAgreement(
  coalitions: Coalitions,
  outputs: readonly Float32Array[],
  label: number,
  scale: (probability: number) => number,
  pairs: number,
  k: number,
): number {
  if (pairs < 2) return 1;
  const scores = Float64Array.from(outputs, (row) => scale(row[label]));
  const half = (parity: number) => {
    const inHalf = Float64Array.from({ length: pairs }, (_, p) => (p % 2 === parity ? 1 : 0));
    return Array.from(solveShapley(coalitions, scores, pairWeights(coalitions, inHalf)).values, (weight, f) => ({ word: String(f), weight }));
  };
  return topKAgreement(half(0), half(1), k);
}
