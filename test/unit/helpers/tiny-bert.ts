import type { BertConfig } from '../../../src/engines/tfjs/bert-config';
import { ONNX_FLOAT, ONNX_INT8, type OnnxTensor, type OnnxWeights } from '../../../src/engines/tfjs/onnx-weights';
import { bertWeightSpecs } from '../../../src/engines/tfjs/weights';

/** A BERT small enough to write out by hand: 2 layers, hidden 8, 2 heads. */
export const TINY_CONFIG: BertConfig = {
  vocabSize: 20,
  hiddenSize: 8,
  numLayers: 2,
  numHeads: 2,
  headSize: 4,
  intermediateSize: 16,
  maxPositions: 12,
  typeVocabSize: 2,
  layerNormEps: 1e-12,
  labels: ['a', 'b', 'c'],
};

/** Deterministic values in [-1, 1). */
export function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 31 - 1;
  };
}

function floatTensor(name: string, dims: number[], values: Float32Array): OnnxTensor {
  return { name, dims, dataType: ONNX_FLOAT, raw: new Uint8Array(values.buffer), external: false };
}

/**
 * The initializers of a tiny model in the shipped format: embedding tables and MatMul weights
 * as int8 with per-row / per-column scales, everything else float32.
 */
export function tinyOnnxWeights(config: BertConfig = TINY_CONFIG, seed = 7): OnnxWeights {
  const random = seeded(seed);
  const initializers = new Map<string, OnnxTensor>();
  for (const spec of bertWeightSpecs(config)) {
    const count = spec.shape.reduce((n, d) => n * d, 1);
    const isNormWeight = spec.name.endsWith('LayerNorm.weight');
    if (spec.layout === 'rows' || spec.layout === 'matmul') {
      const axis = spec.layout === 'matmul' ? 1 : 0;
      const q = Int8Array.from({ length: count }, () => Math.round(random() * 127));
      const scales = Float32Array.from({ length: spec.shape[axis] }, () => 0.002 + Math.abs(random()) * 0.01);
      initializers.set(`${spec.name}_quantized`, { name: `${spec.name}_quantized`, dims: spec.shape, dataType: ONNX_INT8, raw: new Uint8Array(q.buffer), external: false });
      initializers.set(`${spec.name}_scale`, floatTensor(`${spec.name}_scale`, [spec.shape[axis]], scales));
    } else {
      const values = Float32Array.from({ length: count }, () => (isNormWeight ? 1 + random() * 0.1 : random() * 0.3));
      initializers.set(spec.name, floatTensor(spec.name, spec.shape, values));
    }
  }
  return { initializers, opTypes: new Set(['Gather', 'DequantizeLinear', 'MatMul', 'Gemm', 'Erf', 'Softmax', 'Tanh']) };
}
