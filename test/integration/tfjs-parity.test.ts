import path from 'node:path';
import { AutoTokenizer, env } from '@huggingface/transformers';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { padBatch } from '../../src/core/text/pad-batch';
import { fitToWindow } from '../../src/core/text/truncate';
import { TfjsEngine } from '../../src/engines/tfjs/engine';
import { startStaticServer, type StaticServer } from '../e2e/static-server';
import { parityTexts } from '../helpers/parity-texts';
import { MODELS_DIR, readManifest, shippedModelIds } from '../helpers/shipped-models';
import { freshConnectionFetch, nodeTfjsWasmPaths } from '../helpers/tfjs-node';

// The TF.js BERT against onnxruntime-node on the same int8 model file and the same token ids.
const TEXTS_PER_MODEL = 250;
const MAX_LOGIT_DIFFERENCE = 1e-3;
const BATCH = 32;

/**
 * onnxruntime fuses DequantizeLinear + MatMul into MatMulNBits and by default (accuracy level 4)
 * quantizes the activations to int8 inside it, an approximation of the graph. Accuracy level 1
 * (float32) makes it compute the graph as written, which is what the TF.js engine implements.
 */
const EXACT_ORT: ort.InferenceSession.SessionOptions = { extra: { session: { qdq_matmulnbits_accuracy_level: '1' } } };

let models: string[] = [];
let missing: unknown;
try {
  models = shippedModelIds();
} catch (error) {
  missing = error;
}

describe('TF.js engine (wasm backend) against onnxruntime-node', () => {
  let server: StaticServer;

  beforeAll(async () => {
    server = await startStaticServer({ root: MODELS_DIR });
    env.allowRemoteModels = false;
    env.localModelPath = `${MODELS_DIR}${path.sep}`;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('finds the shipped models', () => {
    if (missing) throw missing;
    expect(models.length).toBeGreaterThan(0);
  });

  for (const id of models) {
    it(`${id}: logits within ${MAX_LOGIT_DIFFERENCE} and the same argmax on ${TEXTS_PER_MODEL} test texts`, async () => {
      const started = performance.now();
      const texts = parityTexts(id, TEXTS_PER_MODEL);
      const manifest = readManifest(id);
      const engine = new TfjsEngine({ wasmPaths: nodeTfjsWasmPaths(), fetch: freshConnectionFetch });
      await engine.load({ id, url: `${server.url}${id}/`, maxTokens: manifest.maxTokens }, 'wasm');
      const exact = await ort.InferenceSession.create(path.join(MODELS_DIR, id, 'onnx/model_quantized.onnx'), EXACT_ORT);
      const defaults = await ort.InferenceSession.create(path.join(MODELS_DIR, id, 'onnx/model_quantized.onnx'));
      try {
        expect(engine.info()).toMatchObject({ engine: 'tfjs', backend: 'wasm' });
        const rows = texts.map((text) => engine.tokenIds(text));

        // The ONNX engine tokenizes with transformers.js: both engines must see the same ids.
        const tokenizer = await AutoTokenizer.from_pretrained(id);
        const window = (await engine.describeInput(texts[0])).maxTokens;
        texts.forEach((text, i) => {
          const reference = fitToWindow(tokenizer.encode(text), tokenizer.encode(text, { add_special_tokens: false }), window);
          expect(rows[i], `token ids of text ${i}`).toEqual(reference.ids);
        });

        const order = rows.map((_, i) => i).sort((a, b) => rows[a].length - rows[b].length);
        const width = manifest.labels.length;
        let maxDifference = 0;
        let maxDifferenceDefaults = 0;
        let argmaxDisagreements = 0;
        let tfjsMs = 0;
        for (let start = 0; start < order.length; start += BATCH) {
          const batchRows = order.slice(start, start + BATCH).map((i) => rows[i]);
          const tfjsStarted = performance.now();
          const tfjs = await engine.logitsOf(batchRows);
          tfjsMs += performance.now() - tfjsStarted;
          const reference = await runOrt(exact, batchRows, width);
          const approximate = await runOrt(defaults, batchRows, width);
          tfjs.forEach((logits, r) => {
            for (let j = 0; j < width; j++) {
              maxDifference = Math.max(maxDifference, Math.abs(logits[j] - reference[r * width + j]));
              maxDifferenceDefaults = Math.max(maxDifferenceDefaults, Math.abs(logits[j] - approximate[r * width + j]));
            }
            if (argmax(logits) !== argmax(reference.subarray(r * width, (r + 1) * width))) argmaxDisagreements++;
          });
        }
        console.info(
          `[tfjs parity] ${id}: ${texts.length} texts, max |logit difference| ${maxDifference.toExponential(2)} ` +
            `(onnxruntime defaults, int8 activations: ${maxDifferenceDefaults.toExponential(2)}), ` +
            `argmax disagreements ${argmaxDisagreements}, TF.js wasm ${(tfjsMs / 1000).toFixed(1)} s, test ${((performance.now() - started) / 1000).toFixed(1)} s`,
        );
        expect(maxDifference).toBeLessThanOrEqual(MAX_LOGIT_DIFFERENCE);
        expect(argmaxDisagreements).toBe(0);
      } finally {
        await engine.dispose();
        await exact.release();
        await defaults.release();
      }
    }, 900_000);
  }
});

async function runOrt(session: ort.InferenceSession, rows: number[][], width: number): Promise<Float32Array> {
  const batch = padBatch(rows, 0);
  const dims = batch.shape;
  const output = await session.run({
    input_ids: new ort.Tensor('int64', batch.inputIds, dims),
    attention_mask: new ort.Tensor('int64', batch.attentionMask, dims),
    token_type_ids: new ort.Tensor('int64', new BigInt64Array(batch.inputIds.length), dims),
  });
  const logits = output.logits.data as Float32Array;
  expect(logits.length).toBe(rows.length * width);
  return logits;
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
