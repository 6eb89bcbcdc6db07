import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ClassificationMetrics } from '../core/contract/batch-types';
import { formatPercent } from '../core/model-folder/model-card';
import './gb-confusion-matrix';

/**
 * How a batch's predictions compare with the file's labels: accuracy, macro-F1, precision,
 * recall and F1 per label, and the confusion matrix as a heat map.
 */
@customElement('gb-batch-metrics')
export class GbBatchMetrics extends LitElement {
  static override styles = css`
    :host {
      display: block;
      font-size: 0.9rem;
    }
    .headline {
      display: flex;
      flex-wrap: wrap;
      gap: 0.4rem 1.5rem;
      margin: 0 0 0.6rem;
    }
    .headline strong {
      font-size: 1.15rem;
      font-variant-numeric: tabular-nums;
    }
    table.per-label {
      border-collapse: collapse;
      font-variant-numeric: tabular-nums;
      margin-bottom: 0.8rem;
    }
    th,
    td {
      padding: 0.2rem 0.7rem 0.2rem 0;
      text-align: right;
    }
    th:first-child,
    td:first-child {
      text-align: left;
    }
    thead th {
      font-weight: 500;
      color: #555;
      border-bottom: 1px solid #ddd;
    }
    .note {
      color: #555;
      font-size: 0.8rem;
    }
  `;

  @property({ attribute: false }) metrics: ClassificationMetrics | undefined;

  override render() {
    const m = this.metrics;
    if (!m) return nothing;
    const partial = m.averagedLabels.length < m.labels.length;
    return html`
      <p class="headline">
        <span>Accuracy <strong>${formatPercent(m.accuracy)}</strong></span>
        <span>Macro-F1 <strong>${formatPercent(m.macroF1)}</strong></span>
        <span>Scored rows <strong>${m.count.toLocaleString('en')}</strong></span>
      </p>
      <table class="per-label">
        <thead>
          <tr>
            <th scope="col">Label</th>
            <th scope="col">Precision</th>
            <th scope="col">Recall</th>
            <th scope="col">F1</th>
            <th scope="col">Rows</th>
          </tr>
        </thead>
        <tbody>
          ${m.perClass.map(
            (c) => html`<tr>
              <th scope="row">${c.label}</th>
              <td>${formatPercent(c.precision)}</td>
              <td>${formatPercent(c.recall)}</td>
              <td>${formatPercent(c.f1)}</td>
              <td>${c.support.toLocaleString('en')}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${partial
        ? html`<p class="note">Macro averages are over the labels that occur in the file or the predictions: ${m.averagedLabels.join(', ')}.</p>`
        : nothing}
      <gb-confusion-matrix .labels=${m.labels} .matrix=${m.confusionMatrix} caption="Confusion matrix (rows: labels in the file)"></gb-confusion-matrix>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gb-batch-metrics': GbBatchMetrics;
  }
}
