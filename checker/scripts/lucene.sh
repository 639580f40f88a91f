#!/usr/bin/env bash
# Compiles the Lucene core 10.5.0 sources (1,213 files, no dependencies) three ways and times
# them: plain javac, javac with Error Prone and every check disabled, and javac with Error Prone
# running only the arena-guard checks. Prints every arena-guard finding (the checks run at WARN,
# so javac must not be given -nowarn, which hides them).
#
#   checker/scripts/lucene.sh [runs]      # default 1 run of each; the median is printed
#
# Needs JDK 25 (JAVA_HOME) and network access to Maven Central on the first run.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
RUNS=${1:-1}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVAC="$JAVA_HOME/bin/javac"
WORK="$ROOT/checker/target/lucene"
mkdir -p "$WORK"

./mvnw -q -pl checker -am package -DskipTests
./mvnw -q dependency:get -Dartifact=org.apache.lucene:lucene-core:10.5.0:jar:sources
./mvnw -q -f checker/scripts/errorprone-classpath.pom.xml dependency:build-classpath \
  -Dmdep.outputFile="$WORK/ep.classpath" >/dev/null
REPO=$(./mvnw -q help:evaluate -Dexpression=settings.localRepository -DforceStdout 2>/dev/null || echo "$HOME/.m2/repository")
SOURCES_JAR="$REPO/org/apache/lucene/lucene-core/10.5.0/lucene-core-10.5.0-sources.jar"

if [ ! -d "$WORK/src" ]; then
  mkdir -p "$WORK/src" && (cd "$WORK/src" && unzip -q "$SOURCES_JAR")
fi
find "$WORK/src" -name '*.java' > "$WORK/files.txt"
echo "Lucene core sources: $(wc -l < "$WORK/files.txt") files"

PROCESSOR_PATH="$ROOT/checker/target/arena-guard-checker-0.1.0-SNAPSHOT.jar:$ROOT/annotations/target/arena-guard-annotations-0.1.0-SNAPSHOT.jar:$(cat "$WORK/ep.classpath")"
source "$ROOT/checker/scripts/errorprone-javac.sh"

run() { # name, javac args...
  local name=$1; shift
  rm -rf "$WORK/out-$name" && mkdir -p "$WORK/out-$name"
  set +e
  # CPU seconds (user + system) are compared: wall time on a shared machine is too noisy.
  /usr/bin/time -f "%e %U %S" -o "$WORK/$name.time" \
    "$JAVAC" "${JFLAGS[@]}" "${COMMON[@]}" -d "$WORK/out-$name" "$@" @"$WORK/files.txt" > "$WORK/$name.log" 2>&1
  local rc=$?
  set -e
  read -r wall user sys < "$WORK/$name.time"
  echo "$name rc=$rc $(echo "$user + $sys" | bc) $wall" >> "$WORK/times.txt"
  if grep -q "An exception has occurred\|ErrorProneError\|internal error" "$WORK/$name.log"; then
    echo "FAILED: $name crashed or reported an internal error; see $WORK/$name.log" >&2
    exit 1
  fi
}

: > "$WORK/times.txt"
for i in $(seq "$RUNS"); do
  run plain
  run errorprone --processor-path "$PROCESSOR_PATH" '-Xplugin:ErrorProne -XepDisableAllChecks'
  run arenaguard --processor-path "$PROCESSOR_PATH" \
    '-Xplugin:ErrorProne -XepDisableAllChecks -Xep:ArenaEscape:WARN -Xep:ArenaAnnotationMisuse:WARN -Xep:ArenaLongLivedOwner:WARN -Xep:ArenaThreadConfinement:WARN'
done

median() { grep "^$1 " "$WORK/times.txt" | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
P=$(median plain); E=$(median errorprone); A=$(median arenaguard)
echo "runs: $RUNS; median CPU seconds (user+sys): plain javac $P, Error Prone (no checks) $E, Error Prone + arena-guard $A"
echo "ratio arena-guard / plain javac: $(echo "scale=2; $A / $P" | bc); arena-guard / Error Prone alone: $(echo "scale=2; $A / $E" | bc)"
FINDINGS=$(grep -c "\[Arena" "$WORK/arenaguard.log" || true)
echo "arena-guard findings: $FINDINGS (full log: $WORK/arenaguard.log)"
grep -A2 "\[Arena" "$WORK/arenaguard.log" || true
