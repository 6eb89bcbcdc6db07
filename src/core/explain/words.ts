/**
 * Text as words and separators, the way the reference LIME text explainer sees it (bag of words,
 * split_expression r'\W+'): a feature is a distinct word, case-sensitive, and removing a feature
 * removes every occurrence of it while keeping all separators.
 */
import { HEAD_SHARE } from '../text/truncate';

// Python 3's \W is Unicode-aware (a word character is a letter, a digit or '_');
// JavaScript's \W is ASCII-only even with the u flag, so spell the classes out.
const SEPARATOR_RUN = /([^\p{L}\p{N}_]+)/u;
const WORD_CHARACTER = /[\p{L}\p{N}_]/u;

/** pieceFeature value of a separator. */
export const SEPARATOR = -1;
/** pieceFeature value of a word that the feature cap leaves in every perturbed text. */
export const UNVARIED_WORD = -2;

export interface IndexedWords {
  text: string;
  /** Words and separators in order; joining them gives back the text. */
  pieces: string[];
  /** For each piece, its feature index, or SEPARATOR, or UNVARIED_WORD. */
  pieceFeature: Int32Array;
  /** The words LIME varies (its features), in order of first occurrence. */
  features: string[];
  /** Distinct words in the text; more than features.length when the cap applied. */
  distinctWords: number;
}

export function hasWords(text: string): boolean {
  return WORD_CHARACTER.test(text);
}

function isWord(piece: string): boolean {
  return WORD_CHARACTER.test(piece[0] ?? '');
}

/**
 * Splits the text and numbers its distinct words. With more than `maxFeatures` distinct words, the
 * varied ones are those nearest the two ends, HEAD_SHARE of them from the start and the rest from
 * the end: the parts a model that keeps a long text's head and tail (truncate.ts) actually reads.
 */
export function indexWords(text: string, maxFeatures = Number.POSITIVE_INFINITY): IndexedWords {
  const pieces = text.split(SEPARATOR_RUN).filter((piece) => piece !== '');
  const words = pieces.filter(isWord);
  const distinct = [...new Set(words)];
  const varied = distinct.length <= maxFeatures ? new Set(distinct) : wordsNearEnds(words, maxFeatures);
  const features = distinct.filter((word) => varied.has(word));
  const featureOf = new Map(features.map((word, i) => [word, i]));
  const pieceFeature = Int32Array.from(pieces, (piece) =>
    isWord(piece) ? (featureOf.get(piece) ?? UNVARIED_WORD) : SEPARATOR,
  );
  return { text, pieces, pieceFeature, features, distinctWords: distinct.length };
}

function wordsNearEnds(words: readonly string[], count: number): Set<string> {
  const chosen = new Set<string>();
  const headCount = Math.round(count * HEAD_SHARE);
  for (let i = 0; i < words.length && chosen.size < headCount; i++) chosen.add(words[i]);
  for (let i = words.length - 1; i >= 0 && chosen.size < count; i--) chosen.add(words[i]);
  return chosen;
}

/**
 * The text with every occurrence of each removed feature dropped. `kept[f]` is 1 to keep feature f,
 * 0 to remove it (a row of the perturbation matrix).
 */
export function removeWords(indexed: IndexedWords, kept: ArrayLike<number>): string {
  const { text, pieces, pieceFeature } = indexed;
  // Copies the runs of kept pieces as slices of the text: far fewer string joins than one per
  // piece, which matters for thousands of perturbations of a long text.
  let out = '';
  let runStart = 0;
  let offset = 0;
  for (let i = 0; i < pieces.length; i++) {
    const feature = pieceFeature[i];
    const length = pieces[i].length;
    if (feature >= 0 && kept[feature] === 0) {
      if (offset > runStart) out += text.slice(runStart, offset);
      runStart = offset + length;
    }
    offset += length;
  }
  return out + text.slice(runStart);
}
