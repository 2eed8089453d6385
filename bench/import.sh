#!/usr/bin/env bash
# Times `mktg import` of a generated 1,000,000-row kpi-csv against sqlite3's own `.import --csv`
# of the same file into a plain table, in one run, and prints the ratio (target: within 1.5x).
#
#   bench/import.sh [ROWS]        ROWS defaults to 1000000; needs sqlite3 and a release build
#
# The file is deterministic: the same ROWS always gives the same bytes (its fingerprint is printed).
set -euo pipefail

rows=${1:-1000000}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/mktg-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

command -v sqlite3 >/dev/null || { echo "bench/import.sh needs sqlite3 on PATH" >&2; exit 1; }
# BIN: a binary already built (then nothing is built here)
if [ -n "${BIN:-}" ]; then mktg=$BIN; else
  (cd "$root" && cargo build --release --quiet)
  mktg="${CARGO_TARGET_DIR:-$root/target}/release/mktg"
fi

# date,metric,value,channel: 17 metrics x 6 channels per day, days counted up from 2000-01-01,
# so every (date, metric, channel) is distinct; money has cents, counts are whole, as in real exports.
csv="$work/kpis.csv"
awk -v rows="$rows" 'BEGIN {
    split("sessions key_events engaged_sessions new_users active_users pipeline revenue won lost leads mqls sqls opps impressions clicks conversions spend", m, " ")
    split("organic-search paid-social email paid-search direct referral", c, " ")
    split("31 28 31 30 31 30 31 31 30 31 30 31", len, " ")
    nm = 17; nc = 6; y = 2000; mo = 1; d = 1
    print "date,metric,value,channel"
    for (i = 0; i < rows; i++) {
        k = i % (nm * nc)
        if (i > 0 && k == 0) {
            d++
            leap = (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
            if (d > len[mo] + (mo == 2 && leap)) { d = 1; mo++ }
            if (mo > 12) { mo = 1; y++ }
        }
        v = (i * 7919) % 100000
        name = m[int(k / nc) + 1]
        # Money carries cents; counts are whole numbers (a fractional count is refused).
        frac = (i % 3 == 0 || (name != "pipeline" && name != "revenue" && name != "spend")) ? "" : sprintf(".%02d", i % 100)
        printf "%04d-%02d-%02d,%s,%d%s,%s\n", y, mo, d, name, v, frac, c[k % nc + 1]
    }
}' > "$csv"

size=$(wc -c < "$csv")
echo "file: $rows rows, $((size / 1000000)) MB, cksum $(cksum < "$csv" | cut -d' ' -f1)"
echo "machine: $(nproc) cores, $(uname -sr); sqlite3 $(sqlite3 --version | cut -d' ' -f1)"

source "$root/bench/lib.sh"   # secs_wall_cpu: wall and CPU seconds of one run
echo "load average: $(load)"
"$mktg" --db "$work/mktg.db" --now 2026-11-20T08:45 init --role demand-gen >/dev/null
sync
read -r t_mktg c_mktg < <(secs_wall_cpu "$mktg" --db "$work/mktg.db" --now 2026-11-20T08:45 import "$csv")
sync
read -r t_sqlite c_sqlite < <(secs_wall_cpu sqlite3 "$work/plain.db" ".import --csv $csv kpi")

stored=$(sqlite3 "$work/mktg.db" "SELECT count(*) FROM kpi_obs")
plain=$(sqlite3 "$work/plain.db" "SELECT count(*) FROM kpi")
[ "$stored" = "$rows" ] && [ "$plain" = "$rows" ] || { echo "row counts differ: mktg $stored, sqlite3 $plain" >&2; exit 1; }

echo "mktg import:       ${t_mktg}s wall, ${c_mktg}s CPU"
echo "sqlite3 .import:   ${t_sqlite}s wall, ${c_sqlite}s CPU"
awk -v a="$t_mktg" -v b="$t_sqlite" -v c="$c_mktg" -v d="$c_sqlite" \
  'BEGIN { printf "ratio:             %.2fx wall, %.2fx CPU (target <= 1.5x)\n", a / b, c / d }'
echo "load average after: $(load)"
