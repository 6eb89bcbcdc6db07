import { SHA256_HEADER } from '../core/offline-models';

/** Lower-case hex SHA-256 of some bytes (Web Crypto: pages, workers and Node alike). */
export async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * The copy of a model file to keep in the cache: the response's bytes and headers, plus a header
 * recording their sha256. Undefined when the response is not the file the model card lists (an
 * error status, or other bytes: a model half-way through being re-published, a proxy's error
 * page): such a response may serve the request it answered but is never kept for offline use.
 */
export async function verifiedCopy(response: Response, expectedSha256: string | undefined): Promise<Response | undefined> {
  if (response.status !== 200) return undefined;
  const bytes = await response.arrayBuffer();
  const actual = await sha256Hex(bytes);
  if (expectedSha256 !== undefined && actual !== expectedSha256.toLowerCase()) return undefined;
  const headers = new Headers(response.headers);
  headers.set(SHA256_HEADER, actual);
  return new Response(bytes, { status: 200, statusText: response.statusText, headers });
}
