#!/usr/bin/env bash
# Builds build/fleet/go-trailofbits-mldsa/wrapper (see fleet/gomw/build.sh; exit 3: no Go toolchain).
exec bash "$(dirname "${BASH_SOURCE[0]}")/../gomw/build.sh" go-trailofbits-mldsa
