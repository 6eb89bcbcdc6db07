import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';

/** A confusion matrix: rows are true labels, columns predicted ones; the diagonal is correct. */
@customElement('gb-confusion-matrix')
export class GbConfusionMatrix extends LitElement {
  static override styles = css`
    :host {
      display: block;
      overflow-x: auto;
    }
    table {
      border-collapse: collapse;
      font-size: 0.8rem;
      font-variant-numeric: tabular-nums;
    }
    th,
    td {
      padding: 0.2rem 0.45rem;
      text-align: right;
      border: 1px solid #e3e3e3;
    }
    th {
      font-weight: 500;
      color: #555;
    }
    td.hit {
      font-weight: 700;
    }
    caption {
      text-align: left;
      color: #555;
      padding-bottom: 0.25rem;
    }
  `;

  @property({ attribute: false }) labels: string[] = [];
  @property({ attribute: false }) matrix: number[][] = [];
  @property() caption = '';

  override render() {
    const { labels, matrix } = this;
    if (matrix.length === 0) return nothing;
    const names = matrix.map((_, i) => labels[i] ?? String(i));
    const largest = Math.max(1, ...matrix.flat());
    return html`<table>
      ${this.caption ? html`<caption>${this.caption}</caption>` : nothing}
      <thead>
        <tr>
          <th scope="col">true ↓ / predicted →</th>
          ${names.map((name) => html`<th scope="col">${name}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${matrix.map(
          (row, i) => html`<tr>
            <th scope="row">${names[i]}</th>
            ${row.map(
              (count, j) =>
                html`<td class=${i === j ? 'hit' : ''} style="background: rgba(35, 87, 198, ${((0.6 * count) / largest).toFixed(3)})">
                  ${count}
                </td>`,
            )}
          </tr>`,
        )}
      </tbody>
    </table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gb-confusion-matrix': GbConfusionMatrix;
  }
}
