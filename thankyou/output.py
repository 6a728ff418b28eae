"""write(): letters to files, atomically, never clobbering, never outside the output folder.

Each letter is rendered to bytes in memory (in worker processes with
``jobs > 1``), then written to a temporary file in its destination folder,
flushed to disk, and moved into place: an interrupted run leaves the old file
or the new one, never half a file (SPEC §10, ROBUSTNESS §6).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
import tempfile
import unicodedata
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from thankyou.errors import RenderWarning, ThankYouError
from thankyou.letter import Letter
from thankyou.models import Delivery
from thankyou.renderers import EXTENSIONS, FORMATS, render

__all__ = ["Item", "WriteReport", "formats_for", "safe_name", "write"]

#: File names stay well under the 255-byte limit of common filesystems.
_NAME_BYTES = 120
_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{d}{n}" for d in ("com", "lpt") for n in "0123456789¹²³"]
)


@dataclass(frozen=True)
class Item:
    """One file of a run: a letter in one format, and what happened to it."""

    letter: Letter
    format: str
    path: Path
    #: "written", "skipped", "failed" or "planned" (dry run).
    status: str = "planned"
    #: Why it was skipped or failed, or warnings it rendered with.
    messages: tuple[str, ...] = ()


@dataclass
class WriteReport:
    """What a run wrote, skipped and failed; items in the order the letters came."""

    items: list[Item] = field(default_factory=list)
    #: Failures that happened before a letter existed (a bad facts file, a broken template).
    errors: list[str] = field(default_factory=list)

    def _with(self, status: str) -> list[Item]:
        return [item for item in self.items if item.status == status]

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
        """Warnings from written letters, each naming its file."""
        return [f"{item.path}: {m}" for item in self.written for m in item.messages]

    @property
    def ok(self) -> bool:
        """True when nothing failed."""
        return not self.errors and not self.failed


def formats_for(letter: Letter, formats: str | Sequence[str]) -> tuple[str, ...]:
    """Resolve the formats of one letter; ``auto`` follows its delivery (email -> .eml, else .pdf).

    Raises:
        ValueError: for an unknown format name.
    """
    names = formats.split(",") if isinstance(formats, str) else list(formats)
    resolved: list[str] = []
    for name in (n.strip().lower() for n in names):
        if name == "auto":
            name = "email" if letter.delivery is Delivery.email else "pdf"
        if name not in FORMATS:
            raise ValueError(f"unknown format {name!r}; choose from auto, {', '.join(sorted(FORMATS))}")
        if name not in resolved:
            resolved.append(name)
    return tuple(resolved)


def safe_name(text: str, *, fallback: str = "letter") -> str:
    """Make an ASCII file-name slug that cannot leave its folder or be a reserved name."""
    from slugify import slugify  # imported on first use: keeps `import thankyou` light

    slug = slugify(text, replacements=[["'", ""], ["’", ""]], max_length=_NAME_BYTES, word_boundary=True)
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
        jobs: Worker processes rendering in parallel; output order stays the same.
        dry_run: Work out the paths only; render and write nothing.
        on_item: Called with each finished item, in order (for progress bars).
        report: Add to this report instead of a new one.

    Returns:
        The report: written, skipped and failed items, and warnings.
    """
    report = report if report is not None else WriteReport()
    root = Path(out_dir)
    planned = _plan(letters, root, formats, report)
    done = (_dry(planned) if dry_run else _run(planned, root, overwrite, max(1, jobs)))
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
    return Path(safe_name(letter.company, fallback="interview"), f"{stem}.{EXTENSIONS[fmt]}")


def _unique(path: Path, taken: set[Path]) -> Path:
    candidate, n = path, 1
    while candidate in taken:
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def _inside(path: Path, root: Path) -> bool:
    return path.resolve().is_relative_to(root.resolve())


# --- rendering and writing ------------------------------------------------------------------


def _dry(items: Iterable[Item]) -> Iterator[Item]:
    for item in items:
        note = ("exists; would be kept",) if item.path.exists() else ()
        yield Item(item.letter, item.format, item.path, "planned", note)


def _run(items: Iterable[Item], root: Path, overwrite: bool, jobs: int) -> Iterator[Item]:
    if jobs == 1:
        for item in items:
            yield _finish(item, _render(item.letter, item.format), root, overwrite)
        return
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
        # A bounded window of futures keeps memory flat however long the batch is,
        # while results are still written in the order the letters came.
        window: deque[tuple[Item, concurrent.futures.Future[_Rendered]]] = deque()
        for item in items:
            window.append((item, pool.submit(_render, item.letter, item.format)))
            if len(window) >= jobs * 4:
                done, future = window.popleft()
                yield _finish(done, future.result(), root, overwrite)
        while window:
            done, future = window.popleft()
            yield _finish(done, future.result(), root, overwrite)


_Rendered = tuple[bytes | None, tuple[str, ...]]


def _render(letter: Letter, fmt: str) -> _Rendered:
    """Render in memory; runs in a worker process with ``jobs > 1``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RenderWarning)
        try:
            data = render(letter, fmt)
        except ThankYouError as err:
            return None, (str(err),)
    return data, tuple(str(w.message) for w in caught if issubclass(w.category, RenderWarning))


def _finish(item: Item, rendered: _Rendered, root: Path, overwrite: bool) -> Item:
    data, messages = rendered
    if data is None:
        return Item(item.letter, item.format, item.path, "failed", messages)
    if not _inside(item.path, root):  # slugs make this impossible; checked all the same
        return Item(item.letter, item.format, item.path, "failed", ("path leaves the output folder",))
    try:
        written = _atomic_write(item.path, data, overwrite=overwrite)
    except OSError as err:
        return Item(item.letter, item.format, item.path, "failed", (f"cannot write: {err.strerror or err}",))
    if not written:
        return Item(item.letter, item.format, item.path, "skipped", ("exists; use --force to overwrite",))
    return Item(item.letter, item.format, item.path, "written", messages)


def _atomic_write(path: Path, data: bytes, *, overwrite: bool) -> bool:
    """Write ``data`` to ``path`` all at once; return False when it exists and must be kept."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not overwrite and (path.exists() or path.is_symlink()):
        return False
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(tmp, path)  # replaces a symlink itself, never writes through it
        else:
            return _link_no_clobber(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return True


def _link_no_clobber(tmp: str, path: Path) -> bool:
    # os.link fails if the target appeared meanwhile: an atomic "create, never replace".
    try:
        os.link(tmp, path)
    except FileExistsError:
        return False
    except OSError:  # filesystems without hard links
        if path.exists():
            return False
        os.replace(tmp, path)
    return True
