import { fileURLToPath } from 'node:url';
import { mergeConfig, type PluginOption } from 'vite';
import app from '../../vite.config';
import { tfjsWasm } from '../../scripts/vite-plugin-tfjs-wasm';

/** The benchmark page, built with the app's own configuration so both engines load as they do in the product. */
const appWorkerPlugins = (): PluginOption[] => app.worker?.plugins?.() ?? [];

export default mergeConfig(
  { ...app, worker: undefined },
  {
    root: fileURLToPath(new URL('.', import.meta.url)),
    publicDir: false,
    plugins: [tfjsWasm()],
    worker: { format: 'es', plugins: () => [...appWorkerPlugins(), tfjsWasm()] },
    build: { outDir: 'dist', emptyOutDir: true },
    logLevel: 'warn',
  },
);
