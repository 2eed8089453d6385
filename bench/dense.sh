#!/usr/bin/env bash
# Dense stores: the shape a real team's data grows in (issue #21). Two years of daily facts
# ending 2026-11-19, ten metrics, N channels (or campaigns) per day, as one kpi-csv file per
# size, imported into a fresh store and measured side by side in one run:
#
#   first frame       mktg render dashboard                  (median of 15 runs)
#   brief             mktg brief --format json               (median of 15)
#   quarter view      mktg render dashboard --keys p         (month -> quarter; median of 15)
#   drill-down        mktg render dashboard --keys 'h Enter' (the first tile's drill-down; median of 15)
#   peak memory       the largest of those four commands' maximum resident set (/usr/bin/time -v)
#   import            mktg import FILE against sqlite3 `.import --csv` of the same file
#
#   bench/dense.sh                   1, 137 and 1,370 channels: 7,300, 1,000,100 and 10,001,000 rows
#   bench/dense.sh 1 137             just those sizes
#   BINS="before=/tmp/mktg-old now=target/release/mktg" bench/dense.sh
#                                    several builds side by side on the same files (each gets its
#                                    own store per size); the default is "now=<a fresh release build>"
#   KEEP=1 bench/dense.sh            keep the stores in bench/out (bench/out/dense-LABEL-N.db)
#   OUT=/tmp/x KEEP=1 bench/dense.sh  generated files and kept stores in /tmp/x instead of bench/out
#                                    (a 10M store is over a gigabyte: keep it off the worktree)
#   SQLITE=0 bench/dense.sh          no sqlite3 .import comparison (when only the stores or the reads count)
#
# Run it under `nice`, each size once; the load average is printed before and after each size
# (figures on the shared 2-core machine move by up to +-30% with other builds running). The
# generated CSV and sqlite3's copy are deleted as soon as a size is measured; a 10M-row file is
# 400 MB, its store about 1 GB per build. Needs sqlite3 and mawk/awk.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
OUT=${OUT:-bench/out}
mkdir -p "$OUT"
NOW=2026-11-20T08:45
SIZES=${*:-1 137 1370}

if [ -z "${BINS:-}" ]; then
  cargo build --release --quiet
  BINS="now=${CARGO_TARGET_DIR:-$root/target}/release/mktg"
fi
command -v sqlite3 >/dev/null || { echo "bench/dense.sh needs sqlite3 on PATH" >&2; exit 1; }

# date,metric,value,channel: for every day from 2024-11-20 to 2026-11-19 (730 days), every
# channel c0001..cNNNN and ten metrics. Deterministic (no randomness: a hash of day, channel and
# metric), weekends quieter, channels of different sizes, counts whole, money with cents.
generate() {
  local n=$1 file=$2
  awk -v n="$n" 'BEGIN {
    split("31 28 31 30 31 30 31 31 30 31 30 31", len, " ")
    y = 2024; mo = 11; d = 20
    print "date,metric,value,channel"
    for (day = 0; day < 730; day++) {
      date = sprintf("%04d-%02d-%02d", y, mo, d)
      wd = (day + 2) % 7                      # 0 = Monday; 2024-11-20 was a Wednesday
      wk = (wd >= 5) ? 0.4 : 1.0
      for (c = 0; c < n; c++) {
        ch = sprintf("c%04d", c + 1)
        h = (day * 7919 + c * 104729) % 1000003
        size = 1 + (c * 37) % 11               # 1..11: a few big channels, many small
        noise = 0.7 + (h % 61) / 100            # 0.70..1.30
        r = (h % 97) / 97                       # rounds small counts up or down, not always down
        leads = int(size * 6 * wk * noise + r)
        mqls = int(leads * (0.25 + (h % 13) / 100) + r)
        sqls = int(mqls * (0.35 + (h % 11) / 100) + r)
        opps = int(sqls * (0.6 + (h % 7) / 100) + r)
        won = int(opps * (0.2 + (h % 4) / 20) + r)
        lost = int(opps * (0.4 + (h % 3) / 20) + r)
        spend = size * 270 * wk * noise + (h % 100) / 100
        printf "%s,leads,%d,%s\n", date, leads, ch
        printf "%s,mqls,%d,%s\n", date, mqls, ch
        printf "%s,sqls,%d,%s\n", date, sqls, ch
        printf "%s,opps,%d,%s\n", date, opps, ch
        printf "%s,won,%d,%s\n", date, won, ch
        printf "%s,lost,%d,%s\n", date, lost, ch
        printf "%s,pipeline,%.2f,%s\n", date, opps * 24000 * noise, ch
        printf "%s,revenue,%.2f,%s\n", date, won * 6500 * noise, ch
        printf "%s,spend,%.2f,%s\n", date, spend, ch
        printf "%s,clicks,%d,%s\n", date, int(spend / 2.9 + 0.5), ch
      }
      d++
      if (d > len[mo]) { d = 1; mo++ }
      if (mo > 12) { mo = 1; y++ }
    }
  }' > "$file"
}

# median_ms, peak_kb, secs, load, commas: the timing loop every bench script shares.
source bench/lib.sh

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); sqlite3 $(sqlite3 --version | cut -d' ' -f1)"
for b in $BINS; do echo "build ${b%%=*}: ${b#*=}"; done
rows_table=()
for n in $SIZES; do
  csv=$OUT/dense-$n.csv
  generate "$n" "$csv"
  rows=$(($(wc -l < "$csv") - 1))
  echo "size $n channels: $rows rows, $(($(wc -c < "$csv") / 1000000)) MB, cksum $(cksum < "$csv" | cut -d' ' -f1); load $(load)" >&2
  plain=$OUT/dense-$n-plain.db
  rm -f "$plain"
  sync
  t_sqlite=0
  [ "${SQLITE:-1}" = 0 ] || t_sqlite=$(secs sqlite3 "$plain" ".import --csv $csv kpi")
  rm -f "$plain"
  for b in $BINS; do
    label=${b%%=*} bin=${b#*=}
    db=$OUT/dense-$label-$n.db
    rm -f "$db" "$db-wal" "$db-shm"
    "$bin" --db "$db" --now "$NOW" init --role demand-gen >/dev/null
    sync
    t_import=$(secs "$bin" --db "$db" --now "$NOW" import "$csv" --preset kpi-csv)
    stored=$(sqlite3 "$db" "SELECT count(*) FROM kpi_obs")
    [ "$stored" = "$rows" ] || { echo "store holds $stored facts, the file $rows" >&2; exit 1; }
    run=("$bin" --db "$db" --now "$NOW")
    at_load=$(cut -d' ' -f1 /proc/loadavg)
    first=$(median_ms "${run[@]}" render dashboard)
    brief=$(median_ms "${run[@]}" brief --format json)
    quarter=$(median_ms "${run[@]}" render dashboard --keys p)
    drill=$(median_ms "${run[@]}" render dashboard --keys 'h Enter')
    mb=$(peak_reads_mb "${run[@]}")
    ratio=$(awk -v a="$t_import" -v b="$t_sqlite" 'BEGIN {if (b > 0) printf "%.2f", a / b; else printf "-"}')
    rows_table+=("| $label | $n | $(commas "$rows") | $first ms | $brief ms | $quarter ms | $drill ms | $mb MB | ${t_import} s vs ${t_sqlite} s (${ratio}x) | $at_load |")
    echo "  $label done; load $(load)" >&2
    [ -n "${KEEP:-}" ] || rm -f "$db" "$db-wal" "$db-shm"
  done
  rm -f "$csv"
done
echo
echo "| build | channels | rows | first frame (render dashboard) | brief --format json | quarter view (--keys p) | drill-down (--keys h Enter) | peak memory | import vs sqlite3 .import | load |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|"
printf '%s\n' "${rows_table[@]}"
echo
echo "load average at the end: $(load)"
