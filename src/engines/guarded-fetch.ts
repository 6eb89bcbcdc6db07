import { modelFileUrl } from '../core/model-folder/offline-models';
import type { ModelFile } from '../core/contract/types';
import { guardBody, STALL_TIMEOUT_MS } from './stall-guard';
import { messageOf } from '../core/contract/errors';

/**
 * transformers.js treats every failed fetch of a local model file as "file not found" and reads
 * any non-404 answer (a 500 page, say) as the file itself. This wrapper remembers what really
 * happened per URL, so errors can name the actual cause, and lets a load be aborted. Bodies are
 * watched too: a download that stalls is given up, and one whose connection drops is recorded as
 * a network failure, not read as a truncated (corrupt) file.
 */
export type FetchFn = (input: string | URL, init?: RequestInit) => Promise<Response>;

export interface FetchFailure {
  /**
   * network: no answer; status: an HTTP error; interrupted: the body stalled or its connection
   * dropped; mismatch: the bytes are not the file the model card lists.
   */
  kind: 'network' | 'status' | 'interrupted' | 'mismatch' | 'aborted';
  detail: string;
}

export class GuardedFetch {
  private readonly failures = new Map<string, FetchFailure>();
  private readonly listed = new Map<string, ModelFile>();
  private signal: AbortSignal | undefined;

  constructor(
    private readonly inner: FetchFn,
    private readonly stallMs = STALL_TIMEOUT_MS,
  ) {}

  /** Aborts every fetch made while `signal` is set, once it fires. */
  useSignal(signal: AbortSignal | undefined): void {
    this.signal = signal;
  }

  /** Checks every later download of these files of `folder` against their size and sha256. */
  expectFiles(folder: string, files: readonly ModelFile[]): void {
    for (const file of files) this.listed.set(modelFileUrl(folder, file), file);
  }

  /** Forgets failures under `prefix`, so a new attempt is judged on its own fetches. */
  forgetUnder(prefix: string): void {
    for (const url of [...this.failures.keys()]) if (url.startsWith(prefix)) this.failures.delete(url);
  }

  /** The most recent failure of any URL under `prefix`. */
  failureUnder(prefix: string): { url: string; failure: FetchFailure } | undefined {
    let found: { url: string; failure: FetchFailure } | undefined;
    for (const [url, failure] of this.failures) if (url.startsWith(prefix)) found = { url, failure };
    return found;
  }

  readonly fetch: FetchFn = async (input, init) => {
    const url = new URL(String(input), baseUrl()).href;
    this.failures.delete(url);
    const signal = this.signal;
    if (signal?.aborted) return this.fail(url, { kind: 'aborted', detail: 'the load was cancelled' });
    let response: Response;
    try {
      response = await this.inner(input, signal ? { ...init, signal } : init);
    } catch (error) {
      const aborted = signal?.aborted || (error instanceof Error && error.name === 'AbortError');
      return this.fail(url, aborted ? { kind: 'aborted', detail: 'the load was cancelled' } : { kind: 'network', detail: messageOf(error) });
    }
    if (!response.ok && response.status !== 404) {
      return this.fail(url, { kind: 'status', detail: `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}` });
    }
    const expected = response.status === 200 ? this.listed.get(url) : undefined;
    return guardBody(
      response,
      (failure) => {
        const kind = failure.kind === 'mismatch' ? 'mismatch' : 'interrupted';
        const recorded: FetchFailure = signal?.aborted ? { kind: 'aborted', detail: 'the load was cancelled' } : { kind, detail: failure.detail };
        this.failures.set(url, recorded);
        return new Error(`${url}: ${recorded.detail}`);
      },
      { stallMs: this.stallMs, ...(expected ? { expected } : {}) },
    );
  };

  private fail(url: string, failure: FetchFailure): never {
    this.failures.set(url, failure);
    throw new Error(`${url}: ${failure.detail}`);
  }
}

function baseUrl(): string | undefined {
  return typeof location === 'undefined' ? undefined : location.href;
}
