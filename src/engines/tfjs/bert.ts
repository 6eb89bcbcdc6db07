import * as tf from '@tensorflow/tfjs-core';
import { GlassboxError } from '../../core/contract/errors';
import type { BertConfig } from './bert-config';

/**
 * BERT for sequence classification as TF.js ops, the same computation as the exported ONNX graph
 * (training/model.py): embeddings (word + position + token type 0) and LayerNorm; per layer,
 * multi-head self-attention with the mask as an additive bias of -10000, residual and LayerNorm,
 * then an exact-erf GELU feed-forward, residual and LayerNorm; the pooler is tanh(dense) of the
 * [CLS] position and the classifier a dense layer on it.
 */

/** Added to attention scores at padding positions; exp(-10000) is exactly 0 in float32, as in the ONNX graph. */
const MASK_NEGATIVE = -10000;

/** The weights on the device, by Hugging Face parameter name. */
export class BertParams {
  private readonly transposes = new Map<string, tf.Tensor2D>();

  constructor(private readonly tensors: ReadonlyMap<string, tf.Tensor>) {}

  get(name: string): tf.Tensor {
    const tensor = this.tensors.get(name);
    if (!tensor) throw new GlassboxError('INTERNAL', `The TF.js model has no tensor "${name}".`);
    return tensor;
  }

  /** A weight matrix transposed, made on first use and kept with the weights (for backward passes). */
  transposed(name: string): tf.Tensor2D {
    let transposed = this.transposes.get(name);
    if (!transposed) {
      transposed = tf.keep(tf.transpose(this.get(name) as tf.Tensor2D));
      this.transposes.set(name, transposed);
    }
    return transposed;
  }

  dispose(): void {
    for (const tensor of this.tensors.values()) tensor.dispose();
    for (const tensor of this.transposes.values()) tensor.dispose();
    this.transposes.clear();
  }
}

/**
 * Logits [batch, labels] for token ids [batch, length] (int32) and their attention mask
 * [batch, length] (float32, 1 for tokens and 0 for padding). Every intermediate is freed.
 */
export function bertLogits(params: BertParams, config: BertConfig, inputIds: tf.Tensor2D, attentionMask: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => bertLogitsFromWords(params, config, wordEmbeddings(params, inputIds), attentionMask));
}

/** The word-embedding rows of token ids: [batch, length, hidden]. What gradient attributions differentiate. */
export function wordEmbeddings(params: BertParams, inputIds: tf.Tensor2D): tf.Tensor3D {
  return tf.gather(params.get('bert.embeddings.word_embeddings.weight'), inputIds) as tf.Tensor3D;
}

/**
 * Logits from word embeddings [batch, length, hidden] (positions and token type are added here).
 * `differentiable` routes each dense layer's input gradient through a kept transposed weight:
 * TF.js's WebAssembly matrix multiply is about 13x slower with a transposed operand, which is what
 * the built-in gradient of x·W uses.
 */
export function bertLogitsFromWords(
  params: BertParams,
  config: BertConfig,
  words: tf.Tensor3D,
  attentionMask: tf.Tensor2D,
  differentiable = false,
): tf.Tensor2D {
  const dense = differentiable ? denseWithGradient : denseLayer;
  return tf.tidy(() => {
    const [batch, length] = attentionMask.shape;
    if (length > config.maxPositions) {
      throw new GlassboxError('BAD_INPUT', `A batch of ${length} tokens is longer than the model's ${config.maxPositions} positions.`);
    }
    const h = config.hiddenSize;
    const positions = tf.slice(params.get('bert.embeddings.position_embeddings.weight'), [0, 0], [length, h]);
    const tokenType = tf.slice(params.get('bert.embeddings.token_type_embeddings.weight'), [0, 0], [1, h]);
    const embedded = tf.add(tf.add(words, positions), tokenType);
    let hidden = layerNorm(tf.reshape(embedded, [batch * length, h]), params, 'bert.embeddings.LayerNorm', config.layerNormEps);

    const maskBias = tf.reshape(tf.mul(tf.sub(1, attentionMask), MASK_NEGATIVE), [batch, 1, 1, length]);
    for (let i = 0; i < config.numLayers; i++) {
      hidden = encoderLayer(hidden, maskBias, params, `bert.encoder.layer.${i}`, config, batch, length, dense);
    }

    const first = tf.reshape(tf.slice(tf.reshape(hidden, [batch, length, h]), [0, 0, 0], [batch, 1, h]), [batch, h]);
    const pooled = tf.tanh(dense(first, params, 'bert.pooler.dense'));
    return dense(pooled, params, 'classifier') as tf.Tensor2D;
  });
}

function encoderLayer(
  x: tf.Tensor,
  maskBias: tf.Tensor,
  params: BertParams,
  prefix: string,
  config: BertConfig,
  batch: number,
  length: number,
  dense: Dense,
): tf.Tensor {
  const { numHeads, headSize, layerNormEps } = config;
  const heads = (t: tf.Tensor) => tf.transpose(tf.reshape(t, [batch, length, numHeads, headSize]), [0, 2, 1, 3]);
  const query = heads(dense(x, params, `${prefix}.attention.self.query`));
  const key = heads(dense(x, params, `${prefix}.attention.self.key`));
  const value = heads(dense(x, params, `${prefix}.attention.self.value`));
  const scores = tf.add(tf.div(tf.matMul(query, key, false, true), Math.sqrt(headSize)), maskBias);
  const context = tf.matMul(tf.softmax(scores), value);
  const merged = tf.reshape(tf.transpose(context, [0, 2, 1, 3]), [batch * length, numHeads * headSize]);
  const attended = layerNorm(
    tf.add(dense(merged, params, `${prefix}.attention.output.dense`), x),
    params,
    `${prefix}.attention.output.LayerNorm`,
    layerNormEps,
  );
  const intermediate = gelu(dense(attended, params, `${prefix}.intermediate.dense`));
  return layerNorm(tf.add(dense(intermediate, params, `${prefix}.output.dense`), attended), params, `${prefix}.output.LayerNorm`, layerNormEps);
}

type Dense = (x: tf.Tensor, params: BertParams, prefix: string) => tf.Tensor;

/** x·W + b, with W as [in, out] (weights.ts brings every dense weight into that layout). */
function denseLayer(x: tf.Tensor, params: BertParams, prefix: string): tf.Tensor {
  return tf.fused.matMul({ a: x as tf.Tensor2D, b: params.get(`${prefix}.weight`) as tf.Tensor2D, bias: params.get(`${prefix}.bias`) });
}

/** x·W + b whose gradient with respect to x is dy·Wᵀ with Wᵀ kept as a plain matrix; the weights get none. */
function denseWithGradient(x: tf.Tensor, params: BertParams, prefix: string): tf.Tensor {
  const weightName = `${prefix}.weight`;
  const forward = tf.customGrad((input) => ({
    value: denseLayer(input as tf.Tensor, params, prefix),
    gradFunc: (dy: tf.Tensor) => tf.matMul(dy as tf.Tensor2D, params.transposed(weightName)),
  }));
  return forward(x);
}

/** Over the last axis, in the order of the exported graph: (x - mean) / sqrt(variance + eps) * gamma + beta. */
function layerNorm(x: tf.Tensor, params: BertParams, prefix: string, eps: number): tf.Tensor {
  const centered = tf.sub(x, tf.mean(x, -1, true));
  const variance = tf.mean(tf.square(centered), -1, true);
  const normalized = tf.div(centered, tf.sqrt(tf.add(variance, eps)));
  return tf.add(tf.mul(normalized, params.get(`${prefix}.weight`)), params.get(`${prefix}.bias`));
}

/** The exact GELU of Hugging Face's "gelu": x * (1 + erf(x / sqrt(2))) / 2. */
function gelu(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));
}
