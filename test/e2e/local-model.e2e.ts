import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPython } from '../helpers/python';
import { DIST, openSite, type Site } from './harness';
import { PICTURE_VIEW, readmePicture } from './readme-picture';

const FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx'];

// A model folder on the visitor's disk, as a trained model is exported: no model card.
describe('a model folder opened from the device', () => {
  let site: Site;
  let folder: string;
  let scratch: string;

  beforeAll(async () => {
    site = await openSite({ webgpu: false });
    scratch = await mkdtemp(path.join(tmpdir(), 'glassbox-local-'));
    folder = path.join(scratch, 'my-news-model');
    await mkdir(path.join(folder, 'onnx'), { recursive: true });
    for (const file of FILES) await copyFile(path.join(DIST, 'models', site.defaultId, file), path.join(folder, file));
    const zipped = Object.fromEntries(await Promise.all(FILES.map(async (file) => [`zipped-model/${file}`, new Uint8Array(await readFile(path.join(folder, file)))] as const)));
    await writeFile(path.join(scratch, 'zipped-model.zip'), zipSync(zipped));
    await writeFile(path.join(scratch, 'notes.txt'), 'not a model');
    // A BERT with random weights, exported by the training code as it exports a trained one.
    runPython('training.export_random', ['--out', path.join(scratch, 'random-bert'), '--labels', 'spam,ham,other', '--seed', '3']);
  }, 120_000);

  afterAll(async () => {
    await site?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('classifies and explains with zero network requests, and loads on TF.js from memory too', async () => {
    const { page, ui } = site;
    await ui.ready(site.defaultId);
    // The shipped model's offline copy is saved in the background first: its downloads are not the folder's.
    await expect.poll(() => page.locator('gb-offline-model .offline').getAttribute('data-state'), { timeout: 60_000, interval: 250 }).toBe('available');
    const before = site.browser.requests.length;
    await page.locator('gb-model-picker input[name=local-folder]').setInputFiles(folder);
    await ui.ready('my-news-model');
    expect(await ui.text('gb-model-card')).toMatch(/No model card/);
    const example = site.models.find((m) => m.id === site.defaultId)?.examples[0];
    if (!example) throw new Error('the default model has no example');
    expect((await ui.classify(example.text)).label).toBe(example.label);
    await page.locator('gb-explain-controls select[name=method]').selectOption('occlusion');
    await page.locator('gb-explain-controls button.explain').click();
    await expect.poll(() => page.locator('gb-app section.explain').getAttribute('data-state'), { timeout: 120_000, interval: 250 }).toBe('done');
    expect(site.browser.requests.slice(before), 'requests after the folder was picked').toEqual([]);
    await page.setViewportSize(PICTURE_VIEW);
    await page.evaluate(() => window.scrollTo(0, 0));
    await readmePicture(page, 'local-model');

    // The TF.js engine reads the same folder from memory too; only its own code comes from the site.
    await ui.selectEngine('tfjs');
    await ui.ready('my-news-model');
    expect((await ui.classify(example.text)).text).toContain('on tfjs / wasm');
    expect(site.browser.requests.slice(before).filter((url) => !new URL(url).pathname.startsWith('/assets/'))).toEqual([]);
  });

  it('opens a random BERT that the training code exported: its own labels, an explanation, no request', async () => {
    const { page, ui } = site;
    await ui.selectEngine('onnx');
    const before = site.browser.requests.length;
    await page.locator('gb-model-picker input[name=local-folder]').setInputFiles(path.join(scratch, 'random-bert'));
    await ui.ready('random-bert');
    const result = await ui.classify('Win a free cruise now, reply to claim your prize');
    expect(['spam', 'ham', 'other']).toContain(result.label);
    await page.locator('gb-explain-controls select[name=method]').selectOption('occlusion');
    await page.locator('gb-explain-controls button.explain').click();
    await expect.poll(() => page.locator('gb-app section.explain').getAttribute('data-state'), { timeout: 120_000, interval: 250 }).toBe('done');
    expect(await page.locator('gb-explanation-view gb-word-chart li .word').allInnerTexts()).toContain('cruise');
    expect(site.browser.requests.slice(before).filter((url) => !new URL(url).pathname.startsWith('/assets/'))).toEqual([]);
  });

  it('opens one .zip of a folder the same way, and says what a folder that is no model lacks', async () => {
    const { page, ui } = site;
    await page.locator('gb-model-picker input[name=local-files]').setInputFiles(path.join(scratch, 'zipped-model.zip'));
    await ui.ready('zipped-model');
    await page.locator('gb-model-picker input[name=local-files]').setInputFiles(path.join(scratch, 'notes.txt'));
    const failure = await ui.failure();
    expect(failure.code).toBe('MODEL_NOT_FOUND');
    expect(failure.text).toMatch(/config\.json, tokenizer\.json, tokenizer_config\.json, onnx\/model_quantized\.onnx \(or onnx\/model\.onnx\) are missing/);
  });
});
