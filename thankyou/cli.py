"""The ``thankyou`` command: a thin shell over the public API (SPEC §9).

stdout carries results (paths written, findings, the plan); stderr carries
progress, warnings, errors and the summary. Exit status: 0 all done, 1
something failed (the rest was still done), 2 bad usage.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import FrameType, TracebackType
from typing import TYPE_CHECKING, Any

import click

import thankyou
from thankyou.batch import Composed, compose_files, read_files
from thankyou.errors import FactsError, ThankYouError
from thankyou.facts import Loaded, find_facts, parse
from thankyou.letter import Letter
from thankyou.output import Item, WriteReport, atomic_write, formats_for
from thankyou.renderers import FORMATS

#: A screenful when the terminal does not say: show a progress bar beyond this many files.
PROGRESS_MIN = 24
#: Exit status after Ctrl-C, as shells report a process ended by SIGINT.
INTERRUPTED = 130

_FACTS = click.argument("facts", nargs=-1, required=True, type=click.Path(path_type=Path))
_TEMPLATE = click.option(
    "-t",
    "--template",
    metavar="NAME",
    help="Template, e.g. thank-you/warm (see `thankyou templates`).",
)
_TEMPLATES = click.option(
    "--templates", "template_dirs", multiple=True, metavar="DIR",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of your own templates, searched before the built-ins (repeatable).",
)  # fmt: skip
_CANDIDATE = click.option(
    "--candidate", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Candidate (and style) for spreadsheets without candidate_* columns.",
)  # fmt: skip


def _parse_now(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date-time like 2026-11-25T09:00 or 2026-11-25T09:00-05:00"
        ) from None


_NOW = click.option(
    "--now", callback=_parse_now, metavar="DATETIME",
    help="Judge dates as of this moment (ISO 8601; default: now).",
)  # fmt: skip


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


# --- shared helpers ---------------------------------------------------------------------------


def _err(message: str) -> None:
    click.echo(message, err=True)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _files(paths: Sequence[Path], candidate: Path | None) -> list[Path]:
    """The facts files named or found in folders; a bad path is bad usage (exit 2)."""
    try:
        files = list(find_facts(paths))
    except FactsError as err:
        raise click.BadParameter(str(err), param_hint="FACTS") from None
    files = _once_each(files, skip=candidate)
    if not files:
        raise click.BadParameter(
            "no facts files (.toml, .json, .yaml, .yml, .csv) found", param_hint="FACTS"
        )
    return files


def _once_each(files: list[Path], skip: Path | None) -> list[Path]:
    """Drop repeats (a file named and also inside a named folder) and the --candidate file."""
    seen = {skip.resolve()} if skip is not None else set()
    kept = []
    for path in files:
        if path.resolve() not in seen:
            seen.add(path.resolve())
            kept.append(path)
    return kept


def _load(paths: Sequence[Path], candidate: Path | None, notes: list[str]) -> Iterator[Loaded]:
    """Yield every interview read, loaded or failed; input warnings go to stderr and ``notes``."""
    for loaded in read_files(_files(paths, candidate), candidate=candidate):
        _warn(loaded.warnings, notes)
        if loaded.interview is not None or loaded.error is not None:
            yield loaded


def _warn(warnings: Sequence[str], notes: list[str]) -> None:
    for warning in warnings:
        _err(f"warning: {warning}")
        notes.append(warning)


def _parse_formats(ctx: click.Context, param: click.Parameter, value: str) -> str:
    known = ("auto", *FORMATS)
    for name in value.split(","):
        if name.strip().lower() not in known:
            raise click.BadParameter(f"{name!r} is not a format; choose from {', '.join(known)}")
    return value


def _parse_jobs(ctx: click.Context, param: click.Parameter, value: int) -> int:
    return value or os.cpu_count() or 1


def _check_template(template: str | None, template_dirs: Sequence[Path]) -> None:
    """Refuse an unknown -t before any work, instead of failing every interview."""
    if template is None:
        return
    from thankyou.templating import catalogue

    try:
        names = [info.name for info in catalogue(template_dirs)]
    except ThankYouError as err:
        raise click.BadParameter(str(err), param_hint="--templates") from None
    if template not in names:
        raise click.BadParameter(
            f"no template {template!r}; choose from {', '.join(names)}", param_hint="-t"
        )


# --- render -----------------------------------------------------------------------------------


@cli.command(short_help="Write the letters: one file per reader.")
@_FACTS
@click.option(
    "-f",
    "--format",
    "formats",
    default="auto",
    show_default=True,
    callback=_parse_formats,
    metavar="FORMATS",
    help="auto (email -> .eml, post and hand -> .pdf), pdf, docx, email, text, or a list: pdf,docx",
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
@_TEMPLATE
@_TEMPLATES
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
    callback=_parse_jobs,
    help="Worker processes rendering in parallel; 0 for one per CPU.",
)
@click.option("--dry-run", is_flag=True, help="List what would be written; write nothing.")
@_CANDIDATE
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
    _check_template(template, template_dirs)
    report = WriteReport()
    composed = compose_files(
        _files(facts, candidate), template, candidate=candidate, template_dirs=template_dirs,
        today=today.date() if today else None, jobs=jobs,
    )  # fmt: skip
    letters: Iterable[Letter] = (_restyle(letter, paper) for letter in _letters(composed, report))
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


def _letters(composed: Iterable[Composed], report: WriteReport) -> Iterator[Letter]:
    """Yield the letters; record failed interviews in ``report`` and show input warnings."""
    for one in composed:
        _warn(one.warnings, report.notes)
        report.errors.extend(one.errors)
        yield from one.letters


def _restyle(letter: Letter, paper: str | None) -> Letter:
    if paper is None or paper == letter.style.paper:
        return letter
    return replace(letter, style=letter.style.model_copy(update={"paper": paper}))


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
            _err(f"error: {line}")
    failed = len(report.failed) + len(report.errors)
    tail = f"{failed} failed, {_plural(len(report.warnings), 'warning')}"
    if report.cleaned:
        removed = _plural(len(report.cleaned), "temporary file")
        _err(f"Removed {removed} left by an interrupted run.")
    if dry_run:
        planned, kept = len(report.planned), len(report.skipped)
        _err(f"Dry run: {planned} to write, {kept} kept, {tail}; nothing was written.")
    else:
        _err(f"{len(report.written)} written, {len(report.skipped)} skipped, {tail}.")
    if report.skipped:
        _err("Existing files were kept; use --force to overwrite them.")
    if interrupted:
        _err("Interrupted: every file written is complete; run the same command again to finish.")


# --- check ------------------------------------------------------------------------------------


@cli.command(short_help="Find what to fix before sending.")
@_FACTS
@_CANDIDATE
@_NOW
def check(facts: tuple[Path, ...], candidate: Path | None, now: dt.datetime | None) -> None:
    """Check FACTS files (or folders) for what to fix before sending.

    Findings are grouped by file. Exit status 1 when any is an error (a file
    that does not load counts as one), else 0.
    """
    errors = warnings = checked = 0
    for loaded in _load(facts, candidate, []):
        checked += 1
        lines = _findings(loaded, now)
        click.echo(loaded.source)
        for level, line in lines:
            click.echo(f"  {level:<8} {line}")
            errors += level == "error"
            warnings += level == "warning"
        if not lines:
            click.echo("  ok")
    counts = f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"
    _err(f"{_plural(checked, 'interview')} checked: {counts}.")
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
@_CANDIDATE
@_NOW
def plan_command(
    facts: Path, ics: Path | None, force: bool, candidate: Path | None, now: dt.datetime | None
) -> None:
    """Show the dated steps after the interview in FACTS: thank-yous, follow-up, and more."""
    loaded = list(_load([facts], candidate, []))
    if ics is not None and len(loaded) > 1:
        raise click.UsageError(
            f"{facts} holds {len(loaded)} interviews; --ics takes a file with one"
        )
    failed = shown = False
    for one in loaded:
        if one.error is not None:
            failed = True
            for line in str(one.error).splitlines():
                _err(f"error: {line}")
            continue
        assert one.interview is not None
        the_plan = thankyou.plan(one.interview, now)
        click.echo(("\n" if shown else "") + the_plan.table(), nl=False)  # a blank line between
        shown = True
        if ics is not None:
            failed |= not _write_ics(ics, the_plan.to_ics(), force)
    sys.exit(1 if failed else 0)


def _write_ics(path: Path, data: bytes, force: bool) -> bool:
    try:
        written = atomic_write(path, data, overwrite=force)
    except OSError as err:
        _err(f"error: cannot write {path}: {err.strerror or err}")
        return False
    if not written:
        _err(f"error: {path} exists; use --force to overwrite it")
        return False
    _err(f"Wrote {path}; import it into your calendar.")
    return True


# --- templates and new --------------------------------------------------------------------------


@cli.command(short_help="List the templates and whom each writes to.")
@_TEMPLATES
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
        _err(f"error: cannot write {path}: {err.strerror or err}")
        sys.exit(1)
    if not written:
        _err(f"error: {path} exists; use --force to overwrite it")
        sys.exit(1)
    click.echo(str(path))
    _err(f"Edit {path}, then run: thankyou check {path} && thankyou render {path}")


# --- send -------------------------------------------------------------------------------------
# The shell of `thankyou send`; the SMTP work, the log and the exactly-once rule are in send.py,
# imported when the command runs (it brings smtplib and ssl, which other commands do not need).

if TYPE_CHECKING:
    from thankyou.send import SendEntry, SendReport, SmtpSettings, Status

#: How each outcome is labelled on stdout.
_SEND_LABELS = {
    "would-send": "would send",
    "sent": "sent",
    "already-sent": "already sent",
    "post": "print and post",
    "hand": "hand over",
    "not-attempted": "not sent",
}
_RATE_UNITS = {"min": 1.0, "m": 1.0, "h": 1 / 60, "hour": 1 / 60, "s": 60.0, "sec": 60.0}


def _parse_smtp(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, int | None]:
    """HOST, HOST:PORT or [IPv6]:PORT."""
    host, port = value, ""
    if value.startswith("["):
        host, _, rest = value[1:].partition("]")
        port = rest.removeprefix(":")
    elif value.count(":") == 1:
        host, _, port = value.partition(":")
    if not host or (port and not (port.isdigit() and 0 < int(port) < 65536)):
        raise click.BadParameter(f"{value!r} is not HOST or HOST:PORT, e.g. smtp.example.com:587")
    return host, int(port) if port else None


def _parse_rate(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    """N, N/min, N/h or N/s: messages per minute."""
    if value is None:
        return None
    number, _, unit = value.partition("/")
    try:
        rate = float(number) * _RATE_UNITS[unit.strip().lower() or "min"]
    except (ValueError, KeyError):
        raise click.BadParameter(f"{value!r} is not a rate like 20/min or 100/h") from None
    if rate <= 0:
        raise click.BadParameter("the rate must be above zero")
    return rate


@cli.command("send", short_help="Email the letters over SMTP (a dry run until --yes).")
@_FACTS
@click.option(
    "--smtp",
    "server",
    required=True,
    callback=_parse_smtp,
    metavar="HOST[:PORT]",
    help="SMTP server; the port defaults to 25, 587 with --starttls, 465 with --ssl.",
)
@click.option(
    "--user",
    metavar="USER",
    help="Log in as USER; password from $THANKYOU_SMTP_PASSWORD or a prompt.",
)
@click.option(
    "--starttls", is_flag=True, help="Upgrade the connection with STARTTLS (usually port 587)."
)
@click.option(
    "--ssl", "use_ssl", is_flag=True, help="Connect over TLS from the start (usually port 465)."
)
@click.option("--yes", is_flag=True, help="Really send. Without it, only list what would be sent.")
@click.option(
    "--limit", type=click.IntRange(min=1), metavar="N", help="Send at most N messages in this run."
)
@click.option(
    "--rate",
    callback=_parse_rate,
    metavar="N/min",
    help="Send at most N messages a minute (or N/h).",
)
@click.option("--bcc-self", is_flag=True, help="Also deliver each message to your own address.")
@click.option(
    "--log",
    "log_file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Send log (default: beside each facts file, as <facts>.sent.jsonl).",
)
@click.option(
    "--smtputf8", is_flag=True, help="Allow addresses with non-ASCII before the @ (RFC 6531)."
)
@_TEMPLATE
@_TEMPLATES
@_CANDIDATE
def send_command(
    facts: tuple[Path, ...],
    server: tuple[str, int | None],
    user: str | None,
    starttls: bool,
    use_ssl: bool,
    yes: bool,
    limit: int | None,
    rate: float | None,
    bcc_self: bool,
    log_file: Path | None,
    smtputf8: bool,
    template: str | None,
    template_dirs: tuple[Path, ...],
    candidate: Path | None,
) -> None:
    """Email the letters in FACTS to the panel members whose delivery is email.

    A dry run unless --yes. Every message the server accepts is recorded in a
    send log, so if a run stops half-way, running the same command again
    sends only what is left; nobody gets a letter twice.

    Exit status: 0 all done, 1 something failed (run again to finish), 2 bad usage.
    """
    if starttls and use_ssl:
        raise click.UsageError("choose one of --starttls and --ssl")
    _check_template(template, template_dirs)
    batches, failed = _send_batches(facts, candidate, template, template_dirs, log_file)
    from thankyou.send import SmtpSettings

    settings = SmtpSettings(
        host=server[0], port=server[1], user=user,
        password=_smtp_password(user) if yes and user else None,
        security="ssl" if use_ssl else "starttls" if starttls else "plain",
    )  # fmt: skip
    run = _SendRun(settings, not yes, limit, rate, bcc_self, smtputf8)
    try:
        for log_path, letters in batches:
            if not run.go(letters, log_path):
                break
    except KeyboardInterrupt:
        _err("Interrupted: what was sent is in the send log; run the same command again to finish.")
        sys.exit(INTERRUPTED)
    run.summary()
    sys.exit(0 if run.ok and not failed else 1)


def _smtp_password(user: str) -> str:
    """The password from the environment, else asked for without echo; never an option."""
    from thankyou.send import PASSWORD_ENV

    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        password = click.prompt(f"SMTP password for {user}", hide_input=True, err=True)
    return password


def _send_batches(
    facts: Sequence[Path],
    candidate: Path | None,
    template: str | None,
    template_dirs: Sequence[Path],
    log_file: Path | None,
) -> tuple[list[tuple[Path, list[Letter]]], bool]:
    """Compose the letters of each facts file, with that file's send log; report what fails."""
    batches: list[tuple[Path, list[Letter]]] = []
    failed = False
    for path in _files(facts, candidate):
        letters: list[Letter] = []
        for loaded in _load([path], candidate, []):
            problem = str(loaded.error) if loaded.error is not None else None
            if loaded.interview is not None:
                try:
                    letters += thankyou.compose(
                        loaded.interview, template, template_dirs=template_dirs
                    )
                except ThankYouError as err:
                    problem = f"{loaded.source}: {err}"
            if problem is not None:
                failed = True
                for line in problem.splitlines():
                    _err(f"error: {line}")
        if letters:
            batches.append((log_file or path.with_name(path.name + ".sent.jsonl"), letters))
    return batches, failed


@dataclass
class _SendRun:
    """The reports of one command, one per facts file, printed as they happen."""

    settings: SmtpSettings
    dry_run: bool
    limit: int | None
    rate: float | None
    bcc_self: bool
    smtputf8: bool
    reports: list[SendReport] = field(default_factory=list)

    def go(self, letters: list[Letter], log_path: Path) -> bool:
        """Send one facts file's letters; False when the run must stop."""
        from thankyou.send import send

        sent = sum(len(r.having("sent")) for r in self.reports)
        report = send(
            letters, self.settings, log_path=log_path, dry_run=self.dry_run,
            limit=None if self.limit is None else max(self.limit - sent, 0),
            rate_per_minute=self.rate, bcc_self=self.bcc_self, smtputf8=self.smtputf8,
            on_progress=_show_sent,
        )  # fmt: skip
        self.reports.append(report)
        if report.error is not None:
            for line in str(report.error).splitlines():
                _err(f"error: {line}")
        return report.error is None

    @property
    def ok(self) -> bool:
        """True when every letter went as it should."""
        return all(report.ok for report in self.reports)

    def summary(self) -> None:
        """One line on stderr: how many of each outcome."""
        count = {
            status: sum(len(r.having(status)) for r in self.reports) for status in _SEND_COUNTED
        }
        parts = [
            f"{count['would-send']} to send" if self.dry_run else f"{count['sent']} sent",
            f"{count['already-sent']} already sent",
            f"{count['post'] + count['hand']} not by email",
        ]
        if count["failed"] or count["uncertain"]:
            parts.append(f"{count['failed']} failed")
        if count["uncertain"]:
            parts.append(f"{count['uncertain']} in doubt")
        if count["not-attempted"]:
            parts.append(f"{count['not-attempted']} left for another run")
        tail = "; nothing was sent (add --yes to send)." if self.dry_run else "."
        _err(", ".join(parts) + tail)


_SEND_COUNTED: tuple[Status, ...] = (
    "would-send",
    "sent",
    "already-sent",
    "post",
    "hand",
    "failed",
    "uncertain",
    "not-attempted",
)


def _show_sent(entry: SendEntry) -> None:
    """One line per letter: outcomes on stdout, problems on stderr."""
    if entry.status == "failed":
        _err(f"error: {entry.recipient}: {entry.detail}")
    elif entry.status == "uncertain":
        _err(f"warning: {entry.recipient}: {entry.detail}")
    else:
        label = _SEND_LABELS[entry.status]
        if entry.status in ("post", "hand"):
            click.echo(f"{label:<15} {entry.letter.recipient.name}")
            return
        note = f"  ({entry.detail})" if entry.status in ("already-sent", "not-attempted") else ""
        click.echo(f"{label:<15} {entry.recipient}  {entry.letter.subject}{note}")


if __name__ == "__main__":  # pragma: no cover
    main()
