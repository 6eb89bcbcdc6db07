import { GlassboxError } from '../contract/errors';
import type { ClassificationMetrics, LabelMetrics } from '../contract/batch-types';

/**
 * Classification metrics from a confusion matrix, with scikit-learn's definitions so that numbers
 * shown in the page can be checked against Python: a precision with no predictions, a recall with
 * no true rows and an F1 with both zero count as 0 (its zero_division default), and macro averages
 * are taken over the labels that occur as a true or a predicted label (what scikit-learn does when
 * it is not given `labels`), so a label absent from a test file does not drag the average down.
 */

/** Counts (true, predicted) pairs one at a time, so a long file never holds its predictions. */
export class ConfusionCounter {
  private readonly counts: number[][];

  constructor(readonly labelCount: number) {
    if (!Number.isInteger(labelCount) || labelCount < 1) {
      throw new GlassboxError('BAD_INPUT', `A confusion matrix needs at least one label, got ${labelCount}.`);
    }
    this.counts = Array.from({ length: labelCount }, () => new Array<number>(labelCount).fill(0));
  }

  add(trueIndex: number, predictedIndex: number): void {
    this.checkIndex(trueIndex, 'true');
    this.checkIndex(predictedIndex, 'predicted');
    this.counts[trueIndex][predictedIndex] += 1;
  }

  get total(): number {
    return this.counts.reduce((sum, row) => sum + row.reduce((a, b) => a + b, 0), 0);
  }

  matrix(): number[][] {
    return this.counts.map((row) => row.slice());
  }

  private checkIndex(index: number, which: string): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.labelCount) {
      throw new GlassboxError('BAD_INPUT', `The ${which} label index ${index} is outside 0..${this.labelCount - 1}.`);
    }
  }
}

export function confusionMatrix(labelCount: number, truth: ArrayLike<number>, predicted: ArrayLike<number>): number[][] {
  if (truth.length !== predicted.length) {
    throw new GlassboxError('BAD_INPUT', `There are ${truth.length} true labels but ${predicted.length} predictions; they must pair up.`);
  }
  const counter = new ConfusionCounter(labelCount);
  for (let i = 0; i < truth.length; i++) counter.add(truth[i], predicted[i]);
  return counter.matrix();
}

export function classificationMetrics(labels: readonly string[], truth: ArrayLike<number>, predicted: ArrayLike<number>): ClassificationMetrics {
  return metricsFromConfusion(labels, confusionMatrix(labels.length, truth, predicted));
}

export function metricsFromConfusion(labels: readonly string[], matrix: readonly (readonly number[])[]): ClassificationMetrics {
  checkMatrix(labels, matrix);
  const support = matrix.map((row) => row.reduce((a, b) => a + b, 0));
  const predicted = labels.map((_, j) => matrix.reduce((sum, row) => sum + row[j], 0));
  const count = support.reduce((a, b) => a + b, 0);
  if (count === 0) throw new GlassboxError('BAD_INPUT', 'There are no scored rows: metrics need at least one row with a known true label.');
  const correct = labels.reduce((sum, _, i) => sum + matrix[i][i], 0);

  const perClass = labels.map((label, i): LabelMetrics => {
    const precision = ratio(matrix[i][i], predicted[i]);
    const recall = ratio(matrix[i][i], support[i]);
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, precision, recall, f1, support: support[i], predicted: predicted[i] };
  });
  const averaged = perClass.filter((_, i) => support[i] > 0 || predicted[i] > 0);
  const mean = (pick: (m: LabelMetrics) => number) => averaged.reduce((sum, m) => sum + pick(m), 0) / averaged.length;

  return {
    labels: [...labels],
    count,
    correct,
    accuracy: correct / count,
    macroPrecision: mean((m) => m.precision),
    macroRecall: mean((m) => m.recall),
    macroF1: mean((m) => m.f1),
    averagedLabels: averaged.map((m) => m.label),
    perClass,
    confusionMatrix: matrix.map((row) => row.slice()),
  };
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

function checkMatrix(labels: readonly string[], matrix: readonly (readonly number[])[]): void {
  const n = labels.length;
  if (n === 0) throw new GlassboxError('BAD_INPUT', 'Metrics need at least one label.');
  if (matrix.length !== n || matrix.some((row) => row.length !== n)) {
    throw new GlassboxError('BAD_INPUT', `The confusion matrix must be ${n} x ${n}, one row and one column per label.`);
  }
  if (matrix.some((row) => row.some((cell) => !Number.isInteger(cell) || cell < 0))) {
    throw new GlassboxError('BAD_INPUT', 'A confusion matrix holds counts: whole numbers of 0 or more.');
  }
}
