import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { tfjsBackendStarters } from '../../src/engines/tfjs/backend';
import { BertParams, bertLogits } from '../../src/engines/tfjs/bert';
import type { BertConfig } from '../../src/engines/tfjs/bert-config';
import { readBertWeights, type HostTensor } from '../../src/engines/tfjs/weights';
import { nodeTfjsWasmPaths } from '../helpers/tfjs-node';
import { TINY_CONFIG, tinyOnnxWeights } from './helpers/tiny-bert';

// The TF.js forward pass on a tiny model against a plain float64 reference of the same maths,
// on both backends that run in Node.
const weights = readBertWeights(tinyOnnxWeights(), TINY_CONFIG, 'tiny.onnx');
const starters = tfjsBackendStarters(nodeTfjsWasmPaths());

/** Rows of token ids, right-padded with 0 to one length, and their masks. */
const ROWS = [
  [1, 5, 9, 3, 2, 17, 4, 2],
  [1, 6, 2],
  [1, 19, 11, 2, 0, 0],
];

async function tfjsLogits(backend: 'cpu' | 'wasm', rows: number[][], padId = 0): Promise<number[][]> {
  await starters[backend].start();
  const params = new BertParams(new Map([...weights].map(([name, w]) => [name, tf.tensor(w.values, w.shape)])));
  const length = Math.max(...rows.map((r) => r.length));
  const ids = rows.flatMap((r) => [...r, ...new Array<number>(length - r.length).fill(padId)]);
  const mask = rows.flatMap((r) => [...r.map(() => 1), ...new Array<number>(length - r.length).fill(0)]);
  try {
    const logits = tf.tidy(() =>
      bertLogits(params, TINY_CONFIG, tf.tensor2d(ids, [rows.length, length], 'int32'), tf.tensor2d(mask, [rows.length, length], 'float32')),
    );
    const data = await logits.data();
    logits.dispose();
    return rows.map((_, r) => Array.from(data.slice(r * TINY_CONFIG.labels.length, (r + 1) * TINY_CONFIG.labels.length)));
  } finally {
    params.dispose();
  }
}

/** Abramowitz & Stegun 7.1.26: |error| < 1.5e-7, far below what these comparisons resolve. */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return Math.sign(x) * (1 - poly * Math.exp(-x * x));
}

/** BERT written out with loops in float64, one unpadded row at a time. */
function referenceLogits(ids: number[], c: BertConfig, w: Map<string, HostTensor>): number[] {
  const get = (name: string) => w.get(name)?.values ?? new Float32Array();
  const h = c.hiddenSize;
  const linear = (x: number[][], name: string) => {
    const weight = get(`${name}.weight`);
    const bias = get(`${name}.bias`);
    const out = bias.length;
    return x.map((row) => Array.from({ length: out }, (_, j) => row.reduce((sum, v, i) => sum + v * weight[i * out + j], bias[j])));
  };
  const layerNorm = (x: number[][], name: string) =>
    x.map((row) => {
      const mean = row.reduce((a, b) => a + b, 0) / row.length;
      const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / row.length;
      return row.map((v, i) => ((v - mean) / Math.sqrt(variance + c.layerNormEps)) * get(`${name}.weight`)[i] + get(`${name}.bias`)[i]);
    });
  const add = (a: number[][], b: number[][]) => a.map((row, i) => row.map((v, j) => v + b[i][j]));
  let x = layerNorm(
    ids.map((id, p) =>
      Array.from({ length: h }, (_, j) => get('bert.embeddings.word_embeddings.weight')[id * h + j] + get('bert.embeddings.position_embeddings.weight')[p * h + j] + get('bert.embeddings.token_type_embeddings.weight')[j]),
    ),
    'bert.embeddings.LayerNorm',
  );
  for (let l = 0; l < c.numLayers; l++) {
    const p = `bert.encoder.layer.${l}`;
    const [q, k, v] = ['query', 'key', 'value'].map((n) => linear(x, `${p}.attention.self.${n}`));
    const context = x.map(() => new Array<number>(h).fill(0));
    for (let head = 0; head < c.numHeads; head++) {
      const slice = (m: number[][], t: number) => m[t].slice(head * c.headSize, (head + 1) * c.headSize);
      for (let t = 0; t < ids.length; t++) {
        const scores = ids.map((_, s) => slice(q, t).reduce((sum, value, i) => sum + value * slice(k, s)[i], 0) / Math.sqrt(c.headSize));
        const top = Math.max(...scores);
        const exps = scores.map((s) => Math.exp(s - top));
        const total = exps.reduce((a, b) => a + b, 0);
        for (let s = 0; s < ids.length; s++) slice(v, s).forEach((value, i) => (context[t][head * c.headSize + i] += (exps[s] / total) * value));
      }
    }
    const attended = layerNorm(add(linear(context, `${p}.attention.output.dense`), x), `${p}.attention.output.LayerNorm`);
    const intermediate = linear(attended, `${p}.intermediate.dense`).map((row) => row.map((v) => 0.5 * v * (1 + erf(v / Math.SQRT2))));
    x = layerNorm(add(linear(intermediate, `${p}.output.dense`), attended), `${p}.output.LayerNorm`);
  }
  const pooled = linear([x[0]], 'bert.pooler.dense')[0].map(Math.tanh);
  return linear([pooled], 'classifier')[0];
}

describe('bertLogits', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`on ${backend} matches a float64 reference, padded rows included`, async () => {
      const logits = await tfjsLogits(backend, ROWS);
      ROWS.forEach((row, r) => {
        const reference = referenceLogits(row, TINY_CONFIG, weights);
        reference.forEach((value, j) => expect(logits[r][j]).toBeCloseTo(value, 5));
      });
    });
  }

  it('ignores what padding holds: the mask hides it', async () => {
    const zeros = await tfjsLogits('wasm', ROWS, 0);
    const others = await tfjsLogits('wasm', ROWS, 13);
    zeros.forEach((row, r) => row.forEach((value, j) => expect(others[r][j]).toBeCloseTo(value, 6)));
  });

  it('refuses a batch longer than the position table', async () => {
    await expect(tfjsLogits('cpu', [Array.from({ length: TINY_CONFIG.maxPositions + 1 }, () => 1)])).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/longer than the model's 12 positions/),
    });
  });
});
