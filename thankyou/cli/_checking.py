"""The commands that read the facts back: ``check`` (what to fix) and ``plan`` (what to do when)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import click

import thankyou
from thankyou._atomic import atomic_write
from thankyou.cli._common import (
    CANDIDATE,
    FACTS,
    NOW,
    echo_err,
    load_files,
    plural,
)
from thankyou.errors import FactsError, ThankYouError
from thankyou.facts import Loaded, parse, person_path

# --- check ------------------------------------------------------------------------------------


@click.command(short_help="Find what to fix before sending.")
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
    facts = None
    if loaded.error is not None:
        facts = _raw_facts(loaded)
        if not facts:  # a syntax error, an empty file, a spreadsheet row: only the problems
            return [
                ("error", _problem_text(problem.line, str(problem)))
                for problem in loaded.error.problems
            ]
        # Checked as data, the facts give coded findings (missing-contact, bad-email, ...)
        # and every other check still runs on what is valid (README: Checks).
        findings = thankyou.check(facts, now=now, base_dir=Path(loaded.source).parent)
    else:
        assert loaded.interview is not None
        letters = _letters(loaded.interview, now)
        findings = thankyou.check(loaded.interview, now=now, letters=letters)
    names = facts or loaded.interview or {}
    return [
        (f.level, f"{person_path(f.field, names) + ': ' if f.field else ''}{f.message} [{f.code}]")
        for f in findings
    ]


def _letters(interview: thankyou.Interview, now: dt.datetime | None) -> list[thankyou.Letter]:
    """The letters `render` would write by default, for `check` to measure (``too-long``).

    None when they cannot be composed: `render` reports a template problem with
    its template and line, and a check that repeated it would say it less well.
    """
    try:
        return thankyou.compose(interview, today=now.date() if now is not None else None)
    except ThankYouError:
        return []


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


@click.command("plan", short_help="Show the dated follow-up steps; export them as iCalendar.")
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
