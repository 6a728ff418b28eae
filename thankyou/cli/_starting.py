"""The commands for getting started: ``new`` (a starter facts file) and ``templates``."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from thankyou._atomic import atomic_write
from thankyou.cli._common import (
    TEMPLATES,
    echo_err,
)
from thankyou.errors import ThankYouError

# --- templates and new --------------------------------------------------------------------------


@click.command(short_help="List the templates and whom each writes to.")
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


@click.command(short_help="Write a commented starter facts file.")
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
