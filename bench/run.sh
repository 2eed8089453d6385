#!/usr/bin/env bash
# The figures behind the README's benchmark table, measured on this machine in one run.
#   bench/run.sh              # 10k, 100k and 1M KPI rows
#   bench/run.sh 10000        # just one size
# Needs only the Rust toolchain, plus sqlite3 for the comparison column (skipped without it).
set -euo pipefail
cd "$(dirname "$0")/.."
# BIN: a binary already built (then nothing is built here)
[ -n "${BIN:-}" ] || { cargo build --release --quiet; BIN=$PWD/target/release/mktg; }
OUT=bench/out
mkdir -p "$OUT"
NOW=2026-11-20T08:45
SIZES=${*:-10000 100000 1000000}

# median_ms, peak_mb: the timing loop every bench script shares.
source bench/lib.sh

# The aggregates the brief needs, as plain SQL over the same index: month-to-date, the aligned
# previous month, and the daily series per channel behind sparklines and the anomaly baseline.
M="'leads','mqls','sqls','opps','won','lost','pipeline','revenue','spend','clicks','impressions'"
AGG="SELECT metric, sum(value) FROM kpi_obs WHERE metric IN ($M) AND day >= '2026-11-01' AND day < '2026-11-20' GROUP BY metric;
SELECT metric, sum(value) FROM kpi_obs WHERE metric IN ($M) AND day >= '2026-10-01' AND day < '2026-10-20' GROUP BY metric;
SELECT metric, day, channel, sum(value) FROM kpi_obs WHERE metric IN ($M) AND day >= '2026-09-18' AND day < '2026-11-20' GROUP BY metric, day, channel;"

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo
echo "| KPI rows | first frame: render dashboard | brief --format json | brief vs sqlite3 aggregates | peak memory (render) |"
echo "|---:|---:|---:|---:|---:|"
for n in $SIZES; do
  db=$OUT/bench-$n.db
  if [ ! -f "$db" ]; then
    s=$(date +%s%N)
    "$BIN" --db "$db" --now "$NOW" demo --kpi-rows "$n" >/dev/null
    e=$(date +%s%N)
    echo "(generated $n rows in $(( (e - s) / 1000000 )) ms)" >&2
  fi
  render=$(median_ms "$BIN" --db "$db" --now "$NOW" render dashboard)
  brief=$(median_ms "$BIN" --db "$db" --now "$NOW" brief --format json)
  if command -v sqlite3 >/dev/null; then
    sql=$(median_ms sqlite3 "$db" "$AGG")
    ratio=$(awk -v a="$brief" -v b="$sql" 'BEGIN {printf "%.2fx (%s ms)", a/b, b}')
  else
    ratio="n/a (no sqlite3)"
  fi
  mem=$(peak_mb "$BIN" --db "$db" --now "$NOW" render dashboard)
  echo "| $n | $render ms | $brief ms | $ratio | $mem MB |"
done
echo
if command -v sqlite3 >/dev/null && [ -z "${SKIP_IMPORT:-}" ]; then
  echo "Import against sqlite3 .import (set SKIP_IMPORT=1 to skip):"
  bench/import.sh 1000000
fi
echo
echo "Keypress to frame (criterion, in-process): cargo bench --bench cockpit -- keypress"
