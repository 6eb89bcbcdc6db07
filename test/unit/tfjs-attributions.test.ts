import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributeTokens, type TokenInputs } from '../../src/engines/tfjs/attributions';
import { tfjsBackendStarters } from '../../src/engines/tfjs/backend';
import { BertParams, bertLogitsFromWords, wordEmbeddings } from '../../src/engines/tfjs/bert';
import { readBertWeights } from '../../src/engines/tfjs/weights';
import { nodeTfjsWasmPaths } from '../helpers/tfjs-node';
import { TINY_CONFIG, tinyOnnxWeights } from './helpers/tiny-bert';

// Gradient attributions through the TF.js BERT on a tiny model: Integrated Gradients adds up to
// f(text) - f(baseline), gradient x input equals a finite-difference derivative, and nothing leaks.
const weights = readBertWeights(tinyOnnxWeights(TINY_CONFIG, 11), TINY_CONFIG, 'tiny.onnx');
const INPUTS: TokenInputs = { ids: [1, 5, 9, 3, 17, 4, 2], special: [true, false, false, false, false, false, true], padId: 0 };
let params: BertParams;

/** The label's probability with every text token's embedding moved to baseline + t (text - baseline). */
function probabilityAlong(t: number, label: number, baselineId: number): number {
  return tf.tidy(() => {
    const length = INPUTS.ids.length;
    const text = wordEmbeddings(params, tf.tensor2d(INPUTS.ids.slice(), [1, length], 'int32'));
    const pad = wordEmbeddings(params, tf.fill([1, length], baselineId, 'int32') as tf.Tensor2D);
    const keep = tf.tensor3d(INPUTS.special.map((s) => (s ? 1 : 0)), [1, length, 1]);
    const base = tf.add(tf.mul(text, keep), tf.mul(pad, tf.sub(1, keep)));
    const point = tf.add(base, tf.mul(t, tf.sub(text, base))) as tf.Tensor3D;
    const probabilities = tf.softmax(bertLogitsFromWords(params, TINY_CONFIG, point, tf.ones([1, length]) as tf.Tensor2D));
    return probabilities.dataSync()[label];
  });
}

describe('gradient attributions (TF.js, cpu backend)', () => {
  beforeAll(async () => {
    await tfjsBackendStarters(nodeTfjsWasmPaths()).cpu.start();
    params = new BertParams(new Map([...weights].map(([name, w]) => [name, tf.tensor(w.values, w.shape)])));
  });
  afterAll(() => params.dispose());

  it('Integrated Gradients is complete: the tokens add up to f(text) - f([PAD] baseline)', async () => {
    for (const label of [0, 1, 2]) {
      const result = await attributeTokens(params, TINY_CONFIG, INPUTS, label, { variant: 'integrated', steps: 64, baseline: 'pad' });
      const sum = result.perToken.reduce((a, b) => a + b, 0);
      expect(result.full).toBeCloseTo(probabilityAlong(1, label, 0), 5);
      expect(result.baseline).toBeCloseTo(probabilityAlong(0, label, 0), 5);
      expect(Math.abs(sum - (result.full - result.baseline))).toBeLessThan(2e-3 + 0.01 * Math.abs(result.full - result.baseline));
      // Special tokens keep their embedding in the baseline, so they get nothing.
      expect(result.perToken[0]).toBe(0);
      expect(result.perToken[INPUTS.ids.length - 1]).toBe(0);
    }
  });

  it('gradient x (input - baseline) is the derivative along the line, as finite differences measure it', async () => {
    const result = await attributeTokens(params, TINY_CONFIG, INPUTS, 1, { variant: 'input', steps: 1, baseline: 'pad' });
    const sum = result.perToken.reduce((a, b) => a + b, 0);
    const h = 1e-2;
    const numeric = (probabilityAlong(1 + h, 1, 0) - probabilityAlong(1 - h, 1, 0)) / (2 * h);
    expect(sum).toBeCloseTo(numeric, 3);
  });

  it('a zero baseline differs from the [PAD] one and is complete too', async () => {
    const pad = await attributeTokens(params, TINY_CONFIG, INPUTS, 0, { variant: 'integrated', steps: 32, baseline: 'pad' });
    const zero = await attributeTokens(params, TINY_CONFIG, INPUTS, 0, { variant: 'integrated', steps: 32, baseline: 'zero' });
    expect(Array.from(zero.perToken)).not.toEqual(Array.from(pad.perToken));
    const sum = zero.perToken.reduce((a, b) => a + b, 0);
    expect(Math.abs(sum - (zero.full - zero.baseline))).toBeLessThan(5e-3 + 0.02 * Math.abs(zero.full - zero.baseline));
  });

  it('keeps no tensor beyond the transposed weights it keeps with the model, and those go with it', async () => {
    await attributeTokens(params, TINY_CONFIG, INPUTS, 0, { variant: 'input', steps: 1, baseline: 'pad' });
    const before = tf.memory().numTensors;
    await attributeTokens(params, TINY_CONFIG, INPUTS, 2, { variant: 'integrated', steps: 25, baseline: 'pad' });
    await attributeTokens(params, TINY_CONFIG, INPUTS, 2, { variant: 'input', steps: 1, baseline: 'zero' });
    expect(tf.memory().numTensors).toBe(before);
    const scratch = new BertParams(new Map([...weights].map(([name, w]) => [name, tf.tensor(w.values, w.shape)])));
    const empty = tf.memory().numTensors - weights.size;
    await attributeTokens(scratch, TINY_CONFIG, INPUTS, 0, { variant: 'input', steps: 1, baseline: 'pad' });
    scratch.dispose();
    expect(tf.memory().numTensors).toBe(empty);
  });
});
