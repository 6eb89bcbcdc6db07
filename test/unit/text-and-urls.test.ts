import { describe, expect, it } from 'vitest';
import { resolveModelFolder, splitModelFolder } from '../../src/core/model-folder/model-url';
import { checkText, MAX_TEXT_CHARS } from '../../src/core/text/text-input';
import { codeOf } from './helpers/error-code';

const PAGE = 'https://example.test/glassbox/index.html';

describe('checkText', () => {
  it('passes real text through unchanged', () => {
    expect(checkText('  Stocks rallied.  ')).toBe('  Stocks rallied.  ');
  });
  it('answers empty and whitespace-only text with EMPTY_TEXT', () => {
    expect(codeOf(() => checkText(''))).toBe('EMPTY_TEXT');
    expect(codeOf(() => checkText('\n \t\u00a0'))).toBe('EMPTY_TEXT');
  });
  it('refuses non-strings and texts beyond the size limit with BAD_INPUT', () => {
    expect(codeOf(() => checkText(42))).toBe('BAD_INPUT');
    expect(codeOf(() => checkText('a'.repeat(MAX_TEXT_CHARS + 1)))).toBe('BAD_INPUT');
  });
});

describe('resolveModelFolder', () => {
  it('resolves paths against the page, under a sub-path, and adds the trailing slash', () => {
    expect(resolveModelFolder('models/my-bert', PAGE)).toEqual({ id: 'my-bert', url: 'https://example.test/glassbox/models/my-bert/' });
    expect(resolveModelFolder('/other/sst2.v1/', PAGE)).toEqual({ id: 'sst2.v1', url: 'https://example.test/other/sst2.v1/' });
  });
  it('accepts absolute URLs on the same origin, dropping query and hash', () => {
    expect(resolveModelFolder('https://example.test/m/x?y=1#z', PAGE).url).toBe('https://example.test/m/x/');
  });
  it('refuses other origins, other schemes, empty input and unusable folder names', () => {
    expect(codeOf(() => resolveModelFolder('https://cdn.example.com/models/x/', PAGE))).toBe('BAD_INPUT');
    expect(codeOf(() => resolveModelFolder('data:text/plain,hi', PAGE))).toBe('BAD_INPUT');
    expect(codeOf(() => resolveModelFolder('   ', PAGE))).toBe('BAD_INPUT');
    expect(codeOf(() => resolveModelFolder('/', PAGE))).toBe('BAD_INPUT');
    expect(codeOf(() => resolveModelFolder('models/bad--name/', PAGE))).toBe('BAD_INPUT');
    expect(codeOf(() => resolveModelFolder('models/trailing-/', PAGE))).toBe('BAD_INPUT');
  });
});

describe('splitModelFolder', () => {
  it('splits a folder URL into its parent and its name', () => {
    expect(splitModelFolder('https://example.test/glassbox/models/news-topic/')).toEqual({
      parent: 'https://example.test/glassbox/models/',
      name: 'news-topic',
    });
  });
});
