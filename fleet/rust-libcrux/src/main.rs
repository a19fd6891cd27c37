//! Module wrapper over Cryspen's libcrux-ml-kem and libcrux-ml-dsa (0.0.11):
//! formally verified, portable code (no `simd256` feature, so no AVX2 path).
//!
//! What the API expresses: ML-KEM keygen from d‖z, encapsulation with a given
//! m, decapsulation, the §7.2 modulus check (`validate_public_key`) and the
//! §7.3 hash check (`validate_private_key`); ML-DSA keygen from ξ, pure
//! signing and verification with a context, Sign_internal / Verify_internal on
//! M′ (feature `acvp`), and HashML-DSA with SHAKE-128 only.
//! What it cannot: external μ, HashML-DSA with any other hash.
//!
//! Every command is answered per parameter set by one macro-made function, so
//! the three sets share one body; the sizes are the FIPS 203 / 204 tables.

use libcrux_ml_dsa::{MLDSASignature, MLDSASigningKey, MLDSAVerificationKey};
use libcrux_ml_kem::{MlKemCiphertext, MlKemPrivateKey, MlKemPublicKey};
use mw::{args, features, fixed, flag, json_list, json_str, rejected, unsupported, Failure, Reply};

const KEM_SETS: [&str; 3] = ["ML-KEM-512", "ML-KEM-768", "ML-KEM-1024"];
const DSA_SETS: [&str; 3] = ["ML-DSA-44", "ML-DSA-65", "ML-DSA-87"];

/// `encapsulate` trusts its key; the library's documented contract is to run
/// `validate_public_key` first, which is what the §7.2 input check means.
macro_rules! kem_set {
    ($fn_name:ident, $m:ident, $ek:literal, $dk:literal, $ct:literal) => {
        fn $fn_name(op: &str, a: &[Vec<u8>]) -> Reply {
            use libcrux_ml_kem::$m as k;
            let ek_of = |b: &[u8]| fixed::<$ek>(b, "ek").map(MlKemPublicKey::<$ek>::from);
            let dk_of = |b: &[u8]| fixed::<$dk>(b, "dk").map(MlKemPrivateKey::<$dk>::from);
            match op {
                "keyGen" => {
                    let [seed] = args(op, a)?;
                    let kp = k::generate_key_pair(fixed::<64>(seed, "seed d‖z")?);
                    Ok(vec![kp.pk().to_vec(), kp.sk().to_vec()])
                }
                "encap" => {
                    let [ek, m] = args(op, a)?;
                    let ek = ek_of(ek)?;
                    if !k::validate_public_key(&ek) {
                        return Err(rejected("ek fails the FIPS 203 §7.2 modulus check"));
                    }
                    let (c, ss) = k::encapsulate(&ek, fixed::<32>(m, "m")?);
                    Ok(vec![c.as_slice().to_vec(), ss.to_vec()])
                }
                "decap" => {
                    let [dk, c] = args(op, a)?;
                    let c = fixed::<$ct>(c, "c").map(MlKemCiphertext::<$ct>::from)?;
                    Ok(vec![k::decapsulate(&dk_of(dk)?, &c).to_vec()])
                }
                "encapKeyCheck" => {
                    let [ek] = args(op, a)?;
                    Ok(flag(k::validate_public_key(&ek_of(ek)?)))
                }
                "decapKeyCheck" => {
                    let [dk] = args(op, a)?;
                    // The ciphertext argument is unused by the check (it hashes ek inside dk).
                    Ok(flag(k::validate_private_key(&dk_of(dk)?, &MlKemCiphertext::<$ct>::from([0u8; $ct]))))
                }
                _ => Err(unsupported(format!("libcrux-ml-kem: no command {op}"))),
            }
        }
    };
}

kem_set!(kem512, mlkem512, 800, 1632, 768);
kem_set!(kem768, mlkem768, 1184, 2400, 1088);
kem_set!(kem1024, mlkem1024, 1568, 3168, 1568);

fn signed<const N: usize>(r: Result<MLDSASignature<N>, libcrux_ml_dsa::SigningError>) -> Reply {
    match r {
        Ok(sig) => Ok(vec![sig.as_slice().to_vec()]),
        Err(e) => Err(rejected(format!("signing failed: {e:?}"))),
    }
}

/// SHAKE-128 is the one pre-hash libcrux offers.
fn shake128_only(hash: &[u8]) -> Result<(), Failure> {
    match hash {
        b"SHAKE-128" => Ok(()),
        _ => Err(unsupported(format!("libcrux-ml-dsa 0.0.11 offers HashML-DSA with SHAKE-128 only, not {}", String::from_utf8_lossy(hash)))),
    }
}

macro_rules! dsa_set {
    ($fn_name:ident, $m:ident, $pk:literal, $sk:literal, $sig:literal) => {
        fn $fn_name(op: &str, a: &[Vec<u8>]) -> Reply {
            use libcrux_ml_dsa::$m as d;
            let sk_of = |b: &[u8]| fixed::<$sk>(b, "sk").map(MLDSASigningKey::<$sk>::new);
            let pk_of = |b: &[u8]| fixed::<$pk>(b, "pk").map(MLDSAVerificationKey::<$pk>::new);
            // FIPS 204 verification returns false for a signature of the wrong length.
            let sig_of = |b: &[u8]| -> Option<MLDSASignature<$sig>> { b.try_into().ok().map(MLDSASignature::<$sig>::new) };
            let rnd_of = |b: &[u8]| fixed::<32>(b, "rnd");
            match op {
                "keyGen" => {
                    let [xi] = args(op, a)?;
                    let kp = d::generate_key_pair(fixed::<32>(xi, "seed ξ")?);
                    Ok(vec![kp.verification_key.as_slice().to_vec(), kp.signing_key.as_slice().to_vec()])
                }
                "sigGen/external" => {
                    let [sk, msg, ctx, rnd] = args(op, a)?;
                    signed(d::sign(&sk_of(sk)?, msg, ctx, rnd_of(rnd)?))
                }
                "sigGen/internal" => {
                    let [sk, mp, rnd] = args(op, a)?;
                    signed(d::sign_internal(&sk_of(sk)?, mp, rnd_of(rnd)?))
                }
                "sigGen/preHash" => {
                    let [sk, msg, hash, ctx, rnd] = args(op, a)?;
                    shake128_only(hash)?;
                    signed(d::sign_pre_hashed_shake128(&sk_of(sk)?, msg, ctx, rnd_of(rnd)?))
                }
                "sigVer/external" => {
                    let [pk, msg, sig, ctx] = args(op, a)?;
                    let pk = pk_of(pk)?;
                    Ok(flag(sig_of(sig).is_some_and(|s| d::verify(&pk, msg, ctx, &s).is_ok())))
                }
                "sigVer/internal" => {
                    let [pk, mp, sig] = args(op, a)?;
                    let pk = pk_of(pk)?;
                    Ok(flag(sig_of(sig).is_some_and(|s| d::verify_internal(&pk, mp, &s).is_ok())))
                }
                "sigVer/preHash" => {
                    let [pk, msg, sig, hash, ctx] = args(op, a)?;
                    shake128_only(hash)?;
                    let pk = pk_of(pk)?;
                    Ok(flag(sig_of(sig).is_some_and(|s| d::verify_pre_hashed_shake128(&pk, msg, ctx, &s).is_ok())))
                }
                _ => Err(unsupported(format!("libcrux-ml-dsa: no command {op}"))),
            }
        }
    };
}

dsa_set!(dsa44, ml_dsa_44, 1312, 2560, 2420);
dsa_set!(dsa65, ml_dsa_65, 1952, 4032, 3309);
dsa_set!(dsa87, ml_dsa_87, 2592, 4896, 4627);

fn handle(cmd: &str, a: &[Vec<u8>]) -> Reply {
    mw::route(cmd, a, &[("ML-KEM-512", kem512), ("ML-KEM-768", kem768), ("ML-KEM-1024", kem1024), ("ML-DSA-44", dsa44), ("ML-DSA-65", dsa65), ("ML-DSA-87", dsa87)])
}

fn main() -> std::io::Result<()> {
    let kem = json_list(&KEM_SETS);
    let dsa = json_list(&DSA_SETS);
    let ext = features(&DSA_SETS, &["sigGen/external", "sigGen/internal", "sigGen/preHash", "sigVer/external", "sigVer/internal", "sigVer/preHash"]);
    let pre_hash = DSA_SETS.iter().map(|s| format!("\"{s}\":[\"SHAKE-128\"]")).collect::<Vec<_>>().join(",");
    let config = format!(
        r#"[{{"algorithm":"ML-KEM","mode":"keyGen","revision":"FIPS203","parameterSets":[{kem}]}},
{{"algorithm":"ML-KEM","mode":"encapDecap","revision":"FIPS203","parameterSets":[{kem}],"functions":["encapsulation","decapsulation","encapsulationKeyCheck","decapsulationKeyCheck"]}},
{{"algorithm":"ML-DSA","mode":"keyGen","revision":"FIPS204","parameterSets":[{dsa}]}},
{{"algorithm":"pqc-harness","revision":"1","features":[{ext},"pqc-harness/describe"],"preHash":{{{pre_hash}}}}}]"#
    );
    let describe = format!(
        r#"{{"id":"rust-libcrux","name":"libcrux-ml-kem + libcrux-ml-dsa (Cryspen)","version":"libcrux-ml-kem 0.0.11, libcrux-ml-dsa 0.0.11","kind":"process","notes":[{}]}}"#,
        json_str("portable build (no simd256); no external-mu API; HashML-DSA with SHAKE-128 only")
    );
    mw::serve(&config, &describe, handle)
}
