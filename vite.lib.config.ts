import { cp } from 'node:fs/promises';
import path from 'node:path';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';
import { ortWasm } from './scripts/vite-plugin-ort-wasm';
import { tfjsWasm } from './scripts/vite-plugin-tfjs-wasm';

/**
 * The embeddable build (`npm run build:lib`): one ES module, glassbox-classifier.js, that defines
 * <glassbox-classifier>, with its worker and the WebAssembly binaries beside it in assets/ and the
 * shipped models in models/. Every file is found relative to the module (new URL(..., import.meta.url)),
 * so the folder can be copied to any path of any site. Kept apart from vite.config.ts, which builds
 * the page (and its PWA); the module resolution and the WASM plugins are the same.
 */
export default defineConfig({
  base: './',
  // The page's public/ (models, PWA files) is not the library's; shippedModels() copies the models.
  publicDir: false,
  resolve: {
    // As in vite.config.ts: the ortWasm plugin serves ONNX Runtime's loader and binary itself.
    conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions],
  },
  plugins: [ortWasm(), tfjsWasm(), shippedModels()],
  worker: {
    format: 'es',
    plugins: () => [ortWasm(), tfjsWasm()],
  },
  build: {
    target: 'es2022',
    outDir: 'dist-lib',
    emptyOutDir: true,
    lib: {
      entry: 'src/element.ts',
      formats: ['es'],
      fileName: () => 'glassbox-classifier.js',
    },
    rolldownOptions: {
      // One module: the element's implementation, imported lazily by the entry, is inlined into it.
      output: { codeSplitting: false },
    },
    // The worker's ML runtime is large by nature and loaded on demand, not on page load.
    chunkSizeWarningLimit: 1500,
  },
});

/** Copies public/models (index.json and one folder per model) into the build's models/. */
function shippedModels(): Plugin {
  let root = '';
  let outDir = '';
  return {
    name: 'glassbox:shipped-models',
    apply: 'build',
    configResolved(config) {
      root = config.root;
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async writeBundle() {
      await cp(path.join(root, 'public', 'models'), path.join(outDir, 'models'), { recursive: true });
    },
  };
}
