import { describe, expect, it } from 'vitest';
import { labelsFromConfig, parseManifest, parseModelIndex } from '../../src/core/model-folder/model-catalog';
import { formatBytes, readExamples, readFacts, readFiles, readMaxTokens, readMetrics, readOutOfDomain, readTargets } from '../../src/core/model-folder/model-card';
import type { ModelManifest } from '../../src/core/contract/types';
import { codeOf } from './helpers/error-code';

const base: ModelManifest = { id: 'sentiment', title: 'Movie reviews', task: 'text-classification', labels: ['negative', 'positive'] };

describe('parseModelIndex', () => {
  it('reads the shipped models and the default', () => {
    expect(parseModelIndex({ default: 'b', models: ['a', 'b'] })).toEqual({ default: 'b', models: ['a', 'b'] });
    expect(parseModelIndex({ models: ['a'] }).default).toBe('a');
  });
  it('refuses an index without models or with a default that is not listed', () => {
    expect(codeOf(() => parseModelIndex([]))).toBe('MODEL_INVALID');
    expect(codeOf(() => parseModelIndex({ models: [] }))).toBe('MODEL_INVALID');
    expect(codeOf(() => parseModelIndex({ default: 'z', models: ['a'] }))).toBe('MODEL_INVALID');
  });
});

describe('parseManifest and labelsFromConfig', () => {
  it('accepts a card with id, title, task and labels, keeping the rest', () => {
    expect(parseManifest({ ...base, extra: 1 }, '/m/')).toMatchObject({ id: 'sentiment', extra: 1 });
    expect(codeOf(() => parseManifest({ ...base, labels: 'x' }, '/m/'))).toBe('MODEL_INVALID');
    expect(codeOf(() => parseManifest({ title: 'x' }, '/m/'))).toBe('MODEL_INVALID');
  });
  it('reads labels in id order from id2label', () => {
    expect(labelsFromConfig({ id2label: { 1: 'positive', 0: 'negative' } }, '/m/')).toEqual(['negative', 'positive']);
    expect(codeOf(() => labelsFromConfig({}, '/m/'))).toBe('MODEL_INVALID');
    expect(codeOf(() => labelsFromConfig({ id2label: { 0: 'a', 2: 'c' } }, '/m/'))).toBe('MODEL_INVALID');
  });
  it('refuses an image classifier, which has labels too, naming its architecture', () => {
    const vit = { architectures: ['ViTForImageClassification'], model_type: 'vit', id2label: { 0: 'cat', 1: 'dog' } };
    expect(() => labelsFromConfig(vit, '/m/')).toThrow('/m/config.json describes a ViTForImageClassification, not a text classifier');
    expect(labelsFromConfig({ ...vit, architectures: ['BertForSequenceClassification'] }, '/m/')).toEqual(['cat', 'dog']);
  });
});

describe('model card readers', () => {
  const card: ModelManifest = {
    ...base,
    maxTokens: 256,
    examples: [{ text: 'Loved it', label: 'positive' }, { text: '  ' }, 'Plain string example', 7],
    metrics: {
      baseline: { accuracy: 0.88 },
      fp32: { accuracy: 0.9, macroF1: 0.89, perClass: { negative: { precision: 0.91, recall: 0.88 } }, confusionMatrix: [[10, 2], [1, 12]] },
      int8: { accuracy: 0.895, confusionMatrix: [[10, 2], [1]] },
      note: 'not a variant',
    },
    files: [{ path: 'onnx/model_quantized.onnx', bytes: 11_534_336, sha256: 'ab' }, { path: 'broken' }],
    split: { description: 'official 25k/25k', seed: 42, counts: { train: 25_000, test: 25_000 } },
  };

  it('lists metric variants, the shipped int8 first, and drops malformed matrices', () => {
    const metrics = readMetrics(card);
    expect(metrics.map((m) => m.variant)).toEqual(['int8', 'fp32', 'baseline']);
    expect(metrics[1]).toMatchObject({ accuracy: 0.9, macroF1: 0.89, confusionMatrix: [[10, 2], [1, 12]] });
    expect(metrics[1].perClass).toEqual([{ label: 'negative', precision: 0.91, recall: 0.88, f1: undefined }]);
    expect(metrics[0].confusionMatrix).toBeUndefined();
  });

  it('reads out-of-domain sets with the model first and the baseline on the same rows, skipping malformed ones', () => {
    const sets = readOutOfDomain({
      ...base,
      outOfDomain: {
        'yelp-sentences': { title: 'Yelp review sentences', description: '1,000 sentences', baseline: { accuracy: 0.79 }, int8: { accuracy: 0.81, macroF1: 0.8 }, ahead: 0.02 },
        headline: { int8: { accuracy: 0.7, confusionMatrix: [[3, 1], [0, 4]] } },
        broken: 'not a set',
        empty: { title: 'No metrics', ahead: 0 },
      },
    });
    expect(sets.map((s) => s.id)).toEqual(['yelp-sentences', 'headline']);
    expect(sets[0]).toMatchObject({ title: 'Yelp review sentences', description: '1,000 sentences' });
    expect(sets[0].variants.map((v) => [v.variant, v.accuracy])).toEqual([['int8', 0.81], ['baseline', 0.79]]);
    expect(sets[1]).toMatchObject({ title: 'headline', description: undefined });
    expect(sets[1].variants[0].confusionMatrix).toEqual([[3, 1], [0, 4]]);
    expect(readOutOfDomain(card)).toEqual([]);
  });

  it('reads the quality targets, met and missed, with what was tried, skipping malformed ones', () => {
    const targets = readTargets({
      ...base,
      targets: {
        items: [
          { set: 'test', target: 'at least 89.5% on the IMDB test split', needed: 0.895, reached: 0.884, met: false },
          { target: 'at least the baseline on titles', met: true, reached: 'high' },
          { target: 'no verdict' },
          'not a target',
        ],
        tried: 'Longer pretraining, on 2 CPU cores.',
      },
    });
    expect(targets).toEqual({
      items: [
        { target: 'at least 89.5% on the IMDB test split', met: false, reached: 0.884 },
        { target: 'at least the baseline on titles', met: true, reached: undefined },
      ],
      tried: 'Longer pretraining, on 2 CPU cores.',
    });
    expect(readTargets({ ...base, targets: { items: [{ target: 'no verdict' }] } })).toBeUndefined();
    expect(readTargets({ ...base, targets: 'all met' })).toBeUndefined();
    expect(readTargets(card)).toBeUndefined();
  });

  it('reads files, examples and the token window defensively', () => {
    expect(readFiles(card)).toEqual([{ path: 'onnx/model_quantized.onnx', bytes: 11_534_336, sha256: 'ab' }]);
    expect(readExamples(card)).toEqual([{ text: 'Loved it', label: 'positive' }, { text: 'Plain string example' }]);
    expect(readMaxTokens(card)).toBe(256);
    expect(readMaxTokens({ ...base, maxTokens: 'lots' })).toBeUndefined();
    expect(readMetrics(undefined)).toEqual([]);
  });

  it('flattens free-form sections with the description first', () => {
    expect(readFacts(card.split)).toEqual([
      { key: 'description', value: 'official 25k/25k' },
      { key: 'seed', value: '42' },
      { key: 'counts.train', value: '25,000' },
      { key: 'counts.test', value: '25,000' },
    ]);
    expect(readFacts('just words')).toEqual([{ key: '', value: 'just words' }]);
  });

  it('formats sizes for people', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(11_534_336)).toBe('11 MB');
    expect(formatBytes(1_572_864)).toBe('1.5 MB');
  });
});
