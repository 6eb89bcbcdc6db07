import type { BatchOptions, BatchProgress, BatchResult, BatchRows, BatchSource, CsvPreview, PreviewOptions } from './batch-types';
import type { BenchmarkProgress, BenchmarkRequest, BenchmarkResult } from './benchmark-types';
import type { DatasetExplanation, DatasetOptions, DatasetPlan, DatasetProgress, DatasetRowsListener } from './dataset-types';
import type { DeletionCurve, DeletionOptions, ExplainOptions, ExplainProgress, Explanation } from './explanation-types';
import type { GlassboxError } from './errors';
import type {
  BackendChoice,
  BackendName,
  EngineChoice,
  EngineName,
  LabelScore,
  LoadPhase,
  LoadProgress,
  ModelManifest,
  ModelSource,
  TruncationInfo,
  WebGpuSupport,
} from './types';

/**
 * The classifier worker's API as the page sees it through Comlink (src/client.ts).
 * Plain data only: everything here is structured-cloned across the worker boundary.
 */

export interface LoadOptions {
  engine: EngineChoice;
  backend: BackendChoice;
}

export interface LoadResult {
  /** The model's id (its folder name). */
  model: string;
  /** The folder it was loaded from. */
  url: string;
  engine: EngineName;
  backend: BackendName;
  /** Adapter or WASM set-up in use. */
  device: string;
  /** Set when `auto` could not use WebGPU. */
  fallbackReason?: string;
  webgpu: WebGpuSupport;
  labels: string[];
  /** From the load request to a model that has answered once. */
  msToReady: number;
  /** How long the phases that report their own time took (shader compilation, warm-up), in ms. */
  phaseMs: Partial<Record<LoadPhase, number>>;
  /** The model card, when the folder has a readable manifest.json. */
  manifest?: ModelManifest;
  /** Why there is no model card, when there is none. */
  manifestNote?: string;
  /** True when the worker already had this model loaded and reused it. */
  reused: boolean;
}

export interface ClassifyResult {
  text: string;
  label: string;
  /** All labels with their probabilities, highest first. */
  scores: LabelScore[];
  engine: EngineName;
  backend: BackendName;
  /** Tokenizing plus inference. */
  ms: number;
  truncation?: TruncationInfo;
  /**
   * Set when the text is unlike the text the model was trained on (mostly symbols, or words the
   * model's vocabulary breaks into fragments: another language, random letters): why, in words,
   * and that the label is a guess (src/core/text/familiarity.ts).
   */
  unfamiliar?: string;
}

/** How a warm-up ended. */
export const WARM_UP_OUTCOMES = Object.freeze(['settled', 'limit', 'interrupted', 'skipped'] as const);
export type WarmUpOutcome = (typeof WARM_UP_OUTCOMES)[number];

/** What an idle warm-up did (ClassifierApi.warmUp). */
export interface WarmUpResult {
  /**
   * settled: the model reached its steady speed; limit: it ran every piece planned without
   * settling; interrupted: other model work was asked for first; skipped: nothing to warm up
   * (the model runs on WebGPU, not WebAssembly).
   */
  outcome: WarmUpOutcome;
  /** Pieces of made-up text run: four texts of 100 words each, and last one explanation batch of them. */
  pieces: number;
  ms: number;
  /** Each piece's time, in order: how the speed changed as the browser optimised the code. */
  pieceMs: number[];
}

/**
 * The client's word on its worker when it died without being asked to (a crash, or a worker that
 * stopped answering): the model is being loaded again in a fresh worker, is back, or is not.
 */
export type WorkerRecovery =
  | { status: 'restarting'; reason: GlassboxError }
  | { status: 'restored'; loaded: LoadResult }
  | { status: 'failed'; error: GlassboxError };

/** How the client learns that its worker is alive: it answers a ping. */
export interface WorkerHealthApi {
  ping(): Promise<true>;
}

/** Every progress report the worker sends, told apart by `phase`. */
export type Progress = LoadProgress | ExplainProgress | BatchProgress | BenchmarkProgress | DatasetProgress;
/** Hears the progress of one call: ProgressListener<LoadProgress> for a load, ProgressListener<ExplainProgress> for an explanation, and so on. */
export type ProgressListener<P extends Progress = Progress> = (progress: P) => void;

/** Deletion-curve settings; maxFeatures must match the explanation's (default 300). */
export type DeletionCurveOptions = DeletionOptions & { maxFeatures?: number };

export interface ClassifierApi {
  /**
   * Loads a model (once: the same folder, engine and backend are reused) and disposes the
   * previous one. A newer load supersedes an older one still in progress.
   */
  load(source: ModelSource, options: LoadOptions, onProgress?: ProgressListener<LoadProgress>): Promise<LoadResult>;
  /** Classifies one text; a newer call supersedes older ones that have not finished. */
  classify(text: string): Promise<ClassifyResult>;
  /**
   * Explains the loaded model's prediction for `text` (options.method: lime by default). A newer explanation, a deletion
   * curve, a classification of another text or a load stops it (SUPERSEDED).
   */
  explain(text: string, options?: ExplainOptions, onProgress?: ProgressListener<ExplainProgress>): Promise<Explanation>;
  /**
   * The faithfulness deletion curve for one label of the last explanation this worker made with
   * the loaded model (`labelIndex`, one of its perLabel); runs in the explanation's place.
   */
  deletionCurve(labelIndex: number, options?: DeletionCurveOptions): Promise<DeletionCurve>;
  /**
   * Runs the loaded model on made-up text, a few short pieces at a time, until its speed settles,
   * so that the browser has optimised the WebAssembly code before the first explanation (which
   * is otherwise three times slower). Call it when a load finishes; any other model request
   * stops it after the piece running (at most about 0.7 s on two cores). Does nothing on WebGPU.
   */
  warmUp(): Promise<WarmUpResult>;
  /** Stops the current download and explanation and drops every pending request (they reject with CANCELLED). */
  cancel(): Promise<void>;
  /**
   * Takes a model folder from the device (its files, or one .zip of them), kept in the worker's
   * memory; load() the source it returns. Nothing is sent anywhere. Opening another forgets it.
   */
  openLocalFolder(files: LocalFile[]): Promise<LocalFolderOpened>;
}

/** A file of a model folder picked or dropped on the page, by its path inside what was picked. */
export interface LocalFile {
  path: string;
  file: Blob;
}

/** Where to load a folder opened from the device, and anything worth saying about it. */
export interface LocalFolderOpened {
  source: ModelSource;
  note?: string;
}

/** Hears the results file a part at a time as rows are finished (BatchRows); the worker waits for each part to arrive. */
export type BatchRowsListener = (rows: BatchRows) => void | Promise<void>;

/**
 * Batch classification of a CSV file or pasted lines, beside ClassifierApi on the same worker and
 * model. The input goes to the worker as it is (structured cloning shares a File's or Blob's bytes
 * rather than copying them) and is read and parsed there a chunk at a time; the results come back
 * as a Blob, shared the same way.
 */
export interface BatchClassifierApi {
  /** The columns, first rows and guessed text and label columns of an input; reads only its start. */
  previewBatch(source: BatchSource, options?: PreviewOptions): Promise<CsvPreview>;
  /**
   * Classifies every row with the loaded model. Each batch of texts waits for the model work asked
   * for before it, so a classification or explanation asked for during a long batch runs between
   * two of its batches. A newer batch stops this one (CANCELLED); loading another model fails it
   * (SUPERSEDED).
   */
  classifyBatch(source: BatchSource, options: BatchOptions, onProgress?: ProgressListener<BatchProgress>, onRows?: BatchRowsListener): Promise<BatchResult>;
  /** Stops the running batch, which rejects with CANCELLED saying how far it got. cancel() leaves batches running. */
  cancelBatch(): Promise<void>;
}


/**
 * Dataset explanation (src/core/contract/dataset-types.ts), beside ClassifierApi on the same worker
 * and model: the input and column options of a batch, each row explained by leaving one word out.
 */
export interface DatasetExplainerApi {
  /**
   * Reads the input and times a few of its rows explained for real, to say what explaining it
   * would cost (estimateDatasetMs). Shares the dataset job: a newer plan or run stops it.
   */
  planDatasetExplanation(source: BatchSource, options: DatasetOptions, onProgress?: ProgressListener<DatasetProgress>): Promise<DatasetPlan>;
  /**
   * Explains every row with text, or a seeded random sample (options.sampleRows), and summarises
   * the words per label. Each model call waits for the model work asked for before it, so
   * classifications run between two calls. `onRows` hears the explained rows as they are finished.
   * A newer dataset job stops this one (CANCELLED); loading another model fails it (SUPERSEDED).
   */
  explainDataset(source: BatchSource, options: DatasetOptions, onProgress?: ProgressListener<DatasetProgress>, onRows?: DatasetRowsListener): Promise<DatasetExplanation>;
  /** Stops the running dataset job, which rejects with CANCELLED saying how far it got. */
  cancelDatasetExplanation(): Promise<void>;
}

/**
 * The engine benchmark (ARCHITECTURE.md, worker API), beside ClassifierApi on the same worker:
 * measures engines and backends on this device with the loaded model's folder, each in a fresh
 * engine, while the loaded model stays as it is.
 */
export interface BenchmarkApi {
  /**
   * Measures each requested engine and backend in turn; a combination that cannot run here is a
   * row saying why. Each step waits for the model work asked for before it, so classifications
   * and explanations run between two steps. A newer benchmark stops this one (CANCELLED); loading
   * another model folder fails it (SUPERSEDED).
   */
  benchmark(request: BenchmarkRequest, onProgress?: ProgressListener<BenchmarkProgress>): Promise<BenchmarkResult>;
  /** Stops the running benchmark, which rejects with CANCELLED at once. cancel() leaves benchmarks running. */
  cancelBenchmark(): Promise<void>;
}

/** Everything the classifier worker exposes: what ClassifierService implements and ClassifierClient forwards. */
export type WorkerApi = ClassifierApi & BatchClassifierApi & DatasetExplainerApi & BenchmarkApi & WorkerHealthApi;

/**
 * How the client makes each worker call. `replay`: a call the worker's death interrupted runs once
 * more in the fresh worker, once the model is back there. `ifLive`: without a live worker there is
 * nothing to do (a cancel), so none is started for it. Adding a worker method means its signature
 * in the interfaces above, its entry here and its implementation in the service: the client
 * forwards every entry, callbacks as Comlink proxies.
 */
export const WORKER_CALLS = Object.freeze({
  load: {},
  classify: { replay: true },
  explain: { replay: true },
  deletionCurve: {},
  warmUp: {},
  cancel: { ifLive: true },
  openLocalFolder: {},
  previewBatch: {},
  classifyBatch: {},
  cancelBatch: { ifLive: true },
  planDatasetExplanation: {},
  explainDataset: {},
  cancelDatasetExplanation: { ifLive: true },
  benchmark: {},
  cancelBenchmark: { ifLive: true },
  ping: {},
} satisfies Record<keyof WorkerApi, WorkerCallPolicy>);

export interface WorkerCallPolicy {
  replay?: boolean;
  ifLive?: boolean;
}
