import * as tf from '@tensorflow/tfjs-core';
// Gradients are not registered by tfjs-core's main entry; the gradient method needs them.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { GradientSettings } from '../../core/contract/explanation-types';
import { bertLogitsFromWords, wordEmbeddings, type BertParams } from './bert';
import type { BertConfig } from './bert-config';

/**
 * Gradient attributions of one label's probability to each token, on the input word embeddings:
 * Integrated Gradients (Sundararajan et al. 2017) along the straight line from a baseline, with
 * the midpoint rule, or the gradient at the text times (input - baseline). The baseline replaces
 * the embedding of every text token by the [PAD] token's (or by zeros); special tokens keep theirs,
 * so the attributions of all tokens add up to about f(text) - f(baseline) (completeness).
 */

/** Interpolated copies of the text sent through forward and backward passes at once. */
const STEPS_PER_BATCH = 10;

export interface TokenInputs {
  ids: readonly number[];
  /** True for [CLS], [SEP] and the like: they stay as they are in the baseline. */
  special: readonly boolean[];
  padId: number;
}

export interface TokenAttributions {
  perToken: Float64Array;
  /** The label's probability on the text and at the baseline. */
  full: number;
  baseline: number;
}

export async function attributeTokens(
  params: BertParams,
  config: BertConfig,
  inputs: TokenInputs,
  labelIndex: number,
  settings: GradientSettings,
): Promise<TokenAttributions> {
  const length = inputs.ids.length;
  const alphas = settings.variant === 'input' ? [1] : Array.from({ length: settings.steps }, (_, k) => (k + 0.5) / settings.steps);
  const [text, base, diff] = tf.tidy(() => {
    const ids = tf.tensor2d(Int32Array.from(inputs.ids), [1, length], 'int32');
    const words = wordEmbeddings(params, ids);
    const keep = tf.tensor3d(Float32Array.from(inputs.special, (special) => (special ? 1 : 0)), [1, length, 1]);
    const replacement =
      settings.baseline === 'zero'
        ? tf.zerosLike(words)
        : wordEmbeddings(params, tf.fill([1, length], inputs.padId, 'int32') as tf.Tensor2D);
    const baseline = tf.add(tf.mul(words, keep), tf.mul(replacement, tf.sub(1, keep))) as tf.Tensor3D;
    return [words, baseline, tf.sub(words, baseline) as tf.Tensor3D];
  });
  let gradientSum: tf.Tensor3D | undefined;
  let endpoints: tf.Tensor | undefined;
  try {
    for (let start = 0; start < alphas.length; start += STEPS_PER_BATCH) {
      const chunk = alphas.slice(start, start + STEPS_PER_BATCH);
      const next = tf.tidy(() => {
        const scale = tf.tensor3d(Float32Array.from(chunk), [chunk.length, 1, 1]);
        const points = tf.add(base, tf.mul(scale, diff)) as tf.Tensor3D;
        const mask = tf.ones([chunk.length, length]) as tf.Tensor2D;
        const probability = (x: tf.Tensor) => tf.sum(tf.slice(tf.softmax(bertLogitsFromWords(params, config, x as tf.Tensor3D, mask, true)), [0, labelIndex], [chunk.length, 1]));
        const summed = tf.sum(tf.grad(probability)(points), 0, true) as tf.Tensor3D;
        return gradientSum ? (tf.add(gradientSum, summed) as tf.Tensor3D) : summed;
      });
      gradientSum?.dispose();
      gradientSum = next;
    }
    const perToken = tf.tidy(() => tf.sum(tf.mul(diff, tf.div(gradientSum!, alphas.length)), [0, 2]));
    endpoints = tf.tidy(() => {
      const mask = tf.ones([2, length]) as tf.Tensor2D;
      return tf.slice(tf.softmax(bertLogitsFromWords(params, config, tf.concat([text, base], 0) as tf.Tensor3D, mask)), [0, labelIndex], [2, 1]);
    });
    try {
      const [values, probabilities] = await Promise.all([perToken.data(), endpoints.data()]);
      return { perToken: Float64Array.from(values), full: probabilities[0], baseline: probabilities[1] };
    } finally {
      perToken.dispose();
    }
  } finally {
    for (const tensor of [text, base, diff, gradientSum, endpoints]) tensor?.dispose();
  }
}
