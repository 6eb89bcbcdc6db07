import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { describeReport, emptyReport, tallyRow, UnknownLabels } from '../../src/core/batch/batch-report';
import { fitRow, guessLabelColumn, guessTextColumn, headerNames, resolveColumns } from '../../src/core/batch/csv-columns';
import { checkNotKnownBinary, checkTextChunk, countUndecodable, detectDialect, encodingFromBom } from '../../src/core/batch/csv-sniff';
import { toGlassboxError } from '../../src/core/contract/errors';
import { createLabelMatcher } from '../../src/core/batch/label-matching';
import { CsvBlobBuilder, formatProbability, resultColumns, resultFileName, toCsvLines } from '../../src/core/batch/results-csv';

function failure(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    const e = toGlassboxError(error);
    return { code: e.code, message: e.detail };
  }
  return { code: 'ok', message: '' };
}

describe('column names and rows', () => {
  it('names empty header cells by position and numbers repeated ones', () => {
    expect(headerNames([' id ', '', 'text', 'text', 'text_2', ''])).toEqual(['id', 'column_2', 'text', 'text_2', 'text_2_2', 'column_6']);
  });

  it('fits ragged rows to the header width and says how', () => {
    expect(fitRow(['a'], 3)).toEqual({ cells: ['a', '', ''], missing: 2, extra: 0 });
    expect(fitRow(['a', 'b', 'c', 'd'], 3)).toEqual({ cells: ['a', 'b', 'c'], missing: 0, extra: 1 });
    expect(fitRow(['a', 'b'], 2)).toEqual({ cells: ['a', 'b'], missing: 0, extra: 0 });
  });

  it('guesses the text column as the wordy one with the longest cells', () => {
    const columns = ['id', 'title', 'body', 'code'];
    const rows = [
      ['1', 'Short title', 'A much longer body of text that goes on', '1234567890123456789012345678901234567890123456789'],
      ['2', 'Another', 'More words in the body than in the title', '98765432109876543210987654321'],
    ];
    expect(guessTextColumn(columns, rows)).toBe('body');
    expect(guessTextColumn(columns, rows, 'body')).toBe('title');
    expect(guessTextColumn(['id', 'when'], [['1', '2024-01-02'], ['2', '2024-02-03']])).toBeUndefined();
  });

  it('guesses the label column by its values, else by its name', () => {
    const columns = ['text', 'verdict', 'class'];
    const rows = [
      ['good film', 'Positive', 'x'],
      ['bad film', 'negative ', 'y'],
      ['so so', '', 'z'],
    ];
    expect(guessLabelColumn(columns, rows, ['negative', 'positive'])).toBe('verdict');
    expect(guessLabelColumn(columns, rows, ['sport'])).toBe('class');
    expect(guessLabelColumn(['text', 'Sentiment '], [['a', '1']])).toBe('Sentiment ');
    expect(guessLabelColumn(['text', 'score'], [['a', '1']])).toBeUndefined();
  });

  it('resolves the chosen columns or says what is wrong', () => {
    const columns = ['id', 'text', 'label'];
    expect(resolveColumns(columns, 'text', 'label')).toEqual({ text: 1, label: 2 });
    expect(resolveColumns(columns, 'text', '')).toEqual({ text: 1, label: undefined });
    const none = failure(() => resolveColumns(columns, undefined, undefined));
    expect(none.code).toBe('CSV_INVALID');
    expect(none.message).toContain('"id", "text", "label"');
    expect(failure(() => resolveColumns(columns, 'body', undefined)).message).toContain('There is no column "body"');
    expect(failure(() => resolveColumns(columns, 'text', 'gold')).message).toContain('no label column "gold"');
    expect(failure(() => resolveColumns(columns, 'text', 'text')).message).toContain('both the text and the label column');
  });

  it('matches labels without regard to case or surrounding spaces', () => {
    const match = createLabelMatcher(['business', 'Sci/Tech']);
    expect(['Business', ' BUSINESS ', 'sci/tech', 'sport'].map(match)).toEqual([0, 0, 1, undefined]);
  });
});

describe('input sniffing', () => {
  it('reads the encoding from a byte-order mark', () => {
    expect(encodingFromBom(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61))).toEqual({ encoding: 'utf-8', bomLength: 3 });
    expect(encodingFromBom(Uint8Array.of(0xff, 0xfe, 0x61, 0))).toEqual({ encoding: 'utf-16le', bomLength: 2 });
    expect(encodingFromBom(Uint8Array.of(0xfe, 0xff, 0, 0x61))).toEqual({ encoding: 'utf-16be', bomLength: 2 });
    expect(encodingFromBom(Uint8Array.of(0x61, 0x62))).toEqual({ encoding: 'utf-8', bomLength: 0 });
  });

  it('names well-known binary formats', () => {
    expect(failure(() => checkNotKnownBinary(Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 0x14), 'book.xlsx')).message).toMatch(/book\.xlsx is a ZIP archive.*\.xlsx.*CSV UTF-8/);
    expect(failure(() => checkNotKnownBinary(new TextEncoder().encode('%PDF-1.7'), 'a.pdf')).message).toContain('PDF');
    expect(failure(() => checkNotKnownBinary(new TextEncoder().encode('id,text'), 'a.csv')).code).toBe('ok');
  });

  it('refuses NUL bytes anywhere and mostly unreadable starts, and accepts a few odd characters', () => {
    expect(failure(() => checkTextChunk('a,b\n1,\u0000', 'x.csv', 5_000_000)).message).toContain('NUL');
    const garbage = Array.from({ length: 400 }, (_, i) => (i % 3 === 0 ? '\ufffd' : i % 3 === 1 ? '\u0003' : 'a')).join('');
    expect(failure(() => checkTextChunk(garbage, 'x.csv', 0)).message).toMatch(/does not read as text: 67%/);
    expect(failure(() => checkTextChunk('name,text\nJos\ufffd,caf\ufffd au lait and a long enough line of text\n', 'x.csv', 0)).code).toBe('ok');
    expect(countUndecodable('a\ufffdb\ufffd')).toBe(2);
  });

  it('detects comma, semicolon, tab and one-column inputs and the line ending', () => {
    expect(detectDialect('id,text\n1,"a; b"\n2,c\n')).toEqual({ delimiter: ',', newline: '\n' });
    expect(detectDialect('id;text\r\n1;"a, b, c"\r\n2;"d, e"\r\n')).toEqual({ delimiter: ';', newline: '\r\n' });
    expect(detectDialect('id\ttext\n1\ta, b\n')).toEqual({ delimiter: '\t', newline: '\n' });
    expect(detectDialect('text\nhello, world\nplain\n').delimiter).toBe('');
    expect(detectDialect('a;b\n1;2\n', ',')).toEqual({ delimiter: ',', newline: '\n' });
  });
});

describe('results CSV', () => {
  it('adds predicted_label, p_<label> and note, renaming any that clash', () => {
    expect(resultColumns(['id', 'text'], ['negative', 'positive'])).toEqual(['id', 'text', 'predicted_label', 'p_negative', 'p_positive', 'note']);
    expect(resultColumns(['text', 'predicted_label', 'p_a', 'note'], ['a'])).toEqual(['text', 'predicted_label', 'p_a', 'note', 'predicted_label_2', 'p_a_2', 'note_2']);
  });

  it('writes probabilities with six decimals and file names from the input', () => {
    expect(formatProbability(0.123456789)).toBe('0.123457');
    expect(formatProbability(1)).toBe('1');
    expect(formatProbability(1e-9)).toBe('0');
    expect(resultFileName('Reviews.CSV')).toBe('Reviews-classified.csv');
    expect(resultFileName('notes.tsv')).toBe('notes-classified.csv');
  });

  it('quotes what needs quoting so the rows read back exactly, formulas neutralised by a leading quote', async () => {
    const rows = [
      ['plain', 'with, comma', 'with "quotes"'],
      ['line\nbreak', ' padded ', '=SUM(A1)'],
    ];
    const expected = [rows[0], ['line\nbreak', ' padded ', "'=SUM(A1)"]];
    expect(Papa.parse(toCsvLines(rows, ','), { skipEmptyLines: true }).data).toEqual(expected);
    const builder = new CsvBlobBuilder(['a', 'b', 'c'], ';', true);
    builder.addRows(rows);
    const blob = builder.finish();
    expect([...new Uint8Array(await blob.arrayBuffer()).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(Papa.parse(await blob.text(), { skipEmptyLines: true, delimiter: ';' }).data).toEqual([['a', 'b', 'c'], ...expected]);
  });
});

describe('batch report', () => {
  it('says what was skipped, with spreadsheet row numbers', () => {
    const report = emptyReport();
    report.rows = 30;
    report.classified = 17;
    for (let row = 2; row < 15; row++) tallyRow(report.emptyText, row);
    tallyRow(report.longRows, 20);
    const unknown = new UnknownLabels();
    ['Sports', 'Sports', 'misc'].forEach((value) => unknown.add(value));
    report.unknownLabels = unknown.list();
    tallyRow(report.unknownLabelRows, 21);
    tallyRow(report.unknownLabelRows, 22);
    tallyRow(report.unknownLabelRows, 23);
    const notes = describeReport(report, ['sport', 'tech'], true);
    expect(notes[0]).toBe('Classified 17 rows of 30 data rows.');
    expect(notes).toContain('No text, not classified: 13 rows (rows 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 3 more).');
    expect(notes).toContain('More cells than the header, the extra cells left out of the results: 1 row (row 20).');
    expect(notes.at(-1)).toBe(
      'Labels the model does not know, not scored: 3 rows (rows 21, 22, 23), with "Sports" (2), "misc" (1). The model\'s labels are sport, tech (case does not matter).',
    );
    expect(describeReport(report, ['sport'], false).some((note) => note.includes('not scored'))).toBe(false);
  });
});
