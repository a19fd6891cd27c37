#!/usr/bin/env node
// The installed package runs the compiled JavaScript in dist/ (`npm run build`,
// run by `npm pack` through prepack). A checkout has the TypeScript sources and
// runs them through tsx (a devDependency), so there is no build step between an
// edit and a run. The sources decide: the package ships none.
import { existsSync } from 'node:fs';

const source = new URL('../cli/main.ts', import.meta.url);
let main;
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(source.href));
} else {
  ({ main } = await import('../dist/cli/main.js'));
}
process.exitCode = await main(process.argv.slice(2));
