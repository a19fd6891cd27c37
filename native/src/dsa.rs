//! ML-DSA (FIPS 204) buffer-ABI exports over RustCrypto `ml-dsa`.

#![allow(deprecated)] // ml-dsa marks the expanded sk encoding as deprecated; ACVP needs it.

use crate::abi::*;
use crate::prehash::{prehash, HASH_ALG_COUNT};
use hybrid_array::Array;
use ml_dsa::{
    signature::Keypair, EncodedSignature, EncodedVerifyingKey, ExpandedSigningKey, ExpandedSigningKeyBytes,
    MlDsa44, MlDsa65, MlDsa87, MlDsaParams, Signature, SigningKey, VerifyingKey, B32,
};
use rand_core::{Infallible, TryCryptoRng, TryRng};

/// Hands out the caller's 32-byte `rnd` to ml-dsa's randomized mu-signing entry
/// point (the only public one that takes a mu and a non-zero rnd). Not an RNG.
struct GivenRnd {
    bytes: [u8; 32],
    used: usize,
}

impl TryRng for GivenRnd {
    type Error = Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        let end = self.used + dst.len();
        assert!(end <= self.bytes.len(), "ml-dsa asked for more than the 32 given rnd bytes");
        dst.copy_from_slice(&self.bytes[self.used..end]);
        self.used = end;
        Ok(())
    }
}
impl TryCryptoRng for GivenRnd {}

/// Binds `$P` to the ml-dsa parameter type for `$ps`.
macro_rules! with_dsa {
    ($ps:expr, $P:ident => $body:expr) => {
        match $ps {
            44 => {
                type $P = MlDsa44;
                $body
            }
            65 => {
                type $P = MlDsa65;
                $body
            }
            87 => {
                type $P = MlDsa87;
                $body
            }
            _ => Err(PQC_ERR_UNSUPPORTED),
        }
    };
}

/// The message M' is handed to Sign_internal / Verify_internal in pieces.
pub(crate) enum Msg<'a> {
    /// M' as given (internal interface).
    Internal(&'a [u8]),
    /// M' = 0 ‖ |ctx| ‖ ctx ‖ M.
    Pure { msg: &'a [u8], ctx: &'a [u8] },
    /// M' = 1 ‖ |ctx| ‖ ctx ‖ OID ‖ PH(M).
    PreHash { msg: &'a [u8], ctx: &'a [u8], alg: u32 },
    /// A 64-byte mu (external mu).
    Mu(&'a [u8]),
}

fn keygen_generic<P: MlDsaParams>(xi: &[u8]) -> Res<(Vec<u8>, Vec<u8>)> {
    let xi = B32::try_from(xi).map_err(|_| PQC_ERR_LENGTH)?;
    let sk = SigningKey::<P>::from_seed(&xi);
    let pk = sk.verifying_key().encode().to_vec();
    let skb = sk.expanded_key().to_expanded().to_vec();
    Ok((pk, skb))
}

pub(crate) fn keygen_bytes(ps: u32, xi: &[u8]) -> Res<(Vec<u8>, Vec<u8>)> {
    with_dsa!(ps, P => keygen_generic::<P>(xi))
}

/// A context longer than 255 bytes cannot be framed into M' (its length is one byte).
fn ctx_ok(m: &Msg<'_>) -> Res<()> {
    match *m {
        Msg::Pure { ctx, .. } | Msg::PreHash { ctx, .. } if ctx.len() > MAX_CTX => Err(PQC_ERR_ARGUMENT),
        _ => Ok(()),
    }
}

fn sign_generic<P: MlDsaParams>(sk: &[u8], m: &Msg<'_>, rnd: &[u8]) -> Res<Vec<u8>> {
    ctx_ok(m)?;
    let rnd = B32::try_from(rnd).map_err(|_| PQC_ERR_LENGTH)?;
    let skb: &ExpandedSigningKeyBytes<P> = sk.try_into().map_err(|_| PQC_ERR_LENGTH)?;
    // ml-dsa documents that decoding a malformed expanded key may panic.
    let key = decode_or_invalid(|| ExpandedSigningKey::<P>::from_expanded(skb))?;
    let sig = match *m {
        Msg::Internal(mp) => key.sign_internal(&[mp], &rnd),
        Msg::Pure { msg, ctx } => {
            let head = [0u8, ctx.len() as u8];
            key.sign_internal(&[&head, ctx, msg], &rnd)
        }
        Msg::PreHash { msg, ctx, alg } => {
            let (oid, ph) = prehash(alg, msg).ok_or(PQC_ERR_UNSUPPORTED)?;
            let head = [1u8, ctx.len() as u8];
            key.sign_internal(&[&head, ctx, &oid, &ph], &rnd)
        }
        Msg::Mu(mu) => {
            let mu: &Array<u8, _> = mu.try_into().map_err(|_| PQC_ERR_LENGTH)?;
            let mut given = GivenRnd { bytes: rnd.into(), used: 0 };
            key.sign_mu_randomized(mu, &mut given).map_err(|_| PQC_ERR_INTERNAL)?
        }
    };
    Ok(sig.encode().to_vec())
}

pub(crate) fn sign_bytes(ps: u32, sk: &[u8], m: &Msg<'_>, rnd: &[u8]) -> Res<Vec<u8>> {
    with_dsa!(ps, P => sign_generic::<P>(sk, m, rnd))
}

/// Ok(()) when the signature verifies, Err(PQC_ERR_VERIFY) when it does not.
fn verify_generic<P: MlDsaParams>(pk: &[u8], m: &Msg<'_>, sig: &[u8]) -> Res<()> {
    ctx_ok(m)?;
    let pkb: &EncodedVerifyingKey<P> = pk.try_into().map_err(|_| PQC_ERR_LENGTH)?;
    let sigb: &EncodedSignature<P> = sig.try_into().map_err(|_| PQC_ERR_LENGTH)?;
    let vk = decode_or_invalid(|| VerifyingKey::<P>::decode(pkb))?;
    let Some(sig) = Signature::<P>::decode(sigb) else {
        return Err(PQC_ERR_VERIFY);
    };
    let ok = match *m {
        Msg::Internal(mp) => vk.verify_internal(mp, &sig),
        Msg::Pure { msg, ctx } => vk.verify_with_context(msg, ctx, &sig),
        Msg::PreHash { msg, ctx, alg } => {
            let (oid, ph) = prehash(alg, msg).ok_or(PQC_ERR_UNSUPPORTED)?;
            let mut mp = Vec::with_capacity(2 + ctx.len() + oid.len() + ph.len());
            mp.extend_from_slice(&[1u8, ctx.len() as u8]);
            mp.extend_from_slice(ctx);
            mp.extend_from_slice(&oid);
            mp.extend_from_slice(&ph);
            vk.verify_internal(&mp, &sig)
        }
        Msg::Mu(mu) => {
            let mu: &Array<u8, _> = mu.try_into().map_err(|_| PQC_ERR_LENGTH)?;
            vk.verify_mu(mu, &sig)
        }
    };
    if ok {
        Ok(())
    } else {
        Err(PQC_ERR_VERIFY)
    }
}

pub(crate) fn verify_bytes(ps: u32, pk: &[u8], m: &Msg<'_>, sig: &[u8]) -> Res<()> {
    with_dsa!(ps, P => verify_generic::<P>(pk, m, sig))
}

/// Validates a context buffer (≤ 255 bytes, non-null when non-empty).
fn want_ctx(ctx: *const u8, ctx_len: usize) -> Res<()> {
    want_ptr(ctx, ctx_len)?;
    if ctx_len > MAX_CTX {
        return Err(PQC_ERR_ARGUMENT);
    }
    Ok(())
}

fn want_alg(alg: u32) -> Res<()> {
    if alg < HASH_ALG_COUNT {
        Ok(())
    } else {
        Err(PQC_ERR_UNSUPPORTED)
    }
}

/// ML-DSA.KeyGen_internal(xi).
///
/// # Safety
/// Pointers must be valid for their lengths (see pqc_native.h).
#[no_mangle]
pub unsafe extern "C" fn pqc_dsa_keygen(
    ps: u32,
    xi: *const u8, xi_len: usize,
    pk_out: *mut u8, pk_len: usize,
    sk_out: *mut u8, sk_len: usize,
) -> i32 {
    guard(|| {
        let s = dsa_sizes(ps)?;
        want_len(xi_len, SEED32)?;
        let pk_o = Out::new(pk_out, pk_len, s.pk)?;
        let sk_o = Out::new(sk_out, sk_len, s.sk)?;
        want_ptr(xi, xi_len)?;
        pk_o.ptr()?;
        sk_o.ptr()?;
        let xi = unsafe { input(xi, xi_len)? };
        let (pk, sk) = keygen_bytes(ps, xi)?;
        unsafe {
            pk_o.write(&pk)?;
            sk_o.write(&sk)
        }
    })
}

/// Shared body of the four signing exports: all lengths checked first.
#[allow(clippy::too_many_arguments)]
unsafe fn sign_export(
    ps: u32,
    sk: *const u8, sk_len: usize,
    msg: (*const u8, usize),
    ctx: Option<(*const u8, usize)>,
    alg: Option<u32>,
    mu_len: Option<usize>,
    rnd: *const u8, rnd_len: usize,
    sig_out: *mut u8, sig_len: usize,
) -> i32 {
    guard(|| {
        let s = dsa_sizes(ps)?;
        want_len(sk_len, s.sk)?;
        if let Some(want) = mu_len {
            want_len(msg.1, want)?;
        }
        want_len(rnd_len, SEED32)?;
        let sig_o = Out::new(sig_out, sig_len, s.sig)?;
        want_ptr(sk, sk_len)?;
        want_ptr(msg.0, msg.1)?;
        want_ptr(rnd, rnd_len)?;
        sig_o.ptr()?;
        if let Some((p, n)) = ctx {
            want_ctx(p, n)?;
        }
        if let Some(a) = alg {
            want_alg(a)?;
        }
        let (skb, m, rndb) = unsafe { (input(sk, sk_len)?, input(msg.0, msg.1)?, input(rnd, rnd_len)?) };
        let c = match ctx {
            Some((p, n)) => unsafe { input(p, n)? },
            None => &[],
        };
        let what = match (ctx.is_some(), alg, mu_len.is_some()) {
            (_, _, true) => Msg::Mu(m),
            (true, Some(alg), _) => Msg::PreHash { msg: m, ctx: c, alg },
            (true, None, _) => Msg::Pure { msg: m, ctx: c },
            (false, _, _) => Msg::Internal(m),
        };
        let sig = sign_bytes(ps, skb, &what, rndb)?;
        unsafe { sig_o.write(&sig) }
    })
}

/// Shared body of the four verifying exports.
#[allow(clippy::too_many_arguments)]
unsafe fn verify_export(
    ps: u32,
    pk: *const u8, pk_len: usize,
    msg: (*const u8, usize),
    ctx: Option<(*const u8, usize)>,
    alg: Option<u32>,
    mu_len: Option<usize>,
    sig: *const u8, sig_len: usize,
) -> i32 {
    guard(|| {
        let s = dsa_sizes(ps)?;
        want_len(pk_len, s.pk)?;
        if let Some(want) = mu_len {
            want_len(msg.1, want)?;
        }
        want_len(sig_len, s.sig)?;
        want_ptr(pk, pk_len)?;
        want_ptr(sig, sig_len)?;
        want_ptr(msg.0, msg.1)?;
        if let Some((p, n)) = ctx {
            want_ctx(p, n)?;
        }
        if let Some(a) = alg {
            want_alg(a)?;
        }
        let (pkb, m, sigb) = unsafe { (input(pk, pk_len)?, input(msg.0, msg.1)?, input(sig, sig_len)?) };
        let c = match ctx {
            Some((p, n)) => unsafe { input(p, n)? },
            None => &[],
        };
        let what = match (ctx.is_some(), alg, mu_len.is_some()) {
            (_, _, true) => Msg::Mu(m),
            (true, Some(alg), _) => Msg::PreHash { msg: m, ctx: c, alg },
            (true, None, _) => Msg::Pure { msg: m, ctx: c },
            (false, _, _) => Msg::Internal(m),
        };
        verify_bytes(ps, pkb, &what, sigb)
    })
}

/// ML-DSA.Sign (external, pure) with explicit rnd.
///
/// # Safety
/// Pointers must be valid for their lengths (see pqc_native.h).
#[no_mangle]
pub unsafe extern "C" fn pqc_dsa_sign(
    ps: u32,
    sk: *const u8, sk_len: usize,
    msg: *const u8, msg_len: usize,
    ctx: *const u8, ctx_len: usize,
    rnd: *const u8, rnd_len: usize,
    sig_out: *mut u8, sig_len: usize,
) -> i32 {
    unsafe { sign_export(ps, sk, sk_len, (msg, msg_len), Some((ctx, ctx_len)), None, None, rnd, rnd_len, sig_out, sig_len) }
}

/// ML-DSA.Sign_internal(sk, M', rnd).
///
/// # Safety
/// Pointers must be valid for their lengths (see pqc_native.h).
#[no_mangle]
pub unsafe extern "C" fn pqc_dsa_sign_internal(
    ps: u32,
    sk: *const u8, sk_len: usize,
    mprime: *const u8, mprime_len: usize,
    rnd: *const u8, rnd_len: usize,
    sig_out: *mut u8, sig_len: usize,
) -> i32 {
    unsafe { sign_export(ps, sk, sk_len, (mprime, mprime_len), None, None, None, rnd, rnd_len, sig_out, sig_len) }
}

/// Sign_internal from an external 64-byte mu.
///
/// # Safety
/// Pointers must be valid for their lengths (see pqc_native.h).
#[no_mangle]
pub unsafe extern "C" fn pqc_dsa_sign_mu(
    ps: u32,
    sk: *const u8, sk_len: usize,
    mu: *const u8, mu_len: usize,
    rnd: *const u8, rnd_len: usize,
    sig_out: *mut u8, sig_len: usize,
) -> i32 {
    unsafe { sign_export(ps, sk, sk_len, (mu, mu_len), None, None, Some(MU), rnd, rnd_len, sig_out, sig_len) }
}

/// HashML-DSA.Sign with pre-hash `hash_alg` (PQC_HASH_*).
///
/// # Safety
/// Pointers must be valid for their lengths (see pqc_native.h).
#[no_mangle]
pub unsafe extern "C" fn pqc_dsa_sign_prehash(
    ps: u32,
    sk: *const u8, sk_len: usize,
    msg: *const u8, msg_len: usize,
    hash_alg: u32,
    ctx: *const u8, ctx_len: usize,
    rnd: *const u8, rnd_len: usize,
    sig_out: *mut u8, sig_len: usize,
) -> i32 {
    unsafe {
        sign_export(ps, sk, sk_len, (msg, msg_len), Some((ctx, ctx_len)), Some(hash_alg), None, rnd, rnd_len, sig_out, sig_len)
    }
}

/// ML-DSA.Verify (external, pure).
///
/// # Safety
/// Pointers must be valid for their lengths (see pqc_native.h).
#[no_mangle]
pub unsafe extern "C" fn pqc_dsa_verify(
    ps: u32,
    pk: *const u8, pk_len: usize,
    msg: *const u8, msg_len: usize,
    ctx: *const u8, ctx_len: usize,
    sig: *const u8, sig_len: usize,
) -> i32 {
    unsafe { verify_export(ps, pk, pk_len, (msg, msg_len), Some((ctx, ctx_len)), None, None, sig, sig_len) }
}

/// ML-DSA.Verify_internal(pk, M', sig).
///
/// # Safety
/// Pointers must be valid for their lengths (see pqc_native.h).
#[no_mangle]
pub unsafe extern "C" fn pqc_dsa_verify_internal(
    ps: u32,
    pk: *const u8, pk_len: usize,
    mprime: *const u8, mprime_len: usize,
    sig: *const u8, sig_len: usize,
) -> i32 {
    unsafe { verify_export(ps, pk, pk_len, (mprime, mprime_len), None, None, None, sig, sig_len) }
}

/// Verify from an external 64-byte mu.
///
/// # Safety
/// Pointers must be valid for their lengths (see pqc_native.h).
#[no_mangle]
pub unsafe extern "C" fn pqc_dsa_verify_mu(
    ps: u32,
    pk: *const u8, pk_len: usize,
    mu: *const u8, mu_len: usize,
    sig: *const u8, sig_len: usize,
) -> i32 {
    unsafe { verify_export(ps, pk, pk_len, (mu, mu_len), None, None, Some(MU), sig, sig_len) }
}

/// HashML-DSA.Verify with pre-hash `hash_alg` (PQC_HASH_*).
///
/// # Safety
/// Pointers must be valid for their lengths (see pqc_native.h).
#[no_mangle]
pub unsafe extern "C" fn pqc_dsa_verify_prehash(
    ps: u32,
    pk: *const u8, pk_len: usize,
    msg: *const u8, msg_len: usize,
    hash_alg: u32,
    ctx: *const u8, ctx_len: usize,
    sig: *const u8, sig_len: usize,
) -> i32 {
    unsafe { verify_export(ps, pk, pk_len, (msg, msg_len), Some((ctx, ctx_len)), Some(hash_alg), None, sig, sig_len) }
}
