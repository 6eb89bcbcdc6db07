import * as Comlink from 'comlink';
import type { BatchOptions, BatchResult, BatchSource, CsvPreview, PreviewOptions } from './core/batch-types';
import type { BenchmarkRequest, BenchmarkResult } from './core/benchmark-types';
import type {
  BatchClassifierApi,
  BatchProgressListener,
  BenchmarkApi,
  BenchmarkProgressListener,
  ClassifierApi,
  ClassifyResult,
  DeletionCurveOptions,
  ExplainedLabel,
  ExplainProgressListener,
  LoadOptions,
  LoadResult,
  ProgressListener,
  WarmUpResult,
} from './core/classifier-api';
import { GlassboxError, toGlassboxError } from './core/errors';
import type { DeletionCurve, ExplainOptions, Explanation } from './core/explanation-types';
import type { ModelSource } from './core/types';

/** What the client needs from a worker; a real Worker, or a MessagePort-backed stand-in in tests. */
export interface WorkerHandle extends Comlink.Endpoint {
  terminate(): void;
}

export type WorkerFactory = () => WorkerHandle;

function spawnClassifierWorker(): WorkerHandle {
  return new Worker(new URL('../workers/classifier.worker.ts', import.meta.url), { type: 'module', name: 'glassbox-classifier' });
}

/** Everything the worker exposes. */
type WorkerApi = ClassifierApi & BatchClassifierApi & BenchmarkApi;

interface LiveWorker {
  worker: WorkerHandle;
  remote: Comlink.Remote<WorkerApi>;
  /** Rejects when the worker dies; every call races against it, because Comlink calls to a dead worker never settle. */
  died: Promise<never>;
  kill(reason: GlassboxError): void;
}

/**
 * The only way the page talks to the classifier worker. It owns the worker's life: spawns it on
 * first use, turns a crash or a failed start into a WORKER_FAILED error for every pending call,
 * and spawns a fresh worker on the next call. Errors always arrive as GlassboxError.
 */
export class ClassifierClient implements ClassifierApi, BatchClassifierApi, BenchmarkApi {
  private live: LiveWorker | undefined;

  constructor(private readonly spawn: WorkerFactory = spawnClassifierWorker) {}

  load(source: ModelSource, options: LoadOptions, onProgress?: ProgressListener): Promise<LoadResult> {
    return this.call((remote) => remote.load(source, options, onProgress ? Comlink.proxy(onProgress) : undefined));
  }

  classify(text: string): Promise<ClassifyResult> {
    return this.call((remote) => remote.classify(text));
  }

  explain(text: string, options: ExplainOptions = {}, onProgress?: ExplainProgressListener): Promise<Explanation> {
    return this.call((remote) => remote.explain(text, options, onProgress ? Comlink.proxy(onProgress) : undefined));
  }

  deletionCurve(text: string, explained: ExplainedLabel, options: DeletionCurveOptions = {}): Promise<DeletionCurve> {
    // Only the fields the worker needs cross the boundary, not the whole explanation.
    const { label, labelIndex, weights } = explained;
    return this.call((remote) => remote.deletionCurve(text, { label, labelIndex, weights }, options));
  }

  warmUp(): Promise<WarmUpResult> {
    return this.call((remote) => remote.warmUp());
  }

  cancel(): Promise<void> {
    if (!this.live) return Promise.resolve();
    return this.call((remote) => remote.cancel());
  }

  previewBatch(source: BatchSource, options: PreviewOptions = {}): Promise<CsvPreview> {
    return this.call((remote) => remote.previewBatch(source, options));
  }

  classifyBatch(source: BatchSource, options: BatchOptions, onProgress?: BatchProgressListener): Promise<BatchResult> {
    return this.call((remote) => remote.classifyBatch(source, options, onProgress ? Comlink.proxy(onProgress) : undefined));
  }

  cancelBatch(): Promise<void> {
    if (!this.live) return Promise.resolve();
    return this.call((remote) => remote.cancelBatch());
  }

  benchmark(request: BenchmarkRequest, onProgress?: BenchmarkProgressListener): Promise<BenchmarkResult> {
    return this.call((remote) => remote.benchmark(request, onProgress ? Comlink.proxy(onProgress) : undefined));
  }

  cancelBenchmark(): Promise<void> {
    if (!this.live) return Promise.resolve();
    return this.call((remote) => remote.cancelBenchmark());
  }

  /** Stops the worker; pending calls reject with WORKER_FAILED and the next call starts a new one. */
  terminate(reason = 'The classifier worker was stopped.'): void {
    this.live?.kill(new GlassboxError('WORKER_FAILED', reason));
  }

  private async call<T>(invoke: (remote: Comlink.Remote<WorkerApi>) => Promise<T>): Promise<T> {
    const live = this.ensureWorker();
    try {
      return await Promise.race([invoke(live.remote), live.died]);
    } catch (error) {
      throw toGlassboxError(error);
    }
  }

  private ensureWorker(): LiveWorker {
    if (this.live) return this.live;
    let worker: WorkerHandle;
    try {
      worker = this.spawn();
    } catch (error) {
      throw new GlassboxError('WORKER_FAILED', `The classifier worker could not be created: ${messageOf(error)}.`, { cause: error });
    }
    let reject: (reason: GlassboxError) => void = () => undefined;
    const died = new Promise<never>((_, fail) => {
      reject = fail;
    });
    died.catch(() => undefined);
    const remote = Comlink.wrap<WorkerApi>(worker);
    const live: LiveWorker = {
      worker,
      remote,
      died,
      kill: (reason) => {
        if (this.live === live) this.live = undefined;
        worker.removeEventListener('error', onError);
        worker.removeEventListener('messageerror', onMessageError);
        worker.terminate();
        reject(reason);
      },
    };
    const onError = (event: Event) => live.kill(new GlassboxError('WORKER_FAILED', describeWorkerError(event)));
    const onMessageError = () =>
      live.kill(new GlassboxError('WORKER_FAILED', 'A message from the classifier worker could not be read; the worker was restarted.'));
    worker.addEventListener('error', onError);
    worker.addEventListener('messageerror', onMessageError);
    this.live = live;
    return live;
  }
}

function describeWorkerError(event: Event): string {
  const { message, filename, lineno } = event as ErrorEvent;
  if (message) {
    const where = filename ? ` (${filename}${lineno ? `:${lineno}` : ''})` : '';
    return `The classifier worker crashed: ${message}${where}.`;
  }
  return 'The classifier worker failed to start or crashed: its script could not be loaded or run.';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
