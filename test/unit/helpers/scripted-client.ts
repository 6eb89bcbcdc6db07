import type {
  ClassifierApi,
  ClassifyResult,
  ProgressListener,
  LoadOptions,
  LoadResult,
  LocalFile,
  LocalFolderOpened,
  WarmUpResult,
  WorkerRecovery,
} from '../../../src/core/contract/classifier-api';
import type { DeletionCurve, ExplainOptions, ExplainProgress, Explanation } from '../../../src/core/contract/explanation-types';
import type { LoadProgress, ModelSource } from '../../../src/core/contract/types';

/** A worker client whose answers the test controls, recording every call. */
export class ScriptedClient implements ClassifierApi {
  readonly loads: { source: ModelSource; options: LoadOptions; onProgress?: ProgressListener<LoadProgress> }[] = [];
  readonly texts: string[] = [];
  readonly explained: { text: string; options?: ExplainOptions; onProgress?: ProgressListener<ExplainProgress> }[] = [];
  cancelled = 0;
  terminated = 0;
  warmUps = 0;
  loadAnswer: (source: ModelSource) => Promise<LoadResult> = async (source) => loaded(source);
  classifyAnswer: (text: string) => Promise<ClassifyResult> = async (text) => result(text);
  explainAnswer: (text: string) => Promise<Explanation> = async (text) => explanation(text);

  load(source: ModelSource, options: LoadOptions, onProgress?: ProgressListener<LoadProgress>): Promise<LoadResult> {
    this.loads.push({ source, options, onProgress });
    return this.loadAnswer(source);
  }
  classify(text: string): Promise<ClassifyResult> {
    this.texts.push(text);
    return this.classifyAnswer(text);
  }
  explain(text: string, options?: ExplainOptions, onProgress?: ProgressListener<ExplainProgress>): Promise<Explanation> {
    this.explained.push({ text, options, onProgress });
    return this.explainAnswer(text);
  }
  readonly opened: LocalFile[][] = [];
  async openLocalFolder(files: LocalFile[]): Promise<LocalFolderOpened> {
    this.opened.push(files);
    return { source: { id: 'my-model', url: 'http://site.test/local-models/1/my-model/' } };
  }
  async deletionCurve(labelIndex: number): Promise<DeletionCurve> {
    return { label: `label ${labelIndex}`, labelIndex, words: ['w'], lime: [0.9, 0.2], random: [0.9, 0.8], randomDraws: 10 };
  }
  warmUpAnswer: () => Promise<WarmUpResult> = async () => ({ outcome: 'settled', pieces: 6, ms: 60, pieceMs: [10, 10, 10, 10, 10, 10] });

  warmUp(): Promise<WarmUpResult> {
    this.warmUps++;
    return this.warmUpAnswer();
  }
  async cancel(): Promise<void> {
    this.cancelled++;
  }
  terminate(): void {
    this.terminated++;
  }

  private readonly recoveryListeners: ((event: WorkerRecovery) => void)[] = [];
  onWorkerRecovery(listener: (event: WorkerRecovery) => void): () => void {
    this.recoveryListeners.push(listener);
    return () => undefined;
  }
  /** Plays what the real client says when its worker dies on its own. */
  recover(event: WorkerRecovery): void {
    for (const listener of this.recoveryListeners) listener(event);
  }
}

/** A model with labels a and b, loaded on onnx/wasm. */
export function loaded(source: ModelSource): LoadResult {
  return {
    model: source.id,
    url: source.url,
    engine: 'onnx',
    backend: 'wasm',
    device: 'test',
    webgpu: { available: false, reason: 'test' },
    labels: ['a', 'b'],
    msToReady: 10,
    phaseMs: {},
    reused: false,
  };
}

export function result(text: string): ClassifyResult {
  return { text, label: 'a', scores: [{ label: 'a', score: 0.9 }, { label: 'b', score: 0.1 }], engine: 'onnx', backend: 'wasm', ms: 1 };
}

export function explanation(text: string, samples = 10): Explanation {
  const a = { label: 'a', labelIndex: 0, probability: 0.9, weights: [{ word: 'w', weight: 0.5 }], intercept: 0.4, r2: 0.8, localPrediction: 0.88 };
  return { ...a, text, method: 'lime', scale: 'probability', modelRuns: samples, samples, evaluated: samples, ms: 5, seed: 0, perLabel: [a], distinctWords: 1, features: 1, capped: false };
}
