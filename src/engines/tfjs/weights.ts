import { GlassboxError } from '../../core/contract/errors';
import type { BertConfig } from './bert-config';
import { ONNX_FLOAT, ONNX_INT8, ONNX_UINT8, type OnnxTensor, type OnnxWeights } from './onnx-weights';

/**
 * Maps the initializers of an exported BERT (training/export_onnx.py names them after the Hugging
 * Face parameters) onto the tensors the TF.js forward pass needs, checks every shape against
 * config.json, and dequantizes the int8 ones (training/quantize.py) to float32 once, on load.
 *
 * Layouts, as the ONNX graph uses them:
 * - `rows`: embedding tables [rows, hidden], int8 with one scale per row;
 * - `matmul`: MatMul weights [in, out] (the transpose of PyTorch's), int8 with one scale per column;
 * - `gemm`: Gemm weights with transB=1, [out, in] like PyTorch (pooler, classifier), fp32 as
 *   exported, or int8 with one scale per output row if another quantizer stored them so;
 * - `vector`: biases and LayerNorm parameters, fp32.
 *
 * Every dense weight reaches the device as [in, out]: Gemm weights are transposed here, once.
 * Besides giving every dense layer the same kernel, this avoids a fault of
 * @tensorflow/tfjs-backend-wasm 4.22, whose fused matMul adds the bias to the wrong elements
 * when transposeB is set (test/unit/tfjs-bert.test.ts checks both backends against a float64 reference).
 */
export type WeightLayout = 'rows' | 'matmul' | 'gemm' | 'vector';

export interface WeightSpec {
  name: string;
  shape: number[];
  layout: WeightLayout;
}

/** A weight in host memory, float32; dense weights as [in, out], everything else as its spec says. */
export interface HostTensor {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** Operators of other quantization schemes: their weights are not stored as this engine reads them. */
const FOREIGN_OPERATORS = [
  'MatMulInteger',
  'DynamicQuantizeLinear',
  'DynamicQuantizeMatMul',
  'QLinearMatMul',
  'MatMulNBits',
  'GatherBlockQuantized',
  'QAttention',
  'Attention',
  'EmbedLayerNormalization',
  'SkipLayerNormalization',
];

/** Every tensor of a BertForSequenceClassification, by Hugging Face name, with the shape config.json implies. */
export function bertWeightSpecs(c: BertConfig): WeightSpec[] {
  const h = c.hiddenSize;
  const specs: WeightSpec[] = [
    { name: 'bert.embeddings.word_embeddings.weight', shape: [c.vocabSize, h], layout: 'rows' },
    { name: 'bert.embeddings.position_embeddings.weight', shape: [c.maxPositions, h], layout: 'rows' },
    { name: 'bert.embeddings.token_type_embeddings.weight', shape: [c.typeVocabSize, h], layout: 'rows' },
    { name: 'bert.embeddings.LayerNorm.weight', shape: [h], layout: 'vector' },
    { name: 'bert.embeddings.LayerNorm.bias', shape: [h], layout: 'vector' },
  ];
  for (let i = 0; i < c.numLayers; i++) {
    const layer = `bert.encoder.layer.${i}`;
    const dense = (name: string, inputs: number, outputs: number) => {
      specs.push({ name: `${layer}.${name}.weight`, shape: [inputs, outputs], layout: 'matmul' });
      specs.push({ name: `${layer}.${name}.bias`, shape: [outputs], layout: 'vector' });
    };
    const norm = (name: string) => {
      specs.push({ name: `${layer}.${name}.weight`, shape: [h], layout: 'vector' });
      specs.push({ name: `${layer}.${name}.bias`, shape: [h], layout: 'vector' });
    };
    dense('attention.self.query', h, h);
    dense('attention.self.key', h, h);
    dense('attention.self.value', h, h);
    dense('attention.output.dense', h, h);
    norm('attention.output.LayerNorm');
    dense('intermediate.dense', h, c.intermediateSize);
    dense('output.dense', c.intermediateSize, h);
    norm('output.LayerNorm');
  }
  specs.push(
    { name: 'bert.pooler.dense.weight', shape: [h, h], layout: 'gemm' },
    { name: 'bert.pooler.dense.bias', shape: [h], layout: 'vector' },
    { name: 'classifier.weight', shape: [c.labels.length, h], layout: 'gemm' },
    { name: 'classifier.bias', shape: [c.labels.length], layout: 'vector' },
  );
  return specs;
}

/**
 * Reads every weight the config calls for, as float32. Throws MODEL_INVALID naming the tensor when
 * one is missing, has another shape than config.json implies, or is stored in a way this engine
 * does not read.
 */
export function readBertWeights(onnx: OnnxWeights, config: BertConfig, file: string): Map<string, HostTensor> {
  const foreign = FOREIGN_OPERATORS.filter((op) => onnx.opTypes.has(op));
  if (foreign.length > 0) {
    throw new GlassboxError(
      'MODEL_INVALID',
      `${file} uses ${foreign.join(', ')} operators, a format the TF.js engine cannot read: it reads weight-only int8 models whose initializers carry the Hugging Face parameter names (X_quantized and X_scale). Use the ONNX engine for this model (auto picks it).`,
    );
  }
  const extraLayer = `bert.encoder.layer.${config.numLayers}.`;
  if ([...onnx.initializers.keys()].some((name) => name.startsWith(extraLayer))) {
    throw new GlassboxError(
      'MODEL_INVALID',
      `${file} has weights for more layers than config.json's num_hidden_layers (${config.numLayers}); the config does not belong to these weights.`,
    );
  }
  const weights = new Map<string, HostTensor>();
  for (const spec of bertWeightSpecs(config)) {
    const weight = readWeight(onnx.initializers, spec, file);
    weights.set(spec.name, spec.layout === 'gemm' ? transpose(weight) : weight);
  }
  return weights;
}

function transpose({ name, shape: [rows, columns], values }: HostTensor): HostTensor {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) out[c * rows + r] = values[r * columns + c];
  return { name, shape: [columns, rows], values: out };
}

function readWeight(initializers: Map<string, OnnxTensor>, spec: WeightSpec, file: string): HostTensor {
  const plain = initializers.get(spec.name);
  if (plain) {
    expectShape(plain, spec.shape, file);
    expectType(plain, [ONNX_FLOAT], 'float32', file);
    return { name: spec.name, shape: spec.shape, values: floatValues(plain, file) };
  }
  const quantized = initializers.get(`${spec.name}_quantized`);
  const scale = initializers.get(`${spec.name}_scale`);
  if (!quantized || !scale || spec.layout === 'vector') {
    throw new GlassboxError(
      'MODEL_INVALID',
      `${file} has no weight "${spec.name}"${spec.layout === 'vector' ? '' : ` (nor "${spec.name}_quantized" with "${spec.name}_scale")`}. The TF.js engine reads BERT models exported with Hugging Face parameter names (training/export_onnx.py); use the ONNX engine for this model.`,
    );
  }
  expectShape(quantized, spec.shape, file);
  expectType(quantized, [ONNX_INT8, ONNX_UINT8], 'int8 or uint8', file);
  expectType(scale, [ONNX_FLOAT], 'float32', file);
  const axis = spec.layout === 'matmul' ? 1 : 0;
  const perSlice = spec.shape[axis];
  const scales = floatValues(scale, file);
  if (scales.length !== perSlice && scales.length !== 1) {
    throw new GlassboxError(
      'MODEL_INVALID',
      `${file}: "${scale.name}" has ${scales.length} scales but "${quantized.name}" ${describeShape(spec.shape)} needs ${perSlice} (one per ${axis === 1 ? 'column' : 'row'}) or 1.`,
    );
  }
  const zeroPoint = initializers.get(`${spec.name}_zero_point`);
  const zeros = zeroPoint ? integerValues(zeroPoint, file) : undefined;
  if (zeros && zeros.length !== scales.length) {
    throw new GlassboxError('MODEL_INVALID', `${file}: "${zeroPoint?.name}" has ${zeros.length} values but "${scale.name}" has ${scales.length}.`);
  }
  return {
    name: spec.name,
    shape: spec.shape,
    values: dequantize(integerValues(quantized, file), spec.shape, axis, scales, zeros),
  };
}

/** value = (q - zero point) * scale, with the scale and zero point of the value's row (axis 0) or column (axis 1). */
export function dequantize(
  q: ArrayLike<number>,
  [rows, columns]: number[],
  axis: 0 | 1,
  scales: Float32Array,
  zeros?: ArrayLike<number>,
): Float32Array {
  const out = new Float32Array(rows * columns);
  const single = scales.length === 1;
  for (let r = 0; r < rows; r++) {
    const offset = r * columns;
    for (let c = 0; c < columns; c++) {
      const slice = single ? 0 : axis === 0 ? r : c;
      out[offset + c] = (q[offset + c] - (zeros ? zeros[slice] : 0)) * scales[slice];
    }
  }
  return out;
}

function expectShape(tensor: OnnxTensor, shape: number[], file: string): void {
  const same = tensor.dims.length === shape.length && tensor.dims.every((d, i) => d === shape[i]);
  if (!same) {
    throw new GlassboxError(
      'MODEL_INVALID',
      `${file}: tensor "${tensor.name}" has shape ${describeShape(tensor.dims)} but config.json implies ${describeShape(shape)}. The weights and config.json do not belong together.`,
    );
  }
}

function expectType(tensor: OnnxTensor, types: number[], expected: string, file: string): void {
  if (!types.includes(tensor.dataType)) {
    throw new GlassboxError('MODEL_INVALID', `${file}: tensor "${tensor.name}" has ONNX data type ${tensor.dataType}, expected ${expected}.`);
  }
  if (tensor.external) {
    throw new GlassboxError(
      'MODEL_INVALID',
      `${file}: tensor "${tensor.name}" is stored in a separate external-data file, which the TF.js engine does not read. Use the ONNX engine for this model.`,
    );
  }
}

function elementCount(tensor: OnnxTensor): number {
  return tensor.dims.reduce((n, d) => n * d, 1);
}

function floatValues(tensor: OnnxTensor, file: string): Float32Array {
  const count = elementCount(tensor);
  if (tensor.raw) {
    checkLength(tensor, tensor.raw.byteLength, count * 4, 'bytes', file);
    // raw_data may start at any byte of the file; a copy into its own buffer aligns it for a Float32Array.
    return new Float32Array(new Uint8Array(tensor.raw).buffer);
  }
  const values = tensor.floatData ?? [];
  checkLength(tensor, values.length, count, 'values', file);
  return Float32Array.from(values);
}

function integerValues(tensor: OnnxTensor, file: string): Int8Array | Uint8Array | Int32Array {
  const count = elementCount(tensor);
  if (tensor.raw) {
    checkLength(tensor, tensor.raw.byteLength, count, 'bytes', file);
    const { buffer, byteOffset } = tensor.raw;
    return tensor.dataType === ONNX_UINT8 ? new Uint8Array(buffer, byteOffset, count) : new Int8Array(buffer, byteOffset, count);
  }
  const values = tensor.int32Data ?? [];
  checkLength(tensor, values.length, count, 'values', file);
  return Int32Array.from(values);
}

function checkLength(tensor: OnnxTensor, actual: number, expected: number, unit: string, file: string): void {
  if (actual !== expected) {
    throw new GlassboxError(
      'MODEL_INVALID',
      `${file}: tensor "${tensor.name}" holds ${actual} ${unit} but its shape ${describeShape(tensor.dims)} needs ${expected}. The file is damaged.`,
    );
  }
}

function describeShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
