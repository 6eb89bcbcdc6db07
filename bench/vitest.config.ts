import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Runs the explanation-quality benchmark (not a test): one file, no time limit worth the name.
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['bench/explain-quality.ts'],
    environment: 'node',
    testTimeout: 6 * 3600_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
