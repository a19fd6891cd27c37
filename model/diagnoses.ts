// Known FFI mistakes, each recognised from its signature in a cause's findings,
// crash stderr and backend descriptions, with what happened and the fix; and,
// for a mistake in the binding (not the library), whether the library's answers
// can be trusted: another binding of the same library file passed the same cases.
//
// The signatures were measured on this machine class (glibc 2.36, CPython 3.11,
// valgrind 3.19, libpqc_native built by `npm run setup`; the twin bridge is
// backends/python/pqc_bridge_seedbug.py):
// - natively the seed's ctypes bug aborts with `munmap_chunk(): invalid pointer`
//   (SIGABRT) on every JSON call; faulthandler's stack ends in the bridge's
//   free call (`take`);
// - under valgrind (/usr/bin/python3, PYTHONMALLOC=malloc) it does not abort:
//   memcheck reports `Invalid free() / delete / delete[] / realloc()` with the
//   free stack `free ← (libffi) ← (libffi) ← ffi_call ← (_ctypes…so)` (the
//   Rust pqc_free_string is a tail call to free at -O2, so it is not a frame),
//   and `Address … is 32 bytes inside a block of size N alloc'd` by
//   `malloc ← PyBytes_FromStringAndSize ← (_ctypes…so)`. At exit the lost
//   owned string shows as a definite leak from `CString::_from_vec_unchecked ←
//   … ← pqc_native::json_abi::to_c` (ctypes copied it and dropped the pointer).
//   Rust's CString drop also zeroes the first byte of the freed "string", so
//   the bridge then misreads its own answer (json.loads sees UTF-16).

import type { BackendEntry, CaseResult, Results } from './results.ts';
import type { Finding, FindingKind, Frame } from './findings.ts';

/** Rust's message when a panic reaches an `extern "C"` function (Rust >= 1.81 aborts there). */
export const PANIC_UNWIND = /panic in a function that cannot unwind|non-unwinding panic|panicked while processing panic|failed to initiate panic/;

/** Failing cases that share one cause, as the rules see them (causes.ts makes them). */
export interface CaseGroup {
  /** What the cases share, in words. */
  title: string;
  cases: CaseResult[];
}

export interface Diagnosis {
  id: string;
  /** The mistake, in plain words. */
  title: string;
  /** What happened, in plain words. */
  explanation: string;
  fix: string;
  /** A mistake in the binding (the glue), not in the library it binds. */
  bindingBug: boolean;
  /** What in the results matched (for the reader who wants to check). */
  evidence: string[];
}

interface Ctx {
  cause: CaseGroup;
  backends: Map<string, BackendEntry>;
}

/** Every finding of a cause's cases (crash findings were parsed from stderr when the crash happened). */
const allFindings = (c: CaseGroup): Finding[] => c.cases.flatMap((x) => x.findings);
const allStderr = (c: CaseGroup): string => c.cases.map((x) => x.crash?.stderr ?? '').join('\n');
const frameText = (f: Finding): string => f.frames.map((fr) => `${fr.fn} ${fr.obj ?? ''} ${fr.file ?? ''}`).join('\n');

function isPythonSide(ctx: Ctx): boolean {
  if (allFindings(ctx.cause).some((f) => f.frames.some((fr) => fr.file?.endsWith('.py')))) return true;
  if (/Fatal Python error|Traceback \(most recent call last\)/.test(allStderr(ctx.cause))) return true;
  return ctx.cause.cases.some((x) => {
    const b = ctx.backends.get(x.backend);
    return b?.kind === 'python' || /python/i.test(`${x.backend} ${b?.name ?? ''} ${(b?.notes ?? []).join(' ')}`);
  });
}

function isKoffiSide(ctx: Ctx): boolean {
  if (allFindings(ctx.cause).some((f) => /koffi/.test(frameText(f)))) return true;
  return ctx.cause.cases.some((x) => {
    const b = ctx.backends.get(x.backend);
    return /koffi/i.test(`${b?.name ?? ''} ${(b?.notes ?? []).join(' ')}`);
  });
}

const INVALID_FREE_KINDS: readonly FindingKind[] = ['invalid-free'];
/** An owned string made by the library: Rust CString, or C strdup/malloc'd text. */
const OWNED_STRING_ALLOC = /CString|into_raw|json_abi|strdup|asprintf/;
const RUST_OR_CUSTOM_ALLOCATOR = /__rust_dealloc|__rdl_dealloc|__rg_dealloc|\bmi_free|\bje_|\bsdallocx|\btc_free|GlobalAlloc/;

interface Rule {
  id: string;
  title: string;
  explanation: string;
  fix: string;
  bindingBug: boolean;
  /** Evidence lines when the cause matches, else null. */
  match(ctx: Ctx): string[] | null;
}

export const DIAGNOSES: readonly Rule[] = [
  {
    id: 'ctypes-c_char_p-owned-free',
    title: 'ctypes `restype = c_char_p` on a function that returns an owned heap string, then the converted bytes passed back to the library\'s free function',
    explanation:
      'ctypes copied the returned text into a new Python bytes object (PyBytes_FromStringAndSize) and dropped the library\'s pointer, which leaks. '
      + 'The bytes object was then handed to the free function, which freed an address inside a CPython object (32 bytes past the start of its malloc block). '
      + 'malloc never returned that address, so glibc aborts (`munmap_chunk(): invalid pointer`, `free(): invalid pointer` or `free(): invalid size`). '
      + 'The crash comes after the library has computed and returned its answer.',
    fix:
      'Declare `restype = ctypes.c_void_p` (keep the pointer), copy the text with `ctypes.string_at(p)`, then call the library\'s free function once with that same pointer (`argtypes = [ctypes.c_void_p]`). '
      + 'Keep `c_char_p` only for borrowed strings the caller must never free. Working example: backends/python/pqc_bridge.py.',
    bindingBug: true,
    match(ctx) {
      const ev: string[] = [];
      for (const f of allFindings(ctx.cause)) {
        if (!INVALID_FREE_KINDS.includes(f.kind)) continue;
        const ft = frameText(f);
        if (f.tool === 'glibc' && isPythonSide(ctx)) ev.push(`glibc: ${f.message.split(':').slice(0, 2).join(':')} in a Python process`);
        else if ((f.tool === 'valgrind' || f.tool === 'asan') && (/PyBytes_FromStringAndSize/.test(`${f.message}\n${ft}`) || (/inside (?:a block|of \d+-byte region)/.test(f.message) && /_ctypes|ffi_call/.test(ft)))) {
          ev.push(`${f.tool}: invalid free of an address inside a bytes object made by ctypes (${/PyBytes_FromStringAndSize/.test(`${f.message}\n${ft}`) ? 'PyBytes_FromStringAndSize' : 'freed from ffi_call in _ctypes'})`);
        }
        if (ev.length) break;
      }
      if (!ev.length) return null;
      const py = allFindings(ctx.cause).find((f) => f.frames[0]?.file?.endsWith('.py'));
      if (py) {
        const fr = py.frames[0]!;
        ev.push(`the bad free is called at ${where(fr)}${fr.source ? `: \`${fr.source}\`` : ''}`);
      }
      return ev;
    },
  },
  {
    id: 'ctypes-c_char_p-owned-leak',
    title: 'ctypes `restype = c_char_p` on a function that returns an owned heap string: the string leaks',
    explanation: 'ctypes copied the text into a Python bytes object and dropped the library\'s pointer, so nothing can ever free it: one leaked string per call.',
    fix: 'Declare `restype = ctypes.c_void_p`, copy with `ctypes.string_at(p)`, then free `p` with the library\'s free function, exactly once.',
    bindingBug: true,
    match(ctx) {
      // The leak stack can be cut before ffi_call (the Rust frames alone are ~20 deep): a Python backend is enough.
      const f = allFindings(ctx.cause).find((x) => x.kind === 'leak' && OWNED_STRING_ALLOC.test(frameText(x)) && (/_ctypes|ffi_call/.test(frameText(x)) || isPythonSide(ctx)));
      return f ? [`${f.tool}: definite leak of a library string returned through ctypes`] : null;
    },
  },
  {
    id: 'koffi-js-string-free',
    title: 'A JS string passed to the library\'s free function (an owned string received as koffi `str`, then given back)',
    explanation:
      'koffi turned the returned `char *` into a JS string and dropped the pointer (a leak). Passing that JS string back made koffi build a temporary C copy on its own call stack, '
      + 'so the library freed memory malloc never returned: SIGSEGV or an invalid free inside free() called from koffi.',
    fix:
      'Receive owned strings with a disposable type: `koffi.disposable(\'OwnedStr\', \'str\', lib.func(\'void pqc_free_string(void *)\'))` as the return type, '
      + 'or return `void *`, decode with `koffi.decode(p, \'char\', -1)`, then free `p`. Never pass a JS string to a free function. Working example: backends/json-abi.ts.',
    bindingBug: true,
    match(ctx) {
      const f = allFindings(ctx.cause).find((x) => (x.kind === 'invalid-free' || (x.tool === 'signal' && /SIGSEGV/.test(x.message))) && /koffi/.test(frameText(x)));
      if (f) return [`${f.tool}: ${f.kind} with koffi on the stack`];
      const segv = ctx.cause.cases.some((x) => x.crash?.signal === 'SIGSEGV');
      if (segv && isKoffiSide(ctx) && /free/.test(`${allStderr(ctx.cause)}\n${ctx.cause.title}`)) return ['SIGSEGV in a koffi-bound free call'];
      return null;
    },
  },
  {
    id: 'koffi-str-owned-leak',
    title: 'An owned string returned through koffi as `str` / `const char *`: the string leaks',
    explanation: 'koffi copied the text into a JS string and dropped the pointer; the library\'s string is never freed (one leak per call).',
    fix: 'Declare the return as a koffi disposable type bound to the library\'s own free function (`koffi.disposable(null, \'str\', pqc_free_string)`), or return `void *`, decode, then free.',
    bindingBug: true,
    match(ctx) {
      const f = allFindings(ctx.cause).find((x) => x.kind === 'leak' && /koffi/.test(frameText(x)) && OWNED_STRING_ALLOC.test(frameText(x)));
      return f ? [`${f.tool}: definite leak of a library string returned through koffi`] : null;
    },
  },
  {
    id: 'wrong-allocator',
    title: 'Memory freed by a different allocator than the one that allocated it',
    explanation:
      'A pointer from one allocator (a Rust #[global_allocator], operator new, a library\'s private heap) was given to another one\'s free (libc free(), koffi `str!`), '
      + 'or the reverse. It works only while both happen to be malloc; otherwise it is an invalid free or silent heap corruption.',
    fix: 'Give every pointer back to the function of the library that made it (pqc_free_string for the JSON ABI). Never free library memory with libc free() or koffi `str!` unless the library documents malloc.',
    bindingBug: true,
    match(ctx) {
      const f = allFindings(ctx.cause).find(
        (x) => x.kind === 'mismatched-free' || /alloc-dealloc-mismatch/.test(x.message) || (x.kind === 'invalid-free' && RUST_OR_CUSTOM_ALLOCATOR.test(frameText(x))),
      );
      return f ? [`${f.tool}: ${f.kind}${x(f)}`] : null;
      function x(g: Finding): string {
        const a = g.frames.find((fr) => RUST_OR_CUSTOM_ALLOCATOR.test(fr.fn));
        return a ? ` through ${a.fn}` : '';
      }
    },
  },
  {
    id: 'rust-panic-across-ffi',
    title: 'A Rust panic unwound into an `extern "C"` function and aborted the host process',
    explanation: 'Since Rust 1.81 a panic that reaches an `extern "C"` boundary aborts the process ("panic in a function that cannot unwind"): the caller gets SIGABRT instead of an error code.',
    fix: 'Run the body of every exported function inside `std::panic::catch_unwind` and return an error status for a caught panic (native/ does this for each export); fix the panic itself too.',
    bindingBug: false,
    match(ctx) {
      const f = allFindings(ctx.cause).find((x) => x.message.startsWith('Rust panic'));
      if (f) return [f.message];
      return PANIC_UNWIND.test(allStderr(ctx.cause)) ? ['stderr: panic in a function that cannot unwind'] : null;
    },
  },
];

/** `fn (file:line)` of a frame, with the source text captured at run time when there is one. */
export function where(fr: Frame): string {
  const file = fr.file ?? fr.obj;
  return `${fr.fn}${file ? ` (${file}${fr.line !== undefined ? `:${fr.line}` : ''})` : ''}`;
}

// ---------------------------------------------------------------------------
// Proof: were the library's answers right?

export interface AnswerCheck {
  /** The backend that re-ran the same cases through another binding, if any. */
  backend?: string;
  passed: number;
  of: number;
  /** Same library file (SHA-256) as the backends with the bug. */
  sameLibrary: boolean;
  text: string;
}

export function checkAnswers(cause: CaseGroup, results: Results, backends: Map<string, BackendEntry>): AnswerCheck {
  const buggy = new Set(cause.cases.map((c) => c.backend));
  const libs = new Set([...buggy].map((b) => backends.get(b)?.library?.sha256).filter((s): s is string => !!s));
  const ids = new Set(cause.cases.map((c) => c.id));
  const of = ids.size;
  let best: AnswerCheck | undefined;
  for (const b of results.backends) {
    if (buggy.has(b.id)) continue;
    const same = !!b.library?.sha256 && libs.has(b.library.sha256);
    const passed = new Set(results.cases.filter((c) => c.backend === b.id && ids.has(c.id) && c.status === 'pass' && c.findings.length === 0).map((c) => c.id)).size;
    if (!passed) continue;
    const cand = { backend: b.id, passed, of, sameLibrary: same, text: '' };
    if (!best || Number(cand.sameLibrary) > Number(best.sameLibrary) || (cand.sameLibrary === best.sameLibrary && cand.passed > best.passed)) best = cand;
  }
  if (!best) {
    return {
      passed: 0,
      of,
      sameLibrary: false,
      text: 'No other binding of this library ran these cases in this run, so its answers are unchecked: add a correct binding (for the Python bridge: --backend python) to the run.',
    };
  }
  const lib = [...libs][0];
  if (best.sameLibrary && best.passed === of) {
    best.text = `The library's answers are right: through the correct binding \`${best.backend}\` (same library file, sha256 ${lib?.slice(0, 12)}…) the same ${of} case(s) pass. The bug is in the binding, not the crypto.`;
  } else if (best.sameLibrary) {
    best.text = `Through the binding \`${best.backend}\` (same library file) ${best.passed} of the same ${of} case(s) pass; the others need a look at the library itself.`;
  } else {
    best.text = `\`${best.backend}\` (a different implementation) passes ${best.passed} of the same ${of} case(s), so the vectors are fine; no binding of the same library file ran them, so the library's own answers are unchecked.`;
  }
  return best;
}
