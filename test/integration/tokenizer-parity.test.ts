import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, TEST_DATA, runPython } from '../helpers/python';

const TOKENIZER_DIR = resolve(TEST_DATA, 'tokenizer/bert-base-uncased');

function jsIds(tokenizer: Awaited<ReturnType<typeof AutoTokenizer.from_pretrained>>, text: string): number[] {
  const { input_ids } = tokenizer(text) as { input_ids: { data: BigInt64Array } };
  return Array.from(input_ids.data, Number);
}

describe('training tokenizer matches @huggingface/transformers', () => {
  it('gives identical ids over a corpus of awkward strings', async () => {
    env.allowRemoteModels = false;
    env.localModelPath = resolve(TEST_DATA, 'tokenizer') + '/';
    const tokenizer = await AutoTokenizer.from_pretrained('bert-base-uncased');
    const texts: string[] = JSON.parse(readFileSync(resolve(REPO_ROOT, 'test/fixtures/awkward-strings.json'), 'utf8'));
    const pythonIds: number[][] = JSON.parse(runPython('training.tokenize_texts', ['--tokenizer', TOKENIZER_DIR], JSON.stringify(texts)));
    expect(pythonIds).toHaveLength(texts.length);
    texts.forEach((text, i) => {
      expect({ text, ids: pythonIds[i] }).toEqual({ text, ids: jsIds(tokenizer, text) });
    });
  });
});

describe('training tokenizer matches @huggingface/transformers on the datasets', () => {
  it('gives identical ids on product descriptions and news articles', async () => {
    env.allowRemoteModels = false;
    env.localModelPath = resolve(TEST_DATA, 'tokenizer') + '/';
    const tokenizer = await AutoTokenizer.from_pretrained('bert-base-uncased');
    const { default: Papa } = await import('papaparse');
    const texts: string[] = [];
    for (const file of ['ecommerce/ecommerce.csv', 'bbc/bbc.csv']) {
      const parsed = Papa.parse<Record<string, string>>(readFileSync(resolve(TEST_DATA, file), 'utf8'), { header: true, skipEmptyLines: true });
      // Every 7th row spreads the sample over all labels (both files are grouped by label).
      texts.push(...parsed.data.filter((_, i) => i % 7 === 0).map((row) => row.text));
    }
    const pythonIds: number[][] = JSON.parse(runPython('training.tokenize_texts', ['--tokenizer', TOKENIZER_DIR], JSON.stringify(texts)));
    const mismatches = texts.filter((text, i) => JSON.stringify(pythonIds[i]) !== JSON.stringify(jsIds(tokenizer, text)));
    expect(mismatches).toEqual([]);
  });
});
