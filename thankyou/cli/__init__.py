"""The ``thankyou`` command: a thin shell over the public API (see docs/cli.md).

stdout carries results (paths written, findings, the plan); stderr carries
progress, warnings, errors and the summary. Exit status: 0 all done, 1
something failed (the rest was still done), 2 bad usage.

One module per family of commands, all private to the command line:

* :mod:`thankyou.cli._letters`: ``render`` and ``preview``;
* :mod:`thankyou.cli._checking`: ``check`` and ``plan``;
* :mod:`thankyou.cli._mail`: ``send`` and ``drafts``;
* :mod:`thankyou.cli._starting`: ``new`` and ``templates``;
* :mod:`thankyou.cli._common`: the arguments, options and helpers they share;
  :mod:`thankyou.cli._auth` the sign-in options of ``send`` and ``drafts``.
"""

from __future__ import annotations

import click

from thankyou.cli._checking import check, plan_command
from thankyou.cli._letters import preview, render
from thankyou.cli._mail import drafts_command, send_command
from thankyou.cli._starting import new, templates

__all__ = ["cli", "main"]


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


for _command in (
    render,
    check,
    plan_command,
    preview,
    templates,
    new,
    send_command,
    drafts_command,
):
    cli.add_command(_command)
