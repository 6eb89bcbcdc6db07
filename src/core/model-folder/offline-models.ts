import { GlassboxError } from '../contract/errors';
import { isPathInsideFolder, readFiles, type ModelFile } from './model-card';
import type { ModelManifest } from '../contract/types';

/**
 * Which copies of a model's files make it usable offline. The model card (manifest.json) lists
 * every file with its size and sha256; a cached copy counts only if it was stored for the sha256
 * the card lists now, so a model re-published under the same URLs never runs from stale copies.
 * Pure: the page and the service worker feed it what Cache Storage holds.
 */

/** The Cache Storage cache that holds model files, shared by the page and the service worker. */
export const MODEL_CACHE = 'glassbox-models-v1';

/** Response header recording which sha256 a cached copy was checked against when it was stored. */
export const SHA256_HEADER = 'X-Glassbox-Sha256';

export interface OfflineStatus {
  /** Every listed file has a current copy: the model loads with the network off. */
  complete: boolean;
  /** Listed files with no copy, or with a copy of another version of the file. */
  missing: ModelFile[];
  /** Bytes of the listed files that have a current copy. */
  cachedBytes: number;
  /** Bytes of all listed files. */
  totalBytes: number;
}

/** True when a copy recorded for `recordedSha256` (null: recorded without one) is the file the card lists. */
export function isCurrentCopy(file: ModelFile, recordedSha256: string | null): boolean {
  return file.sha256 === undefined || recordedSha256?.toLowerCase() === file.sha256.toLowerCase();
}

/**
 * Why some bytes are not the file the card lists, or undefined when they are: their length, then
 * their sha256 (`actualSha256`, needed only when the card lists one).
 */
export function fileMismatch(length: number, actualSha256: string | undefined, file: Pick<ModelFile, 'bytes' | 'sha256'>): string | undefined {
  if (length !== file.bytes) return `it is ${length} bytes where the model card lists ${file.bytes}`;
  if (file.sha256 === undefined || actualSha256 === file.sha256.toLowerCase()) return undefined;
  return `its sha256 is ${actualSha256} where the model card lists ${file.sha256}`;
}

/**
 * Decides whether a model is available offline from the files its card lists and the copies in
 * the cache (path -> recorded sha256). A card that lists no files says nothing about what the
 * model needs, so such a model is never reported complete.
 */
export function offlineStatus(files: readonly ModelFile[], copies: ReadonlyMap<string, string | null>): OfflineStatus {
  const missing = files.filter((file) => !copies.has(file.path) || !isCurrentCopy(file, copies.get(file.path) ?? null));
  const totalBytes = files.reduce((sum, file) => sum + file.bytes, 0);
  const missingBytes = missing.reduce((sum, file) => sum + file.bytes, 0);
  return { complete: files.length > 0 && missing.length === 0, missing, cachedBytes: totalBytes - missingBytes, totalBytes };
}

export interface ModelFileLocation {
  /** The model folder, absolute, ending in "/". */
  folder: string;
  /** The file's path inside the folder, as the card writes it (e.g. "onnx/model_quantized.onnx"). */
  path: string;
}

/**
 * Splits the URL of a file under the site's models folder into its model folder (the first path
 * segment below `modelsRoot`) and its path inside that folder. Undefined for URLs outside
 * `modelsRoot` and for files directly in it (models/index.json).
 */
export function locateModelFile(fileUrl: string, modelsRoot: string): ModelFileLocation | undefined {
  const url = new URL(fileUrl);
  const root = new URL(modelsRoot);
  if (url.origin !== root.origin || !url.pathname.startsWith(root.pathname)) return undefined;
  const segments = url.pathname.slice(root.pathname.length).split('/');
  if (segments.length < 2 || !segments[0] || segments.slice(1).some((segment) => segment === '')) return undefined;
  try {
    return {
      folder: new URL(`${segments[0]}/`, root).href,
      path: segments.slice(1).map(decodeURIComponent).join('/'),
    };
  } catch {
    return undefined;
  }
}

/** The absolute URL of a listed file of a model folder; never a URL outside the folder. */
export function modelFileUrl(folder: string, file: ModelFile): string {
  const url = new URL(file.path.split('/').map(encodeURIComponent).join('/'), folder).href;
  if (!isPathInsideFolder(file.path) || !url.startsWith(folder)) {
    throw new GlassboxError('MODEL_INVALID', `The model card lists "${file.path}", which is not a file inside ${folder}.`);
  }
  return url;
}

/** The files a parsed manifest.json lists; none when it is not a JSON object or lists none. */
export function listedFiles(card: unknown): ModelFile[] {
  return typeof card === 'object' && card !== null && !Array.isArray(card) ? readFiles(card as ModelManifest) : [];
}
