import { describe, expect, it } from 'vitest';
import { parseMethod, parseSamples, resolveEmbedConfig, sameModelConfig } from '../../src/core/element/embed-config';
import { toGlassboxError } from '../../src/core/contract/errors';
import { codeOf } from './helpers/error-code';

const PAGE = 'https://blog.test/2024/05/post.html';
const LIBRARY_MODELS = 'https://blog.test/vendor/glassbox/models/';

const messageOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return toGlassboxError(error).detail;
  }
  return '';
};

describe('resolveEmbedConfig', () => {
  it('waits for a model attribute: without one there is nothing to load', () => {
    expect(resolveEmbedConfig({}, PAGE, LIBRARY_MODELS)).toBeUndefined();
    expect(resolveEmbedConfig({ model: '  ', engine: 'onnx' }, PAGE, LIBRARY_MODELS)).toBeUndefined();
  });

  it('looks in the models folder beside the library unless model-base-url says otherwise', () => {
    expect(resolveEmbedConfig({ model: 'news-topic' }, PAGE, LIBRARY_MODELS)).toEqual({
      source: { id: 'news-topic', url: 'https://blog.test/vendor/glassbox/models/news-topic/' },
      engine: 'auto',
      backend: 'auto',
    });
  });

  it('resolves model-base-url against the document, with or without its trailing slash', () => {
    const url = (modelBaseUrl: string) => resolveEmbedConfig({ model: 'sentiment', modelBaseUrl }, PAGE, LIBRARY_MODELS)?.source.url;
    expect(url('/models/')).toBe('https://blog.test/models/sentiment/');
    expect(url('/models')).toBe('https://blog.test/models/sentiment/');
    expect(url('../../models/')).toBe('https://blog.test/models/sentiment/');
    expect(url('models/?v=2#x')).toBe('https://blog.test/2024/05/models/sentiment/');
    expect(url('https://blog.test/static/m/')).toBe('https://blog.test/static/m/sentiment/');
  });

  it('takes engine and backend case-insensitively, empty meaning auto', () => {
    const config = resolveEmbedConfig({ model: 'm', engine: ' TFJS ', backend: 'WebGPU' }, PAGE, LIBRARY_MODELS);
    expect(config).toMatchObject({ engine: 'tfjs', backend: 'webgpu' });
    expect(resolveEmbedConfig({ model: 'm', engine: '', backend: null }, PAGE, LIBRARY_MODELS)).toMatchObject({ engine: 'auto', backend: 'auto' });
  });

  it('refuses unknown engines and backends, naming the allowed values', () => {
    expect(messageOf(() => resolveEmbedConfig({ model: 'm', engine: 'pytorch' }, PAGE, LIBRARY_MODELS))).toBe(
      'engine="pytorch" is not supported; use one of auto, onnx, tfjs.',
    );
    expect(codeOf(() => resolveEmbedConfig({ model: 'm', backend: 'cpu' }, PAGE, LIBRARY_MODELS))).toBe('BAD_INPUT');
    // Even before a model is set: the mistake is reported as soon as it is made.
    expect(codeOf(() => resolveEmbedConfig({ backend: 'gpu' }, PAGE, LIBRARY_MODELS))).toBe('BAD_INPUT');
  });

  it('refuses model folders on another origin, whether written or where the library came from', () => {
    expect(messageOf(() => resolveEmbedConfig({ model: 'm', modelBaseUrl: 'https://cdn.test/models/' }, PAGE, LIBRARY_MODELS))).toMatch(
      /^model-base-url points at https:\/\/cdn\.test, another site/,
    );
    expect(messageOf(() => resolveEmbedConfig({ model: 'm' }, PAGE, 'https://cdn.test/glassbox/models/'))).toMatch(
      /^The library was loaded from https:\/\/cdn\.test, another site/,
    );
    expect(codeOf(() => resolveEmbedConfig({ model: 'm', modelBaseUrl: 'data:text/plain,x' }, PAGE, LIBRARY_MODELS))).toBe('BAD_INPUT');
  });

  it('refuses model names that cannot be one folder', () => {
    for (const model of ['../secrets', 'a/b', 'bad--name', 'x.git']) {
      expect(codeOf(() => resolveEmbedConfig({ model }, PAGE, LIBRARY_MODELS)), model).toBe('BAD_INPUT');
    }
  });
});

describe('sameModelConfig', () => {
  it('compares folder, engine and backend', () => {
    const a = resolveEmbedConfig({ model: 'm', modelBaseUrl: '/models/' }, PAGE, LIBRARY_MODELS);
    expect(sameModelConfig(a, resolveEmbedConfig({ model: 'm', modelBaseUrl: '/models' }, PAGE, LIBRARY_MODELS))).toBe(true);
    expect(sameModelConfig(a, resolveEmbedConfig({ model: 'm', modelBaseUrl: '/models/', backend: 'wasm' }, PAGE, LIBRARY_MODELS))).toBe(false);
    expect(sameModelConfig(a, undefined)).toBe(false);
    expect(sameModelConfig(undefined, undefined)).toBe(true);
  });
});

describe('parseSamples', () => {
  it('uses the default when the attribute is absent', () => {
    expect(parseSamples(undefined, 1000)).toBe(1000);
    expect(parseSamples(null, 1000)).toBe(1000);
    expect(parseSamples(64, 1000)).toBe(64);
  });
  it('refuses fractions, numbers below 2 and what is not a number', () => {
    for (const value of [1.5, 1, 0, -3, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(codeOf(() => parseSamples(value, 1000)), String(value)).toBe('BAD_INPUT');
    }
  });
});

describe('parseMethod', () => {
  it('reads each method, lime when absent, whatever the case and spaces', () => {
    expect(parseMethod(undefined)).toBe('lime');
    expect(parseMethod('')).toBe('lime');
    expect(parseMethod(' KernelSHAP ')).toBe('kernelshap');
    for (const method of ['occlusion', 'lime', 'kernelshap', 'gradient']) expect(parseMethod(method)).toBe(method);
  });
  it('refuses an unknown method, naming the ones it takes', () => {
    expect(codeOf(() => parseMethod('shap'))).toBe('BAD_INPUT');
    expect(messageOf(() => parseMethod('shap'))).toContain('occlusion, lime, kernelshap, gradient');
  });
});
