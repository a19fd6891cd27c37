#!/usr/bin/env bash
# Idempotent set-up: everything the harness needs that a fresh clone lacks.
# Each step is skipped when its output is already newer than its inputs.
#   --asan   also build the AddressSanitizer build of native/ (target/asan/,
#            about 2 minutes the first time) that `--host asan` loads. A run
#            never builds it itself.
#   --fleet  also build the fleet's module wrappers (`pqc-harness fleet build`:
#            each fleet/*/build.sh, pinned and idempotent; about 12 minutes from
#            scratch on 2 busy cores, 17 s when up to date). A missing toolchain
#            is named and skipped, and fails the set-up in CI (CI set).
set -euo pipefail
cd "$(dirname "$0")/.."

asan=0
fleet=0
for a in "$@"; do
  case "$a" in
    --asan) asan=1 ;;
    --fleet) fleet=1 ;;
    *) echo "setup: unknown option $a (known: --asan, --fleet)" >&2; exit 2 ;;
  esac
done

# An installed package has no package-lock.json: its dependencies are the
# installing project's business, not this script's.
if [ -f package-lock.json ] && { [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; }; then
  echo "setup: npm ci" >&2
  npm ci --no-audit --no-fund
fi

# --- liboqs --------------------------------------------------------------------
# Builds liboqs 0.13.0 (C only, from the crates.io crate oqs-sys =0.11.0) into
# build/liboqs/; a no-op once build/liboqs/lib/liboqs.so exists. Skipped when
# PQC_LIBOQS points at the user's own liboqs.so.
if [ -n "${PQC_LIBOQS:-}" ]; then
  echo "setup: liboqs: using PQC_LIBOQS=$PQC_LIBOQS (not building)" >&2
  [ -f "$PQC_LIBOQS" ] || { echo "setup: liboqs: PQC_LIBOQS=$PQC_LIBOQS does not exist" >&2; exit 1; }
else
  echo "setup: liboqs: $(bash native/liboqs/build.sh)" >&2
fi
# --- end liboqs ----------------------------------------------------------------

# --- rust cdylib ---------------------------------------------------------------
# Builds native/ (pqc-native: RustCrypto ml-kem + ml-dsa behind the C ABI in
# native/include/pqc_native.h) into target/release/libpqc_native.so, with the
# committed Cargo.lock (--locked). Skipped when the library is newer than every
# input: native/src/**, native/Cargo.toml, Cargo.toml, Cargo.lock.
rust_lib=target/release/libpqc_native.so
rust_stale=0
if [ ! -f "$rust_lib" ]; then
  rust_stale=1
elif [ -n "$(find native/src native/Cargo.toml Cargo.toml Cargo.lock -newer "$rust_lib" -print -quit 2>/dev/null)" ]; then
  rust_stale=1
fi
if [ "$rust_stale" = 1 ]; then
  [ -f Cargo.lock ] || { echo "setup: rust: Cargo.lock is missing (it is committed; restore it)" >&2; exit 1; }
  command -v cargo >/dev/null || { echo "setup: rust: cargo not found (install Rust >= 1.87)" >&2; exit 1; }
  echo "setup: rust: cargo build --release --locked -p pqc-native" >&2
  cargo build --release --locked -p pqc-native
  touch "$rust_lib"
else
  echo "setup: rust: $rust_lib is up to date" >&2
fi
# --- end rust cdylib -----------------------------------------------------------

# --- Go's FIPS 140-3 module wrapper ---------------------------------------------
# A real external implementation the tests drive through `process:` (Go's own
# ACVP module wrapper, shipped with the toolchain): build/go-fips/fipstest.
# Rebuilt when the Go version changes; about 30 s. Without Go the tests that
# need it skip (and fail in CI).
if command -v go >/dev/null 2>&1; then
  gover="$(go version)"
  if [ ! -x build/go-fips/fipstest ] || [ "$gover" != "$(cat build/go-fips/go-version 2>/dev/null)" ]; then
    echo "setup: go-fips: go test -c crypto/internal/fips140test ($gover)" >&2
    mkdir -p build/go-fips
    go test -c -o build/go-fips/fipstest crypto/internal/fips140test
    echo "$gover" > build/go-fips/go-version
  else
    echo "setup: go-fips: build/go-fips/fipstest is up to date" >&2
  fi
else
  echo "setup: go-fips: go not found; the Go FIPS module wrapper tests will be skipped" >&2
fi
# --- end Go FIPS module wrapper ----------------------------------------------

# --- memory-check helpers --------------------------------------------------------
# build/shim/libvgmark.so (valgrind per-call markers), build/shim/libctmark.so
# (secret marking for --host ct), the seeded-fault fixture
# build/fixture/libpqc_fault{,_asan}.so and the timing-leak fixture
# build/fixture/libpqc_ct_{O0,O2}.so; gcc only, about 1 s, idempotent.
echo "setup: memcheck helpers: $(bash native/fixture/build.sh)" >&2
if [ "$asan" = 1 ]; then
  # cargo is incremental: a no-op in about a second when nothing changed.
  echo "setup: asan: RUSTC_BOOTSTRAP=1 RUSTFLAGS=-Zsanitizer=address cargo build --release --locked -p pqc-native --target x86_64-unknown-linux-gnu --target-dir target/asan" >&2
  RUSTC_BOOTSTRAP=1 RUSTFLAGS=-Zsanitizer=address cargo build --release --locked -p pqc-native --target x86_64-unknown-linux-gnu --target-dir target/asan
  touch target/asan/x86_64-unknown-linux-gnu/release/libpqc_native.so
fi
# --- end memory-check helpers ------------------------------------------------

# --- the fleet ------------------------------------------------------------------
if [ "$fleet" = 1 ]; then
  echo "setup: fleet: pqc-harness fleet build" >&2
  node bin/pqc-harness.js fleet build
fi
# --- end the fleet ---------------------------------------------------------------
