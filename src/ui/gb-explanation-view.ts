import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { DeletionCurve, Explanation, LabelExplanation } from '../core/explanation-types';
import { formatPercent } from '../core/model-card';
import { METHOD_NAMES } from './explain-method-text';
import './gb-deletion-curve';
import './gb-highlighted-text';
import './gb-word-chart';

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
 * A LIME explanation: a label picker (the predicted label first), the word-weight chart, the text
 * with its words highlighted, how well the surrogate fits, and what it cost. It can also show the
 * faithfulness deletion curve for the picked label, which the page computes on request.
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
    button {
      font: inherit;
    }
  `;

  @property({ attribute: false }) explanation: Explanation | null = null;
  /** The deletion curve, when the page has computed one; shown for its own label only. */
  @property({ attribute: false }) deletionCurve: DeletionCurve | null = null;
  /** True while the page computes the deletion curve. */
  @property({ type: Boolean, attribute: 'deletion-busy' }) deletionBusy = false;

  @state() private labelIndex: number | null = null;

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
      </section>
      <section>
        <h3>The text, highlighted for ${current.label}</h3>
        <gb-highlighted-text .text=${explanation.text} .weights=${current.weights} .label=${current.label}></gb-highlighted-text>
      </section>
      <section>${this.renderFacts(explanation, current)}</section>
      <section>${this.renderFaithfulness(current)}</section>
    `;
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
              <dd>${formatPercent(current.localPrediction)} (model: ${formatPercent(current.probability)})</dd>`
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

  private renderFaithfulness(current: LabelExplanation) {
    const curve = this.deletionCurve?.labelIndex === current.labelIndex ? this.deletionCurve : null;
    return html`
      <h3>Faithfulness</h3>
      ${curve
        ? html`<gb-deletion-curve .curve=${curve}></gb-deletion-curve>`
        : html`<button type="button" ?disabled=${this.deletionBusy} @click=${this.requestDeletionCurve}>
            ${this.deletionBusy ? 'Deleting words…' : `Check: delete the top words for ${current.label}`}
          </button>`}
    `;
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
