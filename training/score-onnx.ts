/**
 * Scores evaluation rows with one ONNX file, the way the page's engines read it (onnxruntime).
 *
 * Usage: tsx training/score-onnx.ts --model FILE --reference DIR
 *   Runs FILE over the token ids in DIR (see onnx-logits.ts) and writes DIR/logits.bin (float32,
 *   numLabels per row, numLabels from DIR/meta.json).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readRows, runAll } from './onnx-logits';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { model: { type: 'string' }, reference: { type: 'string' } } });
  if (!values.model || !values.reference) throw new Error('usage: score-onnx.ts --model FILE --reference DIR');
  const meta = JSON.parse(readFileSync(join(values.reference, 'meta.json'), 'utf8')) as { numLabels: number };
  const logits = await runAll(values.model, readRows(values.reference), meta.numLabels);
  writeFileSync(join(values.reference, 'logits.bin'), Buffer.from(logits.buffer));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
