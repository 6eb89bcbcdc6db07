import { GlassboxError } from '../contract/errors';

/** Beyond this the tokenizer alone would stall the worker; no classification needs a whole book. */
export const MAX_TEXT_CHARS = 200_000;

/** Returns the text to classify, or throws EMPTY_TEXT / BAD_INPUT before any model call. */
export function checkText(text: unknown): string {
  if (typeof text !== 'string') {
    throw new GlassboxError('BAD_INPUT', `Expected the text to classify as a string, got ${text === null ? 'null' : typeof text}.`);
  }
  if (text.trim().length === 0) {
    throw new GlassboxError('EMPTY_TEXT', 'There is no text to classify: type or paste some words first.');
  }
  if (text.length > MAX_TEXT_CHARS) {
    throw new GlassboxError(
      'BAD_INPUT',
      `The text is ${text.length.toLocaleString('en')} characters long; the limit is ${MAX_TEXT_CHARS.toLocaleString('en')}. Paste an excerpt instead.`,
    );
  }
  return text;
}
