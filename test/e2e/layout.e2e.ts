import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSite, type Site } from './harness';
import { PICTURE_VIEW, pngSize, readmePicture } from './readme-picture';

describe('the page as a new visitor sees it', () => {
  let site: Site;

  beforeAll(async () => {
    site = await openSite({ webgpu: false });
    await site.page.setViewportSize(PICTURE_VIEW);
  });

  afterAll(() => site?.close());

  it('lines up the model picker row and fills the result panel with a hint before the first result', async () => {
    await site.ui.ready(site.defaultId);
    const boxes = await site.page
      .locator('gb-model-picker')
      .locator('select, input, button')
      .evaluateAll((controls) => controls.map((control) => control.getBoundingClientRect()).map(({ top, bottom }) => ({ top: Math.round(top), bottom: Math.round(bottom) })));
    // Controls side by side (overlapping in height) share one bottom edge.
    const misaligned = boxes.flatMap((a, i) => boxes.slice(i + 1).filter((b) => a.top < b.bottom && b.top < a.bottom && a.bottom !== b.bottom).map((b) => [a, b]));
    expect(misaligned, JSON.stringify(boxes)).toEqual([]);
    expect(await site.ui.text('gb-probabilities')).toMatch(/appear here/);
  });

  it('shows the highlighted text from its first character', async () => {
    const example = site.models.find((m) => m.id === site.defaultId)?.examples[0];
    if (!example) throw new Error('the default model has no example');
    await site.ui.classify(example.text);
    await site.page.locator('gb-explain-controls select[name=method]').selectOption('occlusion');
    await site.page.locator('gb-explain-controls button.explain').click();
    await expect.poll(() => site.page.locator('gb-app section.explain').getAttribute('data-state'), { timeout: 120_000, interval: 250 }).toBe('done');
    const shown = await site.page.locator('gb-highlighted-text p').evaluate((p) => p.textContent ?? '');
    expect(shown.startsWith(example.text.slice(0, 20)), JSON.stringify(shown.slice(0, 40))).toBe(true);
  });

  it("breaks the batch preview's column names only between words, on a phone too", async () => {
    const panel = site.page.locator('gb-batch-panel');
    await panel.locator('details summary').click();
    await panel.locator('textarea').fill('customer_review_text,expected_department_label\n"A sturdy kettle",kitchen\n');
    await panel.locator('input[name=format]').nth(1).check();
    await panel.locator('button', { hasText: 'Use pasted text' }).click();
    await panel.locator('thead th').first().waitFor();
    await site.page.setViewportSize({ width: 360, height: 800 });
    // A word broken across lines has more than one box.
    const broken = await panel.locator('thead th').evaluateAll((headers) =>
      headers.flatMap((th) => {
        const text = th.firstChild;
        if (!text || text.nodeType !== Node.TEXT_NODE) return [];
        const words = [...(text.textContent ?? '').matchAll(/\S+/g)];
        return words.filter((word) => {
          const range = document.createRange();
          range.setStart(text, word.index);
          range.setEnd(text, word.index + word[0].length);
          return range.getClientRects().length > 1;
        }).map((word) => word[0]);
      }),
    );
    await site.page.setViewportSize(PICTURE_VIEW);
    expect(broken).toEqual([]);
  });

  it('takes the explanation away as a page with no script, a picture and the numbers, matching what it shows', async () => {
    const { page } = site;
    const save = async (format: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`gb-explanation-view button.export[data-format=${format}]`).click()]);
      return { name: download.suggestedFilename(), bytes: await readFile((await download.path()) ?? '') };
    };
    const shown = await page.locator('gb-word-chart li').evaluateAll((items) =>
      items.map((item) => [item.querySelector('.word')?.textContent?.trim() ?? '', item.querySelector('.value')?.textContent?.trim() ?? '']),
    );
    const html = await save('html');
    expect(html.name).toMatch(/^glassbox-[a-z-]+-occlusion-[a-z-]+\.html$/);
    const text = html.bytes.toString('utf8');
    expect(text).not.toMatch(/<script|\s(src|href)\s*=|https?:\/\//i);
    const rows = [...text.matchAll(/<tr><td>([^<]*)<\/td><td class="number">([^<]*)<\/td>/g)].map((m) => [m[1], m[2]]);
    expect(rows.slice(0, shown.length)).toEqual(shown);
    const png = await save('png');
    expect(png.bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(pngSize(png.bytes).width).toBe(1600);
    const json = JSON.parse((await save('json')).bytes.toString('utf8')) as { explanation: { weights: unknown[] } };
    expect(json.explanation.weights.length).toBe(rows.length);

    // The README's picture of a saved page: the file opened on its own, with nothing else loaded.
    const opened = await site.browser.context.newPage();
    await opened.setViewportSize(PICTURE_VIEW);
    await opened.setContent(text);
    await readmePicture(opened, 'export');
    await opened.close();
  });

  it('is the picture the README shows: a short text classified and explained', async () => {
    await site.page.setViewportSize({ width: PICTURE_VIEW.width, height: 1400 });
    if (site.models.some((m) => m.id === 'sentiment')) {
      await site.ui.selectModel('sentiment');
      await site.ui.ready('sentiment');
    }
    await site.ui.classify('The acting was wonderful and the music lovely, but the plot was painfully dull and far too long.');
    await site.page.locator('gb-explain-controls select[name=method]').selectOption('kernelshap');
    await site.page.locator('gb-explain-controls button.explain').click();
    await expect.poll(() => site.page.locator('gb-app section.explain').getAttribute('data-state'), { timeout: 120_000, interval: 250 }).toBe('done');
    await site.page.evaluate(() => window.scrollTo(0, 0));
    await readmePicture(site.page, 'page');
  });
});
