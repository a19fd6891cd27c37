#!/usr/bin/env bash
# Build build/fleet/py-kyber/wrapper (a venv from requirements.txt, pinned with hashes).
exec bash "$(dirname "${BASH_SOURCE[0]}")/../python/build-wrapper.sh" py-kyber
