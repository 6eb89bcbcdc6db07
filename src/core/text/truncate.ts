import { GlassboxError } from '../contract/errors';
import type { TruncationInfo } from '../contract/types';

/**
 * Long texts are cut to the model's token window by keeping their head and their tail: the
 * first quarter of the window and the last three quarters. The start of a text usually says
 * what it is about and the end how it concludes (a review's verdict); both training and
 * inference use this same cut, so the model sees what it was trained on.
 */
export const HEAD_SHARE = 0.25;

export interface HeadTail<T> {
  kept: T[];
  keptHead: number;
  keptTail: number;
}

/** Keeps at most `budget` items of `content`: the first quarter of the budget and the rest from the end. */
export function headTail<T>(content: readonly T[], budget: number): HeadTail<T> {
  if (!Number.isInteger(budget) || budget < 1) {
    throw new GlassboxError('BAD_INPUT', `The token budget must be a positive integer, got ${budget}.`);
  }
  if (content.length <= budget) return { kept: content.slice(), keptHead: content.length, keptTail: 0 };
  const keptHead = Math.floor(budget * HEAD_SHARE);
  const keptTail = budget - keptHead;
  return {
    kept: [...content.slice(0, keptHead), ...content.slice(content.length - keptTail)],
    keptHead,
    keptTail,
  };
}

export interface WindowedIds {
  ids: number[];
  info: TruncationInfo;
}

/**
 * Fits a tokenized text into `maxTokens`, special tokens included.
 * `withSpecials` is the tokenizer's output with special tokens ([CLS] … [SEP]) and `content` the
 * same text without them; the specials around the content are kept as they are.
 */
export function fitToWindow(withSpecials: readonly number[], content: readonly number[], maxTokens: number): WindowedIds {
  const prefix = findEmbedding(withSpecials, content);
  const suffix = withSpecials.length - prefix - content.length;
  const budget = maxTokens - prefix - suffix;
  if (budget < 1) {
    throw new GlassboxError(
      'MODEL_INVALID',
      `The model's token window (${maxTokens}) leaves no room for text after its ${prefix + suffix} special tokens. Check maxTokens in manifest.json.`,
    );
  }
  const { kept, keptHead, keptTail } = headTail(content, budget);
  const ids = [...withSpecials.slice(0, prefix), ...kept, ...withSpecials.slice(prefix + content.length)];
  return {
    ids,
    info: {
      strategy: 'head+tail',
      tokens: withSpecials.length,
      maxTokens,
      truncated: kept.length < content.length,
      keptHead,
      keptTail,
    },
  };
}

/** Where `content` starts inside `withSpecials`; tokenizers put special tokens around the text, never inside it. */
function findEmbedding(withSpecials: readonly number[], content: readonly number[]): number {
  for (let start = 0; start + content.length <= withSpecials.length; start++) {
    let matches = true;
    for (let i = 0; i < content.length && matches; i++) matches = withSpecials[start + i] === content[i];
    if (matches) return start;
  }
  throw new GlassboxError(
    'MODEL_INVALID',
    'The tokenizer changes the text tokens when it adds special tokens, so head+tail truncation cannot be applied. Use a BERT-style tokenizer ([CLS] text [SEP]).',
  );
}

export interface TokenWindowSources {
  /** manifest.json `maxTokens`: the window the model was fine-tuned with. */
  declared?: number;
  /** tokenizer_config.json `model_max_length` (can be a huge placeholder). */
  tokenizerMax?: number;
  /** config.json `max_position_embeddings`: the hard limit of the position table. */
  positions?: number;
}

/** BERT's usual window, used when a model folder states no limit at all. */
export const DEFAULT_TOKEN_WINDOW = 512;

/** The token window to classify with: the declared one, else the tokenizer's, never beyond the position table. */
export function resolveTokenWindow({ declared, tokenizerMax, positions }: TokenWindowSources): number {
  const usable = (n: number | undefined): n is number => typeof n === 'number' && Number.isInteger(n) && n > 2;
  const hardLimit = usable(positions) ? positions : Number.POSITIVE_INFINITY;
  const wanted = usable(declared) ? declared : usable(tokenizerMax) && tokenizerMax < 1e6 ? tokenizerMax : DEFAULT_TOKEN_WINDOW;
  return Math.min(wanted, hardLimit);
}
