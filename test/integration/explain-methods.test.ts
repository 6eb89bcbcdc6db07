import { fileURLToPath } from 'node:url';
import * as ortNode from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineName } from '../../src/core/contract/types';
import type { Engine } from '../../src/engines/engine';
import { OnnxEngine } from '../../src/engines/onnx';
import type { OrtModule } from '../../src/engines/ort-runtime';
import { TfjsEngine } from '../../src/engines/tfjs/engine';
import { ClassifierService } from '../../workers/classifier-service';
import { inspectModelFolder } from '../../workers/model-folder';
import { startStaticServer, type StaticServer } from '../e2e/static-server';
import { readManifest } from '../helpers/shipped-models';
import { freshConnectionFetch, nodeTfjsWasmPaths } from '../helpers/tfjs-node';

// Every method on a shipped model through the worker's service: the page's ONNX engine, with the
// gradient method on a TF.js engine loaded beside it on the same files. Each explanation says what
// it is and is more faithful than a random ranking of the same words.
const PUBLIC = fileURLToPath(new URL('../../public', import.meta.url));
const ort = ortNode as unknown as OrtModule;

describe('explanation methods on the shipped sentiment model', () => {
  let server: StaticServer;
  let service: ClassifierService;
  const created: Engine[] = [];

  beforeAll(async () => {
    server = await startStaticServer({ root: PUBLIC });
    service = new ClassifierService({
      createEngine: async (name: EngineName) => {
        const engine = name === 'onnx' ? new OnnxEngine({ ort, cpuProvider: 'cpu' }) : new TfjsEngine({ wasmPaths: nodeTfjsWasmPaths(), fetch: freshConnectionFetch });
        created.push(engine);
        return engine;
      },
      resolveEngine: (choice) => (choice === 'auto' ? 'onnx' : choice),
      inspectFolder: (source) => inspectModelFolder(source, (url) => freshConnectionFetch(url)),
      detectWebGpu: async () => ({ available: false, reason: 'Node' }),
      now: () => performance.now(),
    });
    const manifest = readManifest('sentiment');
    await service.load({ id: 'sentiment', url: `${server.url}models/sentiment/`, maxTokens: manifest.maxTokens }, { engine: 'onnx', backend: 'wasm' });
  }, 120_000);

  afterAll(async () => {
    await service?.cancel();
    await Promise.all(created.map((engine) => engine.dispose()));
    await server?.close();
  });

  const TEXT = 'A wonderful, moving film with brilliant acting; the ending was a little slow but I loved it.';

  for (const method of ['occlusion', 'lime', 'kernelshap'] as const) {
    it(`${method}: names itself, counts its runs and beats a random ranking`, async () => {
      const explanation = await service.explain(TEXT, { method, numSamples: 300, topLabels: 1, seed: 1 });
      expect(explanation.method).toBe(method);
      expect(explanation.label).toBe('positive');
      expect(explanation.modelRuns).toBeGreaterThan(10);
      expect(explanation.comprehensiveness!.aopc).toBeGreaterThan(explanation.comprehensiveness!.random);
      expect(explanation.faithfulness!.modelRuns).toBeLessThanOrEqual(20);
      expect(explanation.weights.filter((w) => w.weight > 0).map((w) => w.word)).toEqual(expect.arrayContaining(['loved']));
    }, 120_000);
  }

  it('gradient: Integrated Gradients on a TF.js engine loaded beside ONNX Runtime, complete to within a few percent, and says so', async () => {
    const explanation = await service.explain(TEXT, { method: 'gradient', gradient: { steps: 16 } });
    expect(explanation.method).toBe('gradient');
    expect(explanation.gradient).toMatchObject({ variant: 'integrated', baseline: 'pad', steps: 16, engine: 'tfjs', backend: 'wasm' });
    expect(explanation.gradient!.note).toMatch(/ONNX Runtime takes no gradients/);
    const change = Math.abs(explanation.localPrediction! - explanation.intercept!);
    expect(explanation.gradient!.completenessError).toBeLessThan(0.02 + 0.1 * change);
    expect(explanation.comprehensiveness).toBeDefined();
    // The TF.js engine is kept for the next gradient explanation of the same model.
    const again = await service.explain('Dull and far too long.', { method: 'gradient', gradient: { variant: 'input' } });
    expect(again.gradient).toMatchObject({ variant: 'input', steps: 1 });
    expect(created.filter((engine) => engine instanceof TfjsEngine)).toHaveLength(1);
  }, 180_000);
});
