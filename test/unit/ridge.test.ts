import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/core/explain/random';
import { fitRidge, weightedDesign, weightedTarget, type DenseMatrix } from '../../src/core/explain/ridge';

/**
 * Closed form, derived independently of ridge.ts's centring: minimise
 * sum_i w_i (y_i - b0 - x_i.b)^2 + alpha |b|^2 over [b0, b] by solving the augmented normal
 * equations (Z'WZ + alpha D) beta = Z'Wy, Z = [1 X], D = diag(0, 1, ..., 1), by Gaussian elimination.
 */
function closedForm(x: DenseMatrix, y: number[], w: number[], alpha: number) {
  const p = x.cols + 1;
  const z = (r: number, c: number) => (c === 0 ? 1 : Number(x.data[r * x.cols + c - 1]));
  const m = Array.from({ length: p }, (_, i) =>
    Array.from({ length: p + 1 }, (_, j) => {
      let sum = 0;
      for (let r = 0; r < x.rows; r++) sum += w[r] * z(r, i) * (j === p ? y[r] : z(r, j));
      return sum + (i === j && i > 0 ? alpha : 0);
    }),
  );
  for (let col = 0; col < p; col++) {
    let pivot = col;
    for (let r = col + 1; r < p; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    for (let r = 0; r < p; r++) {
      if (r === col) continue;
      const f = m[r][col] / m[col][col];
      for (let c = col; c <= p; c++) m[r][c] -= f * m[col][c];
    }
  }
  const beta = m.map((row, i) => row[p] / row[i]);
  const predict = (r: number) => beta.reduce((sum, b, c) => sum + b * z(r, c), 0);
  const totalWeight = w.reduce((a, b) => a + b, 0);
  const mean = y.reduce((sum, v, r) => sum + w[r] * v, 0) / totalWeight;
  let residual = 0;
  let total = 0;
  for (let r = 0; r < x.rows; r++) {
    residual += w[r] * (y[r] - predict(r)) ** 2;
    total += w[r] * (y[r] - mean) ** 2;
  }
  return { intercept: beta[0], coef: beta.slice(1), r2: 1 - residual / total };
}

function problem(seed: number, rows: number, cols: number, binary: boolean) {
  const random = createRandom(seed);
  const data = Array.from({ length: rows * cols }, () => (binary ? (random() < 0.5 ? 0 : 1) : random() * 4 - 2));
  const x: DenseMatrix = { rows, cols, data };
  const truth = Array.from({ length: cols }, () => random() * 2 - 1);
  const y = Array.from({ length: rows }, (_, r) =>
    truth.reduce((sum, b, c) => sum + b * data[r * cols + c], 0.3) + (random() - 0.5) * 0.2,
  );
  const w = Array.from({ length: rows }, () => 0.05 + random());
  return { x, y, w };
}

describe('weighted ridge', () => {
  it.each([
    ['real-valued', 1, false, 1],
    ['0/1 like LIME', 2, true, 1],
    ['light penalty', 3, true, 0.01],
    ['least squares', 4, false, 0],
  ])('matches the closed form to 1e-6 (%s)', (_name, seed, binary, alpha) => {
    const { x, y, w } = problem(seed, 120, 6, binary);
    const design = weightedDesign(x, w);
    const fit = fitRidge(design, weightedTarget(design, x, y, w), [0, 1, 2, 3, 4, 5], alpha);
    const expected = closedForm(x, y, w, alpha);
    expect(fit.intercept).toBeCloseTo(expected.intercept, 6);
    fit.coef.forEach((c, i) => expect(c).toBeCloseTo(expected.coef[i], 6));
    expect(fit.r2).toBeCloseTo(expected.r2, 6);
  });

  it('fits a subset of columns, in the order asked, as if only they existed', () => {
    const { x, y, w } = problem(5, 80, 5, true);
    const design = weightedDesign(x, w);
    const fit = fitRidge(design, weightedTarget(design, x, y, w), [3, 1], 1);
    const sub: DenseMatrix = {
      rows: x.rows,
      cols: 2,
      data: Array.from({ length: x.rows * 2 }, (_, i) => Number(x.data[Math.floor(i / 2) * 5 + (i % 2 === 0 ? 3 : 1)])),
    };
    const expected = closedForm(sub, y, w, 1);
    expect(Array.from(fit.coef)).toEqual(expected.coef.map((c) => expect.closeTo(c, 9)));
    expect(fit.intercept).toBeCloseTo(expected.intercept, 9);
  });

  it('gives the least-squares R^2 when columns are collinear and alpha is 0', () => {
    const { x, y, w } = problem(6, 60, 2, true);
    // Third column duplicates the first: the plain normal equations are singular.
    const data = Array.from({ length: 60 * 3 }, (_, i) => Number(x.data[Math.floor(i / 3) * 2 + (i % 3 === 2 ? 0 : i % 3)]));
    const wide: DenseMatrix = { rows: 60, cols: 3, data };
    const design = weightedDesign(wide, w);
    const fit = fitRidge(design, weightedTarget(design, wide, y, w), [0, 1, 2], 0);
    expect(fit.r2).toBeCloseTo(closedForm(x, y, w, 0).r2, 6);
  });

  it('scores a constant target as a perfect fit, as scikit-learn does', () => {
    const { x, w } = problem(7, 30, 3, true);
    const y = new Array(30).fill(0.25);
    const design = weightedDesign(x, w);
    const fit = fitRidge(design, weightedTarget(design, x, y, w), [0, 1, 2], 1);
    expect(fit.r2).toBe(1);
    expect(fit.intercept).toBe(0.25);
    expect(Array.from(fit.coef)).toEqual([0, 0, 0]);
  });
});
