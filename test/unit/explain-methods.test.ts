import { describe, expect, it } from 'vitest';
import { aopcFromScores, aopcPlanRows, AOPC_RUN_BUDGET, binCounts, planAopc, rankFeatures } from '../../src/core/explain/aopc';
import { GlassboxError } from '../../src/core/contract/errors';
import type { ExplainMethod } from '../../src/core/contract/explanation-types';
import { occlusionRows, occlusionWeights } from '../../src/core/explain/occlusion';
import { bootstrapSpread, topKAgreement } from '../../src/core/explain/stability';
import type { ExplainRunnerDeps } from '../../workers/explain/evaluator';
import { runExplanation } from '../../workers/explain/run';
import { REVIEW, SENTIMENT } from './helpers/planted-model';

function deps(model = SENTIMENT): ExplainRunnerDeps & { texts: string[] } {
  const texts: string[] = [];
  return {
    texts,
    labels: ['negative', 'positive'],
    tokenCount: (piece) => piece.split(/\s+/).filter(Boolean).length,
    classify: async (batch) => {
      texts.push(...batch);
      return batch.map(model);
    },
  };
}

async function failure(promise: Promise<unknown>): Promise<GlassboxError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(GlassboxError);
  return error as GlassboxError;
}

describe('occlusion', () => {
  it('removes each word once after the whole text, and weighs it by the drop it causes', () => {
    const rows = occlusionRows(3);
    expect(Array.from(rows.data)).toEqual([1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0]);
    expect(Array.from(occlusionWeights([0.9, 0.5, 0.95, 0.9], 3))).toEqual([0.9 - 0.5, 0.9 - 0.95, 0]);
  });

  it('explains with n + 1 model runs and finds the planted words', async () => {
    const d = deps();
    const explanation = await runExplanation(REVIEW, { method: 'occlusion', labels: [1], faithfulness: false }, d);
    expect(explanation.method).toBe('occlusion');
    expect(explanation.modelRuns).toBe(explanation.features + 1);
    expect(explanation.weights.slice(0, 4).map((w) => `${w.weight > 0 ? '+' : '-'}${w.word}`).sort()).toEqual(['+excellent', '+superb', '-awful', '-boring']);
    expect(explanation.stability).toBeUndefined();
    expect(explanation.r2).toBeUndefined();
  });

  it('caps a 5,000-word text at maxFeatures words and says so', async () => {
    const text = Array.from({ length: 5000 }, (_, i) => `w${i}`).join(' ');
    const explanation = await runExplanation(text, { method: 'occlusion', faithfulness: false }, deps());
    expect(explanation).toMatchObject({ capped: true, features: 300, distinctWords: 5000, modelRuns: 301 });
  });
});

describe('faithfulness (ERASER AOPC)', () => {
  it('bins 1, 5, 10, 20 and 50% of the words, at least one each', () => {
    expect(binCounts(100)).toEqual([1, 5, 10, 20, 50]);
    expect(binCounts(3)).toEqual([1, 1, 1, 1, 2]);
    expect(binCounts(1)).toEqual([1, 1, 1, 1, 1]);
  });

  it('ranks the most supportive words first and the most opposing last', () => {
    expect(rankFeatures([0.1, -0.5, 0, 0.7, 0])).toEqual([3, 0, 2, 4, 1]);
  });

  it('stays within the run budget once identical rows are merged, fitting more random rankings into short texts', () => {
    for (const features of [1, 2, 5, 20, 70, 300]) {
      const plan = planAopc(rankFeatures(new Float64Array(features)), 1);
      const distinct = new Set<string>();
      for (let r = 1; r < plan.perturbations.rows; r++) distinct.add(plan.perturbations.data.subarray(r * features, (r + 1) * features).join(''));
      expect(distinct.size).toBeLessThanOrEqual(AOPC_RUN_BUDGET);
      expect(plan.perturbations.rows).toBe(aopcPlanRows(features));
    }
    expect(planAopc([0, 1, 2, 3, 4], 0).randomRankings).toBeGreaterThan(planAopc(rankFeatures(new Float64Array(100)), 0).randomRankings);
  });

  it('scores a ranking that follows the planted words above a random one', () => {
    // The label's probability is the share of the first three words still present.
    const features = 30;
    const truth = (kept: ArrayLike<number>) => (kept[0] + kept[1] + kept[2]) / 3;
    const plan = planAopc(Array.from({ length: features }, (_, i) => i), 3);
    const { data } = plan.perturbations;
    const scores = Array.from({ length: plan.perturbations.rows }, (_, r) => truth(data.subarray(r * features, (r + 1) * features)));
    const result = aopcFromScores(plan, scores);
    expect(result.comprehensiveness.aopc).toBeGreaterThan(result.comprehensiveness.random);
    expect(result.sufficiency.aopc).toBeLessThan(result.sufficiency.random);
    // Bins keep 1, 2, 3, 6, 15 of the true words' order: comprehensiveness is the removed share of the three.
    expect(result.comprehensiveness.aopc).toBeCloseTo((1 / 3 + 2 / 3 + 1 + 1 + 1) / 5, 9);
  });
});

describe('stability', () => {
  it('top-k agreement counts shared words among the k largest |weight|', () => {
    const a = [{ word: 'x', weight: 3 }, { word: 'y', weight: -2 }, { word: 'z', weight: 1 }];
    const b = [{ word: 'z', weight: -5 }, { word: 'x', weight: 0.1 }, { word: 'y', weight: 0.05 }];
    expect(topKAgreement(a, b, 1)).toBe(0);
    expect(topKAgreement(a, b, 2)).toBe(0.5);
    expect(topKAgreement(a, b, 3)).toBe(1);
    expect(topKAgreement(a, a, 2)).toBe(1);
  });

  it('a bootstrap of a statistic that ignores the resample has no spread; of a mean it has the textbook one', () => {
    expect(Array.from(bootstrapSpread(50, 1, () => [2, 3]))).toEqual([0, 0]);
    const values = Array.from({ length: 400 }, (_, i) => (i % 2 === 0 ? 1 : -1));
    const [spread] = bootstrapSpread(400, 2, (m) => [m.reduce((sum, count, i) => sum + count * values[i], 0) / 400], 400);
    expect(spread).toBeGreaterThan(0.04);
    expect(spread).toBeLessThan(0.06);
  });
});

describe('runExplanation, every method', () => {
  const METHODS: ExplainMethod[] = ['occlusion', 'lime', 'kernelshap'];

  for (const method of METHODS) {
    it(`${method}: says what it is, how many runs it took, and how faithful it is`, async () => {
      const d = deps();
      const explanation = await runExplanation(REVIEW, { method, numSamples: 300, labels: [1], seed: 2 }, d);
      expect(explanation.method).toBe(method);
      expect(explanation.modelRuns).toBeGreaterThan(0);
      expect(explanation.faithfulness!.modelRuns).toBeLessThanOrEqual(AOPC_RUN_BUDGET);
      expect(new Set(d.texts).size).toBe(explanation.modelRuns + explanation.faithfulness!.modelRuns);
      expect(explanation.comprehensiveness!.aopc).toBeGreaterThan(explanation.comprehensiveness!.random);
      expect(explanation.faithfulness!.betterThanRandom).toBe(true);
      if (method !== 'occlusion') {
        expect(explanation.stability!.topKAgreement).toBeGreaterThanOrEqual(0);
        expect(explanation.weights.every((w) => typeof w.spread === 'number' && w.spread >= 0)).toBe(true);
      }
    });

    it(`${method}: a one-word text gets its one word`, async () => {
      const explanation = await runExplanation('excellent', { method, labels: [1], numSamples: 50 }, deps());
      expect(explanation.weights.map((w) => w.word)).toEqual(['excellent']);
      expect(explanation.weights[0].weight).toBeGreaterThan(0);
    });

    it(`${method}: HTML in the text is a word like any other, never markup`, async () => {
      const text = '<img src=x onerror=alert(1)> excellent <script>boring()</script>';
      const explanation = await runExplanation(text, { method, labels: [1], numSamples: 60 }, deps());
      expect(explanation.text).toBe(text);
      expect(explanation.weights.map((w) => w.word)).toContain('script');
    });
  }

  it('kernelshap reports the agreement of its two halves and a spread per word from the pairs drawn', async () => {
    const explanation = await runExplanation(REVIEW, { method: 'kernelshap', numSamples: 400, labels: [1], faithfulness: false }, deps());
    expect(explanation.modelRuns).toBeLessThanOrEqual(400);
    expect(explanation.stability).toMatchObject({ k: 5, bootstrapDraws: 40 });
    expect(explanation.weights.some((w) => w.spread! > 0)).toBe(true);
  });

  it('adaptive kernelshap stops when its top words settle and reports the runs used', async () => {
    const explanation = await runExplanation(REVIEW, { method: 'kernelshap', numSamples: 5000, labels: [1], adaptive: { roundSize: 100, stableRounds: 2 }, faithfulness: false }, deps());
    expect(explanation.adaptive!.converged).toBe(true);
    expect(explanation.modelRuns).toBeLessThan(5000);
  });

  it('refuses an unknown method, and a text without words, with BAD_INPUT', async () => {
    const unknown = await failure(runExplanation(REVIEW, { method: 'shapley' as ExplainMethod }, deps()));
    expect(unknown.code).toBe('BAD_INPUT');
    expect(unknown.message).toContain('occlusion, lime, kernelshap, gradient');
    expect((await failure(runExplanation('!!! ... ???', { method: 'occlusion' }, deps()))).code).toBe('BAD_INPUT');
    expect((await failure(runExplanation(REVIEW, { faithfulness: 'yes' as unknown as boolean }, deps()))).code).toBe('BAD_INPUT');
    expect((await failure(runExplanation(REVIEW, { method: 'gradient', gradient: { steps: 0 } }, deps()))).code).toBe('BAD_INPUT');
  });

  it('gradient without an engine that takes gradients is BACKEND_UNAVAILABLE, saying which methods work', async () => {
    const error = await failure(runExplanation(REVIEW, { method: 'gradient' }, deps()));
    expect(error.code).toBe('BACKEND_UNAVAILABLE');
    expect(error.message).toMatch(/TF\.js/);
  });

  it('gradient sums each word\'s pieces, every occurrence, and reports completeness', async () => {
    const d = deps();
    const explanation = await runExplanation('good, very good day', { method: 'gradient', faithfulness: false }, {
      ...d,
      attributions: async (pieces) => ({
        perPiece: Float64Array.from(pieces, (piece) => (piece === 'good' ? 0.25 : piece === ', ' ? 0.01 : 0.05)),
        total: 0.25 * 2 + 0.01 + 0.05 * 2 + 0.02,
        full: 0.9,
        baseline: 0.3,
        engine: 'tfjs',
        backend: 'cpu',
      }),
    });
    expect(explanation.weights[0]).toEqual({ word: 'good', weight: 0.5 });
    expect(explanation.gradient).toMatchObject({ variant: 'integrated', steps: 20, baseline: 'pad', engine: 'tfjs', backend: 'cpu' });
    expect(explanation.gradient!.completenessError).toBeCloseTo(Math.abs(0.63 - 0.6), 9);
  });
});
