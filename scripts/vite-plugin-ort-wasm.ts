import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Plugin } from 'vite';
import { servedFiles } from './vite-plugin-served-files';

/**
 * Serves the ONNX Runtime Web WebAssembly files from the site itself instead of the CDN that
 * @huggingface/transformers points at by default.
 *
 * The files are resolved from @huggingface/transformers' own dependency, so the runtime that
 * transformers.js imports and the binary the site serves are always the same version. The worker
 * imports `virtual:ort-wasm` for their URLs: emitted assets in a build (relative to the chunk, so
 * the site works under any sub-path), a dev-server route while developing.
 */

export const ORT_WASM_MODULE_ID = 'virtual:ort-wasm';
const DEV_ROUTE = '/@glassbox-ort/';

/** The asyncify build is the one onnxruntime-web/webgpu loads: it carries both the WASM and WebGPU providers. */
const FACTORY_FILE = 'ort-wasm-simd-threaded.asyncify.mjs';
const BINARY_FILE = 'ort-wasm-simd-threaded.asyncify.wasm';

export interface OrtWasmFiles {
  factory: string;
  binary: string;
  version: string;
}

/** Finds the ONNX Runtime Web files that the installed @huggingface/transformers resolves to. */
export function locateOrtWasm(projectRoot: string): OrtWasmFiles {
  const fromProject = createRequire(path.join(projectRoot, 'package.json'));
  const fromTransformers = createRequire(fromProject.resolve('@huggingface/transformers'));
  const factory = fromTransformers.resolve(`onnxruntime-web/${FACTORY_FILE}`);
  const binary = fromTransformers.resolve(`onnxruntime-web/${BINARY_FILE}`);
  const packageJson = path.join(path.dirname(binary), '..', 'package.json');
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  return { factory, binary, version };
}

export function ortWasm(): Plugin {
  let version = '';
  return servedFiles({
    name: 'glassbox:ort-wasm',
    moduleId: ORT_WASM_MODULE_ID,
    devRoute: DEV_ROUTE,
    locate(projectRoot) {
      const files = locateOrtWasm(projectRoot);
      version = files.version;
      return { [FACTORY_FILE]: files.factory, [BINARY_FILE]: files.binary };
    },
    module: (urls) =>
      [
        `export const ortFactoryUrl = ${urls[FACTORY_FILE]};`,
        `export const ortBinaryUrl = ${urls[BINARY_FILE]};`,
        `export const ortWebVersion = ${JSON.stringify(version)};`,
      ].join('\n'),
  });
}
