import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import type { Locator, Page } from 'playwright-core';
import type { DatasetExplanation } from '../../src/core/contract/dataset-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { app, DIST, foreignRequests, launch, ROOT, shippedModels, type Browser, type ShippedModel } from './harness';
import { PICTURE_VIEW, pngSize, readmePicture } from './readme-picture';
import { startStaticServer, type StaticServer } from './static-server';

// Batch mode through the page on WebAssembly: a 2,000-row CSV is classified in the worker and
// downloaded, and the metrics the page shows are checked against the downloaded file. The
// product-category model is the quickest shipped model (128 tokens per text).
const MODEL = 'product-category';
const ROWS = 2000;
const ECOMMERCE = path.join(ROOT, 'test', 'fixtures', 'data', 'ecommerce', 'ecommerce.csv');
/** A label the model does not have: its rows are classified but not scored. */
const UNKNOWN_LABEL = 'Toys';
const HEADER = ['id', 'label', 'text'];

/**
 * 2,000 rows from the e-commerce data (label, text), with a UTF-8 byte-order mark and CRLF line
 * endings. Rows past the data's end repeat it with a quoted line break and comma added; some
 * labels are in another case, and every 400th row has a label the model does not know.
 */
function productRows(): string[][] {
  const data = Papa.parse<string[]>(readFileSync(ECOMMERCE, 'utf8'), { skipEmptyLines: true }).data.slice(1);
  return Array.from({ length: ROWS }, (_, i) => {
    const [label, text] = data[i % data.length];
    const body = i < data.length ? text : `Listed again, item ${i}:\n${text}`;
    const cased = i % 400 === 399 ? UNKNOWN_LABEL : i % 5 === 0 ? label.toLowerCase() : label;
    return [`p${i + 1}`, cased, body];
  });
}

/** The results file as rows of cells, without its byte-order mark. */
function parseResults(text: string): string[][] {
  expect(text.startsWith('\ufeff')).toBe(true);
  const parsed = Papa.parse<string[]>(text.slice(1), { delimiter: ',', newline: '\r\n', skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

/** Accuracy, macro-F1 (over labels that occur, as scikit-learn), per-label precision/recall and the confusion matrix. */
function directMetrics(labels: string[], pairs: { truth: number; predicted: number }[]) {
  const matrix = labels.map(() => labels.map(() => 0));
  for (const { truth, predicted } of pairs) matrix[truth][predicted]++;
  const perLabel = labels.map((label, i) => {
    const predicted = matrix.reduce((sum, row) => sum + row[i], 0);
    const support = matrix[i].reduce((a, b) => a + b, 0);
    const precision = predicted ? matrix[i][i] / predicted : 0;
    const recall = support ? matrix[i][i] / support : 0;
    return { label, precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, support, predicted };
  });
  const occurring = perLabel.filter((m) => m.support > 0 || m.predicted > 0);
  return {
    matrix,
    perLabel,
    accuracy: labels.reduce((sum, _, i) => sum + matrix[i][i], 0) / pairs.length,
    macroF1: occurring.reduce((sum, m) => sum + m.f1, 0) / occurring.length,
  };
}

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

/** A table's body as text cells, header cell first. */
function tableRows(table: Locator): Promise<string[][]> {
  return table.locator('tbody tr').evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => (cell.textContent ?? '').trim())));
}

describe('batch mode, on WebAssembly', () => {
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  let ui: ReturnType<typeof app>;
  let model: ShippedModel;
  let scratch: string;
  const section = () => page.locator('gb-app section.batch');
  const panel = () => page.locator('gb-batch-panel');
  /** The panel's error message; empty when it shows none. */
  const errorText = async () => ((await panel().locator('.error').count()) > 0 ? panel().locator('.error').innerText() : '');
  const batchState = (state: string, timeout = 30_000) =>
    expect.poll(() => section().getAttribute('data-state'), { timeout, interval: 250 }).toBe(state);

  beforeAll(async () => {
    if (!existsSync(path.join(DIST, 'index.html'))) throw new Error(`${DIST} has no build: run \`npm run build\` first.`);
    if (!existsSync(ECOMMERCE)) throw new Error(`${ECOMMERCE} is missing: write it with scripts/python.sh -m training.make_test_corpus.`);
    const found = (await shippedModels()).models.find((m) => m.id === MODEL);
    if (!found) throw new Error(`The build ships no ${MODEL} model.`);
    model = found;
    scratch = await mkdtemp(path.join(tmpdir(), 'glassbox-batch-'));
    server = await startStaticServer({ root: DIST });
    browser = await launch({ webgpu: false });
    page = await browser.context.newPage();
    ui = app(page);
    await page.goto(`${server.url}?model=${MODEL}&backend=wasm`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it(`loads ${MODEL} on WebAssembly`, async () => {
    expect(await ui.ready(MODEL)).toBe('wasm');
  });

  it('classifies a 2,000-row CSV, downloads 2,000 rows with the documented columns, and shows metrics that match the file', async () => {
    const rows = productRows();
    const input = '\ufeff' + Papa.unparse([HEADER, ...rows], { newline: '\r\n' });
    await panel().locator('input[type=file]').setInputFiles({ name: 'products.csv', mimeType: 'text/csv', buffer: Buffer.from(input) });
    await batchState('preview');
    expect(await panel().locator('select[name=text-column]').inputValue()).toBe('text');
    expect(await panel().locator('select[name=label-column]').inputValue()).toBe('label');
    expect(await ui.text('gb-batch-panel')).toMatch(/with BOM/);

    await panel().locator('button.start').click();
    await expect.poll(() => ui.text('gb-batch-panel'), { timeout: 60_000 }).toMatch(/Classified [1-9][\d,]* of 2,000 rows/);
    // The page stays usable: a text typed meanwhile is classified between two batches of rows.
    const example = model.examples[0];
    expect((await ui.classify(example.text, { timeout: 60_000 })).label).toBe(example.label);
    expect(await section().getAttribute('data-state')).toBe('running');
    await batchState('done', 220_000);

    const [download] = await Promise.all([page.waitForEvent('download'), panel().locator('a.download').click()]);
    expect(download.suggestedFilename()).toBe('products-classified.csv');
    const [header, ...out] = parseResults(await readFile(await download.path(), 'utf8'));
    // One probability column per label, in the model's order (its config.json).
    const config = JSON.parse(await readFile(path.join(DIST, 'models', MODEL, 'config.json'), 'utf8')) as { id2label: Record<string, string> };
    const labels = Object.keys(config.id2label)
      .sort((a, b) => Number(a) - Number(b))
      .map((id) => config.id2label[id]);
    expect(header).toEqual([...HEADER, 'predicted_label', ...labels.map((label) => `p_${label}`), 'note']);
    expect(out).toHaveLength(ROWS);

    const pairs: { truth: number; predicted: number }[] = [];
    out.forEach((cells, i) => {
      expect(cells.slice(0, 3), `row ${i}`).toEqual(rows[i]);
      const probabilities = cells.slice(4, 4 + labels.length).map(Number);
      expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      const predicted = labels.indexOf(cells[3]);
      expect(probabilities[predicted]).toBe(Math.max(...probabilities));
      const truth = labels.findIndex((label) => label.toLowerCase() === cells[1].trim().toLowerCase());
      if (truth < 0) {
        expect(cells.at(-1)).toBe(`label "${UNKNOWN_LABEL}" is not one of the model's labels: not scored`);
        return;
      }
      expect(cells.at(-1)).toBe('');
      pairs.push({ truth, predicted });
    });
    expect(pairs).toHaveLength(ROWS - ROWS / 400);

    const expected = directMetrics(labels, pairs);
    expect(expected.accuracy).toBeGreaterThan(0.8);
    const metrics = panel().locator('gb-batch-metrics');
    expect(await metrics.locator('.headline strong').allInnerTexts()).toEqual([percent(expected.accuracy), percent(expected.macroF1), pairs.length.toLocaleString('en')]);
    expect(await tableRows(metrics.locator('table.per-label'))).toEqual(
      expected.perLabel.map((m) => [m.label, percent(m.precision), percent(m.recall), percent(m.f1), m.support.toLocaleString('en')]),
    );
    expect(await tableRows(metrics.locator('gb-confusion-matrix table'))).toEqual(expected.matrix.map((row, i) => [labels[i], ...row.map(String)]));
    expect(await ui.text('gb-batch-panel')).toContain(`Labels the model does not know, not scored: 5 rows (rows 401, 801, 1201, 1601, 2001), with "${UNKNOWN_LABEL}" (5).`);
  }, 300_000);

  it('cancels a running batch, says how far it got, offers the rows done, and resumes after them to the whole file', async () => {
    await panel().locator('button.start').click();
    const classified = async () => Number((/Classified ([\d,]+) of 2,000 rows/.exec(await ui.text('gb-batch-panel'))?.[1] ?? '0').replace(/,/g, ''));
    // Past the first window of rows, so some are written to the results.
    await expect.poll(classified, { timeout: 120_000, interval: 100 }).toBeGreaterThanOrEqual(300);
    await panel().locator('button.cancel').click();
    await batchState('failed');
    expect(await errorText()).toMatch(/^The batch was cancelled after [1-9][\d,]* of 2,000 rows\.$/);
    expect(await panel().locator('button.start').isEnabled()).toBe(true);

    const rows = productRows();
    const [partial] = await Promise.all([page.waitForEvent('download'), panel().locator('a.download.partial').click()]);
    const [partialHeader, ...done] = parseResults(await readFile(await partial.path(), 'utf8'));
    expect(done.length).toBeGreaterThanOrEqual(256);
    expect(partial.suggestedFilename()).toBe(`glassbox-results-first-${done.length}-rows.csv`);
    done.forEach((cells, i) => expect(cells.slice(0, 3), `row ${i}`).toEqual(rows[i]));

    await panel().locator('button.resume').click();
    await batchState('done', 220_000);
    expect(await ui.text('gb-batch-panel')).toContain(`Resumed after row ${done.length.toLocaleString('en')}`);
    const [whole] = await Promise.all([page.waitForEvent('download'), panel().locator('a.download').click()]);
    const [header, ...out] = parseResults(await readFile(await whole.path(), 'utf8'));
    expect(header).toEqual(partialHeader);
    expect(out).toHaveLength(ROWS);
    expect(out.slice(0, done.length)).toEqual(done);
    out.forEach((cells, i) => expect(cells.slice(0, 3), `row ${i}`).toEqual(rows[i]));
  }, 300_000);

  it('explains a random sample of the classified rows: the words per label, split by correct and wrong, a click-through to rows, and the files', async () => {
    const dataset = () => section().locator('div.dataset');
    const datasetPanel = () => page.locator('gb-dataset-panel');
    const datasetState = (state: string, timeout = 60_000) => expect.poll(() => dataset().getAttribute('data-state'), { timeout, interval: 250 }).toBe(state);
    await datasetPanel().locator('button.plan').click();
    await datasetState('planned');
    expect(await ui.text('gb-dataset-panel')).toMatch(/2,000 of 2,000 rows have a text to explain; the file has true labels\. Timed on [2-8] of them here\./);
    // 2,000 rows are more than the sample offered first.
    expect(await datasetPanel().locator('input[name=sample-rows]').inputValue()).toBe('500');
    expect(Number(await datasetPanel().locator('.estimate').getAttribute('data-estimate-ms'))).toBeGreaterThan(0);
    await datasetPanel().locator('input[name=sample-rows]').fill('16');
    await expect.poll(() => datasetPanel().locator('.estimate').innerText()).toMatch(/^16 rows: /);
    await datasetPanel().locator('button.start').click();
    await datasetState('done', 180_000);
    const summary = await datasetPanel().locator('.summary').innerText();
    expect(summary).toMatch(/^16 rows, a random sample \(seed 0\) of 2,000 with text, explained by leaving one word out: [\d,]+ model runs in [\d.]+ s \(estimated: /);

    const [jsonDownload] = await Promise.all([page.waitForEvent('download'), datasetPanel().locator('button.export[data-format=json]').click()]);
    expect(jsonDownload.suggestedFilename()).toBe(`glassbox-${MODEL}-dataset.json`);
    const exported = JSON.parse(await readFile(await jsonDownload.path(), 'utf8')) as { format: string; model: string; explanation: DatasetExplanation };
    expect(exported).toMatchObject({ format: 'glassbox-dataset-explanation', model: MODEL });
    const { explanation } = exported;
    expect(explanation.rows).toHaveLength(16);
    const rows = productRows();
    for (const row of explanation.rows) expect(row.text).toBe(rows[row.row - 2][2]);

    // The page shows the label with the most rows first, its words as the summary has them.
    const words = page.locator('gb-dataset-words');
    const shownLabel = explanation.summary.labels.reduce((best, l) => ((l.groups.all?.rows ?? 0) > (best.groups.all?.rows ?? 0) ? l : best));
    expect(await words.locator('.labels button[aria-pressed=true]').innerText()).toBe(`${shownLabel.label} (${shownLabel.groups.all!.rows})`);
    expect(await words.locator('.groups button').allInnerTexts()).toEqual([
      `every row predicted (${shownLabel.groups.all!.rows})`,
      `predicted correctly (${shownLabel.groups.correct!.rows})`,
      `predicted wrongly (${shownLabel.groups.wrong!.rows})`,
    ]);
    const toward = shownLabel.groups.all!.toward;
    expect(toward.length).toBeGreaterThan(0);
    expect(await words.locator('table.towards tbody tr[data-word]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-word')))).toEqual(toward.map((w) => w.word));

    await page.setViewportSize(PICTURE_VIEW);
    await datasetPanel().locator('h3').evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await readmePicture(page, 'dataset');

    // A word opens the rows where it mattered most; one of them opens in the explainer.
    const top = toward[0];
    await words.locator(`tr[data-word="${top.word}"] button.word`).click();
    const listed = words.locator('ol.rows li');
    expect(await listed.evaluateAll((items) => items.map((item) => Number(item.getAttribute('data-row'))))).toEqual(top.topRows.map((i) => explanation.rows[i].row));
    expect(await listed.first().locator('mark').innerText()).toMatch(new RegExp(`^${top.word}$`, 'i'));
    const opened = explanation.rows[top.topRows[0]];
    await listed.first().locator('button.open').click();
    await expect.poll(() => page.locator('gb-text-input textarea').inputValue()).toBe(opened.text);
    await expect.poll(() => ui.text('gb-probabilities'), { timeout: 60_000 }).toContain(explanation.labels[opened.predicted]);

    const [csvDownload] = await Promise.all([page.waitForEvent('download'), datasetPanel().locator('button.export[data-format=csv]').click()]);
    const table = Papa.parse<string[]>((await readFile(await csvDownload.path(), 'utf8')).replace(/^\ufeff/, ''), { skipEmptyLines: true }).data;
    expect(table[0]).toEqual(['label', 'group', 'word', 'rows', 'mean_weight', 'total_weight', 'top_rows']);
    const csvTop = table.find((cells) => cells[0] === shownLabel.label && cells[1] === 'all' && cells[2] === top.word)!;
    expect(Number(csvTop[4])).toBeCloseTo(top.meanWeight, 12);

    const [htmlDownload] = await Promise.all([page.waitForEvent('download'), datasetPanel().locator('button.export[data-format=html]').click()]);
    const exportedHtml = await readFile(await htmlDownload.path(), 'utf8');
    expect(exportedHtml).not.toMatch(/<script|https?:\/\/|src=|href=/i);
    expect(exportedHtml).toContain(`<th scope="row">${top.word}</th>`);
    const [pngDownload] = await Promise.all([page.waitForEvent('download'), datasetPanel().locator('button.export[data-format=png]').click()]);
    expect(pngDownload.suggestedFilename()).toBe(`glassbox-${MODEL}-dataset.png`);
    expect(pngSize(await readFile(await pngDownload.path())).width).toBe(1600);

    // A run stopped part-way keeps the rows it finished, summarised.
    await datasetPanel().locator('input[name=sample-rows]').fill('300');
    await datasetPanel().locator('button.start').click();
    await expect.poll(() => ui.text('gb-dataset-panel'), { timeout: 120_000, interval: 100 }).toMatch(/Explained [1-9]\d* of 300 rows/);
    await datasetPanel().locator('button.cancel').click();
    await datasetState('stopped');
    const stopped = await datasetPanel().locator('.error').innerText();
    expect(stopped).toMatch(/^The dataset explanation was cancelled\. ([1-9]\d*) of 300 rows were explained and are kept\.$/);
    const kept = Number(/(\d+) of 300/.exec(stopped)![1]);
    expect(await ui.text('gb-dataset-panel')).toContain('Rows explained before the run stopped');
    expect(await datasetPanel().locator('.summary').innerText()).toMatch(new RegExp(`^${kept} rows, a random sample \\(seed 0\\) of 2,000 with text`));
  }, 300_000);

  it('says what is wrong with binary content and with a file that has no column of texts', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(2048, 7)]);
    await panel().locator('input[type=file]').setInputFiles({ name: 'photo.csv', mimeType: 'text/csv', buffer: png });
    await expect
      .poll(() => errorText())
      .toBe('photo.csv is a PNG image, not CSV text. Open it in its program and save or export it as "CSV UTF-8".');

    const noise = Buffer.from(Array.from({ length: 4096 }, (_, i) => 1 + ((i * 7919) % 255)));
    await panel().locator('input[type=file]').setInputFiles({ name: 'noise.csv', mimeType: 'text/csv', buffer: noise });
    await expect.poll(() => errorText()).toMatch(/^noise\.csv does not read as text: \d+% of its first/);

    await panel().locator('input[type=file]').setInputFiles({ name: 'amounts.csv', mimeType: 'text/csv', buffer: Buffer.from('id;amount\r\n1;20,5\r\n2;13\r\n') });
    await batchState('preview');
    expect(await ui.text('gb-batch-panel')).toContain('No column holds words (every column is numbers or empty): choose the column to classify.');
    expect(await ui.text('gb-batch-panel')).toContain('Delimiter: semicolon.');
    expect(await panel().locator('button.start').isDisabled()).toBe(true);
  });

  it('states the row limit for a 100 MB file, and stops reading it once the limit is passed', async () => {
    const line = 'a short product description, one of many\n';
    const file = path.join(scratch, 'huge.csv');
    await writeFile(file, 'text\n' + line.repeat(Math.ceil((100 * 1024 * 1024) / line.length)));
    await panel().locator('input[type=file]').setInputFiles(file);
    await expect.poll(() => ui.text('gb-batch-panel')).toMatch(/huge\.csv/);
    await batchState('preview');
    expect(await ui.text('gb-batch-panel')).toMatch(/This input has about [\d,]+ rows; batch mode classifies up to 100,000 at a time\. Split it into smaller files\./);
    await panel().locator('button.start').click();
    await batchState('failed', 60_000);
    expect(await errorText()).toMatch(/^huge\.csv has more than 100,000 data rows \(about [\d,]+ in all\); batch mode classifies up to 100,000 rows at a time\./);
  });

  it('made no request to any other origin', () => {
    expect(foreignRequests(browser.requests, server.origin)).toEqual([]);
  });
});
