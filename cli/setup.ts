// `pqc-harness setup [--asan]`: builds the native parts the native backends and
// the memory-check hosts load: the Rust cdylib (native/), liboqs (from the C
// sources in the crates.io crate oqs-sys), the valgrind shim and the fault
// fixture; --asan adds the AddressSanitizer build of the cdylib. It runs
// scripts/setup.sh (idempotent: each step is skipped when its output is up to
// date) in the package folder.
//
// Where the outputs go: the package folder itself (build/, target/, .cache/),
// so the paths are the same in a checkout and in node_modules/pqc-harness, a
// reinstall (a new version) starts clean instead of loading a library built
// from other sources, and removing the package removes them. A run never
// starts a compiler: a backend whose library is missing fails at open and
// names this command.

import { spawn, spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { COMPILED, PACKAGE_ROOT, packagePath } from '../model/package.ts';
import { parse } from './args.ts';

export const SETUP_USAGE = 'pqc-harness setup [--asan]           build the native parts (Rust cdylib, liboqs, valgrind shim, fault fixture) in the package folder';

/** What each step needs, said before anything is built. */
const TOOLCHAIN = [
  { tool: 'bash', needs: 'running scripts/setup.sh' },
  { tool: 'cargo', needs: "the Rust cdylib behind `rust`, `python` and `json-abi` (Rust >= 1.87), and fetching liboqs's C sources (crate oqs-sys)" },
  { tool: 'cmake', needs: 'building liboqs (`liboqs`)' },
  { tool: 'ninja', needs: 'building liboqs (`liboqs`)' },
  { tool: 'gcc', needs: 'liboqs, the valgrind shim (`--host valgrind`) and the fault fixture (`selftest faults`); its libasan for `--host asan`' },
] as const;

function has(tool: string): boolean {
  const r = spawnSync(tool, ['--version'], { stdio: 'ignore' });
  return !r.error;
}

export function missingToolchain(): { tool: string; needs: string }[] {
  return TOOLCHAIN.filter((t) => !has(t.tool));
}

function writable(dir: string): boolean {
  const probe = `${dir}/.pqc-harness-setup-probe-${process.pid}`;
  try {
    writeFileSync(probe, '');
    rmSync(probe);
    return true;
  } catch {
    return false;
  }
}

export async function cmdSetup(args: string[]): Promise<number> {
  const { values } = parse(args, { asan: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } });
  if (values.help) {
    console.log(SETUP_USAGE);
    return 0;
  }
  const missing = missingToolchain();
  if (missing.length) {
    console.error(`pqc-harness setup: missing toolchain, nothing built:\n${missing.map((m) => `  ${m.tool}: needed for ${m.needs}`).join('\n')}`);
    console.error('Install them (Debian: apt-get install cmake ninja-build gcc; Rust from rustup or your distribution) and run setup again.');
    return 1;
  }
  if (!writable(PACKAGE_ROOT)) {
    console.error(`pqc-harness setup: the package folder ${PACKAGE_ROOT} is not writable. Install pqc-harness in your project (npm i -D) rather than globally, or build the libraries yourself and set PQC_RUST_LIB / PQC_LIBOQS.`);
    return 1;
  }
  console.error(`pqc-harness setup: building the native parts in ${PACKAGE_ROOT} (${COMPILED ? 'installed package' : 'checkout'}); the first build takes a few minutes (liboqs about 90 s, the Rust cdylib about a minute${values.asan ? ', its ASan build about 2 minutes more' : ''})`);
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn('bash', [packagePath('scripts/setup.sh'), ...(values.asan ? ['--asan'] : [])], { cwd: PACKAGE_ROOT, stdio: 'inherit' });
    child.on('error', () => resolve(null));
    child.on('close', (c) => resolve(c));
  });
  if (code !== 0) {
    console.error(`pqc-harness setup: scripts/setup.sh failed (exit ${code ?? 'unknown'}); its output above names the step`);
    return 1;
  }
  console.error('pqc-harness setup: done');
  return 0;
}
