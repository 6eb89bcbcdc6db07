import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { BatchSource } from '../../src/core/contract/batch-types';
import type { DatasetProgress, DatasetRow } from '../../src/core/contract/dataset-types';
import { estimateDatasetMs } from '../../src/core/explain/dataset-estimate';
import { datasetWordTable, minRowsFor, summarizeDataset } from '../../src/core/explain/dataset-summary';
import { createRandom, Reservoir } from '../../src/core/explain/random';
import { explainDataset, planDataset, type DatasetDeps } from '../../workers/dataset-explain';
import { failureOf } from './helpers/error-code';
import { plantedModel } from './helpers/planted-model';

const LABELS = ['negative', 'positive'];
/** "great" and "superb" push toward positive, "awful" and "dull" away; everything else weighs nothing. */
const PLANTED = plantedModel([{}, { great: 2, superb: 1.5, awful: -2, dull: -1.5 }]);
/** Reads words in any case, so "GREAT" weighs what "great" does. */
const MODEL = (text: string) => PLANTED(text.toLowerCase());
const FILLER = ['the', 'film', 'plot', 'cast', 'music', 'scene', 'ending', 'story'];

/** `count` reviews with a planted word each and a true label, one in five labelled against the model. */
function reviews(count: number, seed = 3): string[][] {
  const random = createRandom(seed);
  const planted = ['great', 'superb', 'awful', 'dull'];
  const rows: string[][] = [['id', 'review', 'label']];
  for (let i = 0; i < count; i++) {
    const word = planted[i % planted.length];
    const filler = Array.from({ length: 4 + Math.floor(random() * 6) }, () => FILLER[Math.floor(random() * FILLER.length)]);
    filler.splice(Math.floor(random() * filler.length), 0, i % 8 === 0 ? word.toUpperCase() : word);
    const positive = word === 'great' || word === 'superb';
    const truth = i % 5 === 4 ? !positive : positive;
    rows.push([String(i + 1), filler.join(' '), truth ? 'positive' : 'negative']);
  }
  return rows;
}

const csv = (rows: string[][]): BatchSource => ({ kind: 'file', file: new Blob([Papa.unparse(rows)]), name: 'reviews.csv' });

function deps(overrides: Partial<DatasetDeps> = {}): DatasetDeps & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    labels: LABELS,
    classify: async (texts) => {
      calls.push(texts);
      return texts.map(MODEL);
    },
    tokenCount: (text) => text.split(/\s+/).filter(Boolean).length,
    calls,
    ...overrides,
  };
}

describe('explaining a dataset', () => {
  it('explains every row by leaving one word out and finds the planted words per label, split by correct and wrong', async () => {
    const rows = reviews(40);
    const progress: DatasetProgress[] = [];
    const parts: DatasetRow[][] = [];
    const result = await explainDataset(csv(rows), { textColumn: 'review', labelColumn: 'label' }, deps({ onProgress: (p) => progress.push(p), onRows: (r) => void parts.push(r) }));

    expect(result.rows).toHaveLength(40);
    expect(result.rows.map((r) => r.row)).toEqual(Array.from({ length: 40 }, (_, i) => i + 2));
    expect(parts.flat()).toEqual(result.rows);
    expect(result.sample).toBeUndefined();
    // n distinct words + 1 runs per row, nothing more (no faithfulness check).
    const distinct = (text: string) => new Set(text.split(' ')).size;
    expect(result.modelRuns).toBe(result.rows.reduce((sum, r) => sum + distinct(r.text) + 1, 0));

    const first = result.rows[0];
    expect(first.predicted).toBe(1);
    expect(first.truth).toBe(1);
    expect(first.words[0].word).toBe('GREAT');
    expect(first.words[0].weight).toBeCloseTo(MODEL(first.text)[1] - MODEL(first.text.replace('GREAT ', '').replace(' GREAT', ''))[1], 5);

    const positive = result.summary.labels[1];
    expect(result.summary.labelled).toBe(true);
    expect(positive.groups.all!.toward.map((w) => w.word).slice(0, 2)).toEqual(['great', 'superb']);
    // Upper and lower case count as one word.
    expect(positive.groups.all!.toward[0].rows).toBe(result.rows.filter((r) => r.predicted === 1 && /great/i.test(r.text)).length);
    const negative = result.summary.labels[0];
    expect(negative.groups.all!.toward.map((w) => w.word).slice(0, 2)).toEqual(['awful', 'dull']);
    // Every fifth row is labelled against the model: the wrong group holds exactly those.
    const wrongPositive = result.rows.filter((r) => r.predicted === 1 && r.truth === 0).length;
    expect(positive.groups.wrong!.rows).toBe(wrongPositive);
    expect(positive.groups.correct!.rows + wrongPositive).toBe(positive.groups.all!.rows);
    // The click-through rows hold the word, largest weight first.
    const great = positive.groups.all!.toward[0];
    const weights = great.topRows.map((i) => result.rows[i].words.find((w) => w.word.toLowerCase() === 'great')!.weight);
    expect([...weights].sort((a, b) => b - a)).toEqual(weights);

    expect(progress[0]).toMatchObject({ stage: 'reading' });
    expect(progress.at(-1)).toMatchObject({ stage: 'explaining', loaded: 40, total: 40, progress: 1 });
  });

  it('explains a seeded random sample, the same rows for the same seed', async () => {
    const rows = reviews(100);
    const a = await explainDataset(csv(rows), { textColumn: 'review', sampleRows: 12, seed: 5 }, deps());
    const b = await explainDataset(csv(rows), { textColumn: 'review', sampleRows: 12, seed: 5 }, deps());
    const c = await explainDataset(csv(rows), { textColumn: 'review', sampleRows: 12, seed: 6 }, deps());
    expect(a.rows).toHaveLength(12);
    expect(a.sample).toEqual({ rows: 12, seed: 5 });
    expect(a.rows.map((r) => r.row)).toEqual(b.rows.map((r) => r.row));
    expect(a.rows.map((r) => r.row)).not.toEqual(c.rows.map((r) => r.row));
    expect([...a.rows.map((r) => r.row)].sort((x, y) => x - y)).toEqual(a.rows.map((r) => r.row));
    expect(a.summary.labelled).toBe(false);
    expect(a.summary.labels[1].groups.wrong).toBeUndefined();
  });

  it('passes over rows without words and refuses a file with none', async () => {
    const rows = [['review'], ['great film'], [''], ['!!! ???'], ['awful plot']];
    const result = await explainDataset(csv(rows), { textColumn: 'review' }, deps());
    expect(result.rows.map((r) => r.row)).toEqual([2, 5]);
    expect(result.explainable).toBe(2);

    const empty = await failureOf(explainDataset(csv([['review'], [''], ['...']]), { textColumn: 'review' }, deps()));
    expect(empty.code).toBe('CSV_INVALID');
    expect(empty.message).toMatch(/No row of column "review" has words/);
    const headerOnly = await failureOf(explainDataset(csv([['review']]), { textColumn: 'review' }, deps()));
    expect(headerOnly).toMatchObject({ code: 'CSV_INVALID' });
    const noColumn = await failureOf(explainDataset(csv(rows), { textColumn: 'body' }, deps()));
    expect(noColumn.code).toBe('CSV_INVALID');
    expect(noColumn.message).toMatch(/body/);
    const badSample = await failureOf(explainDataset(csv(rows), { textColumn: 'review', sampleRows: 0 }, deps()));
    expect(badSample).toMatchObject({ code: 'BAD_INPUT' });
  });

  it('asks for a sample when the file has more rows than one explanation takes', async () => {
    const rows = reviews(30);
    const failure = await failureOf(explainDataset(csv(rows), { textColumn: 'review' }, deps({ limits: { maxExplainedRows: 20 } })));
    expect(failure.code).toBe('BAD_INPUT');
    expect(failure.message).toMatch(/30 rows with text.*at most 20.*random sample/);
    const sampled = await explainDataset(csv(rows), { textColumn: 'review', sampleRows: 20 }, deps({ limits: { maxExplainedRows: 20 } }));
    expect(sampled.rows).toHaveLength(20);
  });

  it('stops on cancel, saying how far it got, after handing back every row it finished', async () => {
    const abort = new AbortController();
    const parts: DatasetRow[] = [];
    let calls = 0;
    const failure = await failureOf(
      explainDataset(csv(reviews(40)), { textColumn: 'review' }, deps({
        signal: abort.signal,
        // A listener across the worker boundary answers later: the run waits for it before it settles.
        onRows: async (rows) => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          parts.push(...rows);
        },
        classify: async (texts) => {
          if (++calls === 15) abort.abort();
          return texts.map(MODEL);
        },
      })),
    );
    expect(failure.code).toBe('CANCELLED');
    const done = Number(/(\d+) of 40 rows were explained/.exec(failure.message)?.[1]);
    expect(done).toBeGreaterThan(0);
    expect(parts).toHaveLength(done);
  });

  it('plans the run: the work of every row, timed on a few of them', async () => {
    let clock = 0;
    const rows = reviews(60);
    const plan = await planDataset(csv(rows), { textColumn: 'review', labelColumn: 'label' }, deps({
      now: () => clock,
      // A model call costs 1 ms per token of each text.
      classify: async (texts) => {
        clock += texts.reduce((sum, t) => sum + t.split(' ').length + 2, 0);
        return texts.map(MODEL);
      },
      limits: { calibrationRows: 5, calibrationMs: 1e9 },
    }));
    expect(plan).toMatchObject({ rows: 60, explainable: 60, labelled: true, calibration: { rows: 5 } });
    const expectedTokenRuns = rows.slice(1).reduce((sum, [, text]) => {
      const words = text.split(' ');
      return sum + (new Set(words).size + 1) * (words.length + 2);
    }, 0);
    expect(plan.tokenRuns).toBe(expectedTokenRuns);
    // Removing a word shortens the text, so the true cost per token-run is a little under 1 ms.
    expect(plan.msPerTokenRun).toBeGreaterThan(0.75);
    expect(plan.msPerTokenRun).toBeLessThanOrEqual(1);
    expect(estimateDatasetMs(plan, 30)).toBeCloseTo(plan.msPerTokenRun * plan.tokenRuns * 0.5, 6);
    expect(estimateDatasetMs(plan, 600)).toBeCloseTo(plan.msPerTokenRun * plan.tokenRuns, 6);
  });
});

describe('the dataset summary', () => {
  const row = (predicted: number, truth: number | undefined, words: [string, number][], n: number): DatasetRow => ({
    row: n,
    text: words.map(([w]) => w).join(' '),
    predicted,
    probability: 0.9,
    ...(truth !== undefined ? { truth } : {}),
    words: words.map(([word, weight]) => ({ word, weight })),
    modelRuns: words.length + 1,
  });

  it('ranks a word only once it appears in enough of the group\'s rows', () => {
    expect(minRowsFor(5)).toBe(1);
    expect(minRowsFor(10)).toBe(2);
    expect(minRowsFor(500)).toBe(5);
    const rows = [
      row(1, undefined, [['rare', 0.9], ['good', 0.5]], 2),
      ...Array.from({ length: 11 }, (_, i) => row(1, undefined, [['good', 0.2 + i / 100], ['bad', -0.1]], i + 3)),
    ];
    const all = summarizeDataset(rows, LABELS).labels[1].groups.all!;
    expect(all.minRows).toBe(2);
    expect(all.toward.map((w) => w.word)).toEqual(['good']);
    expect(all.toward[0]).toMatchObject({ rows: 12 });
    expect(all.toward[0].meanWeight).toBeCloseTo((0.5 + Array.from({ length: 11 }, (_, i) => 0.2 + i / 100).reduce((a, b) => a + b)) / 12, 10);
    expect(all.toward[0].topRows[0]).toBe(0);
    expect(all.against.map((w) => w.word)).toEqual(['bad']);
  });

  it('writes every word of every group to the table, rare ones too', () => {
    const rows = [row(1, 1, [['Good', 0.5], ['good', 0.1]], 2), row(1, 0, [['good', 0.2], ['odd', 0.4]], 3)];
    const table = datasetWordTable(rows, LABELS);
    expect(table[0]).toEqual(['label', 'group', 'word', 'rows', 'mean_weight', 'total_weight', 'top_rows']);
    const good = table.filter((r) => r[2] === 'good');
    expect(good.map((r) => r.slice(0, 4))).toEqual([
      ['positive', 'all', 'good', '2'],
      ['positive', 'correct', 'good', '1'],
      ['positive', 'wrong', 'good', '1'],
    ]);
    // Both cases in one row add up: 0.5 + 0.1.
    expect(Number(good[1][4])).toBeCloseTo(0.6, 10);
    expect(good[0][6]).toBe('2 3');
    expect(table.some((r) => r[2] === 'odd' && r[1] === 'wrong')).toBe(true);
  });
});

describe('the reservoir', () => {
  it('keeps every item until it is full, then a uniform sample', () => {
    const small = new Reservoir<number>(5, createRandom(1));
    [1, 2, 3].forEach((n) => small.add(n));
    expect(small.items).toEqual([1, 2, 3]);
    const counts = new Array(20).fill(0);
    for (let seed = 0; seed < 2000; seed++) {
      const reservoir = new Reservoir<number>(5, createRandom(seed));
      for (let n = 0; n < 20; n++) reservoir.add(n);
      for (const n of reservoir.items) counts[n]++;
    }
    // Each of 20 items is kept a quarter of the time: 500 of 2,000.
    for (const count of counts) expect(Math.abs(count - 500)).toBeLessThan(90);
  });
});
