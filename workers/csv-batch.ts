/**
 * Batch classification of a CSV file or pasted lines, inside the worker and independent of
 * Comlink: the worker passes in `classify`. The input is streamed twice: once to count rows (so
 * limits are enforced before any model call and progress has an exact total), then to classify
 * and write the results, a window of rows at a time. Only the results file grows with the input,
 * and it is built as a Blob.
 */
import { throwIfCancelled, unlessCancelled } from '../src/core/jobs/abort';
import { BATCH_LIMITS, tooManyRows, type BatchLimits } from '../src/core/batch/batch-limits';
import { describeReport, emptyReport, tallyRow, UnknownLabels } from '../src/core/batch/batch-report';
import type {
  BatchOptions,
  BatchProgress,
  BatchReport,
  BatchResult,
  BatchRows,
  BatchSource,
  CsvPreview,
  DelimiterChoice,
  PreviewOptions,
} from '../src/core/contract/batch-types';
import { fitRow, guessLabelColumn, guessTextColumn, resolveColumns } from '../src/core/batch/csv-columns';
import { describeDelimiter } from '../src/core/batch/csv-sniff';
import { GlassboxError } from '../src/core/contract/errors';
import { BatchPacer } from '../src/core/jobs/batch-pacing';
import { createLabelMatcher } from '../src/core/batch/label-matching';
import { ConfusionCounter, metricsFromConfusion } from '../src/core/batch/metrics';
import { CsvBlobBuilder, formatProbability, resultColumns, resultFileName } from '../src/core/batch/results-csv';
import { MAX_TEXT_CHARS } from '../src/core/text/text-input';
import type { SourceRecord } from './csv-records';
import { openTable } from './csv-table';
import { nextTask } from './next-task';

export interface CsvBatchDeps {
  /** Class probabilities per text, in label order; called with one batch of texts at a time. */
  classify(texts: string[]): Promise<Float32Array[]>;
  /** The model's labels, in the order of its probabilities. */
  labels: readonly string[];
  /** The most texts per classify call (default 32); calls are sized to take about BATCH_PACING.targetMs. */
  batchSize?: number;
  /** Sizes the calls from the model's measured speed, kept across jobs (default: a new one, starting small). */
  pacer?: BatchPacer;
  signal?: AbortSignal;
  onProgress?(progress: BatchProgress): void;
  /**
   * Hears each part of the results file as its rows are finished; awaited, so that every part has
   * reached the page before the batch settles (a listener across the worker boundary answers
   * through its own channel, which could otherwise be overtaken by a cancel's rejection).
   */
  onRows?(rows: BatchRows): void | Promise<void>;
  /** Lower limits, for tests; the defaults are BATCH_LIMITS. */
  limits?: Partial<BatchLimits>;
  /** Milliseconds clock (default performance.now). */
  now?(): number;
}

/** The preview reads this much at a time, and looks at this many rows to guess the columns. */
const PREVIEW_CHUNK_UNITS = 256 * 1024;
const GUESS_ROWS = 200;
const PREVIEW_ROWS = 20;
/** A megabyte per read keeps memory flat and the number of reads (and progress messages) small. */
const READ_CHUNK_UNITS = 1024 * 1024;
const DEFAULT_BATCH_SIZE = 32;
/** Texts are classified in windows of this many batches, sorted by length so each batch pads little. */
const WINDOW_BATCHES = 8;

/** The columns and first rows of an input, for the column chooser; reads only its start. */
export async function previewCsv(source: BatchSource, options: PreviewOptions = {}): Promise<CsvPreview> {
  const table = await openTable(source, delimiterChoice(options.delimiter), PREVIEW_CHUNK_UNITS, BATCH_LIMITS);
  const { input, columns } = table;
  const rows: string[][] = [];
  const rowNumbers: number[] = [];
  let seen = 0;
  let end = 0;
  let ragged = 0;
  let undecodable = 0;
  for await (const batch of table.records) {
    seen += batch.records.length;
    end = batch.end;
    undecodable += batch.undecodable;
    for (const record of batch.records) {
      if (rows.length === GUESS_ROWS) break;
      const fitted = fitRow(record.cells, columns.length);
      if (fitted.missing || fitted.extra) ragged++;
      rows.push(fitted.cells);
      rowNumbers.push(record.row);
    }
    if (rows.length === GUESS_ROWS) break;
  }
  const complete = end >= input.size;
  if (seen === 0 && complete) {
    throw new GlassboxError('CSV_INVALID', `${input.name} has a header row (${columns.join(', ')}) but no data rows.`);
  }
  const labelColumn = table.format === 'csv' ? guessLabelColumn(columns, rows, options.labels) : undefined;
  const textColumn = guessTextColumn(columns, rows, labelColumn);

  const estimatedRows = complete || end === 0 ? seen : Math.round((seen * input.size) / end);
  const notes: string[] = [];
  if (estimatedRows > BATCH_LIMITS.maxRows) {
    notes.push(
      `This input has ${complete ? '' : 'about '}${estimatedRows.toLocaleString('en')} rows; batch mode classifies up to ${BATCH_LIMITS.maxRows.toLocaleString('en')} at a time. Split it into smaller files.`,
    );
  }
  if (table.format === 'csv') notes.push(`Delimiter: ${describeDelimiter(table.dialect.delimiter)}. The first row is the header.`);
  if (!textColumn) notes.push('No column holds words (every column is numbers or empty): choose the column to classify.');
  if (table.renamedHeader) notes.push('Some header cells were empty or repeated; they were given names such as column_3 or name_2.');
  if (ragged > 0) notes.push(`Rows without one cell per column among the first ${rows.length}: ${ragged}. Is the delimiter right?`);
  if (undecodable > 0) notes.push('Some characters are not UTF-8 and show as �: save the file as "CSV UTF-8" for exact text.');

  return {
    name: source.kind === 'file' ? sourceName(source) : 'pasted text',
    format: table.format,
    size: input.size,
    encoding: input.encoding,
    hasBom: input.hasBom,
    delimiter: table.dialect.delimiter,
    columns,
    rows: rows.slice(0, PREVIEW_ROWS),
    rowNumbers: rowNumbers.slice(0, PREVIEW_ROWS),
    complete,
    estimatedRows,
    ...(textColumn ? { textColumn } : {}),
    ...(labelColumn ? { labelColumn } : {}),
    notes,
  };
}

/**
 * Classifies every row and returns the results CSV, a report of what was odd, and metrics when a
 * label column is chosen. Rows with no text get a note instead of a model call. Cancelling
 * through `deps.signal` rejects with CANCELLED.
 */
export async function runCsvBatch(source: BatchSource, options: BatchOptions, deps: CsvBatchDeps): Promise<BatchResult> {
  const now = deps.now ?? (() => performance.now());
  const started = now();
  const limits: BatchLimits = { ...BATCH_LIMITS, ...deps.limits };
  const labels = checkLabels(deps.labels);
  if (typeof options !== 'object' || options === null) throw new GlassboxError('BAD_INPUT', 'Batch options must name the text column.');
  const delimiter = delimiterChoice(options.delimiter);

  const total = await countRows(source, options, delimiter, limits, deps);
  const startRow = options.startRow ?? 0;
  if (!Number.isInteger(startRow) || startRow < 0 || startRow >= total) {
    throw new GlassboxError('BAD_INPUT', `startRow must be a whole number from 0 to ${total - 1} (the input has ${total.toLocaleString('en')} rows), got ${String(options.startRow)}.`);
  }

  const table = await openTable(source, delimiter, READ_CHUNK_UNITS, limits);
  const columns = resolveColumns(table.columns, options.textColumn, options.labelColumn);
  const outDelimiter = table.dialect.delimiter || ',';
  const writer = new CsvBlobBuilder(resultColumns(table.columns, labels), outDelimiter, table.input.hasBom);
  const run = new BatchRun(labels, table.columns.length, columns, total, startRow, writer, deps);
  await deps.onRows?.({ header: writer.header, lines: '', done: startRow });
  // Says that counting is over while the first batch of texts is still in the model.
  deps.onProgress?.({ phase: 'batch', stage: 'classifying', loaded: startRow, total, progress: startRow / total });
  run.report.blankRows += table.blankBeforeHeader;
  let passedOver = 0;
  for await (const batch of table.records) {
    throwIfCancelled(deps.signal, run.cancelled);
    run.report.blankRows += batch.blank;
    run.report.undecodable += batch.undecodable;
    for (const row of batch.quoteProblems) tallyRow(run.report.quoteProblems, row);
    for (const record of batch.records) {
      if (passedOver < startRow) {
        passedOver++;
        continue;
      }
      if (run.report.rows === limits.maxRows) throw tooManyRows(limits.maxRows + 1, batch.end, table.input.size, table.input.name, limits);
      await run.add(record);
    }
  }
  await run.flush();
  const report = run.finishReport();
  if (report.classified === 0) throw nothingClassified(report, options.textColumn);

  const metrics = run.confusion && run.confusion.total > 0 ? metricsFromConfusion(labels, run.confusion.matrix()) : undefined;
  return {
    csv: writer.finish(),
    fileName: resultFileName(source.kind === 'file' ? sourceName(source) : 'pasted-text'),
    columns: resultColumns(table.columns, labels),
    delimiter: outDelimiter,
    labels,
    report,
    notes: describeReport(report, labels, columns.label !== undefined),
    ...(metrics ? { metrics } : {}),
    ms: Math.round(now() - started),
  };
}

/** First pass: checks the columns and counts data rows, with no model call. */
async function countRows(source: BatchSource, options: BatchOptions, delimiter: DelimiterChoice, limits: BatchLimits, deps: CsvBatchDeps): Promise<number> {
  const table = await openTable(source, delimiter, READ_CHUNK_UNITS, limits);
  resolveColumns(table.columns, options.textColumn, options.labelColumn);
  const { size, name } = table.input;
  let rows = 0;
  for await (const batch of table.records) {
    throwIfCancelled(deps.signal, () => 'The batch was cancelled while the file was being read.');
    rows += batch.records.length;
    if (rows > limits.maxRows) throw tooManyRows(rows, batch.end, size, name, limits);
    deps.onProgress?.({ phase: 'batch', stage: 'reading', loaded: batch.end, total: size, progress: size > 0 ? batch.end / size : 1 });
  }
  if (rows === 0) throw new GlassboxError('CSV_INVALID', `${name} has a header row (${table.columns.join(', ')}) but no data rows.`);
  return rows;
}

interface PendingRow {
  cells: string[];
  /** Set when the row is to be classified. */
  text?: string;
  /** Index of the true label, when known. */
  truth?: number;
  notes: string[];
}

/** The classifying pass: per-row checks, windows of length-sorted batches, results and counts. */
class BatchRun {
  readonly report: BatchReport = emptyReport();
  readonly confusion: ConfusionCounter | undefined;
  private readonly unknown = new UnknownLabels();
  private readonly match: (value: string) => number | undefined;
  private readonly batchSize: number;
  /** Sizes the model calls so a cancel or a newer request waits for little more than one short call. */
  private readonly pacer: BatchPacer;
  private readonly now: () => number;
  private window: PendingRow[] = [];
  private windowTexts = 0;
  /** Rows written to the results, those passed over by startRow included. */
  private done: number;
  /** Rows done as last reported, including classified rows of the window not yet written. */
  private reported: number;
  /** The CANCELLED message, saying how far the batch got. */
  readonly cancelled = () => `The batch was cancelled after ${this.reported.toLocaleString('en')} of ${this.total.toLocaleString('en')} rows.`;

  constructor(
    private readonly labels: string[],
    private readonly width: number,
    private readonly columns: { text: number; label: number | undefined },
    private readonly total: number,
    startRow: number,
    private readonly writer: CsvBlobBuilder,
    private readonly deps: CsvBatchDeps,
  ) {
    this.done = startRow;
    this.reported = startRow;
    this.match = createLabelMatcher(labels);
    this.batchSize = positiveInteger(deps.batchSize, DEFAULT_BATCH_SIZE);
    this.pacer = deps.pacer ?? new BatchPacer(this.batchSize);
    this.now = deps.now ?? (() => performance.now());
    this.confusion = columns.label === undefined ? undefined : new ConfusionCounter(labels.length);
  }

  async add(record: SourceRecord): Promise<void> {
    const { report } = this;
    report.rows++;
    const fitted = fitRow(record.cells, this.width);
    const pending: PendingRow = { cells: fitted.cells, notes: [] };
    if (fitted.missing > 0) {
      tallyRow(report.shortRows, record.row);
      pending.notes.push(`${fitted.missing} missing cell${fitted.missing === 1 ? '' : 's'} left empty`);
    }
    if (fitted.extra > 0) {
      tallyRow(report.longRows, record.row);
      pending.notes.push(`${fitted.extra} extra cell${fitted.extra === 1 ? '' : 's'} left out`);
    }
    const text = fitted.cells[this.columns.text];
    if (text.trim() === '') {
      tallyRow(report.emptyText, record.row);
      pending.notes.push('no text: not classified');
    } else if (text.length > MAX_TEXT_CHARS) {
      tallyRow(report.tooLong, record.row);
      pending.notes.push(`text over ${MAX_TEXT_CHARS.toLocaleString('en')} characters: not classified`);
    } else {
      pending.text = text;
    }
    if (this.columns.label !== undefined) this.readLabel(fitted.cells[this.columns.label].trim(), record.row, pending);
    this.window.push(pending);
    if (pending.text !== undefined) this.windowTexts++;
    // Rows without text wait in the window too; bound them so a file of empty cells stays small.
    const windowSize = this.batchSize * WINDOW_BATCHES;
    if (this.windowTexts >= windowSize || this.window.length >= 4 * windowSize) await this.flush();
  }

  async flush(): Promise<void> {
    const window = this.window;
    const probabilities = await this.classifyWindow(window);
    const out = window.map((row, i) => {
      const p = probabilities[i];
      if (!p) return [...row.cells, '', ...this.labels.map(() => ''), row.notes.join('; ')];
      const predicted = argmax(p);
      if (row.truth !== undefined) this.confusion?.add(row.truth, predicted);
      return [...row.cells, this.labels[predicted], ...Array.from(p, formatProbability), row.notes.join('; ')];
    });
    const lines = this.writer.addRows(out);
    this.report.classified += probabilities.filter(Boolean).length;
    this.done += window.length;
    this.window = [];
    this.windowTexts = 0;
    await this.deps.onRows?.({ lines, done: this.done });
    this.progress(this.done);
  }

  finishReport(): BatchReport {
    return { ...this.report, unknownLabels: this.unknown.list() };
  }

  private readLabel(value: string, row: number, pending: PendingRow): void {
    if (value === '') {
      tallyRow(this.report.missingLabel, row);
      pending.notes.push('no label: not scored');
      return;
    }
    const index = this.match(value);
    if (index === undefined) {
      this.unknown.add(value);
      tallyRow(this.report.unknownLabelRows, row);
      pending.notes.push(`label "${value}" is not one of the model's labels: not scored`);
      return;
    }
    pending.truth = index;
  }

  /** Probabilities per window row (undefined for rows not classified), shortest texts batched together. */
  private async classifyWindow(window: PendingRow[]): Promise<(Float32Array | undefined)[]> {
    const result: (Float32Array | undefined)[] = new Array(window.length).fill(undefined);
    const order = window
      .map((_, i) => i)
      .filter((i) => window[i].text !== undefined)
      .sort((a, b) => (window[a].text as string).length - (window[b].text as string).length);
    for (let start = 0; start < order.length; ) {
      const indexes = order.slice(start, start + this.pacer.size);
      start += indexes.length;
      const texts = indexes.map((i) => window[i].text as string);
      // Model calls can follow one another without the worker ever reaching its event loop: let it
      // take the messages that came meanwhile (a cancel, a text to classify) before each batch.
      await nextTask();
      throwIfCancelled(this.deps.signal, this.cancelled);
      const started = this.now();
      const output = await unlessCancelled(this.deps.classify(texts), this.deps.signal, this.cancelled);
      this.pacer.record(texts.length, this.now() - started);
      checkOutput(output, texts.length, this.labels.length);
      indexes.forEach((rowIndex, k) => (result[rowIndex] = output[k]));
      this.progress(this.done + start);
    }
    return result;
  }

  private progress(loaded: number): void {
    const done = Math.min(loaded, this.total);
    this.reported = done;
    this.deps.onProgress?.({ phase: 'batch', stage: 'classifying', loaded: done, total: this.total, progress: this.total > 0 ? done / this.total : 1 });
  }
}

function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

function checkOutput(output: unknown, texts: number, labels: number): asserts output is Float32Array[] {
  const ok =
    Array.isArray(output) &&
    output.length === texts &&
    output.every((p) => p instanceof Float32Array && p.length === labels && p.every((v) => Number.isFinite(v)));
  if (!ok) {
    throw new GlassboxError('INTERNAL', `The model returned probabilities of the wrong shape for a batch of ${texts} texts and ${labels} labels.`);
  }
}

function checkLabels(labels: readonly string[]): string[] {
  if (!Array.isArray(labels) || labels.length === 0 || labels.some((label) => typeof label !== 'string')) {
    throw new GlassboxError('MODEL_NOT_LOADED', 'Batch classification needs a loaded model with its labels.');
  }
  return [...labels];
}

function nothingClassified(report: BatchReport, textColumn: string): GlassboxError {
  if (report.emptyText.count === report.rows) {
    return new GlassboxError('CSV_INVALID', `Column "${textColumn}" is empty in every row: choose the column that holds the texts.`);
  }
  return new GlassboxError('CSV_INVALID', `No row of column "${textColumn}" could be classified: ${describeReport(report, [], false).slice(1).join(' ')}`);
}

function sourceName(source: Extract<BatchSource, { kind: 'file' }>): string {
  return source.name ?? (source.file as Partial<File>).name ?? 'batch.csv';
}

const DELIMITER_CHOICES: readonly DelimiterChoice[] = ['auto', ',', ';', '\t', '|'];

export function delimiterChoice(value: unknown): DelimiterChoice {
  if (value === undefined) return 'auto';
  const found = DELIMITER_CHOICES.find((choice) => choice === value);
  if (!found) throw new GlassboxError('BAD_INPUT', `Unknown delimiter ${JSON.stringify(value)}: use auto, comma, semicolon, tab or |.`);
  return found;
}

function positiveInteger(value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new GlassboxError('BAD_INPUT', `The batch size must be a whole number of 1 or more, got ${value}.`);
  return value;
}
