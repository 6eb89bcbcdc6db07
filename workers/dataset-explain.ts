/**
 * Dataset explanation inside the worker, independent of Comlink: every row of a CSV with text (or a
 * seeded random sample of them) explained by leaving one word out, the cheapest method that needs
 * no sampling and gives the same weights every time, for the label the model predicts. The rows
 * then feed summarizeDataset (src/core/explain/dataset-summary.ts).
 *
 * Before a run, planDataset measures what it would cost: it counts the model work of every row
 * (distinct words + 1 runs of the row's length in tokens) and times a few rows of this file
 * explained for real on this device, so the estimate follows both the file and the machine.
 */
import type { BatchLimits } from '../src/core/batch/batch-limits';
import { BATCH_LIMITS, tooManyRows } from '../src/core/batch/batch-limits';
import { fitRow, resolveColumns } from '../src/core/batch/csv-columns';
import { createLabelMatcher } from '../src/core/batch/label-matching';
import type { BatchSource } from '../src/core/contract/batch-types';
import type { DatasetExplanation, DatasetOptions, DatasetPlan, DatasetProgress, DatasetRow } from '../src/core/contract/dataset-types';
import { GlassboxError, toGlassboxError } from '../src/core/contract/errors';
import { summarizeDataset } from '../src/core/explain/dataset-summary';
import { createRandom, Reservoir } from '../src/core/explain/random';
import { hasWords, indexWords } from '../src/core/explain/words';
import { throwIfCancelled } from '../src/core/jobs/abort';
import { MAX_TEXT_CHARS } from '../src/core/text/text-input';
import { delimiterChoice } from './csv-batch';
import { openTable } from './csv-table';
import type { ExplainRunnerDeps } from './explain/evaluator';
import { EXPLAIN_DEFAULTS, positiveInteger, seedValue } from './explain/options';
import { runExplanation } from './explain/run';

export interface DatasetLimits {
  maxExplainedRows: number;
  calibrationRows: number;
  calibrationMs: number;
}

export const DATASET_LIMITS: Readonly<DatasetLimits> = Object.freeze({
  /** Rows one dataset explanation takes: about an hour of 2-core WebAssembly at 30 words a row. */
  maxExplainedRows: 10_000,
  /** The estimate times up to this many rows of the file, and stops once they took this long. */
  calibrationRows: 8,
  calibrationMs: 1500,
});

/** Explained rows are handed back in parts of this many, so a stopped run keeps nearly all of them. */
const ROWS_PER_PART = 10;
const READ_CHUNK_UNITS = 1024 * 1024;
/** [CLS] and [SEP] go with every text. */
const SPECIAL_TOKENS = 2;

export interface DatasetDeps extends Pick<ExplainRunnerDeps, 'classify' | 'tokenCount' | 'labels' | 'pacer' | 'now'> {
  /** The model's token window, special tokens included: a longer text costs what the window holds. Unbounded when unknown. */
  maxTokens?: number;
  signal?: AbortSignal;
  onProgress?(progress: DatasetProgress): void;
  /** Hears explained rows in parts; awaited, so every part reaches the page before the run settles (see CsvBatchDeps.onRows). */
  onRows?(rows: DatasetRow[]): void | Promise<void>;
  /** Lower limits, for tests. */
  limits?: Partial<BatchLimits & DatasetLimits>;
}

/** A row with a text that can be explained. */
interface Candidate {
  row: number;
  text: string;
  truth?: number;
}

/** Reads the file, counts the model work of every row and times a few of them explained for real. */
export async function planDataset(source: BatchSource, options: DatasetOptions, deps: DatasetDeps): Promise<DatasetPlan> {
  const checked = checkOptions(options);
  const limits = { ...DATASET_LIMITS, ...deps.limits };
  const pilot = new Reservoir<{ candidate: Candidate; tokenRuns: number }>(limits.calibrationRows, createRandom(checked.seed));
  let tokenRuns = 0;
  const read = await readCandidates(source, checked, deps, (candidate) => {
    const cost = rowTokenRuns(candidate.text, deps);
    tokenRuns += cost;
    pilot.add({ candidate, tokenRuns: cost });
  });
  const now = deps.now ?? (() => performance.now());
  const started = now();
  let timed = 0;
  let timedTokenRuns = 0;
  for (const { candidate, tokenRuns: cost } of pilot.items) {
    throwIfCancelled(deps.signal, () => 'Measuring the dataset explanation was cancelled.');
    await explainRow(candidate, deps);
    timed++;
    timedTokenRuns += cost;
    if (timed >= 2 && now() - started >= limits.calibrationMs) break;
  }
  const ms = now() - started;
  return {
    rows: read.rows,
    explainable: read.explainable,
    labelled: read.labelled,
    labels: [...deps.labels],
    tokenRuns,
    msPerTokenRun: timedTokenRuns > 0 ? ms / timedTokenRuns : 0,
    calibration: { rows: timed, ms: Math.round(ms) },
    maxRows: limits.maxExplainedRows,
  };
}

/**
 * Explains every row with text, or a random sample of `sampleRows` of them, in the order of the
 * file; hands the rows back in parts as they are finished. Cancelling through `deps.signal`
 * rejects with CANCELLED, saying how far it got.
 */
export async function explainDataset(source: BatchSource, options: DatasetOptions, deps: DatasetDeps): Promise<DatasetExplanation> {
  const checked = checkOptions(options);
  const limits = { ...DATASET_LIMITS, ...deps.limits };
  if (checked.sampleRows !== undefined && checked.sampleRows > limits.maxExplainedRows) {
    throw new GlassboxError('BAD_INPUT', `A dataset explanation takes at most ${limits.maxExplainedRows.toLocaleString('en')} rows; asked for a sample of ${checked.sampleRows.toLocaleString('en')}.`);
  }
  const now = deps.now ?? (() => performance.now());
  const started = now();
  const kept = new Reservoir<Candidate>(checked.sampleRows ?? limits.maxExplainedRows + 1, createRandom(checked.seed));
  const read = await readCandidates(source, checked, deps, (candidate) => kept.add(candidate));
  if (checked.sampleRows === undefined && read.explainable > limits.maxExplainedRows) {
    throw new GlassboxError(
      'BAD_INPUT',
      `The file has ${read.explainable.toLocaleString('en')} rows with text; a dataset explanation takes at most ${limits.maxExplainedRows.toLocaleString('en')}. Explain a random sample of them.`,
    );
  }
  const candidates = kept.items.sort((a, b) => a.row - b.row);
  const rows: DatasetRow[] = [];
  let part: DatasetRow[] = [];
  const progress = () =>
    deps.onProgress?.({ phase: 'dataset', stage: 'explaining', loaded: rows.length, total: candidates.length, progress: rows.length / candidates.length });
  progress();
  for (const candidate of candidates) {
    try {
      const explained = await explainRow(candidate, deps);
      rows.push(explained);
      part.push(explained);
    } catch (error) {
      if (part.length > 0) await deps.onRows?.(part);
      throw stoppedAt(error, rows.length, candidates.length);
    }
    if (part.length === ROWS_PER_PART) {
      await deps.onRows?.(part);
      part = [];
    }
    progress();
  }
  if (part.length > 0) await deps.onRows?.(part);
  const sampled = checked.sampleRows !== undefined && checked.sampleRows < read.explainable;
  return {
    labels: [...deps.labels],
    method: 'occlusion',
    rows,
    explainable: read.explainable,
    ...(sampled ? { sample: { rows: candidates.length, seed: checked.seed } } : {}),
    modelRuns: rows.reduce((sum, row) => sum + row.modelRuns, 0),
    ms: Math.round(now() - started),
    summary: summarizeDataset(rows, deps.labels),
  };
}

/** Leave-one-word-out for the predicted label, every word reported, no faithfulness check. */
async function explainRow(candidate: Candidate, deps: DatasetDeps): Promise<DatasetRow> {
  const explanation = await runExplanation(
    candidate.text,
    { method: 'occlusion', topLabels: 1, faithfulness: false, numFeatures: EXPLAIN_DEFAULTS.maxFeatures },
    { classify: deps.classify, tokenCount: deps.tokenCount, labels: deps.labels, ...(deps.pacer ? { pacer: deps.pacer } : {}), ...(deps.signal ? { signal: deps.signal } : {}), ...(deps.now ? { now: deps.now } : {}) },
  );
  const predicted = explanation.perLabel[0];
  return {
    row: candidate.row,
    text: candidate.text,
    predicted: predicted.labelIndex,
    probability: predicted.probability,
    ...(candidate.truth !== undefined ? { truth: candidate.truth } : {}),
    words: predicted.weights.map(({ word, weight }) => ({ word, weight })),
    modelRuns: explanation.modelRuns,
  };
}

/** The model work of explaining one row: one run per distinct word and one of the whole text, each as long as the text. */
function rowTokenRuns(text: string, deps: Pick<DatasetDeps, 'tokenCount' | 'maxTokens'>): number {
  const features = Math.min(indexWords(text).features.length, EXPLAIN_DEFAULTS.maxFeatures);
  return (features + 1) * Math.min(deps.tokenCount(text) + SPECIAL_TOKENS, deps.maxTokens ?? Number.POSITIVE_INFINITY);
}

/** Streams the file and hands every row with an explainable text to `visit`. */
async function readCandidates(
  source: BatchSource,
  options: CheckedOptions,
  deps: DatasetDeps,
  visit: (candidate: Candidate) => void,
): Promise<{ rows: number; explainable: number; labelled: boolean }> {
  const limits: BatchLimits = { ...BATCH_LIMITS, ...deps.limits };
  const table = await openTable(source, options.delimiter, READ_CHUNK_UNITS, limits);
  const columns = resolveColumns(table.columns, options.textColumn, options.labelColumn);
  const match = createLabelMatcher(deps.labels);
  const { size, name } = table.input;
  let rows = 0;
  let explainable = 0;
  let labelled = false;
  for await (const batch of table.records) {
    throwIfCancelled(deps.signal, () => 'The dataset explanation was cancelled while the file was being read.');
    for (const record of batch.records) {
      rows++;
      if (rows > limits.maxRows) throw tooManyRows(rows, batch.end, size, name, limits);
      const cells = fitRow(record.cells, table.columns.length).cells;
      const text = cells[columns.text];
      if (text.length > MAX_TEXT_CHARS || !hasWords(text)) continue;
      const truth = columns.label === undefined ? undefined : match(cells[columns.label].trim());
      if (truth !== undefined) labelled = true;
      explainable++;
      visit({ row: record.row, text, ...(truth !== undefined ? { truth } : {}) });
    }
    deps.onProgress?.({ phase: 'dataset', stage: 'reading', loaded: batch.end, total: size, progress: size > 0 ? batch.end / size : 1 });
  }
  if (rows === 0) throw new GlassboxError('CSV_INVALID', `${name} has no data rows: there is nothing to explain.`);
  if (explainable === 0) {
    throw new GlassboxError('CSV_INVALID', `No row of column "${options.textColumn}" has words to explain (every text is empty, too long or without letters or digits).`);
  }
  return { rows, explainable, labelled };
}

interface CheckedOptions {
  textColumn: string;
  labelColumn?: string;
  delimiter: ReturnType<typeof delimiterChoice>;
  sampleRows?: number;
  seed: number;
}

function checkOptions(options: DatasetOptions): CheckedOptions {
  if (typeof options !== 'object' || options === null || typeof options.textColumn !== 'string') {
    throw new GlassboxError('BAD_INPUT', 'A dataset explanation needs the options of its batch: at least the text column.');
  }
  return {
    textColumn: options.textColumn,
    ...(options.labelColumn ? { labelColumn: options.labelColumn } : {}),
    delimiter: delimiterChoice(options.delimiter),
    ...(options.sampleRows !== undefined ? { sampleRows: positiveInteger(options.sampleRows, 1, 'sampleRows') } : {}),
    seed: seedValue(options.seed),
  };
}

/** A row's failure as the run's: a cancel or a model switch says how many rows were explained. */
function stoppedAt(error: unknown, done: number, total: number): GlassboxError {
  const failure = toGlassboxError(error);
  const kept = `${done.toLocaleString('en')} of ${total.toLocaleString('en')} rows were explained and are kept.`;
  if (failure.code === 'CANCELLED') return new GlassboxError('CANCELLED', `The dataset explanation was cancelled. ${kept}`, { cause: error });
  if (failure.code === 'SUPERSEDED') return new GlassboxError('SUPERSEDED', `${failure.message} ${kept}`, { cause: error });
  return failure;
}
