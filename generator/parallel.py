"""Work spread over the machine's cores, with the same result as doing it one item after another.

`parallel_map(fn, items)` returns `[fn(item) for item in items]`. With many items and more than one
core it forks worker processes (one per core), gives each a run of consecutive items at a time and
puts the results back in order. The workers are forked, so `fn` may be any function, closure or
lambda and sees everything the caller had in memory (the dataset, the graph) without copying or
pickling; only the results travel back, pickled: keep them small and plain (text, bytes).

It works serially, in this process, when there are fewer than `MIN_ITEMS` items (starting
processes costs more than it saves), when only one core is available, when the platform cannot
fork, and inside a worker. The workers die with the process that started them (also when it is
killed) and ignore Ctrl-C, which stops the caller; an exception in `fn` is raised in the caller.

`fn` must be pure as far as the result goes: a worker's changes to memory (caches, counters) stay
in the worker.

`parallel_map_while(fn, items, meanwhile)` does the same while this process, instead of waiting,
runs `meanwhile()` (work that cannot be spread, such as one large file), and returns both results.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")
R = TypeVar("R")
M = TypeVar("M")

MIN_ITEMS = 24  # fewer items than this: serially (a fork and the results' way back cost ~0.1 s)
PROCESSES: int | None = None  # None: as many as the cores this process may use
CHUNKS_PER_PROCESS = 4  # runs of items per worker: small enough to balance, large enough to batch

_task: tuple[Callable, list] | None = None  # what the forked workers run (inherited, never pickled)
_workers_used = 0  # how many worker processes the last call used (0: it ran serially)


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def last_workers() -> int:
    """How many worker processes the last `parallel_map` used (0: it worked serially)."""
    return _workers_used


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and not multiprocessing.current_process().daemon \
        and _task is None


def _start_worker(parent: int) -> None:
    """In each worker: die with the parent, leave Ctrl-C to the parent, keep the garbage collector
    away from the inherited objects (touching them would copy their memory), and keep freed
    memory for reuse."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        libc = None
    try:
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except AttributeError:  # not Linux: the executor still ends the workers on exit
        pass
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)
    gc.freeze()
    try:
        # glibc maps large blocks afresh and gives them back when freed, so numpy's temporaries
        # (megabytes per municipality) fault their pages in again and again: at 342 municipalities
        # 1.2 to 1.9 million page faults and 4 to 5 s of kernel time in the verwijswijzer's
        # workers. Serve them from the heap and keep what is freed (60 thousand faults); the
        # worker's memory goes back to the system when it ends.
        M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
        libc.mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024)  # glibc's upper limit on 64-bit systems
        libc.mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024)
    except AttributeError:  # not glibc
        pass


def _run(span: tuple[int, int]) -> list:
    fn, items = _task  # type: ignore[misc]
    return [fn(item) for item in items[span[0]:span[1]]]


def parallel_map(fn: Callable[[T], R], items: Iterable[T], min_items: int | None = None) -> list[R]:
    """[fn(item) for item in items], on every core when it is worth it (see the module docstring).
    `min_items`: fewer items than this run serially (default MIN_ITEMS; a few large items may be
    worth a process each)."""
    return parallel_map_while(fn, items, lambda: None, min_items)[0]


def parallel_map_while(fn: Callable[[T], R], items: Iterable[T], meanwhile: Callable[[], M],
                       min_items: int | None = None,
                       each: Callable[[int, list[R]], None] | None = None) -> tuple[list[R], M]:
    """parallel_map(fn, items), while this process runs meanwhile() instead of waiting for the
    workers: work that cannot be spread (one large file, for example) then shares the cores with
    them. Returns both results. `meanwhile` runs after the workers have started, so they do not
    see what it changes, and a parallel_map inside it works serially; when the items are done
    serially (see parallel_map), it runs after them.

    `each(first, results)`: called in this process, after meanwhile(), for each run of
    consecutive items as its results come in (in order; `first` is the index of its first item),
    while the workers may still work on later runs; serially once, for all items."""
    global _task, _workers_used
    items = list(items)
    workers = min(PROCESSES or cores(), len(items))
    if len(items) < max(MIN_ITEMS if min_items is None else min_items, 2) or workers < 2 or not _can_fork():
        _workers_used = 0
        results = [fn(item) for item in items]
        own = meanwhile()
        if each is not None:
            each(0, results)
        return results, own
    runs = min(len(items), workers * CHUNKS_PER_PROCESS)
    bounds = [len(items) * i // runs for i in range(runs + 1)]
    _task = (fn, items)
    executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_start_worker, initargs=(os.getpid(),))
    done = False
    try:
        parts = executor.map(_run, list(zip(bounds, bounds[1:])))  # forks the workers and hands out the runs
        own = meanwhile()  # a parallel_map in it works serially: no fork while this one runs
        results: list[R] = []
        for part in parts:
            if each is not None:
                each(len(results), part)
            results.extend(part)
        done = True
    finally:
        _task = None
        if not done:  # an exception or Ctrl-C: stop the workers now instead of letting them finish
            for process in list(getattr(executor, "_processes", {}).values()):
                process.kill()
        executor.shutdown(wait=True, cancel_futures=True)
    _workers_used = workers
    return results, own
