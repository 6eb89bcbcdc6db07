import type { ModelFile } from '../core/model-card';
import { sha256Hex } from '../core/sha256';
import { SHA256_HEADER } from '../core/offline-models';


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
  const bytes = await readAtMost(response, file.bytes);
  if (!bytes || bytes.byteLength !== file.bytes) return undefined;
  const actual = await sha256Hex(bytes);
  if (file.sha256 !== undefined && actual !== file.sha256.toLowerCase()) return undefined;
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
  if (bytes.byteLength !== file.bytes) return false;
  return file.sha256 === undefined || (await sha256Hex(bytes)) === file.sha256.toLowerCase();
}

/** The body's bytes, or undefined as soon as it runs past `limit` (the rest is not downloaded). */
async function readAtMost(response: Response, limit: number): Promise<ArrayBuffer | undefined> {
  if (!response.body) {
    const bytes = await response.arrayBuffer();
    return bytes.byteLength <= limit ? bytes : undefined;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > limit) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes.buffer;
}
