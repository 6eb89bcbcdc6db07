import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ClassifierApi, ClassifyResult, LoadOptions, LoadResult } from '../../src/core/classifier-api';
import { GlassboxError } from '../../src/core/errors';
import type { ModelSource } from '../../src/core/types';
import { ClassifierController, TYPING_PAUSE_MS } from '../../src/ui/classifier-controller';
import { deferred } from './fake-engine';

const PAGE = 'http://site.test/glassbox/';

/** A client whose answers the test controls, recording every call. */
class ScriptedClient implements ClassifierApi {
  readonly loads: { source: ModelSource; options: LoadOptions }[] = [];
  readonly texts: string[] = [];
  loadAnswer: (source: ModelSource) => Promise<LoadResult> = async (source) => loaded(source);
  classifyAnswer: (text: string) => Promise<ClassifyResult> = async (text) => result(text);

  load(source: ModelSource, options: LoadOptions): Promise<LoadResult> {
    this.loads.push({ source, options });
    return this.loadAnswer(source);
  }
  classify(text: string): Promise<ClassifyResult> {
    this.texts.push(text);
    return this.classifyAnswer(text);
  }
  async cancel(): Promise<void> {}
  terminated = 0;
  terminate(): void {
    this.terminated++;
  }
}

function loaded(source: ModelSource): LoadResult {
  return {
    model: source.id,
    url: source.url,
    engine: 'onnx',
    backend: 'wasm',
    device: 'test',
    webgpu: { available: false, reason: 'test' },
    labels: ['a', 'b'],
    msToReady: 10,
    reused: false,
  };
}

function result(text: string): ClassifyResult {
  return { text, label: 'a', scores: [{ label: 'a', score: 0.9 }, { label: 'b', score: 0.1 }], engine: 'onnx', backend: 'wasm', ms: 1 };
}

const host = () => ({ addController: vi.fn(), removeController: vi.fn(), requestUpdate: vi.fn(), updateComplete: Promise.resolve(true) });
const settle = () => new Promise((r) => setTimeout(r, 0));

function serveCatalog() {
  const files: Record<string, unknown> = {
    'models/index.json': { default: 'news-topic', models: ['news-topic', 'sentiment'] },
    'models/news-topic/manifest.json': { id: 'news-topic', title: 'News', task: 't', labels: ['a', 'b'], examples: [{ text: 'ex', label: 'a' }] },
    'models/sentiment/manifest.json': { id: 'sentiment', title: 'Sentiment', task: 't', labels: ['a', 'b'] },
  };
  vi.stubGlobal('fetch', async (url: string) => {
    const body = files[url.slice(PAGE.length)];
    return body ? new Response(JSON.stringify(body)) : new Response('', { status: 404 });
  });
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

async function readyController(url = PAGE) {
  serveCatalog();
  const client = new ScriptedClient();
  const controller = new ClassifierController(host(), client, url);
  controller.hostConnected();
  await vi.waitFor(() => expect(controller.model.status).toBe('ready'));
  return { client, controller };
}

describe('ClassifierController', () => {
  it('opens the catalog and loads the default model with automatic engine and backend', async () => {
    serveCatalog();
    const client = new ScriptedClient();
    const gate = deferred<LoadResult>();
    client.loadAnswer = () => gate.promise;
    const controller = new ClassifierController(host(), client, PAGE);
    controller.hostConnected();
    await vi.waitFor(() => expect(controller.model.status).toBe('loading'));
    expect(client.loads).toEqual([{ source: { id: 'news-topic', url: `${PAGE}models/news-topic/` }, options: { engine: 'auto', backend: 'auto' } }]);
    // While it loads, the catalog's card already offers the model's examples.
    expect(controller.examples).toEqual([{ text: 'ex', label: 'a' }]);
    gate.resolve(loaded({ id: 'news-topic', url: `${PAGE}models/news-topic/` }));
    await vi.waitFor(() => expect(controller.model.status).toBe('ready'));
    // A loaded model without a card (a third-party folder) has no examples to offer.
    expect(controller.examples).toEqual([]);
  });

  it('takes model, engine and backend overrides from the page URL', async () => {
    const { client } = await readyController(`${PAGE}?model=sentiment&backend=wasm&engine=onnx`);
    expect(client.loads[0]).toEqual({ source: { id: 'sentiment', url: `${PAGE}models/sentiment/` }, options: { engine: 'onnx', backend: 'wasm' } });
  });

  it('answers empty text with a message and never calls the model', async () => {
    const { client, controller } = await readyController();
    controller.classifyNow('  \n ');
    await settle();
    expect(controller.result).toMatchObject({ status: 'message' });
    expect(client.texts).toEqual([]);
  });

  it('classifies as you type once typing pauses', async () => {
    const { client, controller } = await readyController();
    vi.useFakeTimers();
    controller.setText('h');
    controller.setText('hello');
    vi.advanceTimersByTime(TYPING_PAUSE_MS - 1);
    expect(client.texts).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(client.texts).toEqual(['hello']);
  });

  it('shows only the newest result when answers arrive out of order', async () => {
    const { client, controller } = await readyController();
    const slow = deferred<ClassifyResult>();
    client.classifyAnswer = (text) => (text === 'old' ? slow.promise : Promise.resolve(result(text)));
    controller.classifyNow('old');
    controller.classifyNow('new');
    await settle();
    slow.resolve(result('old'));
    await settle();
    expect(controller.result).toMatchObject({ status: 'done', result: { text: 'new' } });
  });

  it('classifies text typed while the model loads once it is ready', async () => {
    serveCatalog();
    const client = new ScriptedClient();
    const gate = deferred<LoadResult>();
    client.loadAnswer = () => gate.promise;
    const controller = new ClassifierController(host(), client, PAGE);
    controller.hostConnected();
    await vi.waitFor(() => expect(controller.model.status).toBe('loading'));
    controller.classifyNow('early text');
    expect(controller.result).toMatchObject({ status: 'message' });
    gate.resolve(loaded({ id: 'news-topic', url: `${PAGE}models/news-topic/` }));
    await vi.waitFor(() => expect(controller.result).toMatchObject({ status: 'done', result: { text: 'early text' } }));
  });

  it('keeps the page usable after a model fails to load', async () => {
    const { client, controller } = await readyController();
    client.loadAnswer = async () => Promise.reject(new GlassboxError('MODEL_INVALID', 'broken file'));
    controller.selectFolder('models/custom/');
    await vi.waitFor(() => expect(controller.model).toMatchObject({ status: 'failed', error: { code: 'MODEL_INVALID' } }));
    client.loadAnswer = async (source) => loaded(source);
    controller.selectModel('sentiment');
    await vi.waitFor(() => expect(controller.model).toMatchObject({ status: 'ready', loaded: { model: 'sentiment' } }));
  });

  it('refuses a model folder on another site without asking the worker', async () => {
    const { client, controller } = await readyController();
    controller.selectFolder('https://elsewhere.test/models/x/');
    expect(controller.model).toMatchObject({ status: 'failed', error: { code: 'BAD_INPUT' } });
    expect(client.loads).toHaveLength(1);
  });

  it('releases the worker when the page drops the element, and reloads the model when it returns', async () => {
    const { client, controller } = await readyController();
    controller.hostDisconnected();
    expect(client.terminated).toBe(1);
    expect(controller.model.status).toBe('idle');
    controller.hostConnected();
    await vi.waitFor(() => expect(controller.model.status).toBe('ready'));
    expect(client.loads).toHaveLength(2);
  });

  it('reloads the current model when the backend is overridden', async () => {
    const { client, controller } = await readyController();
    controller.setBackend('wasm');
    await vi.waitFor(() => expect(client.loads).toHaveLength(2));
    expect(client.loads[1].options.backend).toBe('wasm');
  });
});
