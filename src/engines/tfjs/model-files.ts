import { DownloadReporter } from '../../core/model-folder/download-progress';
import { GlassboxError, messageOf } from '../../core/contract/errors';
import { QUANTIZED_MODEL_FILE } from '../../core/model-folder/model-card';
import { modelFileUrl } from '../../core/model-folder/offline-models';
import type { LoadProgress, ModelFile } from '../../core/contract/types';
import { downloadBytes, downloadJson } from '../download';
import { bodyFailureError, guardBody } from '../stall-guard';
import { LOAD_CANCELLED } from '../load-timeline';

export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

export interface ModelFiles {
  config: unknown;
  tokenizer: unknown;
  tokenizerConfig: unknown;
  onnx: Uint8Array;
}

/**
 * Downloads a model folder's files side by side, reporting bytes as one figure. The first file
 * that fails stops the others (no point waiting for the big one) and is the error reported.
 */
export async function downloadModelFiles(
  folder: string,
  fetchFn: FetchLike,
  signal: AbortSignal | undefined,
  onProgress: ((progress: LoadProgress) => void) | undefined,
  listed: readonly ModelFile[] = [],
): Promise<ModelFiles> {
  const report = new DownloadReporter(onProgress, listed);
  const downloads = new AbortController();
  const stop = () => downloads.abort();
  if (signal?.aborted) stop();
  signal?.addEventListener('abort', stop, { once: true });
  const expected = new Map(listed.map((file) => [modelFileUrl(folder, file), file]));
  const fetchChecked = (url: string | URL) => request(String(url), fetchFn, downloads.signal, expected.get(String(url)));
  const url = (file: string) => new URL(file, folder).href;
  let firstFailure: GlassboxError | undefined;
  const track = <T>(file: string, work: () => Promise<T>): Promise<T> =>
    work().then(
      (value) => {
        report.finish(file);
        return value;
      },
      (error: unknown) => {
        const typed = error instanceof GlassboxError ? error : downloads.signal.aborted ? cancelled(error) : brokeOff(url(file), error);
        firstFailure ??= typed;
        stop();
        throw typed;
      },
    );
  const json = (file: string) => track(file, () => downloadJson(url(file), fetchChecked, (loaded, total) => report.bytes(file, loaded, total)));
  try {
    const [config, tokenizer, tokenizerConfig, onnx] = await Promise.allSettled([
      json('config.json'),
      json('tokenizer.json'),
      json('tokenizer_config.json'),
      track(QUANTIZED_MODEL_FILE, () =>
        downloadBytes(url(QUANTIZED_MODEL_FILE), fetchChecked, (loaded, total) => report.bytes(QUANTIZED_MODEL_FILE, loaded, total)),
      ),
    ]);
    if (firstFailure !== undefined) throw firstFailure;
    return {
      config: valueOf(config),
      tokenizer: valueOf(tokenizer),
      tokenizerConfig: valueOf(tokenizerConfig),
      onnx: valueOf(onnx) as Uint8Array,
    };
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}

function valueOf<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}

/**
 * The fetch step: network failures and server errors become typed errors here; a 404 is passed
 * on, and downloadBytes reports it as MODEL_NOT_FOUND.
 */
async function request(url: string, fetchFn: FetchLike, signal: AbortSignal, expected: ModelFile | undefined): Promise<Response> {
  let response: Response;
  try {
    response = await fetchFn(url, { signal });
  } catch (error) {
    if (signal.aborted) throw cancelled(error);
    const reason = messageOf(error);
    throw new GlassboxError('MODEL_FETCH_FAILED', `Could not download ${url} (${reason}): the server did not answer.`, { cause: error });
  }
  if (!response.ok && response.status !== 404) {
    throw new GlassboxError('MODEL_FETCH_FAILED', `The server answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''} for ${url}.`);
  }
  if (response.status !== 200) return response;
  return guardBody(
    response,
    (failure) => (signal.aborted ? cancelled(failure.detail) : bodyFailureError(url, { mismatch: failure.kind === 'mismatch', detail: failure.detail })),
    expected ? { expected } : {},
  );
}

function brokeOff(url: string, cause: unknown): GlassboxError {
  const reason = messageOf(cause);
  return new GlassboxError('MODEL_FETCH_FAILED', `The download of ${url} broke off (${reason}).`, { cause });
}

function cancelled(cause: unknown): GlassboxError {
  return new GlassboxError('CANCELLED', LOAD_CANCELLED, { cause });
}
