# Timing helpers shared by the bench/*.sh scripts (sourced, not run):
#   source "$(dirname "$0")/lib.sh"
#
# On this shared 2-core machine other builds stretch wall time, so every figure is taken two ways:
# the wall time and the CPU time (user + system) of the measured process and its children, as
# bash's `time` reads them from getrusage. Load stretches the first, barely the second.
# RUNS (default 15) sets how many runs a median is taken over.

RUNS=${RUNS:-15}
# The exec-to-exit timer (see median_wall_cpu), when python3 can run it.
EXEC_CPU=
if command -v python3 >/dev/null 2>&1 && [ -x "$(dirname "${BASH_SOURCE[0]}")/exec_cpu.py" ]; then
  EXEC_CPU=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/exec_cpu.py
fi

# "WALL CPU": the medians, in ms, of wall time and of CPU time over $RUNS runs of a command
# (its output discarded). BEFORE_EACH (a command, word-split) runs untimed before every run: to
# time, say, the frame right after another process's write.
# With FROM_EXEC=1 and python3 on the machine, the CPU time is the process's own from its exec
# (bench/exec_cpu.py: wait4's rusage of a child spawned without a fork of the shell); otherwise,
# or without python3, bash's `time`, which also counts the shell's fork before the exec.
median_wall_cpu() {
  local TIMEFORMAT='%3R %3U %3S' walls=() cpus=() r u s
  for _ in $(seq "$RUNS"); do
    # shellcheck disable=SC2086
    [ -z "${BEFORE_EACH:-}" ] || $BEFORE_EACH >/dev/null 2>&1
    if [ "${FROM_EXEC:-}" = 1 ] && [ -n "$EXEC_CPU" ]; then
      read -r r u s < <("$EXEC_CPU" "$@" 2>/dev/null || true)
    else
      read -r r u s < <({ time "$@" >/dev/null 2>&1; } 2>&1 | tail -1)
    fi
    walls+=("$r")
    cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}')")
  done
  printf '%s %s\n' "$(median_of "${walls[@]}")" "$(median_of "${cpus[@]}")"
}

# Median wall time in ms of $RUNS runs of a command (its output discarded).
median_ms() {
  local both
  both=$(median_wall_cpu "$@")
  echo "${both%% *}"
}

# "W ms wall, C ms CPU" of $RUNS runs: for tables that show both.
median_both() {
  local both
  both=$(median_wall_cpu "$@")
  echo "${both%% *} ms wall, ${both##* } ms CPU"
}

# The median of numbers given in seconds, printed in ms with one decimal.
median_of() {
  printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)] * 1000}'
}

# "S CPU" seconds of one run, wall and CPU, two decimals (output discarded; stderr kept).
secs_wall_cpu() {
  local TIMEFORMAT='%3R %3U %3S' r u s
  read -r r u s < <({ time "$@" >/dev/null 2>/dev/null; } 2>&1 | tail -1)
  awk -v r="$r" -v u="$u" -v s="$s" 'BEGIN {printf "%.2f %.2f\n", r, u + s}'
}

# Wall seconds of one run (output discarded).
secs() {
  local both
  both=$(secs_wall_cpu "$@")
  echo "${both%% *}"
}

# Peak resident memory in KB of one run.
peak_kb() {
  /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}'
}

# Peak resident memory in MB of one run.
peak_mb() {
  awk -v k="$(peak_kb "$@")" 'BEGIN {printf "%.1f", k / 1024}'
}

# The largest peak resident memory, in MB, of the four reads dense.sh and reads.sh measure
# (first frame, brief, quarter view, drill-down), for the command prefix given (binary, --db, --now).
peak_reads_mb() {
  local peak=0 kb
  for kb in $(peak_kb "$@" render dashboard) $(peak_kb "$@" brief --format json) \
    $(peak_kb "$@" render dashboard --keys p) $(peak_kb "$@" render dashboard --keys 'h Enter'); do
    [ "$kb" -gt "$peak" ] && peak=$kb
  done
  awk -v k="$peak" 'BEGIN {printf "%.1f", k / 1024}'
}

# The load average over 1, 5 and 15 minutes: printed beside every table.
load() { cut -d' ' -f1-3 /proc/loadavg; }

# 1234567 -> 1,234,567
commas() { echo "$1" | sed -e ':a' -e 's/\B[0-9]\{3\}\>/,&/' -e 'ta'; }
