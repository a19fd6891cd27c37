//! Module wrapper over pqcrypto-mlkem 0.1.1 and pqcrypto-mldsa 0.1.2: Rust
//! bindings to PQClean's C code (the `avx2` code where the CPU has it, else
//! `clean`; chosen at run time by the crates).
//!
//! What the API expresses: decapsulation of a given ciphertext with a given
//! key, verification of a given signature with a context, and random keygen,
//! encapsulation and signing. What it cannot: anything from a seed (keygen
//! from d‖z or ξ, encapsulation with a given m, signing with a given rnd), the
//! key checks, the internal interface, external μ, pre-hash. So the known-answer
//! vectors this wrapper can run are decapsulation and verification; the random
//! operations feed the harness's property and interop suites.

use mw::{args, features, flag, json_list, json_str, rejected, unsupported, Failure, Reply};
use pqcrypto_traits::kem::{Ciphertext as _, PublicKey as _, SecretKey as _, SharedSecret as _};
use pqcrypto_traits::sign::{DetachedSignature as _, PublicKey as _, SecretKey as _};

const KEM_SETS: [&str; 3] = ["ML-KEM-512", "ML-KEM-768", "ML-KEM-1024"];
const DSA_SETS: [&str; 3] = ["ML-DSA-44", "ML-DSA-65", "ML-DSA-87"];

fn bad(what: &str) -> impl Fn(pqcrypto_traits::Error) -> Failure + '_ {
    move |e| rejected(format!("{what}: {e}"))
}

macro_rules! kem_set {
    ($fn_name:ident, $m:ident) => {
        fn $fn_name(op: &str, a: &[Vec<u8>]) -> Reply {
            use pqcrypto_mlkem::$m as k;
            match op {
                "keyGen/random" => {
                    args::<0>(op, a)?;
                    let (ek, dk) = k::keypair();
                    Ok(vec![ek.as_bytes().to_vec(), dk.as_bytes().to_vec()])
                }
                "encap/random" => {
                    let [ek] = args(op, a)?;
                    let (ss, c) = k::encapsulate(&k::PublicKey::from_bytes(ek).map_err(bad("ek"))?);
                    Ok(vec![c.as_bytes().to_vec(), ss.as_bytes().to_vec()])
                }
                "decap" => {
                    let [dk, c] = args(op, a)?;
                    let dk = k::SecretKey::from_bytes(dk).map_err(bad("dk"))?;
                    let c = k::Ciphertext::from_bytes(c).map_err(bad("c"))?;
                    Ok(vec![k::decapsulate(&c, &dk).as_bytes().to_vec()])
                }
                _ => Err(unsupported(format!("pqcrypto-mlkem: {op} cannot be expressed (no seeded API, no key checks)"))),
            }
        }
    };
}

kem_set!(kem512, mlkem512);
kem_set!(kem768, mlkem768);
kem_set!(kem1024, mlkem1024);

macro_rules! dsa_set {
    ($fn_name:ident, $m:ident) => {
        fn $fn_name(op: &str, a: &[Vec<u8>]) -> Reply {
            use pqcrypto_mldsa::$m as d;
            match op {
                "keyGen/random" => {
                    args::<0>(op, a)?;
                    let (pk, sk) = d::keypair();
                    Ok(vec![pk.as_bytes().to_vec(), sk.as_bytes().to_vec()])
                }
                "sigVer/external" => {
                    let [pk, msg, sig, ctx] = args(op, a)?;
                    let pk = d::PublicKey::from_bytes(pk).map_err(bad("pk"))?;
                    // A signature longer than the maximum cannot be built; FIPS 204 verification says false.
                    let ok = d::DetachedSignature::from_bytes(sig).is_ok_and(|s| d::verify_detached_signature_ctx(&s, msg, ctx, &pk).is_ok());
                    Ok(flag(ok))
                }
                _ => Err(unsupported(format!("pqcrypto-mldsa: {op} cannot be expressed (random signing only, no internal, mu or pre-hash API)"))),
            }
        }
    };
}

dsa_set!(dsa44, mldsa44);
dsa_set!(dsa65, mldsa65);
dsa_set!(dsa87, mldsa87);

fn handle(cmd: &str, a: &[Vec<u8>]) -> Reply {
    mw::route(cmd, a, &[("ML-KEM-512", kem512), ("ML-KEM-768", kem768), ("ML-KEM-1024", kem1024), ("ML-DSA-44", dsa44), ("ML-DSA-65", dsa65), ("ML-DSA-87", dsa87)])
}

fn main() -> std::io::Result<()> {
    let kem = json_list(&KEM_SETS);
    let kem_ext = features(&KEM_SETS, &["keyGen/random", "encap/random"]);
    let dsa_ext = features(&DSA_SETS, &["keyGen/random", "sigVer/external"]);
    // encapDecap declares decapsulation only: encapsulation in ACVP means a given m, which PQClean cannot take.
    let config = format!(
        r#"[{{"algorithm":"ML-KEM","mode":"encapDecap","revision":"FIPS203","parameterSets":[{kem}],"functions":["decapsulation"]}},
{{"algorithm":"pqc-harness","revision":"1","features":[{kem_ext},{dsa_ext},"pqc-harness/describe"]}}]"#
    );
    let describe = format!(
        r#"{{"id":"rust-pqcrypto","name":"pqcrypto-mlkem + pqcrypto-mldsa (PQClean)","version":"pqcrypto-mlkem 0.1.1, pqcrypto-mldsa 0.1.2","kind":"process","notes":[{}]}}"#,
        json_str("PQClean C code, avx2 where the CPU has it; no seeded API: known-answer vectors run for decapsulation and verification only")
    );
    mw::serve(&config, &describe, handle)
}
