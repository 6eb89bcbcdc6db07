import type { GradientSettings, PieceAttributions } from '../core/contract/explanation-types';
import type { BackendChoice, EngineInfo, LoadProgress, ModelSource, TruncationInfo } from '../core/contract/types';

/**
 * One interface for both ML runtimes (ONNX Runtime Web via transformers.js, and TensorFlow.js).
 * The worker, batching and LIME depend only on this.
 */
export interface Engine {
  /**
   * Loads tokenizer and weights; resolves `auto` backends to a concrete one, reported by info().
   * An aborted `signal` stops downloads and rejects with a CANCELLED GlassboxError.
   */
  load(
    model: ModelSource,
    backend: BackendChoice,
    onProgress?: (p: LoadProgress) => void,
    signal?: AbortSignal,
  ): Promise<void>;
  /**
   * Class probabilities for each text, in label order of the model's config (id2label).
   * Texts are run in padded batches of at most `batchSize`.
   */
  classify(texts: string[], batchSize?: number): Promise<Float32Array[]>;
  /** How `text` fits the token window (length in tokens, whether head+tail truncation applies). */
  describeInput?(text: string): Promise<TruncationInfo>;
  /** Tokens in `text` without special tokens; LIME uses it to batch texts of similar length. */
  tokenCount?(text: string): number;
  /**
   * Gradient attributions of one label's probability to each piece (word or separator) of a text;
   * only engines that can take gradients (TF.js) have it.
   */
  attributions?(pieces: readonly string[], labelIndex: number, settings: GradientSettings): Promise<PieceAttributions>;
  /** Label names in id order. */
  labels(): string[];
  info(): EngineInfo;
  dispose(): Promise<void>;
}
