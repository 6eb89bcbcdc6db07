import { GlassboxError } from '../contract/errors';
import { createLabelMatcher } from './label-matching';

/** Column names, row shapes and the guesses behind the column chooser. */

/**
 * Names for the header cells: trimmed, an empty one becomes `column_<n>` (n counts from 1) and a
 * repeated one gets `_2`, `_3`, so that every column can be chosen by its name.
 */
export function headerNames(cells: readonly string[]): string[] {
  const used = new Set<string>();
  return cells.map((cell, i) => {
    const base = cell.trim() || `column_${i + 1}`;
    const name = uniqueName(base, used);
    used.add(name);
    return name;
  });
}

/** `base`, or `base_2`, `base_3`... whichever is not in `used`. */
export function uniqueName(base: string, used: ReadonlySet<string>): string {
  if (!used.has(base)) return base;
  let n = 2;
  while (used.has(`${base}_${n}`)) n++;
  return `${base}_${n}`;
}

/**
 * A row with exactly `width` cells: short rows are filled with empty cells, and cells past the
 * header are left out (they have no column to go in). `extra` says how many were left out.
 */
export function fitRow(cells: readonly string[], width: number): { cells: string[]; missing: number; extra: number } {
  if (cells.length === width) return { cells: cells as string[], missing: 0, extra: 0 };
  if (cells.length > width) return { cells: cells.slice(0, width), missing: 0, extra: cells.length - width };
  const filled = cells.slice();
  while (filled.length < width) filled.push('');
  return { cells: filled, missing: width - cells.length, extra: 0 };
}

/** Names that say a column holds the true labels, compared without case, spaces or punctuation. */
const LABEL_NAMES = ['label', 'labels', 'category', 'class', 'sentiment', 'topic', 'target', 'truelabel', 'goldlabel', 'expected', 'y'];
/** Share of a column's non-empty sample cells that must be model labels for the column to be guessed as labels. */
const LABEL_VALUE_SHARE = 0.8;

const comparable = (name: string) => name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

/**
 * The column of true labels: one whose values are mostly the model's labels, else one named like
 * label/category/class/sentiment/topic. Undefined when none qualifies.
 */
export function guessLabelColumn(columns: readonly string[], rows: readonly (readonly string[])[], modelLabels: readonly string[] = []): string | undefined {
  if (modelLabels.length > 0) {
    const match = createLabelMatcher(modelLabels);
    const byValues = columns.find((_, c) => {
      const values = rows.map((row) => (row[c] ?? '').trim()).filter(Boolean);
      return values.length > 0 && values.filter((v) => match(v) !== undefined).length / values.length >= LABEL_VALUE_SHARE;
    });
    if (byValues) return byValues;
  }
  for (const wanted of LABEL_NAMES) {
    const byName = columns.find((column) => comparable(column) === wanted);
    if (byName) return byName;
  }
  return undefined;
}

const HAS_LETTER = /\p{L}/u;

/**
 * The column of texts: among columns whose non-empty cells mostly hold letters (not numbers,
 * dates or ids), the one with the longest cells on average. Undefined when no column holds words.
 */
export function guessTextColumn(columns: readonly string[], rows: readonly (readonly string[])[], exclude?: string): string | undefined {
  let best: { column: string; length: number } | undefined;
  columns.forEach((column, c) => {
    if (column === exclude) return;
    const cells = rows.map((row) => (row[c] ?? '').trim()).filter(Boolean);
    if (cells.length === 0) return;
    const wordy = cells.filter((cell) => HAS_LETTER.test(cell)).length;
    if (wordy * 2 < cells.length) return;
    const length = cells.reduce((sum, cell) => sum + cell.length, 0) / rows.length;
    if (!best || length > best.length) best = { column, length };
  });
  return best?.column;
}

/** Column indexes for the chosen text and label columns, or a CSV_INVALID saying what is wrong. */
export function resolveColumns(columns: readonly string[], textColumn: unknown, labelColumn: unknown): { text: number; label: number | undefined } {
  const list = columns.map((c) => `"${c}"`).join(', ');
  if (typeof textColumn !== 'string' || textColumn === '') {
    throw new GlassboxError('CSV_INVALID', `Choose the column that holds the texts to classify; the columns are ${list}.`);
  }
  const text = columns.indexOf(textColumn);
  if (text < 0) throw new GlassboxError('CSV_INVALID', `There is no column "${textColumn}" to classify; the columns are ${list}.`);
  if (labelColumn === undefined || labelColumn === '') return { text, label: undefined };
  if (typeof labelColumn !== 'string') throw new GlassboxError('CSV_INVALID', 'The label column must be given by its name.');
  const label = columns.indexOf(labelColumn);
  if (label < 0) throw new GlassboxError('CSV_INVALID', `There is no label column "${labelColumn}"; the columns are ${list}.`);
  if (label === text) throw new GlassboxError('CSV_INVALID', `"${textColumn}" cannot be both the text and the label column: choose two different columns.`);
  return { text, label };
}
