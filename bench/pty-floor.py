#!/usr/bin/env python3
# The PTY bench's floor: a stand-in for the cockpit that answers each key with one fixed 3.3 KB
# frame in one write (the help popup's title on `?`, blanks on any other key), so
#   MKTG_BIN=bench/pty-floor.py MKTG_BENCH_NO_WRITER=1 MKTG_BENCH_DB=any.db cargo bench --bench pty_dense
# times the PTY, the scheduler and the bench itself with no cockpit work at all.
import os, sys, tty
tty.setraw(0)
pad = "".join("\x1b[%d;1H%s" % (r, "x" * 100) for r in range(3, 33))  # ~3.3 KB, like a help frame
os.write(1, b"\x1b[2J\x1b[1;1HLeads")
while True:
    b = os.read(0, 1024)
    if not b or b"q" in b:
        break
    if b"?" in b:
        os.write(1, ("\x1b[2;33H Keys: Dashboard " + pad).encode())
    else:
        os.write(1, ("\x1b[2;33H                 " + pad).encode())
