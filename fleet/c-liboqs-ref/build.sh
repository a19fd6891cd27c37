#!/usr/bin/env bash
# Build build/fleet/c-liboqs-ref/wrapper: a second liboqs 0.13.0, static and
# with only its portable reference code (no AVX2 path), from the C source that
# native/liboqs/build.sh fetches (crates.io oqs-sys 0.11.0, unpacked in .cache/),
# linked into the small C module wrapper beside this script.
#
# Idempotent: liboqs is configured and built once; the wrapper is relinked
# only when a source changed. Output stays under build/fleet/c-liboqs-ref/.
# Exit 3 with a one-line reason on stderr when a tool is missing.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
OUT="$REPO/build/fleet/c-liboqs-ref"
LIB="$OUT/liboqs/lib/liboqs.a"

for tool in cc cmake ninja cargo; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "c-liboqs-ref: $tool not found: needs a C compiler, cmake and ninja (Debian: build-essential cmake ninja-build, about 300 MB) and cargo to fetch the liboqs source from crates.io" >&2
    exit 3
  }
done

did=()
if [ ! -f "$LIB" ]; then
  SRC="$(bash "$REPO/native/liboqs/build.sh" --source)"
  start=$(date +%s)
  # OQS_DIST_BUILD=OFF + OQS_OPT_TARGET=generic: no CPU-specific code is compiled in.
  cmake -S "$SRC" -B "$OUT/liboqs" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_SHARED_LIBS=OFF \
    -DOQS_BUILD_ONLY_LIB=ON \
    -DOQS_USE_OPENSSL=OFF \
    -DOQS_DIST_BUILD=OFF \
    -DOQS_OPT_TARGET=generic \
    -DOQS_MINIMAL_BUILD="KEM_ml_kem_512;KEM_ml_kem_768;KEM_ml_kem_1024;SIG_ml_dsa_44;SIG_ml_dsa_65;SIG_ml_dsa_87" >&2
  nice -n 10 cmake --build "$OUT/liboqs" >&2
  [ -f "$LIB" ] || { echo "c-liboqs-ref: the liboqs build finished without $LIB" >&2; exit 1; }
  did+=("liboqs (reference code, $(( $(date +%s) - start )) s)")
fi

# The wrapper, relinked when a source or the library is newer than it.
BIN="$OUT/wrapper"
if [ ! -x "$BIN" ] || [ -n "$(find "$HERE"/*.c "$HERE"/*.h "$LIB" -newer "$BIN" 2>/dev/null)" ]; then
  cc -std=c11 -O2 -g -Wall -Wextra -Werror -I "$OUT/liboqs/include" \
    "$HERE/wrapper.c" "$HERE/mw.c" "$LIB" -o "$BIN.tmp"
  mv "$BIN.tmp" "$BIN"
  did+=("wrapper")
fi

if [ ${#did[@]} -eq 0 ]; then
  echo "c-liboqs-ref: up to date: $BIN"
else
  echo "c-liboqs-ref: built $BIN (${did[*]})"
fi
