// The cost of the FFI boundary for the `rust` backend: the same op timed
//   native  inside the cdylib: pqc_bench_ns(op, ps, k), a Rust loop of k calls
//           on fixed inputs prepared outside the loop (no FFI per call);
//   ffi     from node through the Backend contract: the async wrapper in
//           backends/rust.ts, per-call output allocation and the koffi call;
//   raw     the bare synchronous koffi call of the buffer ABI with
//           preallocated outputs (the boundary alone, no contract);
// interleaved in one run (see sampleInterleaved), on the same inputs
// (harness/bench/ops.ts follows native/src/bench.rs). ratio = ffi / native.

import { realpathSync } from 'node:fs';
import type { FfiOverhead } from '../../model/bench.ts';
import { DSA, KEM, isKemParam, psArg, type DsaParam, type ParamSet } from '../../model/params.ts';
import { round3, sampleInterleaved, summarize, timed, timedSync, type Sampler } from './measure.ts';
import { BENCH_CTX, BENCH_MSG, BENCH_RND, BENCH_SEED, opsFor, prepareOp, type BenchOp } from './ops.ts';

export interface FfiOptions {
  params: readonly ParamSet[];
  ops: readonly BenchOp[];
  minTimeMs: number;
  rounds?: number;
  /** A libpqc_native.so other than the default (PQC_RUST_LIB, target/release). */
  library?: string;
  progress?: (line: string) => void;
}

/** Aim for samples of about this many µs, so the clock's own cost is noise. */
const TARGET_SAMPLE_US = 200;

export async function measureFfiOverhead(opts: FfiOptions): Promise<FfiOverhead[]> {
  const rust = await import('../../backends/rust.ts');
  const path = realpathSync(rust.resolveRustLibrary(opts.library ? { library: opts.library } : {}));
  const abi = rust.loadBufferAbi(path);
  const backend = await rust.openRustBackend({ library: path });
  const rows: FfiOverhead[] = [];
  try {
    for (const ps of opts.params) {
      for (const op of opsFor(ps)) {
        if (!opts.ops.includes(op)) continue;
        opts.progress?.(`bench: ffi rust ${ps} ${op}`);
        // Calibrate the batch from one native call.
        const probe = Number(rust.benchNs(abi, op, ps, 1));
        if (probe === 0) throw new Error(`pqc_bench_ns(${op}, ${ps}) returned 0 (unknown op or failure)`);
        const k = Math.min(1000, Math.max(1, Math.round(TARGET_SAMPLE_US / (probe / 1000))));
        const native: Sampler = () => {
          const ns = Number(rust.benchNs(abi, op, ps, k));
          if (ns === 0) throw new Error(`pqc_bench_ns(${op}, ${ps}, ${k}) failed`);
          return ns / 1000 / k;
        };
        const viaContract = timed(await prepareOp(backend, ps, op), k);
        const bare = timedSync(await rawCall(abi, ps, op, backend), k);
        const [n, f, r] = await sampleInterleaved([native, viaContract, bare], { minTimeMs: opts.minTimeMs, rounds: opts.rounds, minSamples: 10 });
        const sn = summarize(n!);
        const sf = summarize(f!);
        const sr = summarize(r!);
        rows.push({
          backend: 'rust',
          parameterSet: ps,
          op,
          nativeUs: round3(sn.median),
          ffiUs: round3(sf.median),
          ratio: round3(sf.median / sn.median),
          rawFfiUs: round3(sr.median),
          rawRatio: round3(sr.median / sn.median),
          n: Math.min(sn.n, sf.n, sr.n),
        });
      }
    }
  } finally {
    await backend.close?.();
  }
  return rows;
}

type Abi = Awaited<ReturnType<typeof import('../../backends/rust.ts').loadBufferAbi>>;

/** The bare koffi call for an op, outputs preallocated, inputs as pqc_bench_ns has them. */
async function rawCall(abi: Abi, ps: ParamSet, op: BenchOp, backend: import('../../model/contract.ts').Backend): Promise<() => unknown> {
  const n = psArg(ps);
  const check = (st: unknown) => {
    if (st !== 0) throw new Error(`rust ${ps} ${op}: status ${String(st)}`);
  };
  if (isKemParam(ps)) {
    const s = KEM[ps];
    const ek = new Uint8Array(s.ek);
    const dk = new Uint8Array(s.dk);
    const c = new Uint8Array(s.c);
    const k = new Uint8Array(s.ss);
    const seed = BENCH_SEED;
    if (op === 'kem.keygen') return () => check(abi.pqc_kem_keygen(n, seed, 32, seed, 32, ek, ek.length, dk, dk.length));
    const kp = await backend.kem!.keygen(ps, seed, seed);
    if (op === 'kem.encaps') return () => check(abi.pqc_kem_encaps(n, kp.ek, kp.ek.length, seed, 32, c, c.length, k, k.length));
    const enc = await backend.kem!.encaps(ps, kp.ek, seed);
    return () => check(abi.pqc_kem_decaps(n, kp.dk, kp.dk.length, enc.c, enc.c.length, k, k.length));
  }
  const s = DSA[ps as DsaParam];
  const pk = new Uint8Array(s.pk);
  const sk = new Uint8Array(s.sk);
  const sig = new Uint8Array(s.sig);
  if (op === 'dsa.keygen') return () => check(abi.pqc_dsa_keygen(n, BENCH_SEED, 32, pk, pk.length, sk, sk.length));
  const kp = await backend.dsa!.keygen(ps as DsaParam, BENCH_SEED);
  if (op === 'dsa.sign') {
    return () => check(abi.pqc_dsa_sign(n, kp.sk, kp.sk.length, BENCH_MSG, BENCH_MSG.length, BENCH_CTX, 0, BENCH_RND, 32, sig, sig.length));
  }
  const good = await backend.dsa!.sign(ps as DsaParam, kp.sk, BENCH_MSG, BENCH_CTX, BENCH_RND);
  return () => check(abi.pqc_dsa_verify(n, kp.pk, kp.pk.length, BENCH_MSG, BENCH_MSG.length, BENCH_CTX, 0, good, good.length));
}
