import Papa from 'papaparse';
import type { DelimiterChoice } from '../contract/batch-types';
import { GlassboxError } from '../contract/errors';

/**
 * What kind of text a batch input is, decided from its first bytes and characters: the encoding
 * (from a byte-order mark), whether it is text at all, and the CSV dialect.
 */

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be';

export interface SourceEncoding {
  encoding: TextEncodingName;
  /** Bytes of byte-order mark to skip; 0 when there is none. */
  bomLength: number;
}

/** Files without a byte-order mark are read as UTF-8, what "CSV UTF-8" and most tools write. */
export function encodingFromBom(head: Uint8Array): SourceEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  return { encoding: 'utf-8', bomLength: 0 };
}

const SIGNATURES: { bytes: number[]; what: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a ZIP archive, such as an Excel workbook (.xlsx)' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: 'an old Excel or Word file (.xls, .doc)' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
  { bytes: [0x1f, 0x8b], what: 'a gzip-compressed file' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
];

/** Refuses well-known binary formats by their signature, naming what the file is. */
export function checkNotKnownBinary(head: Uint8Array, name: string): void {
  const found = SIGNATURES.find(({ bytes }) => bytes.every((byte, i) => head[i] === byte));
  if (found) {
    throw new GlassboxError('CSV_INVALID', `${name} is ${found.what}, not CSV text. Open it in its program and save or export it as "CSV UTF-8".`);
  }
}

/** Characters no CSV text holds: C0 controls other than tab, newlines and form feed, and U+FFFD. */
const ODD_CHARACTER = /[\u0001-\u0008\u000b\u000e-\u001f\ufffd]/g;
/** Share of odd characters in the first characters beyond which the input is not text. */
const MAX_ODD_SHARE = 0.05;
const SAMPLE_CHARS = 65_536;

/**
 * Refuses input that decodes to something other than text: a NUL anywhere (binary files and
 * UTF-16 without a byte-order mark have them), or many control or undecodable characters near
 * the start. `offset` says where `text` starts in the input, for the message.
 */
export function checkTextChunk(text: string, name: string, offset: number): void {
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    throw new GlassboxError(
      'CSV_INVALID',
      `${name} holds a NUL byte (near character ${(offset + nul + 1).toLocaleString('en')}), so it is a binary file or text in UTF-16 without a byte-order mark, not CSV text. Save or export it as "CSV UTF-8".`,
    );
  }
  if (offset > 0) return;
  const sample = text.slice(0, SAMPLE_CHARS);
  const odd = sample.match(ODD_CHARACTER)?.length ?? 0;
  if (sample.length > 0 && odd / sample.length > MAX_ODD_SHARE) {
    throw new GlassboxError(
      'CSV_INVALID',
      `${name} does not read as text: ${Math.round((100 * odd) / sample.length)}% of its first ${sample.length.toLocaleString('en')} characters are control characters or bytes that are not UTF-8. It is a binary file or text in another encoding: save or export it as "CSV UTF-8".`,
    );
  }
}

export function countUndecodable(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\ufffd'); i >= 0; i = text.indexOf('\ufffd', i + 1)) count++;
  return count;
}

export type Newline = '\n' | '\r\n' | '\r';

export interface CsvDialect {
  /** '' when the input has a single column (no delimiter was found). */
  delimiter: string;
  newline: Newline;
}

const DELIMITERS = [',', ';', '\t', '|'];
/** The dialect is decided from this many characters so that every reader of an input agrees. */
export const DIALECT_SAMPLE_CHARS = 32_768;

/**
 * The delimiter and line ending of a CSV text, guessed by papaparse from its first rows (the
 * delimiter that splits them into the most consistent number of cells) unless one is chosen.
 * No delimiter found means one column: a comma is then not split on, so texts with commas
 * in a one-column file stay whole.
 */
export function detectDialect(start: string, choice: DelimiterChoice = 'auto'): CsvDialect {
  // Whole lines only: a row cut short would look like a row with fewer cells.
  const cut = start.length > DIALECT_SAMPLE_CHARS ? start.lastIndexOf('\n', DIALECT_SAMPLE_CHARS) : -1;
  const sample = start.slice(0, cut > 0 ? cut : DIALECT_SAMPLE_CHARS);
  const guessed = Papa.parse<string[]>(sample, {
    preview: 10,
    skipEmptyLines: true,
    delimitersToGuess: DELIMITERS,
    ...(choice === 'auto' ? {} : { delimiter: choice }),
  });
  const newline = (['\n', '\r\n', '\r'] as const).find((n) => n === guessed.meta.linebreak) ?? '\n';
  if (choice !== 'auto') return { delimiter: choice, newline };
  const undetectable = guessed.errors.some((error) => error.code === 'UndetectableDelimiter');
  return { delimiter: undetectable ? '' : guessed.meta.delimiter, newline };
}

export function describeDelimiter(delimiter: string): string {
  switch (delimiter) {
    case '':
      return 'none (one column)';
    case '\t':
      return 'tab';
    case ',':
      return 'comma';
    case ';':
      return 'semicolon';
    case '|':
      return 'vertical bar';
    default:
      return JSON.stringify(delimiter);
  }
}
