import type { ReactiveController } from 'lit';
import { describe, expect, it } from 'vitest';
import type { ClassifyResult, LoadResult } from '../../src/core/contract/classifier-api';
import { resolveEmbedConfig, type EmbedModelConfig } from '../../src/core/element/embed-config';
import { GlassboxError, toGlassboxError } from '../../src/core/contract/errors';
import type { ExplainOptions, Explanation } from '../../src/core/contract/explanation-types';
import { EmbedController, type EmbedWish } from '../../src/ui/embed-controller';
import { deferred } from './fake-engine';
import { explanation, loaded, result, ScriptedClient } from './helpers/scripted-client';

const PAGE = 'https://blog.test/post.html';
const EVENTS = ['gb-ready', 'gb-progress', 'gb-result', 'gb-explanation', 'gb-error'] as const;

/** Stands in for the element: an EventTarget that records the events it raises. */
class FakeHost extends EventTarget {
  isConnected = true;
  readonly controllers: ReactiveController[] = [];
  readonly events: { type: string; detail: unknown; bubbles: boolean; composed: boolean }[] = [];
  updateComplete = Promise.resolve(true);
  constructor() {
    super();
    for (const type of EVENTS) {
      this.addEventListener(type, (event) => {
        const { detail, bubbles, composed } = event as CustomEvent;
        this.events.push({ type, detail, bubbles, composed });
      });
    }
  }
  addController(controller: ReactiveController): void {
    this.controllers.push(controller);
  }
  removeController(): void {}
  requestUpdate(): void {}
  of(type: string): unknown[] {
    return this.events.filter((e) => e.type === type).map((e) => e.detail);
  }
}

const config = (model = 'news-topic', backend = 'auto'): EmbedModelConfig =>
  resolveEmbedConfig({ model, backend }, PAGE, 'https://blog.test/vendor/models/')!;
const wish = (text: string, explain = false, samples: EmbedWish['samples'] = 100): EmbedWish => ({ text, explain, samples });
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setUp() {
  const host = new FakeHost();
  const client = new ScriptedClient();
  const controller = new EmbedController(host, client);
  return { host, client, controller };
}

async function rejection(promise: Promise<unknown>): Promise<GlassboxError> {
  try {
    await promise;
  } catch (error) {
    return toGlassboxError(error);
  }
  throw new Error('expected a rejection');
}

describe('EmbedController', () => {
  it('loads the configured model, then classifies the text: download progress, gb-ready, gb-result', async () => {
    const { host, client, controller } = setUp();
    const gate = deferred<LoadResult>();
    client.loadAnswer = () => gate.promise;
    controller.configure(config());
    controller.show(wish('Stocks rallied'));
    expect(client.loads).toHaveLength(1);
    expect(client.loads[0]).toMatchObject({ source: { id: 'news-topic', url: 'https://blog.test/vendor/models/news-topic/' }, options: { engine: 'auto', backend: 'auto' } });
    expect(controller.model.status).toBe('loading');
    client.loads[0].onProgress?.({ phase: 'download', file: 'x', loaded: 5, total: 10, progress: 0.5 });
    client.loads[0].onProgress?.({ phase: 'compile', loaded: 0, total: 0, progress: 0 });
    expect(client.texts).toEqual([]);
    gate.resolve(loaded(config().source));
    await settle();
    expect(client.texts).toEqual(['Stocks rallied']);
    expect(host.events.map((e) => e.type)).toEqual(['gb-progress', 'gb-ready', 'gb-result']);
    expect(host.events.every((e) => e.bubbles && e.composed)).toBe(true);
    expect(host.of('gb-progress')).toEqual([{ phase: 'download', loaded: 5, total: 10, progress: 0.5 }]);
    expect(host.of('gb-ready')).toEqual([{ model: 'news-topic', engine: 'onnx', backend: 'wasm' }]);
    expect(host.of('gb-result')).toEqual([{ text: 'Stocks rallied', label: 'a', scores: result('').scores, engine: 'onnx', backend: 'wasm', ms: 1 }]);
    expect(controller.result.status).toBe('done');
  });

  it('reports a failed load once; the methods reject with that same error and raise no second gb-error', async () => {
    const { host, client, controller } = setUp();
    client.loadAnswer = async () => {
      throw new GlassboxError('MODEL_NOT_FOUND', 'There is no model at /x/.');
    };
    controller.configure(config());
    controller.show(wish('some text'));
    await settle();
    expect(host.of('gb-error')).toEqual([{ code: 'MODEL_NOT_FOUND', message: 'There is no model at /x/.' }]);
    expect((await rejection(controller.classify('other text'))).code).toBe('MODEL_NOT_FOUND');
    expect((await rejection(controller.explain('other text'))).code).toBe('MODEL_NOT_FOUND');
    expect(host.of('gb-error')).toHaveLength(1);
    // Not found stays not found: no second load until the attributes change.
    expect(client.loads).toHaveLength(1);
    expect(client.texts).toEqual([]);
  });

  it('tries a model server that could not be reached again on the next call', async () => {
    const { host, client, controller } = setUp();
    client.loadAnswer = async () => {
      throw new GlassboxError('MODEL_FETCH_FAILED', 'Could not reach /x/config.json.');
    };
    controller.configure(config());
    await settle();
    expect(host.of('gb-error')).toHaveLength(1);
    client.loadAnswer = async (source) => loaded(source);
    expect(await controller.classify('back online')).toMatchObject({ text: 'back online', label: 'a' });
    expect(client.loads).toHaveLength(2);
    expect(host.of('gb-ready')).toHaveLength(1);
  });

  it('reports unusable attributes at once, without a worker call, and the methods reject with them', async () => {
    const { host, client, controller } = setUp();
    const error = new GlassboxError('BAD_INPUT', 'engine="pytorch" is not supported; use one of auto, onnx, tfjs.');
    controller.configure(error);
    controller.show(wish('some text'));
    await settle();
    expect(host.of('gb-error')).toEqual([{ code: 'BAD_INPUT', message: error.detail }]);
    expect(await rejection(controller.classify('x'))).toBe(error);
    expect(host.of('gb-error')).toHaveLength(1);
    expect(client.loads).toEqual([]);
  });

  it('asks for a model attribute when there is text but no model', async () => {
    const { host, client, controller } = setUp();
    controller.configure(undefined);
    controller.show(wish('some text'));
    await settle();
    expect(host.of('gb-error')).toEqual([{ code: 'BAD_INPUT', message: expect.stringMatching(/model attribute/) }]);
    expect(client.loads).toEqual([]);
  });

  it('refuses empty text and explain options that are not an object, as gb-error and rejection', async () => {
    const { host, controller } = setUp();
    controller.configure(config());
    expect((await rejection(controller.classify('  '))).code).toBe('EMPTY_TEXT');
    expect((await rejection(controller.explain('text', 5 as unknown as ExplainOptions))).code).toBe('BAD_INPUT');
    expect(host.of('gb-error').map((d) => (d as { code: string }).code)).toEqual(['EMPTY_TEXT', 'BAD_INPUT']);
  });

  it('lets a replaced classification reject with SUPERSEDED, raising no gb-error', async () => {
    const { host, client, controller } = setUp();
    controller.configure(config());
    const first = deferred<ClassifyResult>();
    client.classifyAnswer = () => first.promise;
    const older = controller.classify('older');
    await settle();
    client.classifyAnswer = async (text) => result(text);
    const newer = controller.classify('newer');
    first.reject(new GlassboxError('SUPERSEDED', 'This classification was replaced by a newer one.'));
    expect((await rejection(older)).code).toBe('SUPERSEDED');
    expect((await newer).text).toBe('newer');
    expect(host.of('gb-error')).toEqual([]);
    expect(controller.result).toMatchObject({ status: 'done', result: { text: 'newer' } });
  });

  it('explains the text when asked to, with the samples, and drops progress that trails the result', async () => {
    const { host, client, controller } = setUp();
    const gate = deferred<Explanation>();
    client.explainAnswer = () => gate.promise;
    controller.configure(config());
    controller.show(wish('goal scored', true, 40));
    await settle();
    expect(client.texts).toEqual(['goal scored']);
    expect(client.explained).toHaveLength(1);
    expect(client.explained[0]).toMatchObject({ text: 'goal scored', options: { numSamples: 40 } });
    const onProgress = client.explained[0].onProgress!;
    onProgress({ phase: 'explain', loaded: 20, total: 40, progress: 0.5 });
    expect(controller.explanation).toMatchObject({ status: 'running', progress: { loaded: 20 } });
    gate.resolve(explanation('goal scored', 40));
    await settle();
    onProgress({ phase: 'explain', loaded: 40, total: 40, progress: 1 });
    expect(controller.explanation.status).toBe('done');
    expect(host.of('gb-progress').filter((p) => (p as { phase: string }).phase === 'explain')).toEqual([
      { phase: 'explain', loaded: 20, total: 40, progress: 0.5 },
    ]);
    expect(host.of('gb-explanation')).toEqual([
      { text: 'goal scored', label: 'a', weights: [{ word: 'w', weight: 0.5 }], method: 'lime', scale: 'probability', modelRuns: 40, intercept: 0.4, r2: 0.8, localPrediction: 0.88, samples: 40, ms: 5 },
    ]);
    // Turning explain on again for the same text and samples does not explain it twice.
    controller.show(wish('goal scored', true, 40));
    await settle();
    expect(client.texts).toHaveLength(1);
    expect(client.explained).toHaveLength(1);
  });

  it('reports an unusable samples attribute when it would be used', async () => {
    const { host, client, controller } = setUp();
    controller.configure(config());
    controller.show(wish('goal scored', true, new GlassboxError('BAD_INPUT', 'The samples attribute must be a whole number of at least 2.')));
    await settle();
    expect(host.of('gb-result')).toHaveLength(1);
    expect(host.of('gb-error')).toEqual([{ code: 'BAD_INPUT', message: expect.stringMatching(/samples/) }]);
    expect(client.explained).toEqual([]);
  });

  it('explains with the method attribute, samples only for a sampling method, and reports an unusable method', async () => {
    const { host, client, controller } = setUp();
    controller.configure(config());
    controller.show({ ...wish('goal scored', true, 40), method: 'occlusion' });
    await settle();
    expect(client.explained.at(-1)!.options).toEqual({ method: 'occlusion' });
    controller.show({ ...wish('goal scored', true, 40), method: 'kernelshap' });
    await settle();
    expect(client.explained.at(-1)!.options).toEqual({ method: 'kernelshap', numSamples: 40 });
    const explained = client.explained.length;
    controller.show({ ...wish('goal scored', true, 40), method: new GlassboxError('BAD_INPUT', 'method="shap" is not supported.') });
    await settle();
    expect(host.of('gb-error').at(-1)).toEqual({ code: 'BAD_INPUT', message: expect.stringMatching(/method/) });
    expect(client.explained).toHaveLength(explained);
  });

  it('keeps the model while the attributes name the same one; another one clears what was shown and shows the text again', async () => {
    const { client, controller } = setUp();
    controller.configure(config());
    controller.show(wish('text'));
    await settle();
    controller.configure(config());
    expect(client.loads).toHaveLength(1);
    controller.configure(config('news-topic', 'wasm'));
    expect(controller.result.status).toBe('idle');
    controller.show(wish('text'));
    await settle();
    expect(client.loads.map((l) => l.options.backend)).toEqual(['auto', 'wasm']);
    expect(client.texts).toEqual(['text', 'text']);
    expect(controller.result.status).toBe('done');
  });

  it('frees the worker when the element leaves the page; calls in flight reject CANCELLED; back on the page it loads again', async () => {
    const { host, client, controller } = setUp();
    controller.configure(config());
    await settle();
    const gate = deferred<ClassifyResult>();
    client.classifyAnswer = () => gate.promise;
    const pending = controller.classify('in flight');
    await settle();
    host.isConnected = false;
    controller.hostDisconnected();
    await settle();
    expect(client.terminated).toBe(1);
    gate.reject(new GlassboxError('WORKER_FAILED', 'The <glassbox-classifier> element was removed from the page.'));
    expect((await rejection(pending)).code).toBe('CANCELLED');
    expect(host.of('gb-error')).toEqual([]);
    expect(controller.model.status).toBe('idle');
    host.isConnected = true;
    controller.hostConnected();
    expect(client.loads).toHaveLength(2);
  });

  it('keeps the worker when the element is only moved', async () => {
    const { host, client, controller } = setUp();
    controller.configure(config());
    await settle();
    host.isConnected = false;
    controller.hostDisconnected();
    host.isConnected = true;
    controller.hostConnected();
    await settle();
    expect(client.terminated).toBe(0);
    expect(client.loads).toHaveLength(1);
  });

  it('loads the model again after the worker crashed', async () => {
    const { host, client, controller } = setUp();
    controller.configure(config());
    client.classifyAnswer = async () => {
      throw new GlassboxError('WORKER_FAILED', 'The classifier worker crashed.');
    };
    expect((await rejection(controller.classify('one'))).code).toBe('WORKER_FAILED');
    expect(host.of('gb-error')).toHaveLength(1);
    client.classifyAnswer = async (text) => result(text);
    expect((await controller.classify('two')).text).toBe('two');
    expect(client.loads).toHaveLength(2);
  });

  it('refuses calls while the element is not on the page', async () => {
    const { host, controller } = setUp();
    host.isConnected = false;
    expect((await rejection(controller.classify('text'))).code).toBe('MODEL_NOT_LOADED');
  });
});
