"""The ``thankyou`` command: a thin shell over the public API (SPEC §9).

stdout carries results (paths written, findings, the plan); stderr carries
progress, warnings, errors and the summary. Exit status: 0 all done, 1
something failed (the rest was still done), 2 bad usage.

What the commands share is in :mod:`thankyou._cli_common`; ``send``, the
longest, in :mod:`thankyou._cli_send`.
"""

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
from thankyou._cli_common import (
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
from thankyou._cli_send import send_command
from thankyou.batch import Composed, compose_files
from thankyou.errors import FactsError, ThankYouError
from thankyou.facts import Loaded, parse
from thankyou.letter import Letter
from thankyou.models import Delivery
from thankyou.output import Item, WriteReport, atomic_write, formats_for


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("thankyou")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "unknown"


@click.group(name="thankyou", context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(_version(), "-V", "--version", prog_name="thankyou")
def cli() -> None:
    """Write the letters a careful candidate sends after a job interview.

    Start with `thankyou new`, fill in the file, then `thankyou check` and
    `thankyou render`.
    """


def main() -> None:
    """Run the command line; the console script's entry point."""
    cli(prog_name="thankyou")


# --- render -----------------------------------------------------------------------------------


@cli.command(short_help="Write the letters: one file per reader.")
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
    type=click.Choice(["letter", "a4"]),
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
        # facts into the workers, so composing overlaps rendering (SPEC §11: -j scales).
        letters = list(letters)
        total = sum(len(formats_for(letter, formats)) for letter in letters)
    interrupted = False
    with _Console(total) as console:
        try:
            thankyou.write(
                letters, out_dir, formats, overwrite=force, jobs=jobs, dry_run=dry_run,
                on_item=console.show, report=report,
                options={"email": {"smtputf8": True}} if smtputf8 else None,
            )  # fmt: skip
        except KeyboardInterrupt:
            interrupted = True
    _summary(report, dry_run, interrupted)
    sys.exit(INTERRUPTED if interrupted else 0 if report.ok else 1)


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


# --- check ------------------------------------------------------------------------------------


@cli.command(short_help="Find what to fix before sending.")
@FACTS
@CANDIDATE
@NOW
def check(facts: tuple[Path, ...], candidate: Path | None, now: dt.datetime | None) -> None:
    """Check FACTS files (or folders) for what to fix before sending.

    Findings are grouped by file. Exit status 1 when any is an error (a file
    that does not load counts as one), else 0.
    """
    errors = warnings = checked = 0
    for loaded in load_files(facts, candidate, []):
        checked += 1
        lines = _findings(loaded, now)
        click.echo(loaded.source)
        for level, line in lines:
            click.echo(f"  {level:<8} {line}")
            errors += level == "error"
            warnings += level == "warning"
        if not lines:
            click.echo("  ok")
    counts = f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"
    echo_err(f"{plural(checked, 'interview')} checked: {counts}.")
    sys.exit(1 if errors else 0)


def _findings(loaded: Loaded, now: dt.datetime | None) -> list[tuple[str, str]]:
    """(level, text) for each finding; a file that did not load gives its problems as errors."""
    if loaded.error is not None:
        facts = _raw_facts(loaded)
        if facts is None:  # a syntax error, or a spreadsheet row: only the problems are known
            return [
                ("error", _problem_text(problem.line, str(problem)))
                for problem in loaded.error.problems
            ]
        # Checked as data, the facts give coded findings (missing-contact, bad-email, ...)
        # and every other check still runs on what is valid (SPEC §7).
        findings = thankyou.check(facts, now=now, base_dir=Path(loaded.source).parent)
    else:
        assert loaded.interview is not None
        findings = thankyou.check(loaded.interview, now=now)
    return [
        (f.level, f"{f.field + ': ' if f.field else ''}{f.message} [{f.code}]") for f in findings
    ]


def _raw_facts(loaded: Loaded) -> dict[str, Any] | None:
    """The parsed facts of a TOML, JSON or YAML file that failed validation, else None."""
    path = Path(loaded.source)
    if path.suffix.lower() not in (".toml", ".json", ".yaml", ".yml") or not path.is_file():
        return None
    try:
        return parse(path)
    except FactsError:
        return None


def _problem_text(line: int | None, text: str) -> str:
    return f"line {line}: {text}" if line is not None else text


# --- plan -------------------------------------------------------------------------------------


@cli.command("plan", short_help="Show the dated follow-up steps; export them as iCalendar.")
@click.argument("facts", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--ics",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Also write the plan as an iCalendar file, for your calendar app.",
)
@click.option("--force", is_flag=True, help="Overwrite the --ics file if it exists.")
@CANDIDATE
@NOW
def plan_command(
    facts: Path, ics: Path | None, force: bool, candidate: Path | None, now: dt.datetime | None
) -> None:
    """Show the dated steps after the interview in FACTS: thank-yous, follow-up, and more."""
    loaded = list(load_files([facts], candidate, []))
    if ics is not None and len(loaded) > 1:
        raise click.UsageError(
            f"{facts} holds {len(loaded)} interviews; --ics takes a file with one"
        )
    failed = shown = False
    for one in loaded:
        if one.error is not None:
            failed = True
            for line in str(one.error).splitlines():
                echo_err(f"error: {line}")
            continue
        assert one.interview is not None
        the_plan = thankyou.plan(one.interview, now)
        click.echo(("\n" if shown else "") + the_plan.table(), nl=False)  # a blank line between
        for note in the_plan.notes:
            echo_err(f"note: {note}")
        shown = True
        if ics is not None:
            failed |= not _write_ics(ics, the_plan.to_ics(), force)
    sys.exit(1 if failed else 0)


def _write_ics(path: Path, data: bytes, force: bool) -> bool:
    try:
        written = atomic_write(path, data, overwrite=force)
    except OSError as err:
        echo_err(f"error: cannot write {path}: {err.strerror or err}")
        return False
    if not written:
        echo_err(f"error: {path} exists; use --force to overwrite it")
        return False
    echo_err(f"Wrote {path}; import it into your calendar.")
    return True


# --- templates and new --------------------------------------------------------------------------


@cli.command(short_help="List the templates and whom each writes to.")
@TEMPLATES
def templates(template_dirs: tuple[Path, ...]) -> None:
    """List the templates, who each writes to, and the variables it uses."""
    from thankyou import templating

    for info in templating.catalogue(template_dirs):
        origin = "" if info.builtin else f"  [{info.path.parent}]"
        click.echo(f"{info.name:<22} {info.audience:<11} {info.description}{origin}")
        try:
            needed = ", ".join(sorted(templating.variables(info.name, template_dirs)))
        except ThankYouError as err:  # a broken user template is listed, with what is wrong
            needed = f"(cannot read: {err})"
        click.echo(f"{'':<22} {'':<11} uses: {needed}")


@cli.command(short_help="Write a commented starter facts file.")
@click.argument("path", default="interview.toml", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite the file if it exists.")
def new(path: Path, force: bool) -> None:
    """Write a commented starter facts file to PATH (default: interview.toml)."""
    from thankyou.templating import builtin_root

    if path.suffix.lower() != ".toml":
        raise click.BadParameter(
            "the starter file is TOML; give a name ending in .toml", param_hint="PATH"
        )
    starter = (builtin_root() / "_starter.toml").read_text(encoding="utf-8")
    today = dt.date.today().isoformat()
    try:
        written = atomic_write(path, starter.replace("2026-01-01", today).encode(), overwrite=force)
    except OSError as err:
        echo_err(f"error: cannot write {path}: {err.strerror or err}")
        sys.exit(1)
    if not written:
        echo_err(f"error: {path} exists; use --force to overwrite it")
        sys.exit(1)
    click.echo(str(path))
    echo_err(f"Edit {path}, then run: thankyou check {path} && thankyou render {path}")


cli.add_command(send_command)
