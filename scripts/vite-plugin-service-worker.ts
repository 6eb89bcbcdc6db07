import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { build, type Plugin, type ResolvedConfig } from 'vite';
import { SERVICE_WORKER_FILE } from '../src/pwa/service-worker-file';

/**
 * Builds the service worker (src/service-worker/service-worker.ts) after the site, with the site's files
 * injected as its precache manifest through `virtual:precache-manifest`.
 *
 * The manifest lists everything the build wrote (scripts, styles, the classifier worker, the
 * WebAssembly binaries and loaders the ortWasm and tfjsWasm plugins emit) and the public files
 * (web app manifest, icons), each with a hash of its content as revision, by URL relative to the
 * worker. The models/ folder is left out: models are cached on first use, not on install.
 *
 * The worker is built as one classic script (IIFE), SERVICE_WORKER_FILE at the root of the site.
 */

const PRECACHE_MODULE_ID = 'virtual:precache-manifest';

export interface PrecacheEntry {
  url: string;
  revision: string;
}

/** Paths (relative to the site root, "/"-separated) that the service worker does not precache. */
export function isPrecached(file: string): boolean {
  return !file.startsWith('models/') && file !== SERVICE_WORKER_FILE && !file.endsWith('.map');
}

/** One manifest entry per precached file, sorted by URL so the worker only changes when the site does. */
export function precacheEntries(files: ReadonlyMap<string, string | Uint8Array>): PrecacheEntry[] {
  return [...files]
    .filter(([file]) => isPrecached(file))
    .map(([file, content]) => ({ url: file, revision: createHash('sha256').update(content).digest('hex').slice(0, 16) }))
    .sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
}

export function serviceWorker({ entry }: { entry: string }): Plugin {
  let config: ResolvedConfig;
  const written = new Map<string, string | Uint8Array>();
  return {
    name: 'glassbox:service-worker',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    buildStart() {
      written.clear();
    },
    writeBundle(_options, bundle) {
      for (const output of Object.values(bundle)) {
        written.set(output.fileName, output.type === 'chunk' ? output.code : output.source);
      }
    },
    async closeBundle(error?: Error) {
      if (error || written.size === 0) return;
      const files = new Map(written);
      if (config.publicDir && config.build.copyPublicDir) {
        for (const [file, content] of await readTree(config.publicDir)) files.set(file, content);
      }
      await buildWorker(config, path.resolve(config.root, entry), precacheEntries(files));
    },
  };
}

async function buildWorker(config: ResolvedConfig, entry: string, entries: PrecacheEntry[]): Promise<void> {
  const resolvedId = `\0${PRECACHE_MODULE_ID}`;
  await build({
    configFile: false,
    root: config.root,
    mode: config.mode,
    logLevel: 'warn',
    publicDir: false,
    // Workbox keeps its debug logging behind process.env.NODE_ENV.
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    plugins: [
      {
        name: 'glassbox:precache-manifest',
        resolveId: (id) => (id === PRECACHE_MODULE_ID ? resolvedId : undefined),
        load: (id) => (id === resolvedId ? `export default ${JSON.stringify(entries)};` : undefined),
      },
    ],
    build: {
      outDir: path.resolve(config.root, config.build.outDir),
      emptyOutDir: false,
      copyPublicDir: false,
      target: config.build.target,
      sourcemap: false,
      lib: { entry, formats: ['iife'], name: 'glassboxServiceWorker', fileName: () => SERVICE_WORKER_FILE },
    },
  });
}

/** Every file under `folder`, keyed by its "/"-separated path relative to it. */
async function readTree(folder: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  for (const item of entries) {
    if (!item.isFile()) continue;
    const file = path.relative(folder, path.join(item.parentPath, item.name)).split(path.sep).join('/');
    if (isPrecached(file)) files.set(file, await readFile(path.join(item.parentPath, item.name)));
  }
  return files;
}
