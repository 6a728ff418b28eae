"""write(): letters to files, atomically, never clobbering, never outside the output folder.

Each letter is rendered to bytes in memory (in worker processes with
``jobs > 1``), then written to a temporary file in its destination folder,
flushed to disk, and moved into place: an interrupted run leaves the old file
or the new one, never half a file (SPEC §10, ROBUSTNESS §6).

A run killed outright (SIGKILL, power loss) can leave the temporary file of
the write it was doing; temporaries are named ``.<name>.<pid>-<random>.tmp``
and the next run that writes to the folder removes those whose process is gone.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import os
import re
import signal
import tempfile
import threading
import time
import unicodedata
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, TypedDict

from thankyou.errors import RenderWarning, ThankYouError
from thankyou.letter import Letter
from thankyou.models import Delivery
from thankyou.renderers import EXTENSIONS, FORMATS, render

__all__ = [
    "Item",
    "WriteReport",
    "atomic_write",
    "formats_for",
    "remove_stale_temporaries",
    "safe_name",
    "write",
]

#: File names stay well under the 255-byte limit of common filesystems.
_NAME_BYTES = 120
_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{d}{n}" for d in ("com", "lpt") for n in "0123456789¹²³"]
)


#: What became of one file of a run ("planned": a dry run's answer).
ItemStatus = Literal["planned", "written", "skipped", "failed"]


@dataclass(frozen=True)
class Item:
    """One file of a run: a letter in one format, and what happened to it."""

    letter: Letter
    format: str
    path: Path
    status: ItemStatus = "planned"
    #: Why it was skipped or failed, or warnings it rendered with.
    messages: tuple[str, ...] = ()


@dataclass
class WriteReport:
    """What a run wrote, skipped and failed; items in the order the letters came."""

    items: list[Item] = field(default_factory=list)
    #: Failures that happened before a letter existed (a bad facts file, a broken template).
    errors: list[str] = field(default_factory=list)
    #: Warnings about the input (e.g. a spreadsheet header with stray spaces).
    notes: list[str] = field(default_factory=list)
    #: Temporaries left by an interrupted earlier run, removed by this one.
    cleaned: list[Path] = field(default_factory=list)

    def _with(self, status: ItemStatus) -> list[Item]:
        return [item for item in self.items if item.status == status]

    @property
    def planned(self) -> list[Item]:
        """Files a dry run would write."""
        return self._with("planned")

    @property
    def written(self) -> list[Item]:
        """Files written."""
        return self._with("written")

    @property
    def skipped(self) -> list[Item]:
        """Files that existed and were kept (no ``overwrite``)."""
        return self._with("skipped")

    @property
    def failed(self) -> list[Item]:
        """Letters that could not be rendered or written."""
        return self._with("failed")

    @property
    def warnings(self) -> list[str]:
        """Warnings about the input, then from written letters (each naming its file)."""
        return [*self.notes, *(f"{item.path}: {m}" for item in self.written for m in item.messages)]

    @property
    def ok(self) -> bool:
        """True when nothing failed."""
        return not self.errors and not self.failed


def formats_for(letter: Letter, formats: str | Sequence[str]) -> tuple[str, ...]:
    """Resolve the formats of one letter; ``auto`` follows its delivery (email -> .eml, else .pdf).

    ``auto`` adds the envelope of a posted or handed letter when its style asks
    for envelopes; ``envelope`` is left out for a letter that goes by email.

    Raises:
        ValueError: for an unknown format name.
    """
    names = formats.split(",") if isinstance(formats, str) else list(formats)
    resolved: list[str] = []
    for name in (n.strip().lower() for n in names):
        for one in _auto(letter) if name == "auto" else (name,):
            if one not in FORMATS:
                raise ValueError(
                    f"unknown format {one!r}; choose from auto, {', '.join(sorted(FORMATS))}"
                )
            if one not in resolved and not (one == "envelope" and _by_email(letter)):
                resolved.append(one)
    return tuple(resolved)


def _by_email(letter: Letter) -> bool:
    return letter.delivery is Delivery.email


def _auto(letter: Letter) -> tuple[str, ...]:
    """Email -> .eml; post and hand -> .pdf, and the envelope with ``[style] envelopes = true``.

    A letter in the window layout shows its address through the envelope's window: no
    envelope to print.
    """
    if _by_email(letter):
        return ("email",)
    printed = letter.style.envelopes and letter.style.layout != "window"
    return ("pdf", "envelope") if printed else ("pdf",)


@functools.lru_cache(maxsize=4096)
def safe_name(text: str, *, fallback: str = "letter") -> str:
    """Make an ASCII file-name slug that cannot leave its folder or be a reserved name."""
    from slugify import slugify  # imported on first use: keeps `import thankyou` light

    slug = slugify(
        text, replacements=[["'", ""], ["’", ""]], max_length=_NAME_BYTES, word_boundary=True
    )
    slug = slug or fallback
    stem = unicodedata.normalize("NFKC", slug.split(".")[0]).lower()
    return f"_{slug}" if stem in _RESERVED else slug


def write(
    letters: Iterable[Letter],
    out_dir: str | Path,
    formats: str | Sequence[str] = "auto",
    *,
    overwrite: bool = False,
    jobs: int = 1,
    dry_run: bool = False,
    on_item: Callable[[Item], None] | None = None,
    report: WriteReport | None = None,
    options: Mapping[str, Mapping[str, Any]] | None = None,
) -> WriteReport:
    """Render letters and write one file per letter and format.

    Files go to ``out_dir/<company>/<recipient>.<ext>``; letters from templates
    outside the thank-you family add it to the name (``sam-ortiz-references.eml``).
    Names are unique within a run (``-2``, ``-3``).

    Args:
        letters: Letters from :func:`thankyou.compose`.
        out_dir: The output folder (created when missing).
        formats: ``"auto"`` (email -> ``.eml``, post and hand -> ``.pdf``), a
            format name, a comma-separated list, or a sequence of names.
        overwrite: Replace existing files; otherwise they are kept and reported as skipped.
        jobs: Worker processes rendering and writing in parallel; the report keeps
            the order of the letters.
        dry_run: Work out the paths only; render and write nothing.
        on_item: Called with each finished item, in order (for progress bars).
        report: Add to this report instead of a new one.
        options: Renderer options per format, for example
            ``{"email": {"smtputf8": True}, "pdf": {"invariant": True}}``
            (see :func:`thankyou.render`).

    Returns:
        The report: written, skipped and failed items, and warnings.
    """
    report = report if report is not None else WriteReport()
    root = Path(out_dir)
    planned = _plan(letters, root, formats, report)
    done = (
        _dry(planned, overwrite)
        if dry_run
        else _run(planned, _Job(_Settings(root, overwrite, options or {}), report), jobs)
    )
    for item in done:
        report.items.append(item)
        if on_item is not None:
            on_item(item)
    return report


# --- paths ----------------------------------------------------------------------------------


def _plan(
    letters: Iterable[Letter], root: Path, formats: str | Sequence[str], report: WriteReport
) -> Iterator[Item]:
    taken: set[Path] = {item.path for item in report.items}
    for letter in letters:
        for fmt in formats_for(letter, formats):
            path = _unique(_relative_path(letter, fmt), taken)
            taken.add(path)
            yield Item(letter, fmt, root / path)


def _relative_path(letter: Letter, fmt: str) -> Path:
    family = letter.template.split("/", 1)[0]
    stem = safe_name(letter.recipient.name)
    if family != "thank-you":
        stem = f"{stem}-{safe_name(family)}"
    if fmt == "envelope":  # beside the letter: tomas-oneill.pdf, tomas-oneill-envelope.pdf
        stem = f"{stem}-envelope"
    return Path(safe_name(letter.company, fallback="interview"), f"{stem}.{EXTENSIONS[fmt]}")


def _unique(path: Path, taken: set[Path]) -> Path:
    candidate, n = path, 1
    while candidate in taken:
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def _inside(path: Path, root: Path) -> bool:
    # The folder is resolved, not the file: a symlink at the file's own name is
    # replaced (with overwrite) or kept, never written through, so it may point anywhere.
    return path.parent.resolve().is_relative_to(root.resolve()) and path.name not in ("", ".", "..")


# --- rendering and writing ------------------------------------------------------------------


def _dry(items: Iterable[Item], overwrite: bool) -> Iterator[Item]:
    for item in items:
        if not item.path.exists():
            yield item
        elif overwrite:
            yield replace(item, messages=("exists; would be overwritten",))
        else:
            yield replace(item, status="skipped", messages=("exists; use --force to overwrite",))


def _run(items: Iterable[Item], job: _Job, jobs: int) -> Iterator[Item]:
    if jobs <= 1:
        for item in items:
            job.prepare(item)
            yield replace(item, **_write_one(item, job.settings))
        return
    yield from _parallel(items, job, jobs)


def _parallel(items: Iterable[Item], job: _Job, jobs: int) -> Iterator[Item]:
    """Render and write in worker processes; yield results in the order the items came.

    Workers write the files too, so the disk work (fsync above all) runs in
    parallel and no document travels back through a pipe. Names were settled
    beforehand, so no two workers ever write the same path. Items go to the
    workers in small batches: one task per letter spent a tenth of the run on
    inter-process bookkeeping.
    """
    pool = worker_pool(jobs)
    # A bounded window of batches keeps memory flat however long the run is,
    # while results are still reported in the order the letters came.
    window: deque[tuple[list[Item], concurrent.futures.Future[list[_Outcome]]]] = deque()
    try:
        for batch in _batches(items, job, jobs):
            try:
                window.append((batch, pool.submit(_write_many, batch, job.settings)))
            except BrokenProcessPool:  # a worker died earlier: carry on with a fresh pool
                pool.shutdown(wait=False, cancel_futures=True)
                pool = worker_pool(jobs)
                window.append((batch, pool.submit(_write_many, batch, job.settings)))
            # Report what is done without waiting, so this process goes on composing
            # and submitting while the workers render; wait only when the window is full.
            while window and (window[0][1].done() or len(window) >= jobs * _WINDOW_PER_JOB):
                yield from _results(*window.popleft())
        while window:
            yield from _results(*window.popleft())
    except KeyboardInterrupt:
        # Letters already with a worker are finished anyway: report them before stopping.
        for _, future in window:
            future.cancel()
        for batch, future in window:
            if not future.cancelled():
                yield from _results(batch, future)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _batches(items: Iterable[Item], job: _Job, jobs: int) -> Iterator[list[Item]]:
    """Group items for the workers: single letters first, so every worker starts at once."""
    batch: list[Item] = []
    sent = 0
    for item in items:
        job.prepare(item)
        batch.append(item)
        if len(batch) >= (1 if sent < jobs * 2 else _BATCH):
            yield batch
            sent, batch = sent + 1, []
    if batch:
        yield batch


#: Batches in flight per worker: enough to keep workers busy while this process composes.
_WINDOW_PER_JOB = 4
#: Letters per task once the workers are busy.
_BATCH = 8


def worker_pool(jobs: int) -> concurrent.futures.ProcessPoolExecutor:
    """A process pool whose workers leave Ctrl-C to this process and end with it."""
    return concurrent.futures.ProcessPoolExecutor(
        max_workers=jobs, initializer=_worker_init, initargs=(os.getpid(),)
    )


def _worker_init(parent: int) -> None:
    # Ctrl-C is the parent's to handle: it stops the run and prints the summary.
    # Workers that also caught it would each print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """End this worker when the run that started it is gone.

    A parent killed with SIGKILL cannot shut its pool down, and an orphaned
    worker would wait on the task queue for ever (seen on Linux, Python 3.11).
    """
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _results(
    batch: list[Item], future: concurrent.futures.Future[list[_Outcome]]
) -> Iterator[Item]:
    try:
        outcomes = future.result()
    except BrokenProcessPool:
        outcomes = [{"status": "failed", "messages": (_WORKER_DIED,)} for _ in batch]
    for item, outcome in zip(batch, outcomes, strict=True):
        yield replace(item, **outcome)


_WORKER_DIED = "the process writing it stopped unexpectedly; run again"


class _Outcome(TypedDict):
    """What became of one item: its new status and messages."""

    status: ItemStatus
    messages: tuple[str, ...]


@dataclass(frozen=True)
class _Settings:
    """What a worker needs to write any item of a run."""

    root: Path
    overwrite: bool
    #: Format name -> keyword options for its renderer, e.g. {"email": {"smtputf8": True}}.
    options: Mapping[str, Mapping[str, Any]]


def _write_many(batch: list[Item], settings: _Settings) -> list[_Outcome]:
    """Render and write a batch of letters; runs in a worker process with ``jobs > 1``."""
    return [_write_one(item, settings) for item in batch]


def _write_one(item: Item, settings: _Settings) -> _Outcome:
    """Render one letter and write its file; runs in a worker process with ``jobs > 1``."""
    root, overwrite = settings.root, settings.overwrite
    options = settings.options.get(item.format, {})
    data, messages = _render(item.letter, item.format, options)
    if data is None:
        return {"status": "failed", "messages": messages}
    if not _inside(item.path, root):  # slugs make this impossible; checked all the same
        return {"status": "failed", "messages": ("path leaves the output folder",)}
    try:
        written = atomic_write(item.path, data, overwrite=overwrite)
    except OSError as err:
        return {"status": "failed", "messages": (f"cannot write: {err.strerror or err}",)}
    if not written:
        return {"status": "skipped", "messages": ("exists; use --force to overwrite",)}
    return {"status": "written", "messages": messages}


def _render(
    letter: Letter, fmt: str, options: Mapping[str, Any]
) -> tuple[bytes | None, tuple[str, ...]]:
    """Render in memory, collecting render warnings; None and the reason when it fails."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RenderWarning)
        try:
            data = render(letter, fmt, **options)
        except ThankYouError as err:
            return None, (str(err),)
    return data, tuple(str(w.message) for w in caught if issubclass(w.category, RenderWarning))


class _Job:
    """One run's settings, and the folders whose stale temporaries it has cleared."""

    def __init__(self, settings: _Settings, report: WriteReport) -> None:
        self.settings = settings
        self.report = report
        self.cleaned: set[Path] = set()

    def prepare(self, item: Item) -> None:
        """Clear what killed runs left in the item's folder, once, before it is written to."""
        folder = item.path.parent
        if folder not in self.cleaned:
            self.cleaned.add(folder)
            with contextlib.suppress(OSError):  # best effort: an unreadable folder fails its writes
                self.report.cleaned += remove_stale_temporaries(folder)


# --- atomic files ---------------------------------------------------------------------------

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
