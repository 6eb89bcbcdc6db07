import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { ClassifierClient } from '../client';
import { parseMethod, parseSamples, resolveEmbedConfig, type EmbedModelConfig } from '../core/element/embed-config';
import type { GbExplanationDetail, GbResultDetail, GlassboxEventDetails } from '../core/element/embed-events';
import { GlassboxError, toGlassboxError } from '../core/contract/errors';
import type { ExplainMethod, ExplainOptions } from '../core/contract/explanation-types';
import { formatPercent } from '../core/model-folder/model-card';
import { isOneOf, type BackendChoice, type EngineChoice } from '../core/contract/types';
import { DEFAULT_KERNEL_SHAP_SAMPLES, DEFAULT_SAMPLES } from './classifier-controller';
import { EmbedController } from './embed-controller';
import { METHOD_NAMES, methodSummary } from './explain-method-text';
import { exportExplanation } from './explanation-export';
import { EXPORT_FORMATS, type ExportFormat } from './export-format';
import './gb-highlighted-text';
import './gb-load-progress';
import './gb-probabilities';
import './gb-word-chart';

const MODEL_PROPERTIES = ['model', 'modelBaseUrl', 'engine', 'backend'] as const;
const WISH_PROPERTIES = ['text', 'autoExplain', 'method', 'samples'] as const;

/**
 * `<glassbox-classifier>`: classifies text with a BERT model running in a Web Worker on this
 * device (WebGPU, or WebAssembly without it) and explains predictions (LIME by default, or leaving
 * one word out, Kernel SHAP or gradients), each with how faithful it is. Defined by the
 * library build (src/element.ts); documented in docs/embedding.md.
 *
 * Setting `text` classifies it, and explains it too when `explain` is set; `classify(text)` and
 * `explain(text, options)` do the same on demand. A newer classification replaces one still
 * running, and a newer explanation or the classification of another text replaces a running
 * explanation: the replaced call rejects with code SUPERSEDED and raises no gb-error. Each element
 * has its own worker; removing the element from the page stops it and frees the model.
 *
 * @attr model - Model folder name, e.g. "news-topic".
 * @attr model-base-url - The folder holding the model folders, resolved against the document
 *   (default: `models/` beside the library file). Must be on the page's own origin.
 * @attr engine - auto | onnx | tfjs (default auto).
 * @attr backend - auto | webgpu | wasm (default auto: WebGPU when the browser has it).
 * @attr explain - Boolean (property `autoExplain`): also explain every `text`.
 * @attr text - The text to classify.
 * @attr method - occlusion | lime | kernelshap | gradient: how `explain` explains (default lime).
 * @attr samples - Samples per explanation of a sampling method started by `explain` (default 1000 for
 *   lime, 400 for kernelshap; fewer is faster and rougher).
 *
 * @fires gb-ready - {model, engine, backend}: the model is loaded.
 * @fires gb-progress - {phase: download | explain | batch, loaded, total, progress 0..1}.
 * @fires gb-result - {text, label, scores: [{label, score}] highest first, engine, backend, ms, unfamiliar?}.
 * @fires gb-explanation - {text, label, weights: [{word, weight, spread?}] largest |weight| first, method, modelRuns,
 *   comprehensiveness?, sufficiency? ({aopc, random}), stability?, intercept?, r2?, localPrediction?, samples, ms}.
 * @fires gb-error - {code, message}: what failed and what to do; `code` is a GlassboxError code.
 *
 * @cssprop --gb-font - Font of the whole element (default: inherited from the page).
 * @cssprop --gb-text-color - Text colour (default: inherited).
 * @cssprop --gb-background - Background (default transparent).
 * @cssprop --gb-border-color - Border colour (default #e2e4e8).
 * @cssprop --gb-radius - Corner radius (default 8px).
 * @cssprop --gb-padding - Inner spacing (default 1rem).
 * @cssprop --gb-accent - Probability bars and the predicted label (default #2357c6).
 * @cssprop --gb-towards-color - Words and bars that push towards the label (default #d9480f).
 * @cssprop --gb-against-color - Words and bars that push away from the label (default #1c7ed6).
 * @cssprop --gb-error-color - Error messages (default #8a1c1c).
 *
 * @csspart status - The model's loading progress, then how long it took to be ready.
 * @csspart result - The prediction and the probability of every label.
 * @csspart bar - Each probability bar.
 * @csspart explanation - The explanation (or its progress).
 * @csspart words - The chart of word weights.
 * @csspart highlighted - The text with its weighted words highlighted.
 * @csspart error - An error message.
 */
export class GlassboxClassifier extends LitElement {
  /**
   * Where models are looked for when `model-base-url` is absent. The library entry sets it to the
   * `models/` folder beside the library file; relative values resolve against the document.
   */
  static defaultModelBaseUrl = 'models/';

  static override styles = css`
    :host {
      display: block;
      font: var(--gb-font, inherit);
      color: var(--gb-text-color, inherit);
      background: var(--gb-background, transparent);
      border: 1px solid var(--gb-border-color, #e2e4e8);
      border-radius: var(--gb-radius, 8px);
      padding: var(--gb-padding, 1rem);
    }
    :host([hidden]) {
      display: none;
    }
    .block + .block {
      margin-top: 0.75rem;
    }
    .error {
      color: var(--gb-error-color, #8a1c1c);
      margin: 0;
    }
    .error .code {
      font: 0.75em ui-monospace, monospace;
    }
    .caption {
      margin: 0 0 0.5rem;
      font-size: 0.9em;
    }
    .warning {
      color: var(--gb-error-color, #8a1c1c);
    }
    gb-word-chart {
      margin-bottom: 0.75rem;
    }
    progress {
      width: 100%;
    }
  `;

  @property() model = '';
  @property({ attribute: 'model-base-url' }) modelBaseUrl = '';
  @property() engine: EngineChoice = 'auto';
  @property() backend: BackendChoice = 'auto';
  /** The `explain` attribute; `explain` itself is the method. */
  @property({ type: Boolean, attribute: 'explain' }) autoExplain = false;
  @property() text = '';
  /** How explanations started by the `explain` attribute are computed (default lime). */
  @property() method = '';
  /** Samples for explanations of a sampling method started by the `explain` attribute. */
  @property({ type: Number }) samples: number | undefined;

  private readonly controller = new EmbedController(this, new ClassifierClient());

  /** Classifies `text` with the element's model; resolves to the gb-result detail, rejects with a GlassboxError. */
  classify(text: string): Promise<GbResultDetail> {
    return this.controller.classify(text);
  }

  /**
   * Explains the model's prediction for `text` (options: method, numSamples, numFeatures, seed,
   * topLabels, ...; method defaults to lime); resolves to the gb-explanation detail, rejects with a GlassboxError.
   */
  explain(text: string, options?: ExplainOptions): Promise<GbExplanationDetail> {
    return this.controller.explain(text, options);
  }

  /**
   * The explanation on screen (the last one made, by the `explain` attribute or explain()) as a
   * file: 'html' (a self-contained page with no script), 'png' (its chart) or 'json' (every
   * number); `labelIndex` picks another explained label. Rejects with BAD_INPUT when there is no
   * explanation yet or the format is unknown.
   */
  async exportExplanation(format: ExportFormat, labelIndex?: number): Promise<Blob> {
    if (!isOneOf(EXPORT_FORMATS, format)) throw new GlassboxError('BAD_INPUT', `format "${String(format)}" is not one of ${EXPORT_FORMATS.join(', ')}.`);
    const { explanation, model } = this.controller;
    if (explanation.status !== 'done' || model.status !== 'ready') throw new GlassboxError('BAD_INPUT', 'There is no explanation to export yet: explain a text first.');
    const { loaded } = model;
    return exportExplanation(explanation.explanation, { model: loaded.model, engine: loaded.engine, backend: loaded.backend }, format, labelIndex);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const modelChanged = MODEL_PROPERTIES.some((name) => changed.has(name));
    if (modelChanged) this.controller.configure(this.readModelConfig());
    if (modelChanged || WISH_PROPERTIES.some((name) => changed.has(name))) {
      const method = this.readMethod();
      this.controller.show({ text: this.text ?? '', explain: this.autoExplain, method, samples: this.readSamples(method) });
    }
  }

  private readModelConfig(): EmbedModelConfig | GlassboxError | undefined {
    try {
      const attributes = { model: this.model, modelBaseUrl: this.modelBaseUrl, engine: this.engine, backend: this.backend };
      return resolveEmbedConfig(attributes, document.baseURI, GlassboxClassifier.defaultModelBaseUrl);
    } catch (error) {
      return toGlassboxError(error, 'BAD_INPUT');
    }
  }

  private readMethod(): ExplainMethod | GlassboxError {
    try {
      return parseMethod(this.method);
    } catch (error) {
      return toGlassboxError(error, 'BAD_INPUT');
    }
  }

  private readSamples(method: ExplainMethod | GlassboxError): number | GlassboxError {
    try {
      return parseSamples(this.samples, method === 'kernelshap' ? DEFAULT_KERNEL_SHAP_SAMPLES : DEFAULT_SAMPLES);
    } catch (error) {
      return toGlassboxError(error, 'BAD_INPUT');
    }
  }

  override render() {
    return html`${this.renderStatus()}${this.renderResult()}${this.renderExplanation()}`;
  }

  private renderStatus() {
    const model = this.controller.model;
    if (model.status === 'failed') return this.renderError(model.source ? `Loading ${model.source.id}` : 'Reading the attributes', model.error);
    if (model.status === 'idle') return nothing;
    const loaded = model.status === 'ready' ? model.loaded : undefined;
    return html`<gb-load-progress
      class="block"
      part="status"
      model=${model.status === 'loading' ? model.source.id : model.loaded.model}
      ?loading=${model.status === 'loading'}
      .progress=${model.status === 'loading' ? model.progress : undefined}
      .msToReady=${loaded?.msToReady}
      ?reused=${loaded?.reused ?? false}
    ></gb-load-progress>`;
  }

  private renderResult() {
    const result = this.controller.result;
    if (result.status === 'idle') return nothing;
    if (result.status === 'failed') return this.renderError('Classifying', result.error);
    return html`<gb-probabilities
      class="block"
      part="result"
      exportparts="bar"
      .result=${result.status === 'done' ? result.result : result.previous}
      ?running=${result.status === 'running'}
    ></gb-probabilities>`;
  }

  private renderExplanation() {
    const state = this.controller.explanation;
    switch (state.status) {
      case 'idle':
        return nothing;
      case 'failed':
        return this.renderError('Explaining', state.error);
      case 'running': {
        const progress = state.progress;
        return html`<div class="block" part="explanation" role="status">
          <p class="caption">Explaining with ${METHOD_NAMES[state.method]}… ${progress ? formatPercent(progress.progress, 0) : ''}</p>
          <progress max="1" value=${progress?.progress ?? 0} aria-label="Explanation progress"></progress>
        </div>`;
      }
      case 'done': {
        const e = state.explanation;
        return html`<div class="block" part="explanation">
          <p class="caption">
            Why <strong>${e.label}</strong>: the words that push the model towards it or away from it (${methodSummary(e)}).
          </p>
          ${e.faithfulness && !e.faithfulness.betterThanRandom
            ? html`<p class="caption warning" role="alert">
                No better than random: removing these words changes the prediction no more than removing random words.
              </p>`
            : nothing}
          <gb-word-chart part="words" .weights=${e.weights} .label=${e.label}></gb-word-chart>
          <gb-highlighted-text part="highlighted" .text=${e.text} .weights=${e.weights} .label=${e.label}></gb-highlighted-text>
        </div>`;
      }
    }
  }

  private renderError(context: string, error: GlassboxError) {
    return html`<p class="block error" part="error" role="alert" data-code=${error.code}>
      ${context} failed: ${error.detail} <span class="code">${error.code}</span>
    </p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'glassbox-classifier': GlassboxClassifier;
  }
  interface HTMLElementEventMap {
    'gb-ready': CustomEvent<GlassboxEventDetails['gb-ready']>;
    'gb-progress': CustomEvent<GlassboxEventDetails['gb-progress']>;
    'gb-result': CustomEvent<GlassboxEventDetails['gb-result']>;
    'gb-explanation': CustomEvent<GlassboxEventDetails['gb-explanation']>;
    'gb-error': CustomEvent<GlassboxEventDetails['gb-error']>;
  }
}
