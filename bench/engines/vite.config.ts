import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import app from '../../vite.config';

/**
 * The benchmark page, built with the app's resolution and worker settings so the classifier worker
 * and both engines load as they do in the product. The page itself needs none of the app's
 * plugins (no service worker, no WebAssembly files of its own).
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  publicDir: false,
  resolve: app.resolve,
  optimizeDeps: app.optimizeDeps,
  worker: app.worker,
  build: { ...app.build, outDir: 'dist', emptyOutDir: true },
  logLevel: 'warn',
});
