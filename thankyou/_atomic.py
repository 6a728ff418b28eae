"""Atomic files: written whole or not at all, never clobbering, leftovers cleaned up.

A file is written to a temporary file in its destination folder, flushed to
disk, and moved into place: an interrupted run leaves the old file or the new
one, never half a file (see docs/design/guarantees.md).

A run killed outright (SIGKILL, power loss) can leave the temporary file of
the write it was doing; temporaries are named ``.<name>.<pid>-<random>.tmp``
and :func:`remove_stale_temporaries` removes those whose process is gone.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import tempfile
import time
from pathlib import Path

__all__ = ["atomic_write", "remove_stale_temporaries"]


#: Temporaries are ``.<name>.<pid>-<random>.tmp``: hidden, recognisable, and they
#: name the process that owns them, so a later run can tell a leftover of a killed
#: run (SIGKILL runs no cleanup) from a file another live run is writing.
_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)-[A-Za-z0-9_]+\.tmp$")
#: A temporary this old is stale whoever owns it (another host, a reused pid).
_STALE_AFTER = 24 * 60 * 60


def atomic_write(path: str | Path, data: bytes, *, overwrite: bool = False) -> bool:
    """Write ``data`` to ``path`` all at once, creating its folder.

    The bytes go to a temporary file in the same folder, are flushed to disk,
    and then take the final name in one step: readers see the old file or the
    new one, never half a file. Without ``overwrite`` the final step is a hard
    link, which fails rather than replace a file that appeared meanwhile.

    Args:
        path: Where the file goes.
        data: Its complete contents.
        overwrite: Replace an existing file (or symlink, never writing through it).

    Returns:
        True when written; False when the file exists and was kept.

    Raises:
        OSError: when the folder or file cannot be written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not overwrite and (path.exists() or path.is_symlink()):
        return False
    fd, name = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.{os.getpid()}-", suffix=".tmp"
    )
    tmp = Path(name)
    try:
        tmp.chmod(0o666 & ~_umask())  # mkstemp makes 0600; a letter gets the usual mode
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            tmp.replace(path)  # replaces a symlink itself, never writes through it
        else:
            return _link_no_clobber(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return True


@functools.cache
def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it; put it straight back
    os.umask(mask)
    return mask


def _link_no_clobber(tmp: Path, path: Path) -> bool:
    # A hard link fails if the target appeared meanwhile: an atomic "create, never replace".
    try:
        path.hardlink_to(tmp)
    except FileExistsError:
        return False
    except OSError:  # filesystems without hard links
        if path.exists():
            return False
        tmp.replace(path)
    return True


def remove_stale_temporaries(folder: str | Path) -> list[Path]:
    """Delete temporaries that interrupted runs left in ``folder``; return them.

    A run killed mid-write (SIGKILL, power loss) cannot remove its temporary
    file. Only files named the way :func:`atomic_write` names them are
    touched, and only when the process that made them is gone (or they are a
    day old), so a run writing into the same folder right now keeps its own.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return removed
    for entry in entries:
        match = _TEMPORARY.match(entry.name)
        if match and entry.is_file(follow_symlinks=False) and _stale(entry, int(match["pid"])):
            with contextlib.suppress(FileNotFoundError):
                Path(entry.path).unlink()
                removed.append(Path(entry.path))
    return removed


def _stale(entry: os.DirEntry[str], pid: int) -> bool:
    try:
        age = time.time() - entry.stat(follow_symlinks=False).st_mtime
    except FileNotFoundError:
        return False
    return age > _STALE_AFTER or not _alive(pid)


def _alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine."""
    if pid == os.getpid() or os.name == "nt":  # on Windows os.kill would terminate it
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, owned by someone else
        return True
    return True
