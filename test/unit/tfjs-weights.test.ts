import { describe, expect, it } from 'vitest';
import { ONNX_FLOAT, ONNX_INT8, type OnnxTensor } from '../../src/engines/tfjs/onnx-weights';
import { dequantize, readBertWeights } from '../../src/engines/tfjs/weights';
import { TINY_CONFIG, tinyOnnxWeights } from './helpers/tiny-bert';

const FILE = 'tiny/onnx/model_quantized.onnx';

function values(tensor: OnnxTensor | undefined): Float32Array {
  if (!tensor?.raw) throw new Error('no raw data');
  return new Float32Array(new Uint8Array(tensor.raw).buffer);
}

function int8(tensor: OnnxTensor | undefined): Int8Array {
  if (!tensor?.raw) throw new Error('no raw data');
  return new Int8Array(new Uint8Array(tensor.raw).buffer);
}

describe('dequantize', () => {
  it('scales each row (axis 0) or column (axis 1), minus the zero point', () => {
    const q = Int8Array.from([1, -2, 3, 4, 5, -6]);
    expect(Array.from(dequantize(q, [2, 3], 0, Float32Array.from([0.5, 2])))).toEqual([0.5, -1, 1.5, 8, 10, -12]);
    expect(Array.from(dequantize(q, [2, 3], 1, Float32Array.from([1, 0.5, 2])))).toEqual([1, -1, 6, 4, 2.5, -12]);
    expect(Array.from(dequantize(q, [2, 3], 1, Float32Array.from([1, 1, 1]), [1, 0, -1]))).toEqual([0, -2, 4, 3, 5, -5]);
    expect(Array.from(dequantize(q, [2, 3], 0, Float32Array.from([0.25])))).toEqual([0.25, -0.5, 0.75, 1, 1.25, -1.5]);
  });
});

describe('readBertWeights', () => {
  it('dequantizes int8 tables per row and MatMul weights per column, and stores Gemm weights as [in, out]', () => {
    const onnx = tinyOnnxWeights();
    const weights = readBertWeights(onnx, TINY_CONFIG, FILE);
    const h = TINY_CONFIG.hiddenSize;

    const words = weights.get('bert.embeddings.word_embeddings.weight');
    const wordQ = int8(onnx.initializers.get('bert.embeddings.word_embeddings.weight_quantized'));
    const wordScale = values(onnx.initializers.get('bert.embeddings.word_embeddings.weight_scale'));
    expect(words?.shape).toEqual([TINY_CONFIG.vocabSize, h]);
    expect(words?.values[3 * h + 5]).toBe(Math.fround(wordQ[3 * h + 5] * wordScale[3]));

    const query = weights.get('bert.encoder.layer.1.attention.self.query.weight');
    const queryQ = int8(onnx.initializers.get('bert.encoder.layer.1.attention.self.query.weight_quantized'));
    const queryScale = values(onnx.initializers.get('bert.encoder.layer.1.attention.self.query.weight_scale'));
    expect(query?.values[2 * h + 6]).toBe(Math.fround(queryQ[2 * h + 6] * queryScale[6]));

    const classifier = weights.get('classifier.weight');
    const stored = values(onnx.initializers.get('classifier.weight'));
    expect(classifier?.shape).toEqual([h, TINY_CONFIG.labels.length]);
    // stored [out=3, in=8] -> device [in, out]: element (out 2, in 5) moves to (5, 2).
    expect(classifier?.values[5 * 3 + 2]).toBe(stored[2 * h + 5]);
    expect(weights.get('bert.embeddings.LayerNorm.bias')?.values).toEqual(values(onnx.initializers.get('bert.embeddings.LayerNorm.bias')));
  });

  it('reads a weight stored as float32 under its plain name too', () => {
    const onnx = tinyOnnxWeights();
    const name = 'bert.encoder.layer.0.output.dense.weight';
    const plain = new Float32Array(TINY_CONFIG.intermediateSize * TINY_CONFIG.hiddenSize).map((_, i) => i / 100);
    onnx.initializers.delete(`${name}_quantized`);
    onnx.initializers.delete(`${name}_scale`);
    onnx.initializers.set(name, { name, dims: [TINY_CONFIG.intermediateSize, TINY_CONFIG.hiddenSize], dataType: ONNX_FLOAT, raw: new Uint8Array(plain.buffer), external: false });
    expect(readBertWeights(onnx, TINY_CONFIG, FILE).get(name)?.values).toEqual(plain);
  });

  it('checks scales, zero points, data types and external data, naming the tensor', () => {
    const read = (edit: (initializers: Map<string, OnnxTensor>) => void) => {
      const onnx = tinyOnnxWeights();
      edit(onnx.initializers);
      return () => readBertWeights(onnx, TINY_CONFIG, FILE);
    };
    const key = 'bert.encoder.layer.0.attention.self.key.weight';
    expect(
      read((m) => m.set(`${key}_scale`, { name: `${key}_scale`, dims: [3], dataType: ONNX_FLOAT, floatData: [1, 1, 1], external: false })),
    ).toThrow(`"${key}_scale" has 3 scales but "${key}_quantized" [8, 8] needs 8 (one per column) or 1`);
    expect(
      read((m) => m.set(`${key}_zero_point`, { name: `${key}_zero_point`, dims: [2], dataType: ONNX_INT8, int32Data: [0, 0], external: false })),
    ).toThrow(`"${key}_zero_point" has 2 values but "${key}_scale" has 8`);
    expect(read((m) => ((m.get('classifier.bias') as OnnxTensor).dataType = ONNX_INT8))).toThrow('"classifier.bias" has ONNX data type 3, expected float32');
    expect(read((m) => ((m.get('classifier.bias') as OnnxTensor).external = true))).toThrow(/"classifier\.bias" is stored in a separate external-data file/);
    expect(read((m) => m.delete('bert.pooler.dense.bias'))).toThrow(/has no weight "bert\.pooler\.dense\.bias"\. The TF\.js engine reads BERT models/);
  });
});
