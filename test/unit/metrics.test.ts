import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classificationMetrics, ConfusionCounter, confusionMatrix, metricsFromConfusion } from '../../src/core/batch/metrics';
import { codeOf } from './helpers/error-code';

interface ReferenceCase {
  name: string;
  labels: string[];
  true: number[];
  predicted: number[];
  accuracy: number;
  macroPrecision: number;
  macroRecall: number;
  macroF1: number;
  precision: number[];
  recall: number[];
  f1: number[];
  support: number[];
  confusionMatrix: number[][];
}

const reference = JSON.parse(readFileSync(resolve(import.meta.dirname, '../fixtures/metrics-reference.json'), 'utf8')) as { cases: ReferenceCase[] };

describe('classification metrics', () => {
  it('match a hand computation', () => {
    // true a a b b c, predicted a b b b a: a is right 1 of 2 and predicted twice, b right 2 of 2
    // and predicted 3 times, c never right and never predicted.
    const m = classificationMetrics(['a', 'b', 'c'], [0, 0, 1, 1, 2], [0, 1, 1, 1, 0]);
    expect(m.confusionMatrix).toEqual([
      [1, 1, 0],
      [0, 2, 0],
      [1, 0, 0],
    ]);
    expect(m.count).toBe(5);
    expect(m.correct).toBe(3);
    expect(m.accuracy).toBeCloseTo(3 / 5, 12);
    expect(m.perClass.map((c) => c.precision)).toEqual([1 / 2, 2 / 3, 0]);
    expect(m.perClass.map((c) => c.recall)).toEqual([1 / 2, 1, 0]);
    expect(m.perClass[0].f1).toBeCloseTo(0.5, 12);
    expect(m.perClass[1].f1).toBeCloseTo((2 * (2 / 3)) / (2 / 3 + 1), 12);
    expect(m.perClass[2].f1).toBe(0);
    expect(m.perClass.map((c) => [c.support, c.predicted])).toEqual([
      [2, 2],
      [2, 3],
      [1, 0],
    ]);
    expect(m.macroF1).toBeCloseTo((0.5 + 0.8 + 0) / 3, 12);
    expect(m.macroPrecision).toBeCloseTo((1 / 2 + 2 / 3 + 0) / 3, 12);
    expect(m.macroRecall).toBeCloseTo((1 / 2 + 1 + 0) / 3, 12);
    expect(m.averagedLabels).toEqual(['a', 'b', 'c']);
  });

  it('leave a label that never occurs out of the macro average, as scikit-learn does', () => {
    const m = classificationMetrics(['a', 'b', 'unused'], [0, 1, 1], [0, 1, 0]);
    expect(m.averagedLabels).toEqual(['a', 'b']);
    expect(m.perClass[2]).toEqual({ label: 'unused', precision: 0, recall: 0, f1: 0, support: 0, predicted: 0 });
    expect(m.macroF1).toBeCloseTo((2 / 3 + 2 / 3) / 2, 12);
  });

  for (const c of reference.cases) {
    it(`match scikit-learn: ${c.name}`, () => {
      const m = classificationMetrics(c.labels, c.true, c.predicted);
      expect(m.confusionMatrix).toEqual(c.confusionMatrix);
      expect(m.accuracy).toBeCloseTo(c.accuracy, 12);
      expect(m.macroF1).toBeCloseTo(c.macroF1, 12);
      expect(m.macroPrecision).toBeCloseTo(c.macroPrecision, 12);
      expect(m.macroRecall).toBeCloseTo(c.macroRecall, 12);
      m.perClass.forEach((perLabel, i) => {
        expect(perLabel.precision).toBeCloseTo(c.precision[i], 12);
        expect(perLabel.recall).toBeCloseTo(c.recall[i], 12);
        expect(perLabel.f1).toBeCloseTo(c.f1[i], 12);
        expect(perLabel.support).toBe(c.support[i]);
      });
    });
  }

  it('count pairs one at a time to the same matrix', () => {
    const { labels, true: truth, predicted } = reference.cases[0];
    const counter = new ConfusionCounter(labels.length);
    truth.forEach((t, i) => counter.add(t, predicted[i]));
    expect(counter.total).toBe(truth.length);
    expect(counter.matrix()).toEqual(confusionMatrix(labels.length, truth, predicted));
    expect(metricsFromConfusion(labels, counter.matrix())).toEqual(classificationMetrics(labels, truth, predicted));
  });

  it('refuse inputs that cannot be scored, with BAD_INPUT', () => {
    expect(codeOf(() => confusionMatrix(2, [0, 1], [0]))).toBe('BAD_INPUT');
    expect(codeOf(() => new ConfusionCounter(2).add(0, 2))).toBe('BAD_INPUT');
    expect(codeOf(() => new ConfusionCounter(0))).toBe('BAD_INPUT');
    expect(codeOf(() => metricsFromConfusion(['a', 'b'], [[1, 0]]))).toBe('BAD_INPUT');
    expect(codeOf(() => metricsFromConfusion(['a'], [[-1]]))).toBe('BAD_INPUT');
    expect(codeOf(() => metricsFromConfusion(['a', 'b'], [[0, 0], [0, 0]]))).toBe('BAD_INPUT');
  });
});
