#!/usr/bin/env bash
# Builds build/fleet/java-bouncycastle/wrapper (see fleet/javamw/build.sh; exit 3: no JDK >= 17 or no Maven).
exec bash "$(dirname "${BASH_SOURCE[0]}")/../javamw/build.sh" java-bouncycastle 17 pqcharness.fleet.bc.Main
