import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { DatasetExplanation, DatasetRow } from '../../src/core/contract/dataset-types';
import { summarizeDataset } from '../../src/core/explain/dataset-summary';
import { datasetFileName, datasetHtml, datasetJson, exportDataset } from '../../src/ui/dataset-export';

/** A label that is markup: the page must show it as text. */
const HOSTILE = '<img src=x onerror=alert(1)>';
const LABELS = ['ok', HOSTILE];
const CONTEXT = { model: 'My Model', engine: 'onnx', backend: 'wasm', date: new Date('2026-12-06T12:00:00Z') };

function explanation(): DatasetExplanation {
  const rows: DatasetRow[] = [
    { row: 2, text: 'free prize now', predicted: 1, probability: 0.9, truth: 1, words: [{ word: 'free', weight: 0.4 }, { word: 'prize', weight: 0.2 }, { word: 'now', weight: -0.05 }], modelRuns: 4 },
    { row: 3, text: 'Free lunch', predicted: 1, probability: 0.7, truth: 0, words: [{ word: 'Free', weight: 0.3 }, { word: 'lunch', weight: 0.1 }], modelRuns: 3 },
    { row: 4, text: 'see you at lunch', predicted: 0, probability: 0.8, truth: 0, words: [{ word: 'lunch', weight: 0.2 }], modelRuns: 5 },
  ];
  return { labels: LABELS, method: 'occlusion', rows, explainable: 3, modelRuns: 12, ms: 1500, summary: summarizeDataset(rows, LABELS) };
}

describe('a dataset explanation taken away', () => {
  it('as a page with no script and no reference outside it, the labels shown as text', () => {
    const html = datasetHtml(explanation(), CONTEXT);
    expect(html).not.toMatch(/<script|<img|<[a-z][^>]*\s(src|href)\s*=|https?:\/\//i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('<th scope="row">free</th>');
    expect(html).toContain("content=\"default-src 'none'; style-src 'unsafe-inline'\"");
    expect(html).toContain('3 of 3 rows with text');
    expect(html).toContain('predicted wrongly (1 rows)');
  });

  it('as the words of every group (CSV) and every number (JSON)', async () => {
    const bytes = new Uint8Array(await (await exportDataset(explanation(), CONTEXT, 'csv')).arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const table = Papa.parse<string[]>(new TextDecoder().decode(bytes), { skipEmptyLines: true }).data;
    expect(table[0]).toEqual(['label', 'group', 'word', 'rows', 'mean_weight', 'total_weight', 'top_rows']);
    // The label starts with "<", not a formula character: written as it is.
    expect(table.find((cells) => cells[0] === HOSTILE && cells[1] === 'all' && cells[2] === 'free')).toEqual([HOSTILE, 'all', 'free', '2', '0.35', '0.7', '2 3']);
    const json = JSON.parse(datasetJson(explanation(), CONTEXT));
    expect(json).toMatchObject({ format: 'glassbox-dataset-explanation', version: 1, createdAt: '2026-12-06T12:00:00.000Z', model: 'My Model' });
    expect(json.explanation.rows).toHaveLength(3);
    expect(datasetFileName(CONTEXT, 'csv')).toBe('glassbox-my-model-dataset-words.csv');
    expect(datasetFileName(CONTEXT, 'html')).toBe('glassbox-my-model-dataset.html');
  });
});
