"""The ``thankyou drafts`` command: the shell over :mod:`thankyou.drafts`.

The IMAP work, the log and the saved-once rule are in drafts.py, imported when
the command runs (it brings imapclient and ssl, which other commands do not need).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from thankyou._cli_auth import AUTH, TOKEN_COMMAND, credentials
from thankyou._cli_common import (
    CANDIDATE,
    FACTS,
    INTERRUPTED,
    TEMPLATE,
    TEMPLATES,
    check_template,
    echo_err,
)
from thankyou._cli_send import _parse_smtp, _send_batches
from thankyou.errors import SendError
from thankyou.letter import Letter

if TYPE_CHECKING:
    from thankyou.account import MailAccount
    from thankyou.drafts import DraftEntry, DraftReport, DraftStatus

_LABELS = {
    "would-save": "would save",
    "saved": "saved",
    "already-saved": "already saved",
    "post": "print and post",
    "hand": "hand over",
    "not-attempted": "not saved",
}


def _parse_imap(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, int | None]:
    """HOST, HOST:PORT or [IPv6]:PORT."""
    try:
        return _parse_smtp(ctx, param, value)
    except click.BadParameter:
        raise click.BadParameter(
            f"{value!r} is not HOST or HOST:PORT, e.g. imap.gmail.com:993"
        ) from None


@click.command(
    "drafts", short_help="Put the emails in your mailbox's Drafts (dry run until --yes)."
)
@FACTS
@click.option(
    "--imap",
    "server",
    required=True,
    callback=_parse_imap,
    metavar="HOST[:PORT]",
    help="IMAP server; the port defaults to 993 (TLS), 143 with --starttls.",
)
@click.option(
    "--user",
    metavar="USER",
    help="Sign in as USER (default: the candidate's email address). Password from "
    "$THANKYOU_IMAP_PASSWORD, the system keyring (`keyring set HOST USER`) or a prompt.",
)
@click.option("--starttls", is_flag=True, help="Connect to port 143 and upgrade it with STARTTLS.")
@click.option("--folder", metavar="NAME", help="Save in NAME instead of the Drafts folder.")
@click.option("--yes", is_flag=True, help="Really save. Without it, only list what would be saved.")
@AUTH
@TOKEN_COMMAND
@click.option(
    "--log",
    "log_file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Drafts log (default: beside each facts file, as <facts>.drafts.jsonl).",
)
@TEMPLATE
@TEMPLATES
@CANDIDATE
def drafts_command(
    facts: tuple[Path, ...],
    server: tuple[str, int | None],
    user: str | None,
    starttls: bool,
    folder: str | None,
    yes: bool,
    auth: str | None,
    token_command: str | None,
    log_file: Path | None,
    template: str | None,
    template_dirs: tuple[Path, ...],
    candidate: Path | None,
) -> None:
    """Save the email letters in FACTS as drafts in your own mailbox, over IMAP.

    Each goes to the Drafts folder (the one your server marks as such), flagged
    as a draft, to read and send from your mail program or web mail. A dry
    run unless --yes. Every draft is recorded in a drafts log and looked for
    in the folder first, so running the command again saves nothing twice.

    Exit status: 0 all done, 1 something failed (run again to finish), 2 bad usage.
    """
    check_template(template, template_dirs)
    batches, failed = _batches(facts, candidate, template, template_dirs, log_file)
    account = _account(server, user, starttls, batches, yes, auth, token_command)
    reports: list[DraftReport] = []
    try:
        for log_path, letters in batches:
            report = _run(letters, account, log_path, not yes, folder)
            reports.append(report)
            if report.error is not None:
                break
    except KeyboardInterrupt:
        echo_err("Interrupted: what was saved is in the drafts log; run again to finish.")
        sys.exit(INTERRUPTED)
    _summary(reports, not yes, account)
    sys.exit(0 if all(r.ok for r in reports) and not failed else 1)


def _batches(
    facts: Sequence[Path],
    candidate: Path | None,
    template: str | None,
    template_dirs: Sequence[Path],
    log_file: Path | None,
) -> tuple[list[tuple[Path, list[Letter]]], bool]:
    """Compose each facts file's letters, with that file's drafts log."""
    batches, failed = _send_batches(facts, candidate, template, template_dirs, log_file)
    if log_file is None:  # beside the send log: <facts>.drafts.jsonl
        batches = [
            (path.with_name(path.name.removesuffix(".sent.jsonl") + ".drafts.jsonl"), letters)
            for path, letters in batches
        ]
    return batches, failed


def _account(
    server: tuple[str, int | None],
    user: str | None,
    starttls: bool,
    batches: list[tuple[Path, list[Letter]]],
    yes: bool,
    auth: str | None,
    token_command: str | None,
) -> MailAccount:
    """The account; its secret only when the run is real."""
    from thankyou.account import MailAccount

    host, port = server
    if user is None:  # most providers sign in with the email address
        user = next((ls[0].sender.email for _, ls in batches if ls), None)
    secret = None
    if yes:
        try:
            secret = credentials(
                what="IMAP", host=host, user=user or "", auth=auth,
                token_command=token_command, password_env="THANKYOU_IMAP_PASSWORD",
            )  # fmt: skip
        except SendError as err:
            echo_err(f"error: {err}")
            sys.exit(1)
    return MailAccount(host, port, user, "starttls" if starttls else "ssl", secret)


def _run(
    letters: list[Letter], account: MailAccount, log_path: Path, dry_run: bool, folder: str | None
) -> DraftReport:
    from thankyou.drafts import save_drafts

    try:
        report = save_drafts(
            letters, account, log_path=log_path, dry_run=dry_run, folder=folder,
            on_progress=_show,
        )  # fmt: skip
    except SendError as err:  # the log cannot be read, or another run holds it
        from thankyou.drafts import DraftReport

        report = DraftReport(log_path, dry_run, error=err)
    if report.error is not None:
        for line in str(report.error).splitlines():
            echo_err(f"error: {line}")
    return report


def _show(entry: DraftEntry) -> None:
    """One line per letter: outcomes on stdout, problems on stderr."""
    if entry.status == "failed":
        echo_err(f"error: {entry.recipient}: {entry.detail}")
        return
    label = _LABELS[entry.status]
    if entry.status in ("post", "hand"):
        click.echo(f"{label:<15} {entry.letter.recipient.name}")
        return
    note = f"  ({entry.detail})" if entry.detail else ""
    click.echo(f"{label:<15} {entry.recipient}  {entry.letter.subject}{note}")


def _summary(reports: list[DraftReport], dry_run: bool, account: MailAccount) -> None:
    """One line on stderr: how many of each outcome."""

    def count(*statuses: DraftStatus) -> int:
        return sum(len(r.having(*statuses)) for r in reports)

    folder = next((r.folder for r in reports if r.folder), "Drafts")
    parts = [
        f"{count('would-save')} to save" if dry_run else f"{count('saved')} saved in {folder}",
        f"{count('already-saved')} already saved",
        f"{count('post', 'hand')} not by email",
    ]
    if count("failed"):
        parts.append(f"{count('failed')} failed")
    if count("not-attempted"):
        parts.append(f"{count('not-attempted')} left for another run")
    tail = f"; nothing was saved (add --yes to save to {account.host})." if dry_run else "."
    echo_err(", ".join(parts) + tail)
