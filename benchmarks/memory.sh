#!/usr/bin/env bash
# Memory over many requests: reserved and resident bytes after 1,000 and 1,000,000 requests whose
# memory a phase, a pool lease or a reset releases; then the anti-pattern (a long-lived arena that
# every request allocates into, never reset) growing until the retention watchdog reports it.
#
#   benchmarks/memory.sh [first cycles] [last cycles] [anti-pattern requests]   (1000 1000000 12000)
#
# The heap is fixed and pre-touched so that resident memory measures native memory, not the Java
# heap growing. The anti-pattern part grows the process by about 36 KB per request (430 MB by
# default). Output: Markdown on stdout and in benchmarks/target/memory.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
# Package in one reactor build (nothing installed into ~/.m2): the class path names the modules' jars.
./mvnw -q -B -pl benchmarks -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/classpath.txt >/dev/null
"$JAVA_HOME/bin/java" -Xms64m -Xmx64m -XX:+AlwaysPreTouch --enable-native-access=ALL-UNNAMED \
  -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  dev.arenaguard.benchmarks.MemoryFootprint "$@" | tee benchmarks/target/memory.md
