#!/usr/bin/env bash
# Build one Rust wrapper of the fleet (a member of the workspace in this folder)
# into build/fleet/<name>/wrapper. Usage: build-wrapper.sh <name>
#
# Idempotent: cargo rebuilds only what changed, and the binary is copied only
# when it differs. Versions are pinned by this folder's Cargo.lock (--locked);
# crates come from crates.io into cargo's own cache (~/.cargo); build output
# stays under build/fleet/ in the checkout.
# Exit 3 with a one-line reason on stderr when cargo is missing.
set -euo pipefail

NAME="${1:?usage: build-wrapper.sh <wrapper name>}"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TARGET="$REPO/build/fleet/rust-target"
OUT="$REPO/build/fleet/$NAME/wrapper"

if ! command -v cargo >/dev/null 2>&1; then
  echo "$NAME: cargo not found: install the Rust toolchain (rustup, stable >= 1.85; about 1 GB of disk)" >&2
  exit 3
fi

start=$(date +%s)
nice -n 10 cargo build --locked --release --quiet \
  --manifest-path "$REPO/fleet/rust/Cargo.toml" --target-dir "$TARGET" -p "$NAME" >&2
built="$TARGET/release/$NAME"
mkdir -p "$(dirname "$OUT")"
if [ -f "$OUT" ] && cmp -s "$built" "$OUT"; then
  echo "$NAME: up to date: $OUT"
else
  cp "$built" "$OUT.tmp" && mv "$OUT.tmp" "$OUT"
  echo "$NAME: built $OUT in $(( $(date +%s) - start )) s ($(cargo --version))"
fi
