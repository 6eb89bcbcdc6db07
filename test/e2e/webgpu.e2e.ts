import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foreignRequests, openSite, type ShippedModel, type Site } from './harness';

// --enable-unsafe-webgpu gives headless Chromium a software WebGPU adapter (SwiftShader): correct
// but slow (several seconds per inference), so this file classifies examples of two different
// labels per model; the WebAssembly file checks every example.
describe('with WebGPU (software adapter)', () => {
  let site: Site;
  let server: Site['server'];
  let browser: Site['browser'];
  let page: Page;
  let ui: Site['ui'];
  let models: ShippedModel[];
  let defaultId: string;

  beforeAll(async () => {
    site = await openSite({ webgpu: true });
    ({ server, browser, page, ui, models, defaultId } = site);
  });

  afterAll(() => site?.close());

  it('leaves the software adapter out of auto, says why, and uses it when WebGPU is chosen', async () => {
    expect(await ui.ready(defaultId)).toBe('wasm');
    expect(await ui.text('gb-engine-badge')).toMatch(/Auto chose WebAssembly over WebGPU: its only adapter here is a software fallback \(.*swiftshader.*\), far slower than WebAssembly/i);
    await ui.selectBackend('webgpu');
    expect(await ui.ready(defaultId, 180_000)).toBe('webgpu');
    expect(await ui.text('gb-engine-badge')).toMatch(/Device\s+WebGPU: .*swiftshader/i);
  });

  it('classifies examples of two labels of every shipped model on WebGPU', async () => {
    for (const model of models) {
      await ui.selectModel(model.id);
      expect(await ui.ready(model.id, 180_000)).toBe('webgpu');
      const onePerLabel = model.examples.filter((e, i, all) => all.findIndex((other) => other.label === e.label) === i);
      expect(onePerLabel.length).toBeGreaterThanOrEqual(2);
      for (const example of onePerLabel.slice(0, 2)) {
        const result = await ui.classify(example.text, { timeout: 120_000 });
        expect(result.label, `${model.id}: ${example.text.slice(0, 80)}`).toBe(example.label);
        expect(result.text).toContain('on onnx / webgpu');
      }
    }
  });

  it('explains a prediction on WebGPU', async () => {
    const model = models.find((m) => m.id === 'sentiment') ?? models[0];
    await ui.selectModel(model.id);
    expect(await ui.ready(model.id, 180_000)).toBe('webgpu');
    await ui.classify('A wonderful, moving film with a terrible ending.', { timeout: 120_000 });
    expect(await ui.explain(48, 240_000)).toMatch(/Samples\s+48 /);
    expect(await page.locator('gb-word-chart li .bar').count()).toBeGreaterThan(0);
    expect(await page.locator('gb-highlighted-text mark').count()).toBeGreaterThan(0);
  });

  it('stops an explanation on Cancel and classifies the next text soon after, on the slowest backend', async () => {
    const explain = page.locator('gb-app section.explain');
    await page.locator('gb-explain-controls select[name=method]').selectOption('lime');
    const samples = page.locator('gb-explain-controls input[name=samples]');
    await samples.fill('2000');
    await samples.dispatchEvent('change');
    await ui.classify('The film was slow, but the ending was lovely.', { timeout: 120_000 });
    await page.locator('gb-explain-controls button.explain').click();
    // Past the first model calls, which time the backend and size the later ones.
    await expect.poll(() => ui.text('gb-explain-controls'), { timeout: 120_000, interval: 100 }).toMatch(/Leave one word out: [1-9]\d* of/);
    const started = Date.now();
    await page.locator('gb-explain-controls button.cancel').click();
    const next = await ui.classify('A dull and joyless film.', { timeout: 60_000 });
    const seconds = (Date.now() - started) / 1000;
    console.log(`Cancel to the next result on software WebGPU: ${seconds.toFixed(2)} s`);
    expect(next.label).toBe('negative');
    expect(await explain.getAttribute('data-state')).toBe('idle');
    // A sanity bound, far above the target (bench/cancel-speed.ts measures that): without paced
    // model calls the worker finished a whole batch of perturbed texts first, tens of seconds here.
    expect(seconds).toBeLessThan(10);
  });

  it('can be overridden to WebAssembly, and the override is shown', async () => {
    await ui.selectBackend('wasm');
    const model = models[models.length - 1];
    expect(await ui.ready(model.id)).toBe('wasm');
    expect((await ui.classify(model.examples[0].text)).label).toBe(model.examples[0].label);
  });

  it('made no request to any other origin', () => {
    expect(foreignRequests(browser.requests, server.origin)).toEqual([]);
  });
});
