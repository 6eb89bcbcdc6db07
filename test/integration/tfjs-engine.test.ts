import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlassboxError } from '../../src/core/contract/errors';
import { rankScores } from '../../src/core/text/scores';
import type { LoadProgress } from '../../src/core/contract/types';
import { tfjsBackendStarters } from '../../src/engines/tfjs/backend';
import type { BackendStarters } from '../../src/engines/tfjs/backend-selection';
import { TfjsEngine } from '../../src/engines/tfjs/engine';
import { runExplanation } from '../../workers/explain/run';
import { startStaticServer, type StaticServer } from '../e2e/static-server';
import { MODELS_DIR, readManifest, shippedModelIds, type ShippedManifest } from '../helpers/shipped-models';
import { freshConnectionFetch, nodeTfjsWasmPaths } from '../helpers/tfjs-node';

// The TF.js engine on the first shipped model, in Node, served over HTTP as the page gets it.
const WASM = nodeTfjsWasmPaths();

describe('TfjsEngine on a shipped model (Node, wasm backend)', () => {
  let server: StaticServer;
  let id: string;
  let manifest: ShippedManifest;
  let url: string;

  beforeAll(async () => {
    id = shippedModelIds()[0];
    manifest = readManifest(id);
    server = await startStaticServer({ root: MODELS_DIR });
    url = `${server.url}${id}/`;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('loads in phases, warms up during load and classifies every example to its expected label', async () => {
    const phases: LoadProgress[] = [];
    const engine = new TfjsEngine({ wasmPaths: WASM, fetch: freshConnectionFetch });
    await engine.load({ id, url, maxTokens: manifest.maxTokens }, 'auto', (p) => phases.push(p));
    try {
      const order = [...new Set(phases.map((p) => p.phase))];
      expect(order).toEqual(['download', 'compile', 'warmup', 'ready']);
      const warmupDone = phases.find((p) => p.phase === 'warmup' && p.progress === 1);
      expect(warmupDone?.ms).toBeGreaterThanOrEqual(0);
      const downloaded = phases.filter((p) => p.phase === 'download').at(-1);
      expect(downloaded).toMatchObject({ progress: 1 });
      expect(downloaded?.loaded).toBeGreaterThan(1_000_000);

      // In Node there is no WebGPU: auto says so and runs on WebAssembly.
      const info = engine.info();
      expect(info).toMatchObject({ engine: 'tfjs', backend: 'wasm' });
      expect(info.device).toMatch(/WebAssembly/);
      expect(info.fallbackReason).toMatch(/WebGPU could not be used .*WebGPU.*; using WebAssembly instead\./);

      expect(engine.labels()).toEqual(manifest.labels);
      const texts = manifest.examples.map((e) => e.text);
      const probabilities = await engine.classify(texts, 3);
      expect(probabilities).toHaveLength(texts.length);
      probabilities.forEach((p, i) => {
        expect(p).toHaveLength(manifest.labels.length);
        expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        expect(rankScores(engine.labels(), p)[0].label, texts[i].slice(0, 80)).toBe(manifest.examples[i].label);
      });
      // A padded row scores as it does alone: the attention mask hides the padding.
      const shortest = texts.reduce((a, b) => (engine.tokenIds(a).length <= engine.tokenIds(b).length ? a : b));
      const [alone] = await engine.classify([shortest], 1);
      const [padded] = await engine.classify([shortest, ...texts], 16);
      for (let j = 0; j < alone.length; j++) expect(padded[j]).toBeCloseTo(alone[j], 5);
    } finally {
      await engine.dispose();
    }
  });

  it('cuts long texts head + tail, as the ONNX engine does', async () => {
    const engine = new TfjsEngine({ wasmPaths: WASM, fetch: freshConnectionFetch });
    await engine.load({ id, url, maxTokens: manifest.maxTokens }, 'wasm');
    try {
      const window = manifest.maxTokens ?? 512;
      const long = Array.from({ length: 20 }, () => manifest.examples[0].text).join(' ');
      const info = await engine.describeInput(long);
      expect(info).toMatchObject({ strategy: 'head+tail', truncated: true, maxTokens: window });
      expect(info.keptHead).toBe(Math.floor((window - 2) / 4));
      expect(engine.tokenIds(long)).toHaveLength(window);
      expect((await engine.describeInput('A short text.')).truncated).toBe(false);
      expect(engine.tokenCount('A short text.')).toBe(engine.tokenIds('A short text.').length - 2);
      expect((await engine.classify([long]))[0]).toHaveLength(manifest.labels.length);
    } finally {
      await engine.dispose();
    }
  });

  it('leaks no tensor over 200 classifications and 5 explanations, and dispose frees every weight', async () => {
    const before = tf.memory().numTensors;
    const engine = new TfjsEngine({ wasmPaths: WASM, fetch: freshConnectionFetch });
    await engine.load({ id, url, maxTokens: manifest.maxTokens }, 'wasm');
    try {
      const loaded = tf.memory().numTensors;
      expect(loaded).toBeGreaterThan(before);
      const texts = manifest.examples.map((e) => e.text.slice(0, 200));
      for (let i = 0; i < 200; i++) await engine.classify([texts[i % texts.length]], 1);
      expect(tf.memory().numTensors).toBe(loaded);
      for (let i = 0; i < 5; i++) {
        const explanation = await runExplanation(
          texts[i % texts.length],
          { numSamples: 40, numFeatures: 4, topLabels: 1, seed: i },
          { classify: (batch) => engine.classify(batch, 16), tokenCount: (text) => engine.tokenCount(text), labels: engine.labels() },
        );
        expect(explanation.weights.length).toBeGreaterThan(0);
      }
      expect(tf.memory().numTensors).toBe(loaded);
    } finally {
      await engine.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('falls back to the cpu backend when WebAssembly fails to start, and says why', async () => {
    const real = tfjsBackendStarters(WASM);
    const starters: BackendStarters = {
      ...real,
      wasm: { start: () => Promise.reject(new Error('the .wasm file could not be fetched')), describe: real.wasm.describe },
    };
    const before = tf.memory().numTensors;
    const engine = new TfjsEngine({ starters, fetch: freshConnectionFetch });
    await engine.load({ id, url, maxTokens: manifest.maxTokens }, 'auto');
    try {
      const info = engine.info();
      expect(info.backend).toBe('cpu');
      expect(info.fallbackReason).toMatch(/WebGPU could not be used/);
      expect(info.fallbackReason).toMatch(/WebAssembly could not be used \(the \.wasm file could not be fetched\)/);
      expect(info.fallbackReason).toMatch(/using the plain JavaScript \(cpu\) backend instead\.$/);
      const [probabilities] = await engine.classify([manifest.examples[0].text]);
      expect(rankScores(engine.labels(), probabilities)[0].label).toBe(manifest.examples[0].label);
    } finally {
      await engine.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('moves on to the next backend when WebGPU starts but cannot run the model', async () => {
    const real = tfjsBackendStarters(WASM);
    // A WebGPU backend that claims to start but that TF.js cannot run on: the warm-up fails.
    const starters: BackendStarters = { ...real, webgpu: { start: async () => undefined, describe: async () => 'WebGPU: broken adapter' } };
    const engine = new TfjsEngine({ starters, fetch: freshConnectionFetch });
    await engine.load({ id, url, maxTokens: manifest.maxTokens }, 'auto');
    try {
      expect(engine.info().backend).toBe('wasm');
      expect(engine.info().fallbackReason).toMatch(/^WebGPU could not be used \(it could not run the model: .+\); using WebAssembly instead\.$/);
      expect(await engine.classify(['a short text'])).toHaveLength(1);
    } finally {
      await engine.dispose();
    }
  });

  it('refuses an explicit WebGPU request where there is none, at once and without leaking', async () => {
    const before = tf.memory().numTensors;
    const engine = new TfjsEngine({ wasmPaths: WASM, fetch: freshConnectionFetch });
    const error = await engine.load({ id, url, maxTokens: manifest.maxTokens }, 'webgpu').then(
      () => undefined,
      (e: unknown) => toGlassboxError(e),
    );
    expect(error?.code).toBe('BACKEND_UNAVAILABLE');
    expect(error?.detail).toMatch(/WebGPU was requested but cannot run here \(WebGPU: .+\)\. Choose WebAssembly or auto\./);
    expect(tf.memory().numTensors).toBe(before);
    await expect(engine.classify(['text'])).rejects.toMatchObject({ code: 'MODEL_NOT_LOADED' });
  });

  it('stops a load when it is aborted', async () => {
    const engine = new TfjsEngine({ wasmPaths: WASM, fetch: freshConnectionFetch });
    const abort = new AbortController();
    const loading = engine.load({ id, url, maxTokens: manifest.maxTokens }, 'wasm', undefined, abort.signal);
    abort.abort();
    await expect(loading).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('rejects bad batch sizes and classification before load', async () => {
    const idle = new TfjsEngine({ wasmPaths: WASM, fetch: freshConnectionFetch });
    await expect(idle.classify(['text'])).rejects.toMatchObject({ code: 'MODEL_NOT_LOADED' });
    const engine = new TfjsEngine({ wasmPaths: WASM, fetch: freshConnectionFetch });
    await engine.load({ id, url, maxTokens: manifest.maxTokens }, 'wasm');
    try {
      await expect(engine.classify(['text'], 0)).rejects.toMatchObject({ code: 'BAD_INPUT' });
      await expect(engine.load({ id, url }, 'wasm')).rejects.toMatchObject({ code: 'INTERNAL' });
    } finally {
      await engine.dispose();
    }
  });
});
