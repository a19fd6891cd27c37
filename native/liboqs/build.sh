#!/usr/bin/env bash
# Build liboqs (C library only) from the C source carried by the crates.io
# crate oqs-sys =0.11.0 (liboqs 0.13.0) into <repo>/build/liboqs/.
#
# Idempotent: does nothing when build/liboqs/lib/liboqs.so already exists.
# Needs: cargo (crates.io reachable, only for the first fetch), cmake, ninja, a C compiler.
# Prints the absolute path of liboqs.so on stdout (everything else goes to stderr).
# With --source: only fetch and unpack, and print the liboqs source directory
# (fleet/c-liboqs-ref builds a second, reference-only liboqs from it).
set -euo pipefail

SOURCE_ONLY=0
[ "${1:-}" = "--source" ] && SOURCE_ONLY=1

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CRATE_VERSION="0.11.0"
CACHE="$REPO/.cache"
FETCH_DIR="$CACHE/liboqs-fetch"
SRC_ROOT="$CACHE/oqs-sys-$CRATE_VERSION-src"
BUILD_DIR="$REPO/build/liboqs"
SO="$BUILD_DIR/lib/liboqs.so"

log() { echo "liboqs: $*" >&2; }

if [ "$SOURCE_ONLY" = 0 ] && [ -f "$SO" ]; then
  log "already built"
  echo "$SO"
  exit 0
fi

if [ "$SOURCE_ONLY" = 1 ] && [ -f "$SRC_ROOT/liboqs/CMakeLists.txt" ]; then
  echo "$SRC_ROOT/liboqs"
  exit 0
fi

for tool in cargo cmake ninja; do
  command -v "$tool" >/dev/null 2>&1 || { log "missing required tool: $tool"; exit 1; }
done

# 1. Obtain the .crate through cargo's ordinary registry client (throwaway manifest).
find_crate() {
  local home="${CARGO_HOME:-$HOME/.cargo}"
  # cargo keeps the build metadata in the file name: oqs-sys-0.11.0+liboqs-0.13.0.crate
  ls -1 "$home"/registry/cache/*/"oqs-sys-$CRATE_VERSION".crate "$home"/registry/cache/*/"oqs-sys-$CRATE_VERSION"+*.crate 2>/dev/null | head -n 1 || true
}

if [ ! -f "$SRC_ROOT/liboqs/CMakeLists.txt" ]; then
  CRATE_FILE="$(find_crate)"
  if [ -z "$CRATE_FILE" ]; then
    log "fetching oqs-sys $CRATE_VERSION from crates.io"
    mkdir -p "$FETCH_DIR/src"
    cat > "$FETCH_DIR/Cargo.toml" <<TOML
[package]
name = "pqc-harness-liboqs-fetch"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
oqs-sys = { version = "=$CRATE_VERSION", default-features = false }

[workspace]
TOML
    [ -f "$FETCH_DIR/src/lib.rs" ] || : > "$FETCH_DIR/src/lib.rs"
    cargo fetch --manifest-path "$FETCH_DIR/Cargo.toml" >&2
    CRATE_FILE="$(find_crate)"
    [ -n "$CRATE_FILE" ] || { log "cargo fetch did not leave oqs-sys-$CRATE_VERSION*.crate in the registry cache"; exit 1; }
  else
    log "using cached $CRATE_FILE"
  fi
  log "unpacking $CRATE_FILE"
  # The .crate is a tar.gz with one top directory (oqs-sys-<version>[+metadata]/).
  # Unpack beside the target and rename, so an interrupted run never leaves a
  # half-unpacked tree that looks complete.
  rm -rf "$SRC_ROOT" "$SRC_ROOT.partial"
  mkdir -p "$SRC_ROOT.partial"
  tar -xzf "$CRATE_FILE" -C "$SRC_ROOT.partial" --strip-components=1
  [ -f "$SRC_ROOT.partial/liboqs/CMakeLists.txt" ] || { log "no liboqs/CMakeLists.txt in $CRATE_FILE"; exit 1; }
  mv "$SRC_ROOT.partial" "$SRC_ROOT"
fi

if [ "$SOURCE_ONLY" = 1 ]; then
  echo "$SRC_ROOT/liboqs"
  exit 0
fi

# 2. Configure and build only the C library: shared, minimal, no OpenSSL,
#    portable (runtime CPU-feature dispatch).
log "configuring (source $SRC_ROOT/liboqs)"
start=$(date +%s)
cmake -S "$SRC_ROOT/liboqs" -B "$BUILD_DIR" -G Ninja \
  -DCMAKE_BUILD_TYPE=Release \
  -DBUILD_SHARED_LIBS=ON \
  -DOQS_BUILD_ONLY_LIB=ON \
  -DOQS_USE_OPENSSL=OFF \
  -DOQS_DIST_BUILD=ON \
  -DOQS_MINIMAL_BUILD="KEM_ml_kem_512;KEM_ml_kem_768;KEM_ml_kem_1024;SIG_ml_dsa_44;SIG_ml_dsa_65;SIG_ml_dsa_87" >&2
log "building"
cmake --build "$BUILD_DIR" >&2
end=$(date +%s)

[ -f "$SO" ] || { log "build finished but $SO is missing"; find "$BUILD_DIR" -name 'liboqs.so*' >&2; exit 1; }
log "built in $((end - start)) s: $SO ($(stat -c %s "$(readlink -f "$SO")") bytes)"
echo "$SO"
