
/**
 * Shapes of batch classification (a CSV file or pasted lines), shared by the batch code in the
 * worker (workers/csv-batch.ts), the client and the batch panel. Plain data and Blobs only: all of
 * it is structured-cloned across the worker boundary.
 */

/** How pasted text is read: one text per line, or CSV with a header row. */
export type PastedFormat = 'lines' | 'csv';

export type BatchSource =
  /** A dropped or picked file; `name` defaults to the File's own name. */
  | { kind: 'file'; file: Blob; name?: string }
  | { kind: 'text'; text: string; format: PastedFormat };

/** `auto` guesses among the others from the first rows. */
export type DelimiterChoice = 'auto' | ',' | ';' | '\t' | '|';

export interface PreviewOptions {
  delimiter?: DelimiterChoice;
  /** The model's labels: a column whose values are mostly these is guessed as the label column. */
  labels?: readonly string[];
}

/** What the column chooser needs, read from the start of the input only. */
export interface CsvPreview {
  /** File name, or "pasted text". */
  name: string;
  format: PastedFormat;
  /** Size of the input: bytes of a file, characters of pasted text. */
  size: number;
  encoding: string;
  hasBom: boolean;
  /** The delimiter in use; '' when the input has a single column. */
  delimiter: string;
  /** Column names from the header row (empty names become column_<n>, repeated ones get _2, _3). */
  columns: string[];
  /** The first data rows, one cell per column. */
  rows: string[][];
  /** Spreadsheet row number of each of `rows` (the header is row 1). */
  rowNumbers: number[];
  /** True when the preview read the whole input (then `estimatedRows` is exact). */
  complete: boolean;
  estimatedRows: number;
  /** Guessed column of texts to classify; absent when no column holds words. */
  textColumn?: string;
  /** Guessed column of true labels; absent when none looks like one. */
  labelColumn?: string;
  /** Things the person should know before starting, in words. */
  notes: string[];
}

export interface BatchOptions {
  /** Column holding the texts (a name from CsvPreview.columns). */
  textColumn: string;
  /** Column holding the true labels; when set, the result carries metrics. */
  labelColumn?: string;
  delimiter?: DelimiterChoice;
  /**
   * Data rows to pass over before classifying: the rows a stopped batch had finished (BatchRows.done),
   * to resume it. They are neither classified nor written, and the report covers the rest. 0 by default.
   */
  startRow?: number;
}

/**
 * Rows of the results file as they are finished, so the page holds them whatever happens to the
 * batch: a batch that is cancelled, stopped by a model switch or lost with a crashed worker still
 * gives the rows it finished, and can resume after them (BatchOptions.startRow).
 */
export interface BatchRows {
  /** The results file's header line, with a byte-order mark when the input had one; in the first part only. */
  header?: string;
  /** The CSV lines of the rows finished since the last part ('' in the first part). */
  lines: string;
  /** Data rows of the input finished so far, those passed over by startRow included. */
  done: number;
}

export interface BatchProgress {
  phase: 'batch';
  /** reading: counting rows before any model call (loaded/total in input units); classifying: rows done. */
  stage: 'reading' | 'classifying';
  loaded: number;
  total: number;
  /** 0..1 */
  progress: number;
}

/** How many rows had a problem, and the first few of their spreadsheet row numbers. */
export interface RowTally {
  count: number;
  rows: number[];
}

export interface LabelCount {
  value: string;
  count: number;
}

export interface BatchReport {
  /** Data rows read (blank rows are not counted). */
  rows: number;
  /** Rows the model classified. */
  classified: number;
  blankRows: number;
  /** Rows whose text cell is empty: not classified. */
  emptyText: RowTally;
  /** Rows whose text is over the per-text limit: not classified. */
  tooLong: RowTally;
  /** Rows with fewer cells than the header: filled with empty cells. */
  shortRows: RowTally;
  /** Rows with more cells than the header: the extra cells are left out of the results. */
  longRows: RowTally;
  /** Rows around malformed or unclosed quotes. */
  quoteProblems: RowTally;
  /** Characters that could not be decoded (shown as U+FFFD). */
  undecodable: number;
  /** Rows with an empty label cell (label column chosen): not scored. */
  missingLabel: RowTally;
  /** Label values that are not among the model's labels, most frequent first: not scored. */
  unknownLabels: LabelCount[];
  unknownLabelRows: RowTally;
}

export interface BatchResult {
  /** The results as CSV: original columns, predicted_label, p_<label> per label, note. */
  csv: Blob;
  /** Suggested download name. */
  fileName: string;
  /** The header of `csv`. */
  columns: string[];
  /** Delimiter of `csv` (the input's; a comma for pasted lines and one-column files). */
  delimiter: string;
  labels: string[];
  report: BatchReport;
  /** `report` in sentences, for people. */
  notes: string[];
  /** Present when a label column was chosen and at least one row could be scored. */
  metrics?: ClassificationMetrics;
  ms: number;
}

/** Classification metrics with scikit-learn's definitions (computed in metrics.ts). */
export interface LabelMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Rows whose true label is this one. */
  support: number;
  /** Rows predicted as this label. */
  predicted: number;
}

export interface ClassificationMetrics {
  /** In the model's order; rows and columns of `confusionMatrix` follow it. */
  labels: string[];
  /** Rows scored. */
  count: number;
  correct: number;
  accuracy: number;
  macroPrecision: number;
  macroRecall: number;
  macroF1: number;
  /** The labels the macro averages are taken over. */
  averagedLabels: string[];
  perClass: LabelMetrics[];
  /** confusionMatrix[true][predicted] = rows. */
  confusionMatrix: number[][];
}
