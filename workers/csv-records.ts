import Papa from 'papaparse';
import { rowTooLong, type BatchLimits } from '../src/core/batch/batch-limits';
import type { CsvDialect } from '../src/core/batch/csv-sniff';
import type { TextChunk } from './text-chunks';

/**
 * Records (rows of cells) from text chunks. CSV goes through papaparse's core parser one chunk at
 * a time: the unfinished last record of a chunk is carried into the next, so quoted newlines and
 * quotes or CRLFs split between chunks come out right. Pasted lines are one record per line.
 */

export interface SourceRecord {
  cells: string[];
  /** Spreadsheet row number: the first record of the input is row 1, blank rows count. */
  row: number;
}

export interface RecordBatch {
  /** Non-blank records only. */
  records: SourceRecord[];
  blank: number;
  /** Rows where the parser met malformed or unclosed quotes. */
  quoteProblems: number[];
  undecodable: number;
  /** Input units read through this batch. */
  end: number;
}

/** papaparse's parser needs some delimiter; this one never occurs in text, so a one-column file stays one column. */
const NO_DELIMITER = Papa.RECORD_SEP;
const LINE_BREAK = /\r\n|\n|\r/;

interface ParsedChunk {
  data: string[][];
  errors: { row?: number }[];
  meta: { cursor: number };
}

export async function* readCsvRecords(chunks: AsyncIterable<TextChunk>, dialect: CsvDialect, limits: BatchLimits): AsyncGenerator<RecordBatch> {
  const config = { delimiter: dialect.delimiter || NO_DELIMITER, newline: dialect.newline, quoteChar: '"' };
  let carried = '';
  let nextRow = 1;
  const iterator = chunks[Symbol.asyncIterator]();
  try {
    // One chunk of look-ahead tells whether a chunk is the last, whose final record is complete.
    let step = await iterator.next();
    while (!step.done) {
      const chunk = step.value;
      step = await iterator.next();
      const last = Boolean(step.done);
      const input = carried + chunk.text;
      const parsed = new Papa.Parser(config).parse(input, 0, !last) as ParsedChunk;
      carried = last ? '' : input.slice(parsed.meta.cursor);
      if (carried.length > limits.maxRowChars) throw rowTooLong(nextRow + parsed.data.length, limits);
      // The empty "record" after a file's final line break is no row at all.
      const finalEmpty = last && isEmptyRecord(parsed.data[parsed.data.length - 1]);
      if (finalEmpty) parsed.data.pop();
      const batch: RecordBatch = { records: [], blank: 0, quoteProblems: [], undecodable: chunk.undecodable, end: chunk.end };
      for (const cells of parsed.data) {
        if (cells.every((cell) => cell.trim() === '')) batch.blank++;
        else batch.records.push({ cells, row: nextRow });
        nextRow++;
      }
      // Problems in the carried record are reported when it is parsed whole.
      const firstRow = nextRow - parsed.data.length;
      for (const error of parsed.errors) {
        if (error.row !== undefined && error.row < parsed.data.length) batch.quoteProblems.push(firstRow + error.row);
      }
      yield batch;
    }
  } finally {
    // A reader that stops early (the preview) ends the chunk reading too.
    await iterator.return?.();
  }
}

export async function* readLineRecords(chunks: AsyncIterable<TextChunk>, limits: BatchLimits): AsyncGenerator<RecordBatch> {
  let carried = '';
  let nextRow = 1;
  let end = 0;
  for await (const chunk of chunks) {
    let text = carried + chunk.text;
    // A chunk ending in \r may end half of a \r\n: hold the \r back with the unfinished line.
    const heldBack = text.endsWith('\r') ? '\r' : '';
    if (heldBack) text = text.slice(0, -1);
    const lines = text.split(LINE_BREAK);
    carried = (lines.pop() ?? '') + heldBack;
    if (carried.length > limits.maxRowChars) throw rowTooLong(nextRow + lines.length, limits);
    end = chunk.end;
    yield linesBatch(lines, nextRow, chunk.undecodable, end);
    nextRow += lines.length;
  }
  const last = carried.replace(/\r$/, '');
  if (last !== '') yield linesBatch([last], nextRow, 0, end);
}

function isEmptyRecord(cells: string[] | undefined): boolean {
  return cells !== undefined && cells.length === 1 && cells[0] === '';
}

function linesBatch(lines: string[], firstRow: number, undecodable: number, end: number): RecordBatch {
  const batch: RecordBatch = { records: [], blank: 0, quoteProblems: [], undecodable, end };
  lines.forEach((line, i) => {
    if (line.trim() === '') batch.blank++;
    else batch.records.push({ cells: [line], row: firstRow + i });
  });
  return batch;
}
