import { Tokenizer } from '@huggingface/tokenizers';
import { GlassboxError } from '../../core/errors';
import { fitToWindow, type WindowedIds } from '../../core/truncate';

/**
 * Token ids for the TF.js engine. @huggingface/tokenizers is the library transformers.js itself
 * tokenizes with, so both engines feed the model identical ids, cut to the window the same way
 * (head + tail, src/core/truncate.ts).
 */
export class WindowedTokenizer {
  private readonly tokenizer: Tokenizer;
  readonly padId: number;
  private last: { text: string; encoded: WindowedIds } | undefined;

  constructor(
    tokenizerJson: unknown,
    tokenizerConfig: unknown,
    readonly window: number,
    vocabSize: number,
    folder: string,
  ) {
    const config = isRecord(tokenizerConfig) ? tokenizerConfig : {};
    try {
      this.tokenizer = new Tokenizer(tokenizerJson as object, config);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new GlassboxError('MODEL_INVALID', `The tokenizer in ${folder} could not be read: ${reason}`, { cause: error });
    }
    const largest = Math.max(...this.tokenizer.get_vocab(true).values());
    if (largest >= vocabSize) {
      throw new GlassboxError(
        'MODEL_INVALID',
        `${folder}tokenizer.json has token ids up to ${largest} but config.json's vocab_size is ${vocabSize}: the tokenizer does not belong to this model.`,
      );
    }
    this.padId = this.tokenizer.token_to_id(tokenName(config.pad_token) ?? '[PAD]') ?? 0;
  }

  /** The ids the model sees for `text`, special tokens included; the last text is remembered because callers ask twice. */
  encode(text: string): WindowedIds {
    if (this.last?.text === text) return this.last.encoded;
    const encoded = fitToWindow(
      this.tokenizer.encode(text, { add_special_tokens: true }).ids,
      this.tokenizer.encode(text, { add_special_tokens: false }).ids,
      this.window,
    );
    this.last = { text, encoded };
    return encoded;
  }

  /** Tokens in `text` without special tokens (for grouping texts of similar length). */
  countTokens(text: string): number {
    return this.tokenizer.encode(text, { add_special_tokens: false }).ids.length;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** tokenizer_config.json names special tokens as strings or as AddedToken objects ({content}). */
function tokenName(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isRecord(value) && typeof value.content === 'string') return value.content;
  return undefined;
}
