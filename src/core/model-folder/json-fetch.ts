import { GlassboxError, messageOf } from '../contract/errors';
import { MODEL_LIMITS } from './model-limits';

export type FetchLike = (url: string) => Promise<Response>;

/** What became of fetching a JSON file, each failure in words a person can act on. */
export type JsonFetch =
  | { kind: 'ok'; value: unknown }
  | { kind: 'missing' }
  | { kind: 'failed'; detail: string }
  | { kind: 'invalid'; detail: string };

/**
 * Fetches and parses a small JSON file (a model index, config or card) of at most
 * MODEL_LIMITS.jsonBytes. Tells a missing file from an unreachable server, a server error and a
 * body that is not JSON (an HTML page where JSON should be is named as such).
 */
export async function fetchJsonFile(url: string, fetchFn: FetchLike): Promise<JsonFetch> {
  let response: Response;
  try {
    response = await fetchFn(url);
  } catch (error) {
    return { kind: 'failed', detail: `Could not reach ${url} (${messageOf(error)}): the server did not answer.` };
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

/** fetchJsonFile that throws: MODEL_NOT_FOUND for a missing file, MODEL_FETCH_FAILED, MODEL_INVALID. */
export async function fetchJson(url: string, fetchFn: FetchLike): Promise<unknown> {
  const fetched = await fetchJsonFile(url, fetchFn);
  if (fetched.kind === 'ok') return fetched.value;
  if (fetched.kind === 'missing') throw new GlassboxError('MODEL_NOT_FOUND', `${url} is missing (HTTP 404).`);
  throw new GlassboxError(fetched.kind === 'failed' ? 'MODEL_FETCH_FAILED' : 'MODEL_INVALID', fetched.detail);
}
