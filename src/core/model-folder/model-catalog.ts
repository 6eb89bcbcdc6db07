import { GlassboxError } from '../contract/errors';
import { checkConfigLimits } from './model-limits';
import type { ModelManifest } from '../contract/types';

/** models/index.json: the shipped models and the one to open first. */
export interface ModelIndex {
  default: string;
  models: string[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

export function parseModelIndex(json: unknown): ModelIndex {
  const problem = (what: string) =>
    new GlassboxError('MODEL_INVALID', `models/index.json ${what}. It should look like {"default": "news-topic", "models": ["news-topic", ...]}.`);
  if (!isRecord(json)) throw problem('is not a JSON object');
  if (!isStringArray(json.models) || json.models.length === 0) throw problem('has no "models" list of folder names');
  const fallback = json.models[0];
  const chosen = typeof json.default === 'string' ? json.default : fallback;
  if (!json.models.includes(chosen)) throw problem(`names "${chosen}" as default, which is not in "models"`);
  return { default: chosen, models: [...json.models] };
}

/** Checks the fields every model card needs; everything else is kept as found and rendered if present. */
export function parseManifest(json: unknown, folder: string): ModelManifest {
  const problem = (what: string) =>
    new GlassboxError('MODEL_INVALID', `${folder}manifest.json ${what}; regenerate it with the training pipeline.`);
  if (!isRecord(json)) throw problem('is not a JSON object');
  for (const field of ['id', 'title', 'task'] as const) {
    if (typeof json[field] !== 'string') throw problem(`has no "${field}" string`);
  }
  if (!isStringArray(json.labels) || json.labels.length < 2) throw problem('has no "labels" list of at least two names');
  return json as ModelManifest;
}

/** Labels in id order from a transformers config.json (id2label keyed "0", "1", ...). */
export function labelsFromConfig(config: unknown, folder: string): string[] {
  const problem = (what: string) =>
    new GlassboxError('MODEL_INVALID', `${folder}config.json ${what}; a text-classification model needs id2label, e.g. {"0": "negative", "1": "positive"}.`);
  if (!isRecord(config)) throw problem('is not a JSON object');
  checkConfigLimits(config, `${folder}config.json`);
  // An image or audio classifier has id2label too: its architecture says what it classifies.
  const architectures = Array.isArray(config.architectures) ? config.architectures.filter((a): a is string => typeof a === 'string') : [];
  if (architectures.length > 0 && !architectures.some((a) => a.endsWith('ForSequenceClassification'))) {
    throw new GlassboxError(
      'MODEL_INVALID',
      `${folder}config.json describes a ${architectures.join(' / ')}, not a text classifier: glassbox runs text-classification models (a ...ForSequenceClassification architecture).`,
    );
  }
  const id2label = config.id2label;
  if (!isRecord(id2label)) throw problem('has no id2label');
  const count = Object.keys(id2label).length;
  if (count < 2) throw problem(`has ${count} label(s) in id2label`);
  const labels: string[] = [];
  for (let id = 0; id < count; id++) {
    const label = id2label[String(id)];
    if (typeof label !== 'string') throw problem(`has no label for id ${id} in id2label`);
    labels.push(label);
  }
  return labels;
}
