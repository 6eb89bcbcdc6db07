import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ClassifyResult, LoadResult } from '../../src/core/contract/classifier-api';
import type { Explanation } from '../../src/core/contract/explanation-types';
import { GlassboxError } from '../../src/core/contract/errors';
import { ClassifierController, TYPING_PAUSE_MS } from '../../src/ui/classifier-controller';
import { deferred } from './fake-engine';
import { explanation, loaded, result, ScriptedClient } from './helpers/scripted-client';

const PAGE = 'http://site.test/glassbox/';

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

/** A controller whose default model is still loading until the test resolves `gate`. */
async function loadingController() {
  serveCatalog();
  const client = new ScriptedClient();
  const gate = deferred<LoadResult>();
  client.loadAnswer = () => gate.promise;
  const controller = new ClassifierController(host(), client, PAGE);
  controller.hostConnected();
  await vi.waitFor(() => expect(controller.model.status).toBe('loading'));
  return { client, gate, controller };
}

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
    const { client, gate, controller } = await loadingController();
    expect(client.loads).toMatchObject([{ source: { id: 'news-topic', url: `${PAGE}models/news-topic/` }, options: { engine: 'auto', backend: 'auto' } }]);
    // While it loads, the catalog's card already offers the model's examples.
    expect(controller.examples).toEqual([{ text: 'ex', label: 'a' }]);
    gate.resolve(loaded({ id: 'news-topic', url: `${PAGE}models/news-topic/` }));
    await vi.waitFor(() => expect(controller.model.status).toBe('ready'));
    // A loaded model without a card (a third-party folder) has no examples to offer.
    expect(controller.examples).toEqual([]);
  });

  it('takes model, engine and backend overrides from the page URL', async () => {
    const { client } = await readyController(`${PAGE}?model=sentiment&backend=wasm&engine=onnx`);
    expect(client.loads[0]).toMatchObject({ source: { id: 'sentiment', url: `${PAGE}models/sentiment/` }, options: { engine: 'onnx', backend: 'wasm' } });
  });

  it('says which page URL choices it cannot follow, and what it does instead', async () => {
    const { client, controller } = await readyController(`${PAGE}?model=nope&backend=cuda&engine=onnx&method=shapley&samples=1`);
    expect(client.loads[0]).toMatchObject({ source: { id: 'news-topic' }, options: { engine: 'onnx', backend: 'auto' } });
    expect(controller.urlNotes).toEqual([
      '?backend=cuda is not one of auto, webgpu, wasm: using auto.',
      '?method=shapley is not one of occlusion, lime, kernelshap, gradient: using kernelshap.',
      '?samples=1 is not a whole number of at least 2: using the defaults.',
      "?model=nope is not one of this site's models (news-topic, sentiment): opening news-topic.",
    ]);
    const { controller: plain } = await readyController(`${PAGE}?model=sentiment&backend=wasm`);
    expect(plain.urlNotes).toEqual([]);
  });

  it('opens a shared address with its text classified, and writes every choice back into the address', async () => {
    serveCatalog();
    const client = new ScriptedClient();
    const addresses: string[] = [];
    const controller = new ClassifierController(host(), client, `${PAGE}?model=sentiment&text=good+film&keep=1#card`, (url) => addresses.push(url));
    controller.hostConnected();
    await vi.waitFor(() => expect(controller.result.status).toBe('done'));
    expect(client.texts).toEqual(['good film']);
    expect(addresses.at(-1)).toBe(`${PAGE}?model=sentiment&text=good+film&keep=1#card`);

    controller.setBackend('wasm');
    await vi.waitFor(() => expect(controller.model.status).toBe('ready'));
    controller.setExplainSettings({ method: 'lime', numSamples: 500, autoExplain: false });
    controller.classifyNow('a new text');
    await vi.waitFor(() => expect(controller.result.status).toBe('done'));
    expect(addresses.at(-1)).toBe(`${PAGE}?model=sentiment&text=a+new+text&keep=1&backend=wasm&method=lime&samples=500#card`);

    controller.setBackend('auto');
    controller.selectModel('news-topic');
    controller.setExplainSettings({ method: 'kernelshap', numSamples: 400, autoExplain: false });
    controller.classifyNow('x'.repeat(2001));
    await vi.waitFor(() => expect(controller.result.status).toBe('done'));
    expect(addresses.at(-1)).toBe(`${PAGE}?model=news-topic&keep=1#card`);
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
    const { gate, controller } = await loadingController();
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

  it('never says ready while the worker that held the model is being replaced, and says how that ended', async () => {
    const { client, controller } = await readyController();
    const died = new GlassboxError('WORKER_FAILED', 'The classifier worker stopped answering (nothing for 45 s).');
    client.recover({ status: 'restarting', reason: died });
    expect(controller.model.status).toBe('loading');
    expect(controller.recoveryNote).toBe(
      'The classifier was restarted: The classifier worker stopped answering (nothing for 45 s). It is loading news-topic again; work it had not finished runs once more.',
    );
    client.recover({ status: 'restored', loaded: loaded({ id: 'news-topic', url: `${PAGE}models/news-topic/` }) });
    expect(controller.model.status).toBe('ready');
    await vi.waitFor(() => expect(client.warmUps).toBe(2));
    client.recover({ status: 'restarting', reason: died });
    client.recover({ status: 'failed', error: new GlassboxError('MODEL_FETCH_FAILED', 'gone') });
    expect(controller.model).toMatchObject({ status: 'failed', error: { code: 'MODEL_FETCH_FAILED' } });
  });

  it('cancels a download in progress and offers to try again', async () => {
    const { client, gate, controller } = await loadingController();
    controller.cancelLoad();
    expect(client.cancelled).toBe(1);
    gate.reject(new GlassboxError('CANCELLED', 'Loading the model was cancelled.'));
    await vi.waitFor(() => expect(controller.model).toMatchObject({ status: 'failed', error: { code: 'CANCELLED' } }));
    // Nothing is loading any more: a second press asks the worker nothing.
    controller.cancelLoad();
    expect(client.cancelled).toBe(1);
    client.loadAnswer = async (source) => loaded(source);
    controller.retry();
    await vi.waitFor(() => expect(controller.model.status).toBe('ready'));
  });

  it('reloads the current model when the backend is overridden', async () => {
    const { client, controller } = await readyController();
    controller.setBackend('wasm');
    await vi.waitFor(() => expect(client.loads).toHaveLength(2));
    expect(client.loads[1].options.backend).toBe('wasm');
  });
});

describe('ClassifierController warm-up', () => {
  it('warms the model up after each load and keeps what the worker reported', async () => {
    const { client, controller } = await readyController();
    await vi.waitFor(() => expect(controller.model).toMatchObject({ status: 'ready', warmUp: { status: 'done', result: { outcome: 'settled' } } }));
    expect(client.warmUps).toBe(1);
    controller.setBackend('wasm');
    await vi.waitFor(() => expect(client.warmUps).toBe(2));
  });

  it('keeps the model ready when the warm-up fails', async () => {
    serveCatalog();
    const client = new ScriptedClient();
    client.warmUpAnswer = async () => {
      throw new GlassboxError('INTERNAL', 'no');
    };
    const controller = new ClassifierController(host(), client, PAGE);
    controller.hostConnected();
    await vi.waitFor(() => expect(controller.model).toMatchObject({ status: 'ready', warmUp: { status: 'failed' } }));
  });
});

describe('ClassifierController explanations', () => {
  it('explains only on request by default, leaving one word out first and then with the chosen method and samples', async () => {
    const { client, controller } = await readyController(`${PAGE}?samples=200`);
    controller.classifyNow('some text');
    await vi.waitFor(() => expect(controller.result.status).toBe('done'));
    expect(client.explained).toEqual([]);
    await controller.explain();
    expect(client.explained).toMatchObject([
      { text: 'some text', options: { method: 'occlusion' } },
      { text: 'some text', options: { method: 'kernelshap', numSamples: 200 } },
    ]);
    expect(controller.explanation).toMatchObject({ status: 'done', explanation: { text: 'some text' } });
    await controller.deletionCurve(0);
    expect(controller.explanation).toMatchObject({ status: 'done', deletion: { status: 'done', curve: { labelIndex: 0 } } });
  });

  it('stays done when a progress report arrives after the result, as one through its own message channel can', async () => {
    const { client, controller } = await readyController(`${PAGE}?method=occlusion`);
    controller.classifyNow('some text');
    await vi.waitFor(() => expect(controller.result.status).toBe('done'));
    await controller.explain();
    expect(controller.explanation.status).toBe('done');
    for (const call of client.explained) call.onProgress?.({ phase: 'explain', loaded: 42, total: 42, progress: 1 });
    expect(controller.explanation.status).toBe('done');
  });

  it('previews occlusion without its faithfulness check first when occlusion itself is chosen', async () => {
    const { client, controller } = await readyController(`${PAGE}?method=occlusion`);
    controller.classifyNow('some text');
    await vi.waitFor(() => expect(controller.result.status).toBe('done'));
    await controller.explain();
    expect(client.explained.map((call) => call.options)).toEqual([{ method: 'occlusion', faithfulness: false }, { method: 'occlusion' }]);
    expect(controller.explanation.status).toBe('done');
  });

  it('explains the result that is still being classified when Explain is pressed, instead of dropping the request', async () => {
    const { client, controller } = await readyController();
    const slow = deferred<ClassifyResult>();
    client.classifyAnswer = () => slow.promise;
    controller.classifyNow('pending text');
    await settle();
    expect(controller.result.status).toBe('running');
    await controller.explain();
    expect(client.explained).toEqual([]);
    slow.resolve(result('pending text'));
    await vi.waitFor(() => expect(controller.explanation).toMatchObject({ status: 'done', explanation: { text: 'pending text' } }));
    // The leave-one-word-out preview, then the chosen method.
    expect(client.explained).toHaveLength(2);
  });

  it('shows the leave-one-word-out preview while the chosen method runs, and says which runs', async () => {
    const { client, controller } = await readyController(`${PAGE}?method=lime`);
    controller.classifyNow('text');
    await vi.waitFor(() => expect(controller.result.status).toBe('done'));
    const gate = deferred<Explanation>();
    let calls = 0;
    client.explainAnswer = async (text) => (++calls === 1 ? { ...explanation(text), method: 'occlusion' } : gate.promise);
    const running = controller.explain();
    await vi.waitFor(() => expect(controller.explanation).toMatchObject({ status: 'running', method: 'lime', preview: { method: 'occlusion' } }));
    gate.resolve({ ...explanation('text'), method: 'lime' });
    await running;
    expect(controller.explanation).toMatchObject({ status: 'done', explanation: { method: 'lime' } });
    expect(client.explained.at(-1)).toMatchObject({ options: { method: 'lime', numSamples: 1000 } });
  });

  it('drops the explanation of an older text and explains new ones when asked to as you type', async () => {
    const { client, controller } = await readyController();
    controller.classifyNow('first');
    await vi.waitFor(() => expect(controller.result.status).toBe('done'));
    await controller.explain();
    controller.setExplainSettings({ method: 'lime', numSamples: 300, autoExplain: true });
    controller.classifyNow('second');
    await vi.waitFor(() => expect(controller.explanation).toMatchObject({ status: 'done', explanation: { text: 'second' } }));
    expect(client.explained.at(-1)).toMatchObject({ text: 'second', options: { numSamples: 300 } });
  });

  it('takes the explanation off the screen, and stops it, when the text is cleared', async () => {
    const { client, controller } = await readyController();
    controller.classifyNow('some text');
    await vi.waitFor(() => expect(controller.result.status).toBe('done'));
    await controller.explain();
    expect(controller.explanation.status).toBe('done');
    controller.classifyNow('   ');
    expect(controller.result.status).toBe('message');
    expect(controller.explanation.status).toBe('idle');
    expect(client.cancelled).toBe(0);
    controller.classifyNow('other text');
    await vi.waitFor(() => expect(controller.result.status).toBe('done'));
    const gate = deferred<Explanation>();
    client.explainAnswer = () => gate.promise;
    void controller.explain();
    await vi.waitFor(() => expect(controller.explanation.status).toBe('running'));
    controller.classifyNow('');
    expect(controller.explanation.status).toBe('idle');
    expect(client.cancelled).toBe(1);
    gate.resolve(explanation('other text'));
  });

  it('shows a failed explanation, and forgets a cancelled one', async () => {
    const { client, controller } = await readyController();
    controller.classifyNow('text');
    await vi.waitFor(() => expect(controller.result.status).toBe('done'));
    client.explainAnswer = async () => Promise.reject(new GlassboxError('BAD_INPUT', 'numSamples must be between 2 and 50000; got 1.'));
    await controller.explain();
    expect(controller.explanation).toMatchObject({ status: 'failed', error: { code: 'BAD_INPUT' } });
    const gate = deferred<Explanation>();
    client.explainAnswer = () => gate.promise;
    const running = controller.explain();
    expect(controller.explanation.status).toBe('running');
    controller.cancelExplanation();
    expect(client.cancelled).toBe(1);
    gate.reject(new GlassboxError('CANCELLED', 'cancelled'));
    await running;
    expect(controller.explanation.status).toBe('idle');
  });
});
