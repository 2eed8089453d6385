#!/usr/bin/env bash
# Win/loss over many deal outcomes, end to end (process start to output), and the Compete tab's
# first frame, on the demo store plus N imported outcomes (default 100,000).
#   bench/compete.sh            # 100k outcomes
#   bench/compete.sh 10000
# Needs only the Rust toolchain and awk.
set -euo pipefail
cd "$(dirname "$0")/.."
# BIN: a binary already built (then nothing is built here)
[ -n "${BIN:-}" ] || { cargo build --release --quiet; BIN=$PWD/target/release/mktg; }
N=${1:-100000}
NOW=2026-11-20T08:45
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT

# Deterministic outcomes over three years: a tenth name no competitor, losses carry a reason.
awk -v n="$N" 'BEGIN {
  srand(7); print "deal,closed_on,outcome,competitor,reason,segment,amount"
  split("Acme Analytics,Globex,Initech,Umbrella,Hooli,Vandelay", c, ",")
  split("price,security review,missing SSO,timing,no decision", r, ",")
  split("enterprise,mid-market,smb", s, ",")
  split("won,lost,lost,open", o, ",")
  for (i = 0; i < n; i++) {
    t = 1704067200 + int(rand() * 1054) * 86400
    out = o[int(rand() * 4) + 1]
    comp = rand() < 0.1 ? "" : c[int(rand() * 6) + 1]
    why = out == "lost" ? r[int(rand() * 5) + 1] : ""
    printf "B%d,%s,%s,%s,%s,%s,%d\n", i, strftime("%Y-%m-%d", t, 1), out, comp, why, s[int(rand() * 3) + 1], 1000 + int(rand() * 99000)
  }
}' > "$DIR/outcomes.csv"

DB=$DIR/mktg.db
"$BIN" --db "$DB" --now "$NOW" demo --days 120 >/dev/null
"$BIN" --db "$DB" --now "$NOW" import "$DIR/outcomes.csv" >/dev/null

source bench/lib.sh   # median_ms: the timing loop every bench script shares

run() { "$BIN" --db "$DB" --now "$NOW" "$@"; }
both() { local b; b=$(median_wall_cpu "$@"); echo "${b%% *} ms | ${b##* } ms"; }
echo "deal outcomes in the store: $N + the demo's"
echo "load average: $(load)"
echo "| command (median of $RUNS, process start to exit) | wall | CPU (user+sys) |"
echo "|---|---:|---:|"
echo "| winloss --format json | $(both run winloss --format json) |"
echo "| winloss --by segment --format json | $(both run winloss --by segment --format json) |"
echo "| winloss --period 2026-11 --format json (a month: reads the outcomes) | $(both run winloss --period 2026-11 --format json) |"
echo "| compete list --format json | $(both run compete list --format json) |"
echo "| render compete (first frame, 120x40) | $(both run render compete) |"
echo "| render dashboard (first frame, 120x40) | $(both run render dashboard) |"
