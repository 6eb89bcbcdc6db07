import { describe, expect, it } from 'vitest';
import { toGlassboxError } from '../../src/core/contract/errors';
import { fitToWindow, headTail, resolveTokenWindow } from '../../src/core/text/truncate';
import { catchError } from './helpers/error-code';

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

describe('headTail', () => {
  it('keeps short content whole', () => {
    expect(headTail([1, 2, 3], 5)).toEqual({ kept: [1, 2, 3], keptHead: 3, keptTail: 0 });
  });

  it('keeps the first quarter and the last three quarters of the budget', () => {
    const { kept, keptHead, keptTail } = headTail(range(1000), 254);
    expect(keptHead).toBe(63);
    expect(keptTail).toBe(191);
    expect(kept).toHaveLength(254);
    expect(kept.slice(0, 63)).toEqual(range(63));
    expect(kept.slice(63)).toEqual(range(191, 1000 - 191));
  });

  it('rejects a budget that is not a positive integer', () => {
    expect(() => headTail([1], 0)).toThrow(/positive integer/);
    expect(() => headTail([1], 2.5)).toThrow(/positive integer/);
  });
});

describe('fitToWindow', () => {
  const CLS = 101;
  const SEP = 102;
  const bert = (content: number[]) => [CLS, ...content, SEP];

  it('leaves a text that fits untouched and says so', () => {
    const { ids, info } = fitToWindow(bert([5, 6, 7]), [5, 6, 7], 8);
    expect(ids).toEqual([CLS, 5, 6, 7, SEP]);
    expect(info).toEqual({ strategy: 'head+tail', tokens: 5, maxTokens: 8, truncated: false, keptHead: 3, keptTail: 0 });
  });

  it('cuts a long text to exactly the window, keeping [CLS] and [SEP]', () => {
    const content = range(600, 1000);
    const { ids, info } = fitToWindow(bert(content), content, 256);
    expect(ids).toHaveLength(256);
    expect(ids[0]).toBe(CLS);
    expect(ids.at(-1)).toBe(SEP);
    expect(ids.slice(1, 64)).toEqual(content.slice(0, 63));
    expect(ids.slice(64, 255)).toEqual(content.slice(600 - 191));
    expect(info).toMatchObject({ tokens: 602, maxTokens: 256, truncated: true, keptHead: 63, keptTail: 191 });
  });

  it('refuses a window with no room for text', () => {
    expect(toGlassboxError(catchError(() => fitToWindow(bert([5]), [5], 2))).code).toBe('MODEL_INVALID');
  });

  it('refuses a tokenizer whose special tokens alter the text tokens', () => {
    expect(toGlassboxError(catchError(() => fitToWindow([1, 9, 9, 2], [5, 6], 10))).code).toBe('MODEL_INVALID');
  });
});

describe('resolveTokenWindow', () => {
  it('prefers the window the model was fine-tuned with', () => {
    expect(resolveTokenWindow({ declared: 256, tokenizerMax: 512, positions: 512 })).toBe(256);
  });
  it('falls back to the tokenizer limit, ignoring its huge placeholder', () => {
    expect(resolveTokenWindow({ tokenizerMax: 384, positions: 512 })).toBe(384);
    expect(resolveTokenWindow({ tokenizerMax: 1e30, positions: 512 })).toBe(512);
  });
  it('never exceeds the position table', () => {
    expect(resolveTokenWindow({ declared: 1024, positions: 512 })).toBe(512);
    expect(resolveTokenWindow({})).toBe(512);
  });
});
