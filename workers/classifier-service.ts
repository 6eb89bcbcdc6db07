import { throwIfCancelled } from '../src/core/jobs/abort';
import type { BatchOptions, BatchProgress, BatchResult, BatchSource, CsvPreview, PreviewOptions } from '../src/core/contract/batch-types';
import { checkBenchmarkRequest } from '../src/core/benchmark/benchmark-request';
import type { BenchmarkProgress, BenchmarkRequest, BenchmarkResult } from '../src/core/contract/benchmark-types';
import type { DatasetExplanation, DatasetOptions, DatasetPlan, DatasetProgress, DatasetRowsListener } from '../src/core/contract/dataset-types';
import type {
  BatchRowsListener,
  ClassifyResult,
  DeletionCurveOptions,
  LoadOptions,
  LoadResult,
  ProgressListener,
  LocalFile,
  LocalFolderOpened,
  WarmUpResult,
  WorkerApi,
} from '../src/core/contract/classifier-api';
import { LocalModels } from './local-models';
import { LongJobs } from './long-jobs';
import { GlassboxError, toGlassboxError } from '../src/core/contract/errors';
import type { DeletionCurve, ExplainOptions, ExplainProgress, Explanation } from '../src/core/contract/explanation-types';
import { readExamples, readFiles, readMaxTokens } from '../src/core/model-folder/model-card';
import { rankScores } from '../src/core/text/scores';
import { LatestWins, SerialQueue } from '../src/core/jobs/sequencer';
import { measureFamiliarity, unfamiliarNote } from '../src/core/text/familiarity';
import { checkText } from '../src/core/text/text-input';
import { BACKEND_CHOICES, ENGINE_CHOICES, isOneOf, type BackendChoice, type EngineChoice, type EngineName, type LoadProgress, type ModelSource, type WebGpuSupport } from '../src/core/contract/types';
import type { Engine } from '../src/engines/engine';
import { benchmarkEngineFactory } from './benchmark-engines';
import { runBenchmark, type BenchmarkEngineFactory } from './benchmark-runner';
import { previewCsv, runCsvBatch } from './csv-batch';
import { explainDataset, planDataset, type DatasetDeps } from './dataset-explain';
import type { ExplainRunnerDeps } from './explain/evaluator';
import { runDeletionCurve } from './explain/faithfulness';
import { runExplanation } from './explain/run';
import { EXPLAIN_DEFAULTS } from './explain/options';
import { RowCache } from './explain/row-cache';
import { ExplanationSlot } from './explain/slot';
import type { ModelFolder } from './model-folder';
import { warmUpModel } from './warm-up';
import { BatchPacer } from '../src/core/jobs/batch-pacing';

export interface ClassifierServiceDeps {
  createEngine(name: EngineName): Promise<Engine>;
  resolveEngine(choice: EngineChoice): EngineName;
  inspectFolder(source: ModelSource): Promise<ModelFolder>;
  detectWebGpu(): Promise<WebGpuSupport>;
  now(): number;
  /** The site's origin; model folders elsewhere are refused. */
  origin?: string;
  /** Engines for the benchmark (default: createEngine's, on the backend asked for). */
  createBenchmarkEngine?: BenchmarkEngineFactory;
  /** Folders opened from the device, which the worker's fetch answers from memory (default: a new store). */
  localModels?: LocalModels;
}

/** The model the worker holds, with what its load reported. */
export interface LoadedModel {
  key: string;
  engine: Engine;
  result: LoadResult;
  /** The folder as it was loaded, with its token window. */
  source: ModelSource;
  /** The backend asked for; an engine loaded beside this one for gradients asks for the same. */
  backend: BackendChoice;
  /** Perturbed rows already run for the text explained last, reused by the next explanation of it. */
  rows: RowCache;
  /** The last explanation made with this model: the one a deletion curve checks. */
  lastExplanation?: Explanation;
  /** How many texts one model call of a long job takes, from this model's measured speed (warm-up, explanations, batches). */
  pacer: BatchPacer;
}

/**
 * Everything the classifier worker does, independent of Comlink so it can be tested in Node.
 * One model at a time: loading the same folder with the same engine and backend reuses it,
 * anything else disposes it first. Model work runs one job after another (SerialQueue), and
 * newer loads and classifications supersede older ones that have not finished (LatestWins).
 */
export class ClassifierService implements WorkerApi {
  private loaded: LoadedModel | undefined;
  private readonly queue = new SerialQueue();
  private readonly loads = new LatestWins();
  private readonly classifications = new LatestWins();
  private loadAbort: AbortController | undefined;
  private readonly explanations = new ExplanationSlot();
  /** The explanation or deletion curve running or queued now, if any. */
  private explaining: { text: string; signal: AbortSignal } | undefined;
  /** The TF.js engine loaded beside an engine without gradients, for the gradient method; keyed like `loaded`. */
  private gradientEngine: { key: string; engine: Engine } | undefined;
  /** The running batch, dataset explanation (or its plan) and benchmark: one of each at a time. */
  private readonly longJobs = new LongJobs<'batch' | 'dataset' | 'benchmark'>();
  /** Stops the idle warm-up as soon as anything else wants the model. */
  private warmUpAbort: AbortController | undefined;

  private readonly localModels: LocalModels;

  constructor(private readonly deps: ClassifierServiceDeps) {
    this.localModels = deps.localModels ?? new LocalModels(deps.origin ?? 'http://localhost');
  }

  async load(source: ModelSource, options: LoadOptions, onProgress?: ProgressListener<LoadProgress>): Promise<LoadResult> {
    checkSource(source, this.deps.origin);
    checkOptions(options);
    const engineName = this.deps.resolveEngine(options.engine);
    const key = JSON.stringify([source.url, engineName, options.backend]);
    const turn = this.loads.begin();
    this.warmUpAbort?.abort();
    // An explanation of the model being replaced would only hold the new load up.
    this.explanations.supersede();
    // A newer load makes an older download pointless: stop it now rather than after it finishes.
    this.loadAbort?.abort();
    const abort = new AbortController();
    this.loadAbort = abort;
    return this.queue.run(async () => {
      this.loads.assertCurrent(turn, `Loading ${source.id}`);
      if (this.loaded?.key === key) return { ...this.loaded.result, reused: true };
      await this.unload();
      const started = this.deps.now();
      const [folder, webgpu] = await Promise.all([this.deps.inspectFolder(source), this.deps.detectWebGpu()]);
      this.loads.assertCurrent(turn, `Loading ${source.id}`);
      const engine = await this.deps.createEngine(engineName);
      const files = readFiles(folder.manifest);
      const loadedSource = { ...source, maxTokens: source.maxTokens ?? readMaxTokens(folder.manifest), ...(files.length > 0 ? { files } : {}) };
      const phaseMs: LoadResult['phaseMs'] = {};
      const recordPhases = (progress: LoadProgress) => {
        if (progress.ms !== undefined) phaseMs[progress.phase] = progress.ms;
        onProgress?.(progress);
      };
      try {
        await engine.load(loadedSource, options.backend, recordPhases, abort.signal);
        this.loads.assertCurrent(turn, `Loading ${source.id}`);
      } catch (error) {
        await engine.dispose().catch(() => undefined);
        // A load stopped by a newer one reports that, not the abort it caused.
        this.loads.assertCurrent(turn, `Loading ${source.id}`);
        throw toGlassboxError(error);
      }
      const info = engine.info();
      const result: LoadResult = {
        model: source.id,
        url: source.url,
        engine: info.engine,
        backend: info.backend,
        device: info.device,
        ...(info.fallbackReason ? { fallbackReason: info.fallbackReason } : {}),
        webgpu,
        labels: engine.labels(),
        msToReady: Math.round(this.deps.now() - started),
        phaseMs,
        ...(folder.manifest ? { manifest: folder.manifest } : {}),
        ...(folder.manifestNote ? { manifestNote: folder.manifestNote } : {}),
        reused: false,
      };
      this.loaded = { key, engine, result, source: loadedSource, backend: options.backend, rows: new RowCache(), pacer: new BatchPacer(EXPLAIN_DEFAULTS.batchSize) };
      return result;
    });
  }

  async classify(text: string): Promise<ClassifyResult> {
    const checked = checkText(text);
    const turn = this.classifications.begin();
    // The person moved on to another text: its classification should not wait for a stale explanation.
    if (this.explaining && this.explaining.text !== checked) this.explanations.supersede();
    return this.withModel(async (loaded) => {
      const { engine } = loaded;
      this.classifications.assertCurrent(turn, 'This classification');
      const started = this.deps.now();
      const truncation = await engine.describeInput?.(checked);
      const [probabilities] = await engine.classify([checked], 1);
      this.classifications.assertCurrent(turn, 'This classification');
      const scores = rankScores(engine.labels(), probabilities);
      const { engine: engineName, backend } = engine.info();
      const unfamiliar = unfamiliarNote(measureFamiliarity(checked, this.tokenCounter(loaded)));
      return {
        text: checked,
        label: scores[0].label,
        scores,
        engine: engineName,
        backend,
        ms: Math.round(this.deps.now() - started),
        ...(truncation ? { truncation } : {}),
        ...(unfamiliar ? { unfamiliar } : {}),
      };
    });
  }

  explain(text: string, options: ExplainOptions = {}, onProgress?: ProgressListener<ExplainProgress>): Promise<Explanation> {
    return this.explanationJob(text, onProgress, async (checked, deps, model) => {
      const explanation = await runExplanation(checked, options, deps);
      model.lastExplanation = explanation;
      return explanation;
    });
  }

  async deletionCurve(labelIndex: number, options: DeletionCurveOptions = {}): Promise<DeletionCurve> {
    const last = this.loaded?.lastExplanation;
    if (!last) throw new GlassboxError('BAD_INPUT', 'There is no explanation to check: explain a text first (the deletion curve checks the last explanation of the loaded model).');
    const explained = last.perLabel.find((label) => label.labelIndex === labelIndex);
    if (!explained) {
      const explainedLabels = last.perLabel.map((label) => `${label.labelIndex} (${label.label})`).join(', ');
      throw new GlassboxError('BAD_INPUT', `The last explanation has no label ${labelIndex}: it explained ${explainedLabels}.`);
    }
    return this.explanationJob(last.text, undefined, (checked, deps) => runDeletionCurve(checked, explained, options, deps));
  }

  openLocalFolder(files: LocalFile[]): Promise<LocalFolderOpened> {
    return this.localModels.open(files);
  }

  previewBatch(source: BatchSource, options: PreviewOptions = {}): Promise<CsvPreview> {
    // The loaded model's labels tell which column holds true labels.
    return previewCsv(source, { ...options, labels: options.labels ?? this.loaded?.result.labels ?? [] });
  }

  async classifyBatch(source: BatchSource, options: BatchOptions, onProgress?: ProgressListener<BatchProgress>, onRows?: BatchRowsListener): Promise<BatchResult> {
    return this.longJobs.run('batch', async (signal) => {
      const model = await this.withModel(async (loaded) => loaded);
      return runCsvBatch(source, options, {
        labels: model.result.labels,
        // Each batch of texts is its own job in the model queue, so that a classification or an
        // explanation asked for during a long batch does not wait for all of it.
        classify: (texts) =>
          this.onModel(
            model,
            () => `The batch stopped because ${this.loaded?.result.model ?? 'another model'} was loaded; start it again to classify with that model.`,
            async () => {
              throwIfCancelled(signal, () => 'The batch was cancelled.');
              return model.engine.classify(texts, texts.length);
            },
          ),
        ...this.longJobDeps(model, signal, onProgress, onRows),
      });
    });
  }

  async cancelBatch(): Promise<void> {
    this.longJobs.cancel('batch');
  }

  planDatasetExplanation(source: BatchSource, options: DatasetOptions, onProgress?: ProgressListener<DatasetProgress>): Promise<DatasetPlan> {
    return this.datasetJob(onProgress, undefined, (deps) => planDataset(source, options, deps));
  }

  explainDataset(source: BatchSource, options: DatasetOptions, onProgress?: ProgressListener<DatasetProgress>, onRows?: DatasetRowsListener): Promise<DatasetExplanation> {
    return this.datasetJob(onProgress, onRows, (deps) => explainDataset(source, options, deps));
  }

  async cancelDatasetExplanation(): Promise<void> {
    this.longJobs.cancel('dataset');
  }

  /** One dataset job at a time on the loaded model (a plan or a run), each model call its own job in the model queue. */
  private datasetJob<T>(
    onProgress: ProgressListener<DatasetProgress> | undefined,
    onRows: DatasetRowsListener | undefined,
    run: (deps: DatasetDeps) => Promise<T>,
  ): Promise<T> {
    return this.longJobs.run('dataset', async (signal) => {
      const model = await this.withModel(async (loaded) => loaded);
      const stopped = () => `The dataset explanation stopped because ${this.loaded?.result.model ?? 'another model'} was loaded; start it again to explain with that model.`;
      return run({
        classify: (texts) => this.onModel(model, stopped, () => model.engine.classify(texts, texts.length)),
        tokenCount: this.tokenCounter(model),
        labels: model.result.labels,
        ...(model.source.maxTokens ? { maxTokens: model.source.maxTokens } : {}),
        ...this.longJobDeps(model, signal, onProgress, onRows),
      });
    });
  }

  async benchmark(request: BenchmarkRequest, onProgress?: ProgressListener<BenchmarkProgress>): Promise<BenchmarkResult> {
    const checked = checkBenchmarkRequest(request);
    return this.longJobs.run('benchmark', async (signal) => {
      const model = await this.withModel(async (loaded) => loaded);
      const { url, model: id } = model.result;
      return runBenchmark(checked, {
        source: model.source,
        sampleText: readExamples(model.result.manifest)
          .map((example) => example.text)
          .join(' '),
        webgpu: model.result.webgpu,
        createEngine: this.deps.createBenchmarkEngine ?? benchmarkEngineFactory((name) => this.deps.createEngine(name)),
        // Each step shares the model queue with classifications, explanations and batches.
        exclusive: (job) => this.queue.run(job),
        assertCurrent: () => {
          if (this.loaded?.result.url !== url) {
            throw new GlassboxError('SUPERSEDED', `The benchmark of ${id} stopped because another model was loaded; run it again to measure that one.`);
          }
        },
        ...this.longJobDeps(model, signal, onProgress),
      });
    });
  }

  async cancelBenchmark(): Promise<void> {
    this.longJobs.cancel('benchmark');
  }

  /**
   * What every long job takes from the worker besides its model calls: the model's pacer, the
   * job's signal, the clock, and the page's listeners. Progress is sent without waiting; each part
   * of rows is awaited, so none is overtaken by the job's end.
   */
  private longJobDeps<P, R>(model: LoadedModel, signal: AbortSignal, onProgress?: (progress: P) => unknown, onRows?: (rows: R) => void | Promise<void>) {
    return {
      pacer: model.pacer,
      signal,
      now: () => this.deps.now(),
      ...(onProgress ? { onProgress: (progress: P) => void onProgress(progress) } : {}),
      ...(onRows ? { onRows: async (rows: R) => onRows(rows) } : {}),
    };
  }

  /** Answers at once, between two model calls at the latest: the client's sign that the worker lives. */
  async ping(): Promise<true> {
    return true;
  }

  async warmUp(): Promise<WarmUpResult> {
    this.warmUpAbort?.abort();
    const abort = new AbortController();
    this.warmUpAbort = abort;
    try {
      const model = await this.queue.run(async () => this.loaded);
      if (!model) throw new GlassboxError('MODEL_NOT_LOADED', 'No model is loaded: load one before warming it up.');
      // WebGPU runs the model's arithmetic on the GPU: there is no WebAssembly code to optimise.
      if (model.engine.info().backend !== 'wasm') return { outcome: 'skipped', pieces: 0, ms: 0, pieceMs: [] };
      return await warmUpModel({
        run: (texts) =>
          this.queue.run(async () => {
            if (this.loaded !== model || abort.signal.aborted) return;
            const started = this.deps.now();
            await model.engine.classify(texts, texts.length);
            model.pacer.record(texts.length, this.deps.now() - started);
          }),
        batchSize: EXPLAIN_DEFAULTS.batchSize,
        signal: abort.signal,
        now: () => this.deps.now(),
      });
    } finally {
      if (this.warmUpAbort === abort) this.warmUpAbort = undefined;
    }
  }

  async cancel(): Promise<void> {
    this.warmUpAbort?.abort();
    this.loads.cancelAll();
    this.classifications.cancelAll();
    this.explanations.cancel();
    this.loadAbort?.abort();
  }

  /**
   * Runs explanation work on the loaded model in the one explanation slot: starting it stops the one
   * before (SUPERSEDED). Each model call (one padded batch of perturbed texts, or one gradient
   * pass) is its own job in the model queue, so a classification asked for meanwhile runs between
   * two batches rather than after the whole explanation.
   */
  private async explanationJob<T>(
    text: string,
    onProgress: ProgressListener<ExplainProgress> | undefined,
    run: (checked: string, deps: ExplainRunnerDeps, model: LoadedModel) => Promise<T>,
  ): Promise<T> {
    const checked = checkText(text);
    const signal = this.explanations.start();
    this.explaining = { text: checked, signal };
    try {
      const model = await this.withModel(async (loaded) => loaded);
      const stopped = () => `The explanation stopped because ${this.loaded?.result.model ?? 'another model'} was loaded; explain again to use it.`;
      return await run(checked, {
        classify: (texts) => this.onModel(model, stopped, () => model.engine.classify(texts, texts.length)),
        attributions: (pieces, labelIndex, settings) =>
          this.onModel(model, stopped, async () => {
            const { engine, note } = await this.gradientSource(model);
            const attributed = await engine.attributions!(pieces, labelIndex, settings);
            return note ? { ...attributed, note } : attributed;
          }),
        tokenCount: this.tokenCounter(model),
        labels: model.engine.labels(),
        rowCache: model.rows,
        pacer: model.pacer,
        signal,
        ...(onProgress ? { onProgress: (progress) => void onProgress(progress) } : {}),
        now: () => this.deps.now(),
      }, model);
    } finally {
      this.explanations.finish(signal);
      if (this.explaining?.signal === signal) this.explaining = undefined;
    }
  }

  /** Tokens in a piece of text by the model's tokenizer, or estimated where the engine has none. */
  private tokenCounter(model: LoadedModel): (text: string) => number {
    const { engine } = model;
    return engine.tokenCount ? (text) => engine.tokenCount!(text) : estimateTokens;
  }

  /**
   * One step of a long job that began on `model`, queued behind the model work asked for before
   * it; fails SUPERSEDED, saying `stopped()`, once another model has replaced that one.
   */
  private onModel<T>(model: LoadedModel, stopped: () => string, step: () => Promise<T>): Promise<T> {
    return this.queue.run(async () => {
      if (this.loaded !== model) throw new GlassboxError('SUPERSEDED', stopped());
      return step();
    });
  }

  /**
   * Runs `job` with the loaded model, after every job queued before it. The way for further
   * worker methods (explanations, benchmarks) to share the one model without overlapping runs.
   */
  withModel<T>(job: (model: LoadedModel) => Promise<T>): Promise<T> {
    this.warmUpAbort?.abort();
    return this.queue.run(async () => {
      if (!this.loaded) throw new GlassboxError('MODEL_NOT_LOADED', 'No model is loaded: pick a model and wait until it is ready.');
      return job(this.loaded);
    });
  }

  /**
   * The engine that takes the gradients for `model`: its own, or a TF.js engine loaded beside it on
   * the same folder and backend choice (kept until the model changes), with a note saying so.
   */
  private async gradientSource(model: LoadedModel): Promise<{ engine: Engine; note?: string }> {
    if (model.engine.attributions) return { engine: model.engine };
    if (this.gradientEngine?.key !== model.key) {
      await this.disposeGradientEngine();
      const engine = await this.deps.createEngine('tfjs');
      try {
        await engine.load(model.source, model.backend);
      } catch (error) {
        await engine.dispose().catch(() => undefined);
        const reason = toGlassboxError(error).detail;
        throw new GlassboxError('BACKEND_UNAVAILABLE', `The gradient method needs the TF.js engine, which could not load this model here (${reason}); choose occlusion, lime or kernelshap.`, { cause: error });
      }
      this.gradientEngine = { key: model.key, engine };
    }
    const { backend } = this.gradientEngine.engine.info();
    return {
      engine: this.gradientEngine.engine,
      note: `${model.result.engine === 'onnx' ? 'ONNX Runtime' : 'This engine'} takes no gradients, so the TF.js engine (${backend}) was loaded beside it on the same model files.`,
    };
  }

  private async disposeGradientEngine(): Promise<void> {
    const previous = this.gradientEngine;
    this.gradientEngine = undefined;
    await previous?.engine.dispose();
  }

  private async unload(): Promise<void> {
    const previous = this.loaded;
    this.loaded = undefined;
    await this.disposeGradientEngine();
    await previous?.engine.dispose();
  }
}

/** Word and punctuation count: close enough to grouping by length for engines without a tokenizer count. */
function estimateTokens(text: string): number {
  return text.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu)?.length ?? 0;
}

function checkSource(source: ModelSource, origin: string | undefined): void {
  if (typeof source !== 'object' || source === null || typeof source.id !== 'string' || typeof source.url !== 'string' || !source.url) {
    throw new GlassboxError('BAD_INPUT', 'A model source needs an id and the URL of its folder.');
  }
  if (origin && URL.canParse(source.url) && new URL(source.url).origin !== origin) {
    throw new GlassboxError('BAD_INPUT', `${source.url} is on another site; models are only loaded from this site (${origin}).`);
  }
}

function checkOptions(options: LoadOptions): void {
  if (!isOneOf(ENGINE_CHOICES, options?.engine)) {
    throw new GlassboxError('BAD_INPUT', `Unknown engine "${String(options?.engine)}": use ${ENGINE_CHOICES.join(', ')}.`);
  }
  if (!isOneOf(BACKEND_CHOICES, options.backend)) {
    throw new GlassboxError('BAD_INPUT', `Unknown backend "${String(options.backend)}": use ${BACKEND_CHOICES.join(', ')}.`);
  }
}
