import { GlassboxError, messageOf } from '../core/contract/errors';
import type { ModelFile } from '../core/model-folder/model-card';
import { MODEL_CACHE, SHA256_HEADER, modelFileUrl, offlineStatus, type OfflineStatus } from '../core/model-folder/offline-models';
import { verifiedCopy } from './verified-copy';

/**
 * The page's view of a model's offline copy in Cache Storage, the cache the service worker
 * (src/service-worker/model-requests.ts) fills as model files are first used and serves offline.
 */

/** Reads which of the listed files of the model in `folder` have a current copy in the cache. */
export async function readOfflineStatus(folder: string, files: readonly ModelFile[]): Promise<OfflineStatus> {
  const cache = await caches.open(MODEL_CACHE);
  const copies = new Map<string, string | null>();
  await Promise.all(
    files.map(async (file) => {
      const copy = await cache.match(modelFileUrl(folder, file));
      if (copy) copies.set(file.path, copy.headers.get(SHA256_HEADER));
    }),
  );
  return offlineStatus(files, copies);
}

/**
 * Stores a current copy of every listed file that lacks one, checked against the card's sha256,
 * and the card itself. The service worker keeps the files it serves, but a page's first visit
 * loads its model before the worker controls it: this fills that gap (usually from the HTTP cache).
 */
export async function saveOffline(folder: string, files: readonly ModelFile[], onFile: (saved: number, total: number) => void = () => undefined): Promise<OfflineStatus> {
  const cache = await caches.open(MODEL_CACHE);
  const { missing } = await readOfflineStatus(folder, files);
  for (const [index, file] of missing.entries()) {
    const url = modelFileUrl(folder, file);
    const copy = await verifiedCopy(await fetchFile(url), file);
    if (!copy) {
      throw new GlassboxError('MODEL_INVALID', `${url} does not match the size and sha256 that manifest.json lists for it: the model may be being re-published; try again later.`);
    }
    await cache.put(url, copy);
    onFile(index + 1, missing.length);
  }
  if (missing.length > 0) {
    const card = new URL('manifest.json', folder).href;
    await cache.put(card, await fetchFile(card));
  }
  return readOfflineStatus(folder, files);
}

/** Deletes the cached copies of the model's listed files; it downloads again on its next use. */
export async function removeOffline(folder: string, files: readonly ModelFile[]): Promise<OfflineStatus> {
  const cache = await caches.open(MODEL_CACHE);
  await Promise.all(files.map((file) => cache.delete(modelFileUrl(folder, file))));
  return readOfflineStatus(folder, files);
}

async function fetchFile(url: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new GlassboxError('MODEL_FETCH_FAILED', `Could not download ${url} (${messageOf(error)}): check the connection and try again.`);
  }
  if (!response.ok) throw new GlassboxError('MODEL_FETCH_FAILED', `The server answered HTTP ${response.status} for ${url}.`);
  return response;
}
