/** Explanation options in, validated settings out: every default and bound in one place. */
import { GlassboxError } from '../../src/core/contract/errors';
import {
  EXPLAIN_METHODS,
  GRADIENT_BASELINES,
  GRADIENT_VARIANTS,
  SHAP_LINKS,
  type AdaptiveOptions,
  type ExplainMethod,
  type ExplainOptions,
  type FeatureSelection,
  type GradientBaseline,
  type GradientVariant,
  type ShapLink,
} from '../../src/core/contract/explanation-types';

export const EXPLAIN_DEFAULTS = {
  method: 'lime' as ExplainMethod,
  numFeatures: 10,
  /** Per sampling method: LIME's reference default, and Kernel SHAP's budget (see the explain benchmark). */
  numSamples: { lime: 5000, kernelshap: 400 },
  seed: 0,
  featureSelection: 'auto' as FeatureSelection,
  maxFeatures: 300,
  roundSize: 500,
  stableRounds: 3,
  topK: 5,
  batchSize: 32,
  gradientSteps: 20,
};
/** Keeps one explanation's samples (and their model outputs) within a browser tab's memory. */
export const MAX_SAMPLES = 50_000;
/** Integrated Gradients' steps run as one batch through forward and backward passes. */
export const MAX_GRADIENT_STEPS = 300;

const FEATURE_SELECTIONS: readonly FeatureSelection[] = ['auto', 'forward_selection', 'highest_weights', 'none'];

export interface Settings {
  method: ExplainMethod;
  numFeatures: number;
  numSamples: number;
  labels: number[] | null;
  topLabels: number;
  seed: number;
  featureSelection: FeatureSelection;
  maxFeatures: number;
  adaptive: { roundSize: number; stableRounds: number; topK: number } | null;
  gradient: { variant: GradientVariant; steps: number; baseline: GradientBaseline };
  link: ShapLink;
  faithfulness: boolean;
}

export function resolveOptions(options: ExplainOptions, labelCount: number): Settings {
  if (labelCount < 1) throw new GlassboxError('MODEL_INVALID', 'The model declares no labels, so there is nothing to explain; check its config.json id2label.');
  const method = options.method ?? EXPLAIN_DEFAULTS.method;
  if (!EXPLAIN_METHODS.includes(method)) {
    throw new GlassboxError('BAD_INPUT', `Unknown explanation method "${String(method)}": use ${EXPLAIN_METHODS.join(', ')}.`);
  }
  const numFeatures = positiveInteger(options.numFeatures, EXPLAIN_DEFAULTS.numFeatures, 'numFeatures');
  const defaultSamples = method === 'kernelshap' ? EXPLAIN_DEFAULTS.numSamples.kernelshap : EXPLAIN_DEFAULTS.numSamples.lime;
  const numSamples = positiveInteger(options.numSamples, defaultSamples, 'numSamples');
  if (numSamples < 2 || numSamples > MAX_SAMPLES) {
    throw new GlassboxError('BAD_INPUT', `numSamples must be between 2 and ${MAX_SAMPLES}; got ${numSamples}.`);
  }
  const featureSelection = options.featureSelection ?? EXPLAIN_DEFAULTS.featureSelection;
  if (!FEATURE_SELECTIONS.includes(featureSelection)) {
    throw new GlassboxError('BAD_INPUT', `featureSelection must be one of ${FEATURE_SELECTIONS.join(', ')}; got "${String(featureSelection)}".`);
  }
  if (options.labels !== undefined && options.topLabels !== undefined) {
    throw new GlassboxError('BAD_INPUT', 'Give labels or topLabels, not both.');
  }
  const labels = options.labels ?? null;
  if (labels !== null) {
    const valid = (label: number) => Number.isInteger(label) && label >= 0 && label < labelCount;
    if (labels.length === 0 || !labels.every(valid) || new Set(labels).size !== labels.length) {
      throw new GlassboxError('BAD_INPUT', `labels must be distinct label indices from 0 to ${labelCount - 1}; got [${labels.join(', ')}].`);
    }
  }
  // Each label costs the gradient method its own backward passes, so it explains the predicted one unless asked.
  const topLabels = positiveInteger(options.topLabels, method === 'gradient' ? 1 : labelCount, 'topLabels');
  if (topLabels > labelCount) {
    throw new GlassboxError('BAD_INPUT', `topLabels can be at most ${labelCount}, the model's number of labels; got ${topLabels}.`);
  }
  const adaptive: AdaptiveOptions | null = options.adaptive === true ? {} : options.adaptive || null;
  return {
    method,
    numFeatures,
    numSamples,
    labels,
    topLabels,
    seed: seedValue(options.seed),
    featureSelection,
    maxFeatures: positiveInteger(options.maxFeatures, EXPLAIN_DEFAULTS.maxFeatures, 'maxFeatures'),
    adaptive: adaptive && {
      roundSize: positiveInteger(adaptive.roundSize, EXPLAIN_DEFAULTS.roundSize, 'adaptive.roundSize'),
      stableRounds: positiveInteger(adaptive.stableRounds, EXPLAIN_DEFAULTS.stableRounds, 'adaptive.stableRounds'),
      topK: positiveInteger(adaptive.topK, Math.min(EXPLAIN_DEFAULTS.topK, numFeatures), 'adaptive.topK'),
    },
    gradient: gradientSettings(options.gradient ?? {}),
    link: choice(options.link, SHAP_LINKS, 'link'),
    faithfulness: booleanOption(options.faithfulness, true, 'faithfulness'),
  };
}

function gradientSettings(options: NonNullable<ExplainOptions['gradient']>): Settings['gradient'] {
  const variant = choice(options.variant, GRADIENT_VARIANTS, 'gradient.variant');
  const baseline = choice(options.baseline, GRADIENT_BASELINES, 'gradient.baseline');
  const steps = variant === 'input' ? 1 : positiveInteger(options.steps, EXPLAIN_DEFAULTS.gradientSteps, 'gradient.steps');
  if (steps > MAX_GRADIENT_STEPS) throw new GlassboxError('BAD_INPUT', `gradient.steps can be at most ${MAX_GRADIENT_STEPS}; got ${steps}.`);
  return { variant, steps, baseline };
}

/** `value`, one of `allowed`; the first of them when absent. */
function choice<T extends string>(value: T | undefined, allowed: readonly T[], name: string): T {
  if (value === undefined) return allowed[0];
  if (!allowed.includes(value)) throw new GlassboxError('BAD_INPUT', `${name} must be one of ${allowed.join(', ')}; got "${String(value)}".`);
  return value;
}

function booleanOption(value: boolean | undefined, fallback: boolean, name: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new GlassboxError('BAD_INPUT', `${name} must be true or false; got ${JSON.stringify(value)}.`);
  return value;
}

export function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new GlassboxError('BAD_INPUT', `${name} must be a whole number of at least 1; got ${String(value)}.`);
  }
  return value;
}

export function seedValue(seed: number | undefined): number {
  if (seed === undefined) return EXPLAIN_DEFAULTS.seed;
  if (!Number.isSafeInteger(seed)) throw new GlassboxError('BAD_INPUT', `seed must be a whole number; got ${String(seed)}.`);
  return seed;
}
