//! Status codes, the panic guard, and the buffer checks every export shares.

use std::ffi::c_char;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

pub const PQC_OK: i32 = 0;
pub const PQC_ERR_LENGTH: i32 = 1;
pub const PQC_ERR_INVALID_KEY: i32 = 2;
pub const PQC_ERR_VERIFY: i32 = 3;
pub const PQC_ERR_UNSUPPORTED: i32 = 4;
pub const PQC_ERR_ARGUMENT: i32 = 5;
pub const PQC_ERR_INTERNAL: i32 = 6;

/// A status other than `PQC_OK`.
pub(crate) type Status = i32;
pub(crate) type Res<T> = Result<T, Status>;

/// Replaces std's default panic hook (a backtrace per panic when
/// RUST_BACKTRACE is set) with one stderr line: every panic inside this library
/// is caught at the boundary and reported as a status code, so the line is a
/// diagnostic, not a crash. Installed once, on the first guarded call.
pub(crate) fn quiet_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            eprintln!("pqc_native: caught panic (returned as a status code): {info}");
        }));
    });
}

/// Runs an export's body; a panic becomes `PQC_ERR_INTERNAL` and never unwinds
/// into the caller.
pub(crate) fn guard(f: impl FnOnce() -> Res<()>) -> i32 {
    quiet_panics();
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => PQC_OK,
        Ok(Err(status)) => status,
        Err(_) => PQC_ERR_INTERNAL,
    }
}

/// Runs a decoding step that the wrapped crate documents as able to panic on
/// malformed input: a panic there means the key is invalid, not that we broke.
pub(crate) fn decode_or_invalid<T>(f: impl FnOnce() -> T) -> Res<T> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|_| PQC_ERR_INVALID_KEY)
}

/// Fixed-length check, done for every buffer before any buffer is read.
pub(crate) fn want_len(len: usize, want: usize) -> Res<()> {
    if len == want {
        Ok(())
    } else {
        Err(PQC_ERR_LENGTH)
    }
}

/// A pointer that must be non-null when its length is non-zero.
pub(crate) fn want_ptr<T>(p: *const T, len: usize) -> Res<()> {
    if len != 0 && p.is_null() {
        return Err(PQC_ERR_ARGUMENT);
    }
    if len > isize::MAX as usize {
        return Err(PQC_ERR_ARGUMENT);
    }
    Ok(())
}

/// Borrows an input buffer. Call only after `want_len`/`want_ptr` passed for it.
///
/// # Safety
/// `p` must point to `len` readable bytes when `len != 0`.
pub(crate) unsafe fn input<'a>(p: *const u8, len: usize) -> Res<&'a [u8]> {
    want_ptr(p, len)?;
    if len == 0 {
        return Ok(&[]);
    }
    // SAFETY: non-null, caller promises `len` readable bytes.
    Ok(unsafe { std::slice::from_raw_parts(p, len) })
}

/// An output buffer, written once at the end through a raw pointer (so it may
/// even overlap an input that is no longer in use).
pub(crate) struct Out {
    p: *mut u8,
    len: usize,
}

impl Out {
    /// Checks an output buffer's length (exactly `want` bytes). Its pointer is
    /// checked separately, by `ptr`, once every length has passed.
    pub(crate) fn new(p: *mut u8, len: usize, want: usize) -> Res<Out> {
        want_len(len, want)?;
        Ok(Out { p, len })
    }

    /// The pointer check (non-null when the length is non-zero).
    pub(crate) fn ptr(&self) -> Res<()> {
        want_ptr(self.p, self.len)
    }

    /// # Safety
    /// `self.p` must point to `self.len` writable bytes.
    pub(crate) unsafe fn write(&self, data: &[u8]) -> Res<()> {
        self.ptr()?;
        if data.len() != self.len {
            return Err(PQC_ERR_INTERNAL);
        }
        if self.len != 0 {
            // SAFETY: checked non-null and length; `copy` tolerates overlap.
            unsafe { std::ptr::copy(data.as_ptr(), self.p, self.len) };
        }
        Ok(())
    }
}

/// Sizes of the ML-KEM parameter sets (FIPS 203 Table 3).
#[derive(Clone, Copy)]
pub(crate) struct KemSizes {
    pub ek: usize,
    pub dk: usize,
    pub c: usize,
}
pub(crate) const KEM_SS: usize = 32;
pub(crate) const SEED32: usize = 32;
pub(crate) const MU: usize = 64;
pub(crate) const MAX_CTX: usize = 255;

pub(crate) fn kem_sizes(ps: u32) -> Res<KemSizes> {
    match ps {
        512 => Ok(KemSizes { ek: 800, dk: 1632, c: 768 }),
        768 => Ok(KemSizes { ek: 1184, dk: 2400, c: 1088 }),
        1024 => Ok(KemSizes { ek: 1568, dk: 3168, c: 1568 }),
        _ => Err(PQC_ERR_UNSUPPORTED),
    }
}

/// Sizes of the ML-DSA parameter sets (FIPS 204 Table 2).
#[derive(Clone, Copy)]
pub(crate) struct DsaSizes {
    pub pk: usize,
    pub sk: usize,
    pub sig: usize,
}

pub(crate) fn dsa_sizes(ps: u32) -> Res<DsaSizes> {
    match ps {
        44 => Ok(DsaSizes { pk: 1312, sk: 2560, sig: 2420 }),
        65 => Ok(DsaSizes { pk: 1952, sk: 4032, sig: 3309 }),
        87 => Ok(DsaSizes { pk: 2592, sk: 4896, sig: 4627 }),
        _ => Err(PQC_ERR_UNSUPPORTED),
    }
}

static VERSION: &[u8] = concat!(
    "pqc-native ",
    env!("CARGO_PKG_VERSION"),
    " (ml-kem 0.3.4, ml-dsa 0.1.2)\0"
)
.as_bytes();

/// Static NUL-terminated version string; never free it.
#[no_mangle]
pub extern "C" fn pqc_native_version() -> *const c_char {
    VERSION.as_ptr().cast()
}

/// Writes one size through an optional out-pointer.
unsafe fn put(p: *mut usize, v: usize) {
    if !p.is_null() {
        // SAFETY: caller passes a valid `size_t *` or NULL.
        unsafe { p.write_unaligned(v) };
    }
}

/// ML-KEM sizes for `ps`; NULL out-pointers are skipped.
///
/// # Safety
/// Each non-null pointer must be a writable `size_t`.
#[no_mangle]
pub unsafe extern "C" fn pqc_kem_sizes(ps: u32, ek: *mut usize, dk: *mut usize, c: *mut usize, ss: *mut usize) -> i32 {
    guard(|| {
        let s = kem_sizes(ps)?;
        unsafe {
            put(ek, s.ek);
            put(dk, s.dk);
            put(c, s.c);
            put(ss, KEM_SS);
        }
        Ok(())
    })
}

/// ML-DSA sizes for `ps`; NULL out-pointers are skipped.
///
/// # Safety
/// Each non-null pointer must be a writable `size_t`.
#[no_mangle]
pub unsafe extern "C" fn pqc_dsa_sizes(ps: u32, pk: *mut usize, sk: *mut usize, sig: *mut usize) -> i32 {
    guard(|| {
        let s = dsa_sizes(ps)?;
        unsafe {
            put(pk, s.pk);
            put(sk, s.sk);
            put(sig, s.sig);
        }
        Ok(())
    })
}
