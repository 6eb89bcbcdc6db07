import { describe, expect, it } from 'vitest';
import { FAMILIARITY, maxPiecesPerWord, measureFamiliarity, unfamiliarNote } from '../../src/core/text/familiarity';

/** A stand-in tokenizer: a word of the vocabulary is one piece, any other word one piece per two letters. */
const VOCABULARY = new Set(['the', 'film', 'was', 'great', 'oil', 'prices', 'rise']);
const tokenCount = (text: string) => text.split(' ').reduce((sum, word) => sum + (VOCABULARY.has(word.toLowerCase()) ? 1 : Math.ceil(word.length / 2)), 0);

describe('unfamiliar text', () => {
  it('is not flagged when its words are the vocabulary\'s, short or long, with punctuation and numbers', () => {
    expect(unfamiliarNote(measureFamiliarity('The film was great!', tokenCount))).toBeUndefined();
    expect(unfamiliarNote(measureFamiliarity('Oil prices rise 3% (the 2nd time).', tokenCount))).toBeUndefined();
  });

  it('is flagged when its words break into fragments, or when it is mostly symbols', () => {
    const foreign = measureFamiliarity('Le gouvernement annonce une réforme', tokenCount);
    expect(foreign.piecesPerWord).toBeGreaterThan(FAMILIARITY.maxPiecesPerWord);
    expect(unfamiliarNote(foreign)).toMatch(/unlike the training data .* the label is a guess/);
    expect(unfamiliarNote(measureFamiliarity('😀🎉🔥👍', tokenCount))).toMatch(/mostly symbols, emoji or numbers/);
    expect(unfamiliarNote(measureFamiliarity('12 34 56 !! great', tokenCount))).toMatch(/mostly symbols/);
  });

  it('asks more pieces per word of a short text, whose ratio swings more, than of a long one', () => {
    expect(maxPiecesPerWord(4)).toBeCloseTo(FAMILIARITY.maxPiecesPerWord + FAMILIARITY.shortTextAllowance / 2, 10);
    expect(maxPiecesPerWord(200)).toBeLessThan(maxPiecesPerWord(20));
    const ratio = FAMILIARITY.maxPiecesPerWord + 0.2;
    expect(unfamiliarNote({ piecesPerWord: ratio, letterShare: 1, words: 5 })).toBeUndefined();
    expect(unfamiliarNote({ piecesPerWord: ratio, letterShare: 1, words: 200 })).toBeDefined();
  });

  it('tokenizes only the first words of a long text', () => {
    const seen: string[] = [];
    const long = Array.from({ length: 1000 }, () => 'film').join(' ');
    expect(measureFamiliarity(long, (text) => (seen.push(text), tokenCount(text)))).toMatchObject({ words: FAMILIARITY.wordsChecked, piecesPerWord: 1 });
    expect(seen[0].split(' ')).toHaveLength(FAMILIARITY.wordsChecked);
  });
});
