#!/usr/bin/env bash
# The learning loop's speed (#16), end to end (process start to exit), on a demo store of N KPI
# rows (default 1,000,000: two years of dense daily facts):
#   `report weekly --format html` (target < 200 ms at 1M), `alert check` with 50 rules
#   (target < 50 ms: it runs from cron), and `experiment readout` (the readout itself is timed
#   in process by `cargo bench --bench readout`, target < 1 ms).
# Medians of RUNS (15) runs, wall and CPU (user + system), with the load average beside them.
#
#   nice bench/learn.sh                 # 1M rows; the store is kept in $OUT (bench/out) for reuse
#   OUT=/tmp/bench3 nice bench/learn.sh 10000
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
BIN=${BIN:-$PWD/target/release/mktg}
OUT=${OUT:-bench/out}
mkdir -p "$OUT"
N=${1:-1000000}
NOW=2026-11-20T08:45
db=$OUT/demo-$N.db
[ -f "$db" ] || "$BIN" --db "$db" --now "$NOW" demo --kpi-rows "$N" >/dev/null

# alert check saves what it saw (rules are edge-triggered), so it runs on a copy with 50 rules:
# the demo's two and 48 more over every kind of condition, a third of them on one channel.
alerts=$OUT/demo-$N-alerts.db
rm -f "$alerts" "$alerts-wal" "$alerts-shm"
"$BIN" --db "$db" --now "$NOW" backup "$alerts" >/dev/null
mapfile -t channels < <(sqlite3 "$alerts" "SELECT DISTINCT channel FROM kpi_day WHERE channel != '' LIMIT 4" 2>/dev/null ||
  sqlite3 "$alerts" "SELECT channel FROM kpi_obs WHERE day = '2026-11-19' GROUP BY channel LIMIT 4")
metrics=(leads mqls sqls opps won pipeline revenue spend clicks cpl)
whens=(below-target behind-pace above=1000 below=10 crosses=500)
for i in $(seq 48); do
  m=${metrics[i % ${#metrics[@]}]} w=${whens[i % ${#whens[@]}]}
  ch=()
  if [ $((i % 3)) = 0 ] && [ ${#channels[@]} -gt 0 ]; then ch=(--channel "${channels[i % ${#channels[@]}]}"); fi
  "$BIN" --db "$alerts" --now "$NOW" alert add "bench-$i" --metric "$m" --when "$w" "${ch[@]}" >/dev/null
done
rules=$("$BIN" --db "$alerts" --now "$NOW" alert list --format json | grep -c '"key"' || true)
# The first check after adding rules is the one that records their state; time the steady state.
"$BIN" --db "$alerts" --now "$NOW" alert check >/dev/null || true

exp=$(sqlite3 "$db" "SELECT min(id) FROM experiment")
run() { "$BIN" --db "$db" --now "$NOW" "$@"; }
both() { local b; b=$(median_wall_cpu "$@"); echo "${b%% *} ms | ${b##* } ms"; }
echo "machine: $(nproc) cores, $(uname -sr); store: $(commas "$N") KPI rows ($(du -h "$db" | cut -f1)); $rules alert rules"
echo "load average before: $(load)"
echo
echo "| command (median of $RUNS, process start to exit) | wall | CPU (user+sys) |"
echo "|---|---:|---:|"
echo "| report weekly --format html | $(both run report weekly --format html) |"
echo "| report weekly --format markdown | $(both run report weekly --format markdown) |"
echo "| report weekly --format json | $(both run report weekly --format json) |"
echo "| alert check ($rules rules) | $(both "$BIN" --db "$alerts" --now "$NOW" alert check) |"
echo "| alert check --format json ($rules rules) | $(both "$BIN" --db "$alerts" --now "$NOW" alert check --format json) |"
echo "| experiment readout $exp --format json | $(both run experiment readout "$exp" --format json) |"
echo "| brief --format json (for scale) | $(both run brief --format json) |"
echo
echo "load average after: $(load)"
rm -f "$alerts" "$alerts-wal" "$alerts-shm"
