import * as tf from '@tensorflow/tfjs-core';
import { GlassboxError, messageOf } from '../../core/contract/errors';
import type { GradientSettings, PieceAttributions } from '../../core/contract/explanation-types';
import { throwIfCancelled } from '../../core/jobs/abort';
import { QUANTIZED_MODEL_FILE } from '../../core/model-folder/model-card';
import { checkWeightsFit } from '../../core/model-folder/model-limits';
import { padBatch } from '../../core/text/pad-batch';
import { softmax } from '../../core/text/softmax';
import { resolveTokenWindow } from '../../core/text/truncate';
import type { BackendName, EngineInfo, TruncationInfo } from '../../core/contract/types';
import { activeDeviceLoss, markGpuBackendLost, tfjsBackendStarters } from './backend';
import { backendOrder, startFirstWorking, type ActiveBackend, type BackendStarters } from './backend-selection';
import { attributeTokens } from './attributions';
import { BertParams, bertLogits } from './bert';
import { parseBertConfig, type BertConfig } from './bert-config';
import { DeviceLossGuard } from './device-loss';
import { LOAD_CANCELLED, type LoadTimeline } from '../load-timeline';
import { ModelEngine, startWithFallback, type LoadRequest } from '../model-engine';
import { downloadModelFiles, type FetchLike } from './model-files';
import { readOnnxWeights } from './onnx-weights';
import { WindowedTokenizer } from './tokenizer';
import type { TfjsWasmPaths } from './wasm-files';
import { readBertWeights, type HostTensor } from './weights';

export interface TfjsEngineOptions {
  /** Where the site serves @tensorflow/tfjs-backend-wasm's binaries (see backend.ts). */
  wasmPaths?: TfjsWasmPaths;
  /** How model files are fetched (default: the global fetch). */
  fetch?: FetchLike;
  /** The backends to try (default: the real TF.js ones); tests pass failing ones. */
  starters?: BackendStarters;
}

interface LoadedModel {
  config: BertConfig;
  params: BertParams;
  tokenizer: WindowedTokenizer;
  backend: BackendName;
  deviceLoss: DeviceLossGuard;
}

/**
 * On WebGPU, TF.js compiles a shader per operation and per fit of the shapes to its tiles, so every
 * new sequence length can cost seconds of compilation. Padding batches to a multiple of the tile
 * (the mask hides the padding) leaves few shapes, and warming those up during load makes the first
 * classification as fast as the later ones.
 */
const GPU_LENGTH_MULTIPLE = 32;
/**
 * Rows x tokens: a text filling the window and two short ones select the programs single texts
 * need (measured on SwiftShader: later lengths compiled nothing new); the first LIME batch of a
 * new size still compiles a few.
 */
const GPU_WARMUP_SHAPES: readonly (readonly [rows: number, tokens: number | 'window'])[] = [
  [1, 'window'],
  [1, GPU_LENGTH_MULTIPLE],
  [1, 2 * GPU_LENGTH_MULTIPLE],
];
/** How long a failed GPU read waits for the device's `lost` promise before reporting another cause. */
const DEVICE_LOSS_GRACE_MS = 250;
/** WebAssembly and the cpu backend compile nothing per shape: one short run sets up their buffers. */
const CPU_WARMUP_SHAPES: readonly (readonly [rows: number, tokens: number | 'window'])[] = [[1, 16]];

/**
 * BERT written in TensorFlow.js ops (bert.ts) over the same int8 model file as the ONNX engine,
 * dequantized once on load. Runs on WebGPU, WebAssembly or plain JavaScript, whichever starts
 * first in the order of the choice, and reports which and why.
 */
export class TfjsEngine extends ModelEngine {
  private model: LoadedModel | undefined;
  private current: EngineInfo = { engine: 'tfjs', backend: 'cpu', device: 'not loaded' };

  constructor(private readonly options: TfjsEngineOptions = {}) {
    super();
  }

  protected holdsModel(): boolean {
    return this.model !== undefined;
  }

  protected async loadFolder({ source, folder, backend, onProgress, signal, timeline, webGpuSkipped }: LoadRequest): Promise<void> {
    // A software WebGPU adapter is left out of `auto`, and the reason kept as a failure to report.
    const order = webGpuSkipped ? backendOrder(backend).filter((name) => name !== 'webgpu') : backendOrder(backend);
    const earlier = webGpuSkipped ? [{ backend: 'webgpu' as const, reason: webGpuSkipped }] : [];
    const starters = this.options.starters ?? tfjsBackendStarters(this.options.wasmPaths);
    // The backend starts (GPU adapter, WebAssembly compile) while the files download.
    const starting = startFirstWorking(order, starters, earlier);
    starting.catch(() => undefined);
    const files = await downloadModelFiles(folder, this.options.fetch ?? ((url, init) => fetch(url, init)), signal, onProgress, source.files);
    throwIfCancelled(signal, () => LOAD_CANCELLED);

    timeline.compiling();
    const config = parseBertConfig(files.config, folder);
    const tokenizerMax = (files.tokenizerConfig as { model_max_length?: number } | null)?.model_max_length;
    const window = resolveTokenWindow({ declared: source.maxTokens, tokenizerMax, positions: config.maxPositions });
    const tokenizer = new WindowedTokenizer(files.tokenizer, files.tokenizerConfig, window, config.vocabSize, folder);
    const onnx = readOnnxWeights(files.onnx, `${folder}${QUANTIZED_MODEL_FILE}`);
    // A readable model file, but is it the one config.json describes? Asked before the weights are sized by the config.
    checkWeightsFit(config, files.onnx.byteLength, `${folder}config.json`, `${folder}${QUANTIZED_MODEL_FILE}`);
    const weights = readBertWeights(onnx, config, `${folder}${QUANTIZED_MODEL_FILE}`);
    const active = await this.startModel(weights, config, tokenizer, await starting, order, starters, signal, timeline);
    this.current = {
      engine: 'tfjs',
      backend: active.backend,
      device: active.device,
      ...(active.fallbackReason ? { fallbackReason: active.fallbackReason } : {}),
    };
  }

  /**
   * Uploads the weights and warms the backend up with dummy batches, so shader compilation
   * counts towards loading, not towards the first classification. When WebGPU cannot run the
   * model (and the choice allows another backend) the next backend takes over and the reason is
   * kept. The host copy of the weights is dropped once the device holds them.
   */
  private async startModel(
    weights: Map<string, HostTensor>,
    config: BertConfig,
    tokenizer: WindowedTokenizer,
    first: ActiveBackend,
    order: readonly BackendName[],
    starters: BackendStarters,
    signal: AbortSignal | undefined,
    timeline: LoadTimeline,
  ): Promise<ActiveBackend> {
    let active = first;
    const start = async (backend: BackendName) => {
      throwIfCancelled(signal, () => LOAD_CANCELLED);
      await useBackend(backend);
      const deviceLoss = new DeviceLossGuard();
      const lost = activeDeviceLoss();
      if (lost) deviceLoss.watch(lost, markGpuBackendLost);
      this.model = { config, params: uploadWeights(weights), tokenizer, backend, deviceLoss };
      timeline.warming();
      await this.warmUp(backend, tokenizer);
    };
    await startWithFallback(first.backend, start, async () => this.releaseModel(), async (failure) => {
      if (order.length < 2 || failure.code === 'MODEL_INVALID') return undefined;
      const rest = order.filter((name) => name !== 'webgpu');
      active = await startFirstWorking(rest, starters, [{ backend: 'webgpu', reason: `it could not run the model: ${failure.detail}` }]);
      return active.backend;
    });
    return active;
  }

  private async warmUp(backend: BackendName, tokenizer: WindowedTokenizer): Promise<void> {
    for (const [rows, tokens] of backend === 'webgpu' ? GPU_WARMUP_SHAPES : CPU_WARMUP_SHAPES) {
      const length = tokens === 'window' ? tokenizer.window : Math.min(tokens, tokenizer.window);
      await this.logitsOf(Array.from({ length: rows }, () => new Array<number>(length).fill(tokenizer.padId)));
    }
  }

  protected async classifyBatch(texts: string[]): Promise<Float32Array[]> {
    const { tokenizer } = this.loaded(this.model);
    return (await this.logitsOf(texts.map((text) => tokenizer.encode(text).ids))).map(softmax);
  }

  /**
   * Logits, one row per sequence of token ids (special tokens included, at most the window),
   * run as one padded batch. Public for parity checks against other runtimes on the same ids.
   */
  async logitsOf(rows: readonly (readonly number[])[]): Promise<Float32Array[]> {
    const { config, params, tokenizer, backend, deviceLoss } = this.loaded(this.model);
    deviceLoss.assertUsable();
    await useBackend(backend);
    const { ids, mask, count, length } = modelInputs(rows, tokenizer, backend === 'webgpu' ? GPU_LENGTH_MULTIPLE : 1);
    let logits: tf.Tensor2D | undefined;
    try {
      logits = tf.tidy(() => bertLogits(params, config, tf.tensor2d(ids, [count, length], 'int32'), tf.tensor2d(mask, [count, length], 'float32')));
      const data = (await deviceLoss.run(logits.data())) as Float32Array;
      const width = config.labels.length;
      return Array.from({ length: count }, (_, row) => data.slice(row * width, (row + 1) * width));
    } catch (error) {
      throw backend === 'webgpu' ? ((await deviceLoss.lossWithin(DEVICE_LOSS_GRACE_MS)) ?? runFailure(error, backend)) : runFailure(error, backend);
    } finally {
      logits?.dispose();
    }
  }

  /** Gradient attributions of one label's probability to each piece of a text (attributions.ts). */
  async attributions(pieces: readonly string[], labelIndex: number, settings: GradientSettings): Promise<PieceAttributions> {
    const { config, params, tokenizer, backend, deviceLoss } = this.loaded(this.model);
    if (!Number.isInteger(labelIndex) || labelIndex < 0 || labelIndex >= config.labels.length) {
      throw new GlassboxError('BAD_INPUT', `Label index ${labelIndex} is not one of the model's ${config.labels.length} labels.`);
    }
    deviceLoss.assertUsable();
    await useBackend(backend);
    const { ids, piece } = tokenizer.encodePieces(pieces);
    try {
      const tokens = await deviceLoss.run(
        attributeTokens(params, config, { ids, special: piece.map((p) => p < 0), padId: tokenizer.padId }, labelIndex, settings),
      );
      const perPiece = new Float64Array(pieces.length);
      let total = 0;
      tokens.perToken.forEach((value, i) => {
        total += value;
        if (piece[i] >= 0) perPiece[piece[i]] += value;
      });
      return { perPiece, total, full: tokens.full, baseline: tokens.baseline, engine: 'tfjs', backend };
    } catch (error) {
      throw runFailure(error, backend);
    }
  }

  async describeInput(text: string): Promise<TruncationInfo> {
    return this.loaded(this.model).tokenizer.encode(text).info;
  }

  /** The ids the model sees for `text`: special tokens included, cut to the window head + tail. */
  tokenIds(text: string): number[] {
    return this.loaded(this.model).tokenizer.encode(text).ids;
  }

  /** Tokens in `text` without special tokens; what LIME's batching groups texts by. */
  tokenCount(text: string): number {
    return this.loaded(this.model).tokenizer.countTokens(text);
  }

  labels(): string[] {
    return this.model ? [...this.model.config.labels] : [];
  }

  info(): EngineInfo {
    return { ...this.current };
  }

  async dispose(): Promise<void> {
    this.releaseModel();
  }

  private releaseModel(): void {
    this.model?.params.dispose();
    this.model = undefined;
  }
}

/** Copies the float32 weights onto the active backend; the host arrays can be dropped afterwards. */
function uploadWeights(weights: Map<string, HostTensor>): BertParams {
  const tensors = new Map<string, tf.Tensor>();
  try {
    for (const [name, { shape, values }] of weights) tensors.set(name, tf.tensor(values, shape, 'float32'));
  } catch (error) {
    for (const tensor of tensors.values()) tensor.dispose();
    throw error;
  }
  return new BertParams(tensors);
}

/** TF.js has one active backend per thread; the model's tensors live on the one they were loaded on. */
async function useBackend(backend: BackendName): Promise<void> {
  if (tf.getBackend() !== backend && !(await tf.setBackend(backend))) {
    throw new GlassboxError('BACKEND_UNAVAILABLE', `The TF.js ${backend} backend stopped working; load the model again.`);
  }
}

function runFailure(error: unknown, backend: BackendName): GlassboxError {
  if (error instanceof GlassboxError) return error;
  const message = messageOf(error);
  if (backend === 'webgpu' && /device (was )?lost|GPUDevice.*lost/i.test(message)) {
    return new GlassboxError('DEVICE_LOST', `The WebGPU device was lost while running the model (${message}). Load the model again; choose WebAssembly if it keeps happening.`, {
      cause: error,
    });
  }
  return new GlassboxError('INTERNAL', `Running the model with the TF.js ${backend} backend failed: ${message}`, { cause: error });
}

/**
 * The padded batch as TF.js wants it: int32 ids and a float32 mask, the length rounded up to
 * `multiple` (never beyond the window, unless a row is longer).
 */
function modelInputs(rows: readonly (readonly number[])[], tokenizer: WindowedTokenizer, multiple: number) {
  const batch = padBatch(rows, tokenizer.padId);
  const [count, longest] = batch.shape;
  const length = Math.min(Math.ceil(longest / multiple) * multiple, Math.max(longest, tokenizer.window));
  const ids = new Int32Array(count * length).fill(tokenizer.padId);
  const mask = new Float32Array(count * length);
  for (let row = 0; row < count; row++) {
    for (let i = 0; i < longest; i++) {
      ids[row * length + i] = Number(batch.inputIds[row * longest + i]);
      mask[row * length + i] = Number(batch.attentionMask[row * longest + i]);
    }
  }
  return { ids, mask, count, length };
}
