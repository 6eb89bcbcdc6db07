import { describe, expect, it } from 'vitest';
import { GlassboxError, toGlassboxError } from '../../src/core/contract/errors';
import type { LoadProgress, ModelManifest } from '../../src/core/contract/types';
import { ClassifierService } from '../../workers/classifier-service';
import { deferred, fakeDeps } from './fake-engine';

const NEWS = { id: 'news-topic', url: 'http://site.test/models/news-topic/' };
const SENTIMENT = { id: 'sentiment', url: 'http://site.test/models/sentiment/' };
const AUTO = { engine: 'auto', backend: 'auto' } as const;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return toGlassboxError(error).code;
  }
  return 'resolved';
}

describe('ClassifierService.load', () => {
  it('reports the model, engine, backend, labels and time to ready, and the model card', async () => {
    const manifest: ModelManifest = { id: 'news-topic', title: 'News', task: 'text-classification', labels: ['sport', 'tech', 'politics'], maxTokens: 128 };
    const world = fakeDeps(undefined, { manifest });
    const service = new ClassifierService(world.deps);
    const result = await service.load(NEWS, AUTO);
    expect(result).toMatchObject({
      model: 'news-topic',
      url: NEWS.url,
      engine: 'onnx',
      backend: 'wasm',
      device: 'fake, 1 thread',
      labels: ['sport', 'tech', 'politics'],
      manifest,
      reused: false,
      webgpu: { available: false },
    });
    expect(result.msToReady).toBeGreaterThan(0);
    // The manifest's token window reaches the engine, which does the head+tail cut.
    expect(world.engines[0].loadedFrom?.maxTokens).toBe(128);
    expect(world.engines[0].backendChoice).toBe('auto');
  });

  it('hands the engine the files the model card lists, so each download is checked against its sha256', async () => {
    const files = [{ path: 'onnx/model_quantized.onnx', bytes: 10, sha256: 'ab'.repeat(32) }];
    const manifest: ModelManifest = { id: 'news-topic', title: 'News', task: 'text-classification', labels: ['sport', 'tech', 'politics'], files };
    const world = fakeDeps(undefined, { manifest });
    await new ClassifierService(world.deps).load(NEWS, AUTO);
    expect(world.engines[0].loadedFrom?.files).toEqual(files);
  });

  it('forwards download progress to the caller', async () => {
    const steps: LoadProgress[] = [
      { phase: 'download', file: 'onnx/model_quantized.onnx', loaded: 10, total: 100, progress: 0.1 },
      { phase: 'download', file: 'onnx/model_quantized.onnx', loaded: 100, total: 100, progress: 1 },
      { phase: 'ready', loaded: 1, total: 1, progress: 1 },
    ];
    const service = new ClassifierService(fakeDeps(() => ({ progress: steps })).deps);
    const seen: LoadProgress[] = [];
    await service.load(NEWS, AUTO, (p) => seen.push(p));
    expect(seen).toEqual(steps);
  });

  it('reports how long the self-timed phases took (model preparation, warm-up)', async () => {
    const steps: LoadProgress[] = [
      { phase: 'compile', loaded: 0, total: 1, progress: 0 },
      { phase: 'compile', loaded: 1, total: 1, progress: 1, ms: 120 },
      { phase: 'warmup', loaded: 0, total: 1, progress: 0 },
      { phase: 'warmup', loaded: 1, total: 1, progress: 1, ms: 2200 },
    ];
    const service = new ClassifierService(fakeDeps(() => ({ progress: steps })).deps);
    expect((await service.load(NEWS, AUTO)).phaseMs).toEqual({ compile: 120, warmup: 2200 });
  });

  it('loads a model once and reuses it for the same folder, engine and backend', async () => {
    const world = fakeDeps();
    const service = new ClassifierService(world.deps);
    await service.load(NEWS, AUTO);
    const again = await service.load(NEWS, AUTO);
    expect(again.reused).toBe(true);
    expect(world.engines).toHaveLength(1);
    expect(world.engines[0].disposed).toBe(false);
  });

  it('disposes the previous model when switching models or backends', async () => {
    const world = fakeDeps();
    const service = new ClassifierService(world.deps);
    await service.load(NEWS, AUTO);
    await service.load(SENTIMENT, AUTO);
    expect(world.engines[0].disposed).toBe(true);
    await service.load(SENTIMENT, { engine: 'auto', backend: 'wasm' });
    expect(world.engines[1].disposed).toBe(true);
    expect(world.engines).toHaveLength(3);
    expect(world.engines[2].disposed).toBe(false);
  });

  it('lets a newer load supersede one still downloading, and disposes the abandoned engine', async () => {
    const gate = deferred();
    const world = fakeDeps((n) => (n === 0 ? { loadGate: gate.promise } : {}));
    const service = new ClassifierService(world.deps);
    const first = service.load(NEWS, AUTO);
    await new Promise((r) => setTimeout(r, 5));
    const second = service.load(SENTIMENT, AUTO);
    expect(await codeOf(first)).toBe('SUPERSEDED');
    expect(world.engines[0].signal?.aborted).toBe(true);
    expect(world.engines[0].disposed).toBe(true);
    expect((await second).model).toBe('sentiment');
  });

  it('turns engine failures into coded errors, disposes the engine, and stays usable', async () => {
    const world = fakeDeps((n) => (n === 0 ? { loadError: new GlassboxError('MODEL_INVALID', 'onnx/model_quantized.onnx is corrupt') } : {}));
    const service = new ClassifierService(world.deps);
    const error = await service.load(NEWS, AUTO).catch((e: unknown) => toGlassboxError(e));
    expect(error).toBeInstanceOf(GlassboxError);
    expect((error as GlassboxError).code).toBe('MODEL_INVALID');
    expect((error as GlassboxError).message).toContain('corrupt');
    expect(world.engines[0].disposed).toBe(true);
    expect(await codeOf(service.classify('sport news'))).toBe('MODEL_NOT_LOADED');
    expect((await service.load(SENTIMENT, AUTO)).model).toBe('sentiment');
  });

  it('rejects unknown engines and backends before doing anything', async () => {
    const world = fakeDeps();
    const service = new ClassifierService(world.deps);
    expect(await codeOf(service.load(NEWS, { engine: 'auto', backend: 'cuda' as never }))).toBe('BAD_INPUT');
    expect(await codeOf(service.load(NEWS, { engine: 'pytorch' as never, backend: 'auto' }))).toBe('BAD_INPUT');
    expect(await codeOf(service.load({ id: 'x', url: '' }, AUTO))).toBe('BAD_INPUT');
    const sameSiteOnly = new ClassifierService({ ...world.deps, origin: 'http://site.test' });
    expect(await codeOf(sameSiteOnly.load({ id: 'x', url: 'https://elsewhere.test/models/x/' }, AUTO))).toBe('BAD_INPUT');
    expect(world.engines).toHaveLength(0);
    expect((await sameSiteOnly.load(NEWS, AUTO)).model).toBe('news-topic');
  });

  it('cancel() stops a load in progress', async () => {
    const world = fakeDeps(() => ({ loadGate: new Promise(() => undefined) }));
    const service = new ClassifierService(world.deps);
    const loading = service.load(NEWS, AUTO);
    await new Promise((r) => setTimeout(r, 5));
    await service.cancel();
    expect(await codeOf(loading)).toBe('CANCELLED');
    expect(world.engines[0].disposed).toBe(true);
  });
});

describe('ClassifierService.classify', () => {
  it('returns every label with its probability, highest first, and the predicted label', async () => {
    const world = fakeDeps();
    const service = new ClassifierService(world.deps);
    await service.load(NEWS, AUTO);
    const result = await service.classify('the tech giant reported');
    expect(result.label).toBe('tech');
    expect(result.scores.map((s) => s.label)).toEqual(['tech', 'sport', 'politics']);
    expect(result.scores[0].score).toBeCloseTo(5 / 7);
    expect(result.scores.reduce((sum, s) => sum + s.score, 0)).toBeCloseTo(1);
    expect(result).toMatchObject({ text: 'the tech giant reported', engine: 'onnx', backend: 'wasm' });
    expect(result.truncation).toMatchObject({ strategy: 'head+tail', truncated: false });
  });

  it('answers empty or whitespace-only text with EMPTY_TEXT and never calls the model', async () => {
    const world = fakeDeps();
    const service = new ClassifierService(world.deps);
    await service.load(NEWS, AUTO);
    expect(await codeOf(service.classify(''))).toBe('EMPTY_TEXT');
    expect(await codeOf(service.classify(' \n\t '))).toBe('EMPTY_TEXT');
    expect(world.engines[0].calls.filter((c) => c.startsWith('classify') && !c.includes('warm'))).toEqual([]);
  });

  it('lets the newest request win: a running one is dropped, a queued one never reaches the model', async () => {
    const gate = deferred();
    const world = fakeDeps(() => ({ classifyGate: (text) => (text === 'first sport' ? gate.promise : undefined) }));
    const service = new ClassifierService(world.deps);
    await service.load(NEWS, AUTO);
    const first = service.classify('first sport');
    await new Promise((r) => setTimeout(r, 5));
    const second = service.classify('second tech');
    const third = service.classify('third politics');
    gate.resolve();
    expect(await codeOf(first)).toBe('SUPERSEDED');
    expect(await codeOf(second)).toBe('SUPERSEDED');
    expect((await third).label).toBe('politics');
    expect(world.engines[0].calls).toEqual(['load news-topic', 'classify first sport', 'classify third politics']);
  });

  it('cancel() drops pending classifications with CANCELLED, and later ones work', async () => {
    const gate = deferred();
    const world = fakeDeps(() => ({ classifyGate: (text) => (text === 'slow' ? gate.promise : undefined) }));
    const service = new ClassifierService(world.deps);
    await service.load(NEWS, AUTO);
    const slow = service.classify('slow');
    await new Promise((r) => setTimeout(r, 5));
    await service.cancel();
    gate.resolve();
    expect(await codeOf(slow)).toBe('CANCELLED');
    expect((await service.classify('sport again')).label).toBe('sport');
  });
});
