#!/usr/bin/env node
// The harness is TypeScript run through tsx, so there is no build step between
// a clone and a run.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
