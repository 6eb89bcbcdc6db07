import type { ExplainMethod } from '../core/contract/explanation-types';
import type { BackendChoice, EngineChoice } from '../core/contract/types';

/** Longer texts stay out of the address: browsers and servers cut URLs of a few thousand characters. */
export const MAX_URL_TEXT_CHARS = 2000;

/** What the page's address records, so that a view can be shared or bookmarked. */
export interface PageChoices {
  /** A catalog model's id; undefined for a folder typed by the person. */
  model: string | undefined;
  engine: EngineChoice;
  backend: BackendChoice;
  method: ExplainMethod;
  /** Samples of the chosen method, when it samples and the person changed the default. */
  samples: number | undefined;
  text: string;
}

/**
 * `pageUrl` with the choices written into its query (?model=&engine=&backend=&method=&samples=&text=).
 * Defaults are left out so a plain visit keeps a plain address; other parameters and the hash stay.
 */
export function pageUrlWith(pageUrl: string, choices: PageChoices, defaults: Pick<PageChoices, 'method'>): string {
  const url = new URL(pageUrl);
  const write = (name: string, value: string | undefined) => {
    if (value === undefined || value === '') url.searchParams.delete(name);
    else url.searchParams.set(name, value);
  };
  write('model', choices.model);
  write('engine', choices.engine === 'auto' ? undefined : choices.engine);
  write('backend', choices.backend === 'auto' ? undefined : choices.backend);
  write('method', choices.method === defaults.method ? undefined : choices.method);
  write('samples', choices.samples === undefined ? undefined : String(choices.samples));
  write('text', choices.text.trim() && choices.text.length <= MAX_URL_TEXT_CHARS ? choices.text : undefined);
  return url.href;
}
