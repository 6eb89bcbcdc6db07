import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './python';

/**
 * The models folder the integration tests check: public/models, or GLASSBOX_MODELS_DIR (a folder
 * laid out the same way, e.g. a smoke run of the training pipeline) while developing.
 */
export const MODELS_DIR = process.env.GLASSBOX_MODELS_DIR ? path.resolve(process.env.GLASSBOX_MODELS_DIR) : path.join(REPO_ROOT, 'public/models');

export interface ShippedManifest {
  id: string;
  labels: string[];
  maxTokens?: number;
  examples: { text: string; label: string }[];
}

/** The model ids in index.json; a missing or empty index is an error that says how to make one. */
export function shippedModelIds(): string[] {
  const file = path.join(MODELS_DIR, 'index.json');
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: build the shipped models with the training pipeline (training/pipeline.py) first.`);
  }
  const { models } = JSON.parse(readFileSync(file, 'utf8')) as { models?: unknown };
  if (!Array.isArray(models) || models.length === 0 || !models.every((id) => typeof id === 'string')) {
    throw new Error(`${file} lists no models ("models": [...]).`);
  }
  return models as string[];
}

export function readManifest(id: string): ShippedManifest {
  return JSON.parse(readFileSync(path.join(MODELS_DIR, id, 'manifest.json'), 'utf8')) as ShippedManifest;
}
