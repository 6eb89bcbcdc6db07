import { GlassboxError } from '../src/core/errors';
import { labelsFromConfig, parseManifest } from '../src/core/model-catalog';
import { ENGINE_FILES, readFiles } from '../src/core/model-card';
import { MODEL_LIMITS } from '../src/core/model-limits';
import type { ModelManifest, ModelSource } from '../src/core/types';

export type FetchLike = (url: string) => Promise<Response>;

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
  const config = await fetchJson(fetchFn, folder, 'config.json');
  if (config.kind === 'missing') {
    throw new GlassboxError('MODEL_NOT_FOUND', `There is no model at ${folder}: config.json is missing (HTTP 404).`);
  }
  if (config.kind === 'failed') throw new GlassboxError('MODEL_FETCH_FAILED', config.detail);
  if (config.kind === 'invalid') throw new GlassboxError('MODEL_INVALID', config.detail);
  const labels = labelsFromConfig(config.value, folder);

  const card = await fetchJson(fetchFn, folder, 'manifest.json');
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

type JsonFetch =
  | { kind: 'ok'; value: unknown }
  | { kind: 'missing' }
  | { kind: 'failed'; detail: string }
  | { kind: 'invalid'; detail: string };

async function fetchJson(fetchFn: FetchLike, folder: string, file: string): Promise<JsonFetch> {
  const url = new URL(file, folder).href;
  let response: Response;
  try {
    response = await fetchFn(url);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { kind: 'failed', detail: `Could not reach ${url} (${reason}): the server did not answer.` };
  }
  if (response.status === 404) return { kind: 'missing' };
  if (!response.ok) return { kind: 'failed', detail: `The server answered HTTP ${response.status} for ${url}.` };
  const tooLarge = { kind: 'invalid', detail: `${url} is larger than a model folder's JSON files may be (${MODEL_LIMITS.jsonBytes / 1024 ** 2} MiB).` } as const;
  if (Number(response.headers.get('content-length')) > MODEL_LIMITS.jsonBytes) {
    await response.body?.cancel().catch(() => undefined);
    return tooLarge;
  }
  const text = await response.text();
  if (text.length > MODEL_LIMITS.jsonBytes) return tooLarge;
  try {
    return { kind: 'ok', value: JSON.parse(text) };
  } catch {
    const type = response.headers.get('content-type') ?? 'no content type';
    const hint = type.includes('html') ? ' The server sent an HTML page: the URL probably does not point at a model folder.' : '';
    return { kind: 'invalid', detail: `${url} is not valid JSON (${type}).${hint}` };
  }
}
