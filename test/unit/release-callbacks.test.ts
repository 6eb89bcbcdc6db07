import * as Comlink from 'comlink';
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { releasingCallbacks } from '../../workers/release-callbacks';

/** A callback passed through Comlink, that records when the worker side releases it. */
function trackedCallback() {
  const seen: number[] = [];
  let released = false;
  const callback = Object.assign((value: number) => void seen.push(value), { [Comlink.finalizer]: () => (released = true) });
  return { callback: Comlink.proxy(callback), seen, released: () => released };
}

describe('releasingCallbacks', () => {
  const service = {
    async count(to: number, onStep: (step: number) => void): Promise<string> {
      for (let step = 1; step <= to; step++) await onStep(step);
      if (to < 0) throw new Error('negative');
      return 'done';
    },
  };

  function remote() {
    const { port1, port2 } = new MessageChannel();
    Comlink.expose(releasingCallbacks(service), port2 as unknown as Comlink.Endpoint);
    return Comlink.wrap<typeof service>(port1 as unknown as Comlink.Endpoint);
  }

  it('frees a callback once its call has answered, and not before', async () => {
    const api = remote();
    const tracked = trackedCallback();
    expect(await api.count(3, tracked.callback)).toBe('done');
    expect(tracked.seen).toEqual([1, 2, 3]);
    await expect.poll(tracked.released).toBe(true);
  });

  it('frees it when the call fails too', async () => {
    const api = remote();
    const tracked = trackedCallback();
    await expect(api.count(-1, tracked.callback)).rejects.toThrow('negative');
    await expect.poll(tracked.released).toBe(true);
  });
});
