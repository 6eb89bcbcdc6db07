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
