import { GlassboxError } from '../contract/errors';

/**
 * The largest model glassbox agrees to load, checked before anything is allocated from what a
 * model folder claims. A config.json is other people's data: without these checks a folder that
 * says "num_hidden_layers": 1000000000 made the TF.js engine build a list of four billion weights
 * and crashed the tab. The limits sit well above any BERT a browser can run (BERT-large: 24
 * layers, hidden size 1,024; multilingual vocabularies: 250,000 tokens).
 */
export const MODEL_LIMITS = Object.freeze({
  num_hidden_layers: 48,
  hidden_size: 4096,
  num_attention_heads: 64,
  intermediate_size: 16_384,
  vocab_size: 500_000,
  max_position_embeddings: 8192,
  type_vocab_size: 16,
  /** Entries of id2label. */
  labels: 1000,
  /** Characters of one label name. */
  labelChars: 200,
  /** The token window a manifest may declare (maxTokens). */
  maxTokens: 8192,
  /** Bytes of the model file: 1 GiB, three times BERT-large in int8. */
  modelBytes: 1024 ** 3,
  /** Bytes of one JSON file of a model folder (config, tokenizer, manifest). */
  jsonBytes: 64 * 1024 ** 2,
});

type SizeField = 'num_hidden_layers' | 'hidden_size' | 'num_attention_heads' | 'intermediate_size' | 'vocab_size' | 'max_position_embeddings' | 'type_vocab_size';
const SIZE_FIELDS: readonly SizeField[] = Object.freeze([
  'num_hidden_layers',
  'hidden_size',
  'num_attention_heads',
  'intermediate_size',
  'vocab_size',
  'max_position_embeddings',
  'type_vocab_size',
]);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Refuses a config.json whose sizes are beyond MODEL_LIMITS, naming the field, before either engine
 * sizes anything by them. Fields that are absent or not numbers are left to the parsers that need
 * them (they say what is missing).
 */
export function checkConfigLimits(config: unknown, where: string): void {
  if (!isRecord(config)) return;
  for (const field of SIZE_FIELDS) {
    const value = config[field];
    if (typeof value === 'number' && value > MODEL_LIMITS[field]) {
      throw new GlassboxError('MODEL_INVALID', `${where} says "${field}": ${value}, more than glassbox loads (at most ${MODEL_LIMITS[field].toLocaleString('en')}); this is not a model a browser can run.`);
    }
  }
  if (isRecord(config.id2label)) {
    const labels = Object.keys(config.id2label).length;
    if (labels > MODEL_LIMITS.labels) {
      throw new GlassboxError('MODEL_INVALID', `${where} lists ${labels} labels in id2label, more than glassbox shows (at most ${MODEL_LIMITS.labels}).`);
    }
    const long = Object.values(config.id2label).find((label) => typeof label === 'string' && label.length > MODEL_LIMITS.labelChars);
    if (typeof long === 'string') {
      throw new GlassboxError('MODEL_INVALID', `${where} has a label of ${long.length} characters in id2label (at most ${MODEL_LIMITS.labelChars}): "${long.slice(0, 40)}...".`);
    }
  }
}

/** What a BERT classifier's sizes are, as the TF.js engine reads them from config.json. */
export interface BertSizes {
  vocabSize: number;
  maxPositions: number;
  typeVocabSize: number;
  hiddenSize: number;
  intermediateSize: number;
  numLayers: number;
}

/** The weights a BERT classifier of these sizes holds (embeddings and encoder; biases aside). */
export function bertWeightCount({ vocabSize, maxPositions, typeVocabSize, hiddenSize: h, intermediateSize: i, numLayers }: BertSizes): number {
  return (vocabSize + maxPositions + typeVocabSize) * h + numLayers * (4 * h * h + 2 * h * i);
}

/**
 * Refuses a config.json that describes more weights than the model file can hold (int8: at least
 * one byte each), before the file is parsed against it: the config belongs to another model.
 */
export function checkWeightsFit(sizes: BertSizes, fileBytes: number, configUrl: string, fileUrl: string): void {
  const weights = bertWeightCount(sizes);
  if (weights > fileBytes) {
    throw new GlassboxError(
      'MODEL_INVALID',
      `${configUrl} describes ${(weights / 1e6).toFixed(1)} million weights, but ${fileUrl} is only ${formatMiB(fileBytes)}: the config does not belong to this model file.`,
    );
  }
}

/** The error for a file of `bytes` (or more) that is larger than `limit`, by its name. */
export function fileTooLarge(bytes: number, limit: number, url: string): GlassboxError {
  return new GlassboxError('MODEL_INVALID', `${url} is ${formatMiB(bytes)}, more than glassbox loads for this file (${formatMiB(limit)}).`);
}

function formatMiB(bytes: number): string {
  return `${(bytes / 1024 ** 2).toLocaleString('en', { maximumFractionDigits: 1 })} MiB`;
}
