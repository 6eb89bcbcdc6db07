import * as Comlink from 'comlink';
import {
  WORKER_CALLS,
  type LoadOptions,
  type LoadResult,
  type ProgressListener,
  type WorkerApi,
  type WorkerCallPolicy,
  type WorkerRecovery,
} from './core/contract/classifier-api';
import { useGlassboxErrorTransfer } from './core/contract/error-transfer';
import { GlassboxError, messageOf, toGlassboxError } from './core/contract/errors';
import type { LoadProgress, ModelSource } from './core/contract/types';
import { trustedScriptUrl } from './trusted-script-url';
// The bundled worker's URL (Vite builds the worker from this import), so it can go through the Trusted Types policy.
import classifierWorkerUrl from '../workers/classifier.worker.ts?worker&url';

useGlassboxErrorTransfer();

/** What the client needs from a worker; a real Worker, or a MessagePort-backed stand-in in tests. */
export interface WorkerHandle extends Comlink.Endpoint {
  terminate(): void;
}

export type WorkerFactory = () => WorkerHandle;

function spawnClassifierWorker(): WorkerHandle {
  return new Worker(trustedScriptUrl(classifierWorkerUrl), { type: 'module', name: 'glassbox-classifier' });
}

/**
 * How the client watches its worker: a ping every `heartbeatMs` while it lives; a ping left
 * unanswered for `unresponsiveMs` means the worker is gone (it closed itself or was terminated:
 * neither raises an event, and calls to it would wait forever). The worker answers between two
 * model calls, so the limit is well above the longest single call.
 */
export interface WorkerWatch {
  heartbeatMs: number;
  unresponsiveMs: number;
}
export const WORKER_WATCH: WorkerWatch = Object.freeze({ heartbeatMs: 5_000, unresponsiveMs: 45_000 });

interface LiveWorker {
  worker: WorkerHandle;
  remote: Comlink.Remote<WorkerApi>;
  /** Rejects when the worker dies; every call races against it, because Comlink calls to a dead worker never settle. */
  died: Promise<never>;
  kill(reason: GlassboxError): void;
}

/**
 * The only way the page talks to the classifier worker. It owns the worker's life: spawns it on
 * first use, watches it (WorkerWatch), and turns a crash, a failed start or a worker that stopped
 * answering into a WORKER_FAILED error for every pending call. A worker that dies holding a model
 * is replaced at once: the model is loaded into a fresh worker (listeners hear of it through
 * onWorkerRecovery), and a classification or explanation that the death interrupted is tried
 * once more there. Errors always arrive as GlassboxError.
 */
// The forwarded methods are defined per instance in the constructor; this tells TypeScript they are there.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface ClassifierClient extends WorkerApi {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class ClassifierClient {
  private live: LiveWorker | undefined;
  /** The model the worker holds, to load again into a fresh worker; none while a load runs. */
  private lastLoad: { source: ModelSource; options: LoadOptions } | undefined;
  /** Loading the model into a fresh worker after a death: other calls wait for it. */
  private restoring: Promise<void> | undefined;
  private readonly recoveryListeners = new Set<(event: WorkerRecovery) => void>();

  constructor(
    private readonly spawn: WorkerFactory = spawnClassifierWorker,
    private readonly watch: WorkerWatch = WORKER_WATCH,
  ) {
    // Every worker method but load (which also remembers the model for a restart) is forwarded as it is.
    for (const method of Object.keys(WORKER_CALLS) as (keyof WorkerApi)[]) {
      if (method !== 'load') Object.defineProperty(this, method, { value: (...args: unknown[]) => this.forward(method, args) });
    }
  }

  async load(source: ModelSource, options: LoadOptions, onProgress?: ProgressListener<LoadProgress>): Promise<LoadResult> {
    this.lastLoad = undefined;
    const loaded = (await this.forward('load', [source, options, onProgress])) as LoadResult;
    this.lastLoad = { source, options };
    return loaded;
  }

  /** Hears when the worker died on its own and the model is loaded again (or cannot be); returns the unsubscribe. */
  onWorkerRecovery(listener: (event: WorkerRecovery) => void): () => void {
    this.recoveryListeners.add(listener);
    return () => this.recoveryListeners.delete(listener);
  }

  /** Stops the worker; pending calls reject with WORKER_FAILED and the next call starts a new one, with no model. */
  terminate(reason = 'The classifier worker was stopped.'): void {
    this.lastLoad = undefined;
    this.live?.kill(new GlassboxError('WORKER_FAILED', reason));
  }

  /** One worker call as WORKER_CALLS says; callbacks go as Comlink proxies (the worker releases them when the call ends). */
  private forward(method: keyof WorkerApi, args: readonly unknown[]): Promise<unknown> {
    const policy: WorkerCallPolicy = WORKER_CALLS[method];
    if (policy.ifLive && !this.live) return Promise.resolve();
    const sent = args.map((arg) => (typeof arg === 'function' ? Comlink.proxy(arg) : arg));
    return this.call((remote) => (remote[method] as (...a: unknown[]) => Promise<unknown>)(...sent), { retry: policy.replay ?? false });
  }

  /**
   * Runs one call on the live worker, after any restore in progress. With `retry`, a call the
   * worker's death interrupted runs once more on the fresh worker, once the model is back there.
   */
  private async call<T>(invoke: (remote: Comlink.Remote<WorkerApi>) => Promise<T>, { retry = false } = {}): Promise<T> {
    // Awaited only when there is one: a call starts its worker in the same turn as it is made.
    if (this.restoring) await this.restoring;
    try {
      return await this.onLiveWorker(invoke);
    } catch (error) {
      const failure = toGlassboxError(error);
      if (!retry || failure.code !== 'WORKER_FAILED' || !this.restoring) throw failure;
      await this.restoring;
      if (!this.lastLoad) throw failure;
      return this.onLiveWorker(invoke);
    }
  }

  private async onLiveWorker<T>(invoke: (remote: Comlink.Remote<WorkerApi>) => Promise<T>): Promise<T> {
    const live = this.ensureWorker();
    try {
      return await Promise.race([invoke(live.remote), live.died]);
    } catch (error) {
      throw toGlassboxError(error);
    }
  }

  /**
   * The worker died without being asked to: reject its calls, and when it held a model, load that
   * model into a fresh worker. The model is forgotten while it loads, so a model that kills the
   * worker again is not loaded a third time.
   */
  private lost(live: LiveWorker, reason: GlassboxError): void {
    if (this.live !== live) return;
    live.kill(reason);
    const model = this.lastLoad;
    if (!model) return;
    this.lastLoad = undefined;
    this.emit({ status: 'restarting', reason });
    this.restoring = (async () => {
      try {
        const loaded = await this.onLiveWorker((remote) => remote.load(model.source, model.options));
        this.lastLoad = model;
        this.emit({ status: 'restored', loaded });
      } catch (error) {
        this.emit({ status: 'failed', error: toGlassboxError(error) });
      } finally {
        this.restoring = undefined;
      }
    })();
  }

  private emit(event: WorkerRecovery): void {
    for (const listener of this.recoveryListeners) listener(event);
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
        clearInterval(heartbeat);
        worker.removeEventListener('error', onError);
        worker.removeEventListener('messageerror', onMessageError);
        worker.terminate();
        reject(reason);
      },
    };
    const onError = (event: Event) => this.lost(live, new GlassboxError('WORKER_FAILED', describeWorkerError(event)));
    const onMessageError = () =>
      this.lost(live, new GlassboxError('WORKER_FAILED', 'A message from the classifier worker could not be read; the worker was restarted.'));
    // Timed from when a ping went out, so a page whose timers the browser slows down (a hidden tab) is not misread.
    let pingSentAt: number | undefined;
    const heartbeat = setInterval(() => {
      if (pingSentAt === undefined) {
        pingSentAt = Date.now();
        live.remote.ping().then(
          () => (pingSentAt = undefined),
          () => undefined,
        );
      } else if (Date.now() - pingSentAt > this.watch.unresponsiveMs) {
        this.lost(live, new GlassboxError('WORKER_FAILED', `The classifier worker stopped answering (nothing for ${Math.round(this.watch.unresponsiveMs / 1000)} s).`));
      }
    }, this.watch.heartbeatMs);
    // Under Node (tests) a watch must not keep the process alive by itself.
    (heartbeat as { unref?(): void }).unref?.();
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
