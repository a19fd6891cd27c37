//! Native timing for the benchmark command: runs one operation `iters` times
//! on fixed inputs and returns the total wall time in nanoseconds.

use crate::dsa::{self, Msg};
use crate::kem;
use std::hint::black_box;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

pub const PQC_BENCH_KEM_KEYGEN: u32 = 1;
pub const PQC_BENCH_KEM_ENCAPS: u32 = 2;
pub const PQC_BENCH_KEM_DECAPS: u32 = 3;
pub const PQC_BENCH_DSA_KEYGEN: u32 = 4;
pub const PQC_BENCH_DSA_SIGN: u32 = 5;
pub const PQC_BENCH_DSA_VERIFY: u32 = 6;

fn time(iters: u32, mut f: impl FnMut() -> bool) -> u64 {
    let t0 = Instant::now();
    for _ in 0..iters {
        if !black_box(f()) {
            return 0;
        }
    }
    u64::try_from(t0.elapsed().as_nanos()).unwrap_or(u64::MAX).max(1)
}

fn bench(op: u32, ps: u32, iters: u32) -> u64 {
    let seed = [7u8; 32];
    let msg = [0x42u8; 32];
    match op {
        PQC_BENCH_KEM_KEYGEN => time(iters, || kem::keygen_bytes(ps, &seed, &seed).is_ok()),
        PQC_BENCH_KEM_ENCAPS | PQC_BENCH_KEM_DECAPS => {
            let Ok((ek, dk)) = kem::keygen_bytes(ps, &seed, &seed) else { return 0 };
            let Ok((c, _)) = kem::encaps_bytes(ps, &ek, &seed) else { return 0 };
            if op == PQC_BENCH_KEM_ENCAPS {
                time(iters, || kem::encaps_bytes(ps, &ek, &seed).is_ok())
            } else {
                time(iters, || kem::decaps_bytes(ps, &dk, &c).is_ok())
            }
        }
        PQC_BENCH_DSA_KEYGEN => time(iters, || dsa::keygen_bytes(ps, &seed).is_ok()),
        PQC_BENCH_DSA_SIGN | PQC_BENCH_DSA_VERIFY => {
            let Ok((pk, sk)) = dsa::keygen_bytes(ps, &seed) else { return 0 };
            let m = Msg::Pure { msg: &msg, ctx: &[] };
            let Ok(sig) = dsa::sign_bytes(ps, &sk, &m, &[0u8; 32]) else { return 0 };
            if op == PQC_BENCH_DSA_SIGN {
                time(iters, || dsa::sign_bytes(ps, &sk, &m, &[0u8; 32]).is_ok())
            } else {
                time(iters, || dsa::verify_bytes(ps, &pk, &m, &sig).is_ok())
            }
        }
        _ => 0,
    }
}

/// Total nanoseconds for `iters` runs of `op` (PQC_BENCH_*) on `ps`; 0 for an
/// unknown op or parameter set, or if the operation failed.
#[no_mangle]
pub extern "C" fn pqc_bench_ns(op: u32, ps: u32, iters: u32) -> u64 {
    crate::abi::quiet_panics();
    catch_unwind(AssertUnwindSafe(|| bench(op, ps, iters))).unwrap_or(0)
}
