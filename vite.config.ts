import { defaultClientConditions, defineConfig } from 'vite';
import { contentSecurityPolicy } from './scripts/vite-plugin-csp';
import { ortWasm } from './scripts/vite-plugin-ort-wasm';
import { serviceWorker } from './scripts/vite-plugin-service-worker';
import { tfjsWasm } from './scripts/vite-plugin-tfjs-wasm';

/**
 * Cross-origin isolation (COOP + COEP) gives the page SharedArrayBuffer, which ONNX Runtime
 * needs for multi-threaded WebAssembly. Static hosts that do not send these headers still work,
 * with single-threaded WASM (see README).
 */
export const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // Relative asset URLs: dist/ works from any sub-path (https://host/anything/) without a rebuild.
  base: './',
  resolve: {
    // onnxruntime-web's "extern wasm" entry does not embed its WASM loader; the ortWasm plugin
    // serves the loader and the binary from the site instead, so they ship exactly once.
    conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions],
  },
  optimizeDeps: {
    // Pre-bundling would move ONNX Runtime away from the files it loads at run time.
    exclude: ['onnxruntime-web', '@huggingface/transformers'],
  },
  // The service worker (offline PWA) is built after the site, with the site's files as its precache list.
  plugins: [contentSecurityPolicy(), ortWasm(), tfjsWasm(), serviceWorker({ entry: 'src/service-worker/service-worker.ts' })],
  worker: {
    format: 'es',
    plugins: () => [ortWasm(), tfjsWasm()],
  },
  build: {
    target: 'es2022',
    // The worker's ML runtime is large by nature and loaded on demand, not on page load.
    chunkSizeWarningLimit: 1500,
  },
  server: { headers: crossOriginIsolation },
  preview: { headers: crossOriginIsolation },
});
