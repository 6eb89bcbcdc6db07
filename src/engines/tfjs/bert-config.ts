import { GlassboxError } from '../../core/contract/errors';
import { labelsFromConfig } from '../../core/model-folder/model-catalog';
import { checkConfigLimits } from '../../core/model-folder/model-limits';

/** The shape of a BERT classifier, from a Hugging Face config.json. */
export interface BertConfig {
  vocabSize: number;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  headSize: number;
  intermediateSize: number;
  maxPositions: number;
  typeVocabSize: number;
  layerNormEps: number;
  /** Label names in id order (id2label). */
  labels: string[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads and checks config.json. The TF.js engine implements exactly one architecture (BERT with
 * absolute positions and exact GELU), so anything else is refused with a pointer to the ONNX
 * engine, which runs whatever graph the file holds.
 */
export function parseBertConfig(json: unknown, folder: string): BertConfig {
  const where = `${folder}config.json`;
  if (!isRecord(json)) throw new GlassboxError('MODEL_INVALID', `${where} is not a JSON object.`);
  // Before any size below is used to build anything.
  checkConfigLimits(json, where);
  const unsupported = (what: string) =>
    new GlassboxError('MODEL_INVALID', `${where} describes ${what}; the TF.js engine only implements BERT (absolute positions, exact GELU). Use the ONNX engine for this model.`);
  if (json.model_type !== undefined && json.model_type !== 'bert') throw unsupported(`a "${String(json.model_type)}" model`);
  if (json.hidden_act !== undefined && json.hidden_act !== 'gelu') throw unsupported(`the activation "${String(json.hidden_act)}"`);
  if (json.position_embedding_type !== undefined && json.position_embedding_type !== 'absolute') {
    throw unsupported(`"${String(json.position_embedding_type)}" position embeddings`);
  }

  const count = (key: string, fallback?: number): number => {
    const value = json[key] ?? fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new GlassboxError('MODEL_INVALID', `${where} needs "${key}" as a positive integer, found ${JSON.stringify(value)}.`);
    }
    return value;
  };
  const hiddenSize = count('hidden_size');
  const numHeads = count('num_attention_heads');
  if (hiddenSize % numHeads !== 0) {
    throw new GlassboxError('MODEL_INVALID', `${where}: hidden_size ${hiddenSize} is not divisible by num_attention_heads ${numHeads}.`);
  }
  const eps = json.layer_norm_eps ?? 1e-12;
  if (typeof eps !== 'number' || !(eps > 0)) {
    throw new GlassboxError('MODEL_INVALID', `${where} needs "layer_norm_eps" as a positive number, found ${JSON.stringify(eps)}.`);
  }
  return {
    vocabSize: count('vocab_size'),
    hiddenSize,
    numLayers: count('num_hidden_layers'),
    numHeads,
    headSize: hiddenSize / numHeads,
    intermediateSize: count('intermediate_size'),
    maxPositions: count('max_position_embeddings'),
    typeVocabSize: count('type_vocab_size', 2),
    layerNormEps: eps,
    labels: labelsFromConfig(json, folder),
  };
}
