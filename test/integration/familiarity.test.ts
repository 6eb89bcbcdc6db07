import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { measureFamiliarity, unfamiliarNote } from '../../src/core/text/familiarity';

// The unfamiliar-text note against the shipped tokenizer: how often it fires on each model's own
// test texts (test/fixtures/test-texts, 120 each), and that it fires on what the model never saw.
const MODELS = fileURLToPath(new URL('../../public/models/', import.meta.url));
const TEXTS = fileURLToPath(new URL('../fixtures/test-texts/', import.meta.url));

describe('the unfamiliar-text note on the shipped tokenizer', () => {
  let count: (text: string) => number;

  beforeAll(async () => {
    env.allowRemoteModels = false;
    env.localModelPath = MODELS;
    const tokenizer = await AutoTokenizer.from_pretrained('news-topic');
    count = (text) => tokenizer.encode(text, { add_special_tokens: false }).length;
  });

  it.each(['news-topic', 'sentiment', 'product-category'])('fires on fewer than 5%% of the %s test texts', (model) => {
    const { texts } = JSON.parse(readFileSync(`${TEXTS}${model}.json`, 'utf8')) as { texts: { text: string }[] };
    const fired = texts.filter(({ text }) => unfamiliarNote(measureFamiliarity(text, count)) !== undefined).length;
    expect(fired / texts.length).toBeLessThan(0.05);
  });

  it('fires on emoji, another language and random characters, not on a short English text', () => {
    const note = (text: string) => unfamiliarNote(measureFamiliarity(text, count));
    expect(note('😀🎉🔥👍💯')).toBeDefined();
    expect(note('Le gouvernement a annoncé mardi une nouvelle réforme des retraites, suscitant la colère des syndicats qui appellent à une grève générale.')).toBeDefined();
    expect(note('Die Bundesregierung hat am Dienstag ein neues Gesetz zur Förderung erneuerbarer Energien beschlossen.')).toBeDefined();
    expect(note('xqzv kjhwe pqowieu zmxncbv qwepoi asdlkj zxcmnb')).toBeDefined();
    expect(note('#### $$$ 1234 %%% !!!')).toBeDefined();
    expect(note('Great product, works well')).toBeUndefined();
    expect(note('Oil prices hit record high')).toBeUndefined();
    // A headline with names and a product title with a brand and a code: short, English, in domain.
    expect(note('Greenspan warns Schwarzenegger on deficit')).toBeUndefined();
    expect(note('Snezhinka 100% Silk Pillow Cover In Charmeuse Weave')).toBeUndefined();
  });
});
