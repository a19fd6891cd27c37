#!/usr/bin/env bash
# Idempotent set-up: everything the harness needs that a fresh clone lacks.
# Each step is skipped when its output is already newer than its inputs.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci" >&2
  npm ci --no-audit --no-fund
fi

# --- liboqs (issue [B] part 5; owner: liboqs backend) -------------------------
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
