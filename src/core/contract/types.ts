/** Shapes shared by the worker, the client, the engines and the UI. Plain data only. */

/** The engines a model runs on. */
export const ENGINE_NAMES = Object.freeze(['onnx', 'tfjs'] as const);
export type EngineName = (typeof ENGINE_NAMES)[number];
/** What a page, a link or the element may ask for: an engine, or auto (ONNX Runtime). */
export const ENGINE_CHOICES = Object.freeze(['auto', ...ENGINE_NAMES] as const);
export type EngineChoice = (typeof ENGINE_CHOICES)[number];
/** Where an engine computes; cpu is TF.js's plain-JavaScript backend, reached only by fallback or the benchmark. */
export const BACKEND_NAMES = Object.freeze(['webgpu', 'wasm', 'cpu'] as const);
export type BackendName = (typeof BACKEND_NAMES)[number];
/** What a page, a link or the element may ask for: WebGPU, WebAssembly, or auto (WebGPU when a real adapter works). */
export const BACKEND_CHOICES = Object.freeze(['auto', 'webgpu', 'wasm'] as const);
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** Whether `value` is one of `choices`: narrows an unchecked string (a URL parameter, an attribute, a message). */
export function isOneOf<T extends string>(choices: readonly T[], value: unknown): value is T {
  return (choices as readonly unknown[]).includes(value);
}

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
 * (src/core/text/truncate.ts): the first quarter of the window and the last three quarters.
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

/** What the worker found out about WebGPU in this browser. */
export interface WebGpuSupport {
  available: boolean;
  /** Adapter description when available, e.g. "google swiftshader (software fallback adapter)". */
  adapter?: string;
  /** The adapter is a software fallback (no GPU): `auto` then runs WebAssembly, which is far faster. */
  fallbackAdapter?: boolean;
  /** Why not, when unavailable, in words a person can act on. */
  reason?: string;
}
