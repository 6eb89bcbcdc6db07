/** What every explanation method gets and gives back, so the runner can treat them alike. */
import type { GradientInfo, Stability } from '../../src/core/contract/explanation-types';
import type { IndexedWords } from '../../src/core/explain/words';
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

/**
 * Adaptive sampling's stopping rule, shared by the sampling methods: true once each label's top-k
 * words and their signs have stayed the same for `stableRounds` rounds in a row. Never true
 * without adaptive sampling, which draws one round of numSamples.
 */
export class TopWordsWatch {
  private signature = '';
  private unchangedRounds = 0;

  constructor(private readonly adaptive: Settings['adaptive']) {}

  settled(labels: readonly { reported: readonly ReportedWeight[] }[]): boolean {
    if (!this.adaptive) return false;
    const next = topWordsSignature(labels, this.adaptive.topK);
    this.unchangedRounds = next === this.signature ? this.unchangedRounds + 1 : 0;
    this.signature = next;
    return this.unchangedRounds >= this.adaptive.stableRounds;
  }
}

/** Identifies each label's top-k words with their signs, ignoring their order within the top k. */
function topWordsSignature(labels: readonly { reported: readonly ReportedWeight[] }[], topK: number): string {
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
