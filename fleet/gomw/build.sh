#!/usr/bin/env bash
# Builds one Go wrapper of the fleet: bash fleet/gomw/build.sh <name>
# → build/fleet/<name>/wrapper. Idempotent: a rebuild that yields the same
# binary leaves the old one in place and says so. Versions are pinned by
# fleet/go.mod + fleet/go.sum (read-only: nothing is upgraded here). Modules
# come from the Go module proxy into the standard module cache; the build
# cache lives in .cache/go-build inside the checkout.
# Exit 3 with a one-line reason on stderr when the toolchain is missing.
set -euo pipefail
name="${1:?usage: fleet/gomw/build.sh <wrapper name>}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
need="go1.26"

if ! command -v go >/dev/null 2>&1; then
  echo "$name: toolchain missing: Go >= 1.26 (go.dev/dl tarball, about 70 MB download, 250 MB installed)" >&2
  exit 3
fi
have="$(go env GOVERSION)"
# go.mod says 1.26; an older go would try to download a newer toolchain, which is not ours to do.
if [ "$(printf '%s\n%s\n' "$need" "$have" | sort -V | head -n1)" != "$need" ]; then
  echo "$name: toolchain missing: Go >= 1.26 (found $have; go.dev/dl tarball, about 70 MB download)" >&2
  exit 3
fi

out="$root/build/fleet/$name"
mkdir -p "$out"
export GOCACHE="$root/.cache/go-build" GOFLAGS="-mod=readonly -buildvcs=false" GOTOOLCHAIN=local
tmp="$(mktemp "$out/.wrapper.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
(cd "$root/fleet" && go build -trimpath -o "$tmp" "./$name")
if [ -f "$out/wrapper" ] && cmp -s "$tmp" "$out/wrapper"; then
  echo "$name: up to date: build/fleet/$name/wrapper ($have)"
else
  mv "$tmp" "$out/wrapper"
  echo "$name: built build/fleet/$name/wrapper ($have)"
fi
