import { createReadStream, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'vite';

const CONTENT_TYPES: Record<string, string> = {
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
};

export interface ServedFilesOptions {
  /** The plugin's name, e.g. "glassbox:ort-wasm". */
  name: string;
  /** The virtual module the app imports for the files' URLs, e.g. "virtual:ort-wasm". */
  moduleId: string;
  /** The dev-server route the files are served under while developing. */
  devRoute: string;
  /** Each file's name mapped to its path in the installed package. */
  locate(projectRoot: string): Record<string, string>;
  /** The virtual module's source, given each file's URL as a JavaScript expression. */
  module(urls: Record<string, string>): string;
}

/**
 * Serves runtime files of an installed package (WebAssembly binaries and their loaders) from the
 * site itself, and tells the app where they are through a virtual module: emitted assets in a
 * build (URLs relative to the chunk, so the site works under any sub-path), a dev-server route
 * while developing.
 */
export function servedFiles(options: ServedFilesOptions): Plugin {
  const resolvedId = `\0${options.moduleId}`;
  let files: Record<string, string>;
  let isBuild = false;
  return {
    name: options.name,
    configResolved(config) {
      files = options.locate(config.root);
      isBuild = config.command === 'build';
    },
    resolveId(id) {
      return id === options.moduleId ? resolvedId : undefined;
    },
    load(id) {
      if (id !== resolvedId) return undefined;
      const urls = Object.fromEntries(
        Object.entries(files).map(([file, source]) => {
          if (!isBuild) return [file, `new URL(${JSON.stringify(options.devRoute + file)}, self.location.origin).href`];
          const ref = this.emitFile({ type: 'asset', name: file, source: readFileSync(source) });
          return [file, `import.meta.ROLLUP_FILE_URL_${ref}`];
        }),
      );
      return options.module(urls);
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const pathname = req.url?.split('?')[0] ?? '';
        if (!pathname.startsWith(options.devRoute)) return next();
        const name = pathname.slice(options.devRoute.length);
        const source = Object.hasOwn(files, name) ? files[name] : undefined;
        if (!source) return next();
        // This route runs before Vite's own header handling; a worker script (ONNX Runtime's
        // thread workers load its factory) needs the COOP/COEP headers itself.
        for (const [header, value] of Object.entries(server.config.server.headers ?? {})) {
          if (value !== undefined) res.setHeader(header, value);
        }
        res.setHeader('Content-Type', CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream');
        createReadStream(source).pipe(res);
      });
    },
  };
}
