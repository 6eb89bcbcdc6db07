import { readAtMost } from '../core/model-folder/bytes';
import { GlassboxError, messageOf } from '../core/contract/errors';
import { fileTooLarge, MODEL_LIMITS } from '../core/model-folder/model-limits';
import type { FetchFn } from './guarded-fetch';

/**
 * Downloads a file into memory, reporting bytes as they arrive. A missing file is MODEL_NOT_FOUND;
 * network failures and server errors are thrown by the fetch function (GuardedFetch) itself. A
 * file larger than `maxBytes` (by its Content-Length, or as it arrives) is refused and its
 * download stopped.
 */
export async function downloadBytes(
  url: string,
  fetchFn: FetchFn,
  onBytes: (loaded: number, total: number) => void,
  maxBytes: number = MODEL_LIMITS.modelBytes,
): Promise<Uint8Array> {
  const response = await fetchFn(url);
  if (response.status === 404) throw new GlassboxError('MODEL_NOT_FOUND', `${url} is missing (HTTP 404).`);
  const declared = Number(response.headers.get('content-length')) || 0;
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw fileTooLarge(declared, maxBytes, url);
  }
  const read = await readAtMost(response, maxBytes, (loaded) => onBytes(loaded, Math.max(declared, loaded)));
  if ('over' in read) throw fileTooLarge(read.over, maxBytes, url);
  onBytes(read.bytes.length, read.bytes.length);
  return read.bytes;
}

/** Downloads and parses a JSON file of a model folder. */
export async function downloadJson(url: string, fetchFn: FetchFn, onBytes: (loaded: number, total: number) => void = () => undefined): Promise<unknown> {
  const bytes = await downloadBytes(url, fetchFn, onBytes, MODEL_LIMITS.jsonBytes);
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new GlassboxError('MODEL_INVALID', `${url} is not valid JSON (${messageOf(error)}).`);
  }
}
