import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ortNode from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlassboxError } from '../../src/core/contract/errors';
import { rankScores } from '../../src/core/text/scores';
import { OnnxEngine } from '../../src/engines/onnx';
import type { OrtModule } from '../../src/engines/ort-runtime';
import { startStaticServer, type StaticServer } from '../e2e/static-server';

// The ONNX engine on the shipped models, in Node: the same code as in the page, with
// onnxruntime-node's CPU provider in place of onnxruntime-web. Fast enough to check every example.
const PUBLIC = fileURLToPath(new URL('../../public', import.meta.url));
const MODELS = path.join(PUBLIC, 'models');

interface Manifest {
  labels: string[];
  maxTokens?: number;
  examples: { text: string; label: string }[];
}

const index = existsSync(path.join(MODELS, 'index.json'))
  ? (JSON.parse(readFileSync(path.join(MODELS, 'index.json'), 'utf8')) as { models: string[] })
  : { models: [] };
const ort = ortNode as unknown as OrtModule;

describe('OnnxEngine on the shipped models (onnxruntime-node)', () => {
  let server: StaticServer;

  beforeAll(async () => {
    server = await startStaticServer({ root: PUBLIC });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('finds the shipped models (public/models/index.json)', () => {
    expect(index.models.length, 'public/models/index.json lists no models: run the training pipeline (npm run train)').toBeGreaterThan(0);
  });

  for (const id of index.models) {
    it(`${id}: labels from config.json, every example classified to its expected label`, async () => {
      const manifest = JSON.parse(readFileSync(path.join(MODELS, id, 'manifest.json'), 'utf8')) as Manifest;
      const engine = new OnnxEngine({ ort, cpuProvider: 'cpu' });
      await engine.load({ id, url: `${server.url}models/${id}/`, maxTokens: manifest.maxTokens }, 'auto');
      try {
        expect(engine.labels()).toEqual(manifest.labels);
        expect(engine.info()).toMatchObject({ engine: 'onnx', backend: 'cpu' });
        const texts = manifest.examples.map((e) => e.text);
        const probabilities = await engine.classify(texts, 4);
        probabilities.forEach((p, i) => {
          expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
          expect(rankScores(engine.labels(), p)[0].label, texts[i].slice(0, 80)).toBe(manifest.examples[i].label);
        });
        // Batching pads rows; a padded row must score as it does alone.
        const [alone] = await engine.classify([texts[0]], 1);
        for (let j = 0; j < alone.length; j++) expect(alone[j]).toBeCloseTo(probabilities[0][j], 4);
      } finally {
        await engine.dispose();
      }
    });
  }

  it('cuts long texts to the window by head + tail and says so', async () => {
    const id = index.models[0];
    const manifest = JSON.parse(readFileSync(path.join(MODELS, id, 'manifest.json'), 'utf8')) as Manifest;
    const engine = new OnnxEngine({ ort, cpuProvider: 'cpu' });
    await engine.load({ id, url: `${server.url}models/${id}/`, maxTokens: manifest.maxTokens }, 'auto');
    try {
      const long = Array.from({ length: 20 }, () => manifest.examples[0].text).join(' ');
      const info = await engine.describeInput(long);
      const window = manifest.maxTokens ?? 512;
      expect(info).toMatchObject({ strategy: 'head+tail', truncated: true, maxTokens: window });
      expect(info.tokens).toBeGreaterThan(window);
      expect(info.keptHead + info.keptTail + 2).toBe(window);
      expect(info.keptHead).toBe(Math.floor((window - 2) / 4));
      const short = await engine.describeInput('A short text.');
      expect(short.truncated).toBe(false);
      expect((await engine.classify([long]))[0]).toHaveLength(manifest.labels.length);
    } finally {
      await engine.dispose();
    }
  });

  it('names a missing model folder', async () => {
    const engine = new OnnxEngine({ ort, cpuProvider: 'cpu' });
    const error = await engine.load({ id: 'nope', url: `${server.url}models/nope/` }, 'auto').catch((e: unknown) => toGlassboxError(e));
    expect(error?.code).toBe('MODEL_NOT_FOUND');
    expect(error?.detail).toContain('/models/nope/');
  });
});
