// Every environment variable the harness reads, read here and nowhere else.
// README's "Configuration" table lists the same variables (a test keeps them
// in step). Hosts pass some of them to the processes they start (a child host
// learns its library paths this way); the child reads them through this module too.

export interface ConfigVar {
  name: string;
  /** What it does, for README and `--help`. */
  what: string;
}

export const CONFIG_VARS = [
  { name: 'PQC_VECTORS_DIR', what: 'first place to look for the vector files (before ../shared/vectors and the cache)' },
  { name: 'PQC_VECTORS_CACHE', what: 'where `vectors fetch` stores files (default .cache/vectors in the package)' },
  { name: 'PQC_VECTORS_BASE_URL', what: 'base URL `vectors fetch` downloads from (default https://raw.githubusercontent.com)' },
  { name: 'PQC_LIBOQS', what: 'a liboqs.so to use instead of the one set-up builds (same as --liboqs)' },
  { name: 'PQC_RUST_LIB', what: "the Rust cdylib (libpqc_native.so) for `rust` and the python bridges (default: set-up's build)" },
  { name: 'PQC_RUST_ASAN_LIB', what: 'the AddressSanitizer build of the Rust cdylib for `--host asan` (default: the one `npm run setup -- --asan` builds)' },
  { name: 'PQC_PYTHON', what: 'the Python interpreter for the python bridges (default python3)' },
  { name: 'PQC_FAULT_LIB', what: 'the seeded-fault fixture library for `selftest faults` (set by the ASan host for its instrumented build)' },
  { name: 'PQC_VG_MARK', what: 'set by the valgrind host for its child: the shim that brackets every call with markers' },
  { name: 'PQC_CT_MARK', what: "set by the constant-time host (`--host ct`) for its child: the shim that marks each call's secret inputs" },
  { name: 'PQC_KEEP_VG_XML', what: '1: keep the valgrind XML files of a run (for debugging the valgrind host)' },
  { name: 'PQC_PROPS_SEED', what: "tests: the fast-check seed of the Rust ABI fuzz test (default random, printed)" },
  { name: 'PQC_PROPS_RUNS', what: 'tests: runs per function of the Rust ABI fuzz test (default 300)' },
  { name: 'PQC_CHROMIUM', what: 'tests: the Chromium binary for the browser test of the HTML report (default /usr/bin/chromium)' },
  { name: 'NODE_V8_COVERAGE', what: "node's own: a folder where every node process writes its V8 coverage (the harness's own coverage, `npm test`); `run --coverage` hands on the counts it takes" },
  { name: 'CI', what: "set (to anything but '' or 'false'): a test that cannot run here (missing toolchain) fails instead of skipping" },
] as const satisfies readonly ConfigVar[];

export type ConfigVarName = (typeof CONFIG_VARS)[number]['name'];

/** The raw value of one variable ('' counts as unset). */
export function env(name: ConfigVarName): string | undefined {
  const v = process.env[name];
  return v === undefined || v === '' ? undefined : v;
}

/** True in CI: tests that need a toolchain or a real implementation must not skip. */
export function inCI(): boolean {
  const v = env('CI');
  return v !== undefined && v !== 'false' && v !== '0';
}
