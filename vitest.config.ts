import { defineConfig } from 'vitest/config';

// Unit and integration tests run in Node; browser behaviour is covered by test/e2e (real Chromium).
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});
