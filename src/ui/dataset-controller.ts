import type { ReactiveControllerHost } from 'lit';
import type { BatchOptions, BatchSource } from '../core/contract/batch-types';
import type { DatasetExplainerApi } from '../core/contract/classifier-api';
import type { DatasetExplanation, DatasetPlan, DatasetProgress, DatasetRow } from '../core/contract/dataset-types';
import { summarizeDataset } from '../core/explain/dataset-summary';
import type { ModelState } from './classifier-controller';
import { WorkerJobController } from './worker-job-controller';

/** The input and columns of the batch whose rows are explained. */
export interface DatasetInput {
  source: BatchSource;
  options: BatchOptions;
}

/** Which rows to explain: all of them, or a seeded random sample. */
export interface DatasetChoice {
  sampleRows?: number;
  seed?: number;
}

/**
 * The dataset explanation's state and its calls to the worker: plan (what it would cost, timed on
 * this device), run with progress, cancel. The rows a stopped run finished stay, summarised as a
 * partial result. Only the newest request counts.
 */
export class DatasetController extends WorkerJobController<DatasetProgress, DatasetExplanation> {
  /** The batch input this state is about; a plan or result for another input is not shown. */
  input: DatasetInput | undefined;
  plan: DatasetPlan | undefined;
  planning = false;
  /** The rows a stopped run had explained, with their summary; undefined when there are none. */
  partial: DatasetExplanation | undefined;

  constructor(
    host: ReactiveControllerHost,
    private readonly client: DatasetExplainerApi,
    model: () => ModelState,
  ) {
    super(host, model);
  }

  /** One word for the state, for the page's data-state attribute. */
  get status(): 'idle' | 'planning' | 'planned' | 'running' | 'done' | 'stopped' | 'failed' {
    if (this.planning) return 'planning';
    if (this.running) return 'running';
    if (this.result) return 'done';
    if (this.partial) return 'stopped';
    if (this.error) return 'failed';
    return this.plan ? 'planned' : 'idle';
  }

  /** Why a dataset explanation cannot start now; empty when it can. */
  get unavailableReason(): string {
    return this.modelUnavailableReason;
  }

  /** Reads the input and times a few rows, for the estimate shown before a run. */
  async planFor(input: DatasetInput): Promise<void> {
    if (this.running) return;
    this.input = input;
    this.plan = undefined;
    this.result = undefined;
    this.partial = undefined;
    await this.prepare(
      () => this.client.planDatasetExplanation(input.source, datasetOptions(input, {})),
      (plan) => (this.plan = plan),
      (on) => (this.planning = on),
    );
  }

  /** Explains the planned input's rows (all, or a sample); progress and the result land here. */
  async run(choice: DatasetChoice): Promise<void> {
    const input = this.input;
    const plan = this.plan;
    if (!input || !plan || this.running) return;
    this.partial = undefined;
    const finished: DatasetRow[] = [];
    const started = performance.now();
    await this.runJob(
      (onProgress, current) =>
        this.client.explainDataset(input.source, datasetOptions(input, choice), onProgress, (rows) => {
          if (current()) finished.push(...rows);
        }),
      () => {
        if (finished.length > 0) this.partial = partialExplanation(finished, plan, choice, this.error, performance.now() - started);
      },
    );
  }

  /** Stops the running dataset job; run() then says how far it got and keeps its rows. */
  cancel(): void {
    if (this.running || this.planning) void this.client.cancelDatasetExplanation();
  }
}

function datasetOptions({ options }: DatasetInput, choice: DatasetChoice) {
  return {
    textColumn: options.textColumn,
    ...(options.labelColumn ? { labelColumn: options.labelColumn } : {}),
    ...(options.delimiter ? { delimiter: options.delimiter } : {}),
    ...(choice.sampleRows !== undefined ? { sampleRows: choice.sampleRows } : {}),
    ...(choice.seed !== undefined ? { seed: choice.seed } : {}),
  };
}

/** What a stopped run had finished, shaped as a result so it shows and downloads like one. */
function partialExplanation(rows: DatasetRow[], plan: DatasetPlan, choice: DatasetChoice, stopped: string, ms: number): DatasetExplanation {
  const { labels } = plan;
  return {
    labels,
    method: 'occlusion',
    rows,
    explainable: plan.explainable,
    ...(choice.sampleRows !== undefined ? { sample: { rows: choice.sampleRows, seed: choice.seed ?? 0 } } : {}),
    modelRuns: rows.reduce((sum, row) => sum + row.modelRuns, 0),
    ms: Math.round(ms),
    summary: summarizeDataset(rows, labels),
    stopped,
  };
}
