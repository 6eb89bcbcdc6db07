import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokenModels } from './fixtures';
import { foreignRequests, openSite, shippedModels, type ShippedModel, type Site } from './harness';

// WebGPU unavailable (no --enable-unsafe-webgpu): the page must pick WebAssembly by itself.
// The site is served under a sub-path and gzipped without a Content-Length, as on a shared static host.
const BASE = '/glassbox/';

describe('without WebGPU, served under a sub-path', () => {
  let site: Site;
  let server: Site['server'];
  let browser: Site['browser'];
  let page: Page;
  let ui: Site['ui'];
  let models: ShippedModel[];
  let defaultId: string;

  beforeAll(async () => {
    const { defaultId: id } = await shippedModels();
    site = await openSite({ webgpu: false, server: { basePath: BASE, compress: true, override: brokenModels(BASE, id) } });
    ({ server, browser, page, ui, models, defaultId } = site);
  });

  afterAll(() => site?.close());

  it('loads the default model on WebAssembly by itself and says why not WebGPU', async () => {
    expect(await ui.ready(defaultId)).toBe('wasm');
    const badge = await ui.text('gb-engine-badge');
    expect(badge).toContain('ONNX Runtime Web');
    expect(badge).toMatch(/WebAssembly, \d+ threads?/);
    expect(badge).toContain('No WebGPU');
    const progress = await ui.text('gb-load-progress');
    expect(progress).toMatch(new RegExp(`${defaultId} ready in \\d+\\.\\d\\d s`));
  });

  it('classifies every example of every shipped model to its expected label', async () => {
    for (const model of models) {
      const progress = await ui.recordProgress();
      await ui.selectModel(model.id);
      expect(await ui.ready(model.id)).toBe('wasm');
      if (model.id !== defaultId) {
        // Download progress in bytes and percent from the model card's sizes (the response has no
        // length), through values between the first and the last, then the time to ready.
        const seen = await progress();
        const shown = seen.flatMap((text) => /Downloading .* of ([\d.]+ MB) · (\d+)%/.exec(text) ?? []);
        const totals = shown.filter((_, i) => i % 3 === 1);
        const percents = shown.filter((_, i) => i % 3 === 2).map(Number);
        expect(percents.some((percent) => percent > 0 && percent < 100), seen.join(' | ')).toBe(true);
        expect(new Set(totals).size, `the total is known from the first byte: ${seen.join(' | ')}`).toBe(1);
        expect(seen.some((text) => /onnx\/model_quantized\.onnx\s*[\d.]+ [KM]?B of [\d.]+ MB/.test(text)), seen.join(' | ')).toBe(true);
        expect(seen.at(-1)).toMatch(new RegExp(`${model.id} ready in \\d+\\.\\d\\d s`));
      }
      expect(model.examples.length).toBeGreaterThan(0);
      for (const [i, example] of model.examples.entries()) {
        // The first text goes through classify-as-you-type, the others through the button.
        const result = await ui.classify(example.text, { button: i > 0 });
        expect(result.label, `${model.id}: ${example.text.slice(0, 80)}`).toBe(example.label);
        expect(result.text).toMatch(/Predicted: .+ \(\d+\.\d% probability\)/);
      }
    }
  });

  it('shows the model card with test and out-of-domain metrics and a confusion matrix', async () => {
    await ui.selectModel(defaultId);
    await ui.ready(defaultId);
    const card = page.locator('gb-model-card');
    await expect.poll(() => card.locator('h2').innerText()).toBe(models.find((m) => m.id === defaultId)?.title);
    const text = await ui.text('gb-model-card');
    expect(text).toMatch(/Accuracy/);
    expect(text).toMatch(/Out of domain/);
    expect(await card.locator('table.out-of-domain tbody tr').count()).toBeGreaterThan(0);
    expect(text).toMatch(/Quality targets/);
    expect(await card.locator('ul.targets li').count()).toBeGreaterThan(0);
    expect(await card.locator('gb-confusion-matrix table').count()).toBeGreaterThan(0);
  });

  it('answers empty text with a short message, and says how a long text was cut', async () => {
    expect(await ui.message('   \n ')).toMatch(/no text to classify/i);
    const example = models.find((m) => m.id === defaultId)?.examples[0];
    const long = Array.from({ length: 12 }, () => example?.text ?? 'word').join('\n');
    const result = await ui.classify(long);
    expect(result.text).toMatch(/the model reads at most \d+, so it classified the first \d+ and the last \d+ tokens \(head \+ tail truncation\)/);
    expect(result.text).not.toMatch(/unlike the training data/);
  });

  it('says when a text is unlike the training data: emoji, another language; an example is not', async () => {
    expect((await ui.classify('😀🎉🔥👍💯')).text).toContain('mostly symbols, emoji or numbers, unlike the texts the model was trained on: the label is a guess');
    const french = 'Le gouvernement a annoncé mardi une nouvelle réforme des retraites, suscitant la colère des syndicats.';
    expect((await ui.classify(french)).text).toMatch(/This text is unlike the training data .* the label is a guess/);
    const example = models.find((m) => m.id === defaultId)?.examples[0];
    expect((await ui.classify(example?.text ?? 'Shares rose on Monday')).text).not.toMatch(/the label is a guess/);
  });

  it('explains a prediction with LIME: chart bars, words weighted on focus, user text shown as text', async () => {
    await ui.selectModel(defaultId);
    await ui.ready(defaultId);
    const example = models.find((m) => m.id === defaultId)?.examples[0];
    const text = `<script>window.__pwned = true</script> <b>bold</b> ${example?.text ?? 'words'}`;
    await ui.classify(text);
    expect(await ui.explain(200)).toMatch(/Samples\s+200 /);
    expect(await page.locator('gb-word-chart li .bar').count()).toBeGreaterThan(0);
    const marks = page.locator('gb-highlighted-text mark');
    expect(await marks.count()).toBeGreaterThan(0);
    await marks.first().focus();
    expect(await marks.first().locator('[role=tooltip]').innerText()).toMatch(/\d/);
    const shown = await page.locator('gb-highlighted-text p').innerText();
    expect(shown).toContain('<script>window.__pwned = true</script>');
    expect(shown).toContain('<b>bold</b>');
    expect(await page.locator('gb-highlighted-text script, gb-highlighted-text b').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();
  });

  it('explains a missing, corrupt or unreachable model folder, and the other models keep working', async () => {
    await ui.loadFolder('models/no-such-model/');
    expect(await ui.failure()).toMatchObject({ code: 'MODEL_NOT_FOUND' });

    await ui.loadFolder('test-models/corrupt/');
    const corrupt = await ui.failure();
    expect(corrupt.code).toBe('MODEL_INVALID');
    expect(corrupt.text).toContain('model_quantized.onnx');

    await ui.loadFolder('test-models/unreachable/');
    const unreachable = await ui.failure();
    expect(unreachable.code).toBe('MODEL_FETCH_FAILED');
    expect(unreachable.text).toMatch(/Check that the server is running/);

    await ui.loadFolder('https://example.com/models/x/');
    expect((await ui.failure()).text).toMatch(/only loads models from its own origin/);

    const other = models.find((m) => m.id !== defaultId) ?? models[0];
    await ui.selectModel(other.id);
    await ui.ready(other.id);
    expect((await ui.classify(other.examples[0].text)).label).toBe(other.examples[0].label);
  });

  it('loads a third-party folder without a model card, using config.json labels', async () => {
    await ui.loadFolder('test-models/no-card/');
    await ui.ready('no-card');
    const card = await ui.text('gb-model-card');
    expect(card).toMatch(/No model card/);
    const labels = models.find((m) => m.id === defaultId)?.examples.map((e) => e.label) ?? [];
    for (const label of labels) expect(card).toContain(label);
  });

  it('made no request to any other origin', () => {
    expect(browser.requests.some((url) => url.endsWith('.wasm'))).toBe(true);
    expect(browser.requests.some((url) => url.endsWith('model_quantized.onnx'))).toBe(true);
    expect(foreignRequests(browser.requests, server.origin)).toEqual([]);
  });
});
