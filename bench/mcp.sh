#!/usr/bin/env bash
# `mktg mcp` speed and size on a store of N KPI rows (default 1,000,000): a get_brief round trip
# as a client sees it (the first call on a fresh process included) and the server's resident
# memory while idle. The client is benches/mcp.rs (a line-buffered reader: a shell `read` takes
# the ~25 KB reply a byte at a time and would time itself, not the server).
#   bench/mcp.sh             # 1M rows
#   bench/mcp.sh 10000       # another size
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
OUT=bench/out
mkdir -p "$OUT"
N=${1:-1000000}
db=$PWD/$OUT/bench-$N.db
if [ ! -f "$db" ]; then
  target/release/mktg --db "$db" --now 2026-11-20T08:45 demo --kpi-rows "$N" >/dev/null
fi
echo "machine: $(nproc) cores, $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg); store: $N KPI rows ($(du -h "$db" | cut -f1))"
MKTG_BENCH_DB=$db cargo bench --quiet --bench mcp
