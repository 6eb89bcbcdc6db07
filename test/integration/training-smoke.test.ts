import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AutoModelForSequenceClassification, AutoTokenizer, env } from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATA, runPython } from '../helpers/python';

interface FileEntry { path: string; bytes: number; sha256: string }

/** The whole model factory on the tiny preset and a few hundred examples: pretrain, fine-tune, export, quantize, verify. */
describe('training pipeline smoke run', () => {
  const root = mkdtempSync(join(tmpdir(), 'glassbox-smoke-'));
  const models = join(root, 'models');
  let results: Array<{ id: string; verification: { passed: boolean; fp32VsTorchMaxAbsDiff: number; int8ArgmaxAgreement: number } }>;

  beforeAll(() => {
    const output = runPython('training.pipeline', [
      '--data', TEST_DATA, '--out', join(root, 'run'), '--models', models, '--preset', 'tiny', '--limit', '200',
      '--pretrain-tokens', '60000', '--pretrain-batch', '16', '--epochs', '1', '--ship-fp32', '--compare-random-init',
    ]);
    expect(output).toContain('"id": "news-topic"');
    results = JSON.parse(readFileSync(join(root, 'run', 'results.json'), 'utf8'));
  }, 300_000);

  it('verifies every model with onnxruntime-node', () => {
    expect(results.map((r) => r.id)).toEqual(['news-topic', 'sentiment', 'product-category']);
    for (const r of results) {
      expect(r.verification.passed).toBe(true);
      expect(r.verification.fp32VsTorchMaxAbsDiff).toBeLessThanOrEqual(1e-4);
      expect(r.verification.int8ArgmaxAgreement).toBeGreaterThanOrEqual(0.995);
    }
  });

  it('writes model folders whose manifest lists every file with its size and sha256', () => {
    const index = JSON.parse(readFileSync(join(models, 'index.json'), 'utf8'));
    expect(index).toEqual({ default: 'news-topic', models: ['news-topic', 'product-category', 'sentiment'] });
    for (const id of index.models as string[]) {
      const folder = join(models, id);
      const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8'));
      expect(manifest.id).toBe(id);
      expect(manifest.labels.length).toBeGreaterThan(1);
      for (const key of ['fp32', 'int8', 'baseline']) {
        expect(manifest.metrics[key].confusionMatrix).toHaveLength(manifest.labels.length);
        expect(manifest.metrics[key].accuracy).toBeGreaterThanOrEqual(0);
      }
      const paths = (manifest.files as FileEntry[]).map((f) => f.path);
      expect(paths).toEqual(expect.arrayContaining(['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx']));
      for (const file of manifest.files as FileEntry[]) {
        const bytes = readFileSync(join(folder, file.path));
        expect(bytes.length).toBe(file.bytes);
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
      }
    }
  });

  it('records each out-of-domain set with the baseline on the same rows', () => {
    const expected: Record<string, string[]> = {
      'news-topic': ['headline', 'first-sentence'],
      sentiment: ['amazon-sentences', 'yelp-sentences'],
      'product-category': ['title-12-words'],
    };
    for (const [id, sets] of Object.entries(expected)) {
      const manifest = JSON.parse(readFileSync(join(models, id, 'manifest.json'), 'utf8'));
      expect(Object.keys(manifest.outOfDomain)).toEqual(sets);
      for (const set of sets) {
        const { int8, baseline, ahead } = manifest.outOfDomain[set];
        expect(int8.examples).toBeGreaterThan(0);
        expect(baseline.examples).toBe(int8.examples);
        expect(int8.confusionMatrix.flat().reduce((a: number, b: number) => a + b, 0)).toBe(int8.examples);
        expect(ahead).toBeCloseTo(int8.accuracy - baseline.accuracy, 5);
      }
    }
  });

  it('records each quality target with the accuracy reached and a verdict that follows from it', () => {
    for (const id of ['news-topic', 'sentiment', 'product-category']) {
      const manifest = JSON.parse(readFileSync(join(models, id, 'manifest.json'), 'utf8'));
      const { items, tried } = manifest.targets;
      expect(items.length).toBeGreaterThan(1);
      for (const item of items) {
        const metrics = item.set === 'test' ? manifest.metrics : manifest.outOfDomain[item.set];
        expect(item.reached).toBeCloseTo(metrics.int8.accuracy, 5);
        expect(item.met).toBe(item.reached >= item.needed);
      }
      expect(tried !== undefined).toBe(items.some((item: { met: boolean }) => !item.met));
    }
  });

  it('pretrains by replaced-token detection and records it in the card', () => {
    const manifest = JSON.parse(readFileSync(join(models, 'sentiment', 'manifest.json'), 'utf8'));
    const pretraining = manifest.baseModel.pretraining;
    expect(pretraining.objective).toBe('electra');
    expect(pretraining.tokens_seen).toBeGreaterThan(0);
    expect(pretraining.final_discriminator_accuracy).toBeGreaterThan(0);
  });

  it('reports the gain from pretraining against the same fine-tuning from random initialisation', () => {
    for (const r of results) {
      const manifest = JSON.parse(readFileSync(join(models, r.id, 'manifest.json'), 'utf8'));
      const { pretrained, 'random-init': randomInit, gainFromPretraining, shipped } = manifest.initialisation;
      expect(randomInit.training.init).toBe('random');
      expect(pretrained.training.init).not.toBe('random');
      expect(gainFromPretraining).toBeCloseTo(pretrained.testAccuracy - randomInit.testAccuracy, 5);
      const best = pretrained.validationAccuracy >= randomInit.validationAccuracy ? 'pretrained' : 'random-init';
      expect(shipped).toBe(best);
    }
  });

  it('shrinks the download about four times with int8 weights', () => {
    const folder = join(models, 'news-topic', 'onnx');
    const ratio = statSync(join(folder, 'model.onnx')).size / statSync(join(folder, 'model_quantized.onnx')).size;
    expect(ratio).toBeGreaterThan(3.5);
  });

  it('loads in @huggingface/transformers as a local model with remote models disabled', async () => {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = models + '/';
    const tokenizer = await AutoTokenizer.from_pretrained('news-topic');
    const model = await AutoModelForSequenceClassification.from_pretrained('news-topic', { dtype: 'q8', device: 'cpu' });
    const inputs = tokenizer(['Shares fell sharply as the bank cut its profit forecast.', 'The striker scored twice.'], { padding: true });
    const { logits } = await model(inputs);
    expect(logits.dims).toEqual([2, 5]);
    expect(Array.from(logits.data as Float32Array).every(Number.isFinite)).toBe(true);
    await model.dispose();
  });

  it('names the missing dataset file when the data folder is wrong', () => {
    expect(() => runPython('training.pipeline', ['--data', resolve(root, 'nowhere'), '--out', join(root, 'bad'), '--models', join(root, 'bad-models'), '--preset', 'tiny'])).toThrow(
      /nowhere\/tokenizer\/bert-base-uncased\/tokenizer\.json: tokenizer file not found/,
    );
  });
});
