import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { app, DIST, foreignRequests, launch, shippedModels, type Browser } from './harness';
import { startStaticServer, type StaticServer } from './static-server';

describe('hosting edge cases', () => {
  let browser: Browser;
  let defaultId: string;
  let example: { text: string; label: string };
  const servers: StaticServer[] = [];

  beforeAll(async () => {
    if (!existsSync(path.join(DIST, 'index.html'))) throw new Error('dist/ is missing: run `npm run build` first.');
    const shipped = await shippedModels();
    defaultId = shipped.defaultId;
    example = shipped.models.find((m) => m.id === defaultId)?.examples[0] ?? { text: '', label: '' };
    browser = await launch({ webgpu: false });
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all(servers.map((s) => s.close()));
  });

  it('works on a host without COOP/COEP headers, on single-threaded WebAssembly', async () => {
    const server = await startStaticServer({ root: DIST, isolated: false });
    servers.push(server);
    const page = await browser.context.newPage();
    const ui = app(page);
    await page.goto(server.url);
    expect(await ui.ready(defaultId)).toBe('wasm');
    expect(await ui.text('gb-engine-badge')).toMatch(/1 thread \(the page is not cross-origin isolated/);
    expect((await ui.classify(example.text)).label).toBe(example.label);
    await page.close();
  });

  it('reports a worker that fails to start, and recovers once it can', async () => {
    const server = await startStaticServer({ root: DIST });
    servers.push(server);
    const page = await browser.context.newPage();
    const ui = app(page);
    const workerScript = '**/assets/classifier.worker-*.js';
    await page.route(workerScript, (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.goto(server.url);
    const failure = await ui.failure();
    expect(failure.code).toBe('WORKER_FAILED');
    expect(failure.text).toMatch(/failed to start/);
    await page.unroute(workerScript);
    await page.locator('gb-app section.model gb-alert button').click();
    expect(await ui.ready(defaultId)).toBe('wasm');
    expect((await ui.classify(example.text)).label).toBe(example.label);
    await page.close();
    expect(foreignRequests(browser.requests, server.origin).filter((url) => !servers.some((s) => url.startsWith(s.origin)))).toEqual([]);
  });
});
