import protobuf from 'protobufjs/minimal';
import { describe, expect, it } from 'vitest';
import { readOnnxWeights, ONNX_FLOAT, ONNX_INT8 } from '../../src/engines/tfjs/onnx-weights';

// Hand-encoded ModelProtos (field numbers from onnx/onnx.proto), to cover the encodings writers use.
const LENGTH_DELIMITED = 2;
const VARINT = 0;
const tag = (field: number, wire: number) => (field << 3) | wire;

interface TensorSpec {
  name: string;
  dims: number[];
  dataType: number;
  packedDims?: boolean;
  raw?: Uint8Array;
  floats?: number[];
  int32s?: number[];
  external?: boolean;
}

function tensor(spec: TensorSpec): Uint8Array {
  const w = protobuf.Writer.create();
  if (spec.packedDims ?? true) {
    w.uint32(tag(1, LENGTH_DELIMITED)).fork();
    spec.dims.forEach((d) => w.int64(d));
    w.ldelim();
  } else {
    spec.dims.forEach((d) => w.uint32(tag(1, VARINT)).int64(d));
  }
  w.uint32(tag(2, VARINT)).int32(spec.dataType);
  w.uint32(tag(8, LENGTH_DELIMITED)).string(spec.name);
  w.uint32(tag(12, LENGTH_DELIMITED)).string('a doc string the reader skips');
  if (spec.raw) w.uint32(tag(9, LENGTH_DELIMITED)).bytes(spec.raw);
  if (spec.floats) {
    w.uint32(tag(4, LENGTH_DELIMITED)).fork();
    spec.floats.forEach((f) => w.float(f));
    w.ldelim();
  }
  spec.int32s?.forEach((v) => w.uint32(tag(5, VARINT)).int32(v));
  if (spec.external) w.uint32(tag(14, VARINT)).int32(1);
  return w.finish();
}

function model(tensors: TensorSpec[], opTypes: string[]): Uint8Array {
  const w = protobuf.Writer.create();
  w.uint32(tag(1, VARINT)).int64(8); // ir_version
  w.uint32(tag(2, LENGTH_DELIMITED)).string('a producer');
  w.uint32(tag(7, LENGTH_DELIMITED)).fork();
  for (const op of opTypes) {
    w.uint32(tag(1, LENGTH_DELIMITED)).fork();
    w.uint32(tag(1, LENGTH_DELIMITED)).string('input');
    w.uint32(tag(4, LENGTH_DELIMITED)).string(op);
    w.ldelim();
  }
  w.uint32(tag(2, LENGTH_DELIMITED)).string('graph name');
  for (const spec of tensors) w.uint32(tag(5, LENGTH_DELIMITED)).bytes(tensor(spec));
  w.ldelim();
  return w.finish();
}

describe('readOnnxWeights', () => {
  it('reads initializers stored as raw bytes and as typed fields, with packed and unpacked dims', () => {
    const floats = new Float32Array([1.5, -2, 3.25, 0]);
    const bytes = model(
      [
        { name: 'raw', dims: [2, 2], dataType: ONNX_FLOAT, raw: new Uint8Array(floats.buffer) },
        { name: 'typed', dims: [3], dataType: ONNX_FLOAT, packedDims: false, floats: [0.5, 1, -1] },
        { name: 'int8', dims: [1, 3], dataType: ONNX_INT8, int32s: [-127, 0, 127] },
        { name: 'elsewhere', dims: [2], dataType: ONNX_FLOAT, external: true },
      ],
      ['Gather', 'MatMul', 'MatMul', 'Erf'],
    );
    const { initializers, opTypes } = readOnnxWeights(bytes, 'model.onnx');
    expect([...opTypes].sort()).toEqual(['Erf', 'Gather', 'MatMul']);
    expect(initializers.get('raw')).toMatchObject({ dims: [2, 2], dataType: ONNX_FLOAT, external: false });
    expect(new Float32Array(new Uint8Array(initializers.get('raw')?.raw ?? []).buffer)).toEqual(floats);
    expect(initializers.get('typed')).toMatchObject({ dims: [3], floatData: [0.5, 1, -1] });
    expect(initializers.get('int8')).toMatchObject({ dims: [1, 3], dataType: ONNX_INT8, int32Data: [-127, 0, 127] });
    expect(initializers.get('elsewhere')?.external).toBe(true);
  });

  it('refuses bytes that are not a model, naming the file', () => {
    const html = new TextEncoder().encode('<!doctype html><p>Not found</p>');
    expect(() => readOnnxWeights(html, 'models/x/onnx/model_quantized.onnx')).toThrow(
      expect.objectContaining({ code: 'MODEL_INVALID', message: expect.stringMatching(/^models\/x\/onnx\/model_quantized\.onnx is not a readable ONNX model/) }),
    );
    const good = model([{ name: 'w', dims: [4], dataType: ONNX_FLOAT, floats: [1, 2, 3, 4] }], []);
    expect(() => readOnnxWeights(good.slice(0, good.length - 3), 'cut.onnx')).toThrow(/cut\.onnx is not a readable ONNX model/);
    expect(() => readOnnxWeights(new Uint8Array(0), 'empty.onnx')).toThrow(/empty\.onnx is not a readable ONNX model \(it has no graph\)/);
  });
});
