//! Buffer-ABI and JSON-ABI smoke tests through the exported C functions.

use pqc_native::*;
use std::ffi::{CStr, CString};
use std::ptr::{null, null_mut};

fn kem_pair(ps: u32) -> (Vec<u8>, Vec<u8>) {
    let (mut ek_len, mut dk_len) = (0usize, 0usize);
    assert_eq!(unsafe { pqc_kem_sizes(ps, &mut ek_len, &mut dk_len, null_mut(), null_mut()) }, PQC_OK);
    let (mut ek, mut dk) = (vec![0u8; ek_len], vec![0u8; dk_len]);
    let d = [1u8; 32];
    let z = [2u8; 32];
    let st = unsafe { pqc_kem_keygen(ps, d.as_ptr(), 32, z.as_ptr(), 32, ek.as_mut_ptr(), ek.len(), dk.as_mut_ptr(), dk.len()) };
    assert_eq!(st, PQC_OK);
    (ek, dk)
}

#[test]
fn kem_round_trip_and_checks() {
    for ps in [512u32, 768, 1024] {
        let (ek, mut dk) = kem_pair(ps);
        let mut c_len = 0usize;
        unsafe { pqc_kem_sizes(ps, null_mut(), null_mut(), &mut c_len, null_mut()) };
        let (mut c, mut k1, mut k2) = (vec![0u8; c_len], [0u8; 32], [0u8; 32]);
        let m = [3u8; 32];
        let st = unsafe { pqc_kem_encaps(ps, ek.as_ptr(), ek.len(), m.as_ptr(), 32, c.as_mut_ptr(), c.len(), k1.as_mut_ptr(), 32) };
        assert_eq!(st, PQC_OK);
        let st = unsafe { pqc_kem_decaps(ps, dk.as_ptr(), dk.len(), c.as_ptr(), c.len(), k2.as_mut_ptr(), 32) };
        assert_eq!(st, PQC_OK);
        assert_eq!(k1, k2);
        // Implicit rejection: a tampered c still yields a (different) key.
        c[0] ^= 1;
        let st = unsafe { pqc_kem_decaps(ps, dk.as_ptr(), dk.len(), c.as_ptr(), c.len(), k2.as_mut_ptr(), 32) };
        assert_eq!(st, PQC_OK);
        assert_ne!(k1, k2);

        assert_eq!(unsafe { pqc_kem_check_encaps_key(ps, ek.as_ptr(), ek.len()) }, PQC_OK);
        assert_eq!(unsafe { pqc_kem_check_decaps_key(ps, dk.as_ptr(), dk.len()) }, PQC_OK);
        // ek with a coefficient >= q (first 12 bits all ones) fails §7.2.
        let mut bad = ek.clone();
        bad[0] = 0xff;
        bad[1] |= 0x0f;
        assert_eq!(unsafe { pqc_kem_check_encaps_key(ps, bad.as_ptr(), bad.len()) }, PQC_ERR_INVALID_KEY);
        let st = unsafe { pqc_kem_encaps(ps, bad.as_ptr(), bad.len(), m.as_ptr(), 32, c.as_mut_ptr(), c.len(), k1.as_mut_ptr(), 32) };
        assert_eq!(st, PQC_ERR_INVALID_KEY);
        // Flip a bit of H(ek) inside dk: §7.3 fails.
        let h_at = dk.len() - 64;
        dk[h_at] ^= 1;
        assert_eq!(unsafe { pqc_kem_check_decaps_key(ps, dk.as_ptr(), dk.len()) }, PQC_ERR_INVALID_KEY);
    }
}

#[test]
fn kem_rejects_lengths_and_params() {
    let (ek, _) = kem_pair(768);
    let (mut c, mut k) = ([0u8; 1088], [0u8; 32]);
    let m = [0u8; 32];
    let st = unsafe { pqc_kem_encaps(768, ek.as_ptr(), ek.len() - 1, m.as_ptr(), 32, c.as_mut_ptr(), c.len(), k.as_mut_ptr(), 32) };
    assert_eq!(st, PQC_ERR_LENGTH);
    let st = unsafe { pqc_kem_encaps(768, ek.as_ptr(), ek.len(), m.as_ptr(), 32, c.as_mut_ptr(), c.len(), k.as_mut_ptr(), 31) };
    assert_eq!(st, PQC_ERR_LENGTH);
    let st = unsafe { pqc_kem_encaps(769, ek.as_ptr(), ek.len(), m.as_ptr(), 32, c.as_mut_ptr(), c.len(), k.as_mut_ptr(), 32) };
    assert_eq!(st, PQC_ERR_UNSUPPORTED);
    let st = unsafe { pqc_kem_encaps(768, null(), ek.len(), m.as_ptr(), 32, c.as_mut_ptr(), c.len(), k.as_mut_ptr(), 32) };
    assert_eq!(st, PQC_ERR_ARGUMENT);
}

#[test]
fn dsa_all_interfaces() {
    for ps in [44u32, 65, 87] {
        let (mut pk_len, mut sk_len, mut sig_len) = (0usize, 0usize, 0usize);
        assert_eq!(unsafe { pqc_dsa_sizes(ps, &mut pk_len, &mut sk_len, &mut sig_len) }, PQC_OK);
        let (mut pk, mut sk, mut sig) = (vec![0u8; pk_len], vec![0u8; sk_len], vec![0u8; sig_len]);
        let xi = [9u8; 32];
        let st = unsafe { pqc_dsa_keygen(ps, xi.as_ptr(), 32, pk.as_mut_ptr(), pk_len, sk.as_mut_ptr(), sk_len) };
        assert_eq!(st, PQC_OK);
        let msg = b"message";
        let ctx = b"ctx";
        let rnd = [5u8; 32];

        // Pure, with empty context passed as NULL.
        let st = unsafe { pqc_dsa_sign(ps, sk.as_ptr(), sk_len, msg.as_ptr(), msg.len(), null(), 0, rnd.as_ptr(), 32, sig.as_mut_ptr(), sig_len) };
        assert_eq!(st, PQC_OK);
        assert_eq!(unsafe { pqc_dsa_verify(ps, pk.as_ptr(), pk_len, msg.as_ptr(), msg.len(), null(), 0, sig.as_ptr(), sig_len) }, PQC_OK);
        assert_eq!(unsafe { pqc_dsa_verify(ps, pk.as_ptr(), pk_len, msg.as_ptr(), msg.len(), ctx.as_ptr(), 3, sig.as_ptr(), sig_len) }, PQC_ERR_VERIFY);
        // Pure == internal with M' = 0 || 0 || msg.
        let mut mp = vec![0u8, 0u8];
        mp.extend_from_slice(msg);
        assert_eq!(unsafe { pqc_dsa_verify_internal(ps, pk.as_ptr(), pk_len, mp.as_ptr(), mp.len(), sig.as_ptr(), sig_len) }, PQC_OK);
        let mut sig2 = vec![0u8; sig_len];
        let st = unsafe { pqc_dsa_sign_internal(ps, sk.as_ptr(), sk_len, mp.as_ptr(), mp.len(), rnd.as_ptr(), 32, sig2.as_mut_ptr(), sig_len) };
        assert_eq!(st, PQC_OK);
        assert_eq!(sig, sig2);

        // External mu round trip.
        let mu = [0x11u8; 64];
        let st = unsafe { pqc_dsa_sign_mu(ps, sk.as_ptr(), sk_len, mu.as_ptr(), 64, rnd.as_ptr(), 32, sig.as_mut_ptr(), sig_len) };
        assert_eq!(st, PQC_OK);
        assert_eq!(unsafe { pqc_dsa_verify_mu(ps, pk.as_ptr(), pk_len, mu.as_ptr(), 64, sig.as_ptr(), sig_len) }, PQC_OK);

        // Every pre-hash algorithm.
        for alg in 0u32..12 {
            let st = unsafe { pqc_dsa_sign_prehash(ps, sk.as_ptr(), sk_len, msg.as_ptr(), msg.len(), alg, ctx.as_ptr(), 3, rnd.as_ptr(), 32, sig.as_mut_ptr(), sig_len) };
            assert_eq!(st, PQC_OK, "alg {alg}");
            let ok = unsafe { pqc_dsa_verify_prehash(ps, pk.as_ptr(), pk_len, msg.as_ptr(), msg.len(), alg, ctx.as_ptr(), 3, sig.as_ptr(), sig_len) };
            assert_eq!(ok, PQC_OK, "alg {alg}");
            let other = (alg + 1) % 12;
            let bad = unsafe { pqc_dsa_verify_prehash(ps, pk.as_ptr(), pk_len, msg.as_ptr(), msg.len(), other, ctx.as_ptr(), 3, sig.as_ptr(), sig_len) };
            assert_eq!(bad, PQC_ERR_VERIFY, "alg {alg} verified as {other}");
        }
        let st = unsafe { pqc_dsa_sign_prehash(ps, sk.as_ptr(), sk_len, msg.as_ptr(), msg.len(), 12, null(), 0, rnd.as_ptr(), 32, sig.as_mut_ptr(), sig_len) };
        assert_eq!(st, PQC_ERR_UNSUPPORTED);

        // Context too long.
        let long = [0u8; 256];
        let st = unsafe { pqc_dsa_sign(ps, sk.as_ptr(), sk_len, msg.as_ptr(), msg.len(), long.as_ptr(), 256, rnd.as_ptr(), 32, sig.as_mut_ptr(), sig_len) };
        assert_eq!(st, PQC_ERR_ARGUMENT);
    }
}

#[test]
fn dsa_garbage_sk_never_unwinds() {
    let sk = [0xffu8; 4032];
    let mut sig = [0u8; 3309];
    let rnd = [0u8; 32];
    let st = unsafe { pqc_dsa_sign(65, sk.as_ptr(), sk.len(), null(), 0, null(), 0, rnd.as_ptr(), 32, sig.as_mut_ptr(), sig.len()) };
    assert!(matches!(st, PQC_OK | PQC_ERR_INVALID_KEY | PQC_ERR_INTERNAL), "status {st}");
}

fn call(f: unsafe extern "C" fn(*const std::ffi::c_char) -> *mut std::ffi::c_char, input: &str) -> serde_json::Value {
    let c = CString::new(input).unwrap();
    let p = unsafe { f(c.as_ptr()) };
    assert!(!p.is_null());
    let v = serde_json::from_str(unsafe { CStr::from_ptr(p) }.to_str().unwrap()).unwrap();
    unsafe { pqc_free_string(p) };
    v
}

#[test]
fn json_abi_round_trips() {
    let p = pqc_ml_kem_768_keygen();
    let keys: serde_json::Value = serde_json::from_str(unsafe { CStr::from_ptr(p) }.to_str().unwrap()).unwrap();
    unsafe { pqc_free_string(p) };
    let ek = keys["ek"].as_str().unwrap();
    let dk = keys["dk"].as_str().unwrap();
    let enc = call(pqc_ml_kem_768_encaps, &format!(r#"{{"ek":"{ek}"}}"#));
    let dec = call(pqc_ml_kem_768_decaps, &format!(r#"{{"dk":"{dk}","c":"{}"}}"#, enc["c"].as_str().unwrap()));
    assert_eq!(enc["k"], dec["k"]);

    let kp = call(pqc_ml_dsa_65_keygen, r#"{"seed":"0000000000000000000000000000000000000000000000000000000000000000"}"#);
    let sig = call(
        pqc_ml_dsa_65_sign,
        &format!(r#"{{"sk":"{}","message":"6869","context":"00"}}"#, kp["sk"].as_str().unwrap()),
    );
    let ok = call(
        pqc_ml_dsa_65_verify,
        &format!(r#"{{"pk":"{}","message":"6869","context":"00","signature":"{}"}}"#, kp["pk"].as_str().unwrap(), sig["signature"].as_str().unwrap()),
    );
    assert_eq!(ok["valid"], serde_json::Value::Bool(true));

    let err = call(pqc_ml_kem_768_encaps, r#"{"ek":"zz"}"#);
    assert!(err["error"].is_string());
    let err = call(pqc_ml_kem_768_decaps, "not json");
    assert!(err["error"].is_string());
    unsafe { pqc_free_string(null_mut()) };
}

#[test]
fn bench_runs() {
    assert!(pqc_bench_ns(PQC_BENCH_KEM_KEYGEN, 768, 2) > 0);
    assert!(pqc_bench_ns(PQC_BENCH_DSA_VERIFY, 44, 2) > 0);
    assert_eq!(pqc_bench_ns(PQC_BENCH_DSA_SIGN, 768, 2), 0);
    assert_eq!(pqc_bench_ns(99, 768, 2), 0);
}
