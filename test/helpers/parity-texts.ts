import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import Papa from 'papaparse';
import { TEST_DATA } from './python';

type Row = Record<string, string>;

/** Where each shipped model's texts come from (test/fixtures/data), built as training builds them. */
const SOURCES: Record<string, { file: string; text: (row: Row) => string }> = {
  'news-topic': { file: 'bbc/bbc.csv', text: (row) => `${row.title.trim()}\n${row.text}` },
  sentiment: { file: 'imdb/test.csv.gz', text: (row) => row.text },
  'product-category': { file: 'ecommerce/ecommerce.csv', text: (row) => row.text },
};

/**
 * `count` texts for a model, spread evenly over its data file. The files are sorted by label, so
 * taking every n-th row (rather than the first rows) gives every label its share.
 */
export function parityTexts(modelId: string, count: number): string[] {
  const source = SOURCES[modelId];
  if (!source) throw new Error(`No test texts are known for model "${modelId}": add its data file to test/helpers/parity-texts.ts.`);
  const file = path.join(TEST_DATA, source.file);
  const raw = readFileSync(file);
  const csv = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  const { data, errors } = Papa.parse<Row>(csv, { header: true, skipEmptyLines: true });
  if (errors.length > 0) throw new Error(`${file}: ${errors[0].message} (row ${errors[0].row})`);
  if (data.length < count) throw new Error(`${file} has ${data.length} rows, fewer than the ${count} needed.`);
  const step = data.length / count;
  return Array.from({ length: count }, (_, i) => source.text(data[Math.floor(i * step)]));
}
