import { describe, expect, it } from 'vitest';
import {
  deletionAdvantage,
  deletionCurveFromScores,
  planDeletionCurve,
  supportiveWords,
} from '../../src/core/explain/faithfulness';
import { indexWords, removeWords } from '../../src/core/explain/words';
import { explainWithModel, plantedModel } from './helpers/planted-model';

const TEXT =
  'The striker scored a late goal in the derby as the crowd cheered the league leaders, and the coach ' +
  'praised a team that trained hard all season before the vote on the new stadium budget.';
const SPORT = 1;
const MODEL = plantedModel([
  { vote: 1.5, budget: 1 },
  { goal: 2, striker: 1.6, derby: 1.3, league: 1.1, coach: 0.9, season: 0.7, vote: -1 },
]);

function rows(plan: ReturnType<typeof planDeletionCurve>) {
  const { features, data, rows: count } = plan.perturbations;
  return Array.from({ length: count }, (_, r) => data.subarray(r * features, (r + 1) * features));
}

describe('deletion curve', () => {
  it('drops the label faster when deleting LIME’s top words than random words (planted model)', () => {
    const { fits, vocabulary } = explainWithModel(TEXT, MODEL, { numSamples: 2000, seed: 4, numFeatures: 10, labels: [SPORT] });
    const weights = fits[0].weights.map((w) => ({ word: vocabulary[w.feature], weight: w.weight }));
    const ranking = supportiveWords(weights);
    expect(ranking.slice(0, 6)).toEqual(['goal', 'striker', 'derby', 'league', 'coach', 'season']);

    const indexed = indexWords(TEXT);
    const plan = planDeletionCurve(indexed, ranking, { maxK: 6, randomDraws: 20, seed: 1 });
    const scores = rows(plan).map((kept) => MODEL(removeWords(indexed, kept))[SPORT]);
    const curve = deletionCurveFromScores(plan, scores);

    expect(curve.lime[0]).toBeCloseTo(MODEL(TEXT)[SPORT], 6);
    for (let k = 1; k <= 6; k++) {
      expect(curve.lime[k]).toBeLessThan(curve.random[k]);
      expect(curve.lime[k]).toBeLessThan(curve.lime[k - 1]);
    }
    expect(deletionAdvantage(curve)).toBeGreaterThan(0.2);
  });

  it('plans rows that delete exactly LIME’s first k words, then k random distinct words per draw', () => {
    const indexed = indexWords('a b c d e f g h a b');
    const plan = planDeletionCurve(indexed, ['c', 'a', 'zzz', 'f'], { maxK: 5, randomDraws: 3, seed: 2 });
    expect(plan.words).toEqual(['c', 'a', 'f']);
    const all = rows(plan);
    expect(all).toHaveLength(1 + 3 + 3 * 3);
    expect(removeWords(indexed, all[0])).toBe('a b c d e f g h a b');
    expect(removeWords(indexed, all[1])).toBe('a b  d e f g h a b');
    expect(removeWords(indexed, all[3])).toBe(' b  d e  g h  b');
    all.slice(4).forEach((kept, i) => {
      const k = Math.floor(i / 3) + 1;
      expect(kept.reduce((removed, v) => removed + 1 - v, 0)).toBe(k);
    });
  });

  it('averages the random draws for each k', () => {
    const plan = planDeletionCurve(indexWords('x y z'), ['x', 'y'], { maxK: 2, randomDraws: 2 });
    const curve = deletionCurveFromScores(plan, [0.9, 0.5, 0.2, 0.8, 0.6, 0.7, 0.3]);
    expect(curve.lime).toEqual([0.9, 0.5, 0.2]);
    expect(curve.random.map((p) => Number(p.toFixed(10)))).toEqual([0.9, 0.7, 0.5]);
    expect(deletionAdvantage(curve)).toBeCloseTo(0.25, 12);
  });

  it('keeps only words that push towards the label, strongest first', () => {
    const ranking = supportiveWords([
      { word: 'a', weight: -0.5 },
      { word: 'b', weight: 0.1 },
      { word: 'c', weight: 0.4 },
    ]);
    expect(ranking).toEqual(['c', 'b']);
  });
});
