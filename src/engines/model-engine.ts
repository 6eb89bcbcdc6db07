import { GlassboxError, toGlassboxError } from '../core/contract/errors';
import type { BackendChoice, EngineInfo, LoadProgress, ModelSource } from '../core/contract/types';
import { autoSkipsWebGpu, detectWebGpu } from './backends';
import type { Engine } from './engine';
import { failedLoad, LoadTimeline } from './load-timeline';

const NOT_LOADED = 'No model is loaded yet: load one first.';

/** One load, as the skeleton hands it to an engine's runtime part. */
export interface LoadRequest {
  source: ModelSource;
  /** The model folder's absolute address, ending in '/'. */
  folder: string;
  backend: BackendChoice;
  onProgress?: (progress: LoadProgress) => void;
  signal?: AbortSignal;
  /** Reports preparing the model, its warm-up run and ready, alike in every engine. */
  timeline: LoadTimeline;
  /** Why `auto` leaves WebGPU out on this device (a software adapter); undefined when it does not. */
  webGpuSkipped?: string;
}

/**
 * The lifecycle both engines share, as transformers.js pipelines share `_base.js`: one model per
 * engine, the folder resolved once, the load's phases timed alike, a failed load released and
 * typed alike, texts run in batches alike. Each engine supplies only its runtime's part: how to
 * fetch and start a model, and how to run one batch.
 */
export abstract class ModelEngine implements Engine {
  async load(source: ModelSource, backend: BackendChoice, onProgress?: (p: LoadProgress) => void, signal?: AbortSignal): Promise<void> {
    if (this.holdsModel()) throw new GlassboxError('INTERNAL', 'This engine already holds a model; dispose it before loading another.');
    const timeline = new LoadTimeline((progress) => onProgress?.(progress));
    try {
      const webGpuSkipped = backend === 'auto' && this.mayUseWebGpu() ? autoSkipsWebGpu(await detectWebGpu()) : undefined;
      await this.loadFolder({ source, folder: modelFolderUrl(source.url), backend, onProgress, signal, timeline, webGpuSkipped });
      timeline.ready();
    } catch (error) {
      await failedLoad(error, signal, () => this.dispose());
    }
  }

  /** Class probabilities for each text, in label order, run in padded batches of at most `batchSize`. */
  async classify(texts: string[], batchSize = 16): Promise<Float32Array[]> {
    if (!this.holdsModel()) throw new GlassboxError('MODEL_NOT_LOADED', NOT_LOADED);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new GlassboxError('BAD_INPUT', `batchSize must be a positive integer, got ${batchSize}.`);
    const probabilities: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += batchSize) probabilities.push(...(await this.classifyBatch(texts.slice(start, start + batchSize))));
    return probabilities;
  }

  /** `part` of the loaded model; MODEL_NOT_LOADED when there is none (not yet, or disposed meanwhile). */
  protected loaded<T>(part: T | undefined): T {
    if (part === undefined) throw new GlassboxError('MODEL_NOT_LOADED', NOT_LOADED);
    return part;
  }

  /** Whether a model is loaded (or far enough into its load to run its warm-up). */
  protected abstract holdsModel(): boolean;
  /** Whether this runtime can run on WebGPU at all here (ONNX Runtime under Node cannot). */
  protected mayUseWebGpu(): boolean {
    return true;
  }
  /** Fetches the folder's files and starts the model on a backend of the choice, warm-up included. */
  protected abstract loadFolder(request: LoadRequest): Promise<void>;
  /** Probabilities for one padded batch. */
  protected abstract classifyBatch(texts: string[]): Promise<Float32Array[]>;
  abstract labels(): string[];
  abstract info(): EngineInfo;
  abstract dispose(): Promise<void>;
}

/**
 * Starts the model on `first`; when WebGPU fails to run it (and the load was not cancelled), asks
 * `fallback` for the backend to try next, if the choice allows one. What a failed start set up is
 * released before the next try. Resolves to the backend that runs the model.
 */
export async function startWithFallback<B extends string>(
  first: B,
  start: (backend: B) => Promise<void>,
  release: () => Promise<void>,
  fallback: (failure: GlassboxError) => Promise<B | undefined>,
): Promise<B> {
  let backend = first;
  for (;;) {
    try {
      await start(backend);
      return backend;
    } catch (error) {
      await release();
      const failure = toGlassboxError(error);
      const next = backend === 'webgpu' && failure.code !== 'CANCELLED' ? await fallback(failure) : undefined;
      if (next === undefined) throw failure;
      backend = next;
    }
  }
}

/** The folder's absolute address with a trailing '/', so file names resolve inside it. */
export function modelFolderUrl(url: string): string {
  const base = typeof location === 'undefined' ? undefined : location.href;
  const folder = new URL(url, base);
  if (!folder.pathname.endsWith('/')) folder.pathname += '/';
  return folder.href;
}
