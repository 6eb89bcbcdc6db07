import { LitElement, css, html, nothing } from 'lit';
import { customElement } from 'lit/decorators.js';
import { ClassifierClient } from '../client';
import { BatchController } from './batch-controller';
import { DatasetController } from './dataset-controller';
import { BenchmarkController } from './benchmark-controller';
import type { CatalogEntry } from '../catalog';
import { CatalogOfflineController } from '../pwa/catalog-offline-controller';
import { ClassifierController, type ModelState } from './classifier-controller';
import { METHOD_NAMES } from './explain-method-text';
import './gb-alert';
import './gb-batch-panel';
import './gb-dataset-panel';
import './gb-benchmark-panel';
import './gb-engine-badge';
import './gb-explain-controls';
import './gb-explanation-view';
import './gb-load-progress';
import './gb-model-card';
import './gb-model-picker';
import './gb-offline-model';
import './gb-probabilities';
import './gb-text-input';
import './gb-update-banner';
import type { BatchFileDetail, BatchStartDetail } from './gb-batch-panel';
import type { DatasetStartDetail } from './gb-dataset-panel';
import type { BenchmarkCombinationDetail, BenchmarkRepetitionsDetail, BenchmarkToggleDetail } from './gb-benchmark-panel';
import type { ExplainSettingsDetail } from './gb-explain-controls';
import type { DeletionCurveRequestDetail } from './gb-explanation-view';
import type { BackendSelectDetail, EngineSelectDetail, ModelFilesDetail, ModelFolderDetail, ModelSelectDetail } from './gb-model-picker';
import type { TextDetail } from './gb-text-input';
import { isLocalModelUrl } from '../core/model-folder/local-folder';
import type { LoadResult } from '../core/contract/classifier-api';

/**
 * The whole page: model picker, load progress, engine badge, text input, probabilities and the
 * model card. State and worker calls live in ClassifierController; this element only lays out
 * and routes the child components' events to it.
 */
@customElement('gb-app')
export class GbApp extends LitElement {
  static override styles = css`
    :host {
      display: block;
      max-width: 64rem;
      margin: 0 auto;
      padding: 1.25rem;
      color: #1d1d1f;
      font: 16px/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif;
      --gb-accent: #2357c6;
    }
    .url-note,
    .recovery-note {
      margin: 0.4rem 0;
      font-size: 0.9rem;
      color: #7a4b00;
    }
    header h1 {
      margin: 0;
      font-size: 1.6rem;
    }
    header p {
      margin: 0.2rem 0 1rem;
      color: #555;
    }
    section {
      border: 1px solid #e2e4e8;
      border-radius: 10px;
      padding: 1rem;
      margin-bottom: 1rem;
      background: #fff;
    }
    .status {
      display: grid;
      gap: 0.75rem;
      grid-template-columns: 1fr 1fr;
      margin-top: 0.75rem;
    }
    @media (max-width: 40rem) {
      .status {
        grid-template-columns: 1fr;
      }
    }
    .work {
      display: grid;
      gap: 1rem;
      grid-template-columns: 3fr 2fr;
    }
    @media (max-width: 48rem) {
      .work {
        grid-template-columns: 1fr;
      }
    }
    gb-alert {
      margin-top: 0.75rem;
    }
    gb-offline-model {
      margin-top: 0.6rem;
    }
    section.explain h2,
    section.batch h2,
    section.benchmark h2 {
      margin: 0 0 0.5rem;
      font-size: 1.15rem;
    }
    gb-explanation-view {
      margin-top: 1rem;
    }
  `;

  private readonly client = new ClassifierClient();
  private readonly controller = new ClassifierController(this, this.client, document.baseURI, (url) => {
    if (url !== location.href) history.replaceState(history.state, '', url);
  });
  private readonly batch = new BatchController(this, this.client, () => this.controller.model);
  private readonly datasetExplainer = new DatasetController(this, this.client, () => this.controller.model);
  private readonly offlineCatalog = new CatalogOfflineController(this);
  /** The catalog entries whose offline copies were last read. */
  private offlineCheckedFor: readonly CatalogEntry[] = [];

  override willUpdate() {
    const catalog = this.controller.catalog;
    if (catalog.status === 'ready' && catalog.catalog.entries !== this.offlineCheckedFor) this.refreshOffline();
  }

  private refreshOffline(): void {
    const catalog = this.controller.catalog;
    if (catalog.status !== 'ready') return;
    this.offlineCheckedFor = catalog.catalog.entries;
    void this.offlineCatalog.refresh(catalog.catalog.entries);
  }
  private readonly benchmark = new BenchmarkController(this, this.client, () => this.controller.model, this.controller);

  override render() {
    const c = this.controller;
    const catalog = c.catalog;
    const model = c.model;
    const entries = catalog.status === 'ready' ? catalog.catalog.entries : [];
    const loaded = model.status === 'ready' ? model.loaded : undefined;
    const result = c.result;
    // A new version is offered, but the page is not reloaded into it while work is running.
    const explaining = c.explanation.status === 'running' || (c.explanation.status === 'done' && c.explanation.deletion.status === 'running');
    const busy = explaining || this.batch.running || this.datasetExplainer.running || this.benchmark.running;
    return html`
      <gb-update-banner ?busy=${busy}></gb-update-banner>
      <header>
        <h1>glassbox</h1>
        <p>Text classification that runs entirely in this page: the model downloads once and runs on your device, nothing is sent anywhere.</p>
      </header>

      <section
        class="model"
        data-state=${model.status}
        data-warm-up=${warmUpState(model)}
        @gb-model-select=${(e: CustomEvent<ModelSelectDetail>) => c.selectModel(e.detail.id)}
        @gb-model-folder=${(e: CustomEvent<ModelFolderDetail>) => c.selectFolder(e.detail.url)}
        @gb-model-files=${(e: CustomEvent<ModelFilesDetail>) => void c.openLocalFolder(e.detail.files)}
        @gb-backend-select=${(e: CustomEvent<BackendSelectDetail>) => c.setBackend(e.detail.backend)}
        @gb-engine-select=${(e: CustomEvent<EngineSelectDetail>) => c.setEngine(e.detail.engine)}
        @gb-retry=${() => c.retry()}
        @gb-cancel-load=${() => c.cancelLoad()}
      >
        <gb-model-picker
          .models=${entries}
          .offlineIds=${this.offlineCatalog.offlineIds}
          selected=${c.customUrl ? '' : (c.selectedEntry?.source.id ?? '')}
          folder-url=${c.customUrl}
          backend=${c.backend}
          engine=${c.engine}
        ></gb-model-picker>
        ${catalog.status === 'failed'
          ? html`<gb-alert context="Reading the list of models" retryable .error=${catalog.error}></gb-alert>`
          : nothing}
        ${model.status === 'failed'
          ? html`<gb-alert context=${`Loading ${model.source?.id ?? 'the model'}`} retryable .error=${model.error}></gb-alert>`
          : nothing}
        ${c.urlNotes.map((note) => html`<p class="url-note" role="status">${note}</p>`)}
        ${c.recoveryNote ? html`<p class="recovery-note" role="status">${c.recoveryNote}</p>` : nothing}
        <div class="status">
          <gb-load-progress
            model=${model.status === 'loading' ? model.source.id : (loaded?.model ?? '')}
            ?loading=${model.status === 'loading'}
            .progress=${model.status === 'loading' ? model.progress : undefined}
            .msToReady=${loaded?.msToReady}
            .phaseMs=${loaded?.phaseMs ?? {}}
            ?reused=${loaded?.reused ?? false}
          ></gb-load-progress>
          <gb-engine-badge .loaded=${loaded}></gb-engine-badge>
        </div>
        <gb-offline-model folder=${loaded && !isLocalModelUrl(loaded.url) ? loaded.url : ''} .manifest=${loaded?.manifest} @gb-offline-change=${() => this.refreshOffline()}></gb-offline-model>
      </section>

      <div class="work">
        <section
          class="input"
          @gb-text-change=${(e: CustomEvent<TextDetail>) => c.setText(e.detail.text)}
          @gb-classify=${(e: CustomEvent<TextDetail>) => c.classifyNow(e.detail.text)}
        >
          <gb-text-input .text=${c.text} .examples=${c.examples} .maxTokens=${c.maxTokens}></gb-text-input>
        </section>
        <section class="result" data-state=${result.status}>
          ${result.status === 'failed'
            ? html`<gb-alert context="Classifying" .error=${result.error}></gb-alert>`
            : html`<gb-probabilities
                .result=${result.status === 'done' ? result.result : result.status === 'running' ? result.previous : undefined}
                ?running=${result.status === 'running'}
                message=${result.status === 'message' ? result.message : ''}
                hint="The predicted label and the probability of every label appear here: type or paste a text, or pick an example."
              ></gb-probabilities>`}
        </section>
      </div>

      ${this.renderExplanation(loaded)} ${this.renderBatch(loaded)} ${this.renderBenchmark()}

      <section class="card">
        <gb-model-card .manifest=${c.manifest} .labels=${loaded?.labels ?? []} note=${loaded?.manifestNote ?? c.selectedEntry?.problem ?? ''}></gb-model-card>
      </section>
    `;
  }

  private renderBatch(loaded: LoadResult | undefined) {
    const b = this.batch;
    return html`
      <section
        class="batch"
        data-state=${b.status}
        @gb-batch-file=${(e: CustomEvent<BatchFileDetail>) => void b.open(e.detail.source, e.detail.delimiter)}
        @gb-batch-start=${(e: CustomEvent<BatchStartDetail>) => void b.run(e.detail.source, e.detail.options)}
        @gb-batch-cancel=${() => b.cancel()}
        @gb-batch-resume=${() => void b.resume()}
      >
        <h2>Classify a CSV file</h2>
        <gb-batch-panel
          .preview=${b.preview}
          ?running=${b.running}
          .progress=${b.progress}
          .result=${b.result}
          .partial=${b.partial}
          error=${b.error}
          unavailable-reason=${b.unavailableReason}
        ></gb-batch-panel>
        ${this.renderDataset(loaded)}
      </section>
    `;
  }

  /** Under a finished batch: its rows explained, and the words that drive each label. */
  private renderDataset(loaded: LoadResult | undefined) {
    const input = this.batch.ranWith;
    if (this.batch.status !== 'done' || !input) return nothing;
    const d = this.datasetExplainer;
    const current = d.input === input;
    return html`<div
      class="dataset"
      data-state=${current ? d.status : 'idle'}
      @gb-dataset-plan=${() => void d.planFor(input)}
      @gb-dataset-start=${(e: CustomEvent<DatasetStartDetail>) => void d.run(e.detail)}
      @gb-dataset-cancel=${() => d.cancel()}
      @gb-dataset-row=${(e: CustomEvent<TextDetail>) => this.explainRow(e.detail.text)}
    >
      <h3>Explain this dataset</h3>
      <gb-dataset-panel
        .plan=${current ? d.plan : undefined}
        ?planning=${current && d.planning}
        ?running=${current && d.running}
        .progress=${current ? d.progress : undefined}
        .result=${current ? (d.result ?? d.partial) : undefined}
        .context=${loaded ? { model: loaded.model, engine: loaded.engine, backend: loaded.backend } : undefined}
        error=${current ? d.error : ''}
        unavailable-reason=${d.unavailableReason}
      ></gb-dataset-panel>
    </div>`;
  }

  /** A row of the dataset view, opened in the single-text explainer at the top of the page. */
  private explainRow(text: string) {
    this.controller.classifyNow(text);
    this.renderRoot.querySelector('section.input')?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }

  private renderBenchmark() {
    const b = this.benchmark;
    return html`
      <section
        class="benchmark"
        data-state=${b.status}
        @gb-benchmark-toggle=${(e: CustomEvent<BenchmarkToggleDetail>) => b.toggle(e.detail.engine, e.detail.backend, e.detail.selected)}
        @gb-benchmark-repetitions=${(e: CustomEvent<BenchmarkRepetitionsDetail>) => b.setRepetitions(e.detail.repetitions)}
        @gb-benchmark-run=${() => void b.run()}
        @gb-benchmark-cancel=${() => b.cancel()}
        @gb-benchmark-use=${(e: CustomEvent<BenchmarkCombinationDetail>) => b.use(e.detail.engine, e.detail.backend)}
      >
        <h2>Compare engines on this device</h2>
        <gb-benchmark-panel
          .options=${b.options}
          repetitions=${b.repetitions}
          ?running=${b.running}
          .progress=${b.progress}
          .result=${b.result}
          .verdicts=${b.verdicts}
          .current=${b.current}
          software-adapter=${b.softwareAdapter ?? ''}
          error=${b.error}
          unavailable-reason=${b.unavailableReason}
        ></gb-benchmark-panel>
      </section>
    `;
  }

  private renderExplanation(loaded: LoadResult | undefined) {
    const c = this.controller;
    const state = c.explanation;
    const deletion = state.status === 'done' ? state.deletion : undefined;
    return html`
      <section
        class="explain"
        data-state=${state.status}
        @gb-explain=${() => void c.explain()}
        @gb-explain-cancel=${() => c.cancelExplanation()}
        @gb-explain-settings=${(e: CustomEvent<ExplainSettingsDetail>) => c.setExplainSettings(e.detail)}
        @gb-deletion-curve-request=${(e: CustomEvent<DeletionCurveRequestDetail>) => void c.deletionCurve(e.detail.labelIndex)}
      >
        <h2>Why this label?</h2>
        <gb-explain-controls
          method=${c.method}
          .numSamples=${c.numSamples}
          running-method=${state.status === 'running' ? state.method : nothing}
          ?auto-explain=${c.autoExplain}
          ?ready=${c.result.status === 'done'}
          ?running=${state.status === 'running'}
          .progress=${state.status === 'running' ? state.progress : undefined}
        ></gb-explain-controls>
        ${state.status === 'failed' ? html`<gb-alert context="Explaining" .error=${state.error}></gb-alert>` : nothing}
        ${deletion?.status === 'failed' ? html`<gb-alert context="Checking faithfulness" .error=${deletion.error}></gb-alert>` : nothing}
        ${state.status === 'done'
          ? html`<gb-explanation-view
              .explanation=${state.explanation}
              .context=${loaded ? { model: loaded.model, engine: loaded.engine, backend: loaded.backend } : undefined}
              .deletionCurve=${deletion?.status === 'done' ? deletion.curve : null}
              ?deletion-busy=${deletion?.status === 'running'}
            ></gb-explanation-view>`
          : nothing}
        ${state.status === 'running' && state.preview
          ? html`<gb-explanation-view .explanation=${state.preview} refining=${METHOD_NAMES[state.method]}></gb-explanation-view>`
          : nothing}
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gb-app': GbApp;
  }
}

/** The idle warm-up's state as the model section's data-warm-up attribute (running, settled, interrupted, ...). */
function warmUpState(model: ModelState): string | typeof nothing {
  if (model.status !== 'ready' || !model.warmUp) return nothing;
  return model.warmUp.status === 'done' ? model.warmUp.result.outcome : model.warmUp.status;
}
