"""Run a function in a worker process with memory and time limits (:func:`run_apart`).

Reading and checking an uploaded file is where a hostile file costs memory and time, and a
library that cannot allocate what a file asks for (calamine) aborts its whole process. So the
import runs those steps apart: the worker is forked from the caller (it starts in a few
milliseconds, with everything already imported), limits its own address space to what it
holds plus an allowance (``RLIMIT_AS``), asks Linux to kill it when its parent goes
(``PR_SET_PDEATHSIG``), runs the function and sends back its result, pickled, through a pipe.
The caller waits at most the time allowed, then kills it. A worker that runs out of memory,
out of time or dies of a signal raises :class:`WorkerFailed` in the caller, which goes on.

Linux only (``/proc``, ``prctl``), as the servers are; the fork must not be used elsewhere.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pickle
import resource
import select
import signal
import struct
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

T = TypeVar("T")
Reason = Literal["memory", "time", "crash"]
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
M_ARENA_MAX = -8  # <malloc.h>
_LENGTH = struct.Struct("!Q")
# The C library, loaded here: a worker forked from a threaded server must not take the dynamic
# loader's lock, which another thread may have held at the fork.
try:
    _LIBC: ctypes.CDLL | None = ctypes.CDLL(None, use_errno=True)
except OSError:
    _LIBC = None
_POLL_SECONDS = 0.1


@dataclass(frozen=True)
class WorkerLimits:
    """What a worker may take: address space beyond the caller's own, and wall-clock time."""

    memory_bytes: int
    seconds: float


@dataclass(frozen=True)
class Done(Generic[T]):
    """A worker's result, with its peak resident memory (bytes) and its duration."""

    value: T
    peak_bytes: int
    seconds: float


class WorkerFailed(Exception):
    """The worker ran out of memory or time, or died of a signal."""

    def __init__(self, reason: Reason, detail: str, peak_bytes: int, seconds: float) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
        self.peak_bytes = peak_bytes
        self.seconds = seconds


def run_apart(function: Callable[[], T], limits: WorkerLimits) -> Done[T]:
    """``function()`` run in a forked worker within ``limits``.

    Its exception, if it raises one, is raised here (with the worker's traceback as a note);
    :class:`WorkerFailed` when it runs out of memory or time, or dies.
    """
    read_end, write_end = os.pipe()
    parent = os.getpid()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _work(function, limits, write_end, parent)  # never returns
    os.close(write_end)
    try:
        message, status, usage = _collect(pid, read_end, started + limits.seconds)
    finally:
        os.close(read_end)
    seconds = time.monotonic() - started
    peak = int(usage.ru_maxrss) * 1024  # Linux counts kilobytes
    if message is None:
        if status is None:
            raise WorkerFailed("time", f"{limits.seconds:g} s", peak, seconds)
        if os.WIFSIGNALED(status):
            detail = signal.Signals(os.WTERMSIG(status)).name
        else:
            detail = f"code {os.WEXITSTATUS(status)}"
        raise WorkerFailed("crash", detail, peak, seconds)
    outcome, payload = pickle.loads(message)
    if outcome == "memory":
        raise WorkerFailed("memory", "MemoryError", peak, seconds)
    if outcome == "raised":
        error, trace = payload
        error.add_note(f"In the worker process:\n{trace}")
        raise error
    return Done(payload, peak, seconds)


def _collect(pid: int, pipe: int, deadline: float) -> tuple[bytes | None, int | None, Any]:
    """The worker's message (``None`` if it sent none whole), its exit status (``None`` when
    killed for its time) and its resource usage, once it is reaped."""
    buffer = bytearray()
    while not _whole(buffer):
        left = deadline - time.monotonic()
        if left <= 0:
            os.kill(pid, signal.SIGKILL)
            _, _, usage = os.wait4(pid, 0)
            return None, None, usage
        if select.select([pipe], [], [], min(left, _POLL_SECONDS))[0]:
            chunk = os.read(pipe, 1 << 20)
            if not chunk:
                break  # the worker closed its end: it has exited
            buffer += chunk
            continue
        # Nothing came: has the worker exited? (Its end of the pipe may also be held by
        # another process forked meanwhile, so the end of the pipe is not awaited.)
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            while select.select([pipe], [], [], 0)[0] and (chunk := os.read(pipe, 1 << 20)):
                buffer += chunk
            return _message(buffer), status, usage
    _, status, usage = os.wait4(pid, 0)
    return _message(buffer), status, usage


def _whole(buffer: bytearray) -> bool:
    return (
        len(buffer) >= _LENGTH.size and len(buffer) >= _LENGTH.size + _LENGTH.unpack_from(buffer)[0]
    )


def _message(buffer: bytearray) -> bytes | None:
    return bytes(buffer[_LENGTH.size :]) if _whole(buffer) else None


def _work(function: Callable[[], Any], limits: WorkerLimits, pipe: int, parent: int) -> None:
    """The worker's whole life: limits, the function, its result down the pipe, exit."""
    code = 70
    try:
        _die_with(parent)
        _reserve_allocators()
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        soft = _address_space() + limits.memory_bytes
        if hard != resource.RLIM_INFINITY:  # a server already limited keeps its own bound
            soft = min(soft, hard)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        try:
            message: tuple[str, Any] = ("value", function())
        except MemoryError:
            message = ("memory", None)
        except BaseException as error:  # sent back to the caller, which raises it
            message = ("raised", (_picklable(error), traceback.format_exc()))
        try:
            data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            data = pickle.dumps(("memory", None))
        except Exception as error:  # a result that cannot be pickled is a bug: say which
            data = pickle.dumps(("raised", (_picklable(error), traceback.format_exc())))
        with os.fdopen(pipe, "wb") as stream:
            stream.write(_LENGTH.pack(len(data)))
            stream.write(data)
        code = 0
    finally:
        os._exit(code)


def _die_with(parent: int) -> None:
    """Have the kernel kill this worker when its parent dies (a watchdog thread where
    ``prctl`` is missing), and exit now if it is already gone."""
    try:
        if _LIBC is None or _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl")
    except (OSError, AttributeError):
        threading.Thread(target=_watch, args=(parent,), daemon=True).start()
    if os.getppid() != parent:
        os._exit(1)


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _reserve_allocators() -> None:
    """Let the allocators take their address space before the limit is set: glibc keeps to
    one arena (one per thread would reserve 64 MB each), and Arrow's allocator (pandas'
    strings; mimalloc reserves a gigabyte at its first use) is started, so that the limit
    counts what the file costs."""
    with contextlib.suppress(AttributeError):  # not glibc
        if _LIBC is not None:
            _LIBC.mallopt(M_ARENA_MAX, 1)
    if "pyarrow" in sys.modules:
        pyarrow = sys.modules["pyarrow"]
        pyarrow.allocate_buffer(64, memory_pool=pyarrow.default_memory_pool())


def _address_space() -> int:
    """This process's virtual memory size, in bytes (``/proc/self/statm``'s first field)."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[0])
    return pages * os.sysconf("SC_PAGE_SIZE")


def _picklable(error: BaseException) -> BaseException:
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error
