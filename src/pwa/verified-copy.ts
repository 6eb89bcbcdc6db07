import { readAtMost } from '../core/model-folder/bytes';
import type { ModelFile } from '../core/model-folder/model-card';
import { fileMismatch, SHA256_HEADER } from '../core/model-folder/offline-models';
import { sha256Hex } from '../core/model-folder/sha256';

/**
 * The copy of a model file to keep in the cache: the response's bytes and headers, plus a header
 * recording their sha256. Undefined when the response is not the file the model card lists (an
 * error status, another size, or other bytes: a model half-way through being re-published, a
 * proxy's error page): such a response may serve the request it answered but is never kept for
 * offline use. The card's size also caps what is read: a longer response is not read to its end.
 */
export async function verifiedCopy(response: Response, file: Pick<ModelFile, 'bytes' | 'sha256'>): Promise<Response | undefined> {
  if (response.status !== 200) return undefined;
  const declared = response.headers.get('content-length');
  if (declared !== null && Number(declared) !== file.bytes) {
    await response.body?.cancel().catch(() => undefined);
    return undefined;
  }
  const read = await readAtMost(response, file.bytes);
  if ('over' in read) return undefined;
  const { bytes } = read;
  const actual = await sha256Hex(bytes);
  if (fileMismatch(bytes.length, actual, file)) return undefined;
  const headers = new Headers(response.headers);
  headers.set(SHA256_HEADER, actual);
  return new Response(bytes, { status: 200, statusText: response.statusText, headers });
}

/**
 * Whether a cached copy still is the file the card lists: its bytes are hashed again, since a
 * copy can be damaged after it was stored (disk corruption, another script writing the cache).
 */
export async function isIntactCopy(cached: Response, file: Pick<ModelFile, 'bytes' | 'sha256'>): Promise<boolean> {
  const bytes = await cached.clone().arrayBuffer();
  const actual = file.sha256 === undefined || bytes.byteLength !== file.bytes ? undefined : await sha256Hex(bytes);
  return fileMismatch(bytes.byteLength, actual, file) === undefined;
}
