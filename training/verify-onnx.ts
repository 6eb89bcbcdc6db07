/**
 * Verifies an exported model from the TypeScript side with onnxruntime-node, the runtime family the
 * page uses: fp32 logits must match PyTorch's, and the int8 model must agree with fp32.
 *
 * Usage: tsx training/verify-onnx.ts --model DIR --reference DIR
 *   DIR/onnx/model.onnx and DIR/onnx/model_quantized.onnx are run over the token ids in
 *   REFERENCE (see onnx-logits.ts); the first rows are compared with REFERENCE/torch-logits.bin.
 *   Writes logits-fp32.bin, logits-int8.bin and verify.json into REFERENCE, and exits 1 when a
 *   bound is broken.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readFloat32, readRows, runAll, runtimeName } from './onnx-logits';

const FP32_TOLERANCE = 1e-4;
const MIN_INT8_AGREEMENT = 0.995;

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
  const rows = readRows(ref);
  const fp32 = await runAll(join(values.model, 'onnx/model.onnx'), rows, meta.numLabels);
  const int8 = await runAll(join(values.model, 'onnx/model_quantized.onnx'), rows, meta.numLabels);
  const torch = readFloat32(join(ref, 'torch-logits.bin'));
  let maxDiff = 0;
  for (let i = 0; i < meta.torchRows * meta.numLabels; i++) maxDiff = Math.max(maxDiff, Math.abs(torch[i] - fp32[i]));
  let agree = 0;
  for (let r = 0; r < rows.length; r++) if (argmax(fp32, r, meta.numLabels) === argmax(int8, r, meta.numLabels)) agree++;
  const report = {
    runtime: runtimeName(),
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
