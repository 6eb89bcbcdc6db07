import { concatBytes } from '../core/model-folder/bytes';
import { GlassboxError, messageOf } from '../core/contract/errors';
import { fileMismatch } from '../core/model-folder/offline-models';
import { sha256Hex } from '../core/model-folder/sha256';
import type { ModelFile } from '../core/contract/types';

/** A download that receives nothing for this long is given up: the connection is as good as gone. */
export const STALL_TIMEOUT_MS = 30_000;

/** Why a response body was not delivered whole. */
export interface BodyFailure {
  /** stalled: nothing arrived for the stall time; dropped: the connection failed; mismatch: the bytes are not the listed file. */
  kind: 'stalled' | 'dropped' | 'mismatch';
  detail: string;
}

export interface BodyGuard {
  stallMs?: number;
  /** The file as the model card lists it: the body must have its size and sha256. */
  expected?: Pick<ModelFile, 'bytes' | 'sha256'>;
}

/**
 * The same response, with a body that fails (and cancels the download) when no bytes arrive for
 * `stallMs`, that says how much had arrived when the connection dropped, and, for a file the
 * model card lists, that fails unless the bytes have the card's size and sha256. Without it a
 * stalled download waits forever (a progress bar stuck at 52%), a dropped connection surfaces as
 * a truncated, "corrupt" model, and a swapped file is used as it is.
 */
export function guardBody(response: Response, onFailure: (failure: BodyFailure) => Error, { stallMs = STALL_TIMEOUT_MS, expected }: BodyGuard = {}): Response {
  if (!response.body) return response;
  const reader = response.body.getReader();
  const kept: Uint8Array[] = [];
  let received = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stalled = new Promise<'stalled'>((resolve) => {
        timer = setTimeout(() => resolve('stalled'), stallMs);
      });
      try {
        const next = await Promise.race([reader.read(), stalled]);
        if (next === 'stalled') {
          void reader.cancel().catch(() => undefined);
          controller.error(onFailure({ kind: 'stalled', detail: `the download stalled: nothing arrived for ${Math.round(stallMs / 1000)} s after ${received} bytes` }));
        } else if (next.done) {
          const mismatch = expected ? await mismatchOf(concatBytes(kept, received), expected) : undefined;
          if (mismatch) controller.error(onFailure({ kind: 'mismatch', detail: mismatch }));
          else controller.close();
        } else {
          received += next.value.length;
          if (expected) kept.push(next.value);
          controller.enqueue(next.value);
        }
      } catch (error) {
        controller.error(onFailure({ kind: 'dropped', detail: `the connection dropped after ${received} bytes (${messageOf(error)})` }));
      } finally {
        clearTimeout(timer);
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: expected ? withLength(response.headers, expected.bytes) : response.headers });
}

/**
 * The headers with Content-Length set to the listed file's size. The body handed on is the file
 * itself, decoded, and it is refused unless it has that size; a compressing server sends no length
 * or the compressed one, which would leave readers (transformers.js among them) without a total.
 */
function withLength(headers: Headers, bytes: number): Headers {
  const copy = new Headers(headers);
  copy.set('content-length', String(bytes));
  return copy;
}

/** What is wrong with the bytes against the listed file, or undefined when they are it; hashed only when the size is right. */
async function mismatchOf(bytes: Uint8Array<ArrayBuffer>, expected: Pick<ModelFile, 'bytes' | 'sha256'>): Promise<string | undefined> {
  const actual = expected.sha256 !== undefined && bytes.length === expected.bytes ? await sha256Hex(bytes) : undefined;
  return fileMismatch(bytes.length, actual, expected);
}

/**
 * The error a model load ends in when a body failed: a file that is not the one its card lists is
 * refused (MODEL_INVALID); a stalled or dropped download failed (MODEL_FETCH_FAILED). Both engines
 * word it alike.
 */
export function bodyFailureError(url: string, failure: { mismatch: boolean; detail: string }, cause?: unknown): GlassboxError {
  return failure.mismatch
    ? new GlassboxError('MODEL_INVALID', `${url} is not the file its model card lists: ${failure.detail}. It was refused; load the model again to download it afresh.`, { cause })
    : new GlassboxError('MODEL_FETCH_FAILED', `The download of ${url} stopped: ${failure.detail}. Check the connection and load the model again.`, { cause });
}
