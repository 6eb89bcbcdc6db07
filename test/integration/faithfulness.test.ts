import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ortNode from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletionAdvantage } from '../../src/core/explain/faithfulness';
import { OnnxEngine } from '../../src/engines/onnx';
import type { OrtModule } from '../../src/engines/ort-runtime';
import type { ExplainRunnerDeps } from '../../workers/explain/evaluator';
import { runDeletionCurve } from '../../workers/explain/faithfulness';
import { runExplanation } from '../../workers/explain/run';
import { startStaticServer, type StaticServer } from '../e2e/static-server';

// Faithfulness on the shipped models: deleting the words LIME ranks most supportive of the
// predicted label must lower its probability more than deleting as many random words, on average
// over each model's example texts (held-out test texts chosen by the training pipeline).
const PUBLIC = fileURLToPath(new URL('../../public', import.meta.url));
const MODELS = path.join(PUBLIC, 'models');
const ort = ortNode as unknown as OrtModule;

interface Manifest {
  maxTokens?: number;
  examples: { text: string; label: string }[];
}

const ids = existsSync(path.join(MODELS, 'index.json'))
  ? (JSON.parse(readFileSync(path.join(MODELS, 'index.json'), 'utf8')) as { models: string[] }).models
  : [];

describe('LIME faithfulness on the shipped models (deletion curve)', () => {
  let server: StaticServer;

  beforeAll(async () => {
    server = await startStaticServer({ root: PUBLIC });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('finds the shipped models', () => {
    expect(ids.length, 'public/models/index.json lists no models: run the training pipeline (npm run train)').toBeGreaterThan(0);
  });

  for (const id of ids) {
    it(`${id}: deleting LIME's top words hurts the prediction more than deleting random words`, async () => {
      const manifest = JSON.parse(readFileSync(path.join(MODELS, id, 'manifest.json'), 'utf8')) as Manifest;
      const engine = new OnnxEngine({ ort, cpuProvider: 'cpu' });
      await engine.load({ id, url: `${server.url}models/${id}/`, maxTokens: manifest.maxTokens }, 'auto');
      try {
        const deps: ExplainRunnerDeps = {
          classify: (texts) => engine.classify(texts, texts.length),
          tokenCount: (text) => engine.tokenCount(text),
          labels: engine.labels(),
          batchSize: 32,
        };
        const advantages: number[] = [];
        for (const { text } of manifest.examples.slice(0, 4)) {
          const explanation = await runExplanation(text, { numSamples: 400, topLabels: 1, seed: 7 }, deps);
          const curve = await runDeletionCurve(text, explanation, { maxK: 5, randomDraws: 10, seed: 7 }, deps);
          expect(curve.lime[0]).toBeCloseTo(curve.random[0], 6);
          advantages.push(deletionAdvantage(curve));
        }
        const mean = advantages.reduce((a, b) => a + b, 0) / advantages.length;
        expect(mean, `per-text advantages ${advantages.map((a) => a.toFixed(3)).join(', ')}`).toBeGreaterThan(0);
      } finally {
        await engine.dispose();
      }
    }, 300_000);
  }
});
