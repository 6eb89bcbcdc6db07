import protobuf from 'protobufjs/minimal';
import { GlassboxError, messageOf } from '../../core/contract/errors';

/**
 * Reads what the TF.js engine needs from an .onnx file: the initializers (weights) and the
 * operator types of the graph, nothing else. The file is a protobuf ModelProto (onnx/onnx.proto);
 * protobufjs's wire-format reader walks it and skips every field not listed here, so the parse is
 * one pass without a schema compiler (and without the code generation that would need eval).
 */

/** ONNX TensorProto.DataType values the engine understands. */
export const ONNX_FLOAT = 1;
export const ONNX_UINT8 = 2;
export const ONNX_INT8 = 3;
export const ONNX_INT32 = 6;
export const ONNX_INT64 = 7;

export interface OnnxTensor {
  name: string;
  dataType: number;
  dims: number[];
  /** Little-endian bytes of the values, when the file stores them as raw_data (exporters do). */
  raw?: Uint8Array;
  /** The typed fields protobuf uses otherwise: float_data, and int32_data for all narrower integers. */
  floatData?: number[];
  int32Data?: number[];
  /** Values that live in a separate file (data_location EXTERNAL): not readable from one download. */
  external: boolean;
}

export interface OnnxWeights {
  initializers: Map<string, OnnxTensor>;
  opTypes: Set<string>;
}

// Field numbers from onnx/onnx.proto.
const MODEL_GRAPH = 7;
const GRAPH_NODE = 1;
const GRAPH_INITIALIZER = 5;
const NODE_OP_TYPE = 4;
const TENSOR_DIMS = 1;
const TENSOR_DATA_TYPE = 2;
const TENSOR_FLOAT_DATA = 4;
const TENSOR_INT32_DATA = 5;
const TENSOR_NAME = 8;
const TENSOR_RAW_DATA = 9;
const TENSOR_EXTERNAL_DATA = 13;
const TENSOR_DATA_LOCATION = 14;
const DATA_LOCATION_EXTERNAL = 1;

const WIRE_VARINT = 0;
const WIRE_FIXED32 = 5;
const WIRE_LENGTH_DELIMITED = 2;

type Reader = protobuf.Reader;

/** Parses `bytes` (a whole .onnx file); `file` names it in errors. */
export function readOnnxWeights(bytes: Uint8Array, file: string): OnnxWeights {
  const found: OnnxWeights = { initializers: new Map(), opTypes: new Set() };
  try {
    const reader = protobuf.Reader.create(bytes);
    let sawGraph = false;
    while (reader.pos < reader.len) {
      const tag = reader.uint32();
      if (tag >>> 3 === MODEL_GRAPH && (tag & 7) === WIRE_LENGTH_DELIMITED) {
        readGraph(reader, reader.uint32() + reader.pos, found);
        sawGraph = true;
      } else {
        reader.skipType(tag & 7);
      }
    }
    if (!sawGraph) throw new Error('it has no graph');
  } catch (error) {
    const reason = messageOf(error);
    throw new GlassboxError(
      'MODEL_INVALID',
      `${file} is not a readable ONNX model (${reason}). The file may be truncated, or the server sent an error page instead of it.`,
      { cause: error },
    );
  }
  return found;
}

function readGraph(reader: Reader, end: number, found: OnnxWeights): void {
  while (reader.pos < end) {
    const tag = reader.uint32();
    const field = tag >>> 3;
    if (field === GRAPH_INITIALIZER && (tag & 7) === WIRE_LENGTH_DELIMITED) {
      const tensor = readTensor(reader, reader.uint32() + reader.pos);
      found.initializers.set(tensor.name, tensor);
    } else if (field === GRAPH_NODE && (tag & 7) === WIRE_LENGTH_DELIMITED) {
      const opType = readNodeOpType(reader, reader.uint32() + reader.pos);
      if (opType) found.opTypes.add(opType);
    } else {
      reader.skipType(tag & 7);
    }
  }
}

function readNodeOpType(reader: Reader, end: number): string | undefined {
  let opType: string | undefined;
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag >>> 3 === NODE_OP_TYPE && (tag & 7) === WIRE_LENGTH_DELIMITED) opType = reader.string();
    else reader.skipType(tag & 7);
  }
  return opType;
}

function readTensor(reader: Reader, end: number): OnnxTensor {
  const tensor: OnnxTensor = { name: '', dataType: 0, dims: [], external: false };
  while (reader.pos < end) {
    const tag = reader.uint32();
    const wire = tag & 7;
    switch (tag >>> 3) {
      case TENSOR_DIMS:
        readRepeated(reader, wire, WIRE_VARINT, () => tensor.dims.push(int64ToNumber(reader.int64())));
        break;
      case TENSOR_DATA_TYPE:
        tensor.dataType = reader.int32();
        break;
      case TENSOR_FLOAT_DATA:
        tensor.floatData ??= [];
        readRepeated(reader, wire, WIRE_FIXED32, () => tensor.floatData?.push(reader.float()));
        break;
      case TENSOR_INT32_DATA:
        tensor.int32Data ??= [];
        readRepeated(reader, wire, WIRE_VARINT, () => tensor.int32Data?.push(reader.int32()));
        break;
      case TENSOR_NAME:
        tensor.name = reader.string();
        break;
      case TENSOR_RAW_DATA:
        tensor.raw = reader.bytes();
        break;
      case TENSOR_EXTERNAL_DATA:
        tensor.external = true;
        reader.skipType(wire);
        break;
      case TENSOR_DATA_LOCATION:
        if (reader.int32() === DATA_LOCATION_EXTERNAL) tensor.external = true;
        break;
      default:
        reader.skipType(wire);
    }
  }
  return tensor;
}

/** Repeated scalars come packed (one length-delimited run) or one tag per value; both are valid protobuf. */
function readRepeated(reader: Reader, wire: number, scalarWire: number, readOne: () => void): void {
  if (wire === WIRE_LENGTH_DELIMITED) {
    const end = reader.uint32() + reader.pos;
    while (reader.pos < end) readOne();
  } else if (wire === scalarWire) {
    readOne();
  } else {
    reader.skipType(wire);
  }
}

/** protobufjs returns int64 as a Long where the `long` package is present and as a number elsewhere. */
function int64ToNumber(value: protobuf.Long | number): number {
  return protobuf.util.LongBits.from(value).toNumber();
}
