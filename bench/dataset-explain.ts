/**
 * Dataset explanation speed and the estimate's accuracy (a measurement, not a test): the built site
 * in headless Chromium on WebAssembly classifies 500 e-commerce rows of about 30 words (each
 * product text cut to its first 30 words, rows spread evenly over the data set), then "Explain this
 * dataset" measures, shows its estimate, and explains every row. Reports the estimate shown before
 * the start against the time from Start to the words on screen.
 *
 *   npm run build && npx tsx bench/dataset-explain.ts [--repeat 1]
 *
 * Reads the full e-commerce data beside the repository when it is there, else the test fixture.
 * Writes bench/reports/dataset-explain.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/e2e/chromium';
import { startStaticServer } from '../test/e2e/static-server';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ROWS = 500;
const WORDS = 30;
const SOURCES = [path.join(ROOT, '..', 'shared', 'data', 'ecommerce', 'ecommerce.csv'), path.join(ROOT, 'test', 'fixtures', 'data', 'ecommerce', 'ecommerce.csv')];

/** 500 rows of label, text: every n-th row of the data, its text cut to 30 words. */
function productRows(): { rows: string[][]; source: string } {
  const source = SOURCES.find((file) => existsSync(file));
  if (!source) throw new Error('No e-commerce data: neither the shared data set nor the test fixture is there.');
  const data = Papa.parse<string[]>(readFileSync(source, 'utf8'), { skipEmptyLines: true }).data.filter((cells) => cells.length >= 2 && cells[1].trim());
  const body = /^label$/i.test(data[0][0]) ? data.slice(1) : data;
  const step = body.length / ROWS;
  const rows = Array.from({ length: ROWS }, (_, i) => {
    const [label, text] = body[Math.floor(i * step) % body.length];
    return [label, text.split(/\s+/).filter(Boolean).slice(0, WORDS).join(' ')];
  });
  return { rows, source: path.relative(ROOT, source) };
}

/**
 * Waits until an element of the page (inside gb-app) has an attribute among `wanted`; a function,
 * not a string, because the page's CSP forbids string evaluation.
 */
function waitFor(page: Page, selector: string, attribute: string, wanted: string[], timeout: number) {
  return page.waitForFunction(
    ([sel, attr, values]) => values.includes(document.querySelector('gb-app')?.shadowRoot?.querySelector(sel)?.getAttribute(attr) ?? ''),
    [selector, attribute, wanted] as const,
    { timeout, polling: 50 },
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { repeat: { type: 'string', default: '1' } } });
  const { rows, source } = productRows();
  const words = rows.map(([, text]) => text.split(' ').length);
  const csv = Papa.unparse([['label', 'text'], ...rows]);
  const server = await startStaticServer({ root: path.join(ROOT, 'dist') });
  const { context, close } = await launchChromium({ webgpu: false });
  const runs: { estimateMs: number; wallMs: number; workerMs: number; planMs: number; timedRows: number }[] = [];
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}?model=product-category&backend=wasm`);
    // As a visitor would: the model loaded and warmed up before a file is dropped.
    await waitFor(page, 'section.model', 'data-warm-up', ['settled', 'limit'], 180_000);
    for (let run = 0; run < Number(values.repeat); run++) {
      const batch = page.locator('gb-batch-panel');
      await batch.locator('input[type=file]').setInputFiles({ name: `products-${run}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await waitFor(page, 'section.batch', 'data-state', ['preview'], 60_000);
      await batch.locator('button.start').click();
      await waitFor(page, 'section.batch', 'data-state', ['done'], 300_000);

      const panel = page.locator('gb-dataset-panel');
      const planStarted = Date.now();
      await panel.locator('button.plan').click();
      await waitFor(page, 'div.dataset', 'data-state', ['planned'], 120_000);
      const planMs = Date.now() - planStarted;
      await panel.locator('input[value=all]').check();
      const estimateMs = Number(await panel.locator('.estimate').getAttribute('data-estimate-ms'));
      const timedRows = Number(/Timed on (\d+)/.exec(await panel.locator('.plan-facts').innerText())?.[1]);
      const started = Date.now();
      await panel.locator('button.start').click();
      await waitFor(page, 'div.dataset', 'data-state', ['done'], 900_000);
      const wallMs = Date.now() - started;
      const workerMs = Number(await panel.locator('.summary').getAttribute('data-ms'));
      runs.push({ estimateMs, wallMs, workerMs, planMs, timedRows });
      console.log(`run ${run + 1}: estimate ${(estimateMs / 1000).toFixed(1)} s, took ${(wallMs / 1000).toFixed(1)} s (worker ${(workerMs / 1000).toFixed(1)} s), measuring took ${(planMs / 1000).toFixed(1)} s`);
    }
  } finally {
    await close();
    await server.close();
  }
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const report = `# Dataset explanation: 500 e-commerce rows on WebAssembly

The built site in headless Chromium, product-category on WebAssembly (2 CPU cores), warmed up. ${ROWS} rows from \`${source}\`, spread evenly over it, each text cut to its first ${WORDS} words (median ${median(words)} words). The rows are classified as a batch, then "Explain this dataset" measures (explains a few rows of the file to time them), shows its estimate, and explains every row by leaving one word out. Made by \`npx tsx bench/dataset-explain.ts\`.

| run | estimate shown before Start | Start to words on screen | estimate / real | worker time | measuring before the estimate |
| --- | --- | --- | --- | --- | --- |
${runs.map((r, i) => `| ${i + 1} | ${seconds(r.estimateMs)} | ${seconds(r.wallMs)} | ${(r.estimateMs / r.wallMs).toFixed(2)} | ${seconds(r.workerMs)} | ${seconds(r.planMs)} (${r.timedRows} rows timed) |`).join('\n')}
`;
  await writeFile(path.join(ROOT, 'bench', 'reports', 'dataset-explain.md'), report);
  console.log(report);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
