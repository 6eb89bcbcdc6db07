import { toGlassboxError } from '../../../src/core/contract/errors';

/** The GlassboxError code `fn` throws, or 'ok' when it returns. */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return toGlassboxError(error).code;
  }
  return 'ok';
}

/** The GlassboxError code and message a promise rejects with, or code 'ok' when it resolves. */
export async function failureOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = toGlassboxError(error);
    return { code: e.code, message: e.detail };
  }
  return { code: 'ok', message: '' };
}

/** What `fn` throws; fails the test when it returns. */
export function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
