import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The parts of the code and the imports allowed between them (ARCHITECTURE.md draws the same
 * picture). A part may always import itself and any package.
 */
export const LAYERS = Object.freeze({
  /** Pure helpers, the worker contract and the explanation maths: nothing of ours. */
  core: [],
  /** The ML runtimes behind the Engine interface. */
  engines: ['core'],
  /** Heavy compute in Web Workers. */
  workers: ['core', 'engines', 'pwa', 'trusted-script-url'],
  /** The offline PWA's service worker: model files and the catalog cached and served. */
  'service-worker': ['core', 'pwa'],
  /** The only way from the page to the worker; it names the worker's script to start it. */
  client: ['core', 'trusted-script-url', 'workers'],
  catalog: ['core'],
  pwa: ['core', 'catalog', 'trusted-script-url'],
  /** Rendering: never an engine or the worker's code. */
  ui: ['core', 'client', 'catalog', 'pwa'],
  /** The page's and the element's entry modules. */
  entry: ['core', 'ui', 'pwa'],
  'trusted-script-url': [],
} as const satisfies Record<string, readonly string[]>);

export type Layer = keyof typeof LAYERS;

/** Which part a file (a path relative to the repository) belongs to; undefined outside src/ and workers/. */
export function layerOf(file: string): Layer | undefined {
  const [top, second] = file.split('/');
  if (top === 'workers') return 'workers';
  if (top !== 'src') return undefined;
  if (second === 'core' || second === 'engines' || second === 'ui' || second === 'pwa' || second === 'service-worker') return second;
  const name = second?.replace(/\.ts$/, '');
  if (name === 'client' || name === 'catalog' || name === 'trusted-script-url') return name;
  if (name === 'main' || name === 'element') return 'entry';
  return undefined;
}

/** The relative module specifiers a TypeScript source imports: static, side-effect and dynamic. */
export function importsOf(source: string): string[] {
  const found = [...source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'";]*?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g)];
  return found.map((match) => match[1] ?? match[2]);
}

export interface Violation {
  file: string;
  imports: string;
  from: Layer;
  to: Layer;
}

/** Every import in `files` (path relative to the repository → source) that LAYERS does not allow. */
export function layeringViolations(files: ReadonlyMap<string, string>): Violation[] {
  const violations: Violation[] = [];
  for (const [file, source] of files) {
    const from = layerOf(file);
    if (!from) continue;
    for (const specifier of importsOf(source)) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier.replace(/\?.*$/, '')));
      const to = layerOf(target);
      if (to && to !== from && !(LAYERS[from] as readonly string[]).includes(to)) violations.push({ file, imports: specifier, from, to });
    }
  }
  return violations;
}

/** The TypeScript sources under src/ and workers/ of the repository at `root`. */
export function readSources(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const relative = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(relative);
      else if (entry.name.endsWith('.ts')) files.set(relative, readFileSync(path.join(root, relative), 'utf8'));
    }
  };
  walk('src');
  walk('workers');
  return files;
}

/** The file an import of `specifier` from `file` names, if it is one of `files`. */
function resolveImport(file: string, specifier: string, files: ReadonlyMap<string, string>): string | undefined {
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier.replace(/\?.*$/, '')));
  return [target, `${target}.ts`, `${target}/index.ts`].find((candidate) => files.has(candidate));
}

/** Import cycles among `files` (type-only imports count: they tie the files' meaning together), each as the files around it. */
export function importCycles(files: ReadonlyMap<string, string>): string[][] {
  const edges = new Map([...files].map(([file, source]) => [file, importsOf(source).flatMap((s) => resolveImport(file, s, files) ?? [])]));
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push(stack.slice(stack.indexOf(next)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...files.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
}
