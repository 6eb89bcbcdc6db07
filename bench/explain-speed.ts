/**
 * Explanation speed (a measurement, not a test): the built page in headless Chromium explains a
 * 100-word text with LIME at 1,000 and 5,000 samples, per backend, timed by the page itself
 * (the "Time" it shows: sampling, model batches and the ridge fits, in the worker).
 *
 *   npm run build && npx tsx bench/explain-speed.ts [--model news-topic] [--only wasm]
 *
 * Writes bench/reports/explain-speed.json and .md. WebGPU here is SwiftShader, a software
 * adapter: its numbers say nothing about a real GPU, and it runs 1,000 samples only.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/e2e/chromium';
import { startStaticServer } from '../test/e2e/static-server';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REPORTS = path.join(ROOT, 'bench/reports');

// 100 words, 74 of them distinct: a typical short news item.
const TEXT = `The central bank raised interest rates by half a point on Thursday, its third increase this year,
as inflation stayed well above target and wage growth kept climbing. Shares in banks rose while house builders fell,
and the pound gained against the dollar. Economists said the decision was widely expected, but warned that higher
borrowing costs would slow spending by households already squeezed by energy bills. The governor told reporters that
further rises could follow if prices did not ease over the summer, and that the bank would watch the jobs market closely
before its next meeting in September.`.replace(/\s+/g, ' ');

interface Row {
  backend: 'wasm' | 'webgpu';
  samples: number;
  seconds: number;
  distinct: string;
}

async function explainOnce(page: Page, samples: number, timeoutMs: number): Promise<{ seconds: number; distinct: string }> {
  const input = page.locator('gb-explain-controls input[name=samples]');
  await input.fill(String(samples));
  await input.dispatchEvent('change');
  await page.locator('gb-explain-controls button.explain').click();
  await page.waitForFunction(() => document.querySelector('gb-app')?.shadowRoot?.querySelector('section.explain')?.getAttribute('data-state') === 'done', undefined, { timeout: timeoutMs, polling: 250 });
  const facts = await page.locator('gb-explanation-view dl.facts').innerText();
  const time = /Time\s+([\d.]+) s/.exec(facts);
  const distinct = /Samples\s+([^\n]+)/.exec(facts)?.[1] ?? '';
  if (!time) throw new Error(`no time shown: ${facts.slice(0, 300)}`);
  return { seconds: Number(time[1]), distinct };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { model: { type: 'string', default: 'news-topic' }, only: { type: 'string' } } });
  const backends = (values.only?.split(',') ?? ['wasm', 'webgpu']) as Row['backend'][];
  const server = await startStaticServer({ root: path.join(ROOT, 'dist') });
  const rows: Row[] = [];
  try {
    for (const backend of backends) {
      const { context, close } = await launchChromium({ webgpu: backend === 'webgpu' });
      try {
        const page = await context.newPage();
        await page.goto(`${server.url}?model=${values.model}&backend=${backend}`);
        await page.waitForFunction(() => document.querySelector('gb-app')?.shadowRoot?.querySelector('section.model')?.getAttribute('data-state') === 'ready', undefined, { timeout: 300_000 });
        await page.locator('gb-text-input textarea').fill(TEXT);
        await page.locator('gb-text-input button.classify').click();
        await page.waitForFunction(() => document.querySelector('gb-app')?.shadowRoot?.querySelector('section.result')?.getAttribute('data-state') === 'done', undefined, { timeout: 300_000 });
        for (const samples of backend === 'webgpu' ? [1000] : [1000, 5000]) {
          const result = await explainOnce(page, samples, 1_800_000);
          rows.push({ backend, samples, ...result });
          console.log(JSON.stringify(rows.at(-1)));
        }
      } finally {
        await close();
      }
    }
  } finally {
    await server.close();
  }
  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), headless Chromium, model ${values.model}, 100-word text`;
  await mkdir(REPORTS, { recursive: true });
  await writeFile(path.join(REPORTS, 'explain-speed.json'), JSON.stringify({ machine, date: new Date().toISOString(), rows }, null, 2) + '\n');
  const table = rows.map((r) => `| onnx/${r.backend}${r.backend === 'webgpu' ? ' (software adapter)' : ''} | ${r.samples} | ${r.distinct} | ${r.seconds.toFixed(1)} s |`).join('\n');
  await writeFile(
    path.join(REPORTS, 'explain-speed.md'),
    `# Explanation speed\n\n${machine}; ${new Date().toISOString().slice(0, 10)}.\n\n| engine/backend | samples | samples (distinct texts run) | time |\n| --- | --- | --- | --- |\n${table}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
