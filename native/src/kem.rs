//! ML-KEM (FIPS 203) buffer-ABI exports over RustCrypto `ml-kem`.

#![allow(deprecated)] // ml-kem marks the expanded (FIPS-encoded) dk as deprecated; ACVP needs it.

use crate::abi::*;
use ml_kem::{
    kem::{Decapsulate, KeyExport},
    DecapsulationKey, EncapsulationKey, ExpandedKeyEncoding, MlKem1024, MlKem512, MlKem768, B32,
};
use sha3::{Digest, Sha3_256};

/// Binds `$P` to the ml-kem parameter type for `$ps` and evaluates `$body`.
/// (ml-kem's `KemParams` bound is not public, so the bodies are expanded per type.)
macro_rules! with_kem {
    ($ps:expr, $P:ident => $body:expr) => {
        match $ps {
            512 => {
                type $P = MlKem512;
                $body
            }
            768 => {
                type $P = MlKem768;
                $body
            }
            1024 => {
                type $P = MlKem1024;
                $body
            }
            _ => Err(PQC_ERR_UNSUPPORTED),
        }
    };
}

/// KeyGen_internal(d, z) → (ek, dk) as byte vectors; dk in the FIPS 203 encoding.
pub(crate) fn keygen_bytes(ps: u32, d: &[u8], z: &[u8]) -> Res<(Vec<u8>, Vec<u8>)> {
    let mut seed = [0u8; 64];
    seed[..32].copy_from_slice(d);
    seed[32..].copy_from_slice(z);
    with_kem!(ps, P => {
        let dk = DecapsulationKey::<P>::from_seed(seed.into());
        let ek = dk.encapsulation_key().to_bytes().to_vec();
        let dkb = dk.to_expanded_bytes().to_vec();
        Ok((ek, dkb))
    })
}

/// Encaps_internal(ek, m); `INVALID_KEY` when ek fails the §7.2 modulus check.
pub(crate) fn encaps_bytes(ps: u32, ek: &[u8], m: &[u8]) -> Res<(Vec<u8>, Vec<u8>)> {
    let m = B32::try_from(m).map_err(|_| PQC_ERR_LENGTH)?;
    with_kem!(ps, P => {
        let ek = EncapsulationKey::<P>::new(ek.try_into().map_err(|_| PQC_ERR_LENGTH)?)
            .map_err(|_| PQC_ERR_INVALID_KEY)?;
        let (c, k) = ek.encapsulate_deterministic(&m);
        Ok((c.to_vec(), k.to_vec()))
    })
}

/// Decaps(dk, c) with implicit rejection. ml-kem imports an expanded dk only
/// after checking H(ek) and ek's modulus, so an inconsistent dk is `INVALID_KEY`.
pub(crate) fn decaps_bytes(ps: u32, dk: &[u8], c: &[u8]) -> Res<Vec<u8>> {
    with_kem!(ps, P => {
        let dk = DecapsulationKey::<P>::from_expanded_bytes(dk.try_into().map_err(|_| PQC_ERR_LENGTH)?)
            .map_err(|_| PQC_ERR_INVALID_KEY)?;
        let c: &ml_kem::Ciphertext<P> = c.try_into().map_err(|_| PQC_ERR_LENGTH)?;
        Ok(dk.decapsulate(c).to_vec())
    })
}

fn check_ek(ps: u32, ek: &[u8]) -> Res<()> {
    with_kem!(ps, P => {
        EncapsulationKey::<P>::new(ek.try_into().map_err(|_| PQC_ERR_LENGTH)?)
            .map(|_| ())
            .map_err(|_| PQC_ERR_INVALID_KEY)
    })
}

/// FIPS 203 §7.3 hash check: H(dk[384k : 768k+32]) == dk[768k+32 : 768k+64].
fn check_dk(ps: u32, dk: &[u8]) -> Res<()> {
    let s = kem_sizes(ps)?;
    let ek_start = s.dk - s.ek - 64; // = 384k
    let ek = &dk[ek_start..ek_start + s.ek];
    let h = &dk[ek_start + s.ek..ek_start + s.ek + 32];
    if Sha3_256::digest(ek).as_slice() == h {
        Ok(())
    } else {
        Err(PQC_ERR_INVALID_KEY)
    }
}

/// ML-KEM.KeyGen_internal(d, z).
///
/// # Safety
/// Pointers must be valid for their lengths (see pqc_native.h).
#[no_mangle]
pub unsafe extern "C" fn pqc_kem_keygen(
    ps: u32,
    d: *const u8, d_len: usize,
    z: *const u8, z_len: usize,
    ek_out: *mut u8, ek_len: usize,
    dk_out: *mut u8, dk_len: usize,
) -> i32 {
    guard(|| {
        let s = kem_sizes(ps)?;
        want_len(d_len, SEED32)?;
        want_len(z_len, SEED32)?;
        let ek_o = Out::new(ek_out, ek_len, s.ek)?;
        let dk_o = Out::new(dk_out, dk_len, s.dk)?;
        want_ptr(d, d_len)?;
        want_ptr(z, z_len)?;
        ek_o.ptr()?;
        dk_o.ptr()?;
        let (d, z) = unsafe { (input(d, d_len)?, input(z, z_len)?) };
        let (ek, dk) = keygen_bytes(ps, d, z)?;
        unsafe {
            ek_o.write(&ek)?;
            dk_o.write(&dk)
        }
    })
}

/// ML-KEM.Encaps_internal(ek, m).
///
/// # Safety
/// Pointers must be valid for their lengths (see pqc_native.h).
#[no_mangle]
pub unsafe extern "C" fn pqc_kem_encaps(
    ps: u32,
    ek: *const u8, ek_len: usize,
    m: *const u8, m_len: usize,
    c_out: *mut u8, c_len: usize,
    k_out: *mut u8, k_len: usize,
) -> i32 {
    guard(|| {
        let s = kem_sizes(ps)?;
        want_len(ek_len, s.ek)?;
        want_len(m_len, SEED32)?;
        let c_o = Out::new(c_out, c_len, s.c)?;
        let k_o = Out::new(k_out, k_len, KEM_SS)?;
        want_ptr(ek, ek_len)?;
        want_ptr(m, m_len)?;
        c_o.ptr()?;
        k_o.ptr()?;
        let (ek, m) = unsafe { (input(ek, ek_len)?, input(m, m_len)?) };
        let (c, k) = encaps_bytes(ps, ek, m)?;
        unsafe {
            c_o.write(&c)?;
            k_o.write(&k)
        }
    })
}

/// ML-KEM.Decaps(dk, c).
///
/// # Safety
/// Pointers must be valid for their lengths (see pqc_native.h).
#[no_mangle]
pub unsafe extern "C" fn pqc_kem_decaps(
    ps: u32,
    dk: *const u8, dk_len: usize,
    c: *const u8, c_len: usize,
    k_out: *mut u8, k_len: usize,
) -> i32 {
    guard(|| {
        let s = kem_sizes(ps)?;
        want_len(dk_len, s.dk)?;
        want_len(c_len, s.c)?;
        let k_o = Out::new(k_out, k_len, KEM_SS)?;
        want_ptr(dk, dk_len)?;
        want_ptr(c, c_len)?;
        k_o.ptr()?;
        let (dk, c) = unsafe { (input(dk, dk_len)?, input(c, c_len)?) };
        let k = decaps_bytes(ps, dk, c)?;
        unsafe { k_o.write(&k) }
    })
}

/// FIPS 203 §7.2 encapsulation-key check.
///
/// # Safety
/// `ek` must be valid for `ek_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn pqc_kem_check_encaps_key(ps: u32, ek: *const u8, ek_len: usize) -> i32 {
    guard(|| {
        let s = kem_sizes(ps)?;
        want_len(ek_len, s.ek)?;
        let ek = unsafe { input(ek, ek_len)? };
        check_ek(ps, ek)
    })
}

/// FIPS 203 §7.3 decapsulation-key check.
///
/// # Safety
/// `dk` must be valid for `dk_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn pqc_kem_check_decaps_key(ps: u32, dk: *const u8, dk_len: usize) -> i32 {
    guard(|| {
        let s = kem_sizes(ps)?;
        want_len(dk_len, s.dk)?;
        let dk = unsafe { input(dk, dk_len)? };
        check_dk(ps, dk)
    })
}
