import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import protobuf from 'protobufjs';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlassboxError, type GlassboxError } from '../../src/core/contract/errors';
import { TfjsEngine } from '../../src/engines/tfjs/engine';
import { startStaticServer, type StaticServer } from '../e2e/static-server';
import { MODELS_DIR, shippedModelIds } from '../helpers/shipped-models';
import { freshConnectionFetch, nodeTfjsWasmPaths } from '../helpers/tfjs-node';

// Broken copies of a shipped model folder: each must end in a GlassboxError that names the problem.

/** The slice of onnx.proto these edits touch; everything else in the file is dropped on re-encoding, which the engine does not read. */
const ONNX_SCHEMA = protobuf.Root.fromJSON({
  nested: {
    ModelProto: { fields: { graph: { type: 'GraphProto', id: 7 } } },
    GraphProto: {
      fields: { node: { rule: 'repeated', type: 'NodeProto', id: 1 }, initializer: { rule: 'repeated', type: 'TensorProto', id: 5 } },
    },
    NodeProto: {
      fields: {
        input: { rule: 'repeated', type: 'string', id: 1 },
        output: { rule: 'repeated', type: 'string', id: 2 },
        opType: { type: 'string', id: 4 },
      },
    },
    TensorProto: {
      fields: {
        dims: { rule: 'repeated', type: 'int64', id: 1 },
        dataType: { type: 'int32', id: 2 },
        name: { type: 'string', id: 8 },
        rawData: { type: 'bytes', id: 9 },
      },
    },
  },
});
const ModelProto = ONNX_SCHEMA.lookupType('ModelProto');

interface Tensor {
  name: string;
  dims: (number | { toNumber(): number })[];
  dataType: number;
  rawData: Uint8Array;
}
interface Model {
  graph: { node: { opType: string }[]; initializer: Tensor[] };
}
interface Config {
  hidden_size: number;
  intermediate_size: number;
  num_hidden_layers: number;
  vocab_size: number;
  model_type: string;
}

interface Variant {
  onnx?: (model: Model) => void;
  bytes?: (bytes: Uint8Array) => Uint8Array;
  config?: (config: Config) => void;
  withoutOnnx?: boolean;
}

describe('TfjsEngine refuses broken model folders with a typed error', () => {
  let source: string;
  let root: string;
  let server: StaticServer;
  let config: Config;

  beforeAll(async () => {
    source = path.join(MODELS_DIR, shippedModelIds()[0]);
    config = JSON.parse(readFileSync(path.join(source, 'config.json'), 'utf8')) as Config;
    root = mkdtempSync(path.join(tmpdir(), 'glassbox-tfjs-bad-'));
    server = await startStaticServer({
      root,
      override: (pathname, _request, response) => {
        if (!pathname.endsWith('/html-page/onnx/model_quantized.onnx')) return false;
        response.writeHead(200, { 'Content-Type': 'text/html' });
        response.end('<!doctype html><title>Not found</title><p>The page you asked for is not here.</p>');
        return true;
      },
    });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  /** Copies the model folder under `name` with `variant` applied. */
  function writeVariant(name: string, variant: Variant): void {
    const folder = path.join(root, name);
    mkdirSync(path.join(folder, 'onnx'), { recursive: true });
    for (const file of ['tokenizer.json', 'tokenizer_config.json']) copyFileSync(path.join(source, file), path.join(folder, file));
    const changedConfig = structuredClone(config);
    variant.config?.(changedConfig);
    writeFileSync(path.join(folder, 'config.json'), JSON.stringify(changedConfig));
    if (!variant.withoutOnnx) {
      let bytes: Uint8Array = readFileSync(path.join(source, 'onnx/model_quantized.onnx'));
      if (variant.onnx) {
        const model = ModelProto.toObject(ModelProto.decode(bytes), { defaults: true }) as Model;
        variant.onnx(model);
        bytes = ModelProto.encode(ModelProto.fromObject(model)).finish();
      }
      writeFileSync(path.join(folder, 'onnx/model_quantized.onnx'), variant.bytes ? variant.bytes(bytes) : bytes);
    }
  }

  /** Loads a copy changed by `variant` and returns the error it must end in. */
  async function loadVariant(name: string, variant: Variant): Promise<GlassboxError> {
    writeVariant(name, variant);
    const before = tf.memory().numTensors;
    const engine = new TfjsEngine({ wasmPaths: nodeTfjsWasmPaths(), fetch: freshConnectionFetch });
    const error = await engine.load({ id: name, url: `${server.url}${name}/` }, 'wasm').then(
      () => {
        throw new Error(`${name} loaded although it is broken`);
      },
      (e: unknown) => toGlassboxError(e),
    );
    expect(tf.memory().numTensors, 'tensors left behind by a failed load').toBe(before);
    await expect(engine.classify(['text'])).rejects.toMatchObject({ code: 'MODEL_NOT_LOADED' });
    return error;
  }

  it('loads the copy when nothing is changed (the control for every case below)', async () => {
    writeVariant('unchanged', { onnx: () => undefined });
    const engine = new TfjsEngine({ wasmPaths: nodeTfjsWasmPaths(), fetch: freshConnectionFetch });
    await engine.load({ id: 'unchanged', url: `${server.url}unchanged/` }, 'wasm');
    expect(await engine.classify(['a short text'])).toHaveLength(1);
    await engine.dispose();
  });

  const tensor = (model: Model, name: string): Tensor => {
    const found = model.graph.initializer.find((t) => t.name === name);
    if (!found) throw new Error(`the test model has no tensor ${name}`);
    return found;
  };

  it('names a float tensor whose shape does not match config.json, with both shapes', async () => {
    const name = 'bert.encoder.layer.0.intermediate.dense.bias';
    const size = config.intermediate_size;
    const error = await loadVariant('short-bias', {
      onnx: (model) => {
        const bias = tensor(model, name);
        bias.dims = [size - 1];
        bias.rawData = bias.rawData.slice(0, (size - 1) * 4);
      },
    });
    expect(error.code).toBe('MODEL_INVALID');
    expect(error.detail).toContain(`"${name}" has shape [${size - 1}] but config.json implies [${size}]`);
  });

  it('names an int8 tensor whose shape does not match config.json, with both shapes', async () => {
    const name = 'bert.encoder.layer.0.attention.self.query.weight_quantized';
    const h = config.hidden_size;
    const error = await loadVariant('narrow-query', {
      onnx: (model) => {
        const query = tensor(model, name);
        query.dims = [h, h / 2];
        query.rawData = query.rawData.slice(0, (h * h) / 2);
      },
    });
    expect(error.code).toBe('MODEL_INVALID');
    expect(error.detail).toContain(`"${name}" has shape [${h}, ${h / 2}] but config.json implies [${h}, ${h}]`);
  });

  it('names the first weight that disagrees with a changed config.json', async () => {
    const h = config.hidden_size;
    const size = config.intermediate_size;
    const error = await loadVariant('wrong-config', { config: (c) => (c.intermediate_size = size + 4) });
    expect(error.code).toBe('MODEL_INVALID');
    expect(error.detail).toContain(`"bert.encoder.layer.0.intermediate.dense.weight_quantized" has shape [${h}, ${size}] but config.json implies [${h}, ${size + 4}]`);
  });

  it('says when config.json has fewer layers than the weights', async () => {
    const error = await loadVariant('fewer-layers', { config: (c) => (c.num_hidden_layers -= 1) });
    expect(error.code).toBe('MODEL_INVALID');
    expect(error.detail).toMatch(/more layers than config\.json's num_hidden_layers/);
  });

  it('says when a tensor holds fewer bytes than its shape needs', async () => {
    const name = 'bert.embeddings.LayerNorm.weight';
    const error = await loadVariant('short-data', {
      onnx: (model) => {
        const weight = tensor(model, name);
        weight.rawData = weight.rawData.slice(0, weight.rawData.length - 4);
      },
    });
    expect(error.code).toBe('MODEL_INVALID');
    expect(error.detail).toContain(`"${name}" holds ${config.hidden_size * 4 - 4} bytes but its shape [${config.hidden_size}] needs ${config.hidden_size * 4}`);
  });

  it('names a missing weight and points to the ONNX engine', async () => {
    const error = await loadVariant('missing-weight', { onnx: (model) => (tensor(model, 'classifier.bias').name = 'renamed') });
    expect(error.code).toBe('MODEL_INVALID');
    expect(error.detail).toMatch(/has no weight "classifier\.bias".*use the ONNX engine/);
  });

  it('refuses another quantization format (MatMulInteger) and points to the ONNX engine', async () => {
    const error = await loadVariant('matmul-integer', {
      onnx: (model) => {
        const matmul = model.graph.node.find((node) => node.opType === 'MatMul');
        if (!matmul) throw new Error('the test model has no MatMul');
        matmul.opType = 'MatMulInteger';
      },
    });
    expect(error.code).toBe('MODEL_INVALID');
    expect(error.detail).toMatch(/uses MatMulInteger operators.*Use the ONNX engine for this model \(auto picks it\)/);
  });

  it('refuses a truncated model file', async () => {
    const error = await loadVariant('truncated', { bytes: (bytes) => bytes.slice(0, Math.floor(bytes.length / 2)) });
    expect(error.code).toBe('MODEL_INVALID');
    expect(error.detail).toMatch(/model_quantized\.onnx is not a readable ONNX model/);
  });

  it('refuses an HTML page served in place of the model', async () => {
    const error = await loadVariant('html-page', { withoutOnnx: true });
    expect(error.code).toBe('MODEL_INVALID');
    expect(error.detail).toMatch(/is not a readable ONNX model .*error page/);
  });

  it('reports a missing model file as not found', async () => {
    const error = await loadVariant('no-onnx', { withoutOnnx: true });
    expect(error.code).toBe('MODEL_NOT_FOUND');
    expect(error.detail).toMatch(/no-onnx\/onnx\/model_quantized\.onnx is missing \(HTTP 404\)/);
  });

  it('refuses a config.json that claims a billion layers by name, before sizing anything by it', async () => {
    const started = performance.now();
    const error = await loadVariant('billion-layers', { config: (c) => (c.num_hidden_layers = 1_000_000_000) });
    expect(error.code).toBe('MODEL_INVALID');
    expect(error.detail).toContain('"num_hidden_layers": 1000000000');
    // The download of the shipped copy dominates; the old engine never came back from this folder.
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it('refuses a config.json that describes more weights than the model file holds', async () => {
    const error = await loadVariant('config-of-another-model', {
      config: (c) => {
        c.num_hidden_layers = 24;
        c.hidden_size = 1024;
        c.intermediate_size = 4096;
      },
    });
    expect(error.code).toBe('MODEL_INVALID');
    expect(error.detail).toMatch(/describes 3\d\d\.\d million weights, but .*model_quantized\.onnx is only .* MiB/);
  });

  it('refuses architectures it does not implement', async () => {
    const error = await loadVariant('distilbert', { config: (c) => (c.model_type = 'distilbert') });
    expect(error.code).toBe('MODEL_INVALID');
    expect(error.detail).toMatch(/"distilbert" model.*Use the ONNX engine/);
  });

  it('refuses a tokenizer with more ids than the model has embeddings', async () => {
    const error = await loadVariant('small-vocabulary', { config: (c) => (c.vocab_size = 1000) });
    expect(error.code).toBe('MODEL_INVALID');
    expect(error.detail).toMatch(/token ids up to \d+ but config\.json's vocab_size is 1000/);
  });
});
