/**
 * Verifies an exported model from the TypeScript side with onnxruntime-node, the runtime family the
 * page uses: fp32 logits must match PyTorch's, and the int8 model must agree with fp32.
 *
 * Usage: tsx training/verify-onnx.ts --model DIR --reference DIR
 *   DIR/onnx/model.onnx and DIR/onnx/model_quantized.onnx are run over the token ids in
 *   REFERENCE/ids.bin (int32, rows concatenated) with lengths in REFERENCE/lengths.bin; the first
 *   rows are compared with REFERENCE/torch-logits.bin. Writes logits-fp32.bin, logits-int8.bin and
 *   verify.json into REFERENCE, and exits 1 when a bound is broken.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';

const FP32_TOLERANCE = 1e-4;
const MIN_INT8_AGREEMENT = 0.995;
const BATCH = 32;

function readInt32(path: string): Int32Array {
  const buffer = readFileSync(path);
  return new Int32Array(buffer.buffer, buffer.byteOffset, buffer.byteLength / 4);
}

function readFloat32(path: string): Float32Array {
  const buffer = readFileSync(path);
  return new Float32Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength));
}

async function runAll(modelPath: string, rows: Int32Array[], numLabels: number): Promise<Float32Array> {
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

function argmax(values: Float32Array, row: number, width: number): number {
  let best = 0;
  for (let j = 1; j < width; j++) if (values[row * width + j] > values[row * width + best]) best = j;
  return best;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { model: { type: 'string' }, reference: { type: 'string' } } });
  if (!values.model || !values.reference) throw new Error('usage: verify-onnx.ts --model DIR --reference DIR');
  const ref = values.reference;
  const meta = JSON.parse(readFileSync(join(ref, 'meta.json'), 'utf8')) as { numLabels: number; torchRows: number };
  const flat = readInt32(join(ref, 'ids.bin'));
  const lengths = readInt32(join(ref, 'lengths.bin'));
  const rows: Int32Array[] = [];
  let offset = 0;
  for (const length of lengths) {
    rows.push(flat.subarray(offset, offset + length));
    offset += length;
  }
  const fp32 = await runAll(join(values.model, 'onnx/model.onnx'), rows, meta.numLabels);
  const int8 = await runAll(join(values.model, 'onnx/model_quantized.onnx'), rows, meta.numLabels);
  const torch = readFloat32(join(ref, 'torch-logits.bin'));
  let maxDiff = 0;
  for (let i = 0; i < meta.torchRows * meta.numLabels; i++) maxDiff = Math.max(maxDiff, Math.abs(torch[i] - fp32[i]));
  let agree = 0;
  for (let r = 0; r < rows.length; r++) if (argmax(fp32, r, meta.numLabels) === argmax(int8, r, meta.numLabels)) agree++;
  const report = {
    runtime: `onnxruntime-node ${ort.env.versions.node ?? ''}`.trim(),
    rows: rows.length,
    fp32VsTorchMaxAbsDiff: maxDiff,
    fp32VsTorchRows: meta.torchRows,
    fp32Tolerance: FP32_TOLERANCE,
    int8ArgmaxAgreement: agree / rows.length,
    minInt8Agreement: MIN_INT8_AGREEMENT,
    passed: maxDiff <= FP32_TOLERANCE && agree / rows.length >= MIN_INT8_AGREEMENT,
  };
  writeFileSync(join(ref, 'logits-fp32.bin'), Buffer.from(fp32.buffer));
  writeFileSync(join(ref, 'logits-int8.bin'), Buffer.from(int8.buffer));
  writeFileSync(join(ref, 'verify.json'), JSON.stringify(report, null, 2) + '\n');
  console.log(JSON.stringify(report));
  if (!report.passed) process.exit(1);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
