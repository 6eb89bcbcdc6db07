/**
 * Runs perturbed texts through the model for every method: each distinct row once (identical rows
 * share one output across all calls, so adaptive rounds and the faithfulness check reuse earlier
 * runs, and with a row cache earlier explanations of the same text too), in batches of texts of
 * similar estimated length so little padding is wasted, with progress after each batch. Batches are
 * sized by their measured time (BatchPacer), so each model call is short on any backend. Between
 * batches it yields to the worker's message queue and checks the abort signal, so a cancel or a
 * newer request takes effect within one batch.
 */
import { BatchPacer } from '../../src/core/jobs/batch-pacing';
import { GlassboxError } from '../../src/core/contract/errors';
import type { ExplainProgress, GradientSettings, PieceAttributions } from '../../src/core/contract/explanation-types';
import type { Perturbations } from '../../src/core/explain/lime';
import { removeWords, type IndexedWords } from '../../src/core/explain/words';
import { nextTask } from '../next-task';
import { EXPLAIN_DEFAULTS } from './options';
import type { RowCache } from './row-cache';
import { throwIfAborted, untilAborted } from './slot';

export interface ExplainRunnerDeps {
  /** Class probabilities per text, in label order. Called with one padded batch at a time. */
  classify(texts: string[]): Promise<Float32Array[]>;
  /** Tokens in a piece of text, without special tokens; only used to group texts of similar length. */
  tokenCount(text: string): number;
  labels: readonly string[];
  /**
   * Gradient attributions of one label's probability to each piece of the text (words and
   * separators, in order); absent when no engine here can take gradients.
   */
  attributions?(pieces: readonly string[], labelIndex: number, settings: GradientSettings): Promise<PieceAttributions>;
  /** The most texts per classify call (default 32); calls are sized to take about BATCH_PACING.targetMs. */
  batchSize?: number;
  /** Sizes the calls from the model's measured speed, kept across jobs (default: a new one, starting small). */
  pacer?: BatchPacer;
  /** Outputs kept from earlier explanations of the same text on the same model. */
  rowCache?: RowCache;
  signal?: AbortSignal;
  onProgress?(progress: ExplainProgress): void;
  /** Milliseconds clock (default performance.now). */
  now?(): number;
}

/**
 * Counts rows against a planned total and reports them as explain progress: the method's rows,
 * then those of the faithfulness check that follows it.
 */
export class ProgressMeter {
  private loaded = 0;
  private total: number;

  constructor(
    methodRows: number,
    private readonly checkRows: number,
    private readonly onProgress: ExplainRunnerDeps['onProgress'],
  ) {
    this.total = methodRows + checkRows;
  }

  /** Adaptive rounds and enumeration can end the method off its plan: the total follows what it did. */
  methodDone(rows: number): void {
    this.total = Math.max(rows + this.checkRows, this.loaded);
  }

  add(rows: number): void {
    this.loaded += rows;
    this.onProgress?.({ phase: 'explain', loaded: this.loaded, total: this.total, progress: Math.min(1, this.loaded / this.total) });
  }
}

export class BatchEvaluator {
  /** Model outputs by row content, shared by every evaluate() call (and by the row cache's other users). */
  private readonly outputs: Map<string, Float32Array>;
  /** The distinct rows this explanation asked for, whether run now or known before. */
  private readonly used = new Set<string>();
  private readonly keyDecoder = new TextDecoder('latin1');
  /** Sizes the model calls so a cancel or a newer request waits for little more than one short call. */
  private readonly pacer: BatchPacer;
  private readonly now: () => number;
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
    this.outputs = deps.rowCache?.rowsFor(JSON.stringify([indexed.text, indexed.features])) ?? new Map();
    this.pacer = deps.pacer ?? new BatchPacer(deps.batchSize ?? EXPLAIN_DEFAULTS.batchSize);
    this.now = deps.now ?? (() => performance.now());
  }

  /** Distinct perturbed texts this explanation needed the model's output for so far. */
  get evaluated(): number {
    return this.used.size;
  }

  /** Model outputs for each row; `onRowsDone` counts rows, whether run now or known before. */
  async evaluate(perturbations: Perturbations, onRowsDone: (rows: number) => void = () => {}): Promise<Float32Array[]> {
    const { rows, features, data } = perturbations;
    const results = new Array<Float32Array>(rows);
    const pending = new Map<string, number[]>();
    for (let r = 0; r < rows; r++) {
      const key = this.keyDecoder.decode(data.subarray(r * features, (r + 1) * features));
      this.used.add(key);
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
    for (let start = 0; start < queue.length; ) {
      await nextTask();
      throwIfAborted(this.deps.signal);
      const batch = queue.slice(start, start + this.pacer.size);
      start += batch.length;
      const texts = batch.map(({ rows: [row] }) => removeWords(this.indexed, data.subarray(row * features, (row + 1) * features)));
      const started = this.now();
      const outputs = await untilAborted(this.deps.classify(texts), this.deps.signal);
      this.pacer.record(texts.length, this.now() - started);
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
