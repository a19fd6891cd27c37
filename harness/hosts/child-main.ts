// The child host: `node [--import tsx] harness/hosts/child-main.{ts,js} <backend-spec> [--liboqs PATH]`.
// Loads one backend and serves it over the module-wrapper protocol on fd 0/1.
// stdout carries frames only: everything else that would print there goes to stderr.

import { serveModuleWrapper, type ServeHooks } from '../../backends/modulewrapper/server.ts';
import { env } from '../../model/config.ts';

// Keep the real stdout writer for frames, then make every other writer (console.log,
// libraries calling process.stdout.write) land on stderr. Native code writing to
// fd 1 directly is not covered: the parent then reports a ProtocolError naming the text.
const stdout = process.stdout;
const writeFrame = stdout.write.bind(stdout);
const toStderr = process.stderr.write.bind(process.stderr) as typeof stdout.write;
stdout.write = toStderr;
console.log = console.error;
console.info = console.error;
console.debug = console.error;

function parseArgs(argv: string[]): { spec: string; liboqs?: string } {
  let spec: string | undefined;
  let liboqs = env('PQC_LIBOQS');
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--liboqs') liboqs = argv[++i];
    else if (a.startsWith('--liboqs=')) liboqs = a.slice('--liboqs='.length);
    else if (spec === undefined) spec = a;
    else throw new Error(`unexpected argument ${JSON.stringify(a)}`);
  }
  if (!spec) throw new Error('usage: child-main.ts <backend-spec> [--liboqs PATH]');
  return liboqs ? { spec, liboqs } : { spec };
}

/**
 * The valgrind host sets PQC_VG_MARK to build/shim/libvgmark.so (native/shim/vgmark.c):
 * a VALGRIND_PRINTF marker before and after every served command, so the parent
 * attributes each memcheck error to the call in flight.
 */
async function markerHooks(): Promise<ServeHooks> {
  // The constant-time host also sets PQC_CT_MARK: each call's secret inputs are marked (backends/secret-marks.ts).
  const { secretMarks } = await import('../../backends/secret-marks.ts');
  const marks = secretMarks();
  const shim = env('PQC_VG_MARK');
  if (!shim) return { marks };
  const { default: koffi } = await import('koffi');
  const lib = koffi.load(shim);
  const begin = lib.func('void pqc_vg_begin(uint32_t seq, const char *command)') as (seq: number, cmd: string) => void;
  const end = lib.func('uint32_t pqc_vg_end(uint32_t seq, const char *command)') as (seq: number, cmd: string) => number;
  return { before: (seq, cmd) => begin(seq, cmd), after: (seq, cmd) => void end(seq, cmd), marks };
}

async function main(): Promise<void> {
  const { spec, liboqs } = parseArgs(process.argv.slice(2));
  const hooks = await markerHooks();
  const { openBackend, parseSpec } = await import('../../backends/registry.ts');
  const backend = await openBackend(parseSpec(spec), liboqs ? { liboqs } : {});
  await serveModuleWrapper(backend, process.stdin, (b) => {
    writeFrame(b);
  }, hooks);
  await backend.close?.();
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`pqc-harness child host: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(70);
  },
);
