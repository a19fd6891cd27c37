#!/usr/bin/env bash
# Build build/fleet/rust-pqcrypto/wrapper (cargo; versions pinned by fleet/rust/Cargo.lock).
exec bash "$(dirname "${BASH_SOURCE[0]}")/../rust/build-wrapper.sh" rust-pqcrypto
