#!/usr/bin/env bash
# Build build/fleet/py-cryptography/wrapper (a venv from requirements.txt, pinned with hashes).
exec bash "$(dirname "${BASH_SOURCE[0]}")/../python/build-wrapper.sh" py-cryptography
