import { describe, expect, it } from 'vitest';
import { hasWords, indexWords, removeWords, UNVARIED_WORD } from '../../src/core/explain/words';

// Expected pieces come from Python: [s for s in re.split(r'(\W+)|$', text) if s], the reference's split.
describe('indexWords', () => {
  it.each([
    ['The cat, the CAT.', ['The', ' ', 'cat', ', ', 'the', ' ', 'CAT', '.']],
    ["don't stop-me now!!", ['don', "'", 't', ' ', 'stop', '-', 'me', ' ', 'now', '!!']],
    ['café naïve 42 x_y', ['café', ' ', 'naïve', ' ', '42', ' ', 'x_y']],
    ['  lead and trail  ', ['  ', 'lead', ' ', 'and', ' ', 'trail', '  ']],
    ['महात्मा गांधी', ['मह', 'ा', 'त', '्', 'म', 'ा ', 'ग', 'ां', 'ध', 'ी']],
  ])('splits %j as the reference does', (text, pieces) => {
    const indexed = indexWords(text);
    expect(indexed.pieces).toEqual(pieces);
    expect(indexed.pieces.join('')).toBe(text);
  });

  it('has one case-sensitive feature per distinct word, in order of first occurrence', () => {
    const indexed = indexWords('The cat, the CAT. The end');
    expect(indexed.features).toEqual(['The', 'cat', 'the', 'CAT', 'end']);
    expect(indexed.distinctWords).toBe(5);
    expect(Array.from(indexed.pieceFeature)).toEqual([0, -1, 1, -1, 2, -1, 3, -1, 0, -1, 4]);
  });

  it('caps the features at the distinct words nearest the ends, a quarter from the start', () => {
    const text = 'h1 h2 h1 m1 m2 m3 h2 m4 t5 t4 t3 t2 t1 t2';
    const indexed = indexWords(text, 8);
    expect(indexed.distinctWords).toBe(11);
    expect(indexed.features).toEqual(['h1', 'h2', 'm4', 't5', 't4', 't3', 't2', 't1']);
    const unvaried = indexed.pieces.filter((_, i) => indexed.pieceFeature[i] === UNVARIED_WORD);
    expect(unvaried).toEqual(['m1', 'm2', 'm3']);
  });

  it('finds no words in punctuation, symbols or whitespace', () => {
    expect(hasWords('?!… — 🙂 \n\t')).toBe(false);
    expect(indexWords('?!…').features).toEqual([]);
    expect(hasWords('¿qué?')).toBe(true);
  });
});

describe('removeWords', () => {
  it('drops every occurrence of a removed word and keeps every separator', () => {
    const indexed = indexWords('a b a. b, c');
    expect(removeWords(indexed, [0, 1, 1])).toBe(' b . b, c');
    expect(removeWords(indexed, [1, 0, 0])).toBe('a  a. , ');
    expect(removeWords(indexed, [0, 0, 0])).toBe('  . , ');
    expect(removeWords(indexed, [1, 1, 1])).toBe('a b a. b, c');
  });

  it('never removes the words the feature cap leaves out', () => {
    const indexed = indexWords('a b c d e', 2);
    expect(indexed.features).toEqual(['a', 'e']);
    expect(removeWords(indexed, [0, 0])).toBe(' b c d ');
  });
});
