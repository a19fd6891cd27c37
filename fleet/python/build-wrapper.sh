#!/usr/bin/env bash
# Build one Python wrapper of the fleet: a venv in .cache/fleet/<name>/ holding
# the pinned, hash-checked packages of fleet/<name>/requirements.txt, and the
# launcher build/fleet/<name>/wrapper that runs fleet/<name>/wrapper.py with it
# (and with this folder's framing.py on the path). Usage: build-wrapper.sh <name>
#
# Idempotent: the venv is rebuilt only when requirements.txt changed since it
# was made. Nothing is written outside .cache/fleet/ and build/fleet/ except
# pip's own cache (~/.cache/pip).
# Exit 3 with a one-line reason on stderr when python3 (with venv) is missing.
set -euo pipefail

NAME="${1:?usage: build-wrapper.sh <wrapper name>}"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
REQS="$REPO/fleet/$NAME/requirements.txt"
VENV="$REPO/.cache/fleet/$NAME"
OUT="$REPO/build/fleet/$NAME/wrapper"

if ! command -v python3 >/dev/null 2>&1 || ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  echo "$NAME: python3 with venv and ensurepip not found: install Python >= 3.8 (Debian: python3-venv; about 50 MB)" >&2
  exit 3
fi

did=()
stamp="$VENV/requirements.txt"
if ! cmp -s "$REQS" "$stamp" || [ ! -x "$VENV/bin/python" ]; then
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes --only-binary=:all: -r "$REQS" >&2
  cp "$REQS" "$stamp"
  did+=("venv")
fi

mkdir -p "$(dirname "$OUT")"
# The launcher finds the venv, framing.py and wrapper.py from its own place in the checkout.
cat > "$OUT.tmp" <<SH
#!/bin/sh
root="\$(cd "\$(dirname "\$0")/../../.." && pwd)"
PYTHONPATH="\$root/fleet/python" exec "\$root/.cache/fleet/$NAME/bin/python" -u "\$root/fleet/$NAME/wrapper.py" "\$@"
SH
chmod +x "$OUT.tmp"
if cmp -s "$OUT.tmp" "$OUT"; then rm "$OUT.tmp"; else mv "$OUT.tmp" "$OUT"; did+=("launcher"); fi

packages="$("$VENV/bin/python" -m pip list --disable-pip-version-check --format=freeze --exclude pip --exclude setuptools 2>/dev/null | paste -sd' ')"
if [ ${#did[@]} -eq 0 ]; then
  echo "$NAME: up to date: $OUT ($packages)"
else
  echo "$NAME: built $OUT (${did[*]}; $packages)"
fi
