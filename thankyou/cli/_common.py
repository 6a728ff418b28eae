"""What the commands of ``thankyou`` share: arguments, options and small helpers.

Private to the command line; the modules of :mod:`thankyou.cli`
import it. Nothing here holds business logic.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import click

from thankyou.batch import read_files
from thankyou.errors import FactsError, ThankYouError
from thankyou.facts import Loaded, find_facts
from thankyou.renderers import FORMATS

#: A screenful when the terminal does not say: show a progress bar beyond this many files.
PROGRESS_MIN = 24
#: Exit status after Ctrl-C, as shells report a process ended by SIGINT.
INTERRUPTED = 130

FACTS = click.argument("facts", nargs=-1, required=True, type=click.Path(path_type=Path))
TEMPLATE = click.option(
    "-t",
    "--template",
    metavar="NAME",
    help="Template, e.g. thank-you/warm (see `thankyou templates`).",
)
TEMPLATES = click.option(
    "--templates", "template_dirs", multiple=True, metavar="DIR",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of your own templates, searched before the built-ins (repeatable).",
)  # fmt: skip
CANDIDATE = click.option(
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


NOW = click.option(
    "--now", callback=_parse_now, metavar="DATETIME",
    help="Judge dates as of this moment (ISO 8601; default: now).",
)  # fmt: skip


# --- shared helpers ---------------------------------------------------------------------------


def echo_err(message: str) -> None:
    click.echo(message, err=True)


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def files(paths: Sequence[Path], candidate: Path | None) -> list[Path]:
    """The facts files named or found in folders; a bad path is bad usage (exit 2)."""
    try:
        files = list(find_facts(paths))
    except FactsError as err:
        raise click.BadParameter(str(err), param_hint="FACTS") from None
    files = _once_each(files, skip=candidate)
    if not files:
        searched = ", ".join(str(path) for path in paths)
        raise click.BadParameter(
            f"no facts files (.toml, .json, .yaml, .yml, .csv) found in {searched}",
            param_hint="FACTS",
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


def load_files(paths: Sequence[Path], candidate: Path | None, notes: list[str]) -> Iterator[Loaded]:
    """Yield every interview read, loaded or failed; input warnings go to stderr and ``notes``."""
    for loaded in read_files(files(paths, candidate), candidate=candidate):
        warn(loaded.warnings, notes)
        if loaded.interview is not None or loaded.error is not None:
            yield loaded


def warn(warnings: Sequence[str], notes: list[str]) -> None:
    for warning in warnings:
        echo_err(f"warning: {warning}")
        notes.append(warning)


def parse_formats(ctx: click.Context, param: click.Parameter, value: str) -> str:
    known = ("auto", *FORMATS)
    for name in value.split(","):
        if name.strip().lower() not in known:
            close = difflib.get_close_matches(name.strip().lower(), known, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise click.BadParameter(
                f"{name!r} is not a format{hint}; choose from {', '.join(known)}"
            )
    return value


def parse_jobs(ctx: click.Context, param: click.Parameter, value: int) -> int:
    return value or os.cpu_count() or 1


def check_template(template: str | None, template_dirs: Sequence[Path]) -> None:
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
            f"no template {template!r}{_template_hint(template, names)}; "
            f"choose from {', '.join(names)}",
            param_hint="-t",
        )


def _template_hint(template: str, names: Sequence[str]) -> str:
    """A did-you-mean for ``warm``, ``Thank-You/Warm`` or ``thankyou/warm``, else ""."""
    wanted = template.strip().lower()
    close = [n for n in names if n.lower() == wanted or n.rsplit("/", 1)[-1] == wanted]
    close = close or difflib.get_close_matches(wanted, names, n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""
