"""The worker pool for writing letters in parallel (``--jobs``).

Workers leave Ctrl-C to the process that started them, which stops the run and
prints the summary, and they end when that process is gone.
"""

from __future__ import annotations

import concurrent.futures
import os
import signal
import threading
import time

__all__ = ["worker_pool"]


def worker_pool(jobs: int) -> concurrent.futures.ProcessPoolExecutor:
    """A process pool whose workers leave Ctrl-C to this process and end with it."""
    return concurrent.futures.ProcessPoolExecutor(
        max_workers=jobs, initializer=_worker_init, initargs=(os.getpid(),)
    )


def _worker_init(parent: int) -> None:
    # Ctrl-C is the parent's to handle: it stops the run and prints the summary.
    # Workers that also caught it would each print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """End this worker when the run that started it is gone.

    A parent killed with SIGKILL cannot shut its pool down, and an orphaned
    worker would wait on the task queue for ever (seen on Linux, Python 3.11).
    """
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)
