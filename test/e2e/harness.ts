import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { expect } from 'vitest';
import { launchChromium } from './chromium';
import { startStaticServer, type StaticServer, type StaticServerOptions } from './static-server';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The built site under test: dist/, or GLASSBOX_DIST to test a build kept elsewhere. */
export const DIST = process.env.GLASSBOX_DIST ? path.resolve(process.env.GLASSBOX_DIST) : path.join(ROOT, 'dist');

export interface Browser {
  context: BrowserContext;
  /** Every URL the browser requested, from pages and their workers. */
  requests: string[];
  /** Content-Security-Policy violations reported by any page or worker. */
  violations: string[];
  /** Console errors and uncaught exceptions of any page or worker, except those the suite expects. */
  consoleErrors: string[];
  /** Closes the browser; fails when anything violated the Content-Security-Policy or wrote a console error. */
  close(): Promise<void>;
}

export interface LaunchOptions {
  webgpu: boolean;
  /** Console errors a suite provokes on purpose (a missing file's 404, a broken model): matched by text. */
  expectedConsoleErrors?: readonly RegExp[];
}

/**
 * Chromium with every request and every Content-Security-Policy violation recorded. The test
 * server sends the policy the site ships, so a suite that makes the page break it fails when it
 * closes its browser.
 */
export async function launch({ webgpu, expectedConsoleErrors = [] }: LaunchOptions): Promise<Browser> {
  const { context, close } = await launchChromium({ webgpu });
  const requests: string[] = [];
  const violations: string[] = [];
  const consoleErrors: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  const recordError = (text: string) => {
    if (!expectedConsoleErrors.some((pattern) => pattern.test(text))) consoleErrors.push(text);
  };
  const record = (message: ConsoleMessage) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    else if (message.type() === 'error') recordError(`${message.text()}${message.location().url ? ` (${message.location().url})` : ''}`);
  };
  context.on('console', record);
  context.on('weberror', (error) => recordError(`uncaught: ${error.error().message}`));
  context.on('page', (page) => page.on('worker', (worker) => worker.on('console', record)));
  // The browser's own "Refused to ..." lines are not always console messages; the event always fires.
  await context.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(`Content Security Policy violation: ${event.effectiveDirective} blocked ${event.blockedURI || 'inline code'} in ${event.sourceFile}:${event.lineNumber}`),
    ),
  );
  return {
    context,
    requests,
    violations,
    consoleErrors,
    close: async () => {
      await close();
      if (violations.length > 0) throw new Error(`The page broke its Content-Security-Policy:\n${[...new Set(violations)].join('\n')}`);
      if (consoleErrors.length > 0) throw new Error(`The page wrote ${consoleErrors.length} console error(s):\n${[...new Set(consoleErrors)].join('\n')}`);
    },
  };
}

/** Requests that left the site's origin (data: and blob: URLs never reach the network). */
export function foreignRequests(requests: readonly string[], origin: string): string[] {
  return requests.filter((url) => !url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== origin);
}

export interface ShippedModel {
  id: string;
  title: string;
  examples: { text: string; label: string }[];
}

/** The built site served, a browser with one page open on it, and the models the build ships. */
export interface Site {
  server: StaticServer;
  browser: Browser;
  page: Page;
  ui: ReturnType<typeof app>;
  models: ShippedModel[];
  defaultId: string;
  close(): Promise<void>;
}

/**
 * Serves the build (as `server` describes, dist/ by default), starts Chromium (with or without
 * WebGPU) and opens the site with `query` appended, e.g. "?engine=tfjs".
 */
export async function openSite({
  webgpu,
  server: serving = {},
  query = '',
  expectedConsoleErrors,
}: LaunchOptions & { server?: Partial<StaticServerOptions>; query?: string }): Promise<Site> {
  if (!existsSync(path.join(DIST, 'index.html'))) throw new Error(`${DIST} has no build: run \`npm run build\` first.`);
  const { models, defaultId } = await shippedModels();
  const server = await startStaticServer({ root: DIST, ...serving });
  const browser = await launch({ webgpu, ...(expectedConsoleErrors ? { expectedConsoleErrors } : {}) }).catch(async (error: unknown) => {
    await server.close();
    throw error;
  });
  const page = await browser.context.newPage();
  await page.goto(`${server.url}${query}`);
  return {
    server,
    browser,
    page,
    ui: app(page),
    models,
    defaultId,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** The shipped models as dist/ has them: the ids from models/index.json and each manifest's examples. */
export async function shippedModels(): Promise<{ defaultId: string; models: ShippedModel[] }> {
  const index = JSON.parse(await readFile(path.join(DIST, 'models', 'index.json'), 'utf8')) as { default: string; models: string[] };
  const models = await Promise.all(
    index.models.map(async (id) => {
      const manifest = JSON.parse(await readFile(path.join(DIST, 'models', id, 'manifest.json'), 'utf8')) as {
        title: string;
        examples?: { text: string; label?: string }[];
      };
      const examples = (manifest.examples ?? []).filter((e): e is { text: string; label: string } => typeof e.label === 'string');
      return { id, title: manifest.title, examples };
    }),
  );
  return { defaultId: index.default, models };
}

/** The rendered text of a component: Playwright's innerText does not look inside shadow roots. */
export function shadowText(page: Page, selector: string): Promise<string> {
  return page.locator(selector).first().evaluate((element) => {
    const root = element.shadowRoot;
    if (!root) return (element as HTMLElement).innerText;
    const read = (node: Node): string =>
      node instanceof HTMLElement && node.shadowRoot
        ? [...node.shadowRoot.childNodes].map(read).join('\n')
        : node instanceof HTMLElement
          ? node.innerText
          : (node.textContent ?? '');
    return [...root.childNodes].map(read).join('\n').trim();
  });
}

/** Page helpers, all through the UI as a person would use it. */
export function app(page: Page) {
  const modelSection = page.locator('gb-app section.model');
  return {
    page,
    text: (selector: string) => shadowText(page, selector),
    /** Waits for the model to be ready and returns the backend the page shows. */
    async ready(model: string, timeout = 120_000): Promise<string> {
      await expect
        .poll(async () => modelSection.getAttribute('data-state'), { timeout, interval: 250 })
        .toMatch(/ready|failed/);
      const state = await modelSection.getAttribute('data-state');
      if (state === 'failed') throw new Error(`Loading ${model} failed: ${await shadowText(page, 'gb-app section.model gb-alert')}`);
      await expect.poll(() => shadowText(page, 'gb-load-progress')).toContain(`${model} ready in`);
      return (await page.locator('gb-engine-badge').getAttribute('backend')) ?? '';
    },
    async failure(timeout = 60_000): Promise<{ code: string; text: string }> {
      await expect.poll(async () => modelSection.getAttribute('data-state'), { timeout, interval: 250 }).toBe('failed');
      const alert = modelSection.locator('gb-alert [role=alert]');
      return { code: (await alert.getAttribute('data-code')) ?? '', text: await alert.innerText() };
    },
    /** Starts recording what the load progress component shows; returns a function that reads the record. */
    async recordProgress(): Promise<() => Promise<string[]>> {
      await page.evaluate(() => {
        const progress = document.querySelector('gb-app')?.shadowRoot?.querySelector('gb-load-progress');
        const root = progress?.shadowRoot;
        if (!progress || !root) throw new Error('gb-load-progress is not rendered');
        const seen: string[] = [];
        (window as unknown as { progressSeen: string[] }).progressSeen = seen;
        new MutationObserver(() => seen.push((root.textContent ?? '').replace(/\s+/g, ' ').trim())).observe(root, {
          subtree: true,
          childList: true,
          characterData: true,
          attributes: true,
        });
      });
      return () => page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
    },
    async selectModel(id: string): Promise<void> {
      await page.locator('gb-model-picker select[name=model]').selectOption(id);
    },
    async selectBackend(backend: 'auto' | 'webgpu' | 'wasm'): Promise<void> {
      await page.locator('gb-model-picker select[name=backend]').selectOption(backend);
    },
    async loadFolder(url: string): Promise<void> {
      await page.locator('gb-model-picker input[name=folder]').fill(url);
      await page.locator('gb-model-picker button[type=submit]').click();
    },
    /** Types the text; with `button` it also presses Classify, else it relies on classify-as-you-type. */
    async classify(text: string, { button = true, timeout = 60_000 } = {}): Promise<{ label: string; text: string }> {
      await page.locator('gb-text-input textarea').fill(text);
      if (button) await page.locator('gb-text-input button.classify').click();
      const done = page.locator('gb-app section.result[data-state=done] gb-probabilities .predicted');
      await expect
        .poll(async () => ((await done.count()) > 0 ? done.getAttribute('data-text') : null), { timeout, interval: 200 })
        .toBe(text);
      return { label: (await done.getAttribute('data-label')) ?? '', text: await shadowText(page, 'gb-probabilities') };
    },
    /** Explains the classified text with LIME at `samples` samples; returns what the explanation view shows. */
    async explain(samples: number, timeout = 120_000): Promise<string> {
      await page.locator('gb-explain-controls select[name=method]').selectOption('lime');
      const input = page.locator('gb-explain-controls input[name=samples]');
      await input.fill(String(samples));
      await input.dispatchEvent('change');
      await page.locator('gb-explain-controls button.explain').click();
      await expect.poll(() => page.locator('gb-app section.explain').getAttribute('data-state'), { timeout, interval: 250 }).toBe('done');
      return shadowText(page, 'gb-explanation-view');
    },
    async selectEngine(engine: 'auto' | 'onnx' | 'tfjs'): Promise<void> {
      await page.locator('gb-model-picker select[name=engine]').selectOption(engine);
    },
    async message(text: string): Promise<string> {
      await page.locator('gb-text-input textarea').fill(text);
      await page.locator('gb-text-input button.classify').click();
      const message = page.locator('gb-app section.result[data-state=message] gb-probabilities .message');
      await message.waitFor();
      return message.innerText();
    },
  };
}
