/**
 * Whether a text is unlike the text a model was trained on, from a cheap signal that needs no
 * model run: how many word pieces the model's tokenizer needs per word. English words are mostly
 * one piece each in a BERT vocabulary (1.1 to 1.3 per word on the shipped models' test texts);
 * another language's words, random letters and misspellings break into fragments (1.6 and more).
 * A text with few letters among its characters (emoji, symbols, numbers) is unfamiliar too.
 * The thresholds and what they were measured on: docs/explanations.md ("Unfamiliar text").
 */
export const FAMILIARITY = Object.freeze({
  /** Above this many word pieces per word, a long text reads as another language or noise. */
  maxPiecesPerWord: 1.5,
  /**
   * A short text's ratio swings more (one brand name in a six-word headline adds a third of a piece
   * per word), so the bar rises by this much divided by the square root of the words checked.
   */
  shortTextAllowance: 0.9,
  /** Below this share of letters among the characters that are not spaces, a text is mostly symbols. */
  minLetterShare: 0.5,
  /** Only this many words are tokenized: enough to tell, and cheap for a long text. */
  wordsChecked: 200,
});

export interface Familiarity {
  /** Word pieces per word, over the first FAMILIARITY.wordsChecked words of letters. */
  piecesPerWord: number;
  /** Letters among the characters that are not white space. */
  letterShare: number;
  /** Words of letters checked. */
  words: number;
}

const LETTER_RUN = /\p{L}+/gu;
const LETTER = /\p{L}/u;

/** The signal for `text`; `tokenCount` counts the model's word pieces in a text, special tokens left out. */
export function measureFamiliarity(text: string, tokenCount: (text: string) => number): Familiarity {
  const visible = [...text.replace(/\s+/g, '')];
  const letters = visible.filter((char) => LETTER.test(char)).length;
  const words = (text.match(LETTER_RUN) ?? []).slice(0, FAMILIARITY.wordsChecked);
  return {
    piecesPerWord: words.length > 0 ? tokenCount(words.join(' ')) / words.length : 0,
    letterShare: visible.length > 0 ? letters / visible.length : 0,
    words: words.length,
  };
}

/** The bar for a text of `words` words of letters. */
export function maxPiecesPerWord(words: number): number {
  return FAMILIARITY.maxPiecesPerWord + FAMILIARITY.shortTextAllowance / Math.sqrt(words);
}

/** A note for people when the text is unlike the training data, else undefined. */
export function unfamiliarNote({ piecesPerWord, letterShare, words }: Familiarity): string | undefined {
  if (words === 0 || letterShare < FAMILIARITY.minLetterShare) {
    return 'This text is mostly symbols, emoji or numbers, unlike the texts the model was trained on: the label is a guess.';
  }
  if (piecesPerWord > maxPiecesPerWord(words)) {
    return 'This text is unlike the training data (its words are not English words the model knows well: another language, or misspelt or random letters): the label is a guess.';
  }
  return undefined;
}
