#!/usr/bin/env bash
# Builds build/fleet/java-jdk/wrapper (see fleet/javamw/build.sh; exit 3: no JDK >= 24 or no Maven).
# JDK 24 is the first with ML-KEM (SunJCE) and ML-DSA (SUN).
exec bash "$(dirname "${BASH_SOURCE[0]}")/../javamw/build.sh" java-jdk 24 pqcharness.fleet.jdk.Main
