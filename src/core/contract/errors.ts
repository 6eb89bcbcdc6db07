/**
 * Every failure that crosses a boundary (worker -> client, element -> page) is a GlassboxError:
 * a code for programs, a message for people. Across the worker boundary it travels whole through
 * a Comlink transfer handler (error-transfer.ts), so callers get a GlassboxError back.
 */
export const ERROR_CODES = Object.freeze([
  'EMPTY_TEXT',
  'BAD_INPUT',
  'MODEL_NOT_FOUND',
  'MODEL_INVALID',
  'MODEL_FETCH_FAILED',
  'MODEL_NOT_LOADED',
  'BACKEND_UNAVAILABLE',
  'DEVICE_LOST',
  'WORKER_FAILED',
  'CANCELLED',
  'SUPERSEDED',
  'CSV_INVALID',
  'INTERNAL',
] as const);
export type ErrorCode = (typeof ERROR_CODES)[number];

export const GLASSBOX_ERROR_NAME = 'GlassboxError';

export class GlassboxError extends Error {
  override readonly name = GLASSBOX_ERROR_NAME;
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The message for people; the code stays apart, in `code`. */
  get detail(): string {
    return this.message;
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return (ERROR_CODES as readonly unknown[]).includes(value);
}

/**
 * A GlassboxError from anything thrown: itself; an error that kept its name and code on the way
 * (a structured clone, an element's rejection seen by another realm); or any other error, under
 * `fallback`.
 */
export function toGlassboxError(error: unknown, fallback: ErrorCode = 'INTERNAL'): GlassboxError {
  if (error instanceof GlassboxError) return error;
  const code = error instanceof Error && error.name === GLASSBOX_ERROR_NAME ? (error as Error & { code?: unknown }).code : undefined;
  if (isErrorCode(code)) return new GlassboxError(code, (error as Error).message, { cause: error });
  return new GlassboxError(fallback, messageOf(error), { cause: error });
}

/** The message of anything thrown: an Error's, a plain object's `message` (TF.js rejects some initialisations with those), or the value as text. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') return (error as { message: string }).message;
  return String(error);
}
