/**
 * Weighted ridge regression with an unpenalised intercept, and its weighted R^2, as scikit-learn's
 * Ridge(alpha, fit_intercept=True).fit(X, y, sample_weight=w).score(X, y, sample_weight=w).
 *
 * Like scikit-learn, it centres X and y on their weighted means and solves the normal equations
 * (Xc' W Xc + alpha I) b = Xc' W yc. The centred weighted Gram matrix depends only on X and w, so it
 * is computed once and shared by every fit on the same rows: each label, and each of the many
 * candidate feature subsets that forward selection tries.
 */

export interface DenseMatrix {
  rows: number;
  cols: number;
  /** Row-major, rows * cols values. */
  data: ArrayLike<number>;
}

/** Weighted statistics of the design matrix: everything a fit needs from X. */
export interface WeightedDesign {
  cols: number;
  totalWeight: number;
  /** Weighted column means. */
  means: Float64Array;
  /** Centred weighted Gram matrix sum_i w_i (x_i - means)(x_i - means)', cols * cols, row-major. */
  gram: Float64Array;
}

/** Weighted statistics of one target column against the design. */
export interface WeightedTarget {
  mean: number;
  /** sum_i w_i (x_i - means) (y_i - mean) */
  xy: Float64Array;
  /** sum_i w_i (y_i - mean)^2 */
  yy: number;
}

export interface RidgeFit {
  /** One coefficient per requested feature, in the order requested. */
  coef: Float64Array;
  intercept: number;
  /** Weighted R^2 on the fitted data. */
  r2: number;
}

export function weightedDesign(x: DenseMatrix, weights: ArrayLike<number>): WeightedDesign {
  const { rows, cols, data } = x;
  const sums = new Float64Array(cols);
  const raw = new Float64Array(cols * cols);
  const nonzero = new Int32Array(cols);
  let totalWeight = 0;
  for (let r = 0; r < rows; r++) {
    const w = weights[r];
    if (w === 0) continue;
    totalWeight += w;
    // Raw moments over the non-zero entries only: LIME rows are 0/1 and about half zeros.
    const offset = r * cols;
    let count = 0;
    for (let c = 0; c < cols; c++) if (data[offset + c] !== 0) nonzero[count++] = c;
    for (let a = 0; a < count; a++) {
      const ca = nonzero[a];
      const wa = w * data[offset + ca];
      sums[ca] += wa;
      const rowStart = ca * cols;
      for (let b = a; b < count; b++) raw[rowStart + nonzero[b]] += wa * data[offset + nonzero[b]];
    }
  }
  if (!(totalWeight > 0)) throw new RangeError('weighted ridge needs a positive total sample weight');
  const means = sums.map((s) => s / totalWeight);
  const gram = new Float64Array(cols * cols);
  for (let a = 0; a < cols; a++) {
    for (let b = a; b < cols; b++) {
      const centred = raw[a * cols + b] - totalWeight * means[a] * means[b];
      gram[a * cols + b] = centred;
      gram[b * cols + a] = centred;
    }
  }
  return { cols, totalWeight, means, gram };
}

export function weightedTarget(
  design: WeightedDesign,
  x: DenseMatrix,
  y: ArrayLike<number>,
  weights: ArrayLike<number>,
): WeightedTarget {
  const { rows, cols, data } = x;
  let weightedSum = 0;
  for (let r = 0; r < rows; r++) weightedSum += weights[r] * y[r];
  const mean = weightedSum / design.totalWeight;
  const xy = new Float64Array(cols);
  let yy = 0;
  for (let r = 0; r < rows; r++) {
    const wy = weights[r] * (y[r] - mean);
    if (wy === 0) continue;
    yy += wy * (y[r] - mean);
    const offset = r * cols;
    for (let c = 0; c < cols; c++) if (data[offset + c] !== 0) xy[c] += wy * data[offset + c];
  }
  // Centring X as well subtracts means[c] * sum_r wy_r, and sum_r wy_r is zero by construction.
  return { mean, xy, yy };
}

/** Fits the ridge on the given feature columns (in that order). */
export function fitRidge(
  design: WeightedDesign,
  target: WeightedTarget,
  features: readonly number[],
  alpha: number,
): RidgeFit {
  const k = features.length;
  const { gram, cols, means } = design;
  const a = new Float64Array(k * k);
  const b = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    b[i] = target.xy[features[i]];
    for (let j = 0; j < k; j++) a[i * k + j] = gram[features[i] * cols + features[j]];
  }
  const coef = solveRidgeSystem(a, b, k, alpha);

  let intercept = target.mean;
  // Weighted residual sum of squares, expanded: yy - 2 coef.b + coef' G coef (G without alpha).
  let residual = target.yy;
  for (let i = 0; i < k; i++) {
    intercept -= means[features[i]] * coef[i];
    let gCoef = 0;
    for (let j = 0; j < k; j++) gCoef += a[i * k + j] * coef[j];
    residual += coef[i] * (gCoef - 2 * b[i]);
  }
  return { coef, intercept, r2: weightedR2(residual, target.yy) };
}

/** scikit-learn's r2_score conventions, including a constant target. */
function weightedR2(residual: number, total: number): number {
  if (total === 0) return residual === 0 ? 1 : 0;
  return 1 - Math.max(residual, 0) / total;
}

/**
 * Solves (A + alpha I) x = b for symmetric positive semi-definite A by Cholesky. With alpha 0 and
 * collinear columns (forward selection's plain least squares) the system is singular; then a
 * vanishing ridge is added. Forward selection only reads R^2, and the fitted values (hence R^2) of
 * any least-squares solution are the same, which is what scikit-learn's SVD fallback computes.
 */
export function solveRidgeSystem(a: Float64Array, b: Float64Array, k: number, alpha: number): Float64Array {
  const solved = choleskySolve(a, b, k, alpha);
  if (solved) return solved;
  let trace = 0;
  for (let i = 0; i < k; i++) trace += a[i * k + i];
  const jitter = Math.max(alpha, 1e-10 * (trace / Math.max(k, 1) || 1));
  return choleskySolve(a, b, k, jitter) ?? new Float64Array(k);
}

/** Returns null when A + alpha I is not numerically positive definite. */
function choleskySolve(a: Float64Array, b: Float64Array, k: number, alpha: number): Float64Array | null {
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * k + j] + (i === j ? alpha : 0);
      for (let p = 0; p < j; p++) sum -= l[i * k + p] * l[j * k + p];
      if (i === j) {
        const scale = a[i * k + i] + alpha;
        if (!(sum > 1e-12 * Math.max(scale, Number.MIN_VALUE))) return null;
        l[i * k + i] = Math.sqrt(sum);
      } else {
        l[i * k + j] = sum / l[j * k + j];
      }
    }
  }
  const x = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let sum = b[i];
    for (let p = 0; p < i; p++) sum -= l[i * k + p] * x[p];
    x[i] = sum / l[i * k + i];
  }
  for (let i = k - 1; i >= 0; i--) {
    let sum = x[i];
    for (let p = i + 1; p < k; p++) sum -= l[p * k + i] * x[p];
    x[i] = sum / l[i * k + i];
  }
  return x;
}
