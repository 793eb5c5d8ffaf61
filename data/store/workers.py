"""Worker processes that end with the process that started them.

A forked worker waiting for its next task never learns that its parent was killed: SIGKILL
gives the parent no chance to shut its pool down, and the worker holds both ends of its task
pipe (inherited by the fork), so its read never ends. :func:`die_with_parent`, run first in
every worker, has the kernel kill the worker when the parent dies.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
ORPHAN_EXIT_STATUS = 1


def die_with_parent(parent_pid: int) -> None:
    """Make this process end when its parent (``parent_pid``) dies; a pool's initializer.

    On Linux, ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` has the kernel send SIGKILL to this process
    when the thread that forked it ends, so the pool must be created and shut down by one
    thread (``ProcessPoolExecutor`` forks from the thread that submits first). A parent that
    died before the call is not covered by the signal: then this process is already an orphan,
    its parent id is no longer ``parent_pid``, and it exits at once with
    :data:`ORPHAN_EXIT_STATUS`. Elsewhere than on Linux, only that check is made.

    Example, in the parent: ``ProcessPoolExecutor(initializer=die_with_parent,
    initargs=(os.getpid(),))``.
    """
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            error = ctypes.get_errno()
            raise OSError(error, os.strerror(error))
    if os.getppid() != parent_pid:
        os._exit(ORPHAN_EXIT_STATUS)  # a forked child: none of the parent's exit handlers
