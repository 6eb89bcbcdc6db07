import Papa from 'papaparse';
import { uniqueName } from './csv-columns';

/**
 * The results file of a batch: every original column, then `predicted_label`, one `p_<label>`
 * column per model label (in the model's order, the label text as it is) and `note` (why a row
 * was not classified or scored; empty otherwise). Where the input already has a column of one of
 * these names (a results file fed back in), the new column gets `_2`, `_3`...
 */

export const PREDICTED_COLUMN = 'predicted_label';
export const PROBABILITY_PREFIX = 'p_';
export const NOTE_COLUMN = 'note';

export function resultColumns(columns: readonly string[], labels: readonly string[]): string[] {
  const used = new Set(columns);
  const added = [PREDICTED_COLUMN, ...labels.map((label) => PROBABILITY_PREFIX + label), NOTE_COLUMN].map((base) => {
    const name = uniqueName(base, used);
    used.add(name);
    return name;
  });
  return [...columns, ...added];
}

/** Six decimals are finer than any decision made on them, and keep the file a third the size. */
export function formatProbability(probability: number): string {
  return String(Number(probability.toFixed(6)));
}

/**
 * Rows as CSV lines ending in CRLF (RFC 4180), quoted by papaparse where a cell needs it. A cell
 * that starts with =, +, -, @, a tab or a carriage return gets a leading ' (papaparse's
 * escapeFormulae, as OWASP advises against CSV injection), so a spreadsheet shows it as text
 * instead of running it as a formula. The probabilities glassbox writes never start so.
 */
export function toCsvLines(rows: readonly (readonly string[])[], delimiter: string): string {
  if (rows.length === 0) return '';
  return Papa.unparse(rows as string[][], { delimiter, newline: '\r\n', escapeFormulae: true }) + '\r\n';
}

/** "reviews.csv" -> "reviews-classified.csv". */
export function resultFileName(sourceName: string): string {
  const stem = sourceName.replace(/\.(csv|tsv|txt)$/i, '') || 'batch';
  return `${stem}-classified.csv`;
}

/** Text held as strings before it is moved into a Blob, which a browser may keep on disk. */
const FLUSH_CHARS = 4 * 1024 * 1024;

/**
 * Builds a large CSV as a Blob a few megabytes at a time, so the results of a big file are never
 * one giant string. Starts with a UTF-8 byte-order mark when asked (mirroring the input: Excel
 * needs it to read UTF-8).
 */
export class CsvBlobBuilder {
  private readonly blobs: Blob[] = [];
  private pending: string[] = [];
  private pendingChars = 0;

  /** The file's first line (with the byte-order mark when asked for). */
  readonly header: string;

  constructor(
    header: readonly string[],
    private readonly delimiter: string,
    withBom: boolean,
  ) {
    this.header = (withBom ? '\ufeff' : '') + toCsvLines([header], delimiter);
    this.push(this.header);
  }

  /** Adds rows; returns the CSV lines written for them. */
  addRows(rows: readonly (readonly string[])[]): string {
    const lines = toCsvLines(rows, this.delimiter);
    this.push(lines);
    return lines;
  }

  finish(): Blob {
    this.flush();
    return new Blob(this.blobs, { type: 'text/csv;charset=utf-8' });
  }

  private push(text: string): void {
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= FLUSH_CHARS) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.blobs.push(new Blob(this.pending));
    this.pending = [];
    this.pendingChars = 0;
  }
}
