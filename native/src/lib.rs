//! pqc-native: a C ABI over RustCrypto `ml-kem` and `ml-dsa` for pqc-harness.
//!
//! Two shapes live in this one library:
//! - the buffer ABI (`pqc_kem_*`, `pqc_dsa_*`): caller-allocated buffers with
//!   explicit lengths, explicit randomness, numeric status codes;
//! - the seed's JSON ABI (`pqc_ml_kem_768_*`, `pqc_ml_dsa_65_*`,
//!   `pqc_free_string`): heap JSON strings owned by the library.
//!
//! `native/include/pqc_native.h` is the single source of truth for both; keep
//! this crate in step with it. No cryptography is implemented here: every
//! primitive comes from RustCrypto crates. This crate only checks lengths,
//! dispatches on the parameter set, and frames M' for the pre-hash variant.

#![deny(unsafe_op_in_unsafe_fn)]

mod abi;
mod bench;
mod dsa;
mod json_abi;
mod kem;
mod prehash;

pub use abi::*;
pub use bench::*;
pub use dsa::*;
pub use json_abi::*;
pub use kem::*;
