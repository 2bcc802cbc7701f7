"""Publishing safely: one build at a time, never a missing site, never someone else's folder.

* `project_lock`: a build holds an exclusive lock on its work folder (fcntl.flock on
  `<werkmap>/.ketenkaart.lock`); a second build of the same project stops with a message instead of
  sharing build/ with the first. The lock goes away with the process, also when it is killed.
* `check_target`: the output folder must be absent, empty, or a site that Ketenkaart built before
  (it holds the marker file MARKER). Anything else (the data folder, a home folder) is refused
  unless the caller forces it.
* `swap_in`: the new site replaces the old one with one atomic exchange of the two folders
  (Linux renameat2 RENAME_EXCHANGE), so there is no moment without a site; elsewhere it falls
  back to two renames.
* `clean_leftovers`: folders a killed build left next to the output are removed by the next build.
* `die_with_parent`: a child process (MkDocs) that is killed when the build process dies.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import signal
from pathlib import Path
from typing import Iterator

MARKER = ".ketenkaart-site"
LOCK = ".ketenkaart.lock"
FRESH = ".{name}.nieuw-"
OLD = ".{name}.oud-"
SPARE = ".{name}.vorige"  # the site before the last incremental build (swap_in, publish.partial.linked_copy)


class PublishError(Exception):
    """The site could not be published; the message says why, in Dutch, and the old site stays."""


class MkDocsError(PublishError):
    """MkDocs refused the generated site; the message carries its log."""


class Busy(PublishError):
    """Another build of the same project is running."""


@contextlib.contextmanager
def project_lock(work_dir: Path) -> Iterator[None]:
    work_dir.mkdir(parents=True, exist_ok=True)
    handle = open(work_dir / LOCK, "w")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(f"er loopt al een build van dit project (werkmap {work_dir}); wacht tot die klaar is "
                       "en probeer het dan opnieuw") from None
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield
    finally:
        handle.close()


def check_target(out: Path, force: bool = False) -> None:
    """Refuse to replace a folder that is not a site Ketenkaart built (see module docstring)."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise PublishError(f"{out} is geen map; kies met --out een map voor de site")
    if not out.exists() or force or (out / MARKER).is_file() or not any(out.iterdir()):
        return
    raise PublishError(f"{out} bestaat al en is geen site die Ketenkaart eerder bouwde; er is niets "
                       "overschreven. Kies met --out een lege of nieuwe map, of gebruik --force als deze "
                       "map echt vervangen mag worden")


def clean_leftovers(out: Path) -> list[Path]:
    """Remove what killed builds left beside `out` (call while holding the project lock)."""
    removed = []
    if not out.parent.is_dir():
        return removed
    for prefix in (FRESH.format(name=out.name), OLD.format(name=out.name)):
        for leftover in out.parent.glob(prefix + "*"):
            shutil.rmtree(leftover, ignore_errors=True)
            removed.append(leftover)
    return removed


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 with RENAME_EXCHANGE); False when unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(str(a)), at_fdcwd, os.fsencode(str(b)), rename_exchange)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.ENOSYS, errno.EINVAL):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))


def swap_in(fresh: Path, out: Path, keep: Path | None = None) -> None:
    """Put the folder `fresh` in the place of `out`; the old site is removed afterwards, or, with
    `keep`, moved there (an incremental build starts its next copy from it: publish.partial.linked_copy)."""
    (fresh / MARKER).write_text("Deze map is gebouwd door Ketenkaart; een volgende build vervangt haar.\n",
                                encoding="utf-8")
    if not out.exists():
        fresh.rename(out)
        return
    if _exchange(fresh, out):
        old = fresh  # fresh now holds the old site
    else:
        old = out.parent / (OLD.format(name=out.name) + str(os.getpid()))
        out.rename(old)
        fresh.rename(out)
    if keep is not None:
        try:
            old.rename(keep)
            return
        except OSError:
            pass
    shutil.rmtree(old, ignore_errors=True)


def die_with_parent() -> None:
    """For subprocess preexec_fn: ask Linux to kill this child when its parent dies."""
    libc_name = ctypes.util.find_library("c")
    if libc_name:
        pr_set_pdeathsig = 1
        ctypes.CDLL(libc_name).prctl(pr_set_pdeathsig, signal.SIGKILL)
