//! The seed's JSON ABI: JSON text in, heap JSON text out, freed only by
//! `pqc_free_string`. Byte fields are hex (output lowercase; input either case).
//! Fixed to ML-KEM-768 and ML-DSA-65, as the seed library was.

use crate::abi::{PQC_ERR_INVALID_KEY, PQC_ERR_LENGTH, PQC_ERR_VERIFY};
use crate::dsa::{self, Msg};
use crate::kem;
use serde_json::{json, Map, Value};
use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

type JRes = Result<Value, String>;

/// Serialises to a heap C string the caller must pass to `pqc_free_string`.
fn to_c(v: &Value) -> *mut c_char {
    // serde_json escapes control characters, so the text has no interior NUL.
    match CString::new(v.to_string()) {
        Ok(s) => s.into_raw(),
        Err(_) => std::ptr::null_mut(),
    }
}

/// Runs one JSON export: parse, call, and turn every failure into {"error"}.
fn run(json: *const c_char, f: impl FnOnce(&Map<String, Value>) -> JRes) -> *mut c_char {
    crate::abi::quiet_panics();
    let out = catch_unwind(AssertUnwindSafe(|| {
        let obj = parse(json)?;
        f(&obj)
    }));
    let v = match out {
        Ok(Ok(v)) => v,
        Ok(Err(msg)) => json!({ "error": msg }),
        Err(_) => json!({ "error": "internal error (panic caught)" }),
    };
    to_c(&v)
}

fn parse(json: *const c_char) -> Result<Map<String, Value>, String> {
    if json.is_null() {
        return Ok(Map::new());
    }
    // SAFETY: the caller passes a NUL-terminated string (header contract).
    let text = unsafe { CStr::from_ptr(json) }.to_str().map_err(|_| "input is not UTF-8".to_string())?;
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err("input must be a JSON object".into()),
        Err(e) => Err(format!("invalid JSON: {e}")),
    }
}

fn hex_field(o: &Map<String, Value>, name: &str) -> Result<Option<Vec<u8>>, String> {
    match o.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => hex::decode(s).map(Some).map_err(|e| format!("field \"{name}\": bad hex: {e}")),
        Some(_) => Err(format!("field \"{name}\" must be a hex string")),
    }
}

fn need(o: &Map<String, Value>, name: &str) -> Result<Vec<u8>, String> {
    hex_field(o, name)?.ok_or_else(|| format!("missing field \"{name}\""))
}

fn sized(o: &Map<String, Value>, name: &str, len: usize) -> Result<Option<Vec<u8>>, String> {
    match hex_field(o, name)? {
        Some(v) if v.len() != len => Err(format!("field \"{name}\": expected {len} bytes, got {}", v.len())),
        other => Ok(other),
    }
}

fn random32() -> Result<Vec<u8>, String> {
    let mut b = vec![0u8; 32];
    getrandom::fill(&mut b).map_err(|e| format!("getrandom failed: {e}"))?;
    Ok(b)
}

fn status_msg(s: i32, what: &str) -> String {
    match s {
        PQC_ERR_LENGTH => format!("{what}: wrong length"),
        PQC_ERR_INVALID_KEY => format!("{what}: invalid key"),
        other => format!("{what}: failed with status {other}"),
    }
}

/// {} → {"ek","dk"}: random ML-KEM-768 key pair (dk in the FIPS 203 encoding).
#[no_mangle]
pub extern "C" fn pqc_ml_kem_768_keygen() -> *mut c_char {
    run(std::ptr::null(), |_| {
        let (d, z) = (random32()?, random32()?);
        let (ek, dk) = kem::keygen_bytes(768, &d, &z).map_err(|s| status_msg(s, "keygen"))?;
        Ok(json!({ "ek": hex::encode(ek), "dk": hex::encode(dk) }))
    })
}

/// {"ek", "m"?} → {"c","k"}. Without "m", m is random.
///
/// # Safety
/// `json` must be NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn pqc_ml_kem_768_encaps(json: *const c_char) -> *mut c_char {
    run(json, |o| {
        let ek = sized(o, "ek", 1184)?.ok_or("missing field \"ek\"")?;
        let m = match sized(o, "m", 32)? {
            Some(m) => m,
            None => random32()?,
        };
        let (c, k) = kem::encaps_bytes(768, &ek, &m).map_err(|s| status_msg(s, "encaps"))?;
        Ok(json!({ "c": hex::encode(c), "k": hex::encode(k) }))
    })
}

/// {"dk","c"} → {"k"}.
///
/// # Safety
/// `json` must be NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn pqc_ml_kem_768_decaps(json: *const c_char) -> *mut c_char {
    run(json, |o| {
        let dk = sized(o, "dk", 2400)?.ok_or("missing field \"dk\"")?;
        let c = sized(o, "c", 1088)?.ok_or("missing field \"c\"")?;
        let k = kem::decaps_bytes(768, &dk, &c).map_err(|s| status_msg(s, "decaps"))?;
        Ok(json!({ "k": hex::encode(k) }))
    })
}

/// {"seed"?} → {"pk","sk"} (sk expanded, FIPS 204 encoding). Without "seed", random.
///
/// # Safety
/// `json` must be NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn pqc_ml_dsa_65_keygen(json: *const c_char) -> *mut c_char {
    run(json, |o| {
        let xi = match sized(o, "seed", 32)? {
            Some(x) => x,
            None => random32()?,
        };
        let (pk, sk) = dsa::keygen_bytes(65, &xi).map_err(|s| status_msg(s, "keygen"))?;
        Ok(json!({ "pk": hex::encode(pk), "sk": hex::encode(sk) }))
    })
}

fn context(o: &Map<String, Value>) -> Result<Vec<u8>, String> {
    let ctx = hex_field(o, "context")?.unwrap_or_default();
    if ctx.len() > 255 {
        return Err(format!("field \"context\": at most 255 bytes, got {}", ctx.len()));
    }
    Ok(ctx)
}

/// {"sk","message","context"?,"rnd"?} → {"signature"}. Pure ML-DSA; without
/// "rnd" the signature is hedged with fresh randomness.
///
/// # Safety
/// `json` must be NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn pqc_ml_dsa_65_sign(json: *const c_char) -> *mut c_char {
    run(json, |o| {
        let sk = sized(o, "sk", 4032)?.ok_or("missing field \"sk\"")?;
        let msg = need(o, "message")?;
        let ctx = context(o)?;
        let rnd = match sized(o, "rnd", 32)? {
            Some(r) => r,
            None => random32()?,
        };
        let sig = dsa::sign_bytes(65, &sk, &Msg::Pure { msg: &msg, ctx: &ctx }, &rnd).map_err(|s| status_msg(s, "sign"))?;
        Ok(json!({ "signature": hex::encode(sig) }))
    })
}

/// {"pk","message","signature","context"?} → {"valid": bool}. A signature of
/// the wrong length is `valid: false`; a bad pk or field is an error.
///
/// # Safety
/// `json` must be NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn pqc_ml_dsa_65_verify(json: *const c_char) -> *mut c_char {
    run(json, |o| {
        let pk = sized(o, "pk", 1952)?.ok_or("missing field \"pk\"")?;
        let msg = need(o, "message")?;
        let sig = need(o, "signature")?;
        let ctx = context(o)?;
        if sig.len() != 3309 {
            return Ok(json!({ "valid": false }));
        }
        match dsa::verify_bytes(65, &pk, &Msg::Pure { msg: &msg, ctx: &ctx }, &sig) {
            Ok(()) => Ok(json!({ "valid": true })),
            Err(PQC_ERR_VERIFY) => Ok(json!({ "valid": false })),
            Err(s) => Err(status_msg(s, "verify")),
        }
    })
}

/// Frees a string returned by any `pqc_ml_*` function. NULL is a no-op.
///
/// # Safety
/// `s` must be NULL or a pointer returned by this library and not yet freed.
#[no_mangle]
pub unsafe extern "C" fn pqc_free_string(s: *mut c_char) {
    if s.is_null() {
        return;
    }
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: `s` came from CString::into_raw in `to_c` (header contract).
        drop(unsafe { CString::from_raw(s) });
    }));
}
