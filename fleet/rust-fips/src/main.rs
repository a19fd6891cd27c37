//! Module wrapper over integritychain's fips203 and fips204 (0.5.0), pure Rust.
//!
//! What the API expresses: ML-KEM keygen from (d, z), encapsulation from a
//! seed m, decapsulation, both key checks (deserialising a key runs them),
//! random keygen and encapsulation; ML-DSA keygen from ξ, pure signing with a
//! context and an explicit rnd (`try_sign_with_seed`), HashML-DSA over a digest
//! the caller computes (here with RustCrypto sha2/sha3) and its DER OID, random
//! keygen, and through the `acvp-internal` feature Sign_internal / Verify_internal
//! on M′ and on an external μ.
//! What it cannot: nothing the harness asks for.

use fips203::traits::{Decaps, Encaps, KeyGen as KemKeyGen, SerDes as KemSerDes};
use fips204::traits::{KeyGen as DsaKeyGen, SerDes as DsaSerDes, Signer, Verifier};
use fips204::{pre_hash, CryptoRng, RngCore, RngError};
use mw::{args, features, fixed, flag, json_list, json_str, rejected, unsupported, Failure, Reply};
use sha2::Digest;
use sha3::digest::{ExtendableOutput, Update, XofReader};

const KEM_SETS: [&str; 3] = ["ML-KEM-512", "ML-KEM-768", "ML-KEM-1024"];
const DSA_SETS: [&str; 3] = ["ML-DSA-44", "ML-DSA-65", "ML-DSA-87"];

macro_rules! kem_set {
    ($fn_name:ident, $m:ident) => {
        fn $fn_name(op: &str, a: &[Vec<u8>]) -> Reply {
            use fips203::$m as k;
            let ek_of = |b: &[u8]| k::EncapsKey::try_from_bytes(fixed::<{ k::EK_LEN }>(b, "ek")?).map_err(rejected);
            let dk_of = |b: &[u8]| k::DecapsKey::try_from_bytes(fixed::<{ k::DK_LEN }>(b, "dk")?).map_err(rejected);
            let encapsulated = |(ss, c): (fips203::SharedSecretKey, k::CipherText)| vec![c.into_bytes().to_vec(), ss.into_bytes().to_vec()];
            match op {
                "keyGen" => {
                    let [seed] = args(op, a)?;
                    let seed = fixed::<64>(seed, "seed d‖z")?;
                    let (ek, dk) = k::KG::keygen_from_seed(seed[..32].try_into().unwrap(), seed[32..].try_into().unwrap());
                    Ok(vec![ek.into_bytes().to_vec(), dk.into_bytes().to_vec()])
                }
                "keyGen/random" => {
                    args::<0>(op, a)?;
                    let (ek, dk) = k::KG::try_keygen().map_err(rejected)?;
                    Ok(vec![ek.into_bytes().to_vec(), dk.into_bytes().to_vec()])
                }
                "encap" => {
                    let [ek, m] = args(op, a)?;
                    Ok(encapsulated(ek_of(ek)?.encaps_from_seed(&fixed::<32>(m, "m")?)))
                }
                "encap/random" => {
                    let [ek] = args(op, a)?;
                    Ok(encapsulated(ek_of(ek)?.try_encaps().map_err(rejected)?))
                }
                "decap" => {
                    let [dk, c] = args(op, a)?;
                    let c = k::CipherText::try_from_bytes(fixed::<{ k::CT_LEN }>(c, "c")?).map_err(rejected)?;
                    Ok(vec![dk_of(dk)?.try_decaps(&c).map_err(rejected)?.into_bytes().to_vec()])
                }
                "encapKeyCheck" => {
                    let [ek] = args(op, a)?;
                    Ok(flag(ek_of(ek).is_ok()))
                }
                "decapKeyCheck" => {
                    let [dk] = args(op, a)?;
                    Ok(flag(dk_of(dk).is_ok()))
                }
                _ => Err(unsupported(format!("fips203: no command {op}"))),
            }
        }
    };
}

kem_set!(kem512, ml_kem_512);
kem_set!(kem768, ml_kem_768);
kem_set!(kem1024, ml_kem_1024);

/// An RNG that yields the caller's 32-byte rnd: how fips204's `acvp-internal`
/// hooks take a given rnd (its own `try_sign_with_seed` does the same for pure signing).
struct GivenRnd([u8; 32]);

impl RngCore for GivenRnd {
    fn next_u32(&mut self) -> u32 {
        unreachable!("fips204 draws rnd with try_fill_bytes")
    }
    fn next_u64(&mut self) -> u64 {
        unreachable!("fips204 draws rnd with try_fill_bytes")
    }
    fn fill_bytes(&mut self, out: &mut [u8]) {
        self.try_fill_bytes(out).expect("rnd is 32 bytes")
    }
    fn try_fill_bytes(&mut self, out: &mut [u8]) -> Result<(), RngError> {
        assert_eq!(out.len(), 32, "fips204 asked for {} random bytes, not rnd's 32", out.len());
        out.copy_from_slice(&self.0);
        Ok(())
    }
}
impl CryptoRng for GivenRnd {}

fn xof<X: Default + Update + ExtendableOutput>(msg: &[u8], n: usize) -> Vec<u8> {
    let mut h = X::default();
    h.update(msg);
    let mut out = vec![0u8; n];
    h.finalize_xof().read(&mut out);
    out
}

/// PH(M) and the DER OID of PH, for an ACVP hash name.
fn pre_hashed(hash: &[u8], msg: &[u8]) -> Result<(Vec<u8>, &'static [u8]), Failure> {
    Ok(match hash {
        b"SHA2-224" => (sha2::Sha224::digest(msg).to_vec(), &pre_hash::SHA2_224),
        b"SHA2-256" => (sha2::Sha256::digest(msg).to_vec(), &pre_hash::SHA2_256),
        b"SHA2-384" => (sha2::Sha384::digest(msg).to_vec(), &pre_hash::SHA2_384),
        b"SHA2-512" => (sha2::Sha512::digest(msg).to_vec(), &pre_hash::SHA2_512),
        b"SHA2-512/224" => (sha2::Sha512_224::digest(msg).to_vec(), &pre_hash::SHA2_512_224),
        b"SHA2-512/256" => (sha2::Sha512_256::digest(msg).to_vec(), &pre_hash::SHA2_512_256),
        b"SHA3-224" => (sha3::Sha3_224::digest(msg).to_vec(), &pre_hash::SHA3_224),
        b"SHA3-256" => (sha3::Sha3_256::digest(msg).to_vec(), &pre_hash::SHA3_256),
        b"SHA3-384" => (sha3::Sha3_384::digest(msg).to_vec(), &pre_hash::SHA3_384),
        b"SHA3-512" => (sha3::Sha3_512::digest(msg).to_vec(), &pre_hash::SHA3_512),
        b"SHAKE-128" => (xof::<sha3::Shake128>(msg, 32), &pre_hash::SHAKE_128),
        b"SHAKE-256" => (xof::<sha3::Shake256>(msg, 64), &pre_hash::SHAKE_256),
        _ => return Err(unsupported(format!("no pre-hash named {}", String::from_utf8_lossy(hash)))),
    })
}

macro_rules! dsa_set {
    ($fn_name:ident, $m:ident) => {
        #[allow(deprecated)] // sign_internal, sign_mu, verify_internal, verify_mu: the crate's ACVP hooks
        fn $fn_name(op: &str, a: &[Vec<u8>]) -> Reply {
            use fips204::$m as d;
            let sk_of = |b: &[u8]| d::PrivateKey::try_from_bytes(fixed::<{ d::SK_LEN }>(b, "sk")?).map_err(rejected);
            let pk_of = |b: &[u8]| d::PublicKey::try_from_bytes(fixed::<{ d::PK_LEN }>(b, "pk")?).map_err(rejected);
            // FIPS 204 verification returns false for a signature of the wrong length.
            let sig_of = |b: &[u8]| -> Option<[u8; d::SIG_LEN]> { b.try_into().ok() };
            let rnd_of = |b: &[u8]| fixed::<32>(b, "rnd");
            let mu_of = |b: &[u8]| fixed::<64>(b, "mu");
            let signed = |r: Result<[u8; d::SIG_LEN], &'static str>| r.map(|s| vec![s.to_vec()]).map_err(rejected);
            match op {
                "keyGen" => {
                    let [xi] = args(op, a)?;
                    let (pk, sk) = d::KG::keygen_from_seed(&fixed::<32>(xi, "seed ξ")?);
                    Ok(vec![pk.into_bytes().to_vec(), sk.into_bytes().to_vec()])
                }
                "keyGen/random" => {
                    args::<0>(op, a)?;
                    let (pk, sk) = d::KG::try_keygen().map_err(rejected)?;
                    Ok(vec![pk.into_bytes().to_vec(), sk.into_bytes().to_vec()])
                }
                "sigGen/external" => {
                    let [sk, msg, ctx, rnd] = args(op, a)?;
                    signed(sk_of(sk)?.try_sign_with_seed(&rnd_of(rnd)?, msg, ctx))
                }
                "sigGen/internal" => {
                    let [sk, mp, rnd] = args(op, a)?;
                    signed(sk_of(sk)?.sign_internal(&mut GivenRnd(rnd_of(rnd)?), mp, true))
                }
                "sigGen/mu" => {
                    let [sk, mu, rnd] = args(op, a)?;
                    signed(sk_of(sk)?.sign_mu(&mut GivenRnd(rnd_of(rnd)?), &mu_of(mu)?, true))
                }
                "sigGen/preHash" => {
                    let [sk, msg, hash, ctx, rnd] = args(op, a)?;
                    let (ph, oid) = pre_hashed(hash, msg)?;
                    signed(sk_of(sk)?.try_hash_sign_with_seed(&rnd_of(rnd)?, &ph, ctx, oid))
                }
                "sigVer/external" => {
                    let [pk, msg, sig, ctx] = args(op, a)?;
                    let pk = pk_of(pk)?;
                    Ok(flag(sig_of(sig).is_some_and(|s| pk.verify(msg, &s, ctx))))
                }
                "sigVer/internal" => {
                    let [pk, mp, sig] = args(op, a)?;
                    let pk = pk_of(pk)?;
                    Ok(flag(sig_of(sig).is_some_and(|s| pk.verify_internal(mp, &s))))
                }
                "sigVer/mu" => {
                    let [pk, mu, sig] = args(op, a)?;
                    let (pk, mu) = (pk_of(pk)?, mu_of(mu)?);
                    Ok(flag(sig_of(sig).is_some_and(|s| pk.verify_mu(&mu, &s))))
                }
                "sigVer/preHash" => {
                    let [pk, msg, sig, hash, ctx] = args(op, a)?;
                    let (ph, oid) = pre_hashed(hash, msg)?;
                    let pk = pk_of(pk)?;
                    Ok(flag(sig_of(sig).is_some_and(|s| pk.hash_verify(&ph, &s, ctx, oid))))
                }
                _ => Err(unsupported(format!("fips204: no command {op}"))),
            }
        }
    };
}

dsa_set!(dsa44, ml_dsa_44);
dsa_set!(dsa65, ml_dsa_65);
dsa_set!(dsa87, ml_dsa_87);

fn handle(cmd: &str, a: &[Vec<u8>]) -> Reply {
    mw::route(cmd, a, &[("ML-KEM-512", kem512), ("ML-KEM-768", kem768), ("ML-KEM-1024", kem1024), ("ML-DSA-44", dsa44), ("ML-DSA-65", dsa65), ("ML-DSA-87", dsa87)])
}

fn main() -> std::io::Result<()> {
    let kem = json_list(&KEM_SETS);
    let dsa = json_list(&DSA_SETS);
    let kem_ext = features(&KEM_SETS, &["keyGen/random", "encap/random"]);
    let dsa_ext = features(
        &DSA_SETS,
        &["keyGen/random", "sigGen/external", "sigGen/internal", "sigGen/mu", "sigGen/preHash", "sigVer/external", "sigVer/internal", "sigVer/mu", "sigVer/preHash"],
    );
    let config = format!(
        r#"[{{"algorithm":"ML-KEM","mode":"keyGen","revision":"FIPS203","parameterSets":[{kem}]}},
{{"algorithm":"ML-KEM","mode":"encapDecap","revision":"FIPS203","parameterSets":[{kem}],"functions":["encapsulation","decapsulation","encapsulationKeyCheck","decapsulationKeyCheck"]}},
{{"algorithm":"ML-DSA","mode":"keyGen","revision":"FIPS204","parameterSets":[{dsa}]}},
{{"algorithm":"pqc-harness","revision":"1","features":[{kem_ext},{dsa_ext},"pqc-harness/describe"]}}]"#
    );
    let describe = format!(
        r#"{{"id":"rust-fips","name":"fips203 + fips204 (integritychain)","version":"fips203 0.5.0, fips204 0.5.0","kind":"process","notes":[{}]}}"#,
        json_str("HashML-DSA digests computed by the wrapper with RustCrypto sha2 0.10.9 / sha3 0.10.9; internal and external-mu through the crate's acvp-internal hooks")
    );
    mw::serve(&config, &describe, handle)
}
