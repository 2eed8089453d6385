#!/usr/bin/env bash
# `team load` and `mentor` end to end (process start, store open, reads, JSON out) over the demo
# store grown to 10,000 decisions and 1,000 workflows: the size the issue asks for (#19), since
# both are attention sources. Medians of 15 runs (wall and CPU) of the release binary. Needs sqlite3.
# Usage: bench/team.sh [path/to/mktg]   (default target/release/mktg; build it first)
set -euo pipefail
BIN=${1:-target/release/mktg}
DIR=$(mktemp -d /tmp/mktg-team-bench.XXXXXX)
trap 'rm -rf "$DIR"' EXIT
DB="$DIR/team.db"
NOW=2026-11-20T08:45
"$BIN" --db "$DB" demo --seed 1 --now "$NOW" >/dev/null
sqlite3 "$DB" <<'SQL'
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000 - (SELECT count(*) FROM decision))
INSERT INTO decision(title, risk, owner, due, status, made_at)
SELECT 'bench decision ' || i,
       CASE WHEN i % 3 = 0 THEN '' ELSE 'pipeline slips' END,
       CASE i % 7 WHEN 0 THEN 'priya' WHEN 1 THEN 'marcus' WHEN 2 THEN 'jordan' WHEN 3 THEN 'alex'
                  WHEN 4 THEN 'lee' WHEN 5 THEN 'Dana (Sales)' ELSE 'Sam' END,
       CASE WHEN i % 4 = 0 THEN NULL ELSE date('2026-10-01', '+' || (i % 90) || ' days') END,
       CASE WHEN i % 2 = 0 THEN 'proposed' ELSE 'done' END,
       '2026-09-01T09:00'
FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000 - (SELECT count(*) FROM workflow))
INSERT INTO workflow(name, name_norm, category, owner, who, unblocks, breaks, why_now, impact, created_at, updated_at)
SELECT 'bench workflow ' || i, 'bench workflow ' || i,
       CASE i % 3 WHEN 0 THEN 'content-messaging' WHEN 1 THEN 'campaign-distribution'
                  ELSE 'sales-enablement-field-activation' END,
       CASE WHEN i % 10 = 0 THEN NULL ELSE 'jordan' END,
       'AEs', 'pricing', 'deals stall', CASE WHEN i % 5 = 0 THEN '' ELSE 'Q1' END, 'win rate',
       '2026-09-01T09:00', '2026-09-01T09:00'
FROM n;
SQL
echo "store: $(sqlite3 "$DB" 'SELECT count(*) FROM decision') decisions, $(sqlite3 "$DB" 'SELECT count(*) FROM workflow') workflows"
source "$(dirname "$0")/lib.sh"   # median_wall_cpu: the timing loop every bench script shares
echo "load average: $(load)"
for cmd in "team load --format json" "mentor --format json" "team load" "mentor" "workflow list" "render team"; do
    # shellcheck disable=SC2086
    b=$(median_wall_cpu "$BIN" --db "$DB" --now "$NOW" $cmd)
    printf '%-26s median of %d: %s ms wall, %s ms CPU\n' "$cmd" "$RUNS" "${b%% *}" "${b##* }"
done
