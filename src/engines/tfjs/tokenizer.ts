import { Tokenizer } from '@huggingface/tokenizers';
import { GlassboxError, messageOf } from '../../core/contract/errors';
import { fitToWindow, headTail, type WindowedIds } from '../../core/text/truncate';

/**
 * Token ids for the TF.js engine. @huggingface/tokenizers is the library transformers.js itself
 * tokenizes with, so both engines feed the model identical ids, cut to the window the same way
 * (head + tail, src/core/text/truncate.ts).
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
      const reason = messageOf(error);
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

  /**
   * The ids the model sees for a text given as pieces (words and separators), with the piece each
   * id came from (-1 for special tokens), cut to the window like encode(). Each piece is tokenized
   * on its own, which for BERT's tokenizers (they split at spaces and punctuation anyway) gives
   * the ids of the whole text, and tells exactly which word every id belongs to.
   */
  encodePieces(pieces: readonly string[]): { ids: number[]; piece: number[] } {
    const content: number[] = [];
    const owner: number[] = [];
    pieces.forEach((piece, index) => {
      for (const id of this.tokenizer.encode(piece, { add_special_tokens: false }).ids) {
        content.push(id);
        owner.push(index);
      }
    });
    const specials = this.tokenizer.encode('', { add_special_tokens: true }).ids;
    // Special tokens go around the text ([CLS] ... [SEP]), as fitToWindow assumes too.
    const prefix = specials.slice(0, 1);
    const suffix = specials.slice(1);
    const { kept } = headTail(
      content.map((id, i) => [id, owner[i]] as const),
      Math.max(1, this.window - specials.length),
    );
    return {
      ids: [...prefix, ...kept.map(([id]) => id), ...suffix],
      piece: [...prefix.map(() => -1), ...kept.map(([, piece]) => piece), ...suffix.map(() => -1)],
    };
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
