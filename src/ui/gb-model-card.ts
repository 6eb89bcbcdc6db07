import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import {
  formatBytes,
  formatPercent,
  readFacts,
  readFiles,
  readMaxTokens,
  readMetrics,
  readOutOfDomain,
  readTargets,
  type OutOfDomainSet,
  type QualityTargets,
  type VariantMetrics,
} from '../core/model-folder/model-card';
import type { ModelManifest } from '../core/contract/types';
import './gb-confusion-matrix';

const VARIANT_NAMES: Record<string, string> = {
  int8: 'int8 (this model)',
  fp32: 'fp32 (before quantization)',
  baseline: 'Baseline: TF-IDF + logistic regression',
};

/** One confusion matrix per variant that has one, captioned "<what>, <variant>". */
function renderMatrices(variants: VariantMetrics[], labels: string[], what: string) {
  return html`<div class="matrices">
    ${variants
      .filter((m) => m.confusionMatrix)
      .map(
        (m) =>
          html`<gb-confusion-matrix
            .labels=${labels}
            .matrix=${m.confusionMatrix ?? []}
            caption=${`${what}, ${VARIANT_NAMES[m.variant] ?? m.variant}`}
          ></gb-confusion-matrix>`,
      )}
  </div>`;
}

/** Free-form card sections, in the order a reader wants them; the detailed ones start folded. */
const SECTIONS: [key: string, title: string, folded: boolean][] = [
  ['data', 'Training data', false],
  ['split', 'Split', false],
  ['baseModel', 'Base model', true],
  ['pretraining', 'Pretraining', true],
  ['training', 'Fine-tuning', true],
  ['quantization', 'Quantization', true],
];

/**
 * The model card: task, labels, test and out-of-domain metrics with confusion matrices, data and
 * split, sizes.
 * Renders whatever the manifest holds; without one it lists the labels and says there is no card.
 */
@customElement('gb-model-card')
export class GbModelCard extends LitElement {
  static override styles = css`
    :host {
      display: block;
      font-size: 0.9rem;
    }
    h2 {
      font-size: 1.1rem;
      margin: 0 0 0.5rem;
    }
    h3 {
      font-size: 0.95rem;
      margin: 1rem 0 0.35rem;
    }
    dl {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 0.15rem 0.8rem;
      margin: 0;
    }
    dt {
      color: #666;
    }
    dd {
      margin: 0;
      overflow-wrap: anywhere;
    }
    table {
      border-collapse: collapse;
      font-variant-numeric: tabular-nums;
    }
    th,
    td {
      text-align: left;
      padding: 0.2rem 0.6rem 0.2rem 0;
    }
    .matrices {
      display: flex;
      flex-wrap: wrap;
      gap: 1rem;
    }
    .note {
      color: #7a5300;
    }
    .targets .missed strong {
      color: #a11;
    }
    .targets .met strong {
      color: #176117;
    }
    summary {
      cursor: pointer;
    }
    summary h3 {
      display: inline;
    }
    code {
      font-size: 0.8rem;
    }
  `;

  @property({ attribute: false }) manifest: ModelManifest | undefined;
  /** Labels from the loaded model, used when there is no card. */
  @property({ attribute: false }) labels: string[] = [];
  /** Why there is no card, or what is odd about it. */
  @property() note = '';

  override render() {
    const card = this.manifest;
    if (!card) {
      return html`<h2>Model card</h2>
        <p class="note">${this.note || 'No model card for this model.'}</p>
        ${this.labels.length ? html`<dl><dt>Labels</dt><dd>${this.labels.join(', ')}</dd></dl>` : nothing}`;
    }
    const metrics = readMetrics(card);
    const maxTokens = readMaxTokens(card);
    return html`<h2>${card.title}</h2>
      ${this.note ? html`<p class="note">${this.note}</p>` : nothing}
      <dl>
        <dt>Task</dt>
        <dd>${card.task}</dd>
        <dt>Labels</dt>
        <dd>${card.labels.join(', ')}</dd>
        ${maxTokens ? html`<dt>Token window</dt><dd>${maxTokens} tokens</dd>` : nothing}
        ${typeof card.truncation === 'string' ? html`<dt>Long texts</dt><dd>${card.truncation}</dd>` : nothing}
        ${typeof card.created === 'string' ? html`<dt>Created</dt><dd>${card.created}</dd>` : nothing}
      </dl>
      ${this.renderTargets(readTargets(card))} ${metrics.length ? this.renderMetrics(metrics, card.labels) : nothing}
      ${this.renderOutOfDomain(readOutOfDomain(card), card.labels)}
      ${SECTIONS.map(([key, title, folded]) => this.renderSection(title, card[key], folded))} ${this.renderFiles(card)}`;
  }

  /** Met and missed targets first: a reader deciding how far to trust the model starts there. */
  private renderTargets(targets: QualityTargets | undefined) {
    if (!targets) return nothing;
    return html`<h3>Quality targets</h3>
      <ul class="targets">
        ${targets.items.map(
          (t) => html`<li class=${t.met ? 'met' : 'missed'}>
            <strong>${t.met ? 'Met' : 'Missed'}</strong>: ${t.target}${t.reached !== undefined ? html` (reached ${formatPercent(t.reached)})` : nothing}
          </li>`,
        )}
      </ul>
      ${targets.tried ? html`<p class="note">${targets.tried}</p>` : nothing}`;
  }

  private renderMetrics(metrics: VariantMetrics[], labels: string[]) {
    const perClass = metrics.find((m) => m.perClass.length > 0);
    return html`<h3>Test metrics</h3>
      <table>
        <thead>
          <tr>
            <th>Model</th>
            <th>Accuracy</th>
            <th>Macro-F1</th>
          </tr>
        </thead>
        <tbody>
          ${metrics.map(
            (m) => html`<tr>
              <td>${VARIANT_NAMES[m.variant] ?? m.variant}</td>
              <td>${m.accuracy !== undefined ? formatPercent(m.accuracy) : '–'}</td>
              <td>${m.macroF1 !== undefined ? formatPercent(m.macroF1) : '–'}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${perClass
        ? html`<h3>Per class (${VARIANT_NAMES[perClass.variant] ?? perClass.variant})</h3>
            <table>
              <thead>
                <tr>
                  <th>Label</th>
                  <th>Precision</th>
                  <th>Recall</th>
                </tr>
              </thead>
              <tbody>
                ${perClass.perClass.map(
                  (c) => html`<tr>
                    <td>${c.label}</td>
                    <td>${c.precision !== undefined ? formatPercent(c.precision) : '–'}</td>
                    <td>${c.recall !== undefined ? formatPercent(c.recall) : '–'}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`
        : nothing}
      ${renderMatrices(metrics, labels, 'Confusion matrix')}`;
  }

  private renderOutOfDomain(sets: OutOfDomainSet[], labels: string[]) {
    if (sets.length === 0) return nothing;
    const accuracyOf = (set: OutOfDomainSet, variant: string) => set.variants.find((v) => v.variant === variant)?.accuracy;
    const cell = (share: number | undefined) => (share !== undefined ? formatPercent(share) : '–');
    return html`<h3>Out of domain</h3>
      <p>Text unlike the training data, the way people paste it. Evaluation only: nothing was trained, tuned or chosen on these sets.</p>
      <table class="out-of-domain">
        <thead>
          <tr>
            <th>Text</th>
            <th>int8 (this model)</th>
            <th>Baseline</th>
          </tr>
        </thead>
        <tbody>
          ${sets.map(
            (set) => html`<tr>
              <td title=${set.description ?? ''}>${set.title}</td>
              <td>${cell(accuracyOf(set, 'int8'))}</td>
              <td>${cell(accuracyOf(set, 'baseline'))}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      <details>
        <summary>What each set is, with confusion matrices</summary>
        ${sets.map(
          (set) => html`<p><strong>${set.title}</strong>${set.description ? html`: ${set.description}` : nothing}</p>
            ${renderMatrices(set.variants, labels, set.title)}`,
        )}
      </details>`;
  }

  private renderSection(title: string, section: unknown, folded: boolean) {
    const facts = readFacts(section);
    if (facts.length === 0) return nothing;
    const list = html`<dl>
      ${facts.map((f) => html`<dt>${f.key}</dt><dd>${f.value}</dd>`)}
    </dl>`;
    return folded
      ? html`<details>
          <summary><h3>${title}</h3></summary>
          ${list}
        </details>`
      : html`<h3>${title}</h3>
          ${list}`;
  }

  private renderFiles(card: ModelManifest) {
    const files = readFiles(card);
    if (files.length === 0) return nothing;
    const total = files.reduce((sum, f) => sum + f.bytes, 0);
    return html`<h3>Files (${formatBytes(total)} in all)</h3>
      <table>
        <tbody>
          ${files.map(
            (f) => html`<tr>
              <td><code>${f.path}</code></td>
              <td>${formatBytes(f.bytes)}</td>
              <td>${f.sha256 ? html`<code title=${f.sha256}>${f.sha256.slice(0, 12)}…</code>` : nothing}</td>
            </tr>`,
          )}
        </tbody>
      </table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gb-model-card': GbModelCard;
  }
}
