"""The ``thankyou`` command: a thin shell over the public API (SPEC §9).

stdout carries results (paths written, listings); stderr carries progress,
warnings and errors. Exit status: 0 all done, 1 something failed (the rest
was still done), 2 bad usage.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

import thankyou
from thankyou.errors import FactsError, ThankYouError
from thankyou.facts import Loaded, find_facts, load_many
from thankyou.letter import Letter
from thankyou.output import Item, WriteReport, formats_for
from thankyou.renderers import FORMATS

#: Show a progress bar only for more work than fits on a screen.
PROGRESS_MIN = 24

_FACTS = click.argument("facts", nargs=-1, required=True, type=click.Path(path_type=Path))
_TEMPLATE = click.option("-t", "--template", metavar="NAME", help="Template, e.g. thank-you/warm (see `thankyou templates`).")
_TEMPLATES = click.option(
    "--templates", "template_dirs", multiple=True, metavar="DIR",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of your own templates, searched before the built-ins (repeatable).",
)  # fmt: skip
_CANDIDATE = click.option(
    "--candidate", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Candidate (and style) for spreadsheets without candidate_* columns.",
)  # fmt: skip


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("thankyou")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "unknown"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(_version(), "-V", "--version", prog_name="thankyou")
def cli() -> None:
    """Write the letters a careful candidate sends after a job interview."""


def main() -> None:
    """Run the command line; the console script's entry point."""
    cli(prog_name="thankyou")


# --- shared helpers ---------------------------------------------------------------------------


def _err(message: str) -> None:
    click.echo(message, err=True)


def _interviews(paths: Sequence[Path], candidate: Path | None, report: WriteReport) -> Iterator[Loaded]:
    """Yield every interview that loads; record the ones that do not."""
    try:
        files = list(find_facts(paths))
    except FactsError as err:
        raise click.BadParameter(str(err), param_hint="FACTS") from None
    if not files:
        raise click.BadParameter("no facts files (.toml, .json, .yaml, .yml, .csv) found", param_hint="FACTS")
    for path in files:
        for loaded in load_many(path, candidate=candidate):
            for warning in loaded.warnings:
                _err(f"warning: {warning}")
            if loaded.error is not None:
                report.errors.append(str(loaded.error))
            else:
                yield loaded


def _parse_formats(ctx: click.Context, param: click.Parameter, value: str) -> str:
    known = ("auto", *FORMATS)
    for name in value.split(","):
        if name.strip().lower() not in known:
            raise click.BadParameter(f"{name!r} is not a format; choose from {', '.join(known)}")
    return value


# --- render -----------------------------------------------------------------------------------


@cli.command()
@_FACTS
@click.option("-f", "--format", "formats", default="auto", show_default=True, callback=_parse_formats,
              help="auto (email -> .eml, post and hand -> .pdf), pdf, docx, email or text; several as pdf,docx.")
@click.option("-o", "--output", "out_dir", default="letters", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Output folder.")
@_TEMPLATE
@_TEMPLATES
@click.option("--paper", type=click.Choice(["letter", "a4"]), help="Paper size, overriding the facts' [style].")
@click.option("--force", is_flag=True, help="Overwrite files that exist.")
@click.option("-j", "--jobs", default=1, show_default=True, type=click.IntRange(1, 64), help="Worker processes.")
@click.option("--dry-run", is_flag=True, help="List what would be written; write nothing.")
@_CANDIDATE
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Date on the letters (default: today).")
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
) -> None:
    """Write one letter per reader for each FACTS file (or folder of them)."""
    report = WriteReport()
    letters: list[Letter] = []
    for loaded in _interviews(facts, candidate, report):
        assert loaded.interview is not None  # noqa: S101 - _interviews yields loaded interviews only
        try:
            composed = thankyou.compose(
                loaded.interview, template, template_dirs=template_dirs,
                today=today.date() if today else None,
            )  # fmt: skip
        except ThankYouError as err:
            report.errors.append(f"{loaded.source}: {err}")
            continue
        letters += [_restyle(letter, paper) for letter in composed]
    total = sum(len(formats_for(letter, formats)) for letter in letters)
    with _progress(total) as step:
        thankyou.write(
            letters, out_dir, formats, overwrite=force, jobs=jobs, dry_run=dry_run,
            on_item=lambda item: _show(item, step), report=report,
        )  # fmt: skip
    _summary(report, dry_run)
    sys.exit(0 if report.ok else 1)


def _restyle(letter: Letter, paper: str | None) -> Letter:
    if paper is None or paper == letter.style.paper:
        return letter
    return replace(letter, style=letter.style.model_copy(update={"paper": paper}))


class _progress:
    """A progress bar on stderr, only when stderr is a terminal and the batch is long."""

    def __init__(self, total: int) -> None:
        self.bar: Any = None
        if total >= PROGRESS_MIN and sys.stderr.isatty():
            self.bar = click.progressbar(length=total, label="Writing letters", file=sys.stderr)

    def __enter__(self) -> Any:
        if self.bar is None:
            return lambda: None
        bar = self.bar.__enter__()
        return lambda: bar.update(1)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


def _show(item: Item, step: Any) -> None:
    step()
    if item.status in ("written", "planned"):
        click.echo(str(item.path))
    for message in item.messages:
        _err(f"{item.status if item.status != 'written' else 'warning'}: {item.path}: {message}")


def _summary(report: WriteReport, dry_run: bool) -> None:
    for error in report.errors:
        _err(f"error: {error}")
    if dry_run:
        _err(f"dry run: {len(report.items)} file(s) would be written; nothing was written")
        return
    counts = (
        f"{len(report.written)} written, {len(report.skipped)} skipped, "
        f"{len(report.failed) + len(report.errors)} failed, {len(report.warnings)} warning(s)"
    )
    _err(counts)
    if report.skipped:
        _err("Existing files were kept; use --force to overwrite them.")


# --- templates and new --------------------------------------------------------------------------


@cli.command()
@_TEMPLATES
def templates(template_dirs: tuple[Path, ...]) -> None:
    """List the templates, who each writes to, and the variables it uses."""
    from thankyou import templating

    for info in templating.catalogue(template_dirs):
        origin = "" if info.builtin else f"  [{info.path.parent}]"
        click.echo(f"{info.name:<22} {info.audience:<11} {info.description}{origin}")
        needed = sorted(templating.variables(info.name, template_dirs))
        click.echo(f"{'':<22} {'':<11} uses: {', '.join(needed)}")


@cli.command()
@click.argument("path", default="interview.toml", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite the file if it exists.")
def new(path: Path, force: bool) -> None:
    """Write a commented starter facts file to PATH (default: interview.toml)."""
    from thankyou.output import _atomic_write
    from thankyou.templating import builtin_root

    starter = (builtin_root() / "_starter.toml").read_text(encoding="utf-8")
    today = dt.date.today().isoformat()
    if not _atomic_write(path, starter.replace("2026-01-01", today).encode(), overwrite=force):
        _err(f"error: {path} exists; use --force to overwrite it")
        sys.exit(1)
    click.echo(str(path))
    _err(f"Edit {path}, then run: thankyou check {path} && thankyou render {path}")


# send: see send.py


if __name__ == "__main__":  # pragma: no cover
    main()
