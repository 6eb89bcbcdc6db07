import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { loadCatalog, type Catalog, type CatalogEntry } from '../catalog';
import type { ClassifierApi, ClassifyResult, LocalFile, LocalFolderOpened, WarmUpResult, WorkerRecovery } from '../core/contract/classifier-api';
import { debounce } from './debounce';
import { GlassboxError, toGlassboxError } from '../core/contract/errors';
import {
  EXPLAIN_METHODS,
  isSamplingMethod,
  type DeletionCurve,
  type ExplainMethod,
  type ExplainOptions,
  type ExplainProgress,
  type Explanation,
  type SamplingMethod,
} from '../core/contract/explanation-types';
import { readExamples, readMaxTokens, type Example } from '../core/model-folder/model-card';
import { resolveModelFolder } from '../core/model-folder/model-url';
import { checkText } from '../core/text/text-input';
import type { ExplainSettingsDetail } from './gb-explain-controls';
import { pageUrlWith } from './page-url';
import { BACKEND_CHOICES, ENGINE_CHOICES, isOneOf, type BackendChoice, type EngineChoice, type ModelManifest, type ModelSource } from '../core/contract/types';
import { withProgress } from '../core/jobs/late-progress';
import { LatestWins } from '../core/jobs/sequencer';
import { ModelSession, type SessionState } from './model-session';

export type CatalogState =
  | { status: 'loading' }
  | { status: 'ready'; catalog: Catalog }
  | { status: 'failed'; error: GlassboxError };

export type ModelState = SessionState<{ warmUp?: WarmUpState }>;

/** The idle warm-up after a load (ClassifierApi.warmUp). */
export type WarmUpState = { status: 'running' } | { status: 'done'; result: WarmUpResult } | { status: 'failed'; error: GlassboxError };

export type ResultState =
  | { status: 'idle' }
  /** A short note instead of a result, e.g. for empty text; no model call was made. */
  | { status: 'message'; message: string }
  | { status: 'running'; previous?: ClassifyResult }
  | { status: 'done'; result: ClassifyResult }
  | { status: 'failed'; error: GlassboxError };

export type ExplanationState =
  | { status: 'idle' }
  /** `method` is the one running now; `preview` is the quick leave-one-word-out answer shown meanwhile. */
  | { status: 'running'; text: string; method: ExplainMethod; progress?: ExplainProgress; preview?: Explanation }
  | { status: 'done'; explanation: Explanation; deletion: DeletionState }
  | { status: 'failed'; error: GlassboxError };

export type DeletionState =
  | { status: 'idle' }
  | { status: 'running'; labelIndex: number }
  | { status: 'done'; curve: DeletionCurve }
  | { status: 'failed'; error: GlassboxError };

/** LIME samples per explanation unless the page URL (?samples=) or the person says otherwise. */
export const DEFAULT_SAMPLES = 1000;
/** Kernel SHAP's: the budget the explanation benchmark measures it at (bench/reports/explain-quality.md). */
export const DEFAULT_KERNEL_SHAP_SAMPLES = 400;
/**
 * What Explain refines the instant leave-one-word-out answer with: the sampling method that was
 * more faithful per second in the benchmark (bench/reports/explain-quality.md).
 */
export const DEFAULT_METHOD: ExplainMethod = 'kernelshap';

/** How long typing must pause before the text is classified. */
export const TYPING_PAUSE_MS = 300;

/**
 * The page's state and every call to the classifier, so components only render and raise events.
 * Initial choices come from the page URL (?model=, ?backend=, ?engine=, ?method=, ?samples=,
 * ?text=) so a view can be linked to; otherwise the catalog's default model with automatic engine
 * and backend. Every choice the person makes is written back through `onUrlChange`.
 */
export class ClassifierController implements ReactiveController {
  catalog: CatalogState = { status: 'loading' };
  result: ResultState = { status: 'idle' };
  text = '';
  engine: EngineChoice;
  backend: BackendChoice;
  /** The model folder typed by the person, if they chose one outside the catalog. */
  customUrl = '';
  explanation: ExplanationState = { status: 'idle' };
  /** The method Explain ends with (after the leave-one-word-out preview). */
  method: ExplainMethod;
  /** Samples per explanation, for each sampling method. */
  samples: Record<SamplingMethod, number>;
  /** Explain every classification as it arrives; off by default because explaining runs the model many times. */
  autoExplain = false;
  /** What the page URL asked for that cannot be done, each with what is done instead. */
  readonly urlNotes: string[] = [];
  /** Why the worker was replaced, while the model is restored into a new one and until the next load. */
  recoveryNote = '';
  /** Explain was asked for while the text was still being classified. */
  private explainWhenClassified = false;

  private readonly requestedModel: string | null;
  private source: ModelSource | undefined;
  private readonly classifications = new LatestWins();
  private readonly session: ModelSession<{ warmUp?: WarmUpState }>;
  private readonly explanations = new LatestWins();
  /** The load turn a worker recovery took; a newer load makes its outcome moot. */
  private recoveryTurn = 0;
  private readonly classifySoon = debounce(() => void this.classify(), TYPING_PAUSE_MS);

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly client: ClassifierApi & { terminate?(): void; onWorkerRecovery?(listener: (event: WorkerRecovery) => void): () => void },
    private readonly pageUrl: string,
    /** Receives the page's address with the current choices, e.g. for history.replaceState. */
    private readonly onUrlChange: (url: string) => void = () => undefined,
  ) {
    host.addController(this);
    this.session = new ModelSession(host, client, {
      readyExtras: () => ({ warmUp: { status: 'running' } }),
      ready: (_loaded, turn) => {
        if (this.text.trim()) void this.classify();
        void this.warmUp(turn);
      },
    });
    client.onWorkerRecovery?.((event) => this.workerRecovery(event));
    const params = new URL(pageUrl).searchParams;
    const fromUrl = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
      const value = params.get(name);
      if (value === null) return fallback;
      if (isOneOf(allowed, value)) return value;
      this.urlNotes.push(`?${name}=${value} is not one of ${allowed.join(', ')}: using ${fallback}.`);
      return fallback;
    };
    this.engine = fromUrl('engine', ENGINE_CHOICES, 'auto');
    this.backend = fromUrl('backend', BACKEND_CHOICES, 'auto');
    this.requestedModel = params.get('model');
    this.method = fromUrl('method', EXPLAIN_METHODS, DEFAULT_METHOD);
    const samples = Number(params.get('samples'));
    const asked = Number.isInteger(samples) && samples >= 2 ? samples : undefined;
    if (params.has('samples') && asked === undefined) this.urlNotes.push(`?samples=${params.get('samples')} is not a whole number of at least 2: using the defaults.`);
    this.samples = { lime: asked ?? DEFAULT_SAMPLES, kernelshap: asked ?? DEFAULT_KERNEL_SHAP_SAMPLES };
    this.text = params.get('text') ?? '';
  }

  /** Writes the choices on screen into the page's address. */
  private recordChoices(): void {
    const samples = isSamplingMethod(this.method) ? this.samples[this.method] : undefined;
    const changedSamples = samples !== undefined && samples !== (this.method === 'lime' ? DEFAULT_SAMPLES : DEFAULT_KERNEL_SHAP_SAMPLES) ? samples : undefined;
    const choices = { model: this.selectedEntry?.source.id, engine: this.engine, backend: this.backend, method: this.method, samples: changedSamples, text: this.text };
    this.onUrlChange(pageUrlWith(this.pageUrl, choices, { method: DEFAULT_METHOD }));
  }

  hostConnected(): void {
    if (this.catalog.status === 'loading') void this.openCatalog();
    else if (this.source && this.model.status === 'idle') void this.load(this.source);
  }

  /** A page without the element needs no model: the worker and its memory are released. */
  hostDisconnected(): void {
    this.classifySoon.cancel();
    this.session.reset();
    this.classifications.cancelAll();
    this.explanations.cancelAll();
    this.client.terminate?.();
    this.result = { status: 'idle' };
    this.explanation = { status: 'idle' };
  }

  get model(): ModelState {
    return this.session.state;
  }

  /** The card of the model in use, or of the selected catalog entry while it loads. */
  get manifest(): ModelManifest | undefined {
    if (this.model.status === 'ready') return this.model.loaded.manifest;
    return this.selectedEntry?.manifest;
  }

  get selectedEntry(): CatalogEntry | undefined {
    if (this.catalog.status !== 'ready' || !this.source) return undefined;
    const url = this.source.url;
    return this.catalog.catalog.entries.find((entry) => entry.source.url === url);
  }

  get examples(): Example[] {
    return readExamples(this.manifest);
  }

  get maxTokens(): number | undefined {
    return readMaxTokens(this.manifest);
  }

  selectModel(id: string): void {
    if (this.catalog.status !== 'ready') return;
    const entry = this.catalog.catalog.entries.find((e) => e.source.id === id);
    if (!entry) return;
    this.customUrl = '';
    void this.load(entry.source);
  }

  /** Loads a model folder typed by the person; only folders on this site are accepted. */
  selectFolder(input: string): void {
    this.customUrl = input;
    let source: ModelSource;
    try {
      source = resolveModelFolder(input, this.pageUrl);
    } catch (error) {
      this.session.fail(toGlassboxError(error), { id: input, url: input });
      return;
    }
    void this.load(source);
  }

  /**
   * A model folder from this device (its files, or one .zip): the files go to the worker, never to
   * a server, and the model loads from there.
   */
  async openLocalFolder(files: LocalFile[]): Promise<void> {
    this.customUrl = '';
    // Named as the picked folder (or .zip) until the worker has read it; it says at once that a model loads.
    const first = files[0]?.path ?? 'folder';
    const picked = { id: first.includes('/') ? first.slice(0, first.indexOf('/')) : first.replace(/\.zip$/i, ''), url: '' };
    const turn = this.session.begin(picked);
    let opened: LocalFolderOpened;
    try {
      opened = await this.client.openLocalFolder(files);
    } catch (error) {
      this.session.settle(turn, { error: toGlassboxError(error), source: picked });
      return;
    }
    if (this.session.isCurrent(turn)) await this.load(opened.source);
  }

  setBackend(backend: BackendChoice): void {
    this.backend = backend;
    if (this.source) void this.load(this.source);
  }

  setEngine(engine: EngineChoice): void {
    this.engine = engine;
    if (this.source) void this.load(this.source);
  }

  /** Called as the person types: classifies once typing pauses. */
  setText(text: string): void {
    this.text = text;
    this.classifySoon();
  }

  /** The Classify button, an example, or Enter: classifies now. */
  classifyNow(text = this.text): void {
    this.text = text;
    this.classifySoon.cancel();
    void this.classify();
  }

  /** Samples the current method draws; undefined for the methods that sample nothing. */
  get numSamples(): number | undefined {
    return isSamplingMethod(this.method) ? this.samples[this.method] : undefined;
  }

  setExplainSettings({ method, numSamples, autoExplain }: ExplainSettingsDetail): void {
    this.method = method;
    if (isSamplingMethod(method) && numSamples !== undefined) this.samples = { ...this.samples, [method]: numSamples };
    this.autoExplain = autoExplain;
    this.recordChoices();
    this.host.requestUpdate();
    if (autoExplain && this.result.status === 'done' && this.explanation.status === 'idle') void this.explain();
  }

  /**
   * Explains the current classification, every label, the predicted one first: leaving one word
   * out first (n + 1 model runs, shown at once), then with the chosen method.
   */
  async explain(): Promise<void> {
    if (this.result.status === 'running') {
      // The click came while the text is still being classified (typing, or a blur that started a
      // classification): explain that result as soon as it arrives rather than dropping the request.
      this.explainWhenClassified = true;
      return;
    }
    if (this.result.status !== 'done') return;
    const text = this.result.result.text;
    const turn = this.explanations.begin();
    const method = this.method;
    const numSamples = this.numSamples;
    const run = (options: ExplainOptions & { method: ExplainMethod }, preview?: Explanation) => {
      const step = options.method;
      this.explanation = { status: 'running', text, method: step, ...(preview ? { preview } : {}) };
      this.host.requestUpdate();
      return withProgress<Explanation, ExplainProgress>(
        (onProgress) => this.client.explain(text, options, onProgress),
        (progress) => {
          if (!this.explanations.isCurrent(turn)) return;
          this.explanation = { status: 'running', text, method: step, progress, ...(preview ? { preview } : {}) };
          this.host.requestUpdate();
        },
      );
    };
    try {
      // The preview skips the faithfulness check so it is on screen at once; the explanation that
      // replaces it is checked. When the chosen method is occlusion too, the worker reuses every
      // row the preview ran and only the check is left to run.
      const preview = await run({ method: 'occlusion', faithfulness: false });
      if (!this.explanations.isCurrent(turn)) return;
      const explanation = await run({ method, ...(numSamples !== undefined ? { numSamples } : {}) }, preview);
      if (!this.explanations.isCurrent(turn)) return;
      this.explanation = { status: 'done', explanation, deletion: { status: 'idle' } };
    } catch (error) {
      const failure = toGlassboxError(error);
      if (!this.explanations.isCurrent(turn) || failure.code === 'SUPERSEDED') return;
      this.explanation = failure.code === 'CANCELLED' ? { status: 'idle' } : { status: 'failed', error: failure };
    }
    this.host.requestUpdate();
  }

  /** Stops the running explanation. */
  cancelExplanation(): void {
    if (this.explanation.status !== 'running') return;
    this.dropExplanation();
    this.host.requestUpdate();
  }

  /** Forgets the explanation on screen, and stops it in the worker if it is still running. */
  private dropExplanation(): void {
    const running = this.explanation.status === 'running';
    this.explanations.cancelAll();
    this.explanation = { status: 'idle' };
    // cancel() would also stop a model download: only call it when no load is running.
    if (running && this.model.status === 'ready') void this.client.cancel();
  }

  /** The faithfulness check for one explained label. */
  async deletionCurve(labelIndex: number): Promise<void> {
    const state = this.explanation;
    if (state.status !== 'done') return;
    const explained = state.explanation.perLabel.find((l) => l.labelIndex === labelIndex);
    if (!explained) return;
    const { explanation } = state;
    const turn = this.explanations.newest;
    const settle = (deletion: DeletionState) => {
      if (!this.explanations.isCurrent(turn) || this.explanation.status !== 'done') return;
      this.explanation = { status: 'done', explanation, deletion };
      this.host.requestUpdate();
    };
    settle({ status: 'running', labelIndex });
    try {
      settle({ status: 'done', curve: await this.client.deletionCurve(labelIndex) });
    } catch (error) {
      const failure = toGlassboxError(error);
      settle(failure.code === 'SUPERSEDED' || failure.code === 'CANCELLED' ? { status: 'idle' } : { status: 'failed', error: failure });
    }
  }

  /** Stops the model download in progress; the model then shows as cancelled, with Retry. */
  cancelLoad(): void {
    if (this.model.status === 'loading') void this.client.cancel();
  }

  /** Retries whatever failed last: the catalog, or the model. */
  retry(): void {
    if (this.catalog.status === 'failed') void this.openCatalog();
    else if (this.source) void this.load(this.source);
  }

  private async openCatalog(): Promise<void> {
    this.catalog = { status: 'loading' };
    this.host.requestUpdate();
    try {
      const catalog = await loadCatalog(this.pageUrl);
      this.catalog = { status: 'ready', catalog };
      const requested = catalog.entries.find((e) => e.source.id === this.requestedModel);
      if (this.requestedModel !== null && !requested) {
        this.urlNotes.push(`?model=${this.requestedModel} is not one of this site's models (${catalog.entries.map((e) => e.source.id).join(', ')}): opening ${catalog.defaultId}.`);
      }
      const wanted = requested ?? catalog.entries.find((e) => e.source.id === catalog.defaultId);
      if (wanted) void this.load(wanted.source);
    } catch (error) {
      this.catalog = { status: 'failed', error: toGlassboxError(error) };
    }
    this.host.requestUpdate();
  }

  /** Loads `source`; the session shows how it goes, and what follows a load is in its `ready` hook. */
  private async load(source: ModelSource): Promise<void> {
    this.source = source;
    this.recoveryNote = '';
    this.recordChoices();
    this.classifications.cancelAll();
    this.result = { status: 'idle' };
    this.explanations.cancelAll();
    this.explanation = { status: 'idle' };
    await this.session.load(source, { engine: this.engine, backend: this.backend }).catch(() => undefined);
  }

  /**
   * Lets the worker run the model on made-up text while the person reads and types, so the first
   * explanation is as fast as later ones; whatever the person asks for stops it.
   */
  private async warmUp(turn: number): Promise<void> {
    let warmUp: WarmUpState;
    try {
      warmUp = { status: 'done', result: await this.client.warmUp() };
    } catch (error) {
      // Nothing depends on it: a failure here is only worth a line on the model's state.
      warmUp = { status: 'failed', error: toGlassboxError(error) };
    }
    this.session.updateReady(turn, { warmUp });
  }

  /**
   * The worker died on its own and the client loads the model again in a fresh one: the page says
   * the model is loading until it is back (never "ready" about a model no worker holds), then
   * ready, or failed with the reason. A load the person started meanwhile wins.
   */
  private workerRecovery(event: WorkerRecovery): void {
    const source = this.source;
    if (!source) return;
    if (event.status === 'restarting') {
      if (this.model.status !== 'ready') return;
      this.recoveryNote = `The classifier was restarted: ${event.reason.detail} It is loading ${source.id} again; work it had not finished runs once more.`;
      this.recoveryTurn = this.session.begin(source);
    } else if (event.status === 'restored') {
      if (this.session.settle(this.recoveryTurn, { loaded: event.loaded })) void this.warmUp(this.recoveryTurn);
    } else {
      this.session.settle(this.recoveryTurn, { error: event.error, source });
    }
  }

  /** An explanation of another text no longer describes the result on screen. */
  private afterClassification(text: string): void {
    const wanted = this.autoExplain || this.explainWhenClassified;
    this.explainWhenClassified = false;
    const explained = this.explanation.status === 'done' ? this.explanation.explanation.text : this.explanation.status === 'running' ? this.explanation.text : undefined;
    if (explained === text) return;
    if (explained !== undefined || this.explanation.status === 'failed') {
      this.explanations.cancelAll();
      this.explanation = { status: 'idle' };
    }
    if (wanted) void this.explain();
  }

  private async classify(): Promise<void> {
    const turn = this.classifications.begin();
    // Once per classification, not per keystroke: browsers throttle (and complain about) rapid history updates.
    this.recordChoices();
    try {
      checkText(this.text);
    } catch (error) {
      this.result = { status: 'message', message: toGlassboxError(error).detail };
      this.dropExplanation();
      this.host.requestUpdate();
      return;
    }
    if (this.model.status !== 'ready') {
      this.result = {
        status: 'message',
        message: this.model.status === 'loading' ? 'The model is still loading; your text will be classified when it is ready.' : 'Load a model to classify this text.',
      };
      this.host.requestUpdate();
      return;
    }
    const previous = this.result.status === 'done' ? this.result.result : this.result.status === 'running' ? this.result.previous : undefined;
    this.result = { status: 'running', ...(previous ? { previous } : {}) };
    this.host.requestUpdate();
    try {
      const result = await this.client.classify(this.text);
      if (!this.classifications.isCurrent(turn)) return;
      this.result = { status: 'done', result };
      this.afterClassification(result.text);
    } catch (error) {
      const failure = toGlassboxError(error);
      if (!this.classifications.isCurrent(turn) || failure.code === 'SUPERSEDED' || failure.code === 'CANCELLED') return;
      this.result = { status: 'failed', error: failure };
      // A crashed worker took the model with it: say so, and let the person load again.
      if (failure.code === 'WORKER_FAILED' && this.source) this.session.fail(failure, this.source);
    }
    this.host.requestUpdate();
  }
}
