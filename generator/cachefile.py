"""Files a build keeps in the work folder for the next one (the parse cache and the checked
records of stage 1, the memo of generator.reuse): pickles written atomically, best effort, and
read back building only plain values and the engine's own classes, so that a foreign or damaged
file is ignored instead of running anything. Losing one only makes the next build do more work.
Each is keyed on a digest of the code that made it (`code_digest`)."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import io
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

_PLAIN = {("datetime", "date"): dt.date, ("builtins", "frozenset"): frozenset, ("builtins", "set"): set}


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _PLAIN:
            return _PLAIN[module, name]
        if module == "generator" or module.startswith("generator."):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} hoort niet in een bestand van Ketenkaart")


def code_digest(*paths: Path, extra: str = "") -> str | None:
    """A digest of source files (a folder: every file below it, __pycache__ left out, by its path
    in the folder) and of `extra` (versions); None when one of them cannot be read."""
    h = hashlib.blake2b(digest_size=16)
    try:
        for given in paths:
            found = sorted(p for p in given.rglob("*") if p.is_file() and "__pycache__" not in p.parts) \
                if given.is_dir() else [given]
            for path in found:
                name = path.relative_to(given).as_posix() if given.is_dir() else path.name
                h.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    except OSError:
        return None
    h.update(extra.encode())
    return h.hexdigest()


@contextlib.contextmanager
def gc_paused():
    """No garbage collection inside: for code that makes hundreds of thousands of objects that stay
    alive (loading the data, reading a cache), which the collector would walk again and again for
    nothing, together with everything already loaded."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def read(path: Path, magic: str, key: str) -> Any:
    """What `write(path, magic, key, value)` stored, or None when the file is absent, unreadable,
    damaged, foreign or written for another `key` (another version of what it depends on)."""
    try:
        with gc_paused():
            stored = _Unpickler(io.BytesIO(path.read_bytes())).load()
    except Exception:  # any error unpickling can raise
        return None
    if not isinstance(stored, tuple) or len(stored) != 3 or stored[:2] != (magic, key):
        return None
    return stored[2]


def write(path: Path, magic: str, key: str, value: Any) -> None:
    """Atomically (a temporary file in the same folder, then a rename); nothing on failure."""
    try:
        path.parent.mkdir(exist_ok=True)  # its parent must exist: no cache in a folder that is gone
        fd, temporary = tempfile.mkstemp(prefix=path.name + ".", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump((magic, key, value), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except BaseException:
            try:
                os.unlink(temporary)
            except OSError:
                pass
            raise
    except Exception:  # read-only, full, gone: the next build does more work
        pass
