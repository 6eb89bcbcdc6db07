import { describe, expect, it, vi } from 'vitest';
import type { BatchOptions, BatchProgress, BatchResult, BatchSource, CsvPreview, PreviewOptions } from '../../src/core/contract/batch-types';
import type { BatchClassifierApi, ProgressListener, BatchRowsListener } from '../../src/core/contract/classifier-api';
import { emptyReport } from '../../src/core/batch/batch-report';
import { GlassboxError } from '../../src/core/contract/errors';
import { BatchController } from '../../src/ui/batch-controller';
import type { ModelState } from '../../src/ui/classifier-controller';
import { deferred } from './fake-engine';

const SOURCE: BatchSource = { kind: 'text', text: 'text\nhello\n', format: 'csv' };
const OPTIONS: BatchOptions = { textColumn: 'text' };

function preview(name: string): CsvPreview {
  return {
    name,
    format: 'csv',
    size: 11,
    encoding: 'utf-8',
    hasBom: false,
    delimiter: '',
    columns: ['text'],
    rows: [['hello']],
    rowNumbers: [2],
    complete: true,
    estimatedRows: 1,
    textColumn: 'text',
    notes: [],
  };
}

function result(fileName: string): BatchResult {
  return { csv: new Blob(['x']), fileName, columns: ['text'], delimiter: ',', labels: ['a'], report: emptyReport(), notes: [], ms: 1 };
}

/** A batch client whose answers the test settles by hand. */
class ScriptedBatchClient implements BatchClassifierApi {
  readonly previews: { source: BatchSource; options: PreviewOptions | undefined; answer: ReturnType<typeof deferred<CsvPreview>> }[] = [];
  readonly runs: {
    options: BatchOptions;
    onProgress: ProgressListener<BatchProgress> | undefined;
    onRows: BatchRowsListener | undefined;
    answer: ReturnType<typeof deferred<BatchResult>>;
  }[] = [];
  cancelled = 0;

  previewBatch(source: BatchSource, options?: PreviewOptions): Promise<CsvPreview> {
    const answer = deferred<CsvPreview>();
    this.previews.push({ source, options, answer });
    return answer.promise;
  }
  classifyBatch(_source: BatchSource, options: BatchOptions, onProgress?: ProgressListener<BatchProgress>, onRows?: BatchRowsListener): Promise<BatchResult> {
    const answer = deferred<BatchResult>();
    this.runs.push({ options, onProgress, onRows, answer });
    return answer.promise;
  }
  async cancelBatch(): Promise<void> {
    this.cancelled++;
  }
}

const settle = () => new Promise((r) => setTimeout(r, 0));

function setup(model: ModelState = { status: 'idle' }) {
  const host = { addController: vi.fn(), removeController: vi.fn(), requestUpdate: vi.fn(), updateComplete: Promise.resolve(true) };
  const client = new ScriptedBatchClient();
  let state = model;
  const controller = new BatchController(host, client, () => state);
  return { host, client, controller, setModel: (next: ModelState) => (state = next) };
}

describe('BatchController', () => {
  it('previews an input, keeping only the answer to the newest one', async () => {
    const { client, controller } = setup();
    void controller.open(SOURCE, 'auto');
    expect(controller.status).toBe('reading');
    void controller.open(SOURCE, ';');
    expect(client.previews.map((p) => p.options)).toEqual([{ delimiter: 'auto' }, { delimiter: ';' }]);
    client.previews[1].answer.resolve(preview('newer'));
    client.previews[0].answer.resolve(preview('older'));
    await settle();
    expect(controller.preview?.name).toBe('newer');
    expect(controller.status).toBe('preview');
  });

  it('shows what is wrong with an input in words, without the code', async () => {
    const { client, controller } = setup();
    void controller.open(SOURCE, 'auto');
    client.previews[0].answer.reject(new GlassboxError('CSV_INVALID', 'data.csv is a PNG image, not CSV text.'));
    await settle();
    expect(controller.error).toBe('data.csv is a PNG image, not CSV text.');
    expect(controller.status).toBe('failed');
    expect(controller.preview).toBeUndefined();
  });

  it('runs a batch with progress, then holds its result', async () => {
    const { client, controller, host } = setup();
    void controller.run(SOURCE, OPTIONS);
    expect(controller).toMatchObject({ running: true, status: 'running' });
    const progress: BatchProgress = { phase: 'batch', stage: 'classifying', loaded: 32, total: 100, progress: 0.32 };
    client.runs[0].onProgress?.(progress);
    expect(controller.progress).toEqual(progress);
    expect(host.requestUpdate).toHaveBeenCalled();
    client.runs[0].answer.resolve(result('rows-classified.csv'));
    await settle();
    expect(controller).toMatchObject({ running: false, status: 'done', progress: undefined, error: '' });
    expect(controller.result?.fileName).toBe('rows-classified.csv');
  });

  it('cancels through the client and then says how far the batch got', async () => {
    const { client, controller } = setup();
    controller.cancel();
    expect(client.cancelled).toBe(0);
    void controller.run(SOURCE, OPTIONS);
    controller.cancel();
    expect(client.cancelled).toBe(1);
    client.runs[0].answer.reject(new GlassboxError('CANCELLED', 'The batch was cancelled after 64 of 100 rows.'));
    await settle();
    expect(controller).toMatchObject({ running: false, error: 'The batch was cancelled after 64 of 100 rows.', result: undefined });
  });

  it('offers no new input while a batch runs, and drops a batch the page left', async () => {
    const { client, controller } = setup();
    void controller.run(SOURCE, OPTIONS);
    void controller.open(SOURCE, 'auto');
    expect(client.previews).toHaveLength(0);
    controller.hostDisconnected();
    client.runs[0].onProgress?.({ phase: 'batch', stage: 'reading', loaded: 1, total: 2, progress: 0.5 });
    client.runs[0].answer.reject(new GlassboxError('WORKER_FAILED', 'The classifier worker was stopped.'));
    await settle();
    expect(controller).toMatchObject({ running: false, progress: undefined, error: '' });
  });

  it('says why a batch cannot start until the model is ready', () => {
    const { controller, setModel } = setup({ status: 'idle' });
    expect(controller.unavailableReason).toBe('Load a model first.');
    setModel({ status: 'loading', source: { id: 'news-topic', url: 'http://site.test/models/news-topic/' } });
    expect(controller.unavailableReason).toBe('The model is still loading.');
    setModel({ status: 'ready', loaded: {} as never });
    expect(controller.unavailableReason).toBe('');
  });
});

describe('BatchController after a batch stops', () => {
  it('offers the rows finished before a crash, resumes after them, and downloads the whole file in the end', async () => {
    const { client, controller } = setup({ status: 'ready', loaded: undefined as never });
    const running = controller.run(SOURCE, OPTIONS);
    const first = client.runs[0];
    expect(first.options.startRow).toBe(0);
    first.onRows?.({ header: 'text,predicted_label\n', lines: '', done: 0 });
    first.onRows?.({ lines: 'a,x\nb,y\n', done: 2 });
    first.answer.reject(new GlassboxError('WORKER_FAILED', 'The classifier worker crashed: out of memory.'));
    await running;
    expect(controller.status).toBe('failed');
    expect(controller.partial?.rows).toBe(2);
    expect(await controller.partial?.csv.text()).toBe('text,predicted_label\na,x\nb,y\n');

    const resuming = controller.resume();
    const second = client.runs[1];
    expect(second.options).toMatchObject({ textColumn: 'text', startRow: 2 });
    expect(controller.partial).toBeUndefined();
    second.onRows?.({ header: 'text,predicted_label\n', lines: '', done: 2 });
    second.onRows?.({ lines: 'c,z\n', done: 3 });
    second.answer.resolve({ ...result('out.csv'), notes: ['3 rows'] });
    await resuming;
    expect(await controller.result?.csv.text()).toBe('text,predicted_label\na,x\nb,y\nc,z\n');
    expect(controller.result?.notes[0]).toMatch(/^Resumed after row 2/);
  });

  it('offers nothing when no row was finished, and forgets the rows when another input is opened', async () => {
    const { client, controller } = setup({ status: 'ready', loaded: undefined as never });
    const running = controller.run(SOURCE, OPTIONS);
    client.runs[0].onRows?.({ header: 'text\n', lines: '', done: 0 });
    client.runs[0].answer.reject(new GlassboxError('CANCELLED', 'The batch was cancelled after 0 of 1 rows.'));
    await running;
    expect(controller.partial).toBeUndefined();
    await controller.resume();
    expect(client.runs).toHaveLength(1);
  });
});
