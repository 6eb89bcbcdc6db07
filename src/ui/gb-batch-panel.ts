import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { BATCH_LIMITS } from '../core/batch/batch-limits';
import type { BatchOptions, BatchProgress, BatchResult, BatchSource, CsvPreview, DelimiterChoice, PastedFormat } from '../core/contract/batch-types';
import { formatBytes, formatPercent } from '../core/model-folder/model-card';
import { TimeLeft, timeLeftSuffix } from './time-left';
import './gb-batch-metrics';
import { errorBox, panelStyles, visuallyHidden } from './shared-styles';
import type { PartialResults } from './batch-controller';

export interface BatchFileDetail {
  source: BatchSource;
  delimiter: DelimiterChoice;
}

export interface BatchStartDetail {
  source: BatchSource;
  options: BatchOptions;
}

const DELIMITERS: { value: DelimiterChoice; name: string }[] = [
  { value: 'auto', name: 'detect' },
  { value: ',', name: 'comma' },
  { value: ';', name: 'semicolon' },
  { value: '\t', name: 'tab' },
  { value: '|', name: 'vertical bar' },
];
/** Rows and characters per cell shown in the preview table. */
const SHOWN_ROWS = 5;
const SHOWN_CHARS = 120;
const ACCEPT = '.csv,.tsv,.txt,text/csv,text/tab-separated-values,text/plain';

/**
 * Batch mode: a CSV file (dropped or picked) or pasted text, the columns to use, progress with a
 * cancel button, the results file to download and, when the file has labels, the metrics.
 * It only raises events; the page reads the input and runs the batch in the worker, then sets
 * `preview`, `progress`, `result` or `error`.
 *
 * @fires gb-batch-file - {source, delimiter}: a new input (or another delimiter) to preview.
 * @fires gb-batch-start - {source, options}: classify every row.
 * @fires gb-batch-cancel - Stop the running batch.
 * @fires gb-batch-resume - Start a stopped batch again after the rows it finished.
 */
@customElement('gb-batch-panel')
export class GbBatchPanel extends LitElement {
  static override styles = [
    visuallyHidden, errorBox, panelStyles,
    css`
      .drop {
        border: 2px dashed #b5b5b5;
        border-radius: 8px;
        padding: 1rem;
        text-align: center;
        color: #444;
      }
      .drop.over {
        border-color: #2357c6;
        background: #f0f4fd;
      }
      .pick {
        color: #2357c6;
        text-decoration: underline;
        cursor: pointer;
      }
      input:focus-visible + .pick {
        outline: 2px solid #2357c6;
        outline-offset: 2px;
      }
      details {
        margin-top: 0.6rem;
      }
      textarea {
        box-sizing: border-box;
        width: 100%;
        min-height: 6rem;
        font: inherit;
        padding: 0.5rem;
        border: 1px solid #bbb;
        border-radius: 6px;
      }
      .table {
        overflow-x: auto;
        margin-top: 0.5rem;
      }
      table {
        border-collapse: collapse;
        font-size: 0.8rem;
      }
      th,
      td {
        border: 1px solid #e3e3e3;
        padding: 0.2rem 0.4rem;
        text-align: left;
        vertical-align: top;
        max-width: 18rem;
        overflow-wrap: anywhere;
      }
      /* Column names are short words: they wrap between words, never inside one (the table scrolls instead). */
      th {
        overflow-wrap: normal;
        word-break: keep-all;
      }
      th.text,
      td.text {
        background: #eef3fd;
      }
      th.label,
      td.label {
        background: #f3f9ee;
      }
      ul {
        margin: 0.4rem 0;
        padding-left: 1.2rem;
      }
      .download {
        display: inline-block;
        padding: 0.35rem 0.9rem;
        border-radius: 6px;
        background: #2357c6;
        color: white;
        text-decoration: none;
      }
    `,
  ];

  /** The input's columns and first rows, once the page has read them. */
  @property({ attribute: false }) preview: CsvPreview | undefined;
  @property({ type: Boolean }) running = false;
  @property({ attribute: false }) progress: BatchProgress | undefined;
  @property({ attribute: false }) result: BatchResult | undefined;
  /** The rows a stopped batch finished: offered as a download, with Resume. */
  @property({ attribute: false }) partial: PartialResults | undefined;
  /** What is wrong with the input or the run, shown next to it. */
  @property() error = '';
  /** Why batches cannot start yet (e.g. no model loaded); empty when they can. */
  @property({ attribute: 'unavailable-reason' }) unavailableReason = '';

  @state() private source: BatchSource | undefined;
  @state() private delimiter: DelimiterChoice = 'auto';
  @state() private textColumn = '';
  @state() private labelColumn = '';
  @state() private pasted = '';
  @state() private pastedFormat: PastedFormat = 'lines';
  @state() private dragging = false;
  @state() private downloadUrl: string | undefined;

  /** The file the download link offers: the results, or the rows a stopped batch finished. */
  private get downloadBlob(): Blob | undefined {
    return this.result?.csv ?? this.partial?.csv;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const blob = this.downloadBlob;
    if (blob && !this.downloadUrl) this.downloadUrl = URL.createObjectURL(blob);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.revokeDownload();
  }

  /** The estimate shown beside the rows classified, once a few batches are timed. */
  private readonly timeLeft = new TimeLeft();
  private timeLeftText = '';

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('preview')) {
      this.textColumn = this.preview?.textColumn ?? '';
      this.labelColumn = this.preview?.labelColumn ?? '';
    }
    if (changed.has('result') || changed.has('partial')) {
      this.revokeDownload();
      const blob = this.downloadBlob;
      if (blob && this.isConnected) this.downloadUrl = URL.createObjectURL(blob);
    }
    if (changed.has('progress')) {
      const p = this.progress;
      this.timeLeftText = p?.stage === 'classifying' ? timeLeftSuffix(this.timeLeft, p.loaded, p.total) : '';
    }
  }

  override render() {
    return html`
      ${this.renderInput()} ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing} ${this.renderPreview()}
      ${this.renderProgress()} ${this.renderResult()} ${this.renderPartial()}
    `;
  }

  private renderPartial() {
    const p = this.partial;
    if (!p || this.running || this.result) return nothing;
    const rows = p.rows.toLocaleString('en');
    return html`
      <h3>Rows finished before the batch stopped</h3>
      <p class="meta">The file holds the first ${rows} rows of the input, with their results.</p>
      ${this.downloadUrl ? html`<a class="download partial" href=${this.downloadUrl} download=${`glassbox-results-first-${p.rows}-rows.csv`}>Download the first ${rows} rows</a>` : nothing}
      <button class="resume" ?disabled=${this.unavailableReason !== ''} @click=${this.onResume}>Resume from row ${(p.rows + 1).toLocaleString('en')}</button>
    `;
  }

  private renderInput() {
    const limits = `Up to ${BATCH_LIMITS.maxRows.toLocaleString('en')} rows and ${formatBytes(BATCH_LIMITS.maxBytes)}.`;
    return html`
      <div
        class="drop ${this.dragging ? 'over' : ''}"
        @dragover=${this.onDragOver}
        @dragleave=${() => (this.dragging = false)}
        @drop=${this.onDrop}
      >
        Drop a CSV file here, or
        <input id="file" class="visually-hidden" type="file" accept=${ACCEPT} ?disabled=${this.running} @change=${this.onPick} />
        <label class="pick" for="file">choose a file</label>.
        <p class="hint">A header row, then one text per row; an optional column of true labels gives accuracy and F1. ${limits}</p>
      </div>
      <details>
        <summary>Or paste text</summary>
        <textarea
          aria-label="Pasted text"
          .value=${this.pasted}
          @input=${(e: Event) => (this.pasted = (e.target as HTMLTextAreaElement).value)}
        ></textarea>
        <div class="row">
          <label><input type="radio" name="format" .checked=${this.pastedFormat === 'lines'} @change=${() => (this.pastedFormat = 'lines')} /> One text per line</label>
          <label><input type="radio" name="format" .checked=${this.pastedFormat === 'csv'} @change=${() => (this.pastedFormat = 'csv')} /> CSV with a header row</label>
          <button ?disabled=${this.running || this.pasted.trim() === ''} @click=${this.usePasted}>Use pasted text</button>
        </div>
      </details>
    `;
  }

  private renderPreview() {
    const p = this.preview;
    if (!p || !this.source) return nothing;
    const rows = p.complete ? `${p.estimatedRows.toLocaleString('en')} rows` : `about ${p.estimatedRows.toLocaleString('en')} rows`;
    const canStart = !this.running && this.textColumn !== '' && !this.unavailableReason;
    return html`
      <h3>${p.name}</h3>
      <p class="meta">${formatBytes(p.size)} · ${rows} · ${p.encoding}${p.hasBom ? ' with BOM' : ''}</p>
      <div class="row">
        <label
          >Text column
          <select name="text-column" @change=${this.onTextColumn} ?disabled=${this.running}>
            ${this.textColumn === '' ? html`<option value="" selected>(choose)</option>` : nothing}
            ${p.columns.map((c) => html`<option .value=${c} ?selected=${c === this.textColumn}>${c}</option>`)}
          </select></label
        >
        <label
          >Label column
          <select name="label-column" @change=${(e: Event) => (this.labelColumn = (e.target as HTMLSelectElement).value)} ?disabled=${this.running}>
            <option value="" ?selected=${this.labelColumn === ''}>(none)</option>
            ${p.columns
              .filter((c) => c !== this.textColumn)
              .map((c) => html`<option .value=${c} ?selected=${c === this.labelColumn}>${c}</option>`)}
          </select></label
        >
        ${p.format === 'csv'
          ? html`<label
              >Delimiter
              <select name="delimiter" @change=${this.onDelimiter} ?disabled=${this.running}>
                ${DELIMITERS.map((d) => html`<option .value=${d.value} ?selected=${d.value === this.delimiter}>${d.name}</option>`)}
              </select></label
            >`
          : nothing}
      </div>
      ${p.notes.length ? html`<ul class="notes">${p.notes.map((note) => html`<li>${note}</li>`)}</ul>` : nothing}
      <div class="table">
        <table>
          <thead>
            <tr>
              <th>Row</th>
              ${p.columns.map((c) => html`<th class=${this.columnClass(c)} scope="col">${c}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${p.rows.slice(0, SHOWN_ROWS).map(
              (cells, i) => html`<tr>
                <td>${p.rowNumbers[i]}</td>
                ${cells.map((cell, c) => html`<td class=${this.columnClass(p.columns[c])}>${shorten(cell)}</td>`)}
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <div class="row">
        <button class="start" ?disabled=${!canStart} @click=${this.onStart}>Classify every row</button>
        ${this.unavailableReason ? html`<span class="meta">${this.unavailableReason}</span>` : nothing}
      </div>
    `;
  }

  private renderProgress() {
    if (!this.running) return nothing;
    const p = this.progress;
    const line = !p
      ? 'Starting…'
      : p.stage === 'reading'
        ? `Reading the file… ${formatPercent(p.progress, 0)}`
        : `Classified ${p.loaded.toLocaleString('en')} of ${p.total.toLocaleString('en')} rows (${formatPercent(p.progress, 0)})${this.timeLeftText}`;
    return html`<div role="status" aria-live="polite">
      <div class="row"><span>${line}</span><button class="cancel" @click=${this.onCancel}>Cancel</button></div>
      ${p ? html`<progress max="1" .value=${p.progress} aria-label="Batch progress"></progress>` : html`<progress aria-label="Batch progress"></progress>`}
    </div>`;
  }

  private renderResult() {
    const r = this.result;
    if (!r || this.running) return nothing;
    return html`
      <h3>Results</h3>
      <ul class="notes">
        ${r.notes.map((note) => html`<li>${note}</li>`)}
      </ul>
      <p class="meta">Columns added: ${r.columns.slice(r.columns.length - r.labels.length - 2).join(', ')}. Took ${(r.ms / 1000).toFixed(1)} s.</p>
      ${this.downloadUrl ? html`<a class="download" href=${this.downloadUrl} download=${r.fileName}>Download ${r.fileName}</a>` : nothing}
      ${r.metrics ? html`<h3>Against the labels in the file</h3><gb-batch-metrics .metrics=${r.metrics}></gb-batch-metrics>` : nothing}
    `;
  }

  private columnClass(column: string): string {
    if (column === this.textColumn) return 'text';
    if (column === this.labelColumn) return 'label';
    return '';
  }

  private onDragOver(event: DragEvent) {
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = this.running ? 'none' : 'copy';
    this.dragging = true;
  }

  private onDrop(event: DragEvent) {
    event.preventDefault();
    this.dragging = false;
    const file = event.dataTransfer?.files[0];
    if (file && !this.running) this.chooseSource({ kind: 'file', file, name: file.name });
  }

  private onPick(event: Event) {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    // Cleared so that picking the same file again (after editing it) is a change too.
    input.value = '';
    if (file) this.chooseSource({ kind: 'file', file, name: file.name });
  }

  private usePasted() {
    this.chooseSource({ kind: 'text', text: this.pasted, format: this.pastedFormat });
  }

  private onTextColumn(event: Event) {
    this.textColumn = (event.target as HTMLSelectElement).value;
    // One column cannot be both; the label list leaves the text column out.
    if (this.labelColumn === this.textColumn) this.labelColumn = '';
  }

  private onDelimiter(event: Event) {
    this.delimiter = (event.target as HTMLSelectElement).value as DelimiterChoice;
    if (this.source) this.emit<BatchFileDetail>('gb-batch-file', { source: this.source, delimiter: this.delimiter });
  }

  private chooseSource(source: BatchSource) {
    this.source = source;
    this.delimiter = 'auto';
    this.emit<BatchFileDetail>('gb-batch-file', { source, delimiter: this.delimiter });
  }

  private onStart() {
    if (!this.source || this.textColumn === '') return;
    const options: BatchOptions = {
      textColumn: this.textColumn,
      delimiter: this.delimiter,
      ...(this.labelColumn ? { labelColumn: this.labelColumn } : {}),
    };
    this.emit<BatchStartDetail>('gb-batch-start', { source: this.source, options });
  }

  private onCancel() {
    this.emit('gb-batch-cancel', undefined);
  }

  private onResume() {
    this.emit('gb-batch-resume', undefined);
  }

  private emit<T>(type: 'gb-batch-file' | 'gb-batch-start' | 'gb-batch-cancel' | 'gb-batch-resume', detail: T) {
    this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
  }

  private revokeDownload() {
    if (this.downloadUrl) URL.revokeObjectURL(this.downloadUrl);
    this.downloadUrl = undefined;
  }
}

function shorten(cell: string): string {
  return cell.length > SHOWN_CHARS ? `${cell.slice(0, SHOWN_CHARS)}…` : cell;
}

declare global {
  interface HTMLElementTagNameMap {
    'gb-batch-panel': GbBatchPanel;
  }
}
