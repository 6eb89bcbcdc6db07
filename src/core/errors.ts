/**
 * Every failure that crosses a boundary (worker -> client, element -> page) is a GlassboxError.
 * Comlink only carries `name` and `message` across the worker boundary, so the code is also
 * encoded in the message prefix and recovered by `toGlassboxError`, never by `instanceof`.
 */
export type ErrorCode =
  | 'EMPTY_TEXT'
  | 'BAD_INPUT'
  | 'MODEL_NOT_FOUND'
  | 'MODEL_INVALID'
  | 'MODEL_FETCH_FAILED'
  | 'MODEL_NOT_LOADED'
  | 'BACKEND_UNAVAILABLE'
  | 'DEVICE_LOST'
  | 'WORKER_FAILED'
  | 'CANCELLED'
  | 'SUPERSEDED'
  | 'CSV_INVALID'
  | 'INTERNAL';

export const GLASSBOX_ERROR_NAME = 'GlassboxError';

export class GlassboxError extends Error {
  override readonly name = GLASSBOX_ERROR_NAME;
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`[${code}] ${message}`, options);
  }

  /** The message without the code prefix, for people. */
  get detail(): string {
    return this.message.replace(/^\[[A-Z_]+\] /, '');
  }
}

const CODE_PREFIX = /^\[([A-Z_]+)\] ([\s\S]*)$/;

/** Rebuilds a GlassboxError from anything thrown, including errors that crossed Comlink. */
export function toGlassboxError(error: unknown, fallback: ErrorCode = 'INTERNAL'): GlassboxError {
  if (error instanceof GlassboxError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const match = CODE_PREFIX.exec(message);
  if (match) return new GlassboxError(match[1] as ErrorCode, match[2], { cause: error });
  return new GlassboxError(fallback, message, { cause: error });
}
