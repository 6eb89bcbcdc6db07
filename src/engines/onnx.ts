import { AutoTokenizer, type PreTrainedTokenizer, type ProgressInfo } from '@huggingface/transformers';
import type { InferenceSession, Tensor } from 'onnxruntime-web';
import { DownloadReporter } from '../core/model-folder/download-progress';
import { GlassboxError } from '../core/contract/errors';
import { QUANTIZED_MODEL_FILE } from '../core/model-folder/model-card';
import { labelsFromConfig } from '../core/model-folder/model-catalog';
import { splitModelFolder } from '../core/model-folder/model-url';
import { padBatch } from '../core/text/pad-batch';
import { softmax } from '../core/text/softmax';
import { fitToWindow, resolveTokenWindow, type WindowedIds } from '../core/text/truncate';
import type { BackendChoice, EngineInfo, TruncationInfo } from '../core/contract/types';
import { detectWebGpu } from './backends';
import { downloadBytes, downloadJson } from './download';
import type { GuardedFetch } from './guarded-fetch';
import type { LoadTimeline } from './load-timeline';
import { ModelEngine, startWithFallback, type LoadRequest } from './model-engine';
import { toEngineError, type LoadStage } from './onnx-errors';
import { configureOrtWeb, describeWasm, type OrtAssets, type OrtModule } from './ort-runtime';
import { configureTransformers, useModelFolder } from './transformers-env';

const WARMUP_TEXT = 'warm up';
/**
 * ONNX Runtime's session log level 3 (errors only). Its warnings (e.g. shape ops placed on the CPU
 * beside WebGPU) are normal for this model and reach the browser console as errors with terminal
 * colour codes; failures still surface as exceptions.
 */
const ORT_ERRORS_ONLY = 3;

type Provider = 'webgpu' | 'wasm' | 'cpu';

export interface OnnxEngineOptions {
  ort: OrtModule;
  /** onnxruntime-web's WASM files as the site serves them; absent under onnxruntime-node. */
  assets?: OrtAssets;
  /** The CPU execution provider: 'wasm' in browsers (default), 'cpu' under onnxruntime-node. */
  cpuProvider?: 'wasm' | 'cpu';
}

/**
 * ONNX Runtime running the int8 model (onnx/model_quantized.onnx) on WebGPU or WebAssembly, with
 * the tokenizer from transformers.js. Tokenization is done here so long texts get the exact
 * head+tail cut and batches are padded once.
 *
 * Sessions are created on ONNX Runtime directly rather than through transformers.js models:
 * transformers.js 4.3 chains every session creation and every run in a worker onto one promise,
 * so a single failure (a corrupt file, a WebGPU kernel that fails) rejects every later load and
 * run in that worker. Owning the session keeps the worker usable and makes the WebGPU to
 * WebAssembly fallback possible.
 */
export class OnnxEngine extends ModelEngine {
  private tokenizer: PreTrainedTokenizer | undefined;
  private session: InferenceSession | undefined;
  private labelNames: string[] = [];
  private window = 0;
  private current: EngineInfo = { engine: 'onnx', backend: 'wasm', device: 'not loaded' };
  private lastEncoded: { text: string; encoded: WindowedIds } | undefined;

  constructor(private readonly options: OnnxEngineOptions) {
    super();
  }

  protected holdsModel(): boolean {
    return this.session !== undefined;
  }

  protected override mayUseWebGpu(): boolean {
    return this.options.cpuProvider !== 'cpu';
  }

  protected async loadFolder({ source, folder, backend, onProgress, signal, timeline, webGpuSkipped }: LoadRequest): Promise<void> {
    if (this.options.assets) configureOrtWeb(this.options.ort, this.options.assets);
    const fetches = configureTransformers();
    const { parent, name } = splitModelFolder(folder);
    useModelFolder(parent);
    // One abort for the whole load: the caller's cancel, or the first failed download stopping the others.
    const abort = new AbortController();
    const forward = () => abort.abort();
    signal?.addEventListener('abort', forward);
    fetches.forgetUnder(folder);
    fetches.expectFiles(folder, source.files ?? []);
    fetches.useSignal(abort.signal);
    const report = new DownloadReporter(onProgress, source.files ?? []);
    // transformers.js reports the tokenizer's files as they arrive.
    const onTokenizerEvent = (info: ProgressInfo) => {
      if (info.status === 'progress') report.bytes(info.file, info.loaded, info.total);
      else if (info.status === 'done') report.finish(info.file);
    };
    const step = <T>(stage: LoadStage, work: () => Promise<T>) => runStep(stage, folder, fetches, work);
    try {
      const providers = await this.providersFor(backend, webGpuSkipped);
      const [tokenizer, config, model] = await Promise.all([
        step('tokenizer', () => AutoTokenizer.from_pretrained(name, { progress_callback: onTokenizerEvent })),
        step('model', () => downloadJson(`${folder}config.json`, fetches.fetch, (loaded, total) => report.bytes('config.json', loaded, total))),
        step('model', () =>
          downloadBytes(`${folder}${QUANTIZED_MODEL_FILE}`, fetches.fetch, (loaded, total) => report.bytes(QUANTIZED_MODEL_FILE, loaded, total)),
        ),
      ]).catch((error: unknown) => {
        abort.abort();
        throw error;
      });
      this.tokenizer = tokenizer;
      this.labelNames = labelsFromConfig(config, folder);
      this.window = resolveTokenWindow({
        declared: source.maxTokens,
        tokenizerMax: tokenizer.model_max_length,
        positions: (config as { max_position_embeddings?: number }).max_position_embeddings,
      });
      timeline.compiling();
      await this.startSession(providers, model, step, timeline, webGpuSkipped && `Auto chose WebAssembly over WebGPU: ${webGpuSkipped}.`);
    } finally {
      signal?.removeEventListener('abort', forward);
      fetches.useSignal(undefined);
    }
  }

  /**
   * The providers to try in order: `auto` means WebGPU when a GPU adapter works, with WebAssembly
   * behind it, and WebAssembly alone on a software adapter (or without WebGPU).
   */
  private async providersFor(backend: BackendChoice, webGpuSkipped: string | undefined): Promise<Provider[]> {
    const cpu = this.options.cpuProvider ?? 'wasm';
    if (cpu === 'cpu' || backend === 'wasm') return [cpu];
    const support = await detectWebGpu();
    if (backend === 'webgpu') {
      if (!support.available) {
        throw new GlassboxError('BACKEND_UNAVAILABLE', `WebGPU was requested but is not available: ${support.reason ?? 'no adapter'}`);
      }
      return ['webgpu'];
    }
    return support.available && !webGpuSkipped ? ['webgpu', cpu] : [cpu];
  }

  /**
   * Creates the session and runs it once, so that shader compilation and memory set-up count
   * towards the time to ready, not towards the first classification. A WebGPU failure at either
   * step falls back to the next provider; a broken file fails on every provider.
   */
  private async startSession(providers: Provider[], model: Uint8Array, step: RunStep, timeline: LoadTimeline, skipped: string | undefined): Promise<void> {
    let fallbackReason = skipped;
    const start = async (provider: Provider) => {
      this.session = await step('model', () =>
        this.options.ort.InferenceSession.create(model, { executionProviders: [provider], graphOptimizationLevel: 'all', logSeverityLevel: ORT_ERRORS_ONLY }),
      );
      timeline.warming();
      await step('warmup', () => this.classify([WARMUP_TEXT], 1));
    };
    const provider = await startWithFallback(providers[0], start, () => this.releaseSession(), async (failure) => {
      fallbackReason = `WebGPU could not run this model (${failure.detail}); using WebAssembly instead.`;
      return providers[1];
    });
    this.current = { ...(await this.describe(provider)), ...(fallbackReason ? { fallbackReason } : {}) };
  }

  private async describe(provider: Provider): Promise<EngineInfo> {
    if (provider === 'webgpu') {
      const support = await detectWebGpu();
      return { engine: 'onnx', backend: 'webgpu', device: `WebGPU: ${support.adapter ?? 'adapter'}` };
    }
    if (provider === 'cpu') return { engine: 'onnx', backend: 'cpu', device: 'onnxruntime-node, CPU' };
    return { engine: 'onnx', backend: 'wasm', device: describeWasm(this.options.ort) };
  }

  protected async classifyBatch(texts: string[]): Promise<Float32Array[]> {
    const session = this.loaded(this.session);
    const tokenizer = this.loaded(this.tokenizer);
    const { Tensor: OrtTensor } = this.options.ort;
    const rows = texts.map((text) => this.encode(text).ids);
    const batch = padBatch(rows, tokenizer.pad_token_id ?? 0);
    const feeds: Record<string, Tensor> = {
      input_ids: new OrtTensor('int64', batch.inputIds, batch.shape),
      attention_mask: new OrtTensor('int64', batch.attentionMask, batch.shape),
    };
    if (session.inputNames.includes('token_type_ids')) {
      feeds.token_type_ids = new OrtTensor('int64', new BigInt64Array(batch.inputIds.length), batch.shape);
    }
    let outputs: InferenceSession.OnnxValueMapType | undefined;
    try {
      outputs = await session.run(feeds);
      const logits = outputs.logits ?? outputs[session.outputNames[0]];
      const width = logits.dims[1];
      if (logits.dims.length !== 2 || width !== this.labelNames.length) {
        throw new GlassboxError('MODEL_INVALID', `The model outputs logits of shape [${logits.dims.join(', ')}] but config.json names ${this.labelNames.length} labels.`);
      }
      const data = (await logits.getData()) as Float32Array;
      return rows.map((_, row) => softmax(data.subarray(row * width, (row + 1) * width)));
    } finally {
      for (const tensor of [...Object.values(feeds), ...Object.values(outputs ?? {})]) tensor.dispose();
    }
  }

  async describeInput(text: string): Promise<TruncationInfo> {
    return this.encode(text).info;
  }

  tokenCount(text: string): number {
    return this.loaded(this.tokenizer).encode(text, { add_special_tokens: false }).length;
  }

  /** Token ids for `text`, cut to the window; the last one is kept because the worker asks twice per text. */
  private encode(text: string): WindowedIds {
    if (this.lastEncoded?.text === text) return this.lastEncoded.encoded;
    const tokenizer = this.loaded(this.tokenizer);
    const encoded = fitToWindow(
      tokenizer.encode(text, { add_special_tokens: true }),
      tokenizer.encode(text, { add_special_tokens: false }),
      this.window,
    );
    this.lastEncoded = { text, encoded };
    return encoded;
  }

  labels(): string[] {
    return [...this.labelNames];
  }

  info(): EngineInfo {
    return { ...this.current };
  }

  async dispose(): Promise<void> {
    this.tokenizer = undefined;
    this.lastEncoded = undefined;
    await this.releaseSession();
  }

  private async releaseSession(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    await session?.release().catch(() => undefined);
  }
}

type RunStep = <T>(stage: LoadStage, work: () => Promise<T>) => Promise<T>;

async function runStep<T>(stage: LoadStage, folder: string, fetches: GuardedFetch, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toEngineError(error, stage, folder, fetches);
  }
}
