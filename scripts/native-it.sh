#!/usr/bin/env bash
# Builds the native executable with the SubstrateVM harness (HARNESS, default ../shared/native) and runs
# the *IT suites against it instead of the jar. Usage: scripts/native-it.sh [HARNESS]
set -euo pipefail
cd "$(dirname "$0")/.."
HARNESS=$(cd "${1:-../shared/native}" && pwd)

binary=$("$HARNESS/bin/build-native.sh" .)
echo "native executable: $binary ($(du -h "$binary" | cut -f1))"
# @QuarkusIntegrationTest launches what target/quarkus-artifact.properties names; the sources-only build
# left "native-sources" there. The ServiceProcess-based suites take native.image.path (set by failsafe).
cat > target/quarkus-artifact.properties <<PROPS
path=$(basename "$binary")
type=native
PROPS
./mvnw -B -Dnative failsafe:integration-test failsafe:verify
