/**
 * Library entry of the embeddable build (`npm run build:lib`): defines `<glassbox-classifier>`,
 * once. The only module with side effects. A second copy of the library on the same page (another
 * URL, another version) finds the element defined and leaves it alone; the implementation is
 * imported only when needed, so the second copy does not redefine the gb-* parts it renders with.
 */
export type { GlassboxClassifier } from './ui/glassbox-classifier';
export type * from './core/element/embed-events';

const TAG = 'glassbox-classifier';

if (!customElements.get(TAG)) {
  const { GlassboxClassifier } = await import('./ui/glassbox-classifier');
  // Written through a variable so the bundler leaves the URL alone: it names the folder beside
  // this file at run time, where the library build puts the shipped models.
  const here = import.meta.url;
  GlassboxClassifier.defaultModelBaseUrl = new URL('models/', here).href;
  if (!customElements.get(TAG)) customElements.define(TAG, GlassboxClassifier);
}
