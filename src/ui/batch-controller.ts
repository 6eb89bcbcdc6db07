import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { BatchOptions, BatchProgress, BatchResult, BatchRows, BatchSource, CsvPreview, DelimiterChoice } from '../core/contract/batch-types';
import type { BatchClassifierApi } from '../core/contract/classifier-api';
import { toGlassboxError } from '../core/contract/errors';
import type { ModelState } from './classifier-controller';
import { LatestWins } from '../core/jobs/sequencer';

/**
 * The batch panel's state and its calls to the worker: preview an input, classify every row,
 * cancel. Only the newest request counts: an answer to an older preview or batch is dropped.
 * Reading and parsing happen in the worker; this side holds the preview and the results Blob.
 */
export class BatchController implements ReactiveController {
  preview: CsvPreview | undefined;
  running = false;
  progress: BatchProgress | undefined;
  result: BatchResult | undefined;
  /** What went wrong with the input or the run, in words; empty when nothing did. */
  error = '';
  /**
   * The rows a batch that stopped (cancelled, a model switch, a crashed worker) had finished: a
   * results file to download, and where resume() starts again. Undefined when there are none.
   */
  partial: PartialResults | undefined;
  /** The parts of the results file received so far in this run, and the input and options it ran with. */
  private parts: { header: string; lines: string[]; done: number; startRow: number; source: BatchSource; options: BatchOptions } | undefined;
  /** An input is being previewed. */
  private opening = false;
  private readonly runs = new LatestWins();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly client: BatchClassifierApi,
    private readonly model: () => ModelState,
  ) {
    host.addController(this);
  }

  /** The worker goes away with the page's element (ClassifierController ends it): so does any batch. */
  hostDisconnected(): void {
    this.runs.cancelAll();
    this.running = false;
    this.progress = undefined;
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
    const model = this.model();
    if (model.status === 'ready') return '';
    return model.status === 'loading' ? 'The model is still loading.' : 'Load a model first.';
  }

  /** A new input, or another delimiter for it: reads its columns and first rows. */
  async open(source: BatchSource, delimiter: DelimiterChoice): Promise<void> {
    // The panel offers no new input while a batch runs; its results would be dropped otherwise.
    if (this.running) return;
    const turn = this.begin();
    this.preview = undefined;
    this.result = undefined;
    this.partial = undefined;
    this.parts = undefined;
    this.opening = true;
    this.host.requestUpdate();
    try {
      const preview = await this.client.previewBatch(source, { delimiter });
      if (!this.runs.isCurrent(turn)) return;
      this.preview = preview;
    } catch (error) {
      if (!this.runs.isCurrent(turn)) return;
      this.error = toGlassboxError(error).detail;
    }
    this.opening = false;
    this.host.requestUpdate();
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
    const turn = this.begin();
    this.running = true;
    this.result = undefined;
    this.partial = undefined;
    const parts = { header: kept?.header ?? '', lines: [...(kept?.lines ?? [])], done: options.startRow ?? 0, startRow: options.startRow ?? 0, source, options };
    this.parts = parts;
    this.host.requestUpdate();
    const onRows = (rows: BatchRows) => {
      if (!this.runs.isCurrent(turn)) return;
      if (rows.header !== undefined && !kept) parts.header = rows.header;
      if (rows.lines) parts.lines.push(rows.lines);
      parts.done = rows.done;
    };
    try {
      const result = await this.client.classifyBatch(
        source,
        options,
        (progress) => {
          if (!this.runs.isCurrent(turn)) return;
          this.progress = progress;
          this.host.requestUpdate();
        },
        onRows,
      );
      if (!this.runs.isCurrent(turn)) return;
      // A resumed batch's file holds only its own rows: the whole file is the parts kept and received.
      this.result = parts.startRow > 0 ? { ...result, csv: assemble(parts), notes: [`Resumed after row ${parts.startRow.toLocaleString('en')}: the counts and metrics below cover the rows classified after that; the file holds every row.`, ...result.notes] } : result;
      this.parts = undefined;
    } catch (error) {
      if (!this.runs.isCurrent(turn)) return;
      // A cancelled batch says how far it got, which is worth showing too.
      this.error = toGlassboxError(error).detail;
      if (parts.done > 0 && parts.header) this.partial = { csv: assemble(parts), rows: parts.done };
    }
    this.running = false;
    this.progress = undefined;
    this.host.requestUpdate();
  }

  /** Stops the running batch; run() then reports how far it got. */
  cancel(): void {
    if (this.running) void this.client.cancelBatch();
  }

  private begin(): number {
    this.error = '';
    this.progress = undefined;
    return this.runs.begin();
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
