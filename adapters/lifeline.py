"""`python -m bedside_adapters.lifeline PARENT_PID MODULE [ARGS…]`: run MODULE as `python -m MODULE ARGS…`,
tied to the process PARENT_PID, so that it ends when that parent ends, however the parent ends.

The window starts ingest and the simulated monitor through this. A window that stops cleanly stops
its children itself; one that is killed (SIGKILL, a crash, the OOM killer) cannot, and its children
ran on as orphans: a simulator for half an hour, an ingest holding the port and the database. On
Linux the kernel sends the child SIGTERM when its parent dies (PR_SET_PDEATHSIG), which ingest
answers with its clean stop; elsewhere a thread watches the parent's pid.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import runpy
import signal
import sys
import threading

PR_SET_PDEATHSIG = 1


def follow_parent(parent: int) -> None:
    """End this process (SIGTERM) when `parent` is no longer its parent."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            armed = libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0) == 0
        except OSError:
            armed = False
        if armed:
            # The parent may have died before prctl: then the signal never comes.
            if os.getppid() != parent:
                os.kill(os.getpid(), signal.SIGTERM)
            return

    def watch() -> None:
        gone = threading.Event()
        while not gone.wait(1.0):
            if os.getppid() != parent:
                os.kill(os.getpid(), signal.SIGTERM)
                return

    threading.Thread(target=watch, name="bedside-lifeline", daemon=True).start()


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if len(args) < 2 or not args[0].isdigit():
        sys.exit("usage: python -m bedside_adapters.lifeline PARENT_PID MODULE [ARGS...]")
    follow_parent(int(args[0]))
    module = args[1]
    sys.argv = [module, *args[2:]]
    # As `python -m MODULE`: its `if __name__ == "__main__"` runs, and multiprocessing's spawn finds
    # the main module by its name (the alerting process of ingest).
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
