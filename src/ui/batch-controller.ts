import type { ReactiveControllerHost } from 'lit';
import type { BatchOptions, BatchProgress, BatchResult, BatchRows, BatchSource, CsvPreview, DelimiterChoice } from '../core/contract/batch-types';
import type { BatchClassifierApi } from '../core/contract/classifier-api';
import type { ModelState } from './classifier-controller';
import { WorkerJobController } from './worker-job-controller';

/**
 * The batch panel's state and its calls to the worker: preview an input, classify every row,
 * cancel. Only the newest request counts: an answer to an older preview or batch is dropped.
 * Reading and parsing happen in the worker; this side holds the preview and the results Blob.
 */
export class BatchController extends WorkerJobController<BatchProgress, BatchResult> {
  preview: CsvPreview | undefined;
  /**
   * The rows a batch that stopped (cancelled, a model switch, a crashed worker) had finished: a
   * results file to download, and where resume() starts again. Undefined when there are none.
   */
  partial: PartialResults | undefined;
  /** The parts of the results file received so far in this run, and the input and options it ran with. */
  private parts: { header: string; lines: string[]; done: number; startRow: number; source: BatchSource; options: BatchOptions } | undefined;
  /** The input and columns of the latest run: what a dataset explanation of its result reads. */
  ranWith: { source: BatchSource; options: BatchOptions } | undefined;
  /** An input is being previewed. */
  private opening = false;

  constructor(
    host: ReactiveControllerHost,
    private readonly client: BatchClassifierApi,
    model: () => ModelState,
  ) {
    super(host, model);
  }

  /** One word for the state, for the page's data-state attribute. */
  get status(): 'idle' | 'reading' | 'preview' | 'running' | 'done' | 'failed' {
    if (this.running) return 'running';
    if (this.error) return 'failed';
    if (this.result) return 'done';
    if (this.preview) return 'preview';
    return this.opening ? 'reading' : 'idle';
  }

  /** Why a batch cannot start now; empty when it can. */
  get unavailableReason(): string {
    return this.modelUnavailableReason;
  }

  /** A new input, or another delimiter for it: reads its columns and first rows. */
  async open(source: BatchSource, delimiter: DelimiterChoice): Promise<void> {
    // The panel offers no new input while a batch runs; its results would be dropped otherwise.
    if (this.running) return;
    this.progress = undefined;
    this.preview = undefined;
    this.result = undefined;
    this.partial = undefined;
    this.parts = undefined;
    this.ranWith = undefined;
    await this.prepare(
      () => this.client.previewBatch(source, { delimiter }),
      (preview) => (this.preview = preview),
      (on) => (this.opening = on),
    );
  }

  /** Classifies every row; progress and the result (or what went wrong) land in this controller. */
  run(source: BatchSource, options: BatchOptions): Promise<void> {
    return this.start(source, { ...options, startRow: 0 }, undefined);
  }

  /** Starts a stopped batch again after the last row it finished, keeping the rows it had. */
  resume(): Promise<void> {
    const parts = this.parts;
    if (this.running || !parts || !this.partial) return Promise.resolve();
    return this.start(parts.source, { ...parts.options, startRow: parts.done }, parts);
  }

  private async start(source: BatchSource, options: BatchOptions, kept: BatchController['parts']): Promise<void> {
    this.partial = undefined;
    this.ranWith = { source, options };
    const parts = { header: kept?.header ?? '', lines: [...(kept?.lines ?? [])], done: options.startRow ?? 0, startRow: options.startRow ?? 0, source, options };
    this.parts = parts;
    await this.runJob(
      async (onProgress, current) => {
        const onRows = (rows: BatchRows) => {
          if (!current()) return;
          if (rows.header !== undefined && !kept) parts.header = rows.header;
          if (rows.lines) parts.lines.push(rows.lines);
          parts.done = rows.done;
        };
        const result = await this.client.classifyBatch(source, options, onProgress, onRows);
        if (current()) this.parts = undefined;
        // A resumed batch's file holds only its own rows: the whole file is the parts kept and received.
        if (parts.startRow === 0) return result;
        const resumed = `Resumed after row ${parts.startRow.toLocaleString('en')}: the counts and metrics below cover the rows classified after that; the file holds every row.`;
        return { ...result, csv: assemble(parts), notes: [resumed, ...result.notes] };
      },
      // A cancelled batch says how far it got; the rows it finished stay downloadable.
      () => {
        if (parts.done > 0 && parts.header) this.partial = { csv: assemble(parts), rows: parts.done };
      },
    );
  }

  /** Stops the running batch; run() then reports how far it got. */
  cancel(): void {
    if (this.running) void this.client.cancelBatch();
  }
}

/** The rows a stopped batch finished, as a results file. */
export interface PartialResults {
  csv: Blob;
  /** Data rows of the input the file holds. */
  rows: number;
}

function assemble(parts: { header: string; lines: readonly string[] }): Blob {
  return new Blob([parts.header, ...parts.lines], { type: 'text/csv;charset=utf-8' });
}
