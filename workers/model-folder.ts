import { GlassboxError } from '../src/core/contract/errors';
import { fetchJsonFile, type FetchLike } from '../src/core/model-folder/json-fetch';
import { labelsFromConfig, parseManifest } from '../src/core/model-folder/model-catalog';
import { ENGINE_FILES, readFiles } from '../src/core/model-folder/model-card';
import type { ModelManifest, ModelSource } from '../src/core/contract/types';

export interface ModelFolder {
  /** Labels from config.json id2label, in id order. */
  labels: string[];
  manifest?: ModelManifest;
  /** Why there is no model card, or what is wrong with it. */
  manifestNote?: string;
}

const UNVERIFIED = 'Its files load unverified: there is no sha256 to check them against.';

/**
 * Looks at a model folder before any engine touches it: config.json must be there and name the
 * labels; manifest.json (the model card) is optional. Checking first gives clear errors for the
 * commonest mistakes: a wrong URL, a server that is down, an HTML page where JSON should be.
 */
export async function inspectModelFolder(source: ModelSource, fetchFn: FetchLike = (url) => fetch(url)): Promise<ModelFolder> {
  const folder = source.url;
  const config = await fetchJsonFile(new URL('config.json', folder).href, fetchFn);
  if (config.kind === 'missing') {
    throw new GlassboxError('MODEL_NOT_FOUND', `There is no model at ${folder}: config.json is missing (HTTP 404).`);
  }
  if (config.kind === 'failed') throw new GlassboxError('MODEL_FETCH_FAILED', config.detail);
  if (config.kind === 'invalid') throw new GlassboxError('MODEL_INVALID', config.detail);
  const labels = labelsFromConfig(config.value, folder);

  const card = await fetchJsonFile(new URL('manifest.json', folder).href, fetchFn);
  if (card.kind === 'missing') return { labels, manifestNote: `No model card: this folder has no manifest.json. ${UNVERIFIED}` };
  if (card.kind !== 'ok') return { labels, manifestNote: `No model card: ${card.detail} ${UNVERIFIED}` };
  let manifest: ModelManifest;
  try {
    manifest = parseManifest(card.value, folder);
  } catch (error) {
    return { labels, manifestNote: `No model card: ${error instanceof GlassboxError ? error.detail : String(error)} ${UNVERIFIED}` };
  }
  const unlisted = ENGINE_FILES.filter((path) => !readFiles(manifest).some((file) => file.path === path && file.sha256));
  const sameLabels = manifest.labels.length === labels.length && manifest.labels.every((label, i) => label === labels[i]);
  const notes = [
    ...(sameLabels ? [] : [`manifest.json lists the labels ${manifest.labels.join(', ')} but config.json has ${labels.join(', ')}; the model answers with config.json's.`]),
    ...(unlisted.length > 0 ? [`Unverified: the model card gives no sha256 for ${unlisted.join(', ')}, so ${unlisted.length === 1 ? 'it loads' : 'they load'} unchecked.`] : []),
  ];
  const manifestNote = notes.length > 0 ? notes.join(' ') : undefined;
  return { labels, manifest, ...(manifestNote ? { manifestNote } : {}) };
}
