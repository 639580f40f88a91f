#!/usr/bin/env bash
# The runtime before and after a change, in one JVM, interleaved: the runtime of git revision REV
# is copied under another package (before.arenaguard.runtime) next to the current one, and the
# benchmarks in benchmarks/before-after/ run both, and the baselines, call by call in turn.
#
#   benchmarks/before-after.sh REV [JMH options]     e.g. 125ead9 BeforeAfterBursty -f 3
#
# Prints, per benchmark and parameter, the medians of the counters over the undisturbed iterations
# (those whose baseline ran within 1.5 x its fastest iteration; maxima: the largest), the ratios
# iteration by iteration (median [range]), and the JMH output's path. Needs python3 for that.
set -euo pipefail
cd "$(dirname "$0")/.."
REV=${1:?usage: benchmarks/before-after.sh REV [JMH options]}
shift
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
WORK=benchmarks/target/before-after
rm -rf "$WORK" && mkdir -p "$WORK/src/before" "$WORK/classes"
for f in $(git ls-tree --name-only "$REV" arena-runtime/src/main/java/dev/arenaguard/runtime/ | grep '\.java$'); do
  git show "$REV:$f" |
    sed 's/^package dev\.arenaguard\.runtime;/package before.arenaguard.runtime;/; s/dev\.arenaguard\.runtime\./before.arenaguard.runtime./g; s/@Name("dev\.arenaguard\./@Name("before.arenaguard./' \
      >"$WORK/src/before/$(basename "$f")"
done
./mvnw -q -B -pl benchmarks -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/classpath.txt >/dev/null
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
# JMH's annotation processor sits next to jmh-core in the local repository (the benchmarks build used it).
PROCESSOR=$(tr ':' '\n' <<<"$CP" | grep '/jmh-core-' | sed 's|jmh-core|jmh-generator-annprocess|g')
"$JAVA_HOME/bin/javac" -nowarn -d "$WORK/classes" -cp "$CP" -processorpath "$PROCESSOR:$CP" \
  $(find "$WORK/src" benchmarks/before-after -name '*.java') 2>&1 | grep -v '^Note:' || true
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$WORK/classes:$CP" org.openjdk.jmh.Main \
  "$@" -rf json -rff "$WORK/results.json" | tee "$WORK/output.txt" >/dev/null
python3 - "$WORK/results.json" <<'PY'
import json, statistics, sys
for d in json.load(open(sys.argv[1])):
    sm = d["secondaryMetrics"]
    vals = lambda n: [x for fork in sm[n]["rawData"] for x in fork]
    baseline = "slicing" if "slicing" in sm else "jdk_allocate_p50"
    ind = vals(baseline); fastest = min(ind)
    keep = [i for i, x in enumerate(ind) if x <= 1.5 * fastest]
    print(d["benchmark"], d.get("params", {}), f"undisturbed iterations: {len(keep)} of {len(ind)}")
    for n in sorted(sm):
        if n.startswith("gc.") or n.startswith("cpu."):
            continue
        v = [vals(n)[i] for i in keep]
        print(f"  {n}: {max(v) if n.endswith('_max') else statistics.median(v):,.2f}")
    if baseline == "slicing":
        for a, b in (("before", "slicing"), ("after", "slicing"), ("after", "slicingHeld"), ("slicingHeld", "slicing")):
            r = sorted(vals(a)[i] / vals(b)[i] for i in keep)
            print(f"  {a} / {b}: {statistics.median(r):.2f} [{r[0]:.2f}-{r[-1]:.2f}]")
PY
echo "JMH output: $WORK/output.txt"
