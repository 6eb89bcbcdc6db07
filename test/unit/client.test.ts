import * as Comlink from 'comlink';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClassifierClient, type WorkerHandle, type WorkerWatch } from '../../src/client';
import type { WorkerRecovery } from '../../src/core/contract/classifier-api';
import { GlassboxError } from '../../src/core/contract/errors';
import type { ExplainProgress } from '../../src/core/contract/explanation-types';
import type { LoadProgress } from '../../src/core/contract/types';
import { ClassifierService } from '../../workers/classifier-service';
import { deferred, fakeDeps, type FakeEngineScript } from './fake-engine';

const NEWS = { id: 'news-topic', url: 'http://site.test/models/news-topic/' };
const AUTO = { engine: 'auto', backend: 'auto' } as const;

/**
 * A worker stand-in: the real ClassifierService exposed with Comlink on one end of a
 * MessageChannel, the client on the other. Crashes are simulated with an `error` event.
 */
class ChannelWorker implements WorkerHandle {
  terminated = false;
  private readonly errors = new EventTarget();
  private readonly port: MessagePort;
  private readonly workerSide: MessagePort;

  constructor(service: ClassifierService) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.workerSide = port2;
    Comlink.expose(service, port2 as unknown as Comlink.Endpoint);
  }

  postMessage(message: unknown, transfer?: Transferable[]): void {
    this.port.postMessage(message, transfer as never);
  }

  addEventListener(type: string, listener: EventListenerOrEventListenerObject): void {
    if (type === 'message') (this.port as unknown as EventTarget).addEventListener(type, listener);
    else this.errors.addEventListener(type, listener);
  }

  removeEventListener(type: string, listener: EventListenerOrEventListenerObject): void {
    if (type === 'message') (this.port as unknown as EventTarget).removeEventListener(type, listener);
    else this.errors.removeEventListener(type, listener);
  }

  start(): void {
    this.port.start();
  }

  crash(message?: string): void {
    this.errors.dispatchEvent(Object.assign(new Event('error'), { message }));
  }

  /** The worker closes itself: no event, and nothing it was asked is ever answered. */
  hang(): void {
    this.workerSide.close();
  }

  terminate(): void {
    this.terminated = true;
    this.port.close();
    this.workerSide.close();
  }
}

const workers: ChannelWorker[] = [];
afterEach(() => {
  for (const worker of workers.splice(0)) worker.terminate();
});

function clientWith(script: (index: number) => FakeEngineScript = () => ({}), watch?: WorkerWatch) {
  const world = fakeDeps(script);
  const client = new ClassifierClient(() => {
    const worker = new ChannelWorker(new ClassifierService(world.deps));
    workers.push(worker);
    return worker;
  }, watch);
  const recoveries: WorkerRecovery[] = [];
  client.onWorkerRecovery((event) => recoveries.push(event));
  return { client, world, recoveries };
}

async function rejection(promise: Promise<unknown>): Promise<GlassboxError> {
  try {
    await promise;
  } catch (error) {
    return error as GlassboxError;
  }
  throw new Error('expected a rejection');
}

describe('ClassifierClient over Comlink', () => {
  it('loads through the worker and delivers progress through a Comlink proxy', async () => {
    const progress: LoadProgress[] = [
      { phase: 'download', file: 'onnx/model_quantized.onnx', loaded: 5, total: 10, progress: 0.5 },
      { phase: 'ready', loaded: 1, total: 1, progress: 1 },
    ];
    const { client } = clientWith(() => ({ progress }));
    const seen: LoadProgress[] = [];
    const result = await client.load(NEWS, AUTO, (p) => seen.push(p));
    expect(result.model).toBe('news-topic');
    await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual(progress);
    expect((await client.classify('sport results')).label).toBe('sport');
  });

  it('rebuilds worker errors as GlassboxError with their code and message', async () => {
    const { client } = clientWith();
    const notLoaded = await rejection(client.classify('sport'));
    expect(notLoaded).toBeInstanceOf(GlassboxError);
    expect(notLoaded.code).toBe('MODEL_NOT_LOADED');
    await client.load(NEWS, AUTO);
    const empty = await rejection(client.classify('   '));
    expect(empty.code).toBe('EMPTY_TEXT');
    expect(empty.detail).toMatch(/no text/i);
    // The code travels beside the message, never inside it.
    expect(empty.message).not.toContain('EMPTY_TEXT');
    expect(empty.name).toBe('GlassboxError');
  });

  it('keeps only the newest classification across the worker boundary', async () => {
    const gate = deferred();
    const { client } = clientWith(() => ({ classifyGate: (text) => (text === 'old sport' ? gate.promise : undefined) }));
    await client.load(NEWS, AUTO);
    const older = client.classify('old sport');
    await new Promise((r) => setTimeout(r, 10));
    const newer = client.classify('new tech');
    // Let the newer request reach the worker while the older one is still running.
    await new Promise((r) => setTimeout(r, 10));
    gate.resolve();
    expect((await rejection(older)).code).toBe('SUPERSEDED');
    expect((await newer).label).toBe('tech');
  });

  it('rejects pending calls when the worker crashes, then starts a fresh worker', async () => {
    const { client } = clientWith(() => ({ loadGate: new Promise(() => undefined) }));
    const hanging = client.load(NEWS, AUTO);
    await new Promise((r) => setTimeout(r, 10));
    workers[0].crash('out of memory');
    const error = await rejection(hanging);
    expect(error.code).toBe('WORKER_FAILED');
    expect(error.detail).toContain('out of memory');
    expect(workers[0].terminated).toBe(true);
    const next = await rejection(client.classify('sport'));
    expect(next.code).toBe('MODEL_NOT_LOADED');
    expect(workers).toHaveLength(2);
  });

  it('terminate() stops the worker, rejects pending calls, and the next call starts a fresh one', async () => {
    const { client } = clientWith(() => ({ loadGate: new Promise(() => undefined) }));
    const pending = client.load(NEWS, AUTO);
    await new Promise((r) => setTimeout(r, 10));
    client.terminate();
    expect((await rejection(pending)).code).toBe('WORKER_FAILED');
    expect(workers[0].terminated).toBe(true);
    expect((await rejection(client.classify('x'))).code).toBe('MODEL_NOT_LOADED');
    expect(workers).toHaveLength(2);
  });

  it('reports a worker that fails to start', async () => {
    const { client } = clientWith();
    const start = client.load(NEWS, AUTO);
    workers[0].crash();
    const error = await rejection(start);
    expect(error.code).toBe('WORKER_FAILED');
    expect(error.detail).toMatch(/failed to start/);
  });

  it('notices a worker that stops answering while idle, and loads the model into a fresh one', async () => {
    const { client, recoveries } = clientWith(() => ({}), { heartbeatMs: 5, unresponsiveMs: 40 });
    await client.load(NEWS, AUTO);
    workers[0].hang();
    await vi.waitFor(() => expect(recoveries.map((event) => event.status)).toEqual(['restarting', 'restored']));
    expect(recoveries[0]).toMatchObject({ reason: { code: 'WORKER_FAILED', detail: expect.stringContaining('stopped answering') } });
    expect(workers[0].terminated).toBe(true);
    expect(workers).toHaveLength(2);
    expect((await client.classify('sport results')).label).toBe('sport');
  });

  it('a classification that a crash interrupts runs again on the fresh worker, once the model is back', async () => {
    const gate = deferred();
    const { client, recoveries } = clientWith((index) => ({ classifyGate: (text) => (index === 0 && text === 'sport news' ? gate.promise : undefined) }));
    await client.load(NEWS, AUTO);
    const classifying = client.classify('sport news');
    await new Promise((r) => setTimeout(r, 10));
    workers[0].crash('out of memory');
    expect((await classifying).label).toBe('sport');
    expect(recoveries.map((event) => event.status)).toEqual(['restarting', 'restored']);
    expect(workers).toHaveLength(2);
  });

  it('gives up, and says so, when the model cannot be loaded into the fresh worker', async () => {
    const { client, recoveries } = clientWith((index) => (index === 0 ? {} : { loadError: new GlassboxError('MODEL_FETCH_FAILED', 'the site is gone') }));
    await client.load(NEWS, AUTO);
    workers[0].crash();
    await vi.waitFor(() => expect(recoveries.map((event) => event.status)).toEqual(['restarting', 'failed']));
    expect(recoveries[1]).toMatchObject({ error: { code: 'MODEL_FETCH_FAILED' } });
    expect((await rejection(client.classify('sport'))).code).toBe('MODEL_NOT_LOADED');
  });

  it('does not bring a worker stopped on purpose back', async () => {
    const { client, recoveries } = clientWith();
    await client.load(NEWS, AUTO);
    client.terminate();
    expect((await rejection(client.classify('sport'))).code).toBe('MODEL_NOT_LOADED');
    expect(recoveries).toEqual([]);
  });

  it('reports a worker that cannot even be created', async () => {
    const client = new ClassifierClient(() => {
      throw new Error('module workers are blocked');
    });
    const error = await rejection(client.classify('x'));
    expect(error.code).toBe('WORKER_FAILED');
    expect(error.detail).toContain('module workers are blocked');
  });
});

describe('explanations over Comlink', () => {
  const TEXT = 'sport results and tech news today';

  it('explains the loaded model with progress through a Comlink proxy, in padded batches', async () => {
    const { client, world } = clientWith();
    await client.load(NEWS, AUTO);
    const seen: ExplainProgress[] = [];
    const explanation = await client.explain(TEXT, { numSamples: 100, seed: 3 }, (p) => seen.push(p));
    expect(explanation.text).toBe(TEXT);
    expect(explanation.samples).toBe(100);
    // The fake model says "sport" whenever the word is there: LIME must find it.
    expect(explanation.label).toBe('sport');
    expect(explanation.weights[0]).toMatchObject({ word: 'sport' });
    expect(explanation.weights[0].weight).toBeGreaterThan(0);
    expect(explanation.perLabel.map((l) => l.label)).toEqual(['sport', 'tech', 'politics']);
    await new Promise((r) => setTimeout(r, 10));
    expect(seen.length).toBeGreaterThan(1);
    // The samples, then the faithfulness check's rows.
    expect(seen.at(-1)).toMatchObject({ phase: 'explain', progress: 1 });
    expect(seen.at(-1)!.loaded).toBe(seen.at(-1)!.total);
    expect(seen.at(-1)!.total).toBeGreaterThan(100);
    const classified = world.engines[0].calls.filter((c) => c.startsWith('classify')).length;
    expect(classified).toBe(explanation.evaluated + explanation.faithfulness!.modelRuns);

    // The worker checks its own last explanation: only the label crosses the boundary.
    const curve = await client.deletionCurve(explanation.perLabel[0].labelIndex, { maxK: 3, randomDraws: 2 });
    expect(curve.words[0]).toBe('sport');
    expect(curve.lime[1]).toBeLessThan(curve.lime[0]);
    const unexplained = await rejection(client.deletionCurve(99));
    expect(unexplained).toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/^The last explanation has no label 99: it explained 0 \(/) });
  });

  it('has no deletion curve to draw before an explanation', async () => {
    const { client } = clientWith();
    await client.load(NEWS, AUTO);
    expect(await rejection(client.deletionCurve(0))).toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/explain a text first/) });
  });

  it('a newer explanation, or a classification of another text, supersedes a running one', async () => {
    // Holds the next model call open, once, so a request can arrive while an explanation runs.
    let hold: Promise<void> | undefined;
    const { client } = clientWith(() => ({
      classifyGate: () => {
        const held = hold;
        hold = undefined;
        return held;
      },
    }));
    await client.load(NEWS, AUTO);
    const first = deferred();
    hold = first.promise;
    const older = client.explain(TEXT, { numSamples: 50 });
    await new Promise((r) => setTimeout(r, 10));
    const newer = client.explain('politics today', { numSamples: 20 });
    expect((await rejection(older)).code).toBe('SUPERSEDED');
    first.resolve();
    expect((await newer).text).toBe('politics today');

    const second = deferred();
    hold = second.promise;
    const third = client.explain(TEXT, { numSamples: 500 });
    await new Promise((r) => setTimeout(r, 10));
    const classified = client.classify('tech only');
    expect((await rejection(third)).code).toBe('SUPERSEDED');
    second.resolve();
    expect((await classified).label).toBe('tech');
  });

  it('cancel() stops a running explanation with CANCELLED', async () => {
    const gate = deferred();
    let armed = false;
    const { client } = clientWith(() => ({ classifyGate: () => (armed ? gate.promise : undefined) }));
    await client.load(NEWS, AUTO);
    armed = true;
    const running = client.explain(TEXT, { numSamples: 50 });
    await new Promise((r) => setTimeout(r, 10));
    await client.cancel();
    expect((await rejection(running)).code).toBe('CANCELLED');
    gate.resolve();
  });

  it('reports bad options, text without words and a missing model with their codes', async () => {
    const { client } = clientWith();
    expect((await rejection(client.explain(TEXT))).code).toBe('MODEL_NOT_LOADED');
    await client.load(NEWS, AUTO);
    const tooFew = await rejection(client.explain(TEXT, { numSamples: 1 }));
    expect(tooFew.code).toBe('BAD_INPUT');
    expect(tooFew.detail).toMatch(/numSamples/);
    expect((await rejection(client.explain('?! …'))).code).toBe('BAD_INPUT');
    expect((await rejection(client.explain('  '))).code).toBe('EMPTY_TEXT');
    // The worker is still usable afterwards.
    expect((await client.explain(TEXT, { numSamples: 20 })).samples).toBe(20);
  });
});
