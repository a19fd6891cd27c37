// `npm run test:quick`: the developer loop. Every test file but the ones that
// run memory checkers, build or run the fleet, pack and install the
// package, or time conformance runs; no coverage. `npm test` (what CI runs) runs them all.
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';

/** The slow files, each for one reason. */
export const SLOW_FILES = [
  'tests/ct.test.ts', // memcheck with origin tracking
  'tests/memcheck.test.ts', // valgrind and ASan over the fault matrix and rust
  'tests/seedbug.test.ts', // the seed bug under valgrind and ASan
  'tests/foreign-wrappers.test.ts', // Go's FIPS module, built and run over every file
  'tests/fleet-*.test.ts', // the fleet's wrappers, built and run
  'tests/vitest-integration.test.ts', // npm pack, an install, vitest runs
  'tests/package.test.ts', // npm pack and an install
  'tests/bench-conformance.test.ts', // a small bench --conformance: a minute of conformance runs
];

export default mergeConfig(base, defineConfig({ test: { exclude: SLOW_FILES } }));
