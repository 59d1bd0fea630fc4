#!/usr/bin/env bash
# Every benchmark, then one table of every figure and ratio (bench/report.py).
#
#   bench/all.sh [--short] [--out FILE] [--before FILE]
#
#   (full)     bench/desktop.sh --signed-in --deb --runs 5, bench/cli.sh 40,
#              bench/api.sh: about 20 minutes with a cold release build
#   --short    three measured starts of each app (a median that one slow start
#              cannot move), 5 `token` runs, no .deb: what CI runs. It
#              reports; it fails only if a build or a run breaks.
#   --out F    keep the results (JSON lines) in F instead of a temporary file
#   --before F add the ratios of an earlier run's results as a column
#
# The scripts run one after the other: each starts its own private keyring
# session, and two must never overlap.
set -euo pipefail
cd "$(dirname "$0")/.."
short= out= before=()
while [ $# -gt 0 ]; do
  case "$1" in
    --short) short=1 ;;
    --out) out=$(realpath -m "${2:?}"); shift ;;
    --before) before=(--before "$(realpath "${2:?}")"); shift ;;
    *) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
  shift
done
[ -n "$out" ] || { out=$(mktemp); trap 'rm -f "$out"' EXIT; }
: > "$out"
export TESSERA_BENCH_RESULTS=$out
if [ -n "$short" ]; then
  bench/desktop.sh --signed-in --runs 3
  bench/cli.sh 5
else
  bench/desktop.sh --signed-in --deb --runs 5
  bench/cli.sh 40
fi
bench/api.sh
echo
echo "== Tessera's benchmarks: every figure and ratio ($(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg))"
python3 bench/report.py "$out" "${before[@]}"
