"""Run a function in a forked child process, so the memory it used is returned to the system
when it ends (the generator's data is gone before MkDocs starts; issue 16)."""

from __future__ import annotations

import os
import pickle
import sys
from typing import Any, Callable


class ChildDied(Exception):
    """The child process ended without an answer (killed, or out of memory)."""


def run_forked(fn: Callable[..., Any], *args: Any) -> Any:
    """fn(*args) in a child process; its result or exception comes back pickled. Where fork is
    not available the function runs in this process."""
    if not hasattr(os, "fork"):
        return fn(*args)
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the caller's code
        status = 0
        try:
            os.close(read_end)
            try:
                answer = (True, fn(*args))
            except BaseException as exc:  # noqa: BLE001 - every outcome goes back to the parent
                answer = (False, exc)
            try:
                data = pickle.dumps(answer)
            except Exception as exc:  # noqa: BLE001
                data = pickle.dumps((False, ChildDied(f"{type(exc).__name__}: {exc}")))
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
            sys.stdout.flush()
            sys.stderr.flush()
        except BaseException:  # noqa: BLE001
            status = 1
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    _pid, status = os.waitpid(pid, 0)
    if not data:
        raise ChildDied(f"het proces dat de site maakte stopte onverwacht (status {os.waitstatus_to_exitcode(status)})")
    ok, value = pickle.loads(data)
    if ok:
        return value
    raise value
