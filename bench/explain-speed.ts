/**
 * Explanation speed in the page (a measurement, not a test): the built site in headless Chromium
 * explains a 100-word text with each method, the way a person does it: pick the method, press
 * Explain, and wait. Measured from the click: when the first explanation is on screen (the
 * leave-one-word-out preview, without its faithfulness check) and when the chosen method is done;
 * also the model runs the page reports. Once in a fresh browser right after the first
 * classification, then in another after the page's idle warm-up, for every method.
 *
 *   npm run build && npm run bench:explain-speed [-- --model news-topic --only wasm --repeat 3]
 *
 * Writes bench/reports/explain-speed.json and .md. WebGPU here is SwiftShader, a software
 * adapter: its numbers say nothing about a real GPU.
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

const METHODS = [
  { method: 'occlusion', samples: undefined },
  { method: 'lime', samples: 1000 },
  { method: 'kernelshap', samples: 400 },
  { method: 'gradient', samples: undefined },
] as const;

interface Row {
  backend: 'wasm' | 'webgpu';
  method: string;
  samples: number | null;
  /** From the click to the first explanation on screen. */
  firstSeconds: number;
  /** From the click to the chosen method's explanation. */
  doneSeconds: number;
  modelRuns: string;
}

const explainState = (page: Page) => page.locator('gb-app section.explain').getAttribute('data-state');

const SENTENCES = TEXT.split(/(?<=\.) /);
let variant = 0;

/**
 * The text with its sentences in another order each time: the same words and length, but a new
 * text, so no explanation reuses the model runs of one before (the worker keeps a text's runs).
 */
function nextVariant(): string {
  const order = [...SENTENCES];
  let n = variant++;
  for (let i = order.length - 1; i > 0 && n > 0; i--) {
    const j = n % (i + 1);
    n = Math.floor(n / (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.join(' ');
}

/** Types `text` and classifies it; resolves once the page shows its result and no explanation. */
async function classifyText(page: Page, text: string): Promise<void> {
  await page.locator('gb-text-input textarea').fill(text);
  await page.locator('gb-text-input button.classify').click();
  await page.waitForFunction(
    () => {
      const root = document.querySelector('gb-app')?.shadowRoot;
      return root?.querySelector('section.result')?.getAttribute('data-state') === 'done' && root.querySelector('section.explain')?.getAttribute('data-state') === 'idle';
    },
    undefined,
    { timeout: 300_000 },
  );
}

async function explainOnce(page: Page, method: string, samples: number | undefined, timeoutMs: number): Promise<Omit<Row, 'backend' | 'method' | 'samples'>> {
  await classifyText(page, nextVariant());
  await page.locator('gb-explain-controls select[name=method]').selectOption(method);
  if (samples !== undefined) {
    const input = page.locator('gb-explain-controls input[name=samples]');
    await input.fill(String(samples));
    await input.dispatchEvent('change');
  }
  const started = Date.now();
  await page.locator('gb-explain-controls button.explain').click();
  await page.waitForFunction(
    () => {
      const section = document.querySelector('gb-app')?.shadowRoot?.querySelector('section.explain');
      return section?.getAttribute('data-state') === 'done' || section?.querySelector('gb-explanation-view') !== null;
    },
    undefined,
    { timeout: timeoutMs, polling: 20 },
  );
  const firstSeconds = (Date.now() - started) / 1000;
  await page.waitForFunction(() => document.querySelector('gb-app')?.shadowRoot?.querySelector('section.explain')?.getAttribute('data-state') === 'done', undefined, {
    timeout: timeoutMs,
    polling: 50,
  });
  const doneSeconds = (Date.now() - started) / 1000;
  const facts = await page.locator('gb-explanation-view dl.facts').last().innerText();
  const runs = /Model runs\s+([^\n]+)/.exec(facts)?.[1] ?? '';
  if ((await explainState(page)) !== 'done') throw new Error('the explanation did not finish');
  return { firstSeconds, doneSeconds, modelRuns: runs };
}

/**
 * The page with the model loaded; `warm` waits for the idle warm-up to end first. Returns the
 * warm-up's state then, and how long it took from the model being ready.
 */
async function openPage(page: Page, url: string, warm: boolean): Promise<{ state: string; seconds?: number }> {
  await page.goto(url);
  await page.waitForFunction(() => document.querySelector('gb-app')?.shadowRoot?.querySelector('section.model')?.getAttribute('data-state') === 'ready', undefined, { timeout: 300_000 });
  const ready = Date.now();
  if (warm) {
    await page.waitForFunction(
      () => {
        const state = document.querySelector('gb-app')?.shadowRoot?.querySelector('section.model')?.getAttribute('data-warm-up');
        return state !== null && state !== undefined && state !== 'running';
      },
      undefined,
      { timeout: 300_000 },
    );
  }
  const state = (await page.locator('gb-app section.model').getAttribute('data-warm-up')) ?? '';
  return warm ? { state, seconds: (Date.now() - ready) / 1000 } : { state };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { model: { type: 'string', default: 'news-topic' }, only: { type: 'string' }, repeat: { type: 'string', default: '3' } },
  });
  const backends = (values.only?.split(',') ?? ['wasm']) as Row['backend'][];
  const server = await startStaticServer({ root: path.join(ROOT, 'dist') });
  const rows: Row[] = [];
  /** The first explanation in a fresh browser, pressed right after the first classification. */
  const cold: { backend: string; warmUp: string; firstSeconds: number; doneSeconds: number }[] = [];
  const warmUps: { backend: string; outcome: string; seconds: number }[] = [];
  try {
    for (const backend of backends) {
      const url = `${server.url}?model=${values.model}&backend=${backend}`;
      for (const warm of [false, true]) {
        // A fresh browser each time: nothing compiled by an earlier page is reused.
        const { context, close } = await launchChromium({ webgpu: backend === 'webgpu' });
        try {
          const page = await context.newPage();
          const warmUp = await openPage(page, url, warm);
          if (!warm) {
            const first = await explainOnce(page, 'occlusion', undefined, 1_800_000);
            cold.push({ backend, warmUp: warmUp.state, firstSeconds: first.firstSeconds, doneSeconds: first.doneSeconds });
            console.log(JSON.stringify(cold.at(-1)));
            continue;
          }
          warmUps.push({ backend, outcome: warmUp.state, seconds: warmUp.seconds ?? 0 });
          for (const { method, samples } of METHODS) {
            for (let i = 0; i < Number(values.repeat); i++) {
              const result = await explainOnce(page, method, samples, 1_800_000);
              rows.push({ backend, method, samples: samples ?? null, ...result });
              console.log(JSON.stringify(rows.at(-1)));
            }
          }
        } finally {
          await close();
        }
      }
    }
  } finally {
    await server.close();
  }
  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), headless Chromium, model ${values.model}, 100-word text`;
  await mkdir(REPORTS, { recursive: true });
  await writeFile(path.join(REPORTS, 'explain-speed.json'), JSON.stringify({ machine, date: new Date().toISOString(), cold, warmUps, rows }, null, 2) + '\n');
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const groups = new Map<string, Row[]>();
  for (const row of rows) groups.set(`${row.backend}|${row.method}`, [...(groups.get(`${row.backend}|${row.method}`) ?? []), row]);
  const table = [...groups.values()]
    .map((group) => {
      const r = group[0];
      const first = median(group.map((g) => g.firstSeconds));
      const done = median(group.map((g) => g.doneSeconds));
      return `| onnx/${r.backend}${r.backend === 'webgpu' ? ' (software adapter)' : ''} | ${r.method}${r.samples ? ` (${r.samples} samples)` : ''} | ${r.modelRuns} | ${first.toFixed(2)} s | ${done.toFixed(2)} s |`;
    })
    .join('\n');
  await writeFile(
    path.join(REPORTS, 'explain-speed.md'),
    `# Explanation speed\n\n${machine}; ${new Date().toISOString().slice(0, 10)}; median of ${values.repeat} runs each. Written by \`npm run bench:explain-speed\`.\n\n` +
      'Seconds from pressing Explain: until the first explanation is on screen (the leave-one-word-out preview the page\n' +
      'shows first, for every method) and until the chosen method is done, its faithfulness check included.\n' +
      'Gradients run on a TF.js engine loaded beside ONNX Runtime (the first run includes loading it).\n\n' +
      'After a load the page warms the model up while the person reads and types (made-up text, four texts a piece,\n' +
      'until the time per piece settles; any request stops it): the browser runs WebAssembly unoptimised until it is hot.\n' +
      `The rows below waited for that warm-up (${warmUps.map((w) => `${w.backend}: ${w.outcome} after ${w.seconds.toFixed(1)} s`).join('; ')}). Explain pressed right after the first classification, with no pause at all\n` +
      `(the warm-up stopped by the classification): ${cold.map((c) => `${c.backend}: on screen after ${c.firstSeconds.toFixed(2)} s, done after ${c.doneSeconds.toFixed(2)} s`).join('; ')}.\n\n` +
      `| engine/backend | method | model runs | first on screen | done |\n| --- | --- | --- | --- | --- |\n${table}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
