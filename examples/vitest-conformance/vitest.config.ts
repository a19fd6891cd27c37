import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The suites' cases read their vector files while vitest collects the tests.
    hookTimeout: 120_000,
  },
});
