#!/usr/bin/env bash
# Runs the runtime benchmarks (JMH) and prints the ratio tables of docs/PERFORMANCE.md.
#
#   benchmarks/runtime.sh [--rounds N] [JMH options]   e.g. --rounds 3, -i 10, or a regex: Interleaved
#
# Defaults: every runtime benchmark, 1 fork, 5 × 1 s warmup, 5 × 1 s measurement, -prof gc and CPU
# time per operation (about 20 minutes a round). --rounds N runs it all N times in turn and reports
# medians and ranges. Output: the tables on stdout and in benchmarks/target/runtime-benchmarks.md,
# JMH's JSON in benchmarks/target/runtime-benchmarks[-N].json.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
# Package in one reactor build (nothing installed into ~/.m2): the class path names the modules' jars.
./mvnw -q -B -pl benchmarks -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/classpath.txt >/dev/null
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  dev.arenaguard.benchmarks.RuntimeBenchmarks "$@"
