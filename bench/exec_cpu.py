#!/usr/bin/env python3
"""Run a command once, its output discarded, and print "WALL USER SYS" (seconds) of it alone.

The CPU time is the child's own from wait4's rusage, counted from its exec: the child is
spawned with posix_spawn (a vfork, no copy of the caller), where bash's `time` also counts the
shell's fork of itself before the exec (about a millisecond, which a 10 ms target cannot
spare). bench/lib.sh uses it when python3 is on the machine (FROM_EXEC=1), else bash's `time`.
Exits non-zero when the command did.
"""
import os
import sys
import time

devnull = os.open(os.devnull, os.O_RDWR)
actions = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
start = time.perf_counter()
pid = os.posix_spawnp(sys.argv[1], sys.argv[1:], os.environ, file_actions=actions)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
print(f"{wall:.5f} {usage.ru_utime:.5f} {usage.ru_stime:.5f}")
sys.exit(0 if os.waitstatus_to_exitcode(status) == 0 else 1)
