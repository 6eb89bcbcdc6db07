import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { DatasetExplanation, DatasetPlan, DatasetProgress } from '../core/contract/dataset-types';
import { messageOf } from '../core/contract/errors';
import { estimateDatasetMs } from '../core/explain/dataset-estimate';
import { formatPercent } from '../core/model-folder/model-card';
import { DATASET_EXPORT_FORMATS, type DatasetExportFormat } from './dataset-text';
import type { ExportContext } from './export-format';
import './gb-dataset-words';
import { saveFile } from './save-file';
import { errorBox, panelStyles } from './shared-styles';
import { formatAbout, TimeLeft, timeLeftSuffix } from './time-left';

export interface DatasetStartDetail {
  /** Absent: every row with text. */
  sampleRows?: number;
  seed: number;
}

/** The sample offered first: large enough for words to recur, small enough to take minutes. */
const DEFAULT_SAMPLE = 500;
const EXPORT_NAMES: Readonly<Record<DatasetExportFormat, string>> = Object.freeze({ csv: 'Words (CSV)', json: 'Everything (JSON)', html: 'Web page (HTML)', png: 'Picture (PNG)' });

/**
 * "Explain this dataset", under a finished batch: what it would cost (timed here before it
 * starts), every row or a random sample, progress with Cancel, then the words per label and the
 * files to take away. It only raises events; the page runs the work in the worker.
 *
 * @fires gb-dataset-plan - Measure what explaining the batch's rows would cost.
 * @fires gb-dataset-start - {sampleRows, seed}: explain the rows.
 * @fires gb-dataset-cancel - Stop the running measurement or explanation.
 */
@customElement('gb-dataset-panel')
export class GbDatasetPanel extends LitElement {
  static override styles = [
    errorBox,
    panelStyles,
    css`
      input[type='number'] {
        width: 6rem;
      }
      .estimate {
        font-weight: 600;
      }
    `,
  ];

  @property({ attribute: false }) plan: DatasetPlan | undefined;
  @property({ type: Boolean }) planning = false;
  @property({ type: Boolean }) running = false;
  @property({ attribute: false }) progress: DatasetProgress | undefined;
  /** The finished explanation, or the rows a stopped one finished (its `stopped` says why). */
  @property({ attribute: false }) result: DatasetExplanation | undefined;
  @property({ attribute: false }) context: ExportContext | undefined;
  @property() error = '';
  @property({ attribute: 'unavailable-reason' }) unavailableReason = '';

  @state() private useSample = true;
  @state() private sampleRows = DEFAULT_SAMPLE;
  @state() private seed = 0;
  @state() private exportError = '';
  /** The estimate shown when the run started, in ms, to set beside the time it took. */
  @state() private startedEstimate: number | undefined;

  private readonly timeLeft = new TimeLeft();
  private timeLeftText = '';

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('plan') && this.plan) {
      this.useSample = this.plan.explainable > DEFAULT_SAMPLE;
      this.sampleRows = Math.min(DEFAULT_SAMPLE, this.plan.explainable);
    }
    if (changed.has('progress')) {
      const p = this.progress;
      this.timeLeftText = p?.stage === 'explaining' ? timeLeftSuffix(this.timeLeft, p.loaded, p.total) : '';
    }
  }

  /** Rows the run would explain with the choices made. */
  private get chosenRows(): number {
    const plan = this.plan;
    if (!plan) return 0;
    return this.useSample ? Math.min(this.sampleRows, plan.explainable) : plan.explainable;
  }

  override render() {
    return html`
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.running || this.planning ? this.renderProgress() : this.plan ? this.renderChoice(this.plan) : this.renderOffer()}
      ${this.result && !this.running ? this.renderResult(this.result) : nothing}
    `;
  }

  private renderOffer() {
    return html`<p class="meta">Explains each row by leaving one word out, then lists the words that drive each label across the file (and, with true labels, what the model relies on when it errs).</p>
      <div class="row">
        <button class="plan" ?disabled=${this.unavailableReason !== ''} @click=${() => this.emit('gb-dataset-plan', undefined)}>Explain this dataset</button>
        ${this.unavailableReason ? html`<span class="meta">${this.unavailableReason}</span>` : nothing}
      </div>`;
  }

  private renderChoice(plan: DatasetPlan) {
    const count = (n: number) => n.toLocaleString('en');
    const rows = this.chosenRows;
    const estimate = estimateDatasetMs(plan, rows);
    const tooMany = plan.explainable > plan.maxRows;
    const sampleValid = Number.isInteger(this.sampleRows) && this.sampleRows >= 1 && this.sampleRows <= plan.maxRows;
    const canStart = !this.unavailableReason && (this.useSample ? sampleValid : !tooMany);
    return html`
      <p class="meta plan-facts">
        ${count(plan.explainable)} of ${count(plan.rows)} rows have a text to explain${plan.labelled ? '; the file has true labels' : ''}. Timed on ${plan.calibration.rows} of them here.
      </p>
      <div class="row" role="radiogroup" aria-label="Rows to explain">
        <label><input type="radio" name="rows" value="all" .checked=${!this.useSample} ?disabled=${tooMany} @change=${() => (this.useSample = false)} /> Every row (${count(plan.explainable)})</label>
        <label
          ><input type="radio" name="rows" value="sample" .checked=${this.useSample} @change=${() => (this.useSample = true)} /> A random sample of
          <input type="number" name="sample-rows" min="1" max=${Math.min(plan.maxRows, plan.explainable)} .value=${String(this.sampleRows)} @input=${this.onSampleRows} /> rows</label
        >
        <label>seed <input type="number" name="seed" .value=${String(this.seed)} @input=${this.onSeed} /></label>
      </div>
      ${tooMany ? html`<p class="meta">One dataset explanation takes at most ${count(plan.maxRows)} rows: explain a sample.</p>` : nothing}
      <div class="row">
        <span class="estimate" data-estimate-ms=${Math.round(estimate)}>${count(rows)} rows: ${formatAbout(estimate)} here</span>
        <button class="start" ?disabled=${!canStart} @click=${() => this.start(estimate)}>Start</button>
        <button class="replan" @click=${() => this.emit('gb-dataset-plan', undefined)}>Measure again</button>
      </div>
    `;
  }

  private renderProgress() {
    const p = this.progress;
    const line = this.planning
      ? 'Measuring: explaining a few rows of the file to time them…'
      : !p || p.stage === 'reading'
        ? `Reading the file… ${p ? formatPercent(p.progress, 0) : ''}`
        : `Explained ${p.loaded.toLocaleString('en')} of ${p.total.toLocaleString('en')} rows (${formatPercent(p.progress, 0)})${this.timeLeftText}`;
    return html`<div role="status" aria-live="polite">
      <div class="row"><span class="line">${line}</span><button class="cancel" @click=${() => this.emit('gb-dataset-cancel', undefined)}>Cancel</button></div>
      ${p && !this.planning ? html`<progress max="1" .value=${p.progress} aria-label="Dataset explanation progress"></progress>` : html`<progress aria-label="Dataset explanation progress"></progress>`}
    </div>`;
  }

  private renderResult(result: DatasetExplanation) {
    const count = (n: number) => n.toLocaleString('en');
    const sample = result.sample ? `a random sample (seed ${result.sample.seed}) of ` : '';
    const estimated = this.startedEstimate !== undefined && !result.stopped ? ` (estimated: ${formatAbout(this.startedEstimate)})` : '';
    return html`
      <h3>${result.stopped ? 'Rows explained before the run stopped' : 'Words that drive each label'}</h3>
      <p class="meta summary" data-ms=${result.ms}>
        ${count(result.rows.length)} rows, ${sample}${count(result.explainable)} with text, explained by leaving one word out: ${count(result.modelRuns)} model runs in
        ${(result.ms / 1000).toFixed(1)} s${estimated}.
      </p>
      <div class="row exports">
        ${DATASET_EXPORT_FORMATS.map((format) => html`<button type="button" class="export" data-format=${format} @click=${() => void this.download(result, format)}>${EXPORT_NAMES[format]}</button>`)}
      </div>
      ${this.exportError ? html`<p class="error" role="alert">${this.exportError}</p>` : nothing}
      <gb-dataset-words .explanation=${result}></gb-dataset-words>
    `;
  }

  private onSampleRows(event: Event) {
    this.sampleRows = Number((event.target as HTMLInputElement).value);
  }

  private onSeed(event: Event) {
    const seed = Number((event.target as HTMLInputElement).value);
    this.seed = Number.isSafeInteger(seed) ? seed : 0;
  }

  private start(estimate: number) {
    this.startedEstimate = estimate;
    const plan = this.plan;
    const sample = this.useSample && plan && this.sampleRows < plan.explainable;
    this.emit<DatasetStartDetail>('gb-dataset-start', { ...(sample ? { sampleRows: this.sampleRows } : {}), seed: this.seed });
  }

  private async download(result: DatasetExplanation, format: DatasetExportFormat) {
    const context = this.context;
    if (!context) return;
    try {
      // The CSV writer and the page builder are loaded only when a file is asked for.
      const { datasetFileName, exportDataset } = await import('./dataset-export');
      saveFile(await exportDataset(result, context, format), datasetFileName(context, format));
      this.exportError = '';
    } catch (error) {
      this.exportError = `Could not make the ${format.toUpperCase()} file: ${messageOf(error)}`;
    }
  }

  private emit<T>(type: 'gb-dataset-plan' | 'gb-dataset-start' | 'gb-dataset-cancel', detail: T) {
    this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gb-dataset-panel': GbDatasetPanel;
  }
}
