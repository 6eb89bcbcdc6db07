import { describe, expect, it, vi } from 'vitest';
import type { BatchSource } from '../../src/core/contract/batch-types';
import type { DatasetExplainerApi, ProgressListener } from '../../src/core/contract/classifier-api';
import type { DatasetExplanation, DatasetOptions, DatasetPlan, DatasetProgress, DatasetRow, DatasetRowsListener } from '../../src/core/contract/dataset-types';
import { GlassboxError } from '../../src/core/contract/errors';
import { summarizeDataset } from '../../src/core/explain/dataset-summary';
import { DatasetController } from '../../src/ui/dataset-controller';
import { deferred } from './fake-engine';

const SOURCE: BatchSource = { kind: 'text', text: 'text,label\ngood film,pos\n', format: 'csv' };
const INPUT = { source: SOURCE, options: { textColumn: 'text', labelColumn: 'label', delimiter: 'auto' as const, startRow: 0 } };
const LABELS = ['neg', 'pos'];
const PLAN: DatasetPlan = { rows: 40, explainable: 40, labelled: true, labels: LABELS, tokenRuns: 4000, msPerTokenRun: 0.5, calibration: { rows: 8, ms: 400 }, maxRows: 10_000 };

const row = (n: number): DatasetRow => ({ row: n, text: `good film ${n}`, predicted: 1, probability: 0.9, truth: 1, words: [{ word: 'good', weight: 0.3 }], modelRuns: 4 });

/** A dataset client whose answers the test settles by hand. */
class ScriptedDatasetClient implements DatasetExplainerApi {
  readonly plans: { options: DatasetOptions; answer: ReturnType<typeof deferred<DatasetPlan>> }[] = [];
  readonly runs: { options: DatasetOptions; onProgress?: ProgressListener<DatasetProgress>; onRows?: DatasetRowsListener; answer: ReturnType<typeof deferred<DatasetExplanation>> }[] = [];
  cancels = 0;
  planDatasetExplanation(_source: BatchSource, options: DatasetOptions): Promise<DatasetPlan> {
    const answer = deferred<DatasetPlan>();
    this.plans.push({ options, answer });
    return answer.promise;
  }
  explainDataset(_source: BatchSource, options: DatasetOptions, onProgress?: ProgressListener<DatasetProgress>, onRows?: DatasetRowsListener): Promise<DatasetExplanation> {
    const answer = deferred<DatasetExplanation>();
    this.runs.push({ options, ...(onProgress ? { onProgress } : {}), ...(onRows ? { onRows } : {}), answer });
    return answer.promise;
  }
  async cancelDatasetExplanation(): Promise<void> {
    this.cancels++;
  }
}

const settle = () => new Promise((r) => setTimeout(r, 0));

function setup() {
  const host = { addController: vi.fn(), removeController: vi.fn(), requestUpdate: vi.fn(), updateComplete: Promise.resolve(true) };
  const client = new ScriptedDatasetClient();
  const controller = new DatasetController(host, client, () => ({ status: 'ready', loaded: {} as never }));
  return { client, controller };
}

describe('DatasetController', () => {
  it('plans with the batch\'s columns, then runs the sample chosen and holds the result', async () => {
    const { client, controller } = setup();
    void controller.planFor(INPUT);
    expect(controller.status).toBe('planning');
    expect(client.plans[0].options).toEqual({ textColumn: 'text', labelColumn: 'label', delimiter: 'auto' });
    client.plans[0].answer.resolve(PLAN);
    await settle();
    expect(controller.status).toBe('planned');

    const running = controller.run({ sampleRows: 10, seed: 3 });
    expect(client.runs[0].options).toMatchObject({ textColumn: 'text', sampleRows: 10, seed: 3 });
    client.runs[0].onProgress?.({ phase: 'dataset', stage: 'explaining', loaded: 4, total: 10, progress: 0.4 });
    expect(controller.progress?.loaded).toBe(4);
    const rows = Array.from({ length: 10 }, (_, i) => row(i + 2));
    client.runs[0].answer.resolve({ labels: LABELS, method: 'occlusion', rows, explainable: 40, sample: { rows: 10, seed: 3 }, modelRuns: 40, ms: 900, summary: summarizeDataset(rows, LABELS) });
    await running;
    expect(controller.status).toBe('done');
    // A progress report that arrives after the result (its own channel) changes nothing.
    client.runs[0].onProgress?.({ phase: 'dataset', stage: 'explaining', loaded: 9, total: 10, progress: 0.9 });
    expect(controller.progress).toBeUndefined();
  });

  it('keeps the rows a cancelled run finished, summarised, and says how far it got', async () => {
    const { client, controller } = setup();
    void controller.planFor(INPUT);
    client.plans[0].answer.resolve(PLAN);
    await settle();
    const running = controller.run({});
    void client.runs[0].onRows?.([row(2), row(3)]);
    void client.runs[0].onRows?.([row(4)]);
    controller.cancel();
    expect(client.cancels).toBe(1);
    client.runs[0].answer.reject(new GlassboxError('CANCELLED', 'The dataset explanation was cancelled. 3 of 40 rows were explained and are kept.'));
    await running;
    expect(controller.status).toBe('stopped');
    expect(controller.partial).toMatchObject({ explainable: 40, modelRuns: 12, stopped: 'The dataset explanation was cancelled. 3 of 40 rows were explained and are kept.' });
    expect(controller.partial?.rows.map((r) => r.row)).toEqual([2, 3, 4]);
    expect(controller.partial?.summary.labels[1].groups.all?.toward[0]).toMatchObject({ word: 'good', rows: 3 });
  });

  it('says why measuring failed, and a plan for an older input is dropped', async () => {
    const { client, controller } = setup();
    void controller.planFor(INPUT);
    void controller.planFor({ ...INPUT, options: { ...INPUT.options, textColumn: 'other' } });
    client.plans[0].answer.resolve(PLAN);
    client.plans[1].answer.reject(new GlassboxError('CSV_INVALID', 'No row of column "other" has words to explain.'));
    await settle();
    expect(controller.plan).toBeUndefined();
    expect(controller).toMatchObject({ status: 'failed', error: 'No row of column "other" has words to explain.' });
  });
});
