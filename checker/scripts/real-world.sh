#!/usr/bin/env bash
# Compiles real-world java.lang.foreign code that nobody wrote for arena-guard's tests with
# javac + Error Prone + only the six arena-guard checks (at WARN, so that every finding is
# printed and nothing stops the build), and prints per code base: files compiled, files with FFM
# code, findings per check, internal errors and CPU time. checker/scripts/real-world-triage.tsv
# triages every finding (and lists the known misses); docs/real-world.md sums it up.
#
#   checker/scripts/real-world.sh              # every code base
#   checker/scripts/real-world.sh jline jdk    # some of them
#   BASELINE=1 checker/scripts/real-world.sh   # also time plain javac on the same files
#
# Code bases: the JDK's own sources ($JAVA_HOME/lib/src.zip) and sources jars from Maven Central.
# Of each library, every package that holds FFM code (a file naming java.lang.foreign) is
# compiled, with the library's own jar and its dependencies (resolved by Maven) on the class path.
# Exits 1 if javac fails or arena-guard reports an internal error ("could not analyse").
# A run of every code base ends with its score against the triage (real-world-score.sh).
#
# Needs JDK 25 (JAVA_HOME) and network access to Maven Central on the first run.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVAC="$JAVA_HOME/bin/javac"
WORK="$ROOT/checker/target/real-world"
mkdir -p "$WORK"

# name | Maven coordinates of the sources (the JDK: src.zip) | extra javac options
#      | class path changes: +G:A:V adds an optional dependency the sources need, -G:A drops one
#        that Maven Central does not serve
CODEBASES=(
  "jdk|jdk|--add-modules jdk.incubator.vector"
  "jline|org.jline:jline-terminal-ffm:3.30.4|"
  "tomcat|org.apache.tomcat.embed:tomcat-embed-core:11.0.10|"
  "jtreesitter|io.github.tree-sitter:jtreesitter:0.25.0|"
  "datasketches-memory|org.apache.datasketches:datasketches-memory:5.0.0|"
  "datasketches-java|org.apache.datasketches:datasketches-java:9.0.0|"
  "jvector|io.github.jbellis:jvector:4.0.0-rc.5|--add-modules jdk.incubator.vector"
  "netty-common|io.netty:netty-common:4.2.18.Final||+org.jetbrains:annotations:26.1.0 +io.projectreactor.tools:blockhound:1.0.16.RELEASE"
  "es-native|org.elasticsearch:elasticsearch-native:9.5.3|"
  "es-simdvec|org.elasticsearch:elasticsearch-simdvec:9.5.3|--add-modules jdk.incubator.vector"
  "jdave|club.minnced:jdave-api:0.1.5||+org.jspecify:jspecify:1.0.0"
  "jetty-quiche|org.eclipse.jetty.quic:jetty-quic-quiche-foreign:12.1.10||-org.mortbay.jetty.quiche:jetty-quiche-native"
  "appindicator|org.purejava:libappindicator-gtk3-java-minimal:1.4.1|"
)
CHECKS=(ArenaEscape ArenaAnnotationMisuse ArenaLongLivedOwner ArenaThreadConfinement ArenaUseAfterClose ArenaNotClosed)

./mvnw -q -pl checker -am package -DskipTests
./mvnw -q -f checker/scripts/errorprone-classpath.pom.xml dependency:build-classpath \
  -Dmdep.outputFile="$WORK/ep.classpath" >/dev/null
REPO=$(./mvnw -q help:evaluate -Dexpression=settings.localRepository -DforceStdout 2>/dev/null || echo "$HOME/.m2/repository")
# A copy, so that another build of the module cannot change the plugin under a running javac.
cp checker/target/arena-guard-checker-0.1.0-SNAPSHOT.jar "$WORK/arena-guard-checker.jar"
PROCESSOR_PATH="$WORK/arena-guard-checker.jar:$ROOT/annotations/target/arena-guard-annotations-0.1.0-SNAPSHOT.jar:$(cat "$WORK/ep.classpath")"
EP_CHECKS="-Xplugin:ErrorProne -XepDisableAllChecks"
for check in "${CHECKS[@]}"; do EP_CHECKS="$EP_CHECKS -Xep:$check:WARN"; done
source "$ROOT/checker/scripts/errorprone-javac.sh"
COMMON+=(-implicit:none)

FFM_PATTERN='import (static )?java\.lang\.foreign|java\.lang\.foreign\.[A-Z]'

# The library's jar and its dependencies, resolved by Maven.
classpath() { # G:A:V outfile changes
  local g a v; IFS=: read -r g a v <<< "$1"
  local dir; dir=$(dirname "$2")
  local added="" excluded="" change
  for change in $3; do
    local cg ca cv; IFS=: read -r cg ca cv <<< "${change:1}"
    case $change in
      +*) added="$added<dependency><groupId>$cg</groupId><artifactId>$ca</artifactId><version>$cv</version></dependency>" ;;
      -*) excluded="$excluded<exclusion><groupId>$cg</groupId><artifactId>$ca</artifactId></exclusion>" ;;
    esac
  done
  cat > "$dir/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>dev.arenaguard.realworld</groupId><artifactId>classpath</artifactId><version>0</version>
  <packaging>pom</packaging>
  <dependencies><dependency><groupId>$g</groupId><artifactId>$a</artifactId><version>$v</version>
    <exclusions>$excluded</exclusions></dependency>$added</dependencies>
</project>
POM
  ./mvnw -q -f "$dir/pom.xml" dependency:build-classpath -Dmdep.outputFile="$2" >/dev/null
}

# Every .java file of each package (directory) that holds FFM code.
ffm_packages() { # source dir, outfile
  grep -rlE --include='*.java' "$FFM_PATTERN" "$1" | xargs -r -n1 dirname | sort -u \
    | while read -r d; do find "$d" -maxdepth 1 -name '*.java' ! -name module-info.java ! -name package-info.java; done \
    | sort > "$2"
}

compile() { # label, log, javac args...  -> appends "label cpu-seconds rc" to $TIMES
  local label=$1 log=$2; shift 2
  local out="$WORK/out/$label"; rm -rf "$out" && mkdir -p "$out"
  set +e
  /usr/bin/time -f "%U %S" -o "$WORK/time.tmp" "$JAVAC" "${JFLAGS[@]}" "${COMMON[@]}" -d "$out" "$@" > "$log" 2>&1
  local rc=$?
  set -e
  read -r user sys < <(tail -1 "$WORK/time.tmp")   # GNU time first says "Command exited with non-zero status"
  echo "$label $(echo "$user + $sys" | bc) $rc" >> "$TIMES"
}

# One code base: prepares its sources and runs javac once per group of files (a JDK module each).
run() { # name, coordinates, extra javac options, class path changes
  local name=$1 coordinates=$2 extra=$3 changes=$4
  local dir="$WORK/$name"; mkdir -p "$dir"
  TIMES="$dir/times.txt"; : > "$TIMES"
  local -a groups=()   # "label|files|options"
  if [ "$coordinates" = jdk ]; then
    if [ ! -d "$dir/src" ]; then mkdir -p "$dir/src" && (cd "$dir/src" && unzip -q "$JAVA_HOME/lib/src.zip"); fi
    # The modules' own FFM code; jdk.internal.le holds a copy of jline's FFM terminal (its own code base here).
    for module in java.base java.desktop jdk.incubator.vector jdk.unsupported; do
      grep -rlE --include='*.java' "$FFM_PATTERN" "$dir/src/$module" \
        | grep -v -e snippet-files -e package-info.java -e module-info.java | sort > "$dir/$module.files"
      # Patched into its module, a file sees the module's internals; other sources stay out of it.
      rm -rf "$dir/patch/$module" && mkdir -p "$dir/patch/$module"
      (cd "$dir/src/$module" && sed "s|^$dir/src/$module/||" "$dir/$module.files" | xargs cp --parents -t "$dir/patch/$module")
      find "$dir/patch/$module" -name '*.java' | sort > "$dir/$module.files"
      groups+=("$module|$dir/$module.files|--patch-module $module=$dir/patch/$module $extra")
    done
    # The java.lang.foreign Javadoc's own examples, which mark their deliberate mistakes in comments.
    echo "$dir/src/java.base/java/lang/foreign/snippet-files/Snippets.java" > "$dir/snippets.files"
    groups+=("snippets|$dir/snippets.files|")
  else
    local jar="$REPO/$(echo "${coordinates%%:*}" | tr . /)/$(echo "$coordinates" | cut -d: -f2)/${coordinates##*:}"
    jar="$jar/$(echo "$coordinates" | cut -d: -f2)-${coordinates##*:}-sources.jar"
    ./mvnw -q dependency:get -Dtransitive=false -Dartifact="$coordinates:jar:sources" >/dev/null
    classpath "$coordinates" "$dir/classpath.txt" "$changes"
    if [ ! -d "$dir/src" ]; then mkdir -p "$dir/src" && (cd "$dir/src" && unzip -q "$jar"); fi
    if [ "$name" = datasketches-memory ]; then
      # Written against JDK 21's preview FFM API: its one call that JDK 22 removed, spelled out.
      sed -i 's/this\.seg\.segmentOffset(that2\.seg)/(that2.seg.address() - this.seg.address())/' \
        "$dir/src/org/apache/datasketches/memory/internal/ResourceImpl.java"
    fi
    ffm_packages "$dir/src" "$dir/sources.files"
    groups+=("$name|$dir/sources.files|-cp $(cat "$dir/classpath.txt") $extra")
  fi
  local files=0 ffm=0
  : > "$dir/arenaguard.log"
  for group in "${groups[@]}"; do
    IFS='|' read -r label list options <<< "$group"
    files=$((files + $(wc -l < "$list")))
    ffm=$((ffm + $(xargs grep -lE "$FFM_PATTERN" < "$list" | wc -l)))
    # shellcheck disable=SC2086
    compile "$label" "$dir/$label.log" $options --processor-path "$PROCESSOR_PATH" "$EP_CHECKS" @"$list"
    cat "$dir/$label.log" >> "$dir/arenaguard.log"
    if [ "${BASELINE:-0}" = 1 ]; then
      # shellcheck disable=SC2086
      compile "$label-plain" "$dir/$label-plain.log" $options @"$list"
    fi
  done
  local cpu plain rc internal
  cpu=$(awk '$1 !~ /-plain$/ {s += $2} END {printf "%.1f", s}' "$TIMES")
  plain=$(awk '$1 ~ /-plain$/ {s += $2; n++} END {if (n) printf " (plain javac %.1f)", s}' "$TIMES")
  rc=$(awk '{if ($3 != 0) bad = 1} END {print bad ? 1 : 0}' "$TIMES")
  internal=$(grep -c 'could not analyse' "$dir/arenaguard.log" || true)
  local counts="" total=0
  for check in "${CHECKS[@]}"; do
    local n; n=$(grep -c "\[$check\]" "$dir/arenaguard.log" || true)
    total=$((total + n)); counts="$counts $check=$n"
  done
  printf '%-20s files=%-4s ffm-files=%-4s findings=%-4s%s internal-errors=%s cpu=%ss%s javac-rc=%s\n' \
    "$name" "$files" "$ffm" "$total" "$counts" "$internal" "$cpu" "$plain" "$rc" | tee -a "$WORK/summary.txt"
  if [ "$rc" != 0 ] || [ "$internal" != 0 ]; then
    echo "FAILED: javac failed or arena-guard reported an internal error; see $dir/*.log" >&2
    FAILED=1
  fi
}

FAILED=0
: > "$WORK/summary.txt"
for entry in "${CODEBASES[@]}"; do
  IFS='|' read -r name coordinates extra changes <<< "$entry"
  if [ $# -gt 0 ] && [[ ! " $* " =~ " $name " ]]; then continue; fi
  run "$name" "$coordinates" "$extra" "$changes"
done
echo "findings: $WORK/<code base>/arenaguard.log; triage: checker/scripts/real-world-triage.tsv, docs/real-world.md"
echo "whole run: ${SECONDS}s wall"
if [ $# -eq 0 ]; then checker/scripts/real-world-score.sh; fi
exit "$FAILED"
