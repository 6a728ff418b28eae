"""The commands that write letters out: ``render`` (files) and ``preview`` (one HTML page)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

import click

import thankyou
from thankyou._atomic import atomic_write
from thankyou.batch import Composed, compose_files
from thankyou.cli._common import (
    CANDIDATE,
    FACTS,
    INTERRUPTED,
    NOW,
    PROGRESS_MIN,
    TEMPLATE,
    TEMPLATES,
    check_template,
    echo_err,
    files,
    load_files,
    parse_formats,
    parse_jobs,
    plural,
    warn,
)
from thankyou.letter import Letter
from thankyou.models import Delivery
from thankyou.output import Item, WriteReport, formats_for

# --- render -----------------------------------------------------------------------------------


@click.command(short_help="Write the letters: one file per reader.")
@FACTS
@click.option(
    "-f",
    "--format",
    "formats",
    default="auto",
    show_default=True,
    callback=parse_formats,
    metavar="FORMATS",
    help=(
        "auto (email -> .eml, post and hand -> .pdf), pdf, docx, email, text, envelope, "
        "or a list: pdf,docx"
    ),
)
@click.option(
    "-o",
    "--output",
    "out_dir",
    default="letters",
    show_default=True,
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder.",
)
@TEMPLATE
@TEMPLATES
@click.option(
    "--paper",
    type=click.Choice(["letter", "a4"], case_sensitive=False),
    help="Paper size, overriding the facts' [style].",
)
@click.option("--force", is_flag=True, help="Overwrite files that exist (otherwise they are kept).")
@click.option(
    "-j",
    "--jobs",
    default=1,
    show_default=True,
    type=click.IntRange(0, 64),
    metavar="N",
    callback=parse_jobs,
    help="Worker processes rendering in parallel; 0 for one per CPU.",
)
@click.option("--dry-run", is_flag=True, help="List what would be written; write nothing.")
@CANDIDATE
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="Date on the letters (default: today).",
)
@click.option(
    "--smtputf8", is_flag=True, help="Allow addresses with non-ASCII before the @ (RFC 6531)."
)
@click.option(
    "--allow-missing-glyphs",
    is_flag=True,
    help="Write PDF and DOCX letters even when no font can draw a character of a name.",
)
def render(
    facts: tuple[Path, ...],
    formats: str,
    out_dir: Path,
    template: str | None,
    template_dirs: tuple[Path, ...],
    paper: str | None,
    force: bool,
    jobs: int,
    dry_run: bool,
    candidate: Path | None,
    today: dt.datetime | None,
    smtputf8: bool,
    allow_missing_glyphs: bool,
) -> None:
    """Write one letter per reader for each FACTS file (or folder of them).

    Files go to OUTPUT/<company>/<recipient>.<ext>; existing files are kept
    unless --force. Exit status: 0 all written, 1 something failed (the rest
    were written), 2 bad usage.
    """
    check_template(template, template_dirs)
    report = WriteReport()
    composed = compose_files(
        files(facts, candidate), template, candidate=candidate, template_dirs=template_dirs,
        today=today.date() if today else None, paper=paper, jobs=jobs,
    )  # fmt: skip
    letters: Iterable[Letter] = _letters(composed, report, _asks_envelope(formats))
    total = None
    if sys.stderr.isatty():
        # A progress bar needs the count first. Without one, letters stream from the
        # facts into the workers, so composing overlaps rendering (docs/design/performance.md).
        letters = list(letters)
        total = sum(len(formats_for(letter, formats)) for letter in letters)
    interrupted = False
    with _Console(total) as console:
        try:
            thankyou.write(
                letters, out_dir, formats, overwrite=force, jobs=jobs, dry_run=dry_run,
                on_item=console.show, report=report,
                options=_options(smtputf8=smtputf8, allow_missing_glyphs=allow_missing_glyphs),
            )  # fmt: skip
        except KeyboardInterrupt:
            interrupted = True
    for note in report.unreachable:
        echo_err(f"note: {note}")
    _summary(report, dry_run, interrupted)
    sys.exit(INTERRUPTED if interrupted else 0 if report.ok else 1)


def _options(*, smtputf8: bool, allow_missing_glyphs: bool) -> dict[str, dict[str, Any]] | None:
    """Per-format render options from the command line's flags (None: all defaults)."""
    options: dict[str, dict[str, Any]] = {}
    if smtputf8:
        options["email"] = {"smtputf8": True}
    if allow_missing_glyphs:
        for fmt in ("pdf", "docx", "envelope"):
            options[fmt] = {"allow_missing_glyphs": True}
    return options or None


def _asks_envelope(formats: str) -> bool:
    return any(name.strip().lower() == "envelope" for name in formats.split(","))


def _letters(
    composed: Iterable[Composed], report: WriteReport, envelopes: bool = False
) -> Iterator[Letter]:
    """Yield the letters; record failed interviews in ``report`` and show input warnings."""
    for one in composed:
        warn(one.warnings, report.notes)
        report.errors.extend(one.errors)
        for letter in one.letters:
            if envelopes and letter.delivery is Delivery.email:
                echo_err(f"note: {one.source}: no envelope for {letter.recipient.name}: by email")
            yield letter


def _screen_lines() -> int:
    try:
        return os.get_terminal_size(sys.stderr.fileno()).lines or PROGRESS_MIN
    except (AttributeError, OSError, ValueError):  # not a real file, or not a terminal
        return PROGRESS_MIN


class _Console:
    """Per-file lines, with a progress bar on stderr when it is a terminal and the work is long.

    While it is open, a first Ctrl-C lets the file in hand finish and be listed
    and then stops the run (``show`` raises KeyboardInterrupt), so the summary
    counts exactly the files listed. A second Ctrl-C stops at once.
    """

    def __init__(self, total: int | None) -> None:
        self.bar: Any = None
        self.stopping = False
        self._previous: Any = None
        if total is not None and sys.stderr.isatty() and total > _screen_lines():
            self.bar = click.progressbar(
                length=total, label="Writing", file=sys.stderr, show_pos=True
            )

    def __enter__(self) -> _Console:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._interrupt)
        if self.bar is not None:
            self.bar.__enter__()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.bar is not None:
            self.bar.__exit__(kind, exc, tb)
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)

    def _interrupt(self, signum: int, frame: FrameType | None) -> None:
        if self.stopping:
            raise KeyboardInterrupt
        self.stopping = True

    def show(self, item: Item) -> None:
        """Print one finished file: its path on stdout, anything to know on stderr."""
        if item.status in ("written", "planned"):
            self._echo(str(item.path), err=False)
        label = "warning" if item.status in ("written", "planned") else item.status
        for message in item.messages:
            self._echo(f"{label}: {item.path}: {message}", err=True)
        if self.bar is not None:
            self.bar.update(1)
        if self.stopping:
            raise KeyboardInterrupt

    def _echo(self, message: str, *, err: bool) -> None:
        if self.bar is not None and (err or sys.stdout.isatty()):
            sys.stderr.write("\r\x1b[K")  # clear the bar's line; the next update redraws it
            sys.stderr.flush()
        click.echo(message, err=err)


def _summary(report: WriteReport, dry_run: bool, interrupted: bool) -> None:
    for error in report.errors:
        for line in error.splitlines():
            echo_err(f"error: {line}")
    failed = len(report.failed) + len(report.errors)
    tail = f"{failed} failed, {plural(len(report.warnings), 'warning')}"
    if report.cleaned:
        removed = plural(len(report.cleaned), "temporary file")
        echo_err(f"Removed {removed} left by an interrupted run.")
    if dry_run:
        planned, kept = len(report.planned), len(report.skipped)
        echo_err(f"Dry run: {planned} to write, {kept} kept, {tail}; nothing was written.")
    else:
        echo_err(f"{len(report.written)} written, {len(report.skipped)} skipped, {tail}.")
    if report.skipped:
        echo_err("Existing files were kept; use --force to overwrite them.")
    if interrupted:
        echo_err(
            "Interrupted: every file written is complete; run the same command again to finish."
        )


# --- preview ----------------------------------------------------------------------------------


@click.command(short_help="Write one HTML page to review every letter before sending.")
@FACTS
@click.option(
    "-o",
    "--output",
    "out_dir",
    default="letters",
    show_default=True,
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for preview.html.",
)
@TEMPLATE
@TEMPLATES
@CANDIDATE
@click.option(
    "--today", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD",
    help="Date on the letters (default: today).",
)  # fmt: skip
@NOW
@click.option("--force", is_flag=True, help="Replace a preview.html that thankyou did not write.")
def preview(
    facts: tuple[Path, ...],
    out_dir: Path,
    template: str | None,
    template_dirs: tuple[Path, ...],
    candidate: Path | None,
    today: dt.datetime | None,
    now: dt.datetime | None,
    force: bool,
) -> None:
    """Write DIR/preview.html, one page to look over every letter of FACTS before sending.

    Each letter is shown as its reader sees it, with its findings beside it, and
    the plan below; the page needs no network and no script.

    A preview.html written by an earlier preview is replaced; any other file of
    that name is kept unless --force. Exit status 1 when a facts file cannot be
    read (the page still shows the rest).
    """
    from thankyou.review import GENERATOR

    check_template(template, template_dirs)
    loaded = list(load_files(facts, candidate, []))
    page = thankyou.preview(
        loaded, template=template, template_dirs=template_dirs,
        today=today.date() if today else None, now=now,
    )  # fmt: skip
    path = out_dir / "preview.html"
    ours = _written_by(path, GENERATOR)
    try:
        written = atomic_write(path, page.encode("utf-8"), overwrite=force or ours)
    except OSError as err:
        echo_err(f"error: cannot write {path}: {err.strerror or err}")
        sys.exit(1)
    if not written:
        echo_err(f"error: {path} exists and is not a thankyou preview; use --force to replace it")
        sys.exit(1)
    click.echo(str(path))
    failed = sum(one.error is not None for one in loaded)
    tail = (
        f"; {plural(failed, 'facts file')} could not be read (shown on the page)" if failed else ""
    )
    echo_err(f"Wrote {path}: open it in a browser to review the letters{tail}.")
    sys.exit(1 if failed else 0)


def _written_by(path: Path, generator: str) -> bool:
    """True when ``path`` is a page an earlier preview wrote (so it may be replaced)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError:
        return False
    return f'<meta name="generator" content="{generator}">'.encode() in head
