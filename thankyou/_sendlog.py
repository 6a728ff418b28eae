"""The send log of :mod:`thankyou.send`: one JSON line per message a server accepted.

Each line is written and fsync'd before the next message goes out, and the log
is locked while a run uses it, so two runs never send the same letter.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from thankyou.errors import SendError

__all__ = ["SendLog", "open_log", "read_log"]


def read_log(path: Path) -> dict[str, dict[str, Any]]:
    """Return the send log's records by key; an absent log is empty.

    Raises:
        SendError: for a line that is not a JSON record with a key; guessing
            past it could send a letter twice.
    """
    try:
        lines = path.read_bytes().splitlines()
    except FileNotFoundError:
        return {}
    except OSError as err:
        raise SendError(f"cannot read the send log {path}: {err.strerror or err}") from None
    records: dict[str, dict[str, Any]] = {}
    for number, line in enumerate(lines, 1):
        if line.strip():
            record = _parse_line(path, number, line)
            records.setdefault(record["key"], record)  # the first outcome is the one that counts
    return records


def _parse_line(path: Path, number: int, line: bytes) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except ValueError:
        record = None
    if not isinstance(record, dict) or not isinstance(record.get("key"), str):
        raise SendError(
            f"{path}:{number}: this line of the send log is damaged; repair or delete it "
            "(a deleted line's letter will be sent again)"
        )
    return record


@dataclass
class SendLog:
    """The log opened for appending, locked against a second run using it at once."""

    path: Path
    file: IO[bytes]

    def append(self, record: dict[str, Any]) -> None:
        """Write one line and force it to disk before the next message is sent."""
        self.file.write(json.dumps(record, ensure_ascii=False).encode() + b"\n")
        self.file.flush()
        os.fsync(self.file.fileno())


@contextlib.contextmanager
def open_log(path: Path) -> Iterator[SendLog]:
    created = not path.exists()
    try:
        file = path.open("ab")
    except OSError as err:
        raise SendError(f"cannot open the send log {path}: {err.strerror or err}") from None
    with file:
        _lock(file, path)
        if created:
            _fsync_dir(path.parent)  # the new file's name must survive a crash too
        try:
            yield SendLog(path, file)
        finally:
            if created and file.tell() == 0:  # nothing was sent: leave no empty log behind
                with contextlib.suppress(OSError):
                    path.unlink()


def _lock(file: IO[bytes], path: Path) -> None:
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; one run at a time is up to the user
        return
    try:
        fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        raise SendError(f"another `thankyou send` is using {path}; wait for it to finish") from None


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
