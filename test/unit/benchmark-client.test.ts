import * as Comlink from 'comlink';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { ClassifierClient, type WorkerHandle } from '../../src/client';
import type { BenchmarkProgress } from '../../src/core/contract/benchmark-types';
import { toGlassboxError } from '../../src/core/contract/errors';
import { ClassifierService } from '../../workers/classifier-service';
import { deferred, FakeEngine, fakeDeps } from './fake-engine';

const NEWS = { id: 'news-topic', url: 'http://site.test/models/news-topic/' };

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** The client and the real service on the two ends of a MessageChannel, as across a worker boundary. */
function clientOverChannel(classifyGate?: () => Promise<void> | undefined) {
  const world = fakeDeps();
  const service = new ClassifierService({
    ...world.deps,
    createBenchmarkEngine: async ({ backend }) => ({ engine: new FakeEngine({ classifyGate }), loadAs: backend === 'cpu' ? 'wasm' : backend }),
  });
  const client = new ClassifierClient(() => {
    const { port1, port2 } = new MessageChannel();
    Comlink.expose(service, port2 as unknown as Comlink.Endpoint);
    const close = () => {
      port1.close();
      port2.close();
    };
    closers.push(close);
    return Object.assign(port1 as unknown as Comlink.Endpoint, { terminate: close }) as WorkerHandle;
  });
  return { client, world };
}

const ticks = (n = 5) => new Promise((r) => setTimeout(r, n));

describe('the client’s benchmark over Comlink', () => {
  it('delivers progress through the proxied callback and the result as plain data', async () => {
    const { client } = clientOverChannel();
    await client.load(NEWS, { engine: 'auto', backend: 'auto' });
    const progress: BenchmarkProgress[] = [];
    const result = await client.benchmark(
      { combinations: [{ engine: 'onnx', backend: 'wasm' }, { engine: 'onnx', backend: 'webgpu' }], repetitions: 2, batchRepetitions: 1, batchSize: 2 },
      (p) => progress.push(p),
    );
    expect(result.rows.map((r) => r.status)).toEqual(['done', 'unavailable']);
    await ticks(20);
    expect(progress.map((p) => p.stage)).toEqual(['load', 'first', 'latency', 'latency', 'batch', 'done', 'done']);
    expect(progress.at(-1)?.rows).toHaveLength(2);
  });

  it('cancels with cancelBenchmark: the call rejects with CANCELLED as a GlassboxError', async () => {
    const held = deferred();
    const { client } = clientOverChannel(() => held.promise);
    await client.load(NEWS, { engine: 'auto', backend: 'auto' });
    const running = client.benchmark({ combinations: [{ engine: 'tfjs', backend: 'wasm' }] });
    await ticks(20);
    await client.cancelBenchmark();
    const error = await running.then(
      () => undefined,
      (e: unknown) => toGlassboxError(e),
    );
    expect(error?.code).toBe('CANCELLED');
    expect(error?.detail).toMatch(/cancelled while measuring TF\.js on WebAssembly/);
    held.resolve();
  });
});
