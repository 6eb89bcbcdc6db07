import { describe, expect, it } from 'vitest';
import { toGlassboxError } from '../../src/core/contract/errors';
import { labelsFromConfig } from '../../src/core/model-folder/model-catalog';
import { bertWeightCount, checkConfigLimits, checkWeightsFit, MODEL_LIMITS } from '../../src/core/model-folder/model-limits';
import { downloadBytes } from '../../src/engines/download';
import { parseBertConfig } from '../../src/engines/tfjs/bert-config';
import { inspectModelFolder } from '../../workers/model-folder';

const WHERE = 'http://site.test/models/hostile/config.json';
const FOLDER = 'http://site.test/models/hostile/';
const BERT = {
  model_type: 'bert',
  hidden_size: 256,
  num_attention_heads: 4,
  num_hidden_layers: 4,
  intermediate_size: 1024,
  vocab_size: 30522,
  max_position_embeddings: 512,
  type_vocab_size: 2,
  id2label: { 0: 'a', 1: 'b' },
};

function errorOf(work: () => unknown): { code: string; detail: string } {
  try {
    work();
  } catch (error) {
    return toGlassboxError(error);
  }
  throw new Error('it was accepted');
}

async function rejectionOf(work: Promise<unknown>): Promise<{ code: string; detail: string }> {
  return work.then(
    () => {
      throw new Error('it was accepted');
    },
    (error: unknown) => toGlassboxError(error),
  );
}

describe('model limits', () => {
  it.each([
    ['num_hidden_layers', 1_000_000_000],
    ['hidden_size', 1_000_000],
    ['num_attention_heads', 100_000],
    ['intermediate_size', 10_000_000],
    ['vocab_size', 2_000_000_000],
    ['max_position_embeddings', 1_000_000],
    ['type_vocab_size', 1_000_000],
  ])('refuses "%s": %d by name, in both engines’ config readers', (field, value) => {
    const hostile = { ...BERT, [field]: value };
    for (const read of [() => checkConfigLimits(hostile, WHERE), () => parseBertConfig(hostile, FOLDER), () => labelsFromConfig(hostile, FOLDER)]) {
      const error = errorOf(read);
      expect(error.code).toBe('MODEL_INVALID');
      expect(error.detail).toContain(`"${field}": ${value}`);
    }
  });

  it('accepts the sizes of BERT-large and a multilingual vocabulary', () => {
    expect(() => checkConfigLimits({ ...BERT, num_hidden_layers: 24, hidden_size: 1024, num_attention_heads: 16, intermediate_size: 4096, vocab_size: 250_002 }, WHERE)).not.toThrow();
  });

  it('refuses a million labels before reading them, and a label as long as a book', () => {
    const many = Object.fromEntries(Array.from({ length: 1_000_000 }, (_, i) => [String(i), `l${i}`]));
    expect(errorOf(() => labelsFromConfig({ ...BERT, id2label: many }, FOLDER)).detail).toContain('1000000 labels');
    const long = errorOf(() => labelsFromConfig({ ...BERT, id2label: { 0: 'a', 1: 'x'.repeat(100_000) } }, FOLDER));
    expect(long.detail).toContain('100000 characters');
  });

  it('refuses a config that describes more weights than the model file has bytes', () => {
    const sizes = { vocabSize: 30522, maxPositions: 512, typeVocabSize: 2, hiddenSize: 256, intermediateSize: 1024, numLayers: 4 };
    const weights = bertWeightCount(sizes);
    expect(() => checkWeightsFit(sizes, weights + 1000, WHERE, 'model.onnx')).not.toThrow();
    expect(errorOf(() => checkWeightsFit(sizes, 1_000_000, WHERE, 'model.onnx')).detail).toMatch(/describes 11\.\d million weights, but model\.onnx is only 1 MiB/);
  });

  it('refuses a hostile config.json when the worker first looks at the folder, for either engine', async () => {
    const served = async (url: string) => (url.endsWith('config.json') ? new Response(JSON.stringify({ ...BERT, num_hidden_layers: 1e9 })) : new Response('', { status: 404 }));
    const error = await rejectionOf(inspectModelFolder({ id: 'hostile', url: FOLDER }, served));
    expect(error).toMatchObject({ code: 'MODEL_INVALID' });
    expect(error.detail).toContain('num_hidden_layers');
  });

  it('refuses a JSON file larger than the limit by its Content-Length, without reading it', async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const served = async () => new Response(body, { headers: { 'content-length': String(MODEL_LIMITS.jsonBytes + 1) } });
    const error = await rejectionOf(inspectModelFolder({ id: 'hostile', url: FOLDER }, served));
    expect(error.code).toBe('MODEL_INVALID');
    expect(error.detail).toContain('larger than');
    expect(pulled).toBeLessThanOrEqual(1);
  });

  it('stops a download that goes past its limit, whatever the server declared', async () => {
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1024;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const error = await rejectionOf(downloadBytes('http://site.test/big.onnx', async () => new Response(body), () => undefined, 10 * 1024));
    expect(error.code).toBe('MODEL_INVALID');
    expect(error.detail).toContain('http://site.test/big.onnx');
    expect(sent).toBeLessThan(20 * 1024);
    const declared = await rejectionOf(
      downloadBytes('http://site.test/big.onnx', async () => new Response('x', { headers: { 'content-length': String(MODEL_LIMITS.modelBytes + 1) } }), () => undefined),
    );
    expect(declared.detail).toContain('more than glassbox loads');
  });
});
