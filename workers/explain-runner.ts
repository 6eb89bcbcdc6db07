/**
 * Runs LIME against a model: draws perturbations (src/core/lime.ts), evaluates them in padded
 * batches, and fits the surrogates. Independent of Comlink and of any engine: the worker passes in
 * `classify` and `tokenCount`. Speed without changing what is computed: identical perturbations run
 * once, and texts are batched by estimated token length so little padding is wasted.
 */
import { GlassboxError } from '../src/core/errors';
import type {
  AdaptiveOptions,
  DeletionCurve,
  ExplainOptions,
  ExplainProgress,
  Explanation,
  FeatureSelection,
  LabelExplanation,
} from '../src/core/explanation-types';
import {
  deletionCurveFromScores,
  planDeletionCurve,
  supportiveWords,
  type DeletionOptions,
} from '../src/core/faithfulness';
import {
  concatPerturbations,
  createPerturbationSampler,
  explainLabels,
  unperturbedRow,
  type Perturbations,
  type SurrogateFit,
} from '../src/core/lime';
import { checkText } from '../src/core/text-input';
import { hasWords, indexWords, removeWords, type IndexedWords } from '../src/core/words';

export interface ExplainRunnerDeps {
  /** Class probabilities per text, in label order. Called with one padded batch at a time. */
  classify(texts: string[]): Promise<Float32Array[]>;
  /** Tokens in a piece of text, without special tokens; only used to group texts of similar length. */
  tokenCount(text: string): number;
  labels: readonly string[];
  /** Texts per classify call (default 32). */
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?(progress: ExplainProgress): void;
  /** Milliseconds clock (default performance.now). */
  now?(): number;
}

export const EXPLAIN_DEFAULTS = {
  numFeatures: 10,
  numSamples: 5000,
  seed: 0,
  featureSelection: 'auto' as FeatureSelection,
  maxFeatures: 300,
  roundSize: 500,
  stableRounds: 3,
  topK: 5,
  batchSize: 32,
};
/** Keeps one explanation's samples (and their model outputs) within a browser tab's memory. */
export const MAX_SAMPLES = 50_000;

const FEATURE_SELECTIONS: readonly FeatureSelection[] = ['auto', 'forward_selection', 'highest_weights', 'none'];

interface Settings {
  numFeatures: number;
  numSamples: number;
  labels: number[] | null;
  topLabels: number;
  seed: number;
  featureSelection: FeatureSelection;
  maxFeatures: number;
  adaptive: { roundSize: number; stableRounds: number; topK: number } | null;
}

export async function runExplanation(
  text: string,
  options: ExplainOptions | undefined,
  deps: ExplainRunnerDeps,
): Promise<Explanation> {
  const now = deps.now ?? (() => performance.now());
  const started = now();
  const settings = resolveOptions(options ?? {}, deps.labels.length);
  const indexed = indexText(text, settings.maxFeatures);
  const evaluator = new BatchEvaluator(indexed, deps);
  const sampler = createPerturbationSampler(indexed.features.length, settings.seed);

  const total = settings.numSamples;
  let loaded = 0;
  const report = (rows: number) => {
    loaded += rows;
    deps.onProgress?.({ phase: 'explain', loaded, total, progress: loaded / total });
  };

  const roundSize = settings.adaptive?.roundSize ?? total;
  const rounds: Perturbations[] = [];
  let probabilities: Float32Array[] = [];
  let labels: number[] = [];
  let fits: SurrogateFit[] = [];
  let signature = '';
  let unchangedRounds = 0;
  let converged = false;
  let rows = 0;
  while (rows < total && !converged) {
    throwIfAborted(deps.signal);
    const size = Math.min(roundSize, total - rows);
    const round =
      rows === 0
        ? concatPerturbations([unperturbedRow(indexed.features.length), sampler.next(size - 1)])
        : sampler.next(size);
    probabilities = probabilities.concat(await evaluator.evaluate(round, report));
    rounds.push(round);
    rows += size;
    if (rounds.length === 1) labels = chooseLabels(settings, probabilities[0]);
    // Without adaptive sampling there is a single round of numSamples.
    fits = explainLabels(concatPerturbations(rounds), probabilities, labels, settings);
    if (settings.adaptive) {
      const next = topWordsSignature(fits, settings.adaptive.topK);
      unchangedRounds = next === signature ? unchangedRounds + 1 : 0;
      signature = next;
      converged = unchangedRounds >= settings.adaptive.stableRounds;
    }
  }

  const perLabel = fits.map((fit) => labelExplanation(fit, indexed, deps.labels, probabilities[0]));
  return {
    ...perLabel[0],
    text,
    samples: rows,
    evaluated: evaluator.evaluated,
    ms: Math.round(now() - started),
    seed: settings.seed,
    perLabel,
    distinctWords: indexed.distinctWords,
    features: indexed.features.length,
    capped: indexed.features.length < indexed.distinctWords,
    ...(settings.adaptive ? { adaptive: { rounds: rounds.length, converged } } : {}),
  };
}

/**
 * The faithfulness deletion curve for one explained label: the label's probability as LIME's most
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
  const total = plan.perturbations.rows;
  let loaded = 0;
  const outputs = await new BatchEvaluator(indexed, deps).evaluate(plan.perturbations, (rows) => {
    loaded += rows;
    deps.onProgress?.({ phase: 'explain', loaded, total, progress: loaded / total });
  });
  const scores = outputs.map((probabilities) => probabilities[explained.labelIndex]);
  return { label: explained.label, labelIndex: explained.labelIndex, ...deletionCurveFromScores(plan, scores) };
}

/**
 * One explanation at a time: starting one aborts the one still running, which then rejects with
 * SUPERSEDED; cancel() makes it reject with CANCELLED.
 */
export class ExplanationSlot {
  private current: AbortController | null = null;

  start(): AbortSignal {
    this.supersede();
    this.current = new AbortController();
    return this.current.signal;
  }

  /** Stops the running explanation as SUPERSEDED without starting another, e.g. when its text was replaced. */
  supersede(): void {
    this.current?.abort(new GlassboxError('SUPERSEDED', 'A newer text replaced this explanation; its result is on the way.'));
    this.current = null;
  }

  cancel(): void {
    this.current?.abort(cancelledError());
    this.current = null;
  }

  /** Call when the explanation started with `signal` has settled. */
  finish(signal: AbortSignal): void {
    if (this.current?.signal === signal) this.current = null;
  }
}

/** Evaluates perturbation rows through the model, each distinct row once, in length-sorted batches. */
class BatchEvaluator {
  /** Model outputs by row content, shared by every evaluate() call (adaptive rounds). */
  private readonly outputs = new Map<string, Float32Array>();
  private readonly keyDecoder = new TextDecoder('latin1');
  private readonly featureTokens: Float64Array;
  private readonly fixedTokens: number;

  constructor(
    private readonly indexed: IndexedWords,
    private readonly deps: ExplainRunnerDeps,
  ) {
    // A perturbed text's length is estimated from its pieces' token counts, so the thousands of
    // perturbed texts need not all be built and tokenized before batching.
    const tokensOf = new Map<string, number>();
    this.featureTokens = new Float64Array(indexed.features.length);
    let fixed = 0;
    indexed.pieces.forEach((piece, i) => {
      let tokens = tokensOf.get(piece);
      if (tokens === undefined) {
        tokens = deps.tokenCount(piece);
        tokensOf.set(piece, tokens);
      }
      const feature = indexed.pieceFeature[i];
      if (feature >= 0) this.featureTokens[feature] += tokens;
      else fixed += tokens;
    });
    this.fixedTokens = fixed;
  }

  /** Distinct perturbed texts run through the model so far. */
  get evaluated(): number {
    return this.outputs.size;
  }

  async evaluate(perturbations: Perturbations, onRowsDone: (rows: number) => void): Promise<Float32Array[]> {
    const { rows, features, data } = perturbations;
    const results = new Array<Float32Array>(rows);
    const pending = new Map<string, number[]>();
    for (let r = 0; r < rows; r++) {
      const key = this.keyDecoder.decode(data.subarray(r * features, (r + 1) * features));
      const known = this.outputs.get(key);
      if (known) results[r] = known;
      else if (pending.has(key)) pending.get(key)!.push(r);
      else pending.set(key, [r]);
    }
    const alreadyKnown = rows - [...pending.values()].reduce((sum, list) => sum + list.length, 0);
    if (alreadyKnown > 0) onRowsDone(alreadyKnown);

    const queue = [...pending].map(([key, sameRows]) => ({
      key,
      rows: sameRows,
      tokens: this.estimateTokens(data.subarray(sameRows[0] * features, (sameRows[0] + 1) * features)),
    }));
    queue.sort((a, b) => a.tokens - b.tokens);
    const batchSize = this.deps.batchSize ?? EXPLAIN_DEFAULTS.batchSize;
    for (let start = 0; start < queue.length; start += batchSize) {
      const batch = queue.slice(start, start + batchSize);
      const texts = batch.map(({ rows: [row] }) =>
        removeWords(this.indexed, data.subarray(row * features, (row + 1) * features)),
      );
      const outputs = await untilAborted(this.deps.classify(texts), this.deps.signal);
      this.checkOutputs(outputs, texts.length);
      let done = 0;
      batch.forEach((item, i) => {
        this.outputs.set(item.key, outputs[i]);
        for (const row of item.rows) results[row] = outputs[i];
        done += item.rows.length;
      });
      onRowsDone(done);
    }
    return results;
  }

  private estimateTokens(kept: Uint8Array): number {
    let tokens = this.fixedTokens;
    for (let f = 0; f < kept.length; f++) if (kept[f] === 1) tokens += this.featureTokens[f];
    return tokens;
  }

  private checkOutputs(outputs: Float32Array[], expected: number): void {
    const labels = this.deps.labels.length;
    if (outputs.length !== expected || outputs.some((row) => row.length !== labels)) {
      throw new GlassboxError(
        'INTERNAL',
        `The model returned ${outputs.length} results for ${expected} texts (expected ${labels} probabilities each); reload the model and try again.`,
      );
    }
  }
}

function resolveOptions(options: ExplainOptions, labelCount: number): Settings {
  if (labelCount < 1) throw new GlassboxError('MODEL_INVALID', 'The model declares no labels, so there is nothing to explain; check its config.json id2label.');
  const numFeatures = positiveInteger(options.numFeatures, EXPLAIN_DEFAULTS.numFeatures, 'numFeatures');
  const numSamples = positiveInteger(options.numSamples, EXPLAIN_DEFAULTS.numSamples, 'numSamples');
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
  const topLabels = positiveInteger(options.topLabels, labelCount, 'topLabels');
  if (topLabels > labelCount) {
    throw new GlassboxError('BAD_INPUT', `topLabels can be at most ${labelCount}, the model's number of labels; got ${topLabels}.`);
  }
  const adaptive: AdaptiveOptions | null = options.adaptive === true ? {} : options.adaptive || null;
  return {
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
  };
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new GlassboxError('BAD_INPUT', `${name} must be a whole number of at least 1; got ${String(value)}.`);
  }
  return value;
}

function seedValue(seed: number | undefined): number {
  if (seed === undefined) return EXPLAIN_DEFAULTS.seed;
  if (!Number.isSafeInteger(seed)) throw new GlassboxError('BAD_INPUT', `seed must be a whole number; got ${String(seed)}.`);
  return seed;
}

function indexText(text: string, maxFeatures: number): IndexedWords {
  checkText(text);
  if (!hasWords(text)) {
    throw new GlassboxError(
      'BAD_INPUT',
      'The text has no words (letters or digits), and LIME explains a prediction by removing words: add some words.',
    );
  }
  return indexWords(text, maxFeatures);
}

/** Explicit labels in the order given, else the topLabels most probable on the unperturbed text. */
function chooseLabels(settings: Settings, original: Float32Array): number[] {
  if (settings.labels) return settings.labels;
  const byProbability = Array.from(original.keys()).sort((a, b) => original[b] - original[a]);
  return byProbability.slice(0, settings.topLabels);
}

/** Identifies each label's top-k words with their signs, ignoring their order within the top k. */
function topWordsSignature(fits: readonly SurrogateFit[], topK: number): string {
  return fits
    .map((fit) =>
      fit.weights
        .slice(0, topK)
        .map((w) => `${w.weight >= 0 ? '+' : '-'}${w.feature}`)
        .sort()
        .join(','),
    )
    .join('|');
}

function labelExplanation(
  fit: SurrogateFit,
  indexed: IndexedWords,
  labelNames: readonly string[],
  original: Float32Array,
): LabelExplanation {
  return {
    label: labelNames[fit.labelIndex],
    labelIndex: fit.labelIndex,
    probability: original[fit.labelIndex],
    weights: fit.weights.map((w) => ({ word: indexed.features[w.feature], weight: w.weight })),
    intercept: fit.intercept,
    r2: fit.r2,
    localPrediction: fit.localPrediction,
  };
}

function cancelledError(): GlassboxError {
  return new GlassboxError('CANCELLED', 'The explanation was cancelled; explain again to restart it.');
}

/** An abort's own GlassboxError reason (SUPERSEDED from ExplanationSlot), else CANCELLED. */
function abortError(signal: AbortSignal): GlassboxError {
  return signal.reason instanceof GlassboxError ? signal.reason : cancelledError();
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}

/** The promise's value, unless the signal aborts first. */
async function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  throwIfAborted(signal);
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
