import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { DeletionCurve, Explanation, LabelExplanation } from '../core/contract/explanation-types';
import { formatPercent } from '../core/model-folder/model-card';
import { messageOf } from '../core/contract/errors';
import { METHOD_NAMES } from './explain-method-text';
import { exportExplanation, exportFileName } from './explanation-export';
import { EXPORT_FORMATS, exportedLabel, type ExportContext, type ExportFormat } from './export-format';
import './gb-deletion-curve';
import './gb-highlighted-text';
import './gb-word-chart';
import { saveFile } from './save-file';

const EXPORT_NAMES: Readonly<Record<ExportFormat, string>> = Object.freeze({ html: 'Web page (HTML)', png: 'Picture (PNG)', json: 'Numbers (JSON)' });

export interface LabelChangeDetail {
  label: string;
  labelIndex: number;
}

export interface DeletionCurveRequestDetail {
  text: string;
  label: string;
  labelIndex: number;
}

/**
 * An explanation: which method and how many model runs, a label picker (the predicted label first),
 * the word-weight chart (with each weight's spread for the sampling methods), the text with its
 * words highlighted, how faithful it is to the model (ERASER comprehensiveness and sufficiency
 * against random words, flagged when it is no better), how stable, how well a surrogate fits, and
 * what it cost. It can also show the deletion curve for the picked label, which the page computes
 * on request.
 *
 * @fires gb-label-change - {label, labelIndex} when the user picks another label.
 * @fires gb-deletion-curve-request - {text, label, labelIndex} when the user asks for the deletion curve.
 */
@customElement('gb-explanation-view')
export class GbExplanationView extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    section + section {
      margin-top: 1rem;
    }
    h3 {
      font-size: 1em;
      margin: 0 0 0.4rem;
    }
    select,
    button {
      font: inherit;
    }
    .export button {
      margin: 0 0.5rem 0.3rem 0;
    }
    .facts {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 0.15rem 1rem;
      margin: 0;
      font-variant-numeric: tabular-nums;
    }
    dt {
      font-weight: 600;
    }
    dd {
      margin: 0;
    }
    .note {
      font-size: 0.9em;
      margin: 0.4rem 0 0;
    }
    .method {
      margin: 0 0 0.6rem;
    }
    .warning {
      border-left: 4px solid #e8590c;
      padding: 0.3rem 0.6rem;
      background: #fff4e6;
      color: #7a2e0b;
    }
    button {
      font: inherit;
    }
  `;

  @property({ attribute: false }) explanation: Explanation | null = null;
  /** The deletion curve, when the page has computed one; shown for its own label only. */
  @property({ attribute: false }) deletionCurve: DeletionCurve | null = null;
  /** True while the page computes the deletion curve. */
  @property({ type: Boolean, attribute: 'deletion-busy' }) deletionBusy = false;
  /** The method still refining this preview, if any: shown as such, with no deletion curve meanwhile. */
  @property() refining = '';

  @state() private labelIndex: number | null = null;
  /** The model, engine and backend that made the explanation, for the files it can be saved as; no export without it. */
  @property({ attribute: false }) context: ExportContext | undefined;
  @state() private exportError = '';

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('explanation')) this.labelIndex = null;
  }

  private get current(): LabelExplanation | undefined {
    const perLabel = this.explanation?.perLabel ?? [];
    return perLabel.find((l) => l.labelIndex === this.labelIndex) ?? perLabel[0];
  }

  override render() {
    const explanation = this.explanation;
    const current = this.current;
    if (!explanation || !current) return nothing;
    return html`
      <p class="method" role="status">
        <strong>${METHOD_NAMES[explanation.method]}</strong>, ${explanation.modelRuns.toLocaleString('en')} model runs,
        ${(explanation.ms / 1000).toFixed(1)} s${this.refining ? html` · refining with ${this.refining}…` : nothing}
      </p>
      <section>
        <label>
          Explain label
          <select @change=${this.pickLabel}>
            ${explanation.perLabel.map(
              (l) => html`<option value=${l.labelIndex} ?selected=${l.labelIndex === current.labelIndex}>
                ${l.label} (${formatPercent(l.probability)})
              </option>`,
            )}
          </select>
        </label>
      </section>
      <section>
        <h3>Words that push towards or against ${current.label}</h3>
        <gb-word-chart .weights=${current.weights} .label=${current.label}></gb-word-chart>
        ${explanation.scale === 'log-odds'
          ? html`<p class="note">Weights are in log-odds of ${current.label}: they add up to its log-odds with all the words minus with none.</p>`
          : nothing}
        ${explanation.stability && explanation.stability.bootstrapDraws > 0
          ? html`<p class="note">
              Whiskers: each weight's spread (standard deviation over ${explanation.stability.bootstrapDraws} bootstrap resamples of the
              samples drawn). Fits on two halves of the samples agree on
              ${Math.round(explanation.stability.topKAgreement * explanation.stability.k)} of the top ${explanation.stability.k} words.
            </p>`
          : nothing}
        ${explanation.gradient?.note ? html`<p class="note">${explanation.gradient.note}</p>` : nothing}
      </section>
      <section>
        <h3>The text, highlighted for ${current.label}</h3>
        <gb-highlighted-text .text=${explanation.text} .weights=${current.weights} .label=${current.label}></gb-highlighted-text>
      </section>
      <section>${this.renderFaithfulness(explanation, current)}</section>
      <section>${this.renderFacts(explanation, current)}</section>
      ${this.context && !this.refining ? this.renderExport() : nothing}
    `;
  }

  private renderExport() {
    return html`<section class="export">
      <h3>Take it away</h3>
      ${EXPORT_FORMATS.map(
        (format) => html`<button type="button" class="export" data-format=${format} @click=${() => void this.download(format)}>${EXPORT_NAMES[format]}</button>`,
      )}
      ${this.exportError ? html`<p class="note" role="alert">${this.exportError}</p>` : nothing}
    </section>`;
  }

  /** Saves the label on screen as a file. */
  private async download(format: ExportFormat): Promise<void> {
    const explanation = this.explanation;
    const context = this.context;
    if (!explanation || !context) return;
    const label = exportedLabel(explanation, this.current?.labelIndex);
    try {
      saveFile(await exportExplanation(explanation, context, format, label.labelIndex), exportFileName(explanation, label, context, format));
      this.exportError = '';
    } catch (error) {
      this.exportError = `Could not make the ${format.toUpperCase()} file: ${messageOf(error)}`;
    }
  }

  private renderFacts(explanation: Explanation, current: LabelExplanation) {
    const count = (n: number) => n.toLocaleString('en');
    return html`
      <dl class="facts">
        <dt>Method</dt>
        <dd>${METHOD_NAMES[explanation.method]}</dd>
        ${current.r2 !== undefined
          ? html`<dt>Surrogate R²</dt>
              <dd>${current.r2.toFixed(3)}</dd>`
          : nothing}
        ${current.localPrediction !== undefined
          ? html`<dt>Local prediction</dt>
              <dd>${this.formatScore(current.localPrediction)} (model: ${formatPercent(current.probability)})</dd>`
          : nothing}
        ${current.intercept !== undefined && explanation.method !== 'lime'
          ? html`<dt>Base value</dt>
              <dd>${this.formatScore(current.intercept)} (${explanation.method === 'gradient' ? 'at the baseline' : 'with no words'})</dd>`
          : nothing}
        ${explanation.gradient
          ? html`<dt>Gradients</dt>
              <dd>
                ${explanation.gradient.variant === 'integrated'
                  ? `Integrated Gradients, ${explanation.gradient.steps} steps`
                  : 'gradient × (input − baseline)'}
                from the ${explanation.gradient.baseline === 'pad' ? '[PAD] token' : 'zero'} baseline on ${explanation.gradient.engine} /
                ${explanation.gradient.backend}; completeness error ${explanation.gradient.completenessError.toFixed(4)}
              </dd>`
          : nothing}
        <dt>Samples</dt>
        <dd>${count(explanation.samples)} (${count(explanation.evaluated)} distinct texts run through the model)</dd>
        <dt>Model runs</dt>
        <dd>${count(explanation.modelRuns)}</dd>
        <dt>Time</dt>
        <dd>${(explanation.ms / 1000).toFixed(1)} s</dd>
      </dl>
      ${explanation.capped
        ? html`<p class="note">
            The text has ${count(explanation.distinctWords)} distinct words; only ${count(explanation.features)} of them,
            those nearest its start and end, were varied. The others stay in every sample and get no weight.
          </p>`
        : nothing}
      ${explanation.adaptive
        ? html`<p class="note">
            ${explanation.adaptive.converged
              ? `Adaptive sampling stopped after ${count(explanation.samples)} samples (${explanation.adaptive.rounds} rounds): the top words and their signs had stopped changing.`
              : `Adaptive sampling used all ${count(explanation.samples)} samples: the top words were still changing.`}
          </p>`
        : nothing}
    `;
  }

  private renderFaithfulness(explanation: Explanation, current: LabelExplanation) {
    const curve = this.deletionCurve?.labelIndex === current.labelIndex ? this.deletionCurve : null;
    const f = (n: number) => n.toFixed(3);
    return html`
      <h3>Faithfulness</h3>
      ${explanation.comprehensiveness && explanation.sufficiency && explanation.faithfulness
        ? html`<dl class="facts aopc">
              <dt>Comprehensiveness</dt>
              <dd>
                ${f(explanation.comprehensiveness.aopc)} (random words: ${f(explanation.comprehensiveness.random)}): how far
                ${explanation.label} drops when its top words are removed
              </dd>
              <dt>Sufficiency</dt>
              <dd>
                ${f(explanation.sufficiency.aopc)} (random words: ${f(explanation.sufficiency.random)}): how far it drops when only
                they are kept; lower is better
              </dd>
            </dl>
            <p class="note">
              Averaged over the top 1, 5, 10, 20 and 50% of the words (ERASER AOPC) for ${explanation.label};
              ${explanation.faithfulness.modelRuns} more model runs.
            </p>
            ${explanation.faithfulness.betterThanRandom
              ? nothing
              : html`<p class="note warning" role="alert">
                  No better than random: removing these words changes the prediction no more than removing random words. Do not
                  read much into this explanation.
                </p>`}`
        : nothing}
      ${this.refining
        ? nothing
        : curve
          ? html`<gb-deletion-curve .curve=${curve}></gb-deletion-curve>`
          : html`<button type="button" ?disabled=${this.deletionBusy} @click=${this.requestDeletionCurve}>
              ${this.deletionBusy ? 'Deleting words…' : `Check: delete the top words for ${current.label}`}
            </button>`}
    `;
  }

  /** A probability as a percentage; log-odds as themselves and the probability they stand for. */
  private formatScore(value: number): string {
    if (this.explanation?.scale !== 'log-odds') return formatPercent(value);
    return `${value.toFixed(2)} log-odds (${formatPercent(1 / (1 + Math.exp(-value)))})`;
  }

  private pickLabel(event: Event): void {
    this.labelIndex = Number((event.target as HTMLSelectElement).value);
    const current = this.current;
    if (!current) return;
    this.dispatchEvent(
      new CustomEvent<LabelChangeDetail>('gb-label-change', {
        detail: { label: current.label, labelIndex: current.labelIndex },
        bubbles: true,
        composed: true,
      }),
    );
  }

  private requestDeletionCurve(): void {
    const current = this.current;
    if (!this.explanation || !current) return;
    this.dispatchEvent(
      new CustomEvent<DeletionCurveRequestDetail>('gb-deletion-curve-request', {
        detail: { text: this.explanation.text, label: current.label, labelIndex: current.labelIndex },
        bubbles: true,
        composed: true,
      }),
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gb-explanation-view': GbExplanationView;
  }
  interface HTMLElementEventMap {
    'gb-label-change': CustomEvent<LabelChangeDetail>;
    'gb-deletion-curve-request': CustomEvent<DeletionCurveRequestDetail>;
  }
}
