import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { app, DIST, foreignRequests, launch, shippedModels, type Browser } from './harness';
import { startStaticServer, type StaticServer } from './static-server';

// "Compare engines on this device" in Chromium without WebGPU: ONNX Runtime and TF.js on
// WebAssembly with few repetitions, on the quickest shipped model (128 tokens per text).
const MODEL = 'product-category';
const RUN_TIMEOUT_MS = 90_000;

/** The benchmark table's body: one entry per row with its state and cells. */
function tableRows(page: Page) {
  return page
    .locator('gb-benchmark-panel tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) => ({
        engine: row.getAttribute('data-engine'),
        backend: row.getAttribute('data-backend'),
        status: row.getAttribute('data-status'),
        cells: Object.fromEntries([...row.querySelectorAll('td')].map((cell) => [cell.className.replace('number', '').trim(), (cell.textContent ?? '').trim()])),
      })),
    );
}

describe('comparing engines on this device, without WebGPU', () => {
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  let ui: ReturnType<typeof app>;
  const panel = () => page.locator('gb-benchmark-panel');
  const section = () => page.locator('gb-app section.benchmark');
  const badge = async () => ({
    engine: await page.locator('gb-engine-badge').getAttribute('engine'),
    backend: await page.locator('gb-engine-badge').getAttribute('backend'),
  });

  beforeAll(async () => {
    if (!existsSync(path.join(DIST, 'index.html'))) throw new Error(`${DIST} has no build: run \`npm run build\` first.`);
    if (!(await shippedModels()).models.some((m) => m.id === MODEL)) throw new Error(`The build ships no ${MODEL} model.`);
    server = await startStaticServer({ root: DIST });
    browser = await launch({ webgpu: false });
    page = await browser.context.newPage();
    ui = app(page);
    await page.goto(`${server.url}?model=${MODEL}&engine=onnx&backend=wasm`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('offers the combinations that can run here, and says WebGPU is missing', async () => {
    expect(await ui.ready(MODEL)).toBe('wasm');
    const ticked = await panel()
      .locator('input[type=checkbox]')
      .evaluateAll((boxes) => (boxes as HTMLInputElement[]).filter((box) => box.checked).map((box) => box.name));
    expect(ticked).toEqual(['onnx-wasm', 'tfjs-wasm', 'tfjs-cpu']);
    expect(await ui.text('gb-benchmark-panel')).toMatch(/ONNX Runtime on WebGPU\s*\(no WebGPU here\)/);
  });

  it('measures ONNX Runtime and TF.js on WebAssembly, names the fastest, and leaves the page’s model as it was', async () => {
    await panel().locator('input[name=tfjs-cpu]').uncheck();
    // WebGPU, ticked anyway, becomes a row that says why it cannot run.
    await panel().locator('input[name=onnx-webgpu]').check();
    const repetitions = panel().locator('input[name=repetitions]');
    await repetitions.fill('3');
    await repetitions.dispatchEvent('change');
    await panel().locator('button.run').click();
    await expect.poll(() => section().getAttribute('data-state'), { timeout: 5_000, interval: 100 }).toBe('running');
    await expect.poll(() => panel().locator('progress').count()).toBe(1);
    await expect.poll(() => section().getAttribute('data-state'), { timeout: RUN_TIMEOUT_MS, interval: 250 }).toMatch(/done|failed/);
    const text = await ui.text('gb-benchmark-panel');
    expect(await section().getAttribute('data-state'), text).toBe('done');

    const rows = await tableRows(page);
    expect(rows.map((r) => `${r.engine}/${r.backend} ${r.status}`)).toEqual(['onnx/webgpu unavailable', 'onnx/wasm done', 'tfjs/wasm done']);
    expect(rows[0].cells.reason).toMatch(/^Not available here: .*WebGPU/);
    for (const row of rows.slice(1)) {
      for (const cell of ['load', 'first', 'median', 'throughput']) {
        const value = Number(row.cells[cell].replace(/,/g, ''));
        expect(value, `${row.engine}/${row.backend} ${cell}: "${row.cells[cell]}"`).toBeGreaterThan(0);
      }
      // A warm-up can round to 0 ms, but both engines report it.
      expect(Number(row.cells.warmup.replace(/,/g, '')), `${row.engine}/${row.backend} warm-up: "${row.cells.warmup}"`).toBeGreaterThanOrEqual(0);
      expect(row.cells.device).toMatch(/WebAssembly/);
    }
    expect(text).toMatch(/Fastest here: (ONNX Runtime|TF\.js) on WebAssembly, (about as fast as|[\d.]+x) (ONNX Runtime|TF\.js) on WebAssembly\./);
    // No software adapter was in play: no note about one.
    expect(await panel().locator('.software').count()).toBe(0);

    // The page's own model is still loaded and answering, on the engine it had.
    expect(await badge()).toEqual({ engine: 'onnx', backend: 'wasm' });
    expect((await ui.classify('Stainless steel pressure cooker with a glass lid')).text).toContain('on onnx / wasm');
  }, RUN_TIMEOUT_MS + 30_000);

  it('switches the page to the fastest engine', async () => {
    const verdict = panel().locator('.verdict[data-by=latency]');
    const winner = { engine: await verdict.getAttribute('data-engine'), backend: await verdict.getAttribute('data-backend') };
    if (winner.engine === 'onnx') {
      // The page runs on the winner already: move it to the other engine first, with that row's button.
      await panel().locator('tbody tr[data-engine=tfjs][data-backend=wasm] button.use').click();
      await expect.poll(badge, { timeout: 60_000, interval: 250 }).toEqual({ engine: 'tfjs', backend: 'wasm' });
    }
    await panel().locator('button.use-winner').click();
    await expect.poll(badge, { timeout: 60_000, interval: 250 }).toEqual(winner);
    expect(await ui.ready(MODEL)).toBe('wasm');
    expect(await ui.text('gb-benchmark-panel')).toContain('The page runs on it now.');
    expect(await page.locator('gb-model-picker select[name=engine]').inputValue()).toBe(winner.engine);
  }, 60_000);

  it('made no request to any other origin', () => {
    expect(foreignRequests(browser.requests, server.origin)).toEqual([]);
  });
});
