import { checkInputSize, type BatchLimits } from '../src/core/batch/batch-limits';
import type { BatchSource, DelimiterChoice, PastedFormat } from '../src/core/contract/batch-types';
import { headerNames } from '../src/core/batch/csv-columns';
import { detectDialect, type CsvDialect } from '../src/core/batch/csv-sniff';
import { GlassboxError } from '../src/core/contract/errors';
import { readCsvRecords, readLineRecords, type RecordBatch } from './csv-records';
import { openTextInput, type TextInput } from './text-chunks';

/**
 * A batch input opened as a table: its dialect, its column names (from the header row of a CSV;
 * a single "text" column for pasted lines) and a stream of the data records after the header.
 */
export interface OpenTable {
  input: TextInput;
  format: PastedFormat;
  dialect: CsvDialect;
  columns: string[];
  /** True when header names were changed (empty or repeated ones). */
  renamedHeader: boolean;
  /** Blank rows before the header. */
  blankBeforeHeader: number;
  records: AsyncGenerator<RecordBatch>;
}

export const LINES_COLUMN = 'text';

export async function openTable(source: BatchSource, delimiter: DelimiterChoice, chunkUnits: number, limits: BatchLimits): Promise<OpenTable> {
  const input = await openTextInput(source);
  checkInputSize(input.size, input.name, limits);
  const format: PastedFormat = source.kind === 'text' ? source.format : 'csv';
  const chunks = input.chunks(chunkUnits);
  if (format === 'lines') {
    return {
      input,
      format,
      dialect: { delimiter: '', newline: '\n' },
      columns: [LINES_COLUMN],
      renamedHeader: false,
      blankBeforeHeader: 0,
      records: readLineRecords(chunks, limits),
    };
  }
  const first = await chunks.next();
  if (first.done) throw emptyInput(input.name);
  const dialect = detectDialect(first.value.text, delimiter);
  const records = readCsvRecords(prepend(first.value, chunks), dialect, limits);
  let blankBeforeHeader = 0;
  for (;;) {
    const batch = await records.next();
    if (batch.done) throw emptyInput(input.name);
    const [header, ...rest] = batch.value.records;
    blankBeforeHeader += batch.value.blank;
    if (!header) continue;
    const columns = headerNames(header.cells);
    return {
      input,
      format,
      dialect,
      columns,
      renamedHeader: columns.some((name, i) => name !== header.cells[i].trim()),
      blankBeforeHeader,
      records: prepend({ ...batch.value, records: rest, blank: 0 }, records),
    };
  }
}

function emptyInput(name: string): GlassboxError {
  return new GlassboxError('CSV_INVALID', `${name} is empty: it has no rows. Choose a CSV file with a header row and one text per row.`);
}

async function* prepend<T>(first: T, rest: AsyncGenerator<T>): AsyncGenerator<T> {
  try {
    yield first;
    yield* rest;
  } finally {
    await rest.return(undefined);
  }
}
