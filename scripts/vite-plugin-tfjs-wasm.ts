import { createRequire } from 'node:module';
import path from 'node:path';
import type { Plugin } from 'vite';
import { servedFiles } from './vite-plugin-served-files';
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
const DEV_ROUTE = '/@glassbox-tfjs-wasm/';

/** Where the installed @tensorflow/tfjs-backend-wasm keeps each binary. */
export function locateTfjsWasm(projectRoot: string): Record<TfjsWasmFile, string> {
  const require = createRequire(path.join(projectRoot, 'package.json'));
  const folder = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  return Object.fromEntries(TFJS_WASM_FILES.map((file) => [file, path.join(folder, file)])) as Record<TfjsWasmFile, string>;
}

export function tfjsWasm(): Plugin {
  return servedFiles({
    name: 'glassbox:tfjs-wasm',
    moduleId: TFJS_WASM_MODULE_ID,
    devRoute: DEV_ROUTE,
    locate: locateTfjsWasm,
    module: (urls) => `export const tfjsWasmPaths = {\n  ${TFJS_WASM_FILES.map((file) => `${JSON.stringify(file)}: ${urls[file]}`).join(',\n  ')}\n};`,
  });
}
