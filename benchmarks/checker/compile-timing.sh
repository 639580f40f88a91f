#!/usr/bin/env bash
# Whole-compile timing of the arena-guard checker: how much longer javac takes with the checks on.
#
#   benchmarks/checker/compile-timing.sh [-r RUNS] [-s SCALE_RUNS] [-n] [lucene] [dense] [scale] [checks]
#
# -n prints the report of the last run again (from its times.tsv and logs) without compiling.
#
# Corpora (default: lucene dense scale):
#   lucene  Lucene core 10.5.0 sources (Maven Central sources jar, 1,213 files, no dependencies)
#   dense   300 generated arena-dense classes (dev.arenaguard.benchmarks.ArenaCorpus), 1 in 25
#           with a planted bug; findings are compared with the planted bugs
#   scale   5,000 statements in one method, in five and in ten methods, and 300 vs 3,000
#           generated classes: does the checker's time grow linearly?
#   checks  the dense corpus with one arena-guard check at a time: where the checker's time goes
#
# Configurations, each compiled in a fresh JVM (java + .mvn/jvm.config's flags, running javac):
#   plain  javac alone (reference; lucene and dense only)
#   off    Error Prone with every check disabled (-XepDisableAllChecks): the baseline
#   arena  only the arena-guard checks, every check the checker jar registers (its ServiceLoader
#          file), each -Xep:Name:ERROR
#   ep     Error Prone's default checks (arena-guard's checks off)
# All Error Prone runs pass -XepAllErrorsAsWarnings, so that a finding never stops javac before
# code generation and every run does the same work. RUNS runs of each (default 5), interleaved
# (plain, off, arena, ep, plain, ...), so that load from elsewhere hits every configuration alike;
# the report gives medians of wall-clock and of CPU (user + sys) time, and their ratios.
#
# Output: a Markdown report on stdout and in benchmarks/target/compile-timing/report.md; raw times
# in times.tsv, compiler logs in logs/. Exits 1 if javac or a check crashed (the log is kept and
# named) or a compilation failed. Needs JDK 25 (JAVA_HOME) and Maven Central on the first run.
# The whole script is one function, read before it runs: editing this file during a run (which
# takes most of an hour) cannot change what the run does.
main() {
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
WORK="$ROOT/benchmarks/target/compile-timing"
RUNS=5
SCALE_RUNS=5
REPORT_ONLY=0
while getopts "r:s:n" opt; do
  case $opt in
    r) RUNS=$OPTARG ;;
    s) SCALE_RUNS=$OPTARG ;;
    n) REPORT_ONLY=1 ;;
    *) sed -n '2,34p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
CORPORA=("$@")
[ ${#CORPORA[@]} -eq 0 ] && CORPORA=(lucene dense scale)

mkdir -p "$WORK/logs"
MVN=(./mvnw -q -B)
FAILED=0
TIMES="$WORK/times.tsv"

# ---- build and resolve everything from Maven
if [ "$REPORT_ONLY" -eq 0 ]; then
echo "Building the checker and the benchmarks (install, no tests)..." >&2
if ! "${MVN[@]}" -pl checker,benchmarks -am install -DskipTests >"$WORK/build.log" 2>&1; then
  cat "$WORK/build.log" >&2
  echo "The build failed (see above; the checker may be mid-change: retry in a few minutes)." >&2
  exit 1
fi
"${MVN[@]}" -f benchmarks/checker/processor-path.pom.xml dependency:build-classpath \
  -Dmdep.outputFile="$WORK/processor-path.txt" >/dev/null
# Others install new snapshots into the local repository while this runs: every run must use the
# same checker, so this project's jars are copied aside once, now.
rm -rf "$WORK/jars" && mkdir -p "$WORK/jars"
PROCESSOR_PATH=""
for jar in $(tr ':' '\n' <"$WORK/processor-path.txt"); do
  case $(basename "$jar") in
    arena-guard-*) cp "$jar" "$WORK/jars/" && jar="$WORK/jars/$(basename "$jar")" ;;
  esac
  PROCESSOR_PATH+="${PROCESSOR_PATH:+:}$jar"
done
echo "$PROCESSOR_PATH" >"$WORK/run-processor-path.txt"
echo "checker of commit $(git log -1 --format='%h (%cd)' --date=format:'%Y-%m-%d %H:%M' -- checker)$(git diff --quiet HEAD -- checker || echo ' with uncommitted changes'), runtime of commit $(git log -1 --format='%h' -- arena-runtime)" >"$WORK/run-info.txt"
cat "$WORK/run-info.txt" >&2
fi
PROCESSOR_PATH=$(cat "$WORK/run-processor-path.txt")
CHECKER_JAR=$(tr ':' '\n' <<<"$PROCESSOR_PATH" | grep '/arena-guard-checker-[^/]*\.jar$')
CORPUS_CP=$(tr ':' '\n' <<<"$PROCESSOR_PATH" | grep -E '/arena-guard-(annotations|runtime)-[^/]*\.jar$' | paste -sd:)
# The checks are the BugCheckers the jar registers; by the project's convention (SPEC §2) each
# check's name is its class's simple name.
mapfile -t CHECKS < <(unzip -p "$CHECKER_JAR" META-INF/services/com.google.errorprone.bugpatterns.BugChecker \
  | sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' -e 's/.*\.//')
if [ ${#CHECKS[@]} -eq 0 ]; then
  echo "No checks registered in $CHECKER_JAR" >&2
  exit 1
fi
echo "arena-guard checks: ${CHECKS[*]}" >&2
ARENA_ON="" ARENA_OFF=""
for c in "${CHECKS[@]}"; do
  ARENA_ON+=" -Xep:$c:ERROR"
  ARENA_OFF+=" -Xep:$c:OFF"
done
mapfile -t JVM_FLAGS < <(tr ' ' '\n' <"$ROOT/.mvn/jvm.config" | sed '/^$/d')

# ---- corpora
generate() { # dir, ArenaCorpus arguments...
  local dir=$1; shift
  rm -rf "$dir" && mkdir -p "$dir"
  "$JAVA" -cp "$ROOT/benchmarks/target/classes" dev.arenaguard.benchmarks.ArenaCorpus "$dir" "$@" >&2
}

prepare() { # corpus name -> $WORK/<name>/files.txt
  local name=$1 dir="$WORK/$1"
  case $name in
    lucene)
      if [ ! -f "$dir/files.txt" ]; then
        "${MVN[@]}" dependency:get -Dartifact=org.apache.lucene:lucene-core:10.5.0:jar:sources >/dev/null
        local repo
        repo=$("${MVN[@]}" help:evaluate -Dexpression=settings.localRepository -DforceStdout 2>/dev/null || echo "$HOME/.m2/repository")
        rm -rf "$dir" && mkdir -p "$dir/src"
        (cd "$dir/src" && unzip -q "$repo/org/apache/lucene/lucene-core/10.5.0/lucene-core-10.5.0-sources.jar")
        find "$dir/src" -name '*.java' | sort >"$dir/files.txt"
      fi ;;
    dense | checks | dense300) generate "$dir/src" classes 300 ;;
    dense3000) generate "$dir/src" classes 3000 ;;
    method5000x1) generate "$dir/src" method 5000 1 ;;
    method500x10) generate "$dir/src" method 500 10 ;;
    method1000x5) generate "$dir/src" method 1000 5 ;;
  esac
  [ -f "$dir/files.txt" ] || find "$dir/src" -name '*.java' | sort >"$dir/files.txt"
}

compile() { # corpus, config, run
  local corpus=$1 config=$2 run=$3 out="$WORK/$1/out" log="$WORK/logs/$1-$2-$3.log"
  local ep=()
  case $config in
    plain) ;;
    off) ep=(--processor-path "$PROCESSOR_PATH" "-Xplugin:ErrorProne -XepDisableAllChecks -XepAllErrorsAsWarnings") ;;
    arena) ep=(--processor-path "$PROCESSOR_PATH" "-Xplugin:ErrorProne -XepDisableAllChecks$ARENA_ON -XepAllErrorsAsWarnings") ;;
    ep) ep=(--processor-path "$PROCESSOR_PATH" "-Xplugin:ErrorProne$ARENA_OFF -XepAllErrorsAsWarnings") ;;
    Arena*) ep=(--processor-path "$PROCESSOR_PATH" "-Xplugin:ErrorProne -XepDisableAllChecks -Xep:$config:ERROR -XepAllErrorsAsWarnings") ;;
  esac
  local cp=()
  [ "$corpus" != lucene ] && cp=(-cp "$CORPUS_CP")
  rm -rf "$out" && mkdir -p "$out"
  local t rc
  TIMEFORMAT='%R %U %S'
  set +e
  t=$({ time "$JAVA" -Xmx3g "${JVM_FLAGS[@]}" com.sun.tools.javac.Main \
      -d "$out" "${cp[@]}" -encoding UTF-8 -proc:none -Xlint:none -Xmaxwarns 10000 -Xmaxerrs 10000 \
      -XDcompilePolicy=simple --should-stop=ifError=FLOW "${ep[@]}" @"$WORK/$corpus/files.txt" \
      >"$log" 2>&1; } 2>&1)
  rc=$?
  set -e
  local wall user sys
  read -r wall user sys <<<"$t"
  local findings
  findings=$(grep -c '^[^ ].*: \(warning\|error\): \[Arena' "$log" || true)
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$corpus" "$config" "$run" "$wall" \
    "$(echo "$user + $sys" | bc)" "$rc" >>"$TIMES"
  printf '  %-13s %-6s run %d: %6.2f s wall, rc %d, %d arena-guard findings\n' \
    "$corpus" "$config" "$run" "$wall" "$rc" "$findings" >&2
  if grep -q 'An exception has occurred in the compiler\|An unhandled exception was thrown by the Error Prone\|ErrorProneError' "$log"; then
    echo "CRASH: $corpus with '$config' crashed; the stack is in $log" >&2
    FAILED=1
  elif [ "$rc" -ne 0 ]; then
    echo "FAILED: $corpus with '$config' did not compile (rc $rc); see $log" >&2
    FAILED=1
  fi
}

time_corpora() { # "corpus ...", runs, configs...: runs interleaved across corpora and configs
  local corpora=$1 runs=$2; shift 2
  for corpus in $corpora; do
    prepare "$corpus"
    cp "$WORK/run-info.txt" "$WORK/$corpus/info.txt"
    echo "$corpus: $(wc -l <"$WORK/$corpus/files.txt") files; $runs runs of: $*" >&2
  done
  for run in $(seq "$runs"); do
    for corpus in $corpora; do
      for config in "$@"; do
        compile "$corpus" "$config" "$run"
      done
    done
  done
}

if [ "$REPORT_ONLY" -eq 0 ]; then
# Preflight: the checker must load and run (a jar packaged while its classes were being rebuilt
# would fail every run); a broken build is reported now, not after an hour of timing.
generate "$WORK/preflight/src" classes 26
find "$WORK/preflight/src" -name '*.java' >"$WORK/preflight/files.txt"
: >"$WORK/preflight.tsv"
TIMES="$WORK/preflight.tsv" compile preflight arena 1
if [ "$FAILED" -ne 0 ]; then
  echo "The checker does not run (see above); rebuild it and rerun." >&2
  exit 1
fi

# A run replaces the rows of the corpora it times and keeps the others, so that one part can be
# rerun (e.g. `compile-timing.sh scale`) and -n reports everything.
DROP=" "
for corpus in "${CORPORA[@]}"; do
  case $corpus in
    scale) DROP+="method5000x1 method1000x5 method500x10 dense300 dense3000 " ;;
    *) DROP+="$corpus " ;;
  esac
done
touch "$TIMES"
awk -F'\t' -v drop="$DROP" 'index(drop, " " $1 " ") == 0' "$TIMES" >"$TIMES.kept" && mv "$TIMES.kept" "$TIMES"
for corpus in "${CORPORA[@]}"; do
  case $corpus in
    lucene) time_corpora lucene "$RUNS" plain off arena ep ;;
    dense) time_corpora dense "$RUNS" plain off arena ep ;;
    scale) time_corpora "method500x10 method1000x5 method5000x1 dense300 dense3000" "$SCALE_RUNS" off arena ;;
    checks) time_corpora checks "$SCALE_RUNS" off arena "${CHECKS[@]}" ;;
    *) echo "unknown corpus: $corpus (lucene, dense, scale, checks)" >&2; exit 2 ;;
  esac
done
fi # REPORT_ONLY

# ---- report
median() { # corpus config column(4 wall, 5 cpu)
  awk -F'\t' -v c="$1" -v k="$2" -v col="$3" '$1 == c && $2 == k {print $col}' "$TIMES" | sort -g \
    | awk '{a[NR] = $1} END {if (NR == 0) print ""; else if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2}'
}
spread() { # corpus config column: min–max
  awk -F'\t' -v c="$1" -v k="$2" -v col="$3" '$1 == c && $2 == k {print $col}' "$TIMES" | sort -g \
    | awk '{a[NR] = $1} END {if (NR) printf "%.1f–%.1f", a[1], a[NR]}'
}
ratio() { [ -n "$1" ] && [ -n "$2" ] && echo "scale=3; $1 / $2" | bc | sed 's/^\./0./' || echo "–"; }
fmt() { [ -n "$1" ] && printf '%.2f' "$1" || echo "–"; }
files() { wc -l <"$WORK/$1/files.txt" | tr -d ' '; }
has() { grep -q "^$1	" "$TIMES"; }

{
  echo "Compile timing, $(date -u +%Y-%m-%d), $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //') ($(nproc) cores), $("$JAVA" -version 2>&1 | head -1), Error Prone $(basename "$(tr ':' '\n' <"$WORK/processor-path.txt" | grep error_prone_core)" .jar | sed 's/error_prone_core-//'); checks: ${CHECKS[*]}."
  prev="" names=""
  while read -r corpus; do
    info=$(cat "$WORK/$corpus/info.txt" 2>/dev/null || echo "the working tree")
    if [ "$info" = "$prev" ]; then
      names+=", $corpus"
    else
      [ -z "$names" ] || echo "Built for $names: $prev."
      names=$corpus prev=$info
    fi
  done < <(awk -F'\t' '!seen[$1]++ {print $1}' "$TIMES")
  [ -z "$names" ] || echo "Built for $names: $prev."
  echo
  echo "Each cell: median seconds of $RUNS runs (scale: $SCALE_RUNS), fresh JVM per run, runs interleaved."
  echo
  for metric in "4:wall-clock seconds" "5:CPU seconds (user + sys of the javac JVM, all its threads)"; do
    col=${metric%%:*}
    echo "$([ "$col" = 4 ] && echo "Median" || echo "And in") ${metric#*:}, with the fastest and slowest run:"
    echo
    echo "| corpus | files | javac alone | EP, all checks off | EP + arena-guard only | EP defaults | arena-guard ÷ all-off | EP defaults ÷ all-off | all-off ÷ javac alone |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    for corpus in lucene dense; do
      has "$corpus" || continue
      row="| $corpus | $(files "$corpus")"
      for config in plain off arena ep; do
        row+=" | $(fmt "$(median "$corpus" "$config" "$col")") ($(spread "$corpus" "$config" "$col"))"
      done
      off=$(median "$corpus" off "$col"); arena=$(median "$corpus" arena "$col")
      ep=$(median "$corpus" ep "$col"); plain=$(median "$corpus" plain "$col")
      echo "$row | $(ratio "$arena" "$off") | $(ratio "$ep" "$off") | $(ratio "$off" "$plain") |"
    done
    echo
  done
  for corpus in lucene dense; do
    log=$(ls "$WORK"/logs/"$corpus"-arena-*.log 2>/dev/null | head -1)
    [ -n "$log" ] || continue
    counts=$(grep -o '^[^ ].*: \(warning\|error\): \[Arena[A-Za-z]*\]' "$log" | sed 's/.*\[\(.*\)\]/\1/' | sort | uniq -c | awk '{printf "%s%s %d", (NR > 1 ? ", " : ""), $2, $1}' || true)
    echo "arena-guard findings on $corpus: ${counts:-none}."
  done
  echo
  echo "Targets: arena-guard ÷ all-off ≤ 1.05 on Lucene, ≤ 1.20 on the arena-dense corpus."
  if has dense; then
    log=$(ls "$WORK"/logs/dense-arena-*.log 2>/dev/null | head -1)
    if [ -n "$log" ]; then
      planted=$(grep -rc 'BUG: Arena' "$WORK/dense/src" | awk -F: '{s += $2} END {print s}')
      found=0 expected=0
      : >"$WORK/dense-unexpected.txt"
      while IFS=: read -r file line rest; do
        found=$((found + 1))
        check=$(sed -n 's/.*\[\(Arena[A-Za-z]*\)\].*/\1/p' <<<"$rest")
        if sed -n "${line}p" "$file" | grep -q "BUG: $check"; then
          expected=$((expected + 1))
        else # grouped by check and source line: the corpus repeats one template
          printf '%s\t%s\t%s\n' "$check" "$(sed -n "${line}p" "$file" | sed 's/^ *//')" "${file#"$WORK/dense/src/"}:$line" >>"$WORK/dense-unexpected.txt"
        fi
      done < <(grep '^[^ ].*\.java:[0-9]*: \(warning\|error\): \[Arena' "$log")
      echo
      echo "Dense corpus findings: $found: $expected of the $planted planted bugs (missed: $((planted - expected))), and $((found - expected)) on code that is correct by SPEC §2$([ "$found" -gt "$expected" ] && echo ':')"
      sort "$WORK/dense-unexpected.txt" | awk -F'\t' '{k = $1 "\t" $2; n[k]++; if (!(k in ex)) ex[k] = $3} END {for (k in n) {split(k, p, "\t"); printf "- %d × [%s] at `%s` (e.g. %s)\n", n[k], p[1], p[2], ex[k]}}'
    fi
  fi
  if has method5000x1 || has dense3000; then
    echo
    echo "### Scale (CPU seconds: user + sys of the javac JVM, medians)"
    echo
    echo "| input | EP all-off | EP + arena-guard | arena-guard's own time (difference) | per unit: all-off | arena-guard | difference |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    declare -A OWN
    for spec in "method500x10:5,000 statements in 10 methods of 500:5000:statement" \
        "method1000x5:5,000 statements in 5 methods of 1,000:5000:statement" \
        "method5000x1:5,000 statements in 1 method:5000:statement" \
        "dense300:300 classes:300:class" "dense3000:3,000 classes:3000:class"; do
      IFS=: read -r corpus label units unit <<<"$spec"
      has "$corpus" || continue
      off=$(median "$corpus" off 5); arena=$(median "$corpus" arena 5)
      OWN[$corpus]=$(echo "scale=6; ($arena - $off) / $units" | bc)
      per() { echo "scale=6; $1 * 1000 / $units" | bc | xargs printf '%.3f'; }
      echo "| $label | $(fmt "$off") | $(fmt "$arena") | $(fmt "$(echo "$arena - $off" | bc)") | $(per "$off") ms/$unit | $(per "$arena") ms/$unit | $(per "$(echo "$arena - $off" | bc)") ms/$unit |"
    done
    echo
    if [ -n "${OWN[method5000x1]:-}" ] && [ -n "${OWN[method500x10]:-}" ]; then
      echo "The checker's own time for 5,000 statements in one method ÷ in ten methods: $(ratio "${OWN[method5000x1]}" "${OWN[method500x10]}"); in five methods ÷ in ten: $(ratio "${OWN[method1000x5]:-}" "${OWN[method500x10]}") (1.0 is linear in the method's length; quadratic would be 10 and 2)."
    fi
    if [ -n "${OWN[dense3000]:-}" ] && [ -n "${OWN[dense300]:-}" ]; then
      echo "The checker's own time per class at 3,000 classes ÷ at 300: $(ratio "${OWN[dense3000]}" "${OWN[dense300]}") (1.0 is linear in the corpus size; below 1, fixed costs spread thinner)."
    fi
  fi
  if has checks; then
    echo
    echo "### One check at a time (dense corpus, CPU seconds)"
    echo
    echo "| check | median CPU | minus all-off | ms per class |"
    echo "|---|---:|---:|---:|"
    offc=$(median checks off 5)
    for c in arena "${CHECKS[@]}"; do
      m=$(median checks "$c" 5)
      [ -n "$m" ] || continue
      d=$(echo "$m - $offc" | bc)
      echo "| $([ "$c" = arena ] && echo "all ${#CHECKS[@]} together" || echo "$c") | $(fmt "$m") | $(fmt "$d") | $(echo "scale=3; $d * 1000 / 300" | bc | xargs printf '%.1f') |"
    done
    echo
    echo "The checks share one analysis core, so the sum of the single-check rows exceeds the all-together row by the core's cost counted once per check."
  fi
} | tee "$WORK/report.md"

if [ "$FAILED" -ne 0 ]; then
  echo "Some compilations crashed or failed: see the CRASH/FAILED lines above." >&2
  exit 1
fi
}

main "$@"; exit $? # on one line: bash reads no further in this file once main runs
