import type { RouteHandlerCallback, RouteMatchCallback, WorkboxPlugin } from 'workbox-core/types';
import { CacheFirst, NetworkFirst, NetworkOnly } from 'workbox-strategies';
import type { ModelFile } from '../core/model-folder/model-card';
import { parseModelIndex } from '../core/model-folder/model-catalog';
import { MODEL_CACHE, SHA256_HEADER, isCurrentCopy, listedFiles, locateModelFile } from '../core/model-folder/offline-models';
import { isIntactCopy, verifiedCopy } from '../pwa/verified-copy';

declare const self: ServiceWorkerGlobalScope;

/**
 * How the service worker serves the site's models/ folder. Models are too big to precache with
 * the app shell, so each is kept as it is first used, in one cache the page also reads
 * (src/pwa/model-cache.ts) to show and remove offline copies.
 *
 * Staleness: a model can be re-published under the same URLs, so copies are tied to its card.
 * - models/index.json and each manifest.json: network first, the cached copy only offline, so
 *   the card the page sees is the current one whenever the site can be reached;
 * - a file the card lists (config, tokenizer, ONNX weights): cache first, but a copy counts only
 *   if it was stored for the sha256 the card lists now, and a download is kept only if its bytes
 *   have that sha256. A re-published card therefore makes old copies miss, a half-updated folder
 *   is never kept, and an offline page never mixes files of two versions;
 * - any other file (a folder without a card, a file the card does not list): network only, never
 *   kept: the cache holds nothing a card does not list, each file no larger than the card says.
 */

const modelsRoot = (): string => new URL('models/', self.registration.scope).href;

const catalogFirst = new NetworkFirst({ cacheName: MODEL_CACHE });
const networkOnly = new NetworkOnly();

export const isModelRequest: RouteMatchCallback = ({ request, url }) => request.method === 'GET' && url.href.startsWith(modelsRoot());

export const handleModelRequest: RouteHandlerCallback = async ({ request, event }) => {
  const location = locateModelFile(request.url, modelsRoot());
  const isCatalog = request.url === new URL('index.json', modelsRoot()).href || location?.path === 'manifest.json';
  if (isCatalog) return catalogFirst.handle({ request, event });
  const file = location ? await listedFile(location.folder, location.path) : undefined;
  const strategy = file ? new CacheFirst({ cacheName: MODEL_CACHE, plugins: [pinnedTo(file)] }) : networkOnly;
  return strategy.handle({ request, event });
};

/**
 * Keeps only copies of exactly the file the card lists, and serves a copy only once its bytes are
 * hashed again: a damaged copy is deleted and the file downloaded afresh, instead of failing every
 * load until the site's data is cleared.
 */
function pinnedTo(file: ModelFile): WorkboxPlugin {
  return {
    cachedResponseWillBeUsed: async ({ cachedResponse, request }) => {
      if (!cachedResponse || !isCurrentCopy(file, cachedResponse.headers.get(SHA256_HEADER))) return null;
      if (await isIntactCopy(cachedResponse, file)) return cachedResponse;
      await (await caches.open(MODEL_CACHE)).delete(request);
      return null;
    },
    cacheWillUpdate: async ({ response }) => (await verifiedCopy(response, file)) ?? null,
  };
}

/** The entry of the cached card of `folder` for `path`, if the card is cached and lists it. */
async function listedFile(folder: string, path: string): Promise<ModelFile | undefined> {
  const card = await caches.match(new URL('manifest.json', folder).href, { cacheName: MODEL_CACHE });
  if (!card) return undefined;
  try {
    return listedFiles(await card.json()).find((file) => file.path === path);
  } catch {
    return undefined;
  }
}

/**
 * Caches models/index.json and every listed model's card when the worker installs, so the page
 * can list the models offline even though its first visit read them before the worker ran.
 */
export async function cacheCatalog(): Promise<void> {
  const cache = await caches.open(MODEL_CACHE);
  const indexUrl = new URL('index.json', modelsRoot()).href;
  const response = await fetch(indexUrl, { cache: 'no-cache' });
  if (!response.ok) throw new Error(`${indexUrl}: HTTP ${response.status}`);
  const index = parseModelIndex(await response.clone().json());
  await cache.put(indexUrl, response);
  const cards = index.models.map((id) => new Request(new URL(`${encodeURIComponent(id)}/manifest.json`, modelsRoot()), { cache: 'no-cache' }));
  await cache.addAll(cards);
}
