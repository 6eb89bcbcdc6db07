import { GlassboxError } from '../contract/errors';
import { EXPLAIN_METHODS, type ExplainMethod } from '../contract/explanation-types';
import { resolveModelFolder } from '../model-folder/model-url';
import { BACKEND_CHOICES, ENGINE_CHOICES, isOneOf, type BackendChoice, type EngineChoice, type ModelSource } from '../contract/types';


/** The attributes of `<glassbox-classifier>` that decide which model runs, as the page wrote them. */
export interface ModelAttributes {
  model?: string | null;
  modelBaseUrl?: string | null;
  engine?: string | null;
  backend?: string | null;
}

/** What the element loads: one model folder with an engine and a backend. */
export interface EmbedModelConfig {
  source: ModelSource;
  engine: EngineChoice;
  backend: BackendChoice;
}

/**
 * Turns the element's attributes into the model to load, or undefined while there is no `model`
 * attribute yet. An explicit `model-base-url` is resolved against the document, like any URL in
 * HTML; without one the models are looked for in `defaultBaseUrl` (the `models/` folder beside the
 * library file, so a copied build folder works from any page of the site). Only the document's
 * own origin is accepted: the element never fetches from another site.
 */
export function resolveEmbedConfig(attributes: ModelAttributes, documentUrl: string, defaultBaseUrl: string): EmbedModelConfig | undefined {
  const engine = parseChoice(attributes.engine, ENGINE_CHOICES, 'auto', 'engine');
  const backend = parseChoice(attributes.backend, BACKEND_CHOICES, 'auto', 'backend');
  const model = attributes.model?.trim();
  if (!model) return undefined;
  const base = resolveBaseUrl(attributes.modelBaseUrl, documentUrl, defaultBaseUrl);
  const source = resolveModelFolder(new URL(`${encodeURIComponent(model)}/`, base).href, documentUrl);
  return { source, engine, backend };
}

/** Same folder, engine and backend: nothing to reload. */
export function sameModelConfig(a: EmbedModelConfig | undefined, b: EmbedModelConfig | undefined): boolean {
  return a?.source.url === b?.source.url && a?.engine === b?.engine && a?.backend === b?.backend;
}

/** The `method` attribute: how explanations are computed (default lime, as the element always did). */
export function parseMethod(value: string | null | undefined): ExplainMethod {
  return parseChoice(value, EXPLAIN_METHODS, 'lime', 'method');
}

/** The `samples` attribute: LIME samples per explanation, a whole number of at least 2. */
export function parseSamples(value: number | null | undefined, fallback: number): number {
  if (value === null || value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 2) {
    throw new GlassboxError('BAD_INPUT', `The samples attribute must be a whole number of at least 2, for example samples="500"; got "${String(value)}".`);
  }
  return value;
}

function resolveBaseUrl(value: string | null | undefined, documentUrl: string, defaultBaseUrl: string): URL {
  const written = value?.trim();
  let base: URL;
  try {
    base = new URL(written || defaultBaseUrl, documentUrl);
  } catch {
    throw new GlassboxError('BAD_INPUT', `model-base-url="${written}" is not a URL; use the path of the folder that holds the model folders, e.g. "/models/".`);
  }
  const page = new URL(documentUrl);
  if (base.origin !== page.origin) {
    const where = written ? `model-base-url points at ${base.origin}` : `The library was loaded from ${base.origin}`;
    throw new GlassboxError(
      'BAD_INPUT',
      `${where}, another site; models are only loaded from this page's own origin (${page.origin}). Copy the library and the model folders onto this site and point model-base-url at the models.`,
    );
  }
  // "/models" means the folder, not a file named models beside the folders.
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  base.search = '';
  base.hash = '';
  return base;
}

function parseChoice<T extends string>(value: string | null | undefined, allowed: readonly T[], fallback: T, name: string): T {
  const written = value?.trim().toLowerCase();
  if (!written) return fallback;
  if (!isOneOf(allowed, written)) throw new GlassboxError('BAD_INPUT', `${name}="${value}" is not supported; use one of ${allowed.join(', ')}.`);
  return written;
}
