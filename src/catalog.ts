import { GlassboxError, toGlassboxError } from './core/errors';
import { parseManifest, parseModelIndex } from './core/model-catalog';
import type { ModelManifest, ModelSource } from './core/types';

/** A shipped model as the picker lists it, before it is loaded. */
export interface CatalogEntry {
  source: ModelSource;
  title: string;
  manifest?: ModelManifest;
  /** Why the card could not be read; the model may still load. */
  problem?: string;
}

export interface Catalog {
  defaultId: string;
  entries: CatalogEntry[];
}

type FetchLike = (url: string) => Promise<Response>;

/**
 * Reads models/index.json and each listed model's manifest.json, relative to `baseUrl` (the
 * page's base, so the site works under any sub-path). A model whose card is unreadable stays in
 * the list under its folder name: loading it is what tells what is really wrong.
 */
export async function loadCatalog(baseUrl: string, fetchFn: FetchLike = (url) => fetch(url)): Promise<Catalog> {
  const modelsUrl = new URL('models/', baseUrl).href;
  const index = parseModelIndex(await fetchJson(fetchFn, `${modelsUrl}index.json`));
  const entries = await Promise.all(
    index.models.map(async (id): Promise<CatalogEntry> => {
      const source: ModelSource = { id, url: new URL(`${encodeURIComponent(id)}/`, modelsUrl).href };
      try {
        const manifest = parseManifest(await fetchJson(fetchFn, `${source.url}manifest.json`), source.url);
        return { source, title: manifest.title, manifest };
      } catch (error) {
        return { source, title: id, problem: toGlassboxError(error).detail };
      }
    }),
  );
  return { defaultId: index.default, entries };
}

async function fetchJson(fetchFn: FetchLike, url: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetchFn(url);
  } catch (error) {
    throw new GlassboxError('MODEL_FETCH_FAILED', `Could not reach ${url} (${error instanceof Error ? error.message : String(error)}).`);
  }
  if (response.status === 404) throw new GlassboxError('MODEL_NOT_FOUND', `${url} is missing (HTTP 404).`);
  if (!response.ok) throw new GlassboxError('MODEL_FETCH_FAILED', `The server answered HTTP ${response.status} for ${url}.`);
  try {
    return await response.json();
  } catch {
    throw new GlassboxError('MODEL_INVALID', `${url} is not valid JSON.`);
  }
}
