/** Shapes shared by the worker, the client, the engines and the UI. Plain data only. */

export type EngineName = 'onnx' | 'tfjs';
export type EngineChoice = EngineName | 'auto';
export type BackendName = 'webgpu' | 'wasm' | 'cpu';
export type BackendChoice = 'webgpu' | 'wasm' | 'auto';

export interface LabelScore {
  label: string;
  score: number;
}

/** What a model folder's manifest.json says (the model card); see ARCHITECTURE.md "Public contracts". */
export interface ModelManifest {
  id: string;
  title: string;
  task: string;
  labels: string[];
  [key: string]: unknown;
}

export interface EngineInfo {
  engine: EngineName;
  backend: BackendName;
  /** Adapter or device description, e.g. "SwiftShader (software)" or "wasm, 2 threads". */
  device: string;
  /** Set when `auto` wanted WebGPU but had to fall back: why, in words a person can act on. */
  fallbackReason?: string;
}

export type LoadPhase = 'download' | 'compile' | 'warmup' | 'ready';

export interface LoadProgress {
  phase: LoadPhase;
  /** File being fetched, when phase is download. */
  file?: string;
  /** Bytes of `file` received so far, and its size (0 when unknown). */
  fileLoaded?: number;
  fileTotal?: number;
  loaded: number;
  total: number;
  /** 0..1 */
  progress: number;
  /** How long the phase took, on the event that ends it (e.g. shader compilation during warmup). */
  ms?: number;
}

/** One file a model card lists: its path inside the model folder, size and sha256. */
export interface ModelFile {
  path: string;
  bytes: number;
  sha256?: string;
}

export interface ModelSource {
  /** Model id, the folder name under the models base URL. */
  id: string;
  /** Absolute or page-relative URL of the folder holding config.json, tokenizer.json, onnx/. */
  url: string;
  /**
   * The token window the model was fine-tuned with (manifest.json `maxTokens`), special tokens
   * included. Engines fall back to the tokenizer's and the config's limits when it is absent.
   */
  maxTokens?: number;
  /**
   * The files the model card lists, with their sizes and sha256: each download is checked against
   * them before use. Absent for a folder without a card (its files load unverified).
   */
  files?: readonly ModelFile[];
}

/**
 * How a text was fitted into the model's token window. Long texts keep their head and tail
 * (src/core/truncate.ts): the first quarter of the window and the last three quarters.
 */
export interface TruncationInfo {
  strategy: 'head+tail';
  /** Tokens in the whole text, special tokens included. */
  tokens: number;
  /** The model's window, special tokens included. */
  maxTokens: number;
  truncated: boolean;
  /** Content tokens kept from the start of the text (all of them when not truncated). */
  keptHead: number;
  /** Content tokens kept from the end of the text (0 when not truncated). */
  keptTail: number;
}
