import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foreignRequests, launch, ROOT, shadowText, type Browser } from './harness';
import { startStaticServer, type StaticServer } from './static-server';

/** The library build under test: dist-lib/, or GLASSBOX_LIB_DIST for a build kept elsewhere. */
const LIB = process.env.GLASSBOX_LIB_DIST ? path.resolve(process.env.GLASSBOX_LIB_DIST) : path.join(ROOT, 'dist-lib');
const MODELS = path.join(ROOT, 'public', 'models');
const BASE = '/embedder/';
const EVENT_TYPES = ['gb-ready', 'gb-progress', 'gb-result', 'gb-explanation', 'gb-error'] as const;

interface SeenEvent {
  type: string;
  id: string;
  bubbles: boolean;
  composed: boolean;
  isCustomEvent: boolean;
  detail: Record<string, unknown>;
}

interface Rejection {
  name: string;
  code: string;
  message: string;
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The embedder's own script: records every gb-* event that reaches the document. */
const RECORD_EVENTS = `window.seen = [];
for (const type of ${JSON.stringify(EVENT_TYPES)}) {
  document.addEventListener(type, (event) => {
    window.seen.push({ type, id: event.target.id, bubbles: event.bubbles, composed: event.composed,
      isCustomEvent: event instanceof CustomEvent, detail: JSON.parse(JSON.stringify(event.detail)) });
  });
}
`;

/**
 * Someone else's site, no build step, under the Content-Security-Policy glassbox documents for
 * host pages (no inline script): a blog post that loads the library from
 * /embedder/vendor/glassbox/ (a copy of the library build with one model in its models/ folder)
 * and records every gb-* event that reaches the document.
 */
function embedderPage(model: string, text: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>A blog post with a classifier</title>
<link rel="icon" href="data:,">
<script src="record-events.js"></script>
<script type="module" src="../vendor/glassbox/glassbox-classifier.js"></script>
<style>glassbox-classifier { --gb-accent: rgb(1, 2, 3); } glassbox-classifier::part(bar) { border-top: 3px solid rgb(4, 5, 6); }</style>
</head>
<body>
<h1>Posted today</h1>
<glassbox-classifier id="main" model="${model}" backend="wasm" text="${escapeHtml(text)}"></glassbox-classifier>
</body>
</html>
`;
}

describe('<glassbox-classifier> embedded in a plain HTML page', () => {
  let browser: Browser;
  let server: StaticServer;
  let site: string;
  let page: Page;
  let model: string;
  let labels: string[];
  let example: { text: string; label: string };

  beforeAll(async () => {
    if (!existsSync(path.join(LIB, 'glassbox-classifier.js'))) throw new Error(`${LIB} has no glassbox-classifier.js: run \`npm run build:lib\` first.`);
    model = (JSON.parse(await readFile(path.join(MODELS, 'index.json'), 'utf8')) as { default: string }).default;
    const config = JSON.parse(await readFile(path.join(MODELS, model, 'config.json'), 'utf8')) as { id2label: Record<string, string> };
    labels = Object.values(config.id2label);
    const manifest = JSON.parse(await readFile(path.join(MODELS, model, 'manifest.json'), 'utf8')) as { examples: { text: string; label: string }[] };
    example = manifest.examples[0];

    site = await mkdtemp(path.join(tmpdir(), 'glassbox-embedder-'));
    const vendor = path.join(site, 'vendor', 'glassbox');
    await cp(LIB, vendor, { recursive: true, filter: (source) => path.relative(LIB, source) !== 'models' });
    await cp(path.join(MODELS, model), path.join(vendor, 'models', model), { recursive: true });
    await mkdir(path.join(site, 'blog'));
    await writeFile(path.join(site, 'blog', 'post.html'), embedderPage(model, example.text));
    await writeFile(path.join(site, 'blog', 'record-events.js'), RECORD_EVENTS);

    server = await startStaticServer({
      root: site,
      basePath: BASE,
      // A model server that went away: every connection is dropped.
      override: (pathname, request) => {
        if (!pathname.startsWith(`${BASE}unreachable/`)) return false;
        request.socket.destroy();
        return true;
      },
    });
    // The browser logs the 404 of the missing model that one test asks for on purpose.
    browser = await launch({ webgpu: false, expectedConsoleErrors: [/status of 404 .*\/no-such-model\//] });
    page = await browser.context.newPage();
    await page.goto(`${server.url}blog/post.html`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (site) await rm(site, { recursive: true, force: true });
  });

  const seen = (id: string, type?: string): Promise<SeenEvent[]> =>
    page.evaluate(
      ({ id, type }) => (window as unknown as { seen: SeenEvent[] }).seen.filter((e) => e.id === id && (!type || e.type === type)),
      { id, type },
    );

  /** Waits for `count` events of `type` from element `id`; a gb-error from it while waiting for something else fails at once. */
  async function waitFor(id: string, type: string, count = 1, timeout = 90_000): Promise<SeenEvent[]> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const events = await seen(id);
      const matching = events.filter((e) => e.type === type);
      if (matching.length >= count) return matching;
      const error = type === 'gb-error' ? undefined : events.find((e) => e.type === 'gb-error');
      if (error) throw new Error(`#${id} raised gb-error while waiting for ${type}: ${JSON.stringify(error.detail)}`);
      if (Date.now() > deadline) throw new Error(`#${id} raised ${matching.length} ${type} event(s) in ${timeout} ms; expected ${count}.`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** Adds an element with these attributes and returns its first gb-error. */
  async function addFailing(id: string, attributes: Record<string, string>): Promise<SeenEvent> {
    await page.evaluate(
      ({ id, attributes }) => {
        const element = document.createElement('glassbox-classifier');
        element.id = id;
        for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
        document.body.append(element);
      },
      { id, attributes },
    );
    return (await waitFor(id, 'gb-error', 1, 60_000))[0];
  }

  /** Calls classify() on an element and returns how it rejected. */
  const classifyRejection = (id: string, text: string): Promise<Rejection | 'resolved'> =>
    page.evaluate(
      async ({ id, text }) => {
        const element = document.getElementById(id) as HTMLElementTagNameMap['glassbox-classifier'];
        try {
          await element.classify(text);
          return 'resolved' as const;
        } catch (error) {
          const { name, message, code } = error as Error & { code: string };
          return { name, message, code };
        }
      },
      { id, text },
    );

  function expectResultDetail(detail: Record<string, unknown>, text: string): void {
    expect(detail.text).toBe(text);
    expect(labels).toContain(detail.label);
    expect(detail.engine).toBe('onnx');
    expect(detail.backend).toBe('wasm');
    expect(typeof detail.ms).toBe('number');
    expect(detail.ms as number).toBeGreaterThanOrEqual(0);
    const scores = detail.scores as { label: string; score: number }[];
    expect(scores.map((s) => s.label).sort()).toEqual([...labels].sort());
    for (const { score } of scores) {
      expect(typeof score).toBe('number');
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
    }
    expect(scores.reduce((sum, s) => sum + s.score, 0)).toBeCloseTo(1, 4);
    expect(scores.map((s) => s.score)).toEqual([...scores.map((s) => s.score)].sort((a, b) => b - a));
    expect(scores[0].label).toBe(detail.label);
    expect(Object.keys(detail).sort()).toEqual(['backend', 'engine', 'label', 'ms', 'scores', 'text']);
  }

  it('loads the model beside the library, raises gb-ready and classifies its text attribute', async () => {
    const [ready] = await waitFor('main', 'gb-ready');
    expect(ready).toMatchObject({ bubbles: true, composed: true, isCustomEvent: true });
    expect(ready.detail).toEqual({ model, engine: 'onnx', backend: 'wasm' });

    const downloads = (await seen('main', 'gb-progress')).map((e) => e.detail);
    expect(downloads.length).toBeGreaterThan(0);
    for (const d of downloads) {
      expect(d.phase).toBe('download');
      expect(d.progress as number).toBeGreaterThanOrEqual(0);
      expect(d.progress as number).toBeLessThanOrEqual(1);
      expect(typeof d.loaded).toBe('number');
      expect(typeof d.total).toBe('number');
    }
    expect(downloads.at(-1)?.progress).toBe(1);

    const [result] = await waitFor('main', 'gb-result');
    expect(result).toMatchObject({ bubbles: true, composed: true, isCustomEvent: true });
    expectResultDetail(result.detail, example.text);
    expect(result.detail.label).toBe(example.label);

    // Rendered in the shadow DOM, themable through the documented custom property and parts.
    expect(await shadowText(page, '#main')).toContain(`Predicted: ${example.label}`);
    const bar = await page.evaluate(() => {
      const root = document.getElementById('main')?.shadowRoot;
      const parts = [...(root?.querySelectorAll('[part]') ?? [])].map((e) => e.getAttribute('part'));
      const fill = root?.querySelector('[part=result]')?.shadowRoot?.querySelector('[part=bar]');
      const style = fill ? getComputedStyle(fill) : undefined;
      return { parts, color: style?.backgroundColor, border: style?.borderTopColor };
    });
    expect(bar.parts).toEqual(expect.arrayContaining(['status', 'result']));
    expect(bar.color).toBe('rgb(1, 2, 3)');
    expect(bar.border).toBe('rgb(4, 5, 6)');
    expect(await seen('main', 'gb-error')).toEqual([]);
  });

  it('classify() resolves to the detail of the gb-result it raises', async () => {
    const text = 'The striker scored twice as the club won the cup final.';
    const resolved = await page.evaluate((text) => (document.getElementById('main') as HTMLElementTagNameMap['glassbox-classifier']).classify(text), text);
    expectResultDetail(resolved as unknown as Record<string, unknown>, text);
    const events = await seen('main', 'gb-result');
    expect(events.at(-1)?.detail).toEqual(resolved);
  });

  it('explains the text when explain is set, and explain() takes LIME options', async () => {
    const text = 'Shares fell sharply after the bank reported weak quarterly profits.';
    await page.evaluate((text) => {
      const element = document.getElementById('main')!;
      element.setAttribute('samples', '40');
      element.setAttribute('explain', '');
      element.setAttribute('text', text);
    }, text);
    const results = await waitFor('main', 'gb-result', 3);
    const classified = results.at(-1)!.detail;
    expect(classified.text).toBe(text);
    const [explained] = await waitFor('main', 'gb-explanation');
    expect(explained).toMatchObject({ bubbles: true, composed: true, isCustomEvent: true });
    const detail = explained.detail;
    expect(Object.keys(detail).sort()).toEqual([
      'comprehensiveness',
      'intercept',
      'label',
      'localPrediction',
      'method',
      'modelRuns',
      'ms',
      'r2',
      'samples',
      'scale',
      'stability',
      'sufficiency',
      'text',
      'weights',
    ]);
    expect(detail).toMatchObject({ text, label: classified.label, samples: 40, method: 'lime' });
    expect(detail.comprehensiveness).toEqual({ aopc: expect.any(Number), random: expect.any(Number) });
    for (const key of ['intercept', 'r2', 'localPrediction', 'ms'] as const) expect(Number.isFinite(detail[key])).toBe(true);
    const weights = detail.weights as { word: string; weight: number }[];
    expect(weights.length).toBeGreaterThan(0);
    for (const { word, weight } of weights) {
      expect(text).toContain(word);
      expect(Number.isFinite(weight)).toBe(true);
    }
    const sizes = weights.map((w) => Math.abs(w.weight));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    const progress = (await seen('main', 'gb-progress')).map((e) => e.detail).filter((d) => d.phase === 'explain');
    expect(progress.length).toBeGreaterThan(0);
    // The 40 samples, then the faithfulness check's rows.
    const total = progress[0].total as number;
    expect(total).toBeGreaterThan(40);
    for (const p of progress) {
      expect(p.total).toBe(total);
      expect(p.loaded as number).toBeLessThanOrEqual(total);
      expect(p.progress).toBeCloseTo((p.loaded as number) / total, 6);
    }
    await expect.poll(() => page.evaluate(() => document.getElementById('main')?.shadowRoot?.querySelector('[part=words]') !== null)).toBe(true);

    const viaMethod = await page.evaluate(
      (text) => (document.getElementById('main') as HTMLElementTagNameMap['glassbox-classifier']).explain(text, { numSamples: 30, numFeatures: 3, seed: 7 }),
      text,
    );
    expect(viaMethod).toMatchObject({ text, label: classified.label, samples: 30 });
    expect(viaMethod.weights.length).toBeLessThanOrEqual(3);
    expect((await seen('main', 'gb-explanation')).at(-1)?.detail).toEqual(viaMethod);
    expect(await seen('main', 'gb-error')).toEqual([]);
  });

  it('reports an unknown model with MODEL_NOT_FOUND, resolving model-base-url against the document', async () => {
    const error = await addFailing('unknown', { model: 'no-such-model', 'model-base-url': '../models/', backend: 'wasm' });
    expect(error).toMatchObject({ bubbles: true, composed: true, isCustomEvent: true });
    expect(error.detail.code).toBe('MODEL_NOT_FOUND');
    expect(error.detail.message).toMatch(/no-such-model/);
    expect(browser.requests).toContain(`${server.url}models/no-such-model/config.json`);
    const rejection = await classifyRejection('unknown', 'Any text');
    expect(rejection).toMatchObject({ name: 'GlassboxError', code: 'MODEL_NOT_FOUND' });
    // The code is said once, in `code`; the message is for people.
    expect(rejection).toMatchObject({ message: expect.not.stringContaining('MODEL_NOT_FOUND') });
    expect(await shadowText(page, '#unknown')).toMatch(/Loading no-such-model failed/);
  });

  it('reports an unreachable model URL with MODEL_FETCH_FAILED, and the methods reject with it', async () => {
    const error = await addFailing('unreachable', { model: model, 'model-base-url': `${BASE}unreachable/`, backend: 'wasm' });
    expect(error.detail.code).toBe('MODEL_FETCH_FAILED');
    expect(error.detail.message).toMatch(/unreachable/);
    expect(await classifyRejection('unreachable', 'Any text')).toMatchObject({ name: 'GlassboxError', code: 'MODEL_FETCH_FAILED' });
  });

  it('refuses model folders on another origin and unknown attribute values with BAD_INPUT, before any request', async () => {
    const foreign = await addFailing('foreign', { model: model, 'model-base-url': 'http://127.0.0.2:9/models/' });
    expect(foreign.detail.code).toBe('BAD_INPUT');
    expect(foreign.detail.message).toMatch(/another site/);
    expect(await classifyRejection('foreign', 'Any text')).toMatchObject({ code: 'BAD_INPUT' });
    const engine = await addFailing('bad-engine', { model: model, engine: 'pytorch' });
    expect(engine.detail).toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/engine="pytorch"/) });
    expect(browser.requests.filter((url) => url.includes('127.0.0.2'))).toEqual([]);
  });

  it('leaves the element alone when a second copy of the library is loaded', async () => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.evaluate(() => {
      (window as unknown as { first: unknown }).first = customElements.get('glassbox-classifier');
    });
    // A module import, as a host page under Trusted Types loads one (setting a script's src needs a policy of its own).
    // As a string: the test runner would rewrite an import() written in the function.
    await page.evaluate(`import(${JSON.stringify(`${server.url}vendor/glassbox/glassbox-classifier.js?second-copy`)})`);
    expect(await page.evaluate(() => customElements.get('glassbox-classifier') === (window as unknown as { first: unknown }).first)).toBe(true);
    const text = 'Rates rose again.';
    const again = await page.evaluate((text) => (document.getElementById('main') as HTMLElementTagNameMap['glassbox-classifier']).classify(text), text);
    expect(again.text).toBe(text);
    expect(errors).toEqual([]);
    expect(browser.requests).toContain(`${server.url}vendor/glassbox/glassbox-classifier.js?second-copy`);
  });

  it('fetched nothing from another origin', () => {
    expect(browser.requests.some((url) => url.endsWith('.wasm'))).toBe(true);
    expect(foreignRequests(browser.requests, server.origin)).toEqual([]);
  });
});
