import { createReadStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Plugin } from 'vite';

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
const RESOLVED_ID = `\0${ORT_WASM_MODULE_ID}`;
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

const CONTENT_TYPES: Record<string, string> = {
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
};

export function ortWasm(): Plugin {
  let files: OrtWasmFiles;
  let isBuild = false;
  return {
    name: 'glassbox:ort-wasm',
    configResolved(config) {
      files = locateOrtWasm(config.root);
      isBuild = config.command === 'build';
    },
    resolveId(id) {
      return id === ORT_WASM_MODULE_ID ? RESOLVED_ID : undefined;
    },
    load(id) {
      if (id !== RESOLVED_ID) return undefined;
      const version = `export const ortWebVersion = ${JSON.stringify(files.version)};`;
      if (!isBuild) {
        const url = (file: string) => `new URL(${JSON.stringify(DEV_ROUTE + file)}, self.location.origin).href`;
        return [
          `export const ortFactoryUrl = ${url(FACTORY_FILE)};`,
          `export const ortBinaryUrl = ${url(BINARY_FILE)};`,
          version,
        ].join('\n');
      }
      const emit = (file: string, source: string) =>
        this.emitFile({ type: 'asset', name: file, source: readFileSync(source) });
      const factoryRef = emit(FACTORY_FILE, files.factory);
      const binaryRef = emit(BINARY_FILE, files.binary);
      return [
        `export const ortFactoryUrl = import.meta.ROLLUP_FILE_URL_${factoryRef};`,
        `export const ortBinaryUrl = import.meta.ROLLUP_FILE_URL_${binaryRef};`,
        version,
      ].join('\n');
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const pathname = req.url?.split('?')[0] ?? '';
        if (!pathname.startsWith(DEV_ROUTE)) return next();
        const name = pathname.slice(DEV_ROUTE.length);
        const source = name === FACTORY_FILE ? files.factory : name === BINARY_FILE ? files.binary : undefined;
        if (!source) return next();
        // This route runs before Vite's own header handling; ONNX Runtime's thread workers load
        // the factory script, and under COEP a worker script needs the headers itself.
        for (const [name, value] of Object.entries(server.config.server.headers ?? {})) {
          if (value !== undefined) res.setHeader(name, value);
        }
        res.setHeader('Content-Type', CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream');
        createReadStream(source).pipe(res);
      });
    },
  };
}
