#!/usr/bin/env bash
# Runs the runtime benchmarks (JMH, one run) and prints the ratio tables of docs/PERFORMANCE.md.
#
#   benchmarks/runtime.sh [JMH options]     e.g. -f 1 -wi 3 -i 5, or a benchmark regex: Lifecycle
#
# Defaults: every runtime benchmark, 1 fork, 3 × 1 s warmup, 5 × 1 s measurement, -prof gc (about
# 11 minutes). Output: the tables on stdout and in benchmarks/target/runtime-benchmarks.md, JMH's
# JSON in benchmarks/target/runtime-benchmarks.json.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
./mvnw -q -B -pl benchmarks -am install -DskipTests
./mvnw -q -B -pl benchmarks dependency:build-classpath -Dmdep.outputFile="$PWD/benchmarks/target/classpath.txt" >/dev/null
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  dev.arenaguard.benchmarks.RuntimeBenchmarks "$@"
