/** Shapes of explanations: options in, results out. Plain data, so they cross Comlink as is. */

/**
 * How a prediction is explained. All four use LIME's words (every occurrence of a word is one
 * feature): `occlusion` leaves one word out at a time, `lime` fits a weighted ridge to random
 * removals, `kernelshap` estimates Shapley values from paired coalitions, and `gradient` is
 * Integrated Gradients (or gradient x input) through the TF.js BERT.
 */
export const EXPLAIN_METHODS = Object.freeze(['occlusion', 'lime', 'kernelshap', 'gradient'] as const);
export type ExplainMethod = (typeof EXPLAIN_METHODS)[number];
/** The methods that sample perturbations, so take a number of samples and can be drawn again with another seed. */
export const SAMPLING_METHODS = Object.freeze(['lime', 'kernelshap'] as const);
export type SamplingMethod = (typeof SAMPLING_METHODS)[number];

export function isSamplingMethod(method: ExplainMethod): method is SamplingMethod {
  return (SAMPLING_METHODS as readonly ExplainMethod[]).includes(method);
}

/**
 * The scale Kernel SHAP explains on: the label's probability, or its log-odds log(p / (1 - p)), as
 * shap's KernelExplainer(link="logit"). A classifier is far more additive in log-odds than in a
 * softmax probability that saturates, so its Shapley values there vary less from sample to sample.
 */
export const SHAP_LINKS = Object.freeze(['logit', 'identity'] as const);
export type ShapLink = (typeof SHAP_LINKS)[number];

export const GRADIENT_VARIANTS = Object.freeze(['integrated', 'input'] as const);
export type GradientVariant = (typeof GRADIENT_VARIANTS)[number];
export const GRADIENT_BASELINES = Object.freeze(['pad', 'zero'] as const);
export type GradientBaseline = (typeof GRADIENT_BASELINES)[number];

export interface GradientOptions {
  /** 'integrated' (default): Integrated Gradients; 'input': gradient x input, one backward pass. */
  variant?: GradientVariant;
  /** Integration steps (default 20). */
  steps?: number;
  /** What the words' embeddings start from: the [PAD] token's (default) or zeros. */
  baseline?: GradientBaseline;
}

/** How the surrogate's words are chosen, as in the reference `lime` package. */
export type FeatureSelection = 'auto' | 'forward_selection' | 'highest_weights' | 'none';

/** Adaptive sampling: draw samples in rounds and stop once the top words have settled. */
export interface AdaptiveOptions {
  /** Samples drawn per round (default 500). */
  roundSize?: number;
  /** Consecutive rounds the top words and signs must stay unchanged before stopping (default 3). */
  stableRounds?: number;
  /** How many top words must be stable (default: 5, or numFeatures when smaller). */
  topK?: number;
}

export interface ExplainOptions {
  /** Default 'lime'. */
  method?: ExplainMethod;
  /** Words in each explanation (default 10). */
  numFeatures?: number;
  /**
   * Sampling methods: perturbed samples, the unperturbed text included (default 5000 for lime,
   * 400 for kernelshap); the maximum in adaptive mode.
   */
  numSamples?: number;
  /** Label indices to explain. Give this or topLabels, not both. */
  labels?: number[];
  /** Explain the k most probable labels (default: every label, most probable first). */
  topLabels?: number;
  /** Same seed, same text, same model: same explanation (default 0). */
  seed?: number;
  /** Default 'auto': forward selection for at most 6 words, else highest weights. */
  featureSelection?: FeatureSelection;
  /**
   * At most this many distinct words are varied (default 300): the first ones in the text, since
   * the model truncates long texts anyway. Explanation.capped says when this applied.
   */
  maxFeatures?: number;
  /** Sampling methods: off by default; `true` uses the default rounds. */
  adaptive?: boolean | AdaptiveOptions;
  /** kernelshap: explain the label's log-odds ('logit', default) or its probability ('identity'). */
  link?: ShapLink;
  /** The gradient method's settings. */
  gradient?: GradientOptions;
  /** Measure comprehensiveness and sufficiency (about 20 extra model runs); default true. */
  faithfulness?: boolean;
}

export interface WordWeight {
  word: string;
  /** Positive pushes towards the label, negative away from it. */
  weight: number;
  /** Sampling methods: the weight's bootstrap standard deviation over the samples drawn. */
  spread?: number;
}

/** One explained label: its words' weights, and for lime and kernelshap the surrogate's fit. */
export interface LabelExplanation {
  label: string;
  labelIndex: number;
  /** The model's probability for this label on the unperturbed text. */
  probability: number;
  /** Sorted by |weight|, largest first. */
  weights: WordWeight[];
  /**
   * lime: the surrogate's intercept; kernelshap: the probability with no words (the base value);
   * gradient: the probability at the baseline. Absent for occlusion.
   */
  intercept?: number;
  /** Weighted R^2 of the surrogate on the samples (lime, kernelshap): how well a linear model of words fits here. */
  r2?: number;
  /** intercept plus every word's weight: the surrogate's prediction for the text (absent for occlusion). */
  localPrediction?: number;
}

/** The gradient method's settings once resolved. */
export interface GradientSettings {
  variant: GradientVariant;
  steps: number;
  baseline: GradientBaseline;
}

/** An engine's gradient attributions for one label's probability, per piece of the text. */
export interface PieceAttributions {
  /** Per piece (word or separator, in order): the sum over its tokens; 0 for pieces the token window cut. */
  perPiece: Float64Array;
  /** Sum over every token, special tokens included: what completeness compares with full - baseline. */
  total: number;
  /** The label's probability on the text, and at the baseline. */
  full: number;
  baseline: number;
  engine: string;
  backend: string;
  /** Set when the gradients ran on an engine other than the loaded one. */
  note?: string;
}

/** One faithfulness measure: the explanation's AOPC against random rankings of the same words. */
export interface AopcScore {
  aopc: number;
  random: number;
}

/** Stability of a sampling explanation, from the samples it drew (no extra model runs). */
export interface Stability {
  /** Share of the top 5 words that a fit on each half of the samples agree on (0..1). */
  topKAgreement: number;
  k: number;
  /** Bootstrap resamples behind each word's `spread`. */
  bootstrapDraws: number;
}

/** What the gradient method computed, so its numbers can be checked. */
export interface GradientInfo {
  variant: GradientVariant;
  baseline: GradientBaseline;
  steps: number;
  /** |sum of every token's attribution - (f(text) - f(baseline))|: Integrated Gradients' completeness error. */
  completenessError: number;
  /** The engine and backend the gradients ran on, and why when it is not the loaded one. */
  engine: string;
  backend: string;
  note?: string;
}

/**
 * The top-level label fields describe the first explained label (the predicted one by default), so
 * the object is also the `gb-explanation` event detail; `perLabel` holds every explained label.
 */
export interface Explanation extends LabelExplanation {
  text: string;
  method: ExplainMethod;
  /**
   * What the weights, intercept and localPrediction are in: the label's probability, or its
   * log-odds (kernelshap with the logit link).
   */
  scale: 'probability' | 'log-odds';
  /** Distinct texts the model ran to compute the weights (faithfulness's runs not included). */
  modelRuns: number;
  /** ERASER comprehensiveness (higher is more faithful) for the first label; absent when switched off. */
  comprehensiveness?: AopcScore;
  /** ERASER sufficiency (lower is more faithful) for the first label. */
  sufficiency?: AopcScore;
  /** Words removed or kept per bin (1, 5, 10, 20, 50% of the words), random rankings, and the model runs the check took. */
  faithfulness?: { counts: number[]; randomRankings: number; modelRuns: number; betterThanRandom: boolean };
  /** Sampling methods only. */
  stability?: Stability;
  /** The gradient method only. */
  gradient?: GradientInfo;
  /** Samples used, the unperturbed text included (for occlusion: n + 1; for gradient: the steps). */
  samples: number;
  /** Distinct perturbed texts actually run through the model (identical ones run once). */
  evaluated: number;
  ms: number;
  seed: number;
  perLabel: LabelExplanation[];
  /** Distinct words in the text, and how many of them were varied. */
  distinctWords: number;
  features: number;
  /** True when the text had more distinct words than maxFeatures. */
  capped: boolean;
  /** Present in adaptive mode: rounds drawn and whether the top words settled before numSamples. */
  adaptive?: { rounds: number; converged: boolean };
}

export interface ExplainProgress {
  phase: 'explain';
  /** Model runs whose output is known. */
  loaded: number;
  total: number;
  /** 0..1 */
  progress: number;
}

/** Faithfulness check: the label's probability as words are deleted, LIME's top words vs random ones. */
export interface DeletionCurve {
  label: string;
  labelIndex: number;
  /** Words deleted in LIME order (most supportive of the label first). */
  words: string[];
  /** probability[k] after deleting the first k of `words`; index 0 is the unperturbed text. */
  lime: number[];
  /** Mean probability after deleting k words drawn at random, over `randomDraws` draws. */
  random: number[];
  randomDraws: number;
}

/** How a deletion curve is drawn. */
export interface DeletionOptions {
  /** Largest number of words deleted (default 10). */
  maxK?: number;
  /** Random deletions averaged for each k (default 10). */
  randomDraws?: number;
  seed?: number;
}
