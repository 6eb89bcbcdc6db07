import { env } from '@huggingface/transformers';
import { GuardedFetch } from './guarded-fetch';

let guarded: GuardedFetch | undefined;

/**
 * Configures transformers.js, which this app uses for tokenizers only, once per worker:
 * - files come only from this site: the folder holding the model folders stands in for the
 *   Hugging Face Hub (useModelFolder), so the Hub is never asked. Its "local model" mode is not
 *   used because in a browser it cannot tell that a folder has a tokenizer (it only probes
 *   local paths that are not http URLs);
 * - no Cache API copies: the browser's HTTP cache revalidates files, so a re-published model is
 *   picked up instead of a stale copy being served forever;
 * - every fetch goes through GuardedFetch, for precise errors and cancellation.
 */
export function configureTransformers(): GuardedFetch {
  if (guarded) return guarded;
  env.allowRemoteModels = true;
  env.allowLocalModels = false;
  env.useBrowserCache = false;
  env.useWasmCache = false;
  env.useFSCache = false;
  guarded = new GuardedFetch(globalThis.fetch.bind(globalThis));
  env.fetch = guarded.fetch;
  return guarded;
}

/** Makes model id `name` resolve to `<parent><name>/<file>`. Loads never overlap (the worker queues them). */
export function useModelFolder(parent: string): void {
  env.remoteHost = parent;
  env.remotePathTemplate = '{model}/';
}
