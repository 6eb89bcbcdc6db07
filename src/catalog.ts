import { toGlassboxError } from './core/contract/errors';
import { fetchJson, type FetchLike } from './core/model-folder/json-fetch';
import { parseManifest, parseModelIndex } from './core/model-folder/model-catalog';
import type { ModelManifest, ModelSource } from './core/contract/types';

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

/**
 * Reads models/index.json and each listed model's manifest.json, relative to `baseUrl` (the
 * page's base, so the site works under any sub-path). A model whose card is unreadable stays in
 * the list under its folder name: loading it is what tells what is really wrong.
 */
export async function loadCatalog(baseUrl: string, fetchFn: FetchLike = (url) => fetch(url)): Promise<Catalog> {
  const modelsUrl = new URL('models/', baseUrl).href;
  const index = parseModelIndex(await fetchJson(`${modelsUrl}index.json`, fetchFn));
  const entries = await Promise.all(
    index.models.map(async (id): Promise<CatalogEntry> => {
      const source: ModelSource = { id, url: new URL(`${encodeURIComponent(id)}/`, modelsUrl).href };
      try {
        const manifest = parseManifest(await fetchJson(`${source.url}manifest.json`, fetchFn), source.url);
        return { source, title: manifest.title, manifest };
      } catch (error) {
        return { source, title: id, problem: toGlassboxError(error).detail };
      }
    }),
  );
  return { defaultId: index.default, entries };
}
