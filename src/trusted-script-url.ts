/**
 * Script URLs for Trusted Types. Under the shipped Content-Security-Policy
 * (`require-trusted-types-for 'script'`) a worker or service worker may only be started from a
 * TrustedScriptURL, made by a named policy. glassbox's policy passes only URLs of its own origin,
 * so nothing a page or a model folder says can make it start a script from elsewhere.
 */

interface TrustedTypesLike {
  createPolicy(name: string, rules: { createScriptURL(url: string): string }): { createScriptURL(url: string): unknown };
}

/** The name the policy needs in a host page's `trusted-types` directive. */
export const TRUSTED_TYPES_POLICY = 'glassbox';

let policy: { createScriptURL(url: string): unknown } | null | undefined;

/** Throws unless `url` is on this page's (or worker's) own origin. */
export function sameOriginScript(url: string): string {
  const resolved = new URL(url, globalThis.location?.href);
  if (resolved.origin !== globalThis.location?.origin) throw new TypeError(`glassbox starts scripts only from its own origin, not ${resolved.origin}.`);
  return resolved.href;
}

/**
 * `url` as a TrustedScriptURL where the browser has Trusted Types, else as it is. A page whose
 * policy does not allow the "glassbox" policy gets the plain string (and its own violation report).
 */
export function trustedScriptUrl(url: string): string {
  const types = (globalThis as { trustedTypes?: TrustedTypesLike }).trustedTypes;
  if (!types) return url;
  if (policy === undefined) {
    try {
      policy = types.createPolicy(TRUSTED_TYPES_POLICY, { createScriptURL: sameOriginScript });
    } catch {
      policy = null;
    }
  }
  // Typed as a string for the DOM signatures; the browser accepts the TrustedScriptURL in its place.
  return (policy?.createScriptURL(url) as string | undefined) ?? url;
}

/**
 * Inside the classifier worker: ONNX Runtime starts its WebAssembly threads with `new Worker(url)`
 * itself, so the worker's default policy passes script URLs of its own origin, and only those.
 */
export function allowSameOriginWorkerScripts(): void {
  const types = (globalThis as { trustedTypes?: TrustedTypesLike }).trustedTypes;
  try {
    types?.createPolicy('default', { createScriptURL: sameOriginScript });
  } catch {
    // A default policy exists already, or the policy forbids one: the browser then reports the use.
  }
}
