import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { BATCH_PACING } from '../../src/core/jobs/batch-pacing';
import type { BatchProgress, BatchSource } from '../../src/core/contract/batch-types';
import { ClassifierService } from '../../workers/classifier-service';
import { deferred, fakeDeps, type FakeEngineScript } from './fake-engine';
import { failureOf } from './helpers/error-code';

const NEWS = { id: 'news-topic', url: 'http://site.test/models/news-topic/' };
const SENTIMENT = { id: 'sentiment', url: 'http://site.test/models/sentiment/' };
const AUTO = { engine: 'auto', backend: 'auto' } as const;
/** The fake engine's labels; it predicts the label whose name is in the text. */
const LABELS = ['sport', 'tech', 'politics'];


/** `rows` rows of id, text, label; every text names its label, so the fake engine gets each right. */
function csvFile(rows: number): BatchSource {
  const data = Array.from({ length: rows }, (_, i) => [String(i), `row ${i} about ${LABELS[i % 3]}`, LABELS[i % 3].toUpperCase()]);
  return { kind: 'file', file: new Blob([Papa.unparse([['id', 'text', 'label'], ...data])]), name: 'rows.csv' };
}

const ticks = (n = 5) => new Promise((r) => setTimeout(r, n));

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await ticks(5);
  expect(condition()).toBe(true);
}

async function loadedService(script: (index: number) => FakeEngineScript = () => ({})) {
  const world = fakeDeps(script);
  const service = new ClassifierService(world.deps);
  await service.load(NEWS, AUTO);
  return { world, service, calls: () => world.engines[0].calls };
}

describe('ClassifierService batches', () => {
  it('classify every row with the loaded model and report progress and metrics', async () => {
    const { service } = await loadedService();
    const progress: BatchProgress[] = [];
    const result = await service.classifyBatch(csvFile(100), { textColumn: 'text', labelColumn: 'label' }, (p) => progress.push(p));
    expect(result.labels).toEqual(LABELS);
    expect(result.report).toMatchObject({ rows: 100, classified: 100 });
    expect(result.metrics).toMatchObject({ count: 100, accuracy: 1, macroF1: 1 });
    const [header, ...rows] = Papa.parse<string[]>(await result.csv.text(), { skipEmptyLines: true }).data;
    expect(header).toEqual(['id', 'text', 'label', 'predicted_label', 'p_sport', 'p_tech', 'p_politics', 'note']);
    expect(rows).toHaveLength(100);
    expect(progress.at(-1)).toEqual({ phase: 'batch', stage: 'classifying', loaded: 100, total: 100, progress: 1 });
  });

  it('wait for model work already running, and let a classification asked for meanwhile run between two batches of texts', async () => {
    const slow = deferred();
    const held = deferred();
    const { service, calls } = await loadedService(() => ({
      classifyGate: (text) => (text === 'slow sport' ? slow.promise : text === 'row 0 about sport' ? held.promise : undefined),
    }));
    const running = service.classify('slow sport');
    await ticks();
    const batch = service.classifyBatch(csvFile(100), { textColumn: 'text' });
    await ticks();
    expect(calls().filter((c) => c.startsWith('classify row'))).toEqual([]);
    slow.resolve();
    expect((await running).label).toBe('sport');
    await until(() => calls().includes('classify row 0 about sport'));
    // The batch is inside its first batch of texts; a classification now goes after that batch only.
    expect(calls().at(-1)).toBe('classify row 0 about sport');
    const interactive = service.classify('interactive tech');
    held.resolve();
    expect((await interactive).label).toBe('tech');
    const result = await batch;
    expect(result.report.classified).toBe(100);
    const rowCalls = calls().filter((c) => c.startsWith('classify row'));
    const between = calls().indexOf('classify interactive tech');
    // The first model call of a job is a small one (BATCH_PACING.firstBatch texts): it times the backend.
    expect(calls().slice(0, between).filter((c) => c.startsWith('classify row'))).toHaveLength(BATCH_PACING.firstBatch);
    expect(rowCalls).toHaveLength(100);
    expect(calls().at(-1)).not.toBe('classify interactive tech');
  });

  it('take a request that arrives while a batch runs before its next batch of texts', async () => {
    const { service, calls } = await loadedService();
    let interactive: Promise<unknown> | undefined;
    const batch = service.classifyBatch(csvFile(100), { textColumn: 'text' }, (progress) => {
      // A request from the page arrives as a message, a task of its own, like this timer.
      if (progress.stage === 'classifying' && progress.loaded > 0 && !interactive) setTimeout(() => (interactive = service.classify('interactive tech')), 0);
    });
    await batch;
    expect(interactive, 'the request was only taken once the batch had ended').toBeDefined();
    await interactive;
    const rowCalls = calls().filter((c) => c.startsWith('classify row'));
    const firstBatch = BATCH_PACING.firstBatch;
    expect(calls().indexOf('classify interactive tech')).toBeGreaterThan(calls().indexOf(rowCalls[firstBatch - 1]));
    expect(calls().indexOf('classify interactive tech')).toBeLessThan(calls().indexOf(rowCalls[firstBatch]));
  });

  it('stop on cancelBatch() but not on cancel(), which is for downloads and explanations', async () => {
    const held = deferred();
    const { service, calls } = await loadedService(() => ({ classifyGate: (text) => (text === 'row 0 about sport' ? held.promise : undefined) }));
    const batch = service.classifyBatch(csvFile(100), { textColumn: 'text' });
    await until(() => calls().includes('classify row 0 about sport'));
    await service.cancel();
    await service.cancelBatch();
    held.resolve();
    const outcome = await failureOf(batch);
    expect(outcome.code).toBe('CANCELLED');
    expect(outcome.message).toMatch(/^The batch was cancelled after 0 of 100 rows\.$/);
    await ticks();
    expect(calls().filter((c) => c.startsWith('classify row')).length).toBeLessThanOrEqual(32);
    expect((await service.classifyBatch(csvFile(10), { textColumn: 'text' })).report.classified).toBe(10);
  });

  it('let a newer batch stop an older one', async () => {
    const held = deferred();
    const { service, calls } = await loadedService(() => ({ classifyGate: (text) => (text === 'row 0 about sport' ? held.promise : undefined) }));
    const older = service.classifyBatch(csvFile(100), { textColumn: 'text' });
    await until(() => calls().includes('classify row 0 about sport'));
    const newer = service.classifyBatch(csvFile(5), { textColumn: 'text' });
    held.resolve();
    expect((await failureOf(older)).code).toBe('CANCELLED');
    expect((await newer).report.classified).toBe(5);
  });

  it('fail, naming the new model, when another model is loaded during the batch', async () => {
    const held = deferred();
    const { service, world, calls } = await loadedService((n) => (n === 0 ? { classifyGate: (text) => (text === 'row 0 about sport' ? held.promise : undefined) } : {}));
    const batch = service.classifyBatch(csvFile(100), { textColumn: 'text' });
    await until(() => calls().includes('classify row 0 about sport'));
    const loading = service.load(SENTIMENT, AUTO);
    held.resolve();
    expect(await failureOf(batch)).toEqual({
      code: 'SUPERSEDED',
      message: 'The batch stopped because sentiment was loaded; start it again to classify with that model.',
    });
    expect((await loading).model).toBe('sentiment');
    expect(world.engines[1].calls.some((c) => c.startsWith('classify row'))).toBe(false);
  });

  it('need a loaded model to classify, but not to preview, which guesses the label column from the model labels', async () => {
    const world = fakeDeps();
    const service = new ClassifierService(world.deps);
    const input: BatchSource = { kind: 'text', text: 'review,verdict\nfast chip,TECH\nthe vote,politics\n', format: 'csv' };
    expect(await failureOf(service.classifyBatch(input, { textColumn: 'review' }))).toMatchObject({ code: 'MODEL_NOT_LOADED' });
    expect(await service.previewBatch(input)).toMatchObject({ columns: ['review', 'verdict'], textColumn: 'review' });
    expect((await service.previewBatch(input)).labelColumn).toBeUndefined();
    await service.load(NEWS, AUTO);
    expect((await service.previewBatch(input)).labelColumn).toBe('verdict');
  });
});

describe('ClassifierService dataset explanations', () => {
  it('plan and explain the rows of a batch input with the loaded model, each row by leaving one word out', async () => {
    const { service } = await loadedService();
    const plan = await service.planDatasetExplanation(csvFile(30), { textColumn: 'text', labelColumn: 'label' });
    expect(plan).toMatchObject({ rows: 30, explainable: 30, labelled: true });
    expect(plan.calibration.rows).toBeGreaterThanOrEqual(2);
    const rows: number[] = [];
    const result = await service.explainDataset(csvFile(30), { textColumn: 'text', labelColumn: 'label', sampleRows: 12 }, undefined, (part) => void rows.push(...part.map((r) => r.row)));
    expect(result.rows).toHaveLength(12);
    expect(rows).toEqual(result.rows.map((r) => r.row));
    // The fake engine predicts the label named in the text, so that word carries each row.
    for (const row of result.rows) {
      expect(row.truth).toBe(row.predicted);
      expect(row.words[0].word).toBe(LABELS[row.predicted]);
    }
    expect(result.summary.labels.map((l) => l.groups.all?.toward[0]?.word)).toEqual(LABELS);
  });

  it('stop on cancelDatasetExplanation(), and fail naming the new model when another is loaded', async () => {
    const held = deferred();
    const { service, calls } = await loadedService((n) => (n === 0 ? { classifyGate: (text) => (text === 'row 0 about sport' ? held.promise : undefined) } : {}));
    const cancelled = service.explainDataset(csvFile(20), { textColumn: 'text' });
    await until(() => calls().includes('classify row 0 about sport'));
    await service.cancelDatasetExplanation();
    const failure = await failureOf(cancelled);
    expect(failure.code).toBe('CANCELLED');
    expect(failure.message).toMatch(/0 of 20 rows were explained/);
    held.resolve();

    const switched = service.explainDataset(csvFile(20), { textColumn: 'text' });
    const loading = service.load(SENTIMENT, AUTO);
    expect(await failureOf(switched)).toMatchObject({ code: 'SUPERSEDED' });
    expect((await failureOf(switched)).message).toMatch(/sentiment was loaded/);
    await loading;
  });
});
