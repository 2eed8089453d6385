#!/usr/bin/env bash
# The READ figures of #14, #15 and #21 for one or more builds on kept stores, in one go, with no
# import: made once (see below), the stores are only ever copied, so a newer binary can be measured
# on exactly the stores an older one was.
#
#   BINS="before=/tmp/bench4/mktg-before now=target/release/mktg" STORES=/tmp/bench4 nice bench/reads.sh
#   PTY=1 BINS=... STORES=... nice bench/reads.sh      also the PTY key-to-frame p99s (a few minutes a build)
#
# For every build and every store it prints, as one markdown table (medians of RUNS runs, 15 by
# default, CPU time = user + system of the process, wall time beside it; the CPU counted from the
# process's exec through bench/exec_cpu.py when python3 is there, else from bash's `time`, which
# adds the shell's fork: the table says which):
#
#   first frame    mktg render dashboard                  (process start to printed 120x40 frame)
#   brief          mktg brief --format json
#   quarter view   mktg render dashboard --keys p         (month -> quarter)
#   drill-down     mktg render dashboard --keys 'h Enter' (the first tile's drill-down)
#   peak memory    the largest maximum resident set of those four (/usr/bin/time -v)
#   cold           render dashboard on a new day (--now the next morning, COLD_NOW): the day's first
#                  open, whose brief is computed (the kept scan and feeds of the day before carried
#                  forward); before each run the kept results are put back as they were after the
#                  warm-up at NOW (untimed), so every run is that first open
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
COLD_NOW=${COLD_NOW:-2026-11-21T08:45}
# CPU from the exec (bench/exec_cpu.py) unless FROM_EXEC=0 or python3 is missing.
export FROM_EXEC=${FROM_EXEC:-1}
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
drop_store() { rm -f "$1" "$1-wal" "$1-shm" "$1.kept"; }

# The results a brief keeps (kept_brief, kpi_scan) saved beside a store, and put back: a run on a
# new day after `restore_kept` is that day's first open again. Plain SQL on derived tables: the
# store's data and generation are untouched.
save_kept() {
  rm -f "$1.kept"
  sqlite3 "$1" "ATTACH '$1.kept' AS k; CREATE TABLE k.brief AS SELECT * FROM kept_brief;
    CREATE TABLE k.scan AS SELECT * FROM kpi_scan;"
}
restore_kept() {
  sqlite3 "$1" "ATTACH '$1.kept' AS k; BEGIN; DELETE FROM kept_brief; INSERT INTO kept_brief SELECT * FROM k.brief;
    DELETE FROM kpi_scan; INSERT INTO kpi_scan SELECT * FROM k.scan; COMMIT;"
}

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
    "${run[@]}" render dashboard >/dev/null # today's brief kept again, as the day left it
    save_kept "$db"
    cold=$(RUNS=${WRITE_RUNS:-5} BEFORE_EACH="restore_kept $db" cell "$bin" --db "$db" --now "$COLD_NOW" render dashboard)
    restore_kept "$db"
    after=$(RUNS=${WRITE_RUNS:-5} BEFORE_EACH="${run[*]} kpi record leads 1 --date 2026-11-19 --channel c0001" \
      cell "${run[@]}" render dashboard)
    mb=$(peak_reads_mb "${run[@]}")
    table+=("| $label | $name | $(commas "$facts") | $first | $brief | $quarter | $drill | $cold | $after | $mb MB | $at_load-$(cut -d' ' -f1 /proc/loadavg) |")
    echo "  $label $name done; load $(load)" >&2
    drop_store "$db"
  done
done
echo
if [ "$FROM_EXEC" = 1 ] && [ -n "$EXEC_CPU" ]; then counted="counted from the exec (bench/exec_cpu.py)"; else counted="from bash's time (the shell's fork included)"; fi
echo "CPU ms $counted, median of $RUNS (wall ms in brackets); load: 1-minute average before and after the store's runs"
echo
echo "| build | store | facts | first frame (\`render dashboard\`) | \`brief --format json\` | quarter view (\`--keys p\`) | drill-down (\`--keys 'h Enter'\`) | cold: first frame of a new day (median of ${WRITE_RUNS:-5}) | first frame after a write (median of ${WRITE_RUNS:-5}) | peak memory | load |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
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
