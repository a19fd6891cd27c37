#!/usr/bin/env bash
# Build build/fleet/ts-mlkem/: the wrapper's sources, its npm dependencies
# (pinned by package-lock.json, installed with `npm ci`), the compiled
# JavaScript, and the launcher build/fleet/ts-mlkem/wrapper.
#
# Idempotent: npm ci runs only when package-lock.json changed since the last
# install, and tsc only when a source changed. Nothing is written outside
# build/fleet/ts-mlkem/ except npm's own cache (~/.npm).
# Exit 3 with a one-line reason on stderr when node or npm is missing.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
OUT="$REPO/build/fleet/ts-mlkem"

for tool in node npm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "ts-mlkem: $tool not found: install Node.js >= 20 with npm (about 100 MB)" >&2; exit 3; }
done

mkdir -p "$OUT/src"
did=()
# 1. Dependencies, when the lock file changed.
if ! cmp -s "$HERE/package-lock.json" "$OUT/package-lock.json" || [ ! -d "$OUT/node_modules/mlkem" ]; then
  cp "$HERE/package.json" "$HERE/package-lock.json" "$OUT/"
  (cd "$OUT" && npm ci --no-audit --no-fund --loglevel=error >&2)
  did+=("npm ci")
fi
# 2. Sources, compiled when any of them changed.
changed=0
for f in "$HERE"/src/*.ts "$HERE/tsconfig.json"; do
  rel="${f#"$HERE"/}"
  if ! cmp -s "$f" "$OUT/$rel"; then cp "$f" "$OUT/$rel"; changed=1; fi
done
if [ "$changed" = 1 ] || [ ! -f "$OUT/dist/main.js" ]; then
  rm -f "$OUT/dist/main.js" # so that a failed compile is retried next time
  (cd "$OUT" && node node_modules/typescript/bin/tsc -p tsconfig.json >&2)
  did+=("tsc")
fi
# 3. The launcher the harness runs.
cat > "$OUT/wrapper.tmp" <<'SH'
#!/bin/sh
exec node "$(dirname "$0")/dist/main.js" "$@"
SH
chmod +x "$OUT/wrapper.tmp"
if cmp -s "$OUT/wrapper.tmp" "$OUT/wrapper"; then rm "$OUT/wrapper.tmp"; else mv "$OUT/wrapper.tmp" "$OUT/wrapper"; did+=("launcher"); fi

if [ ${#did[@]} -eq 0 ]; then
  echo "ts-mlkem: up to date: $OUT/wrapper"
else
  echo "ts-mlkem: built $OUT/wrapper (${did[*]}; mlkem $(node -p "require('$OUT/node_modules/mlkem/package.json').version"), node $(node --version))"
fi
