/** Shapes shared by the worker, the client, the engines and the UI. Plain data only. */

export type EngineName = 'onnx' | 'tfjs';
export type EngineChoice = EngineName | 'auto';
export type BackendName = 'webgpu' | 'wasm' | 'cpu';
export type BackendChoice = 'webgpu' | 'wasm' | 'auto';

export interface LabelScore {
  label: string;
  score: number;
}

/** What a model folder's manifest.json says (the model card); see DESIGN.md "Model folder". */
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
}

export type LoadPhase = 'download' | 'compile' | 'warmup' | 'ready';

export interface LoadProgress {
  phase: LoadPhase;
  /** File being fetched, when phase is download. */
  file?: string;
  loaded: number;
  total: number;
  /** 0..1 */
  progress: number;
}

export interface ModelSource {
  /** Model id, the folder name under the models base URL. */
  id: string;
  /** Absolute or page-relative URL of the folder holding config.json, tokenizer.json, onnx/. */
  url: string;
}
