import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { app, DIST, launch, shippedModels, type Browser } from './harness';
import { startStaticServer, type StaticServer } from './static-server';

// The installable PWA: one online visit, then the page must load and classify with the network
// off. Served under a sub-path with COOP/COEP, as a real host would; WebAssembly (no WebGPU flag).
const BASE = '/glassbox/';

describe('offline after one visit (PWA)', () => {
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  let ui: ReturnType<typeof app>;
  let defaultId: string;
  let example: { text: string; label: string };
  /** What sw.js the server sends: the built one, or (from 2 on) a new version of it. */
  let swVersion = 1;

  const offlineState = () => page.locator('gb-offline-model .offline').getAttribute('data-state');
  /** The models the picker marks as available offline. */
  const markedOffline = () => page.locator('gb-model-picker select[name=model] option[data-offline]').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
  const controllerState = () => page.evaluate(() => navigator.serviceWorker.controller?.state ?? 'none');

  beforeAll(async () => {
    if (!existsSync(path.join(DIST, 'sw.js'))) throw new Error(`${DIST} has no sw.js: run \`npm run build\` first.`);
    const shipped = await shippedModels();
    defaultId = shipped.defaultId;
    const model = shipped.models.find((m) => m.id === defaultId);
    if (!model?.examples[0]) throw new Error(`${defaultId} has no labelled example in its manifest.json.`);
    example = model.examples[0];
    const builtWorker = await readFile(path.join(DIST, 'sw.js'), 'utf8');
    server = await startStaticServer({
      root: DIST,
      basePath: BASE,
      override: (pathname, _request, response) => {
        if (pathname !== `${BASE}sw.js` || swVersion === 1) return false;
        response.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' });
        response.end(`${builtWorker}\n// version ${swVersion}\n`);
        return true;
      },
    });
    browser = await launch({ webgpu: false });
    page = await browser.context.newPage();
    ui = app(page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('links a web app manifest with standalone display and 192/512 px icons, maskable too', async () => {
    await page.goto(server.url);
    const href = await page.locator('link[rel=manifest]').getAttribute('href');
    const manifestUrl = new URL(href ?? '', server.url).href;
    const manifest = (await (await page.request.get(manifestUrl)).json()) as {
      start_url: string;
      scope: string;
      display: string;
      icons: { src: string; sizes: string; purpose?: string }[];
    };
    expect(manifest).toMatchObject({ start_url: '.', scope: '.', display: 'standalone' });
    expect(manifest.icons.map((i) => `${i.sizes} ${i.purpose ?? 'any'}`).sort()).toEqual(['192x192 any', '512x512 any', '512x512 maskable']);
    for (const icon of manifest.icons) {
      const size = await page.evaluate(async (url) => {
        const bitmap = await createImageBitmap(await (await fetch(url)).blob());
        return `${bitmap.width}x${bitmap.height}`;
      }, new URL(icon.src, manifestUrl).href);
      expect(size).toBe(icon.sizes);
    }
  });

  it('installs a service worker that takes control and keeps the model in use for offline use', async () => {
    expect(await ui.ready(defaultId)).toBe('wasm');
    await expect.poll(controllerState, { timeout: 120_000, interval: 500 }).toBe('activated');
    await expect.poll(offlineState, { timeout: 60_000, interval: 250 }).toBe('available');
    expect(await ui.text('gb-offline-model')).toMatch(/Available offline \(\d+(\.\d)? MB stored on this device\)/);
    // Only the model in use was kept: the picker marks it, and no other.
    await expect.poll(markedOffline).toEqual([defaultId]);
    expect(await page.locator(`gb-model-picker option[value="${defaultId}"]`).innerText()).toMatch(/· offline\s*$/);
    expect((await ui.classify(example.text)).label).toBe(example.label);
  });

  it('offers a new version, not while an explanation runs, and reloads into it when asked', async () => {
    swVersion = 2;
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    const reload = page.locator('gb-update-banner button.reload');
    await reload.waitFor({ timeout: 60_000 });
    expect(await ui.text('gb-update-banner')).toContain('A new version of glassbox is available');

    // A long explanation: while it runs the page must not be reloaded under it.
    await page.locator('gb-explain-controls input[name=samples]').fill('20000');
    await page.locator('gb-explain-controls input[name=samples]').dispatchEvent('change');
    await page.locator('gb-explain-controls button.explain').click();
    const explain = page.locator('gb-app section.explain');
    await expect.poll(() => explain.getAttribute('data-state')).toBe('running');
    expect(await reload.isDisabled()).toBe(true);
    expect(await ui.text('gb-update-banner')).toMatch(/once the running work has finished/);
    await page.locator('gb-explain-controls button.cancel').click();
    await expect.poll(() => explain.getAttribute('data-state')).not.toBe('running');
    await expect.poll(() => reload.isEnabled()).toBe(true);

    await page.evaluate(() => ((window as unknown as { beforeUpdate: boolean }).beforeUpdate = true));
    await Promise.all([page.waitForEvent('load', { timeout: 60_000 }), reload.click()]);
    expect(await page.evaluate(() => (window as unknown as { beforeUpdate?: boolean }).beforeUpdate)).toBeUndefined();
    const registration = await page.evaluate(async () => {
      const r = await navigator.serviceWorker.getRegistration();
      return { waiting: Boolean(r?.waiting), active: r?.active?.state };
    });
    expect(registration).toEqual({ waiting: false, active: 'activated' });
    expect(await ui.ready(defaultId)).toBe('wasm');
    expect(await page.locator('gb-update-banner .banner').count()).toBe(0);
  });

  it('with the server gone and the network off, a reload loads the page, cross-origin isolated, and classifies', async () => {
    await expect.poll(offlineState, { timeout: 60_000, interval: 250 }).toBe('available');
    await server.close();
    await browser.context.setOffline(true);
    await page.reload();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await ui.ready(defaultId)).toBe('wasm');
    // The model's worker is cross-origin isolated offline too, so ONNX Runtime may use threads.
    const badge = await ui.text('gb-engine-badge');
    expect(badge).toMatch(/WebAssembly, \d+ threads?/);
    expect(badge).not.toMatch(/not cross-origin isolated/);
    expect(await offlineState()).toBe('available');
    expect((await ui.classify(example.text)).label).toBe(example.label);
  });

  it('removes the offline copy of a model, which then no longer loads offline', async () => {
    await page.locator('gb-offline-model button.remove').click();
    await expect.poll(offlineState).toBe('missing');
    expect(await ui.text('gb-offline-model')).toMatch(/Not available offline \(\d+(\.\d)? MB to download\)/);
    await expect.poll(markedOffline).toEqual([]);
    await page.reload();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect((await ui.failure()).code).toBe('MODEL_FETCH_FAILED');
  });
});
