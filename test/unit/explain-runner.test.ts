import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GlassboxError } from '../../src/core/contract/errors';
import type { ExplainOptions, ExplainProgress, Explanation } from '../../src/core/contract/explanation-types';
import { deletionAdvantage } from '../../src/core/explain/faithfulness';
import { hasWords, indexWords } from '../../src/core/explain/words';
import type { ExplainRunnerDeps } from '../../workers/explain/evaluator';
import { runDeletionCurve } from '../../workers/explain/faithfulness';
import { runExplanation } from '../../workers/explain/run';
import { ExplanationSlot } from '../../workers/explain/slot';
import { plantedModel, REVIEW, SENTIMENT } from './helpers/planted-model';

/** Whitespace-free characters of separators count one token each, every word one token. */
function tokenCount(text: string): number {
  const { pieces, pieceFeature } = indexWords(text);
  return pieces.reduce((sum, piece, i) => sum + (pieceFeature[i] >= 0 ? 1 : piece.replace(/\s/g, '').length), 0);
}

function fakeEngine(model: (text: string) => Float32Array, labels = ['negative', 'positive']) {
  const batches: string[][] = [];
  const progress: ExplainProgress[] = [];
  const deps: ExplainRunnerDeps = {
    labels,
    tokenCount,
    batchSize: 16,
    classify: async (texts) => {
      batches.push(texts);
      return texts.map(model);
    },
    onProgress: (p) => progress.push(p),
  };
  return { deps, batches, progress };
}

async function rejection(promise: Promise<unknown>): Promise<GlassboxError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GlassboxError);
  return error as GlassboxError;
}

describe('runExplanation', () => {
  it('explains every label, the predicted one first, with the planted words on top', async () => {
    const { deps } = fakeEngine(SENTIMENT);
    const explanation = await runExplanation(REVIEW, { numSamples: 1000, seed: 3 }, deps);
    const probabilities = SENTIMENT(REVIEW);
    const predicted = probabilities[1] > probabilities[0] ? 1 : 0;
    expect(explanation.labelIndex).toBe(predicted);
    expect(explanation.perLabel.map((l) => l.labelIndex)).toEqual([predicted, 1 - predicted]);
    expect(explanation.label).toBe(deps.labels[predicted]);
    expect(explanation.probability).toBeCloseTo(probabilities[predicted], 6);
    const positive = explanation.perLabel.find((l) => l.label === 'positive')!;
    expect(positive.weights.slice(0, 4).map((w) => `${w.weight > 0 ? '+' : '-'}${w.word}`).sort()).toEqual([
      '+excellent',
      '+superb',
      '-awful',
      '-boring',
    ]);
    expect(positive.weights).toHaveLength(10);
    const magnitudes = positive.weights.map((w) => Math.abs(w.weight));
    expect(magnitudes).toEqual([...magnitudes].sort((a, b) => b - a));
    expect(explanation).toMatchObject({ text: REVIEW, samples: 1000, seed: 3, capped: false });
    expect(explanation.ms).toBeGreaterThanOrEqual(0);
  });

  it('runs each distinct perturbation through the model once', async () => {
    const { deps, batches } = fakeEngine(SENTIMENT);
    const explanation = await runExplanation('a b a c b d', { numSamples: 2000 }, deps);
    const texts = batches.flat();
    // Four distinct words: at most 2^4 - 1 removal patterns plus the whole text.
    expect(texts.length).toBeLessThanOrEqual(16);
    expect(new Set(texts).size).toBe(texts.length);
    expect(explanation.evaluated).toBe(texts.length);
    expect(explanation.samples).toBe(2000);
  });

  it('batches texts in order of token length, at most batchSize per call', async () => {
    const { deps, batches } = fakeEngine(SENTIMENT);
    await runExplanation(REVIEW, { numSamples: 600, faithfulness: false }, deps);
    expect(batches.every((batch) => batch.length <= 16)).toBe(true);
    const lengths = batches.flat().map(tokenCount);
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
  });

  it('sizes each model call by the time the last one took: one text per call on a backend that takes 300 ms a text', async () => {
    const { deps, batches } = fakeEngine(SENTIMENT);
    let clock = 0;
    const slow: ExplainRunnerDeps = {
      ...deps,
      now: () => clock,
      classify: (texts) => {
        clock += 300 * texts.length;
        return deps.classify(texts);
      },
    };
    await runExplanation(REVIEW, { method: 'occlusion', faithfulness: false }, slow);
    expect(batches[0].length).toBe(4);
    expect(batches.slice(1).every((batch) => batch.length === 1)).toBe(true);

    const quick = fakeEngine(SENTIMENT);
    await runExplanation(REVIEW, { numSamples: 600, faithfulness: false }, { ...quick.deps, now: () => 0 });
    expect(quick.batches.slice(0, 4).map((batch) => batch.length)).toEqual([4, 8, 16, 16]);
  });

  it('reports progress in samples, ending at the total', async () => {
    const { deps, progress } = fakeEngine(SENTIMENT);
    await runExplanation(REVIEW, { numSamples: 500, faithfulness: false }, deps);
    expect(progress.length).toBeGreaterThan(5);
    expect(progress.every((p) => p.phase === 'explain' && p.total === 500)).toBe(true);
    const loaded = progress.map((p) => p.loaded);
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
    expect(progress.at(-1)).toEqual({ phase: 'explain', loaded: 500, total: 500, progress: 1 });
  });

  it('stops promptly with CANCELLED when aborted, even mid-batch', async () => {
    const controller = new AbortController();
    let calls = 0;
    const deps: ExplainRunnerDeps = {
      ...fakeEngine(SENTIMENT).deps,
      signal: controller.signal,
      classify: (texts) => {
        calls++;
        if (calls < 3) return Promise.resolve(texts.map(SENTIMENT));
        setTimeout(() => controller.abort(), 20);
        return new Promise<Float32Array[]>(() => {}); // an engine call still running when the abort comes
      },
    };
    const error = await rejection(runExplanation(REVIEW, { numSamples: 1000 }, deps));
    expect(error.code).toBe('CANCELLED');
    expect(calls).toBe(3);
  });

  it('rejects the older explanation with SUPERSEDED when a new text starts', async () => {
    const slot = new ExplanationSlot();
    const { deps } = fakeEngine(SENTIMENT);
    const first = runExplanation(REVIEW, { numSamples: 3000 }, { ...deps, signal: slot.start() });
    const secondSignal = slot.start();
    const second = runExplanation('a fine excellent day', { numSamples: 300 }, { ...deps, signal: secondSignal });
    expect((await rejection(first)).code).toBe('SUPERSEDED');
    expect((await second).text).toBe('a fine excellent day');
    slot.finish(secondSignal);

    const third = runExplanation(REVIEW, { numSamples: 3000 }, { ...deps, signal: slot.start() });
    slot.cancel();
    expect((await rejection(third)).code).toBe('CANCELLED');
  });

  it('adaptive mode stops once the top words are stable and equals a plain run of that many samples', async () => {
    const { deps, progress } = fakeEngine(SENTIMENT);
    const options: ExplainOptions = { numSamples: 5000, seed: 9, numFeatures: 6, faithfulness: false };
    const adaptive = await runExplanation(REVIEW, { ...options, adaptive: { roundSize: 250, stableRounds: 2, topK: 4 } }, deps);
    expect(adaptive.adaptive?.converged).toBe(true);
    expect(adaptive.samples).toBeLessThan(5000);
    expect(adaptive.samples).toBe(250 * adaptive.adaptive!.rounds);
    expect(adaptive.adaptive!.rounds).toBeGreaterThanOrEqual(3);
    expect(progress.at(-1)).toMatchObject({ loaded: adaptive.samples, total: 5000 });

    const plain = await runExplanation(REVIEW, { ...options, numSamples: adaptive.samples }, fakeEngine(SENTIMENT).deps);
    expect(adaptive.perLabel).toEqual(plain.perLabel);
  });

  it('runs all samples when the top words never settle', async () => {
    // A model whose output is noise: the top words keep changing.
    let state = 1;
    const noisy = () => {
      state = (state * 48271) % 2147483647;
      const p = state / 2147483647;
      return Float32Array.from([1 - p, p]);
    };
    const { deps } = fakeEngine(noisy);
    const explanation = await runExplanation(REVIEW, { numSamples: 1000, adaptive: { roundSize: 200, stableRounds: 3 } }, deps);
    expect(explanation.adaptive).toEqual({ rounds: 5, converged: false });
    expect(explanation.samples).toBe(1000);
  });

  it('honours labels and topLabels', async () => {
    const model = plantedModel([{ goal: 2 }, { vote: 2 }, { market: 2 }]);
    const labels = ['sport', 'politics', 'business'];
    const text = 'the goal came before the vote while the market slept';
    const top = await runExplanation(text, { numSamples: 300, topLabels: 1 }, fakeEngine(model, labels).deps);
    expect(top.perLabel.map((l) => l.label)).toEqual([top.label]);
    const chosen = await runExplanation(text, { numSamples: 300, labels: [2, 0] }, fakeEngine(model, labels).deps);
    expect(chosen.perLabel.map((l) => l.label)).toEqual(['business', 'sport']);
    expect(chosen.label).toBe('business');
    expect(chosen.weights[0]).toMatchObject({ word: 'market' });
  });
});

describe('runExplanation on awkward input', () => {
  it('explains a one-word text', async () => {
    const { deps, batches } = fakeEngine(SENTIMENT);
    const explanation = await runExplanation('excellent', { numSamples: 500 }, deps);
    expect(explanation.perLabel.find((l) => l.label === 'positive')!.weights).toEqual([
      { word: 'excellent', weight: expect.any(Number), spread: expect.any(Number) },
    ]);
    expect(explanation.perLabel.find((l) => l.label === 'positive')!.weights[0].weight).toBeGreaterThan(0);
    expect(batches.flat().sort()).toEqual(['', 'excellent']);
    expect(explanation.evaluated).toBe(2);
  });

  it.each([
    ['', 'EMPTY_TEXT', /no text/],
    ['   \n\t', 'EMPTY_TEXT', /no text/],
    ['?! … — :-)', 'BAD_INPUT', /no words/],
  ])('rejects %j with %s', async (text, code, message) => {
    const error = await rejection(runExplanation(text, {}, fakeEngine(SENTIMENT).deps));
    expect(error.code).toBe(code);
    expect(error.detail).toMatch(message);
  });

  it('caps the features of a 5,000-word text and says so', async () => {
    const words = Array.from({ length: 5000 }, (_, i) => `w${(i * 7919) % 1500}`);
    words[10] = 'excellent';
    words[4990] = 'awful';
    words[2500] = 'middle';
    const { deps, batches } = fakeEngine(SENTIMENT);
    const explanation = await runExplanation(words.join(' '), { numSamples: 200, maxFeatures: 100 }, deps);
    expect(explanation).toMatchObject({ capped: true, features: 100, distinctWords: new Set(words).size });
    // Words near both ends are varied (the model keeps a long text's head and tail)...
    const positive = explanation.perLabel.find((l) => l.label === 'positive')!;
    expect(positive.weights.slice(0, 2).map((w) => w.word).sort()).toEqual(['awful', 'excellent']);
    // ...and a word in the middle, beyond the cap, stays in every perturbed text.
    expect(batches.flat().every((text) => text.includes(' middle '))).toBe(true);
  });

  it('treats HTML and script as plain words', async () => {
    const text = '<script>alert("excellent")</script> <img src=x onerror=alert(1)> an <b>awful</b> plan';
    const explanation = await runExplanation(text, { numSamples: 300, numFeatures: 20 }, fakeEngine(SENTIMENT).deps);
    const words = explanation.perLabel[0].weights.map((w) => w.word);
    expect(words.sort()).toEqual(['1', 'alert', 'an', 'awful', 'b', 'excellent', 'img', 'onerror', 'plan', 'script', 'src', 'x']);
    expect(words.every((word) => /^[\p{L}\p{N}_]+$/u.test(word))).toBe(true);
  });

  it('gives an explanation or a clear error for every awkward string', async () => {
    // Read with JSON.parse: the file holds a lone surrogate that Vite's JSON import rejects.
    const awkward: string[] = JSON.parse(readFileSync(new URL('../fixtures/awkward-strings.json', import.meta.url), 'utf8'));
    for (const text of awkward) {
      const outcome = await runExplanation(text, { numSamples: 60 }, fakeEngine(SENTIMENT).deps).catch((e: unknown) => e);
      if (outcome instanceof GlassboxError) {
        expect(['EMPTY_TEXT', 'BAD_INPUT']).toContain(outcome.code);
        expect(hasWords(text)).toBe(false);
      } else {
        const explanation = outcome as Explanation;
        expect(explanation.weights.length).toBeGreaterThan(0);
        for (const { word, weight } of explanation.weights) {
          expect(text).toContain(word);
          expect(Number.isFinite(weight)).toBe(true);
        }
        expect(Number.isFinite(explanation.r2)).toBe(true);
      }
    }
  });

  it.each<[string, ExplainOptions]>([
    ['numSamples', { numSamples: 1 }],
    ['numSamples', { numSamples: 1e6 }],
    ['numFeatures', { numFeatures: 0 }],
    ['labels', { labels: [2] }],
    ['labels or topLabels', { labels: [0], topLabels: 1 }],
    ['topLabels', { topLabels: 3 }],
    ['seed', { seed: 1.5 }],
    ['featureSelection', { featureSelection: 'lasso_path' as never }],
    ['adaptive.roundSize', { adaptive: { roundSize: 0 } }],
  ])('rejects a bad %s with BAD_INPUT naming it', async (name, options) => {
    const error = await rejection(runExplanation(REVIEW, options, fakeEngine(SENTIMENT).deps));
    expect(error.code).toBe('BAD_INPUT');
    expect(error.detail).toContain(name);
  });

  it('says so when the engine returns the wrong shape', async () => {
    const { deps } = fakeEngine(SENTIMENT, ['a', 'b', 'c']);
    const error = await rejection(runExplanation(REVIEW, { numSamples: 50 }, deps));
    expect(error.code).toBe('INTERNAL');
    expect(error.detail).toMatch(/expected 3 probabilities/);
  });
});

describe('runDeletionCurve', () => {
  it('shows LIME’s top words lowering the label more than random words', async () => {
    const model = plantedModel([{}, { excellent: 2, superb: 1.6, moving: 1.2, clever: 1, awful: -2 }]);
    const text = 'An excellent, superb and moving film with a clever script and one awful song in the middle of it.';
    const explanation = await runExplanation(text, { numSamples: 1500, labels: [1] }, fakeEngine(model).deps);
    const { deps, progress } = fakeEngine(model);
    const curve = await runDeletionCurve(text, explanation, { maxK: 4, randomDraws: 10 }, deps);
    expect(curve).toMatchObject({ label: 'positive', labelIndex: 1, words: ['excellent', 'superb', 'moving', 'clever'] });
    for (let k = 1; k <= 4; k++) expect(curve.lime[k]).toBeLessThan(curve.random[k]);
    expect(deletionAdvantage(curve)).toBeGreaterThan(0.1);
    expect(progress.at(-1)?.progress).toBe(1);
  });

  it('rejects a label the model does not have', async () => {
    const error = await rejection(
      runDeletionCurve(REVIEW, { label: 'x', labelIndex: 7, weights: [] }, {}, fakeEngine(SENTIMENT).deps),
    );
    expect(error.code).toBe('BAD_INPUT');
  });
});
