import { GlassboxError } from '../contract/errors';
import type { ModelSource } from '../contract/types';

/** What transformers.js accepts as a model id (its REPO_ID_REGEX): the last path segment of the folder. */
const FOLDER_NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9_])?$/;

/**
 * Turns what a person typed (absolute URL or a path relative to the page) into the model folder
 * to load. Only folders on the page's own origin are accepted: the site never fetches from
 * anywhere else, and cross-origin model files would need CORS and CORP headers we cannot check.
 */
export function resolveModelFolder(input: string, pageUrl: string): ModelSource {
  const trimmed = input.trim();
  if (!trimmed) {
    throw new GlassboxError('BAD_INPUT', 'Enter the URL of a model folder, for example models/my-model/.');
  }
  let url: URL;
  try {
    url = new URL(trimmed, pageUrl);
  } catch {
    throw new GlassboxError('BAD_INPUT', `"${trimmed}" is not a URL. Enter a path such as models/my-model/.`);
  }
  const page = new URL(pageUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new GlassboxError('BAD_INPUT', `Only http(s) model folders can be loaded, not ${url.protocol} URLs.`);
  }
  if (url.origin !== page.origin) {
    throw new GlassboxError(
      'BAD_INPUT',
      `${url.origin} is another site. This page only loads models from its own origin (${page.origin}): copy the model folder onto this site and enter its path.`,
    );
  }
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  const segments = url.pathname.split('/').filter(Boolean);
  const id = decodeURIComponent(segments.at(-1) ?? '');
  if (!FOLDER_NAME.test(id) || id.includes('..') || id.includes('--') || /\.(git|ipynb)$/.test(id)) {
    throw new GlassboxError(
      'BAD_INPUT',
      `"${id || '/'}" cannot be a model folder name: up to 96 letters, digits, ".", "_" and single "-", starting and ending with a letter or digit (the folder holding config.json).`,
    );
  }
  return { id, url: url.href };
}

/** The folder that holds a model folder, and the model's name inside it (how transformers.js addresses local models). */
export function splitModelFolder(folderUrl: string): { parent: string; name: string } {
  const url = new URL(folderUrl);
  const segments = url.pathname.split('/').filter(Boolean);
  const name = segments.pop();
  if (!name) throw new GlassboxError('BAD_INPUT', `${folderUrl} is a site root, not a model folder.`);
  url.pathname = `/${segments.map((s) => `${s}/`).join('')}`;
  return { parent: url.href, name: decodeURIComponent(name) };
}
