import type { WordWeight } from '../core/contract/explanation-types';
import { indexWords } from '../core/explain/words';

/** A run of plain text, or a weighted word with its strength (|weight| relative to the largest, 0..1). */
export type Segment = { text: string } | { text: string; weight: number; strength: number };

/**
 * A text cut as the explanation sees it: weighted words become their own segments, everything
 * between them is merged into plain text runs. The page's highlighted text and the exported page
 * draw the same segments.
 */
export function highlightSegments(text: string, weights: readonly WordWeight[]): Segment[] {
  const weightOf = new Map(weights.map((w) => [w.word, w.weight]));
  const largest = Math.max(0, ...weights.map((w) => Math.abs(w.weight))) || 1;
  const segments: Segment[] = [];
  let plain = '';
  for (const piece of indexWords(text).pieces) {
    const weight = weightOf.get(piece);
    if (weight === undefined) {
      plain += piece;
      continue;
    }
    if (plain) segments.push({ text: plain });
    plain = '';
    segments.push({ text: piece, weight, strength: Math.abs(weight) / largest });
  }
  if (plain) segments.push({ text: plain });
  return segments;
}
