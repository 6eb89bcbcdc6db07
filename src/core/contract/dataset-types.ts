/**
 * Shapes of a dataset explanation: every row of a CSV (or a stated random sample of them) explained
 * by leaving one word out, then the words that drive each label across the rows (dataset-summary.ts).
 * Shared by the worker (workers/dataset-explain.ts), the client and the batch panel; plain data only.
 */
import type { BatchOptions } from './batch-types';

/** The columns to read, as for a batch, and which rows to explain. */
export interface DatasetOptions extends Pick<BatchOptions, 'textColumn' | 'labelColumn' | 'delimiter'> {
  /** Rows to explain, drawn at random (seeded) from the rows with text; all of them when absent. */
  sampleRows?: number;
  /** Seed of the random sample (default 0): the same seed draws the same rows. */
  seed?: number;
}

/** What explaining the file would cost, measured before it starts (ClassifierApi.planDatasetExplanation). */
export interface DatasetPlan {
  /** Data rows in the input. */
  rows: number;
  /** Rows with a text that can be explained (not empty, not too long, with words). */
  explainable: number;
  /** True when the input has a label column with at least one label of the model. */
  labelled: boolean;
  /**
   * Model work of explaining every explainable row, in token-runs: each row costs one model run
   * per distinct word plus one, each as long as the row's text in tokens (plus two special tokens).
   */
  tokenRuns: number;
  /** The model's labels, in the order of its probabilities. */
  labels: string[];
  /** Milliseconds per token-run, timed on a few rows of this file explained for real. */
  msPerTokenRun: number;
  /** The rows timed, and how long they took. */
  calibration: { rows: number; ms: number };
  /** The most rows one dataset explanation takes (DATASET_LIMITS.maxRows). */
  maxRows: number;
}

export interface DatasetProgress {
  phase: 'dataset';
  /** reading: the file, to draw the rows; explaining: rows explained. */
  stage: 'reading' | 'explaining';
  loaded: number;
  total: number;
  /** 0..1 */
  progress: number;
}

/** One explained row. */
export interface DatasetRow {
  /** Spreadsheet row number (the header is row 1). */
  row: number;
  text: string;
  /** Index of the predicted label, the one explained. */
  predicted: number;
  /** Its probability. */
  probability: number;
  /** Index of the true label, when the file has one the model knows. */
  truth?: number;
  /** Every distinct word (as written) with its weight for the predicted label, largest |weight| first. */
  words: { word: string; weight: number }[];
  /** Model runs this row took: its distinct words and the whole text. */
  modelRuns: number;
}

/** Hears explained rows as they are finished, so a stopped run keeps them (DatasetRow); the worker waits for each part to arrive. */
export type DatasetRowsListener = (rows: DatasetRow[]) => void | Promise<void>;

export interface DatasetExplanation {
  labels: string[];
  method: 'occlusion';
  /** Rows explained, in the order of the file. */
  rows: DatasetRow[];
  /** Rows with an explainable text in the file. */
  explainable: number;
  /** Set when a random sample was explained: its size and seed. */
  sample?: { rows: number; seed: number };
  /** Model runs, all rows together. */
  modelRuns: number;
  ms: number;
  summary: DatasetSummary;
  /** Set when these are the rows a run finished before it stopped: why it stopped. */
  stopped?: string;
}

/** The words that drive each label across the rows (dataset-summary.ts). */
export interface DatasetSummary {
  labels: LabelWords[];
  /** True when the rows have true labels: each label then has correct and wrong groups. */
  labelled: boolean;
  /** Rows summarised. */
  rows: number;
}

export const DATASET_GROUPS = Object.freeze(['all', 'correct', 'wrong'] as const);
/** all: every row predicted as the label; correct / wrong: those whose true label is / is not it. */
export type DatasetGroup = (typeof DATASET_GROUPS)[number];

export interface LabelWords {
  label: string;
  labelIndex: number;
  groups: Partial<Record<DatasetGroup, GroupWords>>;
}

export interface GroupWords {
  /** Rows in the group. */
  rows: number;
  /** A word is ranked only when it appears in at least this many of the group's rows. */
  minRows: number;
  /** Largest mean weight first: the words that push the most toward the label. */
  toward: WordStat[];
  /** Smallest (most negative) mean weight first: the words that push the most away from it. */
  against: WordStat[];
}

export interface WordStat {
  /** The word in lower case: "Great" and "great" count as one. */
  word: string;
  /** Rows it appears in. */
  rows: number;
  /** Mean over those rows of its weight (a row's occurrences, differently cased, added up). */
  meanWeight: number;
  totalWeight: number;
  /** Indices into DatasetExplanation.rows where it weighed the most toward the label, largest first. */
  topRows: number[];
}
