import { describe, expect, it } from 'vitest';
import type { ClassifyResult, LoadResult } from '../../src/core/contract/classifier-api';
import { errorDetail, explanationDetail, progressDetail, readyDetail, resultDetail } from '../../src/core/element/embed-events';
import { GlassboxError } from '../../src/core/contract/errors';
import type { Explanation } from '../../src/core/contract/explanation-types';

const loaded: LoadResult = {
  model: 'news-topic',
  url: 'https://site.test/models/news-topic/',
  engine: 'tfjs',
  backend: 'webgpu',
  device: 'adapter',
  webgpu: { available: true },
  labels: ['a', 'b'],
  msToReady: 900,
  phaseMs: {},
  reused: false,
};

describe('event details of <glassbox-classifier>', () => {
  it('gb-ready holds the model, engine and backend', () => {
    expect(readyDetail(loaded)).toEqual({ model: 'news-topic', engine: 'tfjs', backend: 'webgpu' });
  });

  it('gb-progress forwards download, explanation and batch progress, clamped to 0..1, and no other load phase', () => {
    expect(progressDetail({ phase: 'download', file: 'onnx/model_quantized.onnx', loaded: 5, total: 10, progress: 0.5 })).toEqual({
      phase: 'download',
      loaded: 5,
      total: 10,
      progress: 0.5,
    });
    expect(progressDetail({ phase: 'explain', loaded: 40, total: 40, progress: 1.0000001 })?.progress).toBe(1);
    expect(progressDetail({ phase: 'batch', stage: 'classifying', loaded: 3, total: 0, progress: Number.NaN })?.progress).toBe(0);
    expect(progressDetail({ phase: 'compile', loaded: 0, total: 0, progress: 0 })).toBeUndefined();
    expect(progressDetail({ phase: 'warmup', loaded: 0, total: 0, progress: 1, ms: 30 })).toBeUndefined();
  });

  it('gb-result holds exactly the documented fields, scores highest first, in fresh objects', () => {
    const result: ClassifyResult = {
      text: 'hello',
      label: 'b',
      scores: [
        { label: 'a', score: 0.3 },
        { label: 'b', score: 0.7 },
      ],
      engine: 'onnx',
      backend: 'wasm',
      ms: 12,
      truncation: { strategy: 'head+tail', tokens: 4, maxTokens: 128, truncated: false, keptHead: 2, keptTail: 0 },
    };
    const detail = resultDetail(result);
    expect(detail).toEqual({
      text: 'hello',
      label: 'b',
      scores: [
        { label: 'b', score: 0.7 },
        { label: 'a', score: 0.3 },
      ],
      engine: 'onnx',
      backend: 'wasm',
      ms: 12,
    });
    detail.scores[0].score = 0;
    expect(result.scores[1].score).toBe(0.7);
    // The note on unfamiliar text goes with the result.
    expect(resultDetail({ ...result, unfamiliar: 'the label is a guess' }).unfamiliar).toBe('the label is a guess');
  });

  it('gb-explanation describes the predicted label, weights by |weight|, without the per-label extras', () => {
    const top = {
      label: 'sport',
      labelIndex: 3,
      probability: 0.9,
      weights: [
        { word: 'cup', weight: 0.1 },
        { word: 'striker', weight: -0.4 },
        { word: 'goal', weight: 0.3 },
      ],
      intercept: 0.2,
      r2: 0.7,
      localPrediction: 0.85,
    };
    const explanation: Explanation = {
      ...top,
      text: 'striker goal cup',
      method: 'lime',
      scale: 'probability',
      modelRuns: 31,
      samples: 40,
      evaluated: 31,
      ms: 800,
      seed: 0,
      perLabel: [top],
      distinctWords: 3,
      features: 3,
      capped: false,
    };
    expect(explanationDetail(explanation)).toEqual({
      text: 'striker goal cup',
      label: 'sport',
      weights: [
        { word: 'striker', weight: -0.4 },
        { word: 'goal', weight: 0.3 },
        { word: 'cup', weight: 0.1 },
      ],
      method: 'lime',
      scale: 'probability',
      modelRuns: 31,
      intercept: 0.2,
      r2: 0.7,
      localPrediction: 0.85,
      samples: 40,
      ms: 800,
    });
  });

  it('gb-error holds the code and the message without its code prefix', () => {
    expect(errorDetail(new GlassboxError('MODEL_NOT_FOUND', 'There is no model at /models/x/.'))).toEqual({
      code: 'MODEL_NOT_FOUND',
      message: 'There is no model at /models/x/.',
    });
  });
});
