/**
 * How fast Cancel frees the worker (a measurement, not a test): the built site in headless
 * Chromium on WebAssembly explains a 100-word text with LIME at 5,000 samples, presses Cancel
 * a few seconds in, and types a sports text at once; measured from the Cancel click until that
 * text's classification is on screen (the worker had to drop the explanation first).
 *
 *   npm run build && npx tsx bench/cancel-speed.ts [--repeat 5]
 *
 * Prints one line per run and the median.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/e2e/chromium';
import { startStaticServer } from '../test/e2e/static-server';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TEXT =
  'The central bank raised interest rates by half a point on Thursday, its third increase this year, as inflation stayed well above target and wage growth kept climbing. Shares in banks rose while house builders fell, and the pound gained against the dollar. Economists said the decision was widely expected, but warned that higher borrowing costs would slow spending by households already squeezed by energy bills. The governor told reporters that further rises could follow if prices did not ease over the summer.';

/** A section's data-state; a function, not a string, because the page's CSP forbids string evaluation. */
const state = (page: Page, section: string, wanted: string[], timeout = 120_000) =>
  page.waitForFunction(
    ([name, values]) => values.includes(document.querySelector('gb-app')?.shadowRoot?.querySelector(`section.${name}`)?.getAttribute('data-state') ?? ''),
    [section, wanted] as const,
    { timeout, polling: 10 },
  );

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { repeat: { type: 'string', default: '5' } } });
  const server = await startStaticServer({ root: path.join(ROOT, 'dist') });
  const { context, close } = await launchChromium({ webgpu: false });
  const seconds: number[] = [];
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}?model=news-topic&backend=wasm&method=lime&samples=5000`);
    await state(page, 'model', ['ready']);
    for (let run = 0; run < Number(values.repeat); run++) {
      await page.locator('gb-text-input textarea').fill(`${TEXT} Run ${run}.`);
      await page.locator('gb-text-input button.classify').click();
      await state(page, 'result', ['done']);
      await state(page, 'explain', ['idle']);
      await page.locator('gb-explain-controls button.explain').click();
      await state(page, 'explain', ['running']);
      await page.waitForTimeout(3000);
      const started = Date.now();
      await page.locator('gb-explain-controls button.cancel').click();
      // A sports text after a business one: its result is on screen once the top label reads sport.
      await page.locator('gb-text-input textarea').fill(`The striker scored twice as the team won the cup final, match ${run}.`);
      await page.locator('gb-text-input button.classify').click();
      await page.waitForFunction(
        () => {
          const section = document.querySelector('gb-app')?.shadowRoot?.querySelector('section.result');
          const probabilities = section?.querySelector('gb-probabilities')?.shadowRoot;
          const first = probabilities?.querySelector('li, tr, .label')?.textContent?.trim().toLowerCase() ?? '';
          return section?.getAttribute('data-state') === 'done' && first.startsWith('sport');
        },
        undefined,
        { timeout: 120_000, polling: 10 },
      );
      seconds.push((Date.now() - started) / 1000);
      console.log(`run ${run + 1}: ${seconds.at(-1)?.toFixed(2)} s from Cancel to the next classification on screen`);
    }
  } finally {
    await close();
    await server.close();
  }
  const sorted = [...seconds].sort((a, b) => a - b);
  console.log(`median ${sorted[Math.floor(sorted.length / 2)].toFixed(2)} s, worst ${sorted.at(-1)?.toFixed(2)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
