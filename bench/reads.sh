#!/usr/bin/env bash
# The READ figures of #14, #15 and #21 for one or more builds on kept stores, in one go, with no
# import: made once (see below), the stores are only ever copied, so a newer binary can be measured
# on exactly the stores an older one was.
#
#   BINS="before=/tmp/bench4/mktg-before now=target/release/mktg" STORES=/tmp/bench4 nice bench/reads.sh
#   PTY=1 BINS=... STORES=... nice bench/reads.sh      also the PTY key-to-frame p99s (a few minutes a build)
#
# For every build and every store it prints, as one markdown table (medians of RUNS runs, 15 by
# default, CPU time = user + system of the process from getrusage, wall time beside it):
#
#   first frame    mktg render dashboard                  (process start to printed 120x40 frame)
#   brief          mktg brief --format json
#   quarter view   mktg render dashboard --keys p         (month -> quarter)
#   drill-down     mktg render dashboard --keys 'h Enter' (the first tile's drill-down)
#   peak memory    the largest maximum resident set of those four (/usr/bin/time -v)
#   after a write  render dashboard right after another process's `kpi record` (the write untimed;
#                  WRITE_RUNS runs, 5 by default): the frame that pays the brief's recompute, which
#                  the running cockpit does off the event loop after every write it sees
#
# With PTY=1, for every build (through benches/pty_dense.rs, key to frame in a real 120x40 PTY,
# another process recording a KPI value every second):
#   #21  the dashboard on the 10M dense store, PTY_KEYS keys (default 400)
#   #15  every screen, PTY_SCREEN_KEYS keys each (default 100), on the demo store and the 1M dense store
#
# Stores expected in STORES (made once, by any build; keep them):
#   dense-10k.db  dense-1m.db  dense-10m.db   KEEP=1 OUT=$STORES BINS="b=BIN" bench/dense.sh 1 137 1370,
#                                             then dense-b-1.db -> dense-10k.db, -137 -> dense-1m.db,
#                                             -1370 -> dense-10m.db (7,300, 1,000,100, 10,001,000 facts)
#   demo-1m.db    mktg --db demo-1m.db --now 2026-11-20T08:45 demo --kpi-rows 1000000
#   demo.db       mktg --db demo.db --now 2026-11-20T08:45 demo --seed 1
# A missing store is skipped with a line saying so. STORE_NAMES="demo dense-1m" measures just those.
#
# Each build reads its own copy of each store (WORK, default $STORES/work; deleted as it goes):
# a newer build migrates a store on open and the PTY writer adds facts, and neither may change the
# kept stores. One unmeasured run per copy does the migration and warms the page cache.
# PTY_BENCH: the pty_dense bench executable (default: $STORES/pty_dense if present, else
# `cargo bench --bench pty_dense` in this repository). Each PTY run is cut off after PTY_TIMEOUT
# (default 600 s): a screen whose help title changed would otherwise wait 30 s on every key.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${BINS:?set BINS=\"label=/path/to/mktg ...\"}"
: "${STORES:?set STORES to the directory of the kept stores}"
WORK=${WORK:-$STORES/work}
NOW=2026-11-20T08:45
NAMES=${STORE_NAMES:-dense-10k dense-1m dense-10m demo-1m demo}
PTY_KEYS=${PTY_KEYS:-400}
PTY_SCREEN_KEYS=${PTY_SCREEN_KEYS:-100}
PTY_TIMEOUT=${PTY_TIMEOUT:-600}

# median_wall_cpu, peak_kb, load, commas: the timing loop every bench script shares.
source bench/lib.sh

mkdir -p "$WORK"
# Copy a kept store (and any WAL beside it) to WORK; print the copy's path.
copy_store() {
  local src=$STORES/$1.db dst=$WORK/$2-$1.db
  rm -f "$dst" "$dst-wal" "$dst-shm"
  cp --reflink=auto "$src" "$dst"
  for x in wal shm; do [ -e "$src-$x" ] && cp "$src-$x" "$dst-$x"; done
  echo "$dst"
}
drop_store() { rm -f "$1" "$1-wal" "$1-shm"; }

# "CPU ms (wall ms)" of one read.
cell() {
  local both
  both=$(median_wall_cpu "$@")
  echo "${both##* } (${both%% *})"
}

pty() {
  local bin=$1 db=$2
  shift 2
  if [ -n "${PTY_BENCH:-}" ] || [ -x "$STORES/pty_dense" ]; then
    env MKTG_BIN="$bin" MKTG_BENCH_DB="$db" "$@" timeout "$PTY_TIMEOUT" "${PTY_BENCH:-$STORES/pty_dense}"
  else
    env MKTG_BIN="$bin" MKTG_BENCH_DB="$db" "$@" timeout "$PTY_TIMEOUT" cargo bench --quiet --bench pty_dense
  fi
}

echo "machine: $(nproc) cores, $(uname -sr); RUNS=$RUNS; stores in $STORES; load $(load)"
for b in $BINS; do echo "build ${b%%=*}: ${b#*=} ($(stat -c '%y' "${b#*=}" | cut -d. -f1))"; done
table=()
for b in $BINS; do
  label=${b%%=*} bin=${b#*=}
  for name in $NAMES; do
    if [ ! -e "$STORES/$name.db" ]; then
      echo "skipped $name: no $STORES/$name.db" >&2
      continue
    fi
    db=$(copy_store "$name" "$label")
    run=("$bin" --db "$db" --now "$NOW")
    "${run[@]}" render dashboard >/dev/null # migrates a copy an older build made; warms the cache
    facts=$(sqlite3 "$db" "SELECT count(*) FROM kpi_obs")
    at_load=$(cut -d' ' -f1 /proc/loadavg)
    first=$(cell "${run[@]}" render dashboard)
    brief=$(cell "${run[@]}" brief --format json)
    quarter=$(cell "${run[@]}" render dashboard --keys p)
    drill=$(cell "${run[@]}" render dashboard --keys 'h Enter')
    after=$(RUNS=${WRITE_RUNS:-5} BEFORE_EACH="${run[*]} kpi record leads 1 --date 2026-11-19 --channel c0001" \
      cell "${run[@]}" render dashboard)
    mb=$(peak_reads_mb "${run[@]}")
    table+=("| $label | $name | $(commas "$facts") | $first | $brief | $quarter | $drill | $after | $mb MB | $at_load-$(cut -d' ' -f1 /proc/loadavg) |")
    echo "  $label $name done; load $(load)" >&2
    drop_store "$db"
  done
done
echo
echo "CPU ms, median of $RUNS (wall ms in brackets); load: 1-minute average before and after the store's runs"
echo
echo "| build | store | facts | first frame (\`render dashboard\`) | \`brief --format json\` | quarter view (\`--keys p\`) | drill-down (\`--keys 'h Enter'\`) | first frame after a write (median of ${WRITE_RUNS:-5}) | peak memory | load |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---|"
printf '%s\n' "${table[@]}"

if [ -n "${PTY:-}" ]; then
  for b in $BINS; do
    label=${b%%=*} bin=${b#*=}
    if [ -e "$STORES/dense-10m.db" ]; then
      db=$(copy_store dense-10m "$label")
      "$bin" --db "$db" --now "$NOW" render dashboard >/dev/null
      echo
      echo "## $label, #21: dashboard on dense-10m, $PTY_KEYS keys, a writer every second; load $(load)"
      pty "$bin" "$db" MKTG_BENCH_KEYS="$PTY_KEYS" | grep -v '^$' || echo "(the PTY run failed or timed out)"
      drop_store "$db"
    fi
    for name in demo dense-1m; do
      [ -e "$STORES/$name.db" ] || continue
      db=$(copy_store "$name" "$label")
      "$bin" --db "$db" --now "$NOW" render dashboard >/dev/null
      echo
      echo "## $label, #15: every screen on $name, $PTY_SCREEN_KEYS keys each, a writer every second; load $(load)"
      pty "$bin" "$db" MKTG_BENCH_SCREENS=1 MKTG_BENCH_KEYS="$PTY_SCREEN_KEYS" | grep -v '^$' || echo "(the PTY run failed or timed out)"
      drop_store "$db"
    done
  done
fi
echo
echo "load average at the end: $(load)"
