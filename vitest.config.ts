import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Native backends are driven through child hosts; forks keep a stray abort
    // from taking the whole runner down with it.
    pool: 'forks',
    // One more fork than cores (vitest's default is one fewer): many tests wait on the
    // processes they start (valgrind, wrappers, the CLI). On 2 cores: 14 min -> 9.4 min.
    maxWorkers: availableParallelism() + 1,
    testTimeout: 120_000,
    hookTimeout: 300_000,
    coverage: {
      provider: 'v8',
      // Also the processes the tests start: `npm test` runs vitest through scripts/coverage.ts, which merges them in.
      include: ['api/**/*.ts', 'model/**/*.ts', 'cli/**/*.ts', 'harness/**/*.ts', 'backends/**/*.ts', 'vectors/**/*.ts', 'reports/**/*.ts'],
      reporter: ['text-summary', 'text'],
      reportOnFailure: true,
    },
  },
});
