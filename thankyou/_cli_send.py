"""The ``thankyou send`` command: the shell over :mod:`thankyou.send`.

The SMTP work, the log and the exactly-once rule are in send.py, imported when
the command runs (it brings smtplib and ssl, which other commands do not need).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import click

import thankyou
from thankyou._cli_auth import AUTH, TOKEN_COMMAND, credentials
from thankyou._cli_common import (
    CANDIDATE,
    FACTS,
    INTERRUPTED,
    TEMPLATE,
    TEMPLATES,
    check_template,
    echo_err,
    files,
    load_files,
)
from thankyou.errors import SendError, ThankYouError
from thankyou.letter import Letter

if TYPE_CHECKING:
    from thankyou.account import OAuth2Token, Password, Security
    from thankyou.batch import Composed
    from thankyou.facts import Loaded
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


def _parse_smtp_if_given(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> tuple[str, int | None] | None:
    """As :func:`_parse_smtp`; None when not given (a dry run needs no server)."""
    return None if value is None else _parse_smtp(ctx, param, value)


def _parse_rate(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    """N, N/min, N/h or N/s: messages per minute."""
    if value is None:
        return None
    number, _, unit = value.partition("/")
    try:
        rate = float(number) * _RATE_UNITS[unit.strip().lower() or "min"]
    except (ValueError, KeyError):
        raise click.BadParameter(f"{value!r} is not a rate like 20/min or 100/h") from None
    if not math.isfinite(rate) or rate <= 0:  # nan, inf and 1e999 parse as floats
        raise click.BadParameter(f"{value!r}: the rate must be a number above zero, like 20/min")
    if rate < 1 / 60:  # 1e-300/min would wait longer than the age of the universe
        raise click.BadParameter(f"{value!r} is too slow: send at least 1 message an hour (1/h)")
    return rate


@click.command("send", short_help="Email the letters over SMTP (a dry run until --yes).")
@FACTS
@click.option(
    "--smtp",
    "server",
    callback=_parse_smtp_if_given,
    metavar="HOST[:PORT]",
    help="SMTP server (needed with --yes); the port defaults to 25, 587 with --starttls, "
    "465 with --ssl.",
)
@click.option(
    "--user",
    metavar="USER",
    help="Log in as USER; password from $THANKYOU_SMTP_PASSWORD, the system keyring "
    "(`keyring set HOST USER`) or a prompt.",
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
@AUTH
@TOKEN_COMMAND
@TEMPLATE
@TEMPLATES
@CANDIDATE
def send_command(
    facts: tuple[Path, ...],
    server: tuple[str, int | None] | None,
    user: str | None,
    starttls: bool,
    use_ssl: bool,
    yes: bool,
    limit: int | None,
    rate: float | None,
    bcc_self: bool,
    log_file: Path | None,
    smtputf8: bool,
    auth: str | None,
    token_command: str | None,
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
    if yes and server is None:
        raise click.UsageError("--yes sends the letters, so it needs --smtp HOST[:PORT]")
    check_template(template, template_dirs)
    batches, failed = _send_batches(facts, candidate, template, template_dirs, log_file)
    from thankyou.account import MailAccount

    # A dry run needs no server: it only lists what would be sent.
    host, port = server if server is not None else ("", None)
    secret = _smtp_secret(host, user, auth, token_command) if yes else None
    security: Security = "ssl" if use_ssl else "starttls" if starttls else "plain"
    settings = MailAccount(host, port, user, security, secret).smtp()
    run = _SendRun(settings, not yes, limit, rate, bcc_self, smtputf8)
    try:
        for log_path, letters in batches:
            if not run.go(letters, log_path):
                break
    except KeyboardInterrupt:
        echo_err(
            "Interrupted: what was sent is in the send log; run the same command again to finish."
        )
        sys.exit(INTERRUPTED)
    run.summary()
    sys.exit(0 if run.ok and not failed else 1)


def _smtp_secret(
    host: str, user: str | None, auth: str | None, token_command: str | None
) -> Password | OAuth2Token | None:
    """The password (environment, keyring, prompt) or OAuth 2.0 token; never an option."""
    from thankyou.send import PASSWORD_ENV

    try:
        return credentials(
            what="SMTP", host=host, user=user, auth=auth,
            token_command=token_command, password_env=PASSWORD_ENV,
        )  # fmt: skip
    except ThankYouError as err:
        echo_err(f"error: {err}")
        sys.exit(1)


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
    for path in files(facts, candidate):
        letters: list[Letter] = []
        for loaded in load_files([path], candidate, []):
            problem = str(loaded.error) if loaded.error is not None else None
            if loaded.interview is not None:
                try:
                    composed = _run_checks(loaded, thankyou.compose(
                        loaded.interview, template, template_dirs=template_dirs
                    ))  # fmt: skip
                    letters += composed.letters
                    problem = "\n".join(composed.errors) or None
                except ThankYouError as err:
                    problem = f"{loaded.source}: {err}"
            if problem is not None:
                failed = True
                for line in problem.splitlines():
                    echo_err(f"error: {line}")
        if letters:
            batches.append((log_file or path.with_name(path.name + ".sent.jsonl"), letters))
    return batches, failed


def _run_checks(loaded: Loaded, letters: Sequence[Letter]) -> Composed:
    """The checks ``render`` runs: a placeholder from ``thankyou new`` stops its letters."""
    from thankyou.batch import Composed, _checked  # the checks as render runs them

    checked = _checked(loaded, Composed(loaded.source, tuple(letters)), None)
    for warning in checked.warnings:
        echo_err(f"warning: {warning}")
    return checked


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
        from thankyou.send import SendReport, send

        sent = sum(len(r.having("sent")) for r in self.reports)
        try:
            report = send(
                letters, self.settings, log_path=log_path, dry_run=self.dry_run,
                limit=None if self.limit is None else max(self.limit - sent, 0),
                rate_per_minute=self.rate, bcc_self=self.bcc_self, smtputf8=self.smtputf8,
                on_progress=_show_sent,
            )  # fmt: skip
        except ThankYouError as err:  # an unreadable or damaged send log: nothing was sent
            report = SendReport(log_path, self.dry_run, error=SendError(str(err)))
        self.reports.append(report)
        if report.error is not None:
            for line in str(report.error).splitlines():
                # A log line to add by hand is printed bare, ready to copy.
                echo_err(line if line.startswith("{") else f"error: {line}")
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
        echo_err(", ".join(parts) + tail)


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
        echo_err(f"error: {entry.recipient}: {entry.detail}")
    elif entry.status == "uncertain":
        echo_err(f"warning: {entry.recipient}: {entry.detail}")
    else:
        label = _SEND_LABELS[entry.status]
        if entry.status in ("post", "hand"):
            click.echo(f"{label:<15} {entry.letter.recipient.name}")
            return
        note = f"  ({entry.detail})" if entry.status in ("already-sent", "not-attempted") else ""
        click.echo(f"{label:<15} {entry.recipient}  {entry.letter.subject}{note}")
