import type { BatchReport, LabelCount, RowTally } from '../contract/batch-types';
import { MAX_TEXT_CHARS } from '../text/text-input';

/** Row numbers kept per kind of problem: enough to find them in a spreadsheet. */
const ROWS_KEPT = 10;
/** Distinct unknown label values kept; the rest are counted together under OTHER_VALUES. */
const VALUES_KEPT = 20;
export const OTHER_VALUES = '(other values)';

export function emptyTally(): RowTally {
  return { count: 0, rows: [] };
}

export function tallyRow(tally: RowTally, row: number): void {
  tally.count++;
  if (tally.rows.length < ROWS_KEPT) tally.rows.push(row);
}

export function emptyReport(): BatchReport {
  return {
    rows: 0,
    classified: 0,
    blankRows: 0,
    emptyText: emptyTally(),
    tooLong: emptyTally(),
    shortRows: emptyTally(),
    longRows: emptyTally(),
    quoteProblems: emptyTally(),
    undecodable: 0,
    missingLabel: emptyTally(),
    unknownLabels: [],
    unknownLabelRows: emptyTally(),
  };
}

/** Counts label values that are not model labels, keeping the first VALUES_KEPT distinct ones. */
export class UnknownLabels {
  private readonly counts = new Map<string, number>();
  private others = 0;

  add(value: string): void {
    const count = this.counts.get(value);
    if (count !== undefined) this.counts.set(value, count + 1);
    else if (this.counts.size < VALUES_KEPT) this.counts.set(value, 1);
    else this.others++;
  }

  list(): LabelCount[] {
    const listed = [...this.counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count);
    return this.others > 0 ? [...listed, { value: OTHER_VALUES, count: this.others }] : listed;
  }
}

const plural = (count: number, one: string, many = `${one}s`) => `${count.toLocaleString('en')} ${count === 1 ? one : many}`;

function rowList(tally: RowTally): string {
  const more = tally.count - tally.rows.length;
  return `row${tally.rows.length === 1 ? '' : 's'} ${tally.rows.join(', ')}${more > 0 ? ` and ${more.toLocaleString('en')} more` : ''}`;
}

/** The report in sentences. Row numbers are a spreadsheet's: the header is row 1. */
export function describeReport(report: BatchReport, labels: readonly string[], labelColumn: boolean): string[] {
  const notes: string[] = [`Classified ${plural(report.classified, 'row')} of ${plural(report.rows, 'data row')}.`];
  const add = (tally: RowTally, what: string) => {
    if (tally.count > 0) notes.push(`${what}: ${plural(tally.count, 'row')} (${rowList(tally)}).`);
  };
  add(report.emptyText, 'No text, not classified');
  add(report.tooLong, `Text over ${MAX_TEXT_CHARS.toLocaleString('en')} characters, not classified`);
  add(report.shortRows, 'Fewer cells than the header, the missing cells left empty');
  add(report.longRows, 'More cells than the header, the extra cells left out of the results');
  add(report.quoteProblems, 'Malformed or unclosed quotes ("), whose cells may have run together');
  if (report.blankRows > 0) notes.push(`${plural(report.blankRows, 'blank row')} skipped.`);
  if (report.undecodable > 0) {
    notes.push(
      `${plural(report.undecodable, 'character')} could not be read as UTF-8 and show as �: the file may be in another encoding; save it as "CSV UTF-8" for exact text.`,
    );
  }
  if (labelColumn) {
    add(report.missingLabel, 'No label, not scored');
    if (report.unknownLabels.length > 0) {
      const values = report.unknownLabels.map(({ value, count }) => `${value === OTHER_VALUES ? value : `"${value}"`} (${count.toLocaleString('en')})`).join(', ');
      notes.push(
        `Labels the model does not know, not scored: ${plural(report.unknownLabelRows.count, 'row')} (${rowList(report.unknownLabelRows)}), with ${values}. The model's labels are ${labels.join(', ')} (case does not matter).`,
      );
    }
  }
  return notes;
}
