"""write(): letters to files, atomically, never clobbering, never outside the output folder.

Each letter is rendered to bytes in memory (in worker processes with
``jobs > 1``), then written to a temporary file in its destination folder,
flushed to disk, and moved into place: an interrupted run leaves the old file
or the new one, never half a file (docs/design/guarantees.md).

A run killed outright (SIGKILL, power loss) can leave the temporary file of
the write it was doing; temporaries are named ``.<name>.<pid>-<random>.tmp``
and the next run that writes to the folder removes those whose process is gone.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import unicodedata
import warnings
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, TypedDict, TypeGuard

from thankyou._atomic import atomic_write, remove_stale_temporaries
from thankyou._workers import worker_pool
from thankyou.errors import RenderWarning, ThankYouError
from thankyou.letter import Letter
from thankyou.models import Delivery
from thankyou.renderers import EXTENSIONS, FORMATS, Format, render

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
    format: Format
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
    #: Formats left out for a reader they cannot reach (an .eml for someone without an
    #: email address), one sentence each; not failures.
    unreachable: list[str] = field(default_factory=list)
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


def formats_for(letter: Letter, formats: str | Sequence[str]) -> tuple[Format, ...]:
    """Resolve the formats of one letter; ``auto`` follows its delivery (email -> .eml, else .pdf).

    ``auto`` adds the envelope of a posted or handed letter when its style asks
    for envelopes; ``envelope`` is left out for a letter that goes by email.

    Raises:
        ValueError: for an unknown format name.
    """
    names = formats.split(",") if isinstance(formats, str) else list(formats)
    resolved: list[Format] = []
    for name in (n.strip().lower() for n in names):
        for one in _auto(letter) if name == "auto" else (name,):
            if not _is_format(one):
                raise ValueError(
                    f"unknown format {one!r}; choose from auto, {', '.join(sorted(FORMATS))}"
                )
            if one not in resolved and not (one == "envelope" and _by_email(letter)):
                resolved.append(one)
    return tuple(resolved)


def _is_format(name: str) -> TypeGuard[Format]:
    return name in FORMATS


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
            format name, a comma-separated list, or a sequence of names. A reader
            without an email address gets no ``.eml``; ``unreachable`` of the report says so.
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
    try:
        for item in done:
            _take(item, report, on_item)
    except KeyboardInterrupt:
        _finish_in_flight(done, report, on_item)
        raise
    return report


def _take(item: Item, report: WriteReport, on_item: Callable[[Item], None] | None) -> None:
    report.items.append(item)  # first, so an on_item that stops the run cannot lose it
    if on_item is not None:
        on_item(item)


def _finish_in_flight(
    done: Generator[Item, None, None], report: WriteReport, on_item: Callable[[Item], None] | None
) -> None:
    """After Ctrl-C, report the letters workers were already writing: they reach the disk.

    The interrupt is passed into the generator, which stops starting letters and
    yields those in hand; so the report counts exactly the files on disk.
    """
    try:
        item = done.throw(KeyboardInterrupt())
        while True:
            with contextlib.suppress(KeyboardInterrupt):
                _take(item, report, on_item)
            item = next(done)
    except (KeyboardInterrupt, StopIteration):
        return


# --- paths ----------------------------------------------------------------------------------


def _plan(
    letters: Iterable[Letter], root: Path, formats: str | Sequence[str], report: WriteReport
) -> Iterator[Item]:
    taken: set[Path] = {item.path for item in report.items}
    for letter in letters:
        for fmt in formats_for(letter, formats):
            if fmt == "email" and letter.recipient.email is None:
                report.unreachable.append(_no_address(letter))
                continue
            path = _unique(_relative_path(letter, fmt), taken)
            taken.add(path)
            yield Item(letter, fmt, root / path)


def _no_address(letter: Letter) -> str:
    """The note for a reader an email cannot reach: skipped, not a failure of the run."""
    how = {Delivery.post: "by post", Delivery.hand: "by hand"}.get(letter.delivery, "otherwise")
    return f"{letter.recipient.name} has no email address (goes {how}): no .eml written"


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


def _dry(items: Iterable[Item], overwrite: bool) -> Generator[Item, None, None]:
    for item in items:
        # A symlink counts as there even when it leads nowhere, as atomic_write counts it.
        if not (item.path.exists() or item.path.is_symlink()):
            yield item
        elif overwrite:
            yield replace(item, messages=("exists; would be overwritten",))
        else:
            yield replace(item, status="skipped", messages=("exists; use --force to overwrite",))


def _run(items: Iterable[Item], job: _Job, jobs: int) -> Generator[Item, None, None]:
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
    # The finished batch being reported; items leave it as they are yielded, so an
    # interrupt between two of them still reports the rest (their files exist).
    pending: list[Item] = []
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
                pending = list(_results(*window.popleft()))
                while pending:
                    yield pending.pop(0)
        while window:
            pending = list(_results(*window.popleft()))
            while pending:
                yield pending.pop(0)
    except KeyboardInterrupt:
        # Letters already with a worker are finished anyway: report them before stopping.
        for _, future in window:
            future.cancel()
        yield from pending
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
        except Exception as err:  # a library's surprise fails this letter, never the whole run
            return None, (f"{fmt}: could not be rendered: {type(err).__name__}: {err}",)
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
