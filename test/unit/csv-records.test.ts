import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { BATCH_LIMITS } from '../../src/core/batch/batch-limits';
import { toGlassboxError } from '../../src/core/contract/errors';
import { readCsvRecords, readLineRecords, type RecordBatch } from '../../workers/csv-records';
import { openTextInput, type TextChunk } from '../../workers/text-chunks';

async function* chunksOf(pieces: string[]): AsyncGenerator<TextChunk> {
  let end = 0;
  for (const text of pieces) {
    end += text.length;
    yield { text, end, undecodable: 0 };
  }
}

async function collect(batches: AsyncGenerator<RecordBatch>) {
  const records: { cells: string[]; row: number }[] = [];
  let blank = 0;
  const quoteProblems: number[] = [];
  for await (const batch of batches) {
    records.push(...batch.records);
    blank += batch.blank;
    quoteProblems.push(...batch.quoteProblems);
  }
  return { records, blank, quoteProblems };
}

// Quoted delimiters, quoted CRLFs and LFs, escaped quotes, an empty and a blank row, no final newline.
const TRICKY = 'id,text,label\r\n1,"a, b\r\nc ""d""",x\r\n\r\n2,plain,y\r\n,,\r\n3,"é ✓ 漢字",z\r\n4,"",w';
const DIALECT = { delimiter: ',', newline: '\r\n' } as const;

describe('CSV records from chunks', () => {
  it('are the same wherever the chunks are cut', async () => {
    const whole = await collect(readCsvRecords(chunksOf([TRICKY]), DIALECT, BATCH_LIMITS));
    expect(whole.records.map((r) => r.cells)).toEqual(
      (Papa.parse<string[]>(TRICKY, { delimiter: ',', newline: '\r\n', skipEmptyLines: 'greedy' }).data as string[][]),
    );
    expect(whole.records.map((r) => r.row)).toEqual([1, 2, 4, 6, 7]);
    expect(whole.blank).toBe(2);
    for (let cut = 1; cut < TRICKY.length; cut++) {
      for (const second of [cut + 1, cut + 3]) {
        const pieces = [TRICKY.slice(0, cut), TRICKY.slice(cut, second), TRICKY.slice(second)].filter(Boolean);
        const split = await collect(readCsvRecords(chunksOf(pieces), DIALECT, BATCH_LIMITS));
        expect(split, `cut at ${cut} and ${second}`).toEqual(whole);
      }
    }
  });

  it('do not count the empty line after the final line break as a row', async () => {
    const { records, blank } = await collect(readCsvRecords(chunksOf(['a,b\n1,2\n']), { delimiter: ',', newline: '\n' }, BATCH_LIMITS));
    expect(records.map((r) => r.cells)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(blank).toBe(0);
  });

  it('report malformed quotes by row, and refuse a quote left open past the row limit', async () => {
    const { quoteProblems, records } = await collect(readCsvRecords(chunksOf(['a,b\n1,"x"y\n2,z\n3,"open']), { delimiter: ',', newline: '\n' }, BATCH_LIMITS));
    expect(quoteProblems).toContain(2);
    expect(quoteProblems.at(-1)).toBe(records.at(-1)?.row);

    const open = ['a,b\n1,"never closed', ...Array.from({ length: 20 }, () => 'x'.repeat(100))];
    const error = await collect(readCsvRecords(chunksOf(open), { delimiter: ',', newline: '\n' }, { ...BATCH_LIMITS, maxRowChars: 1000 })).catch(toGlassboxError);
    expect(error).toMatchObject({ code: 'CSV_INVALID' });
    expect((error as Error).message).toMatch(/Row 2 runs past 1,000 characters.*quote/);
  });

  it('keep a one-column input whole, commas included', async () => {
    const { records } = await collect(readCsvRecords(chunksOf(['text\nhello, world\n"quoted\nline"\n']), { delimiter: '', newline: '\n' }, BATCH_LIMITS));
    expect(records.map((r) => r.cells)).toEqual([['text'], ['hello, world'], ['quoted\nline']]);
  });
});

describe('pasted lines', () => {
  it('are one record per line whatever the line endings and chunk cuts', async () => {
    const text = 'first, with comma\r\n\r\nsecond "quoted"\rthird\nlast';
    for (let cut = 1; cut < text.length; cut++) {
      const { records, blank } = await collect(readLineRecords(chunksOf([text.slice(0, cut), text.slice(cut)]), BATCH_LIMITS));
      expect(records, `cut at ${cut}`).toEqual([
        { cells: ['first, with comma'], row: 1 },
        { cells: ['second "quoted"'], row: 3 },
        { cells: ['third'], row: 4 },
        { cells: ['last'], row: 5 },
      ]);
      expect(blank).toBe(1);
    }
  });
});

describe('text chunks', () => {
  it('decode characters split between reads, and skip the byte-order mark', async () => {
    const text = 'id,text\n1,"crème brûlée ✓ 漢字 😀"\n'.repeat(2);
    const bytes = new TextEncoder().encode('\ufeff' + text);
    const input = await openTextInput({ kind: 'file', file: new Blob([bytes]), name: 'x.csv' });
    expect(input).toMatchObject({ encoding: 'utf-8', hasBom: true, size: bytes.length });
    for (const size of [1, 2, 3, 5, 7]) {
      let decoded = '';
      let undecodable = 0;
      for await (const chunk of input.chunks(size)) {
        decoded += chunk.text;
        undecodable += chunk.undecodable;
      }
      expect(decoded).toBe(text);
      expect(undecodable).toBe(0);
    }
  });

  it('read UTF-16 files that carry a byte-order mark', async () => {
    const text = 'id;text\r\n1;Grüße\r\n';
    const le = new Uint8Array(2 + text.length * 2);
    le.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) le.set([text.charCodeAt(i) & 0xff, text.charCodeAt(i) >> 8], 2 + 2 * i);
    const input = await openTextInput({ kind: 'file', file: new Blob([le]) });
    let decoded = '';
    for await (const chunk of input.chunks(3)) decoded += chunk.text;
    expect(input.encoding).toBe('utf-16le');
    expect(decoded).toBe(text);
  });
});
