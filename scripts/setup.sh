#!/usr/bin/env bash
# Idempotent set-up: everything the harness needs that a fresh clone lacks.
# Each step is skipped when its output is already newer than its inputs.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci" >&2
  npm ci --no-audit --no-fund
fi
