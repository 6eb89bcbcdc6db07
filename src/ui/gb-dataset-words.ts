import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { DatasetExplanation, DatasetGroup, DatasetRow, GroupWords, WordStat } from '../core/contract/dataset-types';
import { rowWeights } from '../core/explain/dataset-summary';
import { indexWords } from '../core/explain/words';
import { formatPercent } from '../core/model-folder/model-card';
import { GROUP_NAMES } from './dataset-text';
import { formatWeight } from './format-weight';
import type { TextDetail } from './gb-text-input';

/** Characters of a row's text shown around the word, and in all. */
const CONTEXT_CHARS = 90;

/**
 * The words that drive one label across a dataset: pick a label, and (with true labels) the rows
 * predicted correctly or wrongly; each word with its mean weight and the rows it appears in. A word
 * opens the rows where it weighed the most, each of which can be opened in the explainer.
 *
 * @fires gb-dataset-row - {text}: explain this row's text on its own.
 */
@customElement('gb-dataset-words')
export class GbDatasetWords extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    .choices {
      display: flex;
      flex-wrap: wrap;
      gap: 0.3rem;
      margin: 0.4rem 0;
    }
    .choices button {
      font: inherit;
      border: 1px solid #b5b5b5;
      background: white;
      border-radius: 999px;
      padding: 0.15rem 0.7rem;
      cursor: pointer;
    }
    .choices button[aria-pressed='true'] {
      background: #2357c6;
      border-color: #2357c6;
      color: white;
    }
    /* Fixed columns, so the toward and away tables line up. */
    table {
      border-collapse: collapse;
      width: 100%;
      table-layout: fixed;
      font-variant-numeric: tabular-nums;
    }
    th:nth-child(1) {
      width: 30%;
    }
    th:nth-child(2) {
      width: 8rem;
    }
    th:nth-child(3) {
      width: 4rem;
    }
    td:first-child {
      overflow-wrap: anywhere;
    }
    th,
    td {
      padding: 0.15rem 0.4rem;
      text-align: left;
    }
    .number {
      text-align: right;
      white-space: nowrap;
    }
    .bar span {
      display: block;
      height: 0.8rem;
      border-radius: 2px;
    }
    .towards .bar span {
      background: var(--gb-towards-color, #d9480f);
    }
    .against .bar span {
      background: var(--gb-against-color, #1c7ed6);
    }
    button.word {
      font: inherit;
      border: none;
      background: none;
      padding: 0;
      color: #2357c6;
      text-decoration: underline;
      cursor: pointer;
    }
    button.word[aria-expanded='true'] {
      font-weight: 600;
    }
    .meta {
      color: #666;
      font-size: 0.8rem;
      margin: 0.3rem 0;
    }
    ol.rows {
      padding-left: 1.2rem;
    }
    ol.rows li {
      margin: 0.4rem 0;
    }
    mark {
      background: #ffe8cc;
    }
    h4 {
      margin: 0.8rem 0 0.2rem;
      font-size: 0.9rem;
    }
  `;

  @property({ attribute: false }) explanation: DatasetExplanation | undefined;

  @state() private labelIndex = 0;
  @state() private group: DatasetGroup = 'all';
  @state() private word: string | undefined;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('explanation')) {
      // Opens on the label with the most rows, where the words say the most.
      const labels = this.explanation?.summary.labels ?? [];
      const largest = labels.reduce((best, label) => ((label.groups.all?.rows ?? 0) > (labels[best]?.groups.all?.rows ?? 0) ? label.labelIndex : best), 0);
      this.labelIndex = largest;
      this.group = 'all';
      this.word = undefined;
    }
  }

  override render() {
    const explanation = this.explanation;
    const label = explanation?.summary.labels[this.labelIndex];
    if (!explanation || !label) return nothing;
    const words = label.groups[this.group] ?? label.groups.all;
    return html`
      <div class="choices labels" role="group" aria-label="Predicted label">
        ${explanation.summary.labels.map(
          (l) => html`<button type="button" data-label=${l.label} aria-pressed=${l.labelIndex === this.labelIndex ? 'true' : 'false'} @click=${() => this.choose(l.labelIndex, 'all')}>
            ${l.label} (${(l.groups.all?.rows ?? 0).toLocaleString('en')})
          </button>`,
        )}
      </div>
      ${explanation.summary.labelled
        ? html`<div class="choices groups" role="group" aria-label="Rows">
            ${(Object.keys(label.groups) as DatasetGroup[]).map(
              (group) => html`<button type="button" data-group=${group} aria-pressed=${group === this.group ? 'true' : 'false'} @click=${() => this.choose(this.labelIndex, group)}>
                ${GROUP_NAMES[group]} (${(label.groups[group]?.rows ?? 0).toLocaleString('en')})
              </button>`,
            )}
          </div>`
        : html`<p class="meta">The file has no label column the model knows, so the rows are not split into correct and wrong predictions.</p>`}
      ${words ? this.renderWords(label.label, words, explanation) : nothing}
    `;
  }

  private renderWords(label: string, words: GroupWords, explanation: DatasetExplanation) {
    if (words.rows === 0) return html`<p class="meta">No row is in this group.</p>`;
    const shown = [...words.toward, ...words.against];
    if (shown.length === 0) return html`<p class="meta">No word appears in ${words.minRows} or more of these ${words.rows} rows.</p>`;
    const largest = Math.max(...shown.map((w) => Math.abs(w.meanWeight)));
    return html`
      <p class="meta">
        Mean weight: how much ${label}'s probability drops without the word, averaged over the rows it appears in.${words.minRows > 1 ? ` Words in fewer than ${words.minRows} of these rows are left out.` : ''}
      </p>
      <h4>Toward ${label}</h4>
      ${this.renderTable(words.toward, largest, 'towards', explanation)}
      ${words.against.length > 0 ? html`<h4>Away from ${label}</h4>${this.renderTable(words.against, largest, 'against', explanation)}` : nothing}
    `;
  }

  private renderTable(stats: readonly WordStat[], largest: number, side: 'towards' | 'against', explanation: DatasetExplanation) {
    return html`<table class=${side}>
      <thead>
        <tr><th scope="col">word</th><th scope="col" class="number">mean weight</th><th scope="col" class="number">rows</th><th scope="col"><span hidden>bar</span></th></tr>
      </thead>
      <tbody>
        ${stats.map(
          (stat) => html`<tr data-word=${stat.word}>
              <td><button type="button" class="word" aria-expanded=${this.word === stat.word ? 'true' : 'false'} @click=${() => (this.word = this.word === stat.word ? undefined : stat.word)}>${stat.word}</button></td>
              <td class="number">${formatWeight(stat.meanWeight)}</td>
              <td class="number">${stat.rows.toLocaleString('en')}</td>
              <td class="bar"><span style="width: ${((Math.abs(stat.meanWeight) / largest) * 100).toFixed(1)}%"></span></td>
            </tr>
            ${this.word === stat.word ? html`<tr><td colspan="4">${this.renderRows(stat, explanation)}</td></tr>` : nothing}`,
        )}
      </tbody>
    </table>`;
  }

  /** The rows where the word weighed the most toward the label. */
  private renderRows(stat: WordStat, explanation: DatasetExplanation) {
    return html`<ol class="rows" aria-label=${`Rows where ${stat.word} mattered most`}>
      ${stat.topRows.map((index) => {
        const row = explanation.rows[index];
        const weight = rowWeights(row).get(stat.word) ?? 0;
        const truth = row.truth === undefined ? '' : `, true label ${explanation.labels[row.truth]}`;
        return html`<li data-row=${row.row}>
          Row ${row.row}: ${explanation.labels[row.predicted]} ${formatPercent(row.probability)}${truth}; "${stat.word}" ${formatWeight(weight)}
          <br />${excerpt(row.text, stat.word)}
          <button type="button" class="open" @click=${() => this.openRow(row)}>Explain this text</button>
        </li>`;
      })}
    </ol>`;
  }

  private choose(labelIndex: number, group: DatasetGroup) {
    this.labelIndex = labelIndex;
    this.group = group;
    this.word = undefined;
  }

  private openRow(row: DatasetRow) {
    this.dispatchEvent(new CustomEvent<TextDetail>('gb-dataset-row', { detail: { text: row.text }, bubbles: true, composed: true }));
  }
}

/** The text around the word's first occurrence, the word marked. */
function excerpt(text: string, word: string) {
  const pieces = indexWords(text).pieces;
  let offset = 0;
  for (const piece of pieces) {
    if (piece.toLocaleLowerCase() === word) {
      const start = Math.max(0, offset - CONTEXT_CHARS / 2);
      const end = Math.min(text.length, offset + piece.length + CONTEXT_CHARS / 2);
      return html`${start > 0 ? '…' : ''}${text.slice(start, offset)}<mark>${piece}</mark>${text.slice(offset + piece.length, end)}${end < text.length ? '…' : ''}`;
    }
    offset += piece.length;
  }
  return text.slice(0, CONTEXT_CHARS);
}

declare global {
  interface HTMLElementTagNameMap {
    'gb-dataset-words': GbDatasetWords;
  }
}
