import { describe, expect, it } from 'vitest';
import { hasSettled, WARM_UP_PLAN, warmUpTexts } from '../../src/core/jobs/warm-up';
import { ClassifierService } from '../../workers/classifier-service';
import { warmUpModel } from '../../workers/warm-up';
import { fakeDeps, type FakeEngineScript } from './fake-engine';
import { failureOf } from './helpers/error-code';

const NEWS = { id: 'news-topic', url: 'http://site.test/models/news-topic/' };
const SENTIMENT = { id: 'sentiment', url: 'http://site.test/models/sentiment/' };
const AUTO = { engine: 'auto', backend: 'auto' } as const;
// 60 distinct words, so an explanation takes many batches.
const TEXT = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ') + ' sport';
const nextTick = () => new Promise((resolve) => setTimeout(resolve, 0));

const codeOf = async (promise: Promise<unknown>) => (await failureOf(promise)).code;

async function loadedService(script: FakeEngineScript = {}) {
  const world = fakeDeps(() => script);
  const service = new ClassifierService(world.deps);
  await service.load(NEWS, AUTO);
  const engine = world.engines[0];
  return { service, engine, classified: () => engine.calls.filter((call) => call.startsWith('classify')).length };
}

describe('paced model calls', () => {
  it('size a job by the model speed measured so far: small before anything is timed, full after the warm-up', async () => {
    const cold = await loadedService();
    const loadCalls = cold.engine.batchSizes.length;
    await cold.service.explain(TEXT, { method: 'occlusion', faithfulness: false });
    expect(cold.engine.batchSizes[loadCalls]).toBe(4);

    const warm = await loadedService();
    await warm.service.warmUp();
    const warmUpCalls = warm.engine.batchSizes.length;
    await warm.service.explain(TEXT, { method: 'occlusion', faithfulness: false });
    expect(warm.engine.batchSizes[warmUpCalls]).toBe(32);
  });
});

describe('long explanations share the worker', () => {
  it('stop within one batch when cancelled, although every model call blocks the thread', async () => {
    const { service, classified } = await loadedService({ busyMs: 0.05 });
    const explaining = service.explain(TEXT, { method: 'lime', numSamples: 5000 });
    let atCancel = -1;
    // A timer stands for the cancel message: it only runs if the explanation yields to the task queue.
    const watch = setInterval(() => {
      if (classified() < 100) return;
      clearInterval(watch);
      atCancel = classified();
      void service.cancel();
    }, 0);
    expect(await codeOf(explaining)).toBe('CANCELLED');
    clearInterval(watch);
    expect(atCancel).toBeGreaterThanOrEqual(100);
    expect(classified() - atCancel).toBeLessThanOrEqual(32);
  });

  it('let a classification of the same text run between two batches', async () => {
    const { service } = await loadedService();
    const order: string[] = [];
    const explaining = service.explain(TEXT, { method: 'lime', numSamples: 2000, faithfulness: false }).then(() => order.push('explanation'));
    await nextTick();
    await service.classify(TEXT);
    order.push('classification');
    await explaining;
    expect(order).toEqual(['classification', 'explanation']);
  });

  it('stop with SUPERSEDED when another model is loaded between two batches', async () => {
    const { service } = await loadedService();
    const explaining = service.explain(TEXT, { method: 'lime', numSamples: 2000 });
    await nextTick();
    await service.load(SENTIMENT, AUTO);
    expect(await codeOf(explaining)).toBe('SUPERSEDED');
  });

  it('reuse the rows an earlier explanation of the same text ran, and count them as the model runs they are', async () => {
    const { service, classified } = await loadedService();
    const preview = await service.explain(TEXT, { method: 'occlusion', faithfulness: false });
    const afterPreview = classified();
    expect(afterPreview).toBe(preview.modelRuns);
    const checked = await service.explain(TEXT, { method: 'occlusion' });
    // Only the faithfulness check's rows were new.
    expect(classified() - afterPreview).toBe(checked.faithfulness!.modelRuns);
    // The method's runs are the same rows, whether run now or before; the check's are counted apart.
    expect(checked.modelRuns).toBe(preview.modelRuns);
    expect(checked.perLabel).toEqual(preview.perLabel);
    // Another text starts afresh.
    const before = classified();
    const other = await service.explain(`${TEXT} extra`, { method: 'occlusion', faithfulness: false });
    expect(classified() - before).toBe(other.modelRuns);
  });
});

describe('the idle warm-up', () => {
  it('settles once enough pieces ran and several in a row are close to the fastest', () => {
    const cold = (n: number) => Array.from({ length: n }, (_, i) => 700 - i * 10);
    const enough = WARM_UP_PLAN.minPieces;
    expect(hasSettled([...cold(enough - 3), 120, 118, 121])).toBe(true);
    expect(hasSettled([...cold(enough - 3), 500, 120, 118])).toBe(false);
    // Too few pieces to tell, however steady: a plateau on the way down looks the same.
    expect(hasSettled([430, 370, 260, 340, 300, 280, 260])).toBe(false);
    expect(hasSettled([120, 118, 121, ...cold(enough)])).toBe(false);
  });

  it('makes pieces of ordinary words, as long as the plan says', () => {
    const texts = warmUpTexts();
    expect(texts).toHaveLength(WARM_UP_PLAN.textsPerPiece);
    expect(texts[0].split(' ')).toHaveLength(WARM_UP_PLAN.wordsPerText);
  });

  it('runs pieces until their time settles, then one full batch, and reports each piece', async () => {
    const times = [...Array.from({ length: WARM_UP_PLAN.minPieces - 3 }, (_, i) => 700 - i * 40), 120, 125, 130, 900];
    let clock = 0;
    const sizes: number[] = [];
    const result = await warmUpModel({
      run: async (texts) => {
        clock += times[sizes.length];
        sizes.push(texts.length);
      },
      batchSize: 32,
      signal: new AbortController().signal,
      now: () => clock,
    });
    expect(result).toMatchObject({ outcome: 'settled', pieces: times.length, pieceMs: times, ms: times.reduce((a, b) => a + b) });
    expect(sizes).toEqual([...Array(times.length - 1).fill(WARM_UP_PLAN.textsPerPiece), 32]);
  });

  it('gives up at the plan’s limit when the time never settles', async () => {
    let clock = 0;
    let piece = 0;
    const result = await warmUpModel({
      run: async () => void (clock += piece++ % 2 ? 100 : 300),
      batchSize: 8,
      signal: new AbortController().signal,
      now: () => clock,
    });
    expect(result).toMatchObject({ outcome: 'limit', pieces: WARM_UP_PLAN.maxPieces + 1 });
  });

  it('runs on the loaded model in the worker and settles', async () => {
    const { service, classified } = await loadedService();
    const result = await service.warmUp();
    expect(result.outcome).toBe('settled');
    expect(classified()).toBe((result.pieces - 1) * WARM_UP_PLAN.textsPerPiece + 32);
  });

  it('stops after the piece running when a classification is asked for, which then runs at once', async () => {
    const { service, classified } = await loadedService({ busyMs: 1 });
    const warming = service.warmUp();
    await nextTick();
    await nextTick();
    const result = await service.classify('sport news');
    expect(result.label).toBe('sport');
    const warmed = await warming;
    expect(warmed.outcome).toBe('interrupted');
    expect(warmed.pieces).toBeLessThan(WARM_UP_PLAN.minPieces);
    // The pieces run, then the classification: nothing after it.
    expect(classified()).toBe(warmed.pieces * WARM_UP_PLAN.textsPerPiece + 1);
  });

  it('stops when another model is loaded', async () => {
    const { service } = await loadedService({ busyMs: 1 });
    const warming = service.warmUp();
    await nextTick();
    await service.load(SENTIMENT, AUTO);
    expect((await warming).outcome).toBe('interrupted');
  });

  it('skips a model on WebGPU, and needs a model', async () => {
    const { service } = await loadedService({ backend: 'webgpu' });
    expect(await service.warmUp()).toEqual({ outcome: 'skipped', pieces: 0, ms: 0, pieceMs: [] });
    const empty = new ClassifierService(fakeDeps().deps);
    expect(await codeOf(empty.warmUp())).toBe('MODEL_NOT_LOADED');
  });
});
