import { describe, expect, it } from 'vitest';
import type { LoadResult } from '../../src/core/contract/classifier-api';
import { GlassboxError } from '../../src/core/contract/errors';
import type { LoadProgress } from '../../src/core/contract/types';
import { ModelSession } from '../../src/ui/model-session';
import { deferred } from './fake-engine';
import { loaded, ScriptedClient } from './helpers/scripted-client';

const NEWS = { id: 'news-topic', url: 'http://site.test/models/news-topic/' };
const SENTIMENT = { id: 'sentiment', url: 'http://site.test/models/sentiment/' };
const CHOICES = { engine: 'auto', backend: 'auto' } as const;
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setUp() {
  const client = new ScriptedClient();
  const gates = new Map<string, ReturnType<typeof deferred<LoadResult>>>();
  client.loadAnswer = (source) => {
    const gate = deferred<LoadResult>();
    gates.set(source.id, gate);
    return gate.promise;
  };
  const seen = { updates: 0, progress: [] as LoadProgress[], ready: [] as string[], failed: [] as string[] };
  const host = { addController: () => undefined, removeController: () => undefined, requestUpdate: () => seen.updates++, updateComplete: Promise.resolve(true) };
  const session = new ModelSession<{ note?: string }>(host, client, {
    readyExtras: () => ({ note: 'fresh' }),
    progress: (progress) => seen.progress.push(progress),
    ready: (model) => seen.ready.push(model.model),
    failed: (error) => seen.failed.push(error.code),
  });
  return { client, gates, seen, session };
}

describe('ModelSession', () => {
  it('follows a load through its progress to ready, with what the view keeps beside the model', async () => {
    const { client, gates, seen, session } = setUp();
    const loading = session.load(NEWS, CHOICES);
    expect(session.state).toEqual({ status: 'loading', source: NEWS });
    const progress: LoadProgress = { phase: 'download', loaded: 1, total: 2, progress: 0.5 };
    client.loads[0].onProgress?.(progress);
    expect(session.state).toEqual({ status: 'loading', source: NEWS, progress });
    gates.get('news-topic')!.resolve(loaded(NEWS));
    await loading;
    expect(session.state).toMatchObject({ status: 'ready', loaded: { model: 'news-topic' }, note: 'fresh' });
    expect(seen).toMatchObject({ progress: [progress], ready: ['news-topic'], failed: [] });
  });

  it('shows only the newest load: an older one finishing later changes nothing and reports nothing', async () => {
    const { client, gates, seen, session } = setUp();
    const first = session.load(NEWS, CHOICES);
    const second = session.load(SENTIMENT, CHOICES);
    client.loads[0].onProgress?.({ phase: 'download', loaded: 1, total: 2, progress: 0.5 });
    gates.get('sentiment')!.resolve(loaded(SENTIMENT));
    await second;
    gates.get('news-topic')!.reject(new GlassboxError('MODEL_FETCH_FAILED', 'gone'));
    await expect(first).rejects.toMatchObject({ code: 'MODEL_FETCH_FAILED' });
    expect(session.state).toMatchObject({ status: 'ready', loaded: { model: 'sentiment' } });
    expect(seen).toMatchObject({ progress: [], ready: ['sentiment'], failed: [] });
  });

  it('says a failed load failed, but leaves a load the worker replaced (SUPERSEDED) to the newer one', async () => {
    const { gates, seen, session } = setUp();
    const superseded = session.load(NEWS, CHOICES);
    gates.get('news-topic')!.reject(new GlassboxError('SUPERSEDED', 'a newer load'));
    await expect(superseded).rejects.toMatchObject({ code: 'SUPERSEDED' });
    expect(session.state).toEqual({ status: 'loading', source: NEWS });
    const failing = session.load(NEWS, CHOICES);
    gates.get('news-topic')!.reject(new GlassboxError('MODEL_INVALID', 'broken'));
    await expect(failing).rejects.toMatchObject({ code: 'MODEL_INVALID' });
    expect(session.state).toMatchObject({ status: 'failed', source: NEWS, error: { code: 'MODEL_INVALID' } });
    expect(seen.failed).toEqual(['MODEL_INVALID']);
  });

  it('settles work that leads to a load under its own turn, unless a newer turn began', async () => {
    const { session } = setUp();
    const reading = session.begin({ id: 'my-folder', url: '' });
    expect(session.state.status).toBe('loading');
    const newer = session.begin(NEWS);
    expect(session.settle(reading, { error: new GlassboxError('BAD_INPUT', 'no config.json') })).toBe(false);
    expect(session.state).toEqual({ status: 'loading', source: NEWS });
    expect(session.settle(newer, { loaded: loaded(NEWS) })).toBe(true);
    session.updateReady(reading, { note: 'stale' });
    expect(session.state).toMatchObject({ status: 'ready', note: 'fresh' });
    session.updateReady(newer, { note: 'warmed up' });
    expect(session.state).toMatchObject({ status: 'ready', note: 'warmed up' });
  });

  it('a failure of the model itself, or a reset, makes every load in flight moot', async () => {
    const { gates, seen, session } = setUp();
    const loading = session.load(NEWS, CHOICES);
    session.fail(new GlassboxError('WORKER_FAILED', 'the worker died'), NEWS);
    gates.get('news-topic')!.resolve(loaded(NEWS));
    await loading;
    await settle();
    expect(session.state).toMatchObject({ status: 'failed', error: { code: 'WORKER_FAILED' } });
    const again = session.load(SENTIMENT, CHOICES);
    session.reset();
    gates.get('sentiment')!.resolve(loaded(SENTIMENT));
    await again;
    expect(session.state).toEqual({ status: 'idle' });
    expect(seen.ready).toEqual([]);
  });
});
