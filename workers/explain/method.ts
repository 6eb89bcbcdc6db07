/** What every explanation method gets and gives back, so the runner can treat them alike. */
import type { GradientInfo, Stability } from '../../src/core/explanation-types';
import type { IndexedWords } from '../../src/core/words';
import type { BatchEvaluator, ExplainRunnerDeps, ProgressMeter } from './evaluator';
import type { Settings } from './options';

export interface MethodContext {
  indexed: IndexedWords;
  settings: Settings;
  evaluator: BatchEvaluator;
  deps: ExplainRunnerDeps;
  meter: ProgressMeter;
}

export interface ReportedWeight {
  feature: number;
  weight: number;
  spread?: number;
}

export interface LabelWeights {
  labelIndex: number;
  /** A weight for every feature: the full ranking the faithfulness check reads. */
  all: Float64Array;
  /** The words reported, largest |weight| first. */
  reported: ReportedWeight[];
  intercept?: number;
  r2?: number;
  localPrediction?: number;
}

export interface MethodOutcome {
  labels: LabelWeights[];
  /** The model's probabilities on the unperturbed text. */
  original: Float32Array;
  /** Rows planned (sampling methods: the samples; gradient: the steps). */
  samples: number;
  /** Model runs that are not perturbed texts (the gradient's forward and backward passes). */
  extraRuns?: number;
  adaptive?: { rounds: number; converged: boolean };
  stability?: Stability;
  gradient?: GradientInfo;
}

export type ExplainMethodRunner = (context: MethodContext) => Promise<MethodOutcome>;

/** Explicit labels in the order given, else the topLabels most probable on the unperturbed text. */
export function chooseLabels(settings: Settings, original: Float32Array): number[] {
  if (settings.labels) return settings.labels;
  const byProbability = Array.from(original.keys()).sort((a, b) => original[b] - original[a]);
  return byProbability.slice(0, settings.topLabels);
}

/** The `count` largest |weight| features, largest first (ties keep feature order). */
export function topFeatures(all: ArrayLike<number>, count: number, spread?: ArrayLike<number>): ReportedWeight[] {
  return Array.from({ length: all.length }, (_, feature) => feature)
    .sort((a, b) => Math.abs(all[b]) - Math.abs(all[a]) || a - b)
    .slice(0, count)
    .map((feature) => ({ feature, weight: all[feature], ...(spread ? { spread: spread[feature] } : {}) }));
}

/** Identifies each label's top-k words with their signs, ignoring their order within the top k. */
export function topWordsSignature(labels: readonly { reported: readonly ReportedWeight[] }[], topK: number): string {
  return labels
    .map((label) =>
      label.reported
        .slice(0, topK)
        .map((w) => `${w.weight >= 0 ? '+' : '-'}${w.feature}`)
        .sort()
        .join(','),
    )
    .join('|');
}
