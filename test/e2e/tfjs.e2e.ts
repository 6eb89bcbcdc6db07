import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foreignRequests, openSite, type ShippedModel, type Site } from './harness';

/** One example per label: each label the model can give is checked once. */
function onePerLabel(model: ShippedModel): ShippedModel['examples'] {
  return model.examples.filter((e, i, all) => all.findIndex((other) => other.label === e.label) === i);
}

/** The TensorFlow.js engine, chosen through the page URL (?engine=tfjs) as a person can link to it. */
function tfjsSuite(name: string, { webgpu, backend, timeout }: { webgpu: boolean; backend: 'webgpu' | 'wasm'; timeout: number }) {
  describe(name, () => {
    let site: Site;
    let server: Site['server'];
    let browser: Site['browser'];
    let page: Page;
    let ui: Site['ui'];
    let models: ShippedModel[];
    let defaultId: string;

    beforeAll(async () => {
      // Auto leaves a software WebGPU adapter out, so WebGPU is asked for by name here.
      site = await openSite({ webgpu, query: webgpu ? '?engine=tfjs&backend=webgpu' : '?engine=tfjs' });
      ({ server, browser, page, ui, models, defaultId } = site);
    });

    afterAll(() => site?.close());

    it(`runs TensorFlow.js on ${backend} and reports the warm-up as its own phase`, async () => {
      expect(await ui.ready(defaultId, timeout)).toBe(backend);
      expect(await page.locator('gb-engine-badge').getAttribute('engine')).toBe('tfjs');
      expect(await ui.text('gb-engine-badge')).toContain('TensorFlow.js');
      expect(await ui.text('gb-load-progress')).toMatch(/warm-up \d+\.\d\d s/);
    }, 2 * timeout);

    it('classifies the known texts to their expected labels', async () => {
      // On the software WebGPU adapter every inference takes seconds: the default model only.
      const checked = webgpu ? models.filter((m) => m.id === defaultId) : models;
      for (const model of checked) {
        await ui.selectModel(model.id);
        expect(await ui.ready(model.id, timeout)).toBe(backend);
        for (const example of onePerLabel(model)) {
          const result = await ui.classify(example.text, { timeout });
          expect(result.label, `${model.id}: ${example.text.slice(0, 80)}`).toBe(example.label);
          expect(result.text).toContain(`on tfjs / ${backend}`);
        }
      }
    }, 4 * timeout);

    it('explains a prediction: chart bars and highlighted words', async () => {
      const model = models.find((m) => m.id === 'sentiment') ?? models[0];
      await ui.selectModel(model.id);
      expect(await ui.ready(model.id, timeout)).toBe(backend);
      await ui.classify('A wonderful, moving film with a terrible ending.', { timeout });
      const samples = webgpu ? 48 : 200;
      expect(await ui.explain(samples, 2 * timeout)).toMatch(new RegExp(`Samples\\s+${samples} `));
      expect(await page.locator('gb-word-chart li .bar').count()).toBeGreaterThan(0);
      expect(await page.locator('gb-highlighted-text mark').count()).toBeGreaterThan(0);
      expect(await page.locator('gb-engine-badge').getAttribute('engine')).toBe('tfjs');
    }, 4 * timeout);

    it('made no request to any other origin', () => {
      expect(foreignRequests(browser.requests, server.origin)).toEqual([]);
    });
  });
}

tfjsSuite('TensorFlow.js without WebGPU', { webgpu: false, backend: 'wasm', timeout: 120_000 });
tfjsSuite('TensorFlow.js on WebGPU (software adapter)', { webgpu: true, backend: 'webgpu', timeout: 240_000 });
