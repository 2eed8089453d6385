#!/usr/bin/env bash
# A 100,000-row GA4 export and a 100,000-row Google Ads export, each imported into a fresh store
# (#13's target: under a second each). Both files are generated in the exports' real shapes, as
# the fixtures in tests/fixtures/import/ show them:
#   GA4 "Traffic acquisition" (Reports > Share > Download CSV): a `#` comment preamble naming the
#   report, account, property and the start/end dates, then channel group x day rows, UTF-8;
#   Google Ads "Campaign report" (Reports > Download > CSV): UTF-16LE with a BOM, tab-separated,
#   a title line and a date-range line before the header, counts with thousands separators.
# GA4: 19 default channel groups x 5,264 days; Google Ads: 137 campaigns x 730 days.
#
#   nice bench/ga4-ads.sh             # needs a release build (cargo build --release), iconv
#   RUNS=5 nice bench/ga4-ads.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
BIN=${BIN:-$PWD/target/release/mktg}
RUNS=${RUNS:-5}
NOW=2026-11-20T08:45
DIR=$(mktemp -d "${TMPDIR:-/tmp}/mktg-ga4-ads.XXXXXX")
trap 'rm -rf "$DIR"' EXIT

# GA4: 5,264 days back from 2026-11-19 for 19 channel groups, newest day first as GA4 sorts by
# sessions within a day; engagement rate as GA4 prints it (a long float).
ga4=$DIR/ga4-traffic-acquisition.csv
awk 'BEGIN {
  n = split("Organic Search,Direct,Paid Search,Paid Social,Organic Social,Email,Referral,Display,Affiliates,Organic Video,Paid Video,Cross-network,Organic Shopping,Paid Shopping,Audio,SMS,Mobile Push Notifications,Unassigned,Paid Other", ch, ",")
  days = 5264
  end_t = 1795046400                       # 2026-11-19 00:00 UTC
  start_t = end_t - (days - 1) * 86400
  print "# ----------------------------------------"
  print "# Traffic acquisition: Session primary channel group (Default Channel Group)"
  print "# Account: Acme Analytics"
  print "# Property: Acme Web - GA4"
  print "# ----------------------------------------"
  print "# "
  print "# All Users"
  printf "# Start date: %s\n", strftime("%Y%m%d", start_t, 1)
  printf "# End date: %s\n", strftime("%Y%m%d", end_t, 1)
  print "Session primary channel group (Default Channel Group),Date,Sessions,Engaged sessions,Engagement rate,Key events,Total revenue"
  for (d = 0; d < days; d++) {
    day = strftime("%Y%m%d", end_t - d * 86400, 1)
    for (c = 1; c <= n; c++) {
      h = (d * 7919 + c * 104729) % 1000003
      s = 20 + h % 400; e = int(s * (0.4 + (h % 37) / 100)); k = h % 9
      printf "%s,%s,%d,%d,%s,%d,%s\n", ch[c], day, s, e, e / s, k, (k > 6 ? sprintf("%d.%02d", h % 900, h % 100) : "0")
    }
  }
}' > "$ga4"

# Google Ads: 730 days x 137 campaigns of five types, UTF-16LE with a BOM, tabs, en-US numbers.
ads=$DIR/google-ads-campaign-report.csv
{
  printf '\xff\xfe'
  awk 'function th(n, d,  s, i) {   # en-US thousands separators, d decimals
      s = sprintf("%." d "f", n); i = index(s, "."); if (i == 0) i = length(s) + 1
      while (i > 4) { s = substr(s, 1, i - 4) "," substr(s, i - 3); i -= 3 }
      return s
    }
    BEGIN {
    split("Search,Performance Max,Video,Display,Demand Gen", ty, ",")
    days = 730; end_t = 1795046400; start_t = end_t - (days - 1) * 86400
    print "Campaign report"
    printf "%s - %s\n", strftime("%B %-d, %Y", start_t, 1), strftime("%B %-d, %Y", end_t, 1)
    print "Day\tCampaign\tCampaign type\tCampaign status\tCurrency code\tCost\tImpr.\tClicks\tConversions\tConv. value\tAvg. CPC"
    for (d = 0; d < days; d++) {
      day = strftime("%Y-%m-%d", start_t + d * 86400, 1)
      for (c = 1; c <= 137; c++) {
        h = (d * 7919 + c * 104729) % 1000003
        cost = 20 + (h % 90000) / 100; impr = 500 + h % 60000; clicks = 1 + int(impr * (0.002 + (h % 30) / 1000))
        conv = (h % 11) / 2; value = conv * 400
        i = th(impr, 0); k = th(clicks, 0); v = th(value, 2)
        if (index(k, ",")) k = "\"" k "\""
        if (index(i, ",")) i = "\"" i "\""
        if (index(v, ",")) v = "\"" v "\""
        printf "%s\tCampaign %03d - %s\t%s\tEnabled\tUSD\t%.2f\t%s\t%s\t%.2f\t%s\t%.2f\n", day, c, ty[c % 5 + 1], ty[c % 5 + 1], cost, i, k, conv, v, cost / clicks
      }
    }
  }' | iconv -f UTF-8 -t UTF-16LE
} > "$ads"

rows() { echo $(( $(wc -l < "$1") - $2 )); }
echo "machine: $(nproc) cores, $(uname -sr); load $(load)"
echo "GA4: $(rows "$ga4" 10) rows, $(($(wc -c < "$ga4") / 1000)) KB; Google Ads: $(( $(iconv -f UTF-16LE -t UTF-8 "$ads" | wc -l) - 3 )) rows, $(($(wc -c < "$ads") / 1000)) KB"
echo
echo "| file | rows stored | import, median of $RUNS: wall | CPU (user+sys) | load |"
echo "|---|---:|---:|---:|---|"
for f in "$ga4" "$ads"; do
  db=$DIR/store.db
  fresh() { rm -f "$db" "$db-wal" "$db-shm"; "$BIN" --db "$db" --now "$NOW" init --role demand-gen >/dev/null; }
  # Check once that the whole file lands, then time fresh imports.
  fresh
  "$BIN" --db "$db" --now "$NOW" import "$f" >"$DIR/out.txt" 2>&1 || { cat "$DIR/out.txt" >&2; exit 1; }
  stored=$(sqlite3 "$db" "SELECT count(*) FROM kpi_obs")
  walls=() cpus=()
  for _ in $(seq "$RUNS"); do
    fresh
    read -r w c < <(secs_wall_cpu "$BIN" --db "$db" --now "$NOW" import "$f")
    walls+=("$w") cpus+=("$c")
  done
  echo "| $(basename "$f") | $(commas "$stored") | $(median_of "${walls[@]}") ms | $(median_of "${cpus[@]}") ms | $(load) |"
done
echo
tail -3 "$DIR/out.txt"
