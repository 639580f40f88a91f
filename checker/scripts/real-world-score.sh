#!/usr/bin/env bash
# Scores the logs of a real-world.sh run against checker/scripts/real-world-triage.tsv: per code
# base and per check, findings, TP, FP, CONTRACT, findings not yet triaged, misses found, and
# precision = TP / findings (Markdown tables), then the findings to triage, the TPs no longer
# reported, the misses still missed and the correct code (SILENT rows) now reported.
#
#   checker/scripts/real-world-score.sh                  # the last run, checker/target/real-world
#   checker/scripts/real-world-score.sh DIR [TRIAGE]     # the logs of a run copied to DIR
#
# The triage file, one row per finding and per known miss (TAB-separated):
#   codebase  file  line  check  verdict  shape  note  source
# file is relative to the code base's directory of the run (src/..., or patch/<module>/... for the
# JDK); verdict is TP (a real bug), FP (wrong by SPEC §2), CONTRACT (an annotation demand on correct
# code), MISS (a bug no check reported: file:line and check where it should be) or SILENT (correct
# code that a rule change could start reporting: a finding there is a FP); source is the text of
# the line, which keeps a verdict when a new library version moves its line.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
exec "$JAVA_HOME/bin/java" checker/scripts/RealWorldScore.java \
  "${2:-checker/scripts/real-world-triage.tsv}" "${1:-checker/target/real-world}"
