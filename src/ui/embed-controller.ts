import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ClassifierApi, ClassifyResult, LoadResult } from '../core/contract/classifier-api';
import { sameModelConfig, type EmbedModelConfig } from '../core/element/embed-config';
import {
  errorDetail,
  explanationDetail,
  progressDetail,
  readyDetail,
  resultDetail,
  type GbExplanationDetail,
  type GbResultDetail,
  type GlassboxEventDetails,
} from '../core/element/embed-events';
import { GlassboxError, toGlassboxError, type ErrorCode } from '../core/contract/errors';
import { isSamplingMethod, type ExplainMethod, type ExplainOptions, type ExplainProgress, type Explanation } from '../core/contract/explanation-types';
import { checkText } from '../core/text/text-input';
import { withProgress } from '../core/jobs/late-progress';
import { LatestWins } from '../core/jobs/sequencer';
import { ModelSession, type SessionState } from './model-session';

/** The element the controller serves: it raises the events and knows whether it is on the page. */
export type EmbedHost = ReactiveControllerHost & EventTarget & { readonly isConnected: boolean };

/** What the element needs of the classifier client; `terminate` frees the worker when the element leaves. */
export type EmbedClient = Pick<ClassifierApi, 'load' | 'classify' | 'explain'> & { terminate(reason?: string): void };

export type EmbedModelState = SessionState;

export type EmbedResultState =
  | { status: 'idle' }
  | { status: 'running'; text: string; previous?: ClassifyResult }
  | { status: 'done'; result: ClassifyResult }
  | { status: 'failed'; error: GlassboxError };

export type EmbedExplanationState =
  | { status: 'idle' }
  | { status: 'running'; text: string; method: ExplainMethod; samples: number; progress?: ExplainProgress }
  | { status: 'done'; explanation: Explanation }
  | { status: 'failed'; error: GlassboxError };

/** What the `text`, `explain`, `method` and `samples` attributes ask for. */
export interface EmbedWish {
  text: string;
  explain: boolean;
  /** The explanation method, or why the attribute is unusable (absent: lime). */
  method?: ExplainMethod | GlassboxError;
  /** Samples of a sampling method, or why the attribute is unusable. */
  samples: number | GlassboxError;
}

/** A load that failed for one of these may work on the next try: the next call loads again. */
const RETRY_LOAD: readonly ErrorCode[] = ['MODEL_FETCH_FAILED', 'WORKER_FAILED', 'DEVICE_LOST'];

/**
 * The state of `<glassbox-classifier>` and every call it makes to the classifier worker, so the
 * element itself only parses attributes and renders. It loads the configured model, runs what the
 * attributes ask for (classify `text`, explain it when `explain` is set) and the public methods,
 * and raises the element's events. Every failure raises one gb-error, once: a method that fails
 * because the model could not be loaded rejects with the error already reported for the load.
 * Work that a newer call replaced (SUPERSEDED) is not an error for the page and raises nothing.
 */
export class EmbedController implements ReactiveController {
  result: EmbedResultState = { status: 'idle' };
  explanation: EmbedExplanationState = { status: 'idle' };

  private config: EmbedModelConfig | undefined;
  private configError: GlassboxError | undefined;
  private loading: Promise<LoadResult> | undefined;
  private wish: EmbedWish = { text: '', explain: false, samples: 2 };
  private readonly reported = new WeakSet<GlassboxError>();
  /** Bumped when the element leaves the page: what was started before reports nothing. */
  private generation = 0;
  private readonly session: ModelSession;
  private readonly results = new LatestWins();
  private readonly explanations = new LatestWins();
  private readonly wishes = new LatestWins();
  private releaseTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: EmbedHost,
    private readonly client: EmbedClient,
  ) {
    host.addController(this);
    this.session = new ModelSession(host, client, {
      progress: (progress) => {
        const detail = progressDetail(progress);
        if (detail) this.emit('gb-progress', detail);
      },
      ready: (loaded) => this.emit('gb-ready', readyDetail(loaded)),
      failed: (error) => this.report(error),
    });
  }

  get model(): EmbedModelState {
    return this.session.state;
  }

  /** Back on the page after its worker was released: load the model again and show the text. */
  hostConnected(): void {
    if (this.releaseTimer !== undefined) {
      clearTimeout(this.releaseTimer);
      this.releaseTimer = undefined;
    }
    if (this.config && !this.loading) {
      void this.startLoad(this.config);
      this.runWish();
    }
  }

  /**
   * Off the page, the worker and the model's memory are released. Not at once: moving the element
   * (a removal and an insertion in the same task) keeps the loaded model.
   */
  hostDisconnected(): void {
    this.releaseTimer = setTimeout(() => {
      this.releaseTimer = undefined;
      if (!this.host.isConnected) this.release();
    }, 0);
  }

  /** The model attributes changed: load the model they name, or report why they cannot be used. */
  configure(config: EmbedModelConfig | GlassboxError | undefined): void {
    if (config instanceof GlassboxError) {
      this.config = undefined;
      this.configError = config;
      this.loading = undefined;
      this.session.fail(config);
      this.clearShown();
      this.report(config);
      return;
    }
    if (!this.configError && this.loading && sameModelConfig(config, this.config)) return;
    this.config = config;
    this.configError = undefined;
    this.clearShown();
    if (config) void this.startLoad(config);
    else {
      this.loading = undefined;
      this.session.reset();
    }
    this.host.requestUpdate();
  }

  /** The `text`, `explain` or `samples` attribute changed (or the model did): show that text. */
  show(wish: EmbedWish): void {
    this.wish = wish;
    this.runWish();
  }

  /** `classify(text)`: resolves to the gb-result detail it raises. */
  classify(text: string): Promise<GbResultDetail> {
    return this.task(async (generation) => {
      const checked = checkText(text);
      await this.loadedModel();
      const turn = this.results.begin();
      const previous = this.result.status === 'done' ? this.result.result : undefined;
      this.result = { status: 'running', text: checked, ...(previous ? { previous } : {}) };
      if (this.explainedText() !== checked) this.clearExplanation();
      this.host.requestUpdate();
      try {
        const result = await this.client.classify(checked);
        if (generation === this.generation && this.results.isCurrent(turn)) this.result = { status: 'done', result };
        const detail = resultDetail(result);
        this.emit('gb-result', detail);
        return detail;
      } catch (error) {
        const failure = toGlassboxError(error);
        if (generation === this.generation && this.results.isCurrent(turn) && !isSuperseded(failure)) {
          this.result = { status: 'failed', error: failure };
          this.afterWorkerFailure(failure);
        }
        throw failure;
      } finally {
        this.host.requestUpdate();
      }
    });
  }

  /** `explain(text, options)`: resolves to the gb-explanation detail it raises; progress comes as gb-progress. */
  explain(text: string, options: ExplainOptions = {}): Promise<GbExplanationDetail> {
    return this.task(async (generation) => {
      const checked = checkText(text);
      if (typeof options !== 'object' || options === null || Array.isArray(options)) {
        throw new GlassboxError('BAD_INPUT', 'The explain options must be an object such as {numSamples: 500}.');
      }
      await this.loadedModel();
      const turn = this.explanations.begin();
      const samples = options.numSamples ?? Number.NaN;
      const method = options.method ?? 'lime';
      this.explanation = { status: 'running', text: checked, method, samples };
      this.host.requestUpdate();
      const onProgress = (progress: ExplainProgress) => {
        if (generation !== this.generation) return;
        if (this.explanations.isCurrent(turn)) {
          this.explanation = { status: 'running', text: checked, method, samples, progress };
          this.host.requestUpdate();
        }
        const detail = progressDetail(progress);
        if (detail) this.emit('gb-progress', detail);
      };
      try {
        const explanation = await withProgress<Explanation, ExplainProgress>((listener) => this.client.explain(checked, { ...options }, listener), onProgress);
        if (generation === this.generation && this.explanations.isCurrent(turn)) this.explanation = { status: 'done', explanation };
        const detail = explanationDetail(explanation);
        this.emit('gb-explanation', detail);
        return detail;
      } catch (error) {
        const failure = toGlassboxError(error);
        if (generation === this.generation && this.explanations.isCurrent(turn)) {
          this.explanation = isSuperseded(failure) ? { status: 'idle' } : { status: 'failed', error: failure };
          this.afterWorkerFailure(failure);
        }
        throw failure;
      } finally {
        this.host.requestUpdate();
      }
    });
  }

  /**
   * Runs a public call: waits for pending attribute changes (so `el.model = ...; el.classify(...)`
   * uses the new model), reports its failure as gb-error, and turns work cut short by the element
   * leaving the page into CANCELLED.
   */
  private async task<T>(work: (generation: number) => Promise<T>): Promise<T> {
    const generation = this.generation;
    try {
      if (!this.host.isConnected) {
        throw new GlassboxError('MODEL_NOT_LOADED', 'The element is not on the page: add <glassbox-classifier> to the document before calling classify() or explain().');
      }
      await this.host.updateComplete;
      return await work(generation);
    } catch (error) {
      const failure = toGlassboxError(error);
      if (generation !== this.generation) {
        throw new GlassboxError('CANCELLED', 'The element was removed from the page before the work finished.', { cause: failure });
      }
      if (!isSuperseded(failure)) this.report(failure);
      throw failure;
    }
  }

  /** The loaded model, after the load in progress; loads again when the last try may work now. */
  private async loadedModel(): Promise<LoadResult> {
    for (;;) {
      if (this.configError) throw this.configError;
      if (!this.config) {
        throw new GlassboxError('BAD_INPUT', 'No model is set: give the element a model attribute, e.g. <glassbox-classifier model="news-topic">.');
      }
      if (!this.loading || (this.model.status === 'failed' && RETRY_LOAD.includes(this.model.error.code))) this.startLoad(this.config);
      const pending = this.loading!;
      try {
        const loaded = await pending;
        if (pending === this.loading) return loaded;
      } catch (error) {
        if (pending === this.loading) throw error;
      }
      // The model attributes changed while waiting: wait for the model they name now.
    }
  }

  private startLoad({ source, engine, backend }: EmbedModelConfig): Promise<LoadResult> {
    this.loading = this.session.load(source, { engine, backend });
    return this.loading;
  }

  /** Classifies the wished-for text unless it is shown already, then explains it when asked to. */
  private runWish(): void {
    const turn = this.wishes.begin();
    const { text, explain, samples, method = 'lime' } = this.wish;
    if (!text.trim()) {
      this.clearShown();
      this.host.requestUpdate();
      return;
    }
    void (async () => {
      try {
        if (!(this.result.status === 'done' && this.result.result.text === text)) await this.classify(text);
        if (!explain || !this.wishes.isCurrent(turn)) return;
        for (const unusable of [method, samples]) {
          if (unusable instanceof GlassboxError) {
            this.report(unusable);
            return;
          }
        }
        const m = method as ExplainMethod;
        const sampling = isSamplingMethod(m);
        const wanted = (shown: { text: string; method: ExplainMethod; samples: number }) =>
          shown.text === text && shown.method === m && (!sampling || shown.samples === samples);
        const current = this.explanation;
        const explained = (current.status === 'done' && wanted(current.explanation)) || (current.status === 'running' && wanted(current));
        if (!explained) await this.explain(text, { method: m, ...(sampling ? { numSamples: samples as number } : {}) });
      } catch {
        // Already reported as gb-error, or replaced by newer work.
      }
    })();
  }

  /** A dead worker took the model with it: the next call loads it again. */
  private afterWorkerFailure(failure: GlassboxError): void {
    if (failure.code !== 'WORKER_FAILED' && failure.code !== 'DEVICE_LOST') return;
    this.session.fail(failure, this.config?.source);
  }

  private explainedText(): string | undefined {
    const e = this.explanation;
    return e.status === 'done' ? e.explanation.text : e.status === 'running' ? e.text : undefined;
  }

  private clearExplanation(): void {
    this.explanations.cancelAll();
    this.explanation = { status: 'idle' };
  }

  /** What is shown describes another text or another model. */
  private clearShown(): void {
    this.results.cancelAll();
    this.result = { status: 'idle' };
    this.clearExplanation();
  }

  private release(): void {
    this.generation++;
    this.session.reset();
    this.wishes.cancelAll();
    this.loading = undefined;
    this.client.terminate('The <glassbox-classifier> element was removed from the page.');
    this.clearShown();
  }

  private report(error: GlassboxError): void {
    if (this.reported.has(error)) return;
    this.reported.add(error);
    this.emit('gb-error', errorDetail(error));
  }

  private emit<K extends keyof GlassboxEventDetails>(type: K, detail: GlassboxEventDetails[K]): void {
    this.host.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

function isSuperseded(error: GlassboxError): boolean {
  return error.code === 'SUPERSEDED' || error.code === 'CANCELLED';
}
