import { toGlassboxError } from '../../../src/core/errors';

/** The GlassboxError code `fn` throws, or 'ok' when it returns. */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return toGlassboxError(error).code;
  }
  return 'ok';
}
