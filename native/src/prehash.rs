//! HashML-DSA pre-hash functions (FIPS 204 §5.4), numbered in the order of
//! `HASH_ALGS` in model/params.ts; the DER OIDs go into M'.

use sha2::{Sha224, Sha256, Sha384, Sha512, Sha512_224, Sha512_256};
use sha3::{Digest, Sha3_224, Sha3_256, Sha3_384, Sha3_512};
use shake::{ExtendableOutput, Shake128, Shake256, Update};

pub(crate) const HASH_ALG_COUNT: u32 = 12;

/// DER encoding of OID 2.16.840.1.101.3.4.2.`last`.
fn oid(last: u8) -> [u8; 11] {
    [0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, last]
}

fn xof<X: Default + Update + ExtendableOutput>(msg: &[u8], n: usize) -> Vec<u8> {
    let mut x = X::default();
    x.update(msg);
    let mut out = vec![0u8; n];
    x.finalize_xof_into(&mut out);
    out
}

/// (OID, PH(M)) for a hash id, or None for an unknown id.
pub(crate) fn prehash(alg: u32, msg: &[u8]) -> Option<([u8; 11], Vec<u8>)> {
    Some(match alg {
        0 => (oid(0x04), Sha224::digest(msg).to_vec()),
        1 => (oid(0x01), Sha256::digest(msg).to_vec()),
        2 => (oid(0x02), Sha384::digest(msg).to_vec()),
        3 => (oid(0x03), Sha512::digest(msg).to_vec()),
        4 => (oid(0x05), Sha512_224::digest(msg).to_vec()),
        5 => (oid(0x06), Sha512_256::digest(msg).to_vec()),
        6 => (oid(0x07), Sha3_224::digest(msg).to_vec()),
        7 => (oid(0x08), Sha3_256::digest(msg).to_vec()),
        8 => (oid(0x09), Sha3_384::digest(msg).to_vec()),
        9 => (oid(0x0A), Sha3_512::digest(msg).to_vec()),
        10 => (oid(0x0B), xof::<Shake128>(msg, 32)),
        11 => (oid(0x0C), xof::<Shake256>(msg, 64)),
        _ => return None,
    })
}
