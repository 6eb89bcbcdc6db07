/**
 * Runs an ONNX classifier with onnxruntime-node over token ids written by training/reference.py:
 * REFERENCE/ids.bin (int32, rows concatenated) with the row lengths in REFERENCE/lengths.bin.
 * Shared by the verifier (verify-onnx.ts) and the scorer of evaluation sets (score-onnx.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';

const BATCH = 32;

export function readInt32(path: string): Int32Array {
  const buffer = readFileSync(path);
  return new Int32Array(buffer.buffer, buffer.byteOffset, buffer.byteLength / 4);
}

export function readFloat32(path: string): Float32Array {
  const buffer = readFileSync(path);
  return new Float32Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength));
}

export function readRows(reference: string): Int32Array[] {
  const flat = readInt32(join(reference, 'ids.bin'));
  const rows: Int32Array[] = [];
  let offset = 0;
  for (const length of readInt32(join(reference, 'lengths.bin'))) {
    rows.push(flat.subarray(offset, offset + length));
    offset += length;
  }
  return rows;
}

/** Logits in row order, `numLabels` per row; rows run in batches of similar length. */
export async function runAll(modelPath: string, rows: Int32Array[], numLabels: number): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 0 });
  const logits = new Float32Array(rows.length * numLabels);
  const order = rows.map((_, i) => i).sort((a, b) => rows[a].length - rows[b].length);
  for (let start = 0; start < order.length; start += BATCH) {
    const batch = order.slice(start, start + BATCH);
    const width = Math.max(...batch.map((i) => rows[i].length));
    const ids = new BigInt64Array(batch.length * width);
    const mask = new BigInt64Array(batch.length * width);
    batch.forEach((row, b) => rows[row].forEach((id, t) => {
      ids[b * width + t] = BigInt(id);
      mask[b * width + t] = 1n;
    }));
    const dims = [batch.length, width];
    const out = await session.run({
      input_ids: new ort.Tensor('int64', ids, dims),
      attention_mask: new ort.Tensor('int64', mask, dims),
      token_type_ids: new ort.Tensor('int64', new BigInt64Array(batch.length * width), dims),
    });
    const data = out.logits.data as Float32Array;
    batch.forEach((row, b) => logits.set(data.subarray(b * numLabels, (b + 1) * numLabels), row * numLabels));
  }
  await session.release();
  return logits;
}

export const runtimeName = (): string => `onnxruntime-node ${ort.env.versions.node ?? ''}`.trim();
