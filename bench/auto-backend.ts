/**
 * What "auto" does on a machine whose only WebGPU adapter is software (a measurement, not a test):
 * the built site in headless Chromium with --enable-unsafe-webgpu (SwiftShader) and no ?backend=,
 * the backend the page picked and the reason it shows, then the time to classify a 100-word text
 * (the first time, and the median of the next runs), from pressing Classify to the result on screen.
 *
 *   npm run build && npx tsx bench/auto-backend.ts [--repeat 5]
 *
 * Writes bench/reports/auto-backend.md.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/e2e/chromium';
import { startStaticServer } from '../test/e2e/static-server';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** 100 words of news. */
const TEXT =
  'The central bank raised interest rates by half a point on Thursday, its third increase this year, as inflation stayed well above target and wage growth kept climbing. Shares in banks rose while house builders fell, and the pound gained against the dollar. Economists said the decision was widely expected, but warned that higher borrowing costs would slow spending by households already squeezed by energy bills. The governor told reporters that further rises could follow if prices did not ease over the summer, and that the committee would watch the jobs market closely in the months ahead.';

/** Reads inside the page's shadow roots; a function, not a string, because the page's CSP forbids string evaluation. */
const shadow = (page: Page, host: string, selector: string) =>
  page.evaluate(
    ([h, s]) => {
      const root = document.querySelector('gb-app')?.shadowRoot;
      const element = root?.querySelector(h);
      const found = element?.shadowRoot?.querySelector(s) ?? element;
      return found instanceof HTMLElement ? found.innerText.replace(/\s+/g, ' ').trim() : '';
    },
    [host, selector] as const,
  );

async function classifyOnce(page: Page, text: string): Promise<number> {
  await page.locator('gb-text-input textarea').fill(text);
  const started = Date.now();
  await page.locator('gb-text-input button.classify').click();
  await page.waitForFunction(
    (wanted) => {
      const section = document.querySelector('gb-app')?.shadowRoot?.querySelector('section.result');
      const predicted = section?.querySelector('gb-probabilities')?.shadowRoot?.querySelector('.predicted');
      return section?.getAttribute('data-state') === 'done' && predicted?.getAttribute('data-text') === wanted;
    },
    text,
    { timeout: 120_000, polling: 10 },
  );
  return (Date.now() - started) / 1000;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { repeat: { type: 'string', default: '5' } } });
  const server = await startStaticServer({ root: path.join(ROOT, 'dist') });
  const { context, close } = await launchChromium({ webgpu: true });
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}?model=news-topic`);
    await page.waitForFunction(() => document.querySelector('gb-app')?.shadowRoot?.querySelector('section.model')?.getAttribute('data-state') === 'ready', undefined, {
      timeout: 180_000,
    });
    const backend = (await page.locator('gb-engine-badge').getAttribute('backend')) ?? '';
    const badge = await shadow(page, 'gb-engine-badge', 'dl');
    const first = await classifyOnce(page, TEXT);
    const next: number[] = [];
    for (let run = 0; run < Number(values.repeat); run++) next.push(await classifyOnce(page, `${TEXT} (${run + 1})`));
    const median = [...next].sort((a, b) => a - b)[Math.floor(next.length / 2)];
    const report = [
      '# Auto backend on a software-only WebGPU adapter',
      '',
      'Headless Chromium with `--enable-unsafe-webgpu` (WebGPU on SwiftShader, a CPU emulation), the page opened with no `?backend=`, news-topic, a 100-word text; from pressing Classify to the result on screen. Made by `npx tsx bench/auto-backend.ts` on 2 CPU cores.',
      '',
      `- Backend auto picked: **${backend}**`,
      `- What the page says: ${badge}`,
      `- First classification: ${first.toFixed(2)} s`,
      `- Median of the next ${next.length}: ${median.toFixed(2)} s (${next.map((s) => s.toFixed(2)).join(', ')})`,
      '',
    ].join('\n');
    await writeFile(path.join(ROOT, 'bench', 'reports', 'auto-backend.md'), report);
    console.log(report);
  } finally {
    await close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
