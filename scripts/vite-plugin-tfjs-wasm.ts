import { createReadStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Plugin } from 'vite';
import { TFJS_WASM_FILES, type TfjsWasmFile } from '../src/engines/tfjs/wasm-files';

/**
 * Serves the WebAssembly binaries of @tensorflow/tfjs-backend-wasm from the site itself. Left
 * alone, the backend looks for them next to its script, which a bundler moves and renames.
 *
 * The worker imports `virtual:tfjs-wasm` for `tfjsWasmPaths`, one URL per binary, to pass to the
 * TF.js engine (TfjsEngine's `wasmPaths`): emitted assets in a build (relative to the chunk, so the
 * site works under any sub-path), a dev-server route while developing. The backend fetches only
 * the one binary the browser can run (plain, SIMD, or SIMD with threads), and only when it is used.
 */

export const TFJS_WASM_MODULE_ID = 'virtual:tfjs-wasm';
const RESOLVED_ID = `\0${TFJS_WASM_MODULE_ID}`;
const DEV_ROUTE = '/@glassbox-tfjs-wasm/';

/** Where the installed @tensorflow/tfjs-backend-wasm keeps each binary. */
export function locateTfjsWasm(projectRoot: string): Record<TfjsWasmFile, string> {
  const require = createRequire(path.join(projectRoot, 'package.json'));
  const folder = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  return Object.fromEntries(TFJS_WASM_FILES.map((file) => [file, path.join(folder, file)])) as Record<TfjsWasmFile, string>;
}

export function tfjsWasm(): Plugin {
  let files: Record<TfjsWasmFile, string>;
  let isBuild = false;
  return {
    name: 'glassbox:tfjs-wasm',
    configResolved(config) {
      files = locateTfjsWasm(config.root);
      isBuild = config.command === 'build';
    },
    resolveId(id) {
      return id === TFJS_WASM_MODULE_ID ? RESOLVED_ID : undefined;
    },
    load(id) {
      if (id !== RESOLVED_ID) return undefined;
      const entries = TFJS_WASM_FILES.map((file) => {
        if (!isBuild) return `${JSON.stringify(file)}: new URL(${JSON.stringify(DEV_ROUTE + file)}, self.location.origin).href`;
        const ref = this.emitFile({ type: 'asset', name: file, source: readFileSync(files[file]) });
        return `${JSON.stringify(file)}: import.meta.ROLLUP_FILE_URL_${ref}`;
      });
      return `export const tfjsWasmPaths = {\n  ${entries.join(',\n  ')}\n};`;
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const pathname = req.url?.split('?')[0] ?? '';
        if (!pathname.startsWith(DEV_ROUTE)) return next();
        const name = pathname.slice(DEV_ROUTE.length) as TfjsWasmFile;
        if (!TFJS_WASM_FILES.includes(name)) return next();
        res.setHeader('Content-Type', 'application/wasm');
        createReadStream(files[name]).pipe(res);
      });
    },
  };
}
