#!/usr/bin/env bash
# Build the py-cryptography wrapper: a venv in .cache/fleet/py-cryptography/
# holding the pinned, hash-checked packages of requirements.txt, and the
# launcher build/fleet/py-cryptography/wrapper that runs wrapper.py with it.
#
# Idempotent: the venv is rebuilt only when requirements.txt changed since it
# was made. Nothing is written outside .cache/fleet/ and build/fleet/ except
# pip's own cache (~/.cache/pip).
# Exit 3 with a one-line reason on stderr when python3 (with venv) is missing.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
VENV="$REPO/.cache/fleet/py-cryptography"
OUT="$REPO/build/fleet/py-cryptography/wrapper"
PY=python3

if ! command -v "$PY" >/dev/null 2>&1 || ! "$PY" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  echo "py-cryptography: $PY with venv and ensurepip not found: install Python >= 3.8 (Debian: python3-venv; about 50 MB)" >&2
  exit 3
fi

did=()
stamp="$VENV/requirements.txt"
if ! cmp -s "$HERE/requirements.txt" "$stamp" || [ ! -x "$VENV/bin/python" ]; then
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes --only-binary=:all: -r "$HERE/requirements.txt" >&2
  cp "$HERE/requirements.txt" "$stamp"
  did+=("venv")
fi

mkdir -p "$(dirname "$OUT")"
# The launcher finds the venv and wrapper.py from its own place in the checkout.
cat > "$OUT.tmp" <<'SH'
#!/bin/sh
root="$(cd "$(dirname "$0")/../../.." && pwd)"
exec "$root/.cache/fleet/py-cryptography/bin/python" -u "$root/fleet/py-cryptography/wrapper.py" "$@"
SH
chmod +x "$OUT.tmp"
if cmp -s "$OUT.tmp" "$OUT"; then rm "$OUT.tmp"; else mv "$OUT.tmp" "$OUT"; did+=("launcher"); fi

version="$("$VENV/bin/python" -c 'import cryptography; from cryptography.hazmat.backends.openssl.backend import backend as b; print("cryptography", cryptography.__version__, "with", b.openssl_version_text())')"
if [ ${#did[@]} -eq 0 ]; then
  echo "py-cryptography: up to date: $OUT ($version)"
else
  echo "py-cryptography: built $OUT (${did[*]}; $version)"
fi
