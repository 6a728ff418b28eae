"""The send log of :mod:`thankyou.send`: one JSON line per message a server accepted.

A run that sends takes an exclusive lock on the log *before* reading it and
holds it until it is done, so a second run started at the same moment waits
for the first and then sees what it sent. Each line is written and fsync'd
before the next message goes out; a line that cannot be written is cut back
out, so the log never holds half a record.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from thankyou.errors import SendError

__all__ = ["LOCK_WAIT", "LogBusy", "SendLog", "open_log", "parse_log", "read_log"]

#: Seconds a run waits for another run to release the log before giving up.
LOCK_WAIT = 10.0
_POLL = 0.05


class LogBusy(SendError):
    """Raised when another run holds the log for longer than :data:`LOCK_WAIT`."""


def read_log(path: Path) -> dict[str, dict[str, Any]]:
    """Return the send log's records by key, without locking; an absent log is empty.

    Raises:
        SendError: the log is unreadable, a folder, or has a damaged line;
            guessing past it could send a letter twice.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as err:
        raise _unusable(path, err) from None
    return parse_log(path, data)


def parse_log(path: Path, data: bytes) -> dict[str, dict[str, Any]]:
    """Parse the log's bytes into records by key; the first outcome of a key counts.

    Raises:
        SendError: for a line that is not a JSON record with a key.
    """
    records: dict[str, dict[str, Any]] = {}
    for number, line in enumerate(data.splitlines(), 1):
        if line.strip():
            record = _parse_line(path, number, line)
            records.setdefault(record["key"], record)
    return records


# The key is the first field of every line this module writes, so even a line cut
# short by a crash usually still names its letter.
_KEY_AT_START = re.compile(rb'^\s*\{\s*"key"\s*:\s*"([0-9a-f]{1,64})"')


def _parse_line(path: Path, number: int, line: bytes) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except ValueError:  # also bytes that are not UTF-8
        record = None
    if isinstance(record, dict) and isinstance(record.get("key"), str):
        return record
    where = f"{path}:{number}: this line of the send log is damaged"
    found = _KEY_AT_START.match(line)
    if found is not None:
        fixed = json.dumps({"key": found[1].decode(), "status": "sent"})
        raise SendError(
            f"{where}. It records a letter that went out, so do not delete it "
            f"(that letter would be sent again): replace the line with {fixed} and run again"
        )
    raise SendError(
        f"{where} and does not say which letter it records. Do not delete it: the letter "
        "it records may have gone out and would be sent again. Restore the log from a backup, "
        'or check your Sent folder and rewrite the line as a JSON record with that letter\'s "key"'
    )


def _unusable(path: Path, err: OSError) -> SendError:
    if isinstance(err, IsADirectoryError) or path.is_dir():
        return SendError(
            f"the send log {path} is a folder, not a file. It is the only record of what was "
            "sent: put the log file back at that name, or point --log at it"
        )
    return SendError(f"cannot use the send log {path}: {err.strerror or err}")


@dataclass
class SendLog:
    """The log of a sending run: open for appending and locked until the run ends."""

    path: Path
    fd: int
    #: What the log held when the lock was taken, by key.
    records: dict[str, dict[str, Any]]
    #: The last line lacks its newline (edited by hand): write one before the next record.
    needs_newline: bool = False
    #: Keep the log even if nothing is written to it (a delivery was attempted).
    keep: bool = False

    def append(self, record: dict[str, Any]) -> None:
        """Write one line and force it to disk before the next message is sent.

        Raises:
            OSError: the line could not be written (a full disk); the log is
                left as it was, without a partial line.
        """
        line = json.dumps(record, ensure_ascii=False).encode() + b"\n"
        if self.needs_newline:  # never glue a record onto the end of another
            line = b"\n" + line
        start = os.lseek(self.fd, 0, os.SEEK_END)
        try:
            _write(self.fd, line)
            os.fsync(self.fd)
        except OSError:
            with contextlib.suppress(OSError):
                os.ftruncate(self.fd, start)
            raise
        self.needs_newline = False
        self.keep = True


def _write(fd: int, data: bytes) -> None:
    """Write all of ``data`` (os.write may write less than asked)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


@contextlib.contextmanager
def open_log(path: Path, *, wait: float | None = None) -> Iterator[SendLog]:
    """Lock the log (creating it), read it, and keep it locked for the ``with`` block.

    A log this run created and then found no use for (``keep`` never set) is
    removed again on the way out.

    Raises:
        LogBusy: another run held the lock for ``wait`` seconds (:data:`LOCK_WAIT`).
        SendError: the log cannot be opened or read, or has a damaged line.
    """
    fd, created = _open_locked(path, LOCK_WAIT if wait is None else wait)
    log: SendLog | None = None
    try:
        data = _read_all(fd, path)
        log = SendLog(
            path, fd, parse_log(path, data), needs_newline=bool(data) and not data.endswith(b"\n")
        )
        if created:
            _fsync_dir(path.parent)  # the new file's name must survive a crash too
        yield log
    finally:
        if created and (log is None or not log.keep):
            with contextlib.suppress(OSError):
                path.unlink()  # still locked: a waiting run sees the name gone and starts over
        os.close(fd)


def _open_locked(path: Path, wait: float) -> tuple[int, bool]:
    """Open (or create) the log and lock it; return the descriptor and whether it was new."""
    deadline = time.monotonic() + wait
    while True:
        fd, created = _open(path)
        try:
            _lock(fd, path, deadline)
            if _same_file(fd, path):
                return fd, created
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # the run before removed or replaced the log while we waited: open it anew


def _open(path: Path) -> tuple[int, bool]:
    flags = os.O_RDWR | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)
    try:
        return os.open(path, flags | os.O_CREAT | os.O_EXCL, 0o644), True
    except FileExistsError:
        pass
    except OSError as err:
        raise _unusable(path, err) from None
    try:
        return os.open(path, flags), False
    except OSError as err:
        raise _unusable(path, err) from None


def _lock(fd: int, path: Path, deadline: float) -> None:
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; one run at a time is up to the user
        return
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError as err:
            if err.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise _unusable(path, err) from None
        if time.monotonic() >= deadline:
            raise LogBusy(
                f"another thankyou run is using {path}; nothing was sent or saved. Run the "
                "same command again when it has finished: what it did will be skipped"
            )
        time.sleep(_POLL)


def _same_file(fd: int, path: Path) -> bool:
    try:
        named = path.stat()
    except OSError:
        return False
    mine = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (mine.st_dev, mine.st_ino)


def _read_all(fd: int, path: Path) -> bytes:
    chunks = []
    try:
        os.lseek(fd, 0, os.SEEK_SET)  # O_APPEND still sends every write to the end
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
    except OSError as err:
        raise _unusable(path, err) from None
    return b"".join(chunks)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
