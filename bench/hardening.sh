#!/usr/bin/env bash
# #12's speed figures, end to end on the release binary:
#  1. the sanitising sink on 1M-row outputs: `export kpis` (csv, json) and `kpi list` (text, the
#     text face of the same rows), median of RUNS (5) runs, wall and CPU. The sink against a
#     passthrough on the very same bytes is `cargo bench --bench sink` (in process, one run).
#  2. `backup` of a store of about 1 GB (`demo --kpi-rows 10000000`) while another process
#     records a KPI value every 20 ms (`kpi record` in a loop): it must complete, and the copy
#     must pass `check` and hold every fact committed before it started.
#
#   OUT=/tmp/bench3 nice bench/hardening.sh          # stores kept in $OUT (bench/out) for reuse
#   SKIP_BACKUP=1 ... / SKIP_EXPORT=1 ...
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
BIN=${BIN:-$PWD/target/release/mktg}
OUT=${OUT:-bench/out}
mkdir -p "$OUT"
NOW=2026-11-20T08:45
echo "machine: $(nproc) cores, $(uname -sr); load $(load)"

if [ -z "${SKIP_EXPORT:-}" ]; then
  RUNS=${RUNS:-5}
  db=$OUT/demo-1000000.db
  [ -f "$db" ] || "$BIN" --db "$db" --now "$NOW" demo --kpi-rows 1000000 >/dev/null
  run() { "$BIN" --db "$db" --now "$NOW" "$@"; }
  both() { local b; b=$(median_wall_cpu "$@"); echo "${b%% *} ms | ${b##* } ms"; }
  echo
  echo "1M KPI rows ($(du -h "$db" | cut -f1)); load average before: $(load)"
  echo "| command (median of $RUNS, to /dev/null) | bytes | wall | CPU (user+sys) |"
  echo "|---|---:|---:|---:|"
  for args in "export kpis" "export kpis --format json" "kpi list" "kpi list --format csv"; do
    # shellcheck disable=SC2086
    bytes=$(run $args | wc -c)
    # shellcheck disable=SC2086
    echo "| $args | $(commas "$bytes") | $(both run $args) |"
  done
  echo "load average after: $(load)"
fi

if [ -z "${SKIP_BACKUP:-}" ]; then
  big=$OUT/demo-10000000.db
  [ -f "$big" ] || "$BIN" --db "$big" --now "$NOW" demo --kpi-rows 10000000 >/dev/null
  copy=$OUT/backup-of-10m.db
  rm -f "$copy"
  before=$(sqlite3 "$big" "SELECT count(*) FROM kpi_obs")
  # The writer: one `kpi record` every 20 ms (a new process each time, as cron or a script would).
  stop=$OUT/writer.stop
  log=$OUT/writer.log
  rm -f "$stop" "$log"
  (
    i=0
    while [ ! -e "$stop" ]; do
      if "$BIN" --db "$big" --now "$NOW" kpi record leads $((1 + i % 5)) --date 2026-11-19 --channel bench-writer \
        >/dev/null 2>>"$log.err"; then echo ok >>"$log"; else echo fail >>"$log"; fi
      i=$((i + 1))
      sleep 0.02
    done
  ) &
  writer=$!
  sleep 1
  echo
  echo "backup of $(du -h "$big" | cut -f1) ($(commas "$before") KPI rows) with a writer every 20 ms; load $(load)"
  w0=$(grep -c ok "$log" || true)
  read -r wall cpu < <(secs_wall_cpu "$BIN" --db "$big" --now "$NOW" backup "$copy")
  w1=$(grep -c ok "$log" || true)
  touch "$stop"
  wait "$writer"
  rm -f "$stop"
  status=$([ -f "$copy" ] && echo "completed" || echo "NO BACKUP WRITTEN")
  in_copy=$(sqlite3 "$copy" "SELECT count(*) FROM kpi_obs")
  checked=$("$BIN" --db "$copy" --now "$NOW" check 2>&1 | tail -1)
  echo "| backup | wall | CPU | writes committed meanwhile | writer failures (whole run) | facts in the copy | check of the copy |"
  echo "|---|---:|---:|---:|---:|---:|---|"
  echo "| $status, $(du -h "$copy" | cut -f1) | ${wall} s | ${cpu} s | $((w1 - w0)) | $(grep -c fail "$log" || true) | $(commas "$in_copy") (>= $(commas "$before")) | $checked |"
  [ -s "$log.err" ] && { echo "writer errors:"; sort "$log.err" | uniq -c | head -5; }
  echo "load average after: $(load)"
  rm -f "$copy" "$log" "$log.err"
fi
