import { GlassboxError } from '../../src/core/contract/errors';
import { checkText } from '../../src/core/text/text-input';
import { hasWords, indexWords, type IndexedWords } from '../../src/core/explain/words';

/** The text's words as every method varies them; a text without words cannot be explained by removing them. */
export function indexText(text: string, maxFeatures: number): IndexedWords {
  checkText(text);
  if (!hasWords(text)) {
    throw new GlassboxError(
      'BAD_INPUT',
      'The text has no words (letters or digits), and an explanation weighs the words of a text: add some words.',
    );
  }
  return indexWords(text, maxFeatures);
}
