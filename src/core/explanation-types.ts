/** Shapes of LIME explanations: options in, results out. Plain data, so they cross Comlink as is. */

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
  /** Words in each explanation (default 10). */
  numFeatures?: number;
  /** Perturbed samples, the unperturbed text included (default 5000); the maximum in adaptive mode. */
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
  /** Off by default; `true` uses the default rounds. */
  adaptive?: boolean | AdaptiveOptions;
}

export interface WordWeight {
  word: string;
  /** Positive pushes towards the label, negative away from it. */
  weight: number;
}

/** The weighted-ridge surrogate fitted for one label. */
export interface LabelExplanation {
  label: string;
  labelIndex: number;
  /** The model's probability for this label on the unperturbed text. */
  probability: number;
  /** Sorted by |weight|, largest first. */
  weights: WordWeight[];
  intercept: number;
  /** Weighted R^2 of the surrogate on the samples: how well a linear model of words fits here. */
  r2: number;
  /** The surrogate's prediction for the unperturbed text. */
  localPrediction: number;
}

/**
 * The top-level label fields describe the first explained label (the predicted one by default), so
 * the object is also the `gb-explanation` event detail; `perLabel` holds every explained label.
 */
export interface Explanation extends LabelExplanation {
  text: string;
  /** Samples used, the unperturbed text included. */
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
  /** Samples whose model output is known. */
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
