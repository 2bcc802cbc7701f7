"""generator.parallel: the same results as one after another, on worker processes that never
outlive the process that started them."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from generator import parallel

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def forced(monkeypatch):
    """Work in parallel whatever the machine: two workers, from the first item on."""
    monkeypatch.setattr(parallel, "PROCESSES", 2)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)


def test_parallel_results_are_the_serial_results_in_order(forced):
    table = {i: f"waarde {i}" * (i % 7) for i in range(50)}  # inherited by the workers, never pickled
    items = list(range(50))
    serial = [f"{i}:{table[i]}" for i in items]
    assert parallel.parallel_map(lambda i: f"{i}:{table[i]}", items) == serial
    assert parallel.last_workers() == 2


def test_the_work_really_runs_in_other_processes(forced):
    pids = set(parallel.parallel_map(lambda _i: os.getpid(), range(40)))
    assert os.getpid() not in pids
    assert 1 <= len(pids) <= 2


def test_few_items_or_one_process_work_serially(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_ITEMS", 10)
    assert parallel.parallel_map(lambda _i: os.getpid(), range(9)) == [os.getpid()] * 9
    assert parallel.last_workers() == 0
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    monkeypatch.setattr(parallel, "PROCESSES", 1)
    assert parallel.parallel_map(lambda _i: os.getpid(), range(30)) == [os.getpid()] * 30
    assert parallel.last_workers() == 0


def test_a_worker_inside_a_worker_works_serially(forced):
    inner = parallel.parallel_map(lambda i: parallel.parallel_map(lambda j: (os.getpid(), j), range(i, i + 3)), range(4))
    for row in inner:
        assert len({pid for pid, _j in row}) == 1  # each inner map ran in one process
    assert [[j for _pid, j in row] for row in inner] == [[i, i + 1, i + 2] for i in range(4)]


def test_meanwhile_runs_in_this_process_while_the_workers_work(forced, tmp_path):
    """The workers wait until this process's own work has started: both ran at the same time."""
    started = tmp_path / "meanwhile-started"

    def item(i):
        deadline = time.monotonic() + 10
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        return os.getpid(), i, started.exists()

    def meanwhile():
        started.touch()
        inner = parallel.parallel_map(lambda j: os.getpid(), range(30))  # no fork inside: serially
        return os.getpid(), inner

    made, (pid, inner) = parallel.parallel_map_while(item, range(30), meanwhile)
    assert pid == os.getpid() and inner == [os.getpid()] * 30
    assert [i for _pid, i, _seen in made] == list(range(30))
    assert all(seen for _pid, _i, seen in made)  # every item waited for meanwhile to start
    assert os.getpid() not in {p for p, _i, _seen in made}


def test_meanwhile_serially_runs_after_the_items(monkeypatch):
    monkeypatch.setattr(parallel, "PROCESSES", 1)
    order = []
    made, own = parallel.parallel_map_while(lambda i: order.append(i) or i, range(3), lambda: order.append("m") or "m")
    assert (made, own, order) == ([0, 1, 2], "m", [0, 1, 2, "m"])


def test_an_error_in_a_worker_is_raised_in_the_caller(forced):
    def fail_on_seven(i):
        if i == 7:
            raise ValueError("zeven")
        return i

    with pytest.raises(ValueError, match="zeven"):
        parallel.parallel_map(fail_on_seven, range(20))
    assert parallel.parallel_map(lambda i: i, range(5)) == list(range(5))  # and the next call works


def _alive(pid: int) -> bool:
    """Running. This test process is the workers' subreaper once their starter is gone, so it reaps
    them here; a worker that is not its child (yet) counts as ended when it is a zombie."""
    try:
        done, _status = os.waitpid(pid, os.WNOHANG)
        if done:
            return False
    except ChildProcessError:
        pass
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")


def _subreaper(on: bool) -> None:
    """Orphaned descendants come to this process instead of to init, so that it can reap them."""
    PR_SET_CHILD_SUBREAPER = 36
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, int(on), 0, 0, 0)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc (Linux)")
def test_workers_die_with_the_process_that_started_them(tmp_path):
    pids_file = tmp_path / "pids"
    script = textwrap.dedent(f"""
        import os, time
        from pathlib import Path
        from generator import parallel
        parallel.PROCESSES, parallel.MIN_ITEMS = 2, 1

        def work(_i):
            with open({str(pids_file)!r}, "a") as fh:
                fh.write(f"{{os.getpid()}}\\n")
            time.sleep(60)

        parallel.parallel_map(work, range(8))
    """)
    _subreaper(True)
    starter = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 30
        while len(workers) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
            if pids_file.exists():
                workers = {int(line) for line in pids_file.read_text().split()}
        assert len(workers) == 2, "the workers did not start"
        assert all(_alive(pid) for pid in workers)
        starter.send_signal(signal.SIGKILL)  # no chance to clean up: the kernel must end the workers
        starter.wait(10)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in workers), "a worker outlived the process that started it"
    finally:
        if starter.poll() is None:
            starter.kill()
            starter.wait()
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
                try:
                    os.waitpid(pid, 0)
                except ChildProcessError:
                    pass
        _subreaper(False)


@pytest.mark.parametrize("processes", [1, 2])
def test_each_run_of_results_is_handed_over_in_order_after_meanwhile(processes, monkeypatch):
    monkeypatch.setattr(parallel, "PROCESSES", processes)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    calls = []
    made, own = parallel.parallel_map_while(lambda i: i * i, range(30), lambda: calls.append("m") or "m",
                                            each=lambda first, results: calls.append((first, list(results))))
    assert own == "m" and made == [i * i for i in range(30)]
    assert calls[0] == "m"  # after meanwhile
    runs = calls[1:]
    assert [first for first, _results in runs] == [sum(len(r) for _f, r in runs[:n]) for n in range(len(runs))]
    assert [x for _first, results in runs for x in results] == made
    assert len(runs) == (1 if processes == 1 else parallel.CHUNKS_PER_PROCESS * processes)
