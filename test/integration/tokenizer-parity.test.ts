import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, SHARED_DATA, runPython } from '../helpers/python';

const TOKENIZER_DIR = resolve(SHARED_DATA, 'tokenizer/bert-base-uncased');

function jsIds(tokenizer: Awaited<ReturnType<typeof AutoTokenizer.from_pretrained>>, text: string): number[] {
  const { input_ids } = tokenizer(text) as { input_ids: { data: BigInt64Array } };
  return Array.from(input_ids.data, Number);
}

describe('training tokenizer matches @huggingface/transformers', () => {
  it('gives identical ids over a corpus of awkward strings', async () => {
    env.allowRemoteModels = false;
    env.localModelPath = resolve(SHARED_DATA, 'tokenizer') + '/';
    const tokenizer = await AutoTokenizer.from_pretrained('bert-base-uncased');
    const texts: string[] = JSON.parse(readFileSync(resolve(REPO_ROOT, 'test/fixtures/awkward-strings.json'), 'utf8'));
    const pythonIds: number[][] = JSON.parse(runPython('training.tokenize_texts', ['--tokenizer', TOKENIZER_DIR], JSON.stringify(texts)));
    expect(pythonIds).toHaveLength(texts.length);
    texts.forEach((text, i) => {
      expect({ text, ids: pythonIds[i] }).toEqual({ text, ids: jsIds(tokenizer, text) });
    });
  });
});
