"""SMTP delivery with a resumable send log: each letter reaches its reader once (SPEC §9).

:func:`send` is a dry run unless told otherwise. When it sends, every message
the server accepts is recorded at once in a JSON-lines log (one line, written
and fsync'd before the next message goes out), keyed by :func:`letter_key`;
a later run skips what the log holds. So a run that stops half-way (a refused
message, a dropped connection, Ctrl-C) is finished by running it again.

One case cannot be decided: the connection drops after the whole message was
sent but before the server said whether it took it (RFC 5321 §4.1.1.4). Such a
letter is logged as ``uncertain`` and *not* sent again: a reader getting the
same thank-you twice is worse than the candidate checking their Sent folder.

Only this module and its two helpers open sockets and write the log: the
connection is in :mod:`thankyou._smtp`, the log in :mod:`thankyou._sendlog`.
None of them prints, and none puts the password in a message, a log line or
an exception.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import smtplib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from thankyou._sendlog import LogBusy, SendLog, open_log, read_log
from thankyou._smtp import Client, Security, SmtpSettings, os_reason, redact, session
from thankyou.errors import RenderError, SendError
from thankyou.letter import Letter
from thankyou.models import Delivery
from thankyou.renderers import eml

__all__ = [
    "PASSWORD_ENV",
    "Security",
    "SendEntry",
    "SendReport",
    "SmtpSettings",
    "letter_key",
    "read_log",
    "send",
]

#: The environment variable the CLI reads the SMTP password from.
PASSWORD_ENV = "THANKYOU_SMTP_PASSWORD"

Status = Literal[
    "sent", "would-send", "already-sent", "uncertain", "post", "hand", "failed", "not-attempted"
]  # fmt: skip

#: What to do with a letter that is not sent by email.
_BY_HAND = {Delivery.post: "print and post", Delivery.hand: "hand over"}


@dataclass(frozen=True)
class SendEntry:
    """What happened to one letter."""

    letter: Letter
    #: The stable key the send log knows this letter by.
    key: str
    status: Status
    #: Why it was not sent, or what to do with a paper letter.
    detail: str = ""

    @property
    def recipient(self) -> str:
        """Name and address as a person reads them (Unicode domain)."""
        person = self.letter.recipient
        return f"{person.name} <{person.email}>" if person.email else person.name


@dataclass
class SendReport:
    """The outcome of a :func:`send` run, one entry per letter in the order given."""

    log_path: Path
    dry_run: bool
    entries: list[SendEntry] = field(default_factory=list)
    #: Why the run stopped early, with how to resume; None when it did not.
    error: SendError | None = None

    def having(self, *statuses: Status) -> list[SendEntry]:
        """The entries with any of these statuses."""
        return [entry for entry in self.entries if entry.status in statuses]

    @property
    def ok(self) -> bool:
        """True when nothing failed and no delivery is in doubt."""
        return self.error is None and not self.having("failed", "uncertain")


@dataclass(frozen=True)
class _Outgoing:
    """A built message and its SMTP envelope (RFC 5321 §2.3.1)."""

    data: bytes
    sender: str
    recipients: tuple[str, ...]
    message_id: str


def letter_key(letter: Letter) -> str:
    """Return the key that recognises a letter across runs.

    Template, recipient address, company and position: what stays the same
    when the letter is composed again tomorrow (its date changes, and so do
    Message-ID and Date). The subject and the wording are left out on purpose,
    so fixing a typo between two runs does not send the fixed letter again to
    everyone who already has it.
    """
    address = (letter.recipient.email or letter.recipient.name).casefold()
    parts = [letter.template, address, letter.company, letter.position]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:24]


def send(
    letters: Iterable[Letter],
    settings: SmtpSettings,
    *,
    log_path: str | os.PathLike[str],
    dry_run: bool = True,
    limit: int | None = None,
    rate_per_minute: float | None = None,
    bcc_self: bool = False,
    smtputf8: bool = False,
    on_progress: Callable[[SendEntry], None] | None = None,
) -> SendReport:
    """Send the email letters over SMTP, each exactly once across runs.

    Args:
        letters: Letters from :func:`thankyou.compose`. Those for post or hand
            delivery are reported ("print and post", "hand over"), not sent.
        settings: The SMTP server and credentials.
        log_path: The send log (JSON lines); created on the first send. The
            CLI puts it beside the facts file (``<facts>.sent.jsonl``).
        dry_run: Report what would be sent; open no connection, write nothing.
        limit: Send at most this many messages in this run.
        rate_per_minute: Wait between messages so as not to exceed this rate.
        bcc_self: Also deliver each message to the candidate (envelope only:
            no Bcc header is written).
        smtputf8: Allow addresses with non-ASCII local parts (RFC 6531).
        on_progress: Called with each entry as soon as its outcome is known.

    Returns:
        The report. A run that stops early (refused message, lost
        connection, failed login) sets ``report.error``; it does not raise.

    Raises:
        SendError: when the log cannot be read or has a damaged line, or the
            rate is not a finite number of at least :data:`MIN_RATE`. A log another run holds for
            longer than :data:`thankyou._sendlog.LOCK_WAIT` seconds sets
            ``report.error`` instead: nothing is sent.
    """
    log_path = Path(log_path)
    report = SendReport(log_path, dry_run)
    notify = _collector(report, on_progress)
    pace = _Pacer(rate_per_minute)
    letters = list(letters)
    order: dict[str, int] = {}
    if dry_run:
        _run(letters, read_log(log_path), None, order, notify, smtputf8, bcc_self)
    else:
        try:
            # Locked before it is read and until the last line is written: a second
            # run started meanwhile waits, then sees everything this one sent.
            with open_log(log_path) as log:
                queue = _run(letters, log.records, log, order, notify, smtputf8, bcc_self)
                if limit is not None and limit <= 0:  # nothing may go out: do not even connect
                    _leave(queue, notify, _OVER_LIMIT)
                elif queue:
                    _deliver(queue, settings, log, report, notify, limit, pace)
        except LogBusy as err:
            report.error = err
            _run(letters, {}, None, order, notify, smtputf8, bcc_self, busy=True)
    # Progress came in the order things happened; the report follows the letters.
    report.entries.sort(key=lambda entry: order[entry.key])
    return report


def _run(
    letters: list[Letter],
    done: dict[str, dict[str, Any]],
    log: SendLog | None,
    order: dict[str, int],
    notify: Callable[[SendEntry], None],
    smtputf8: bool,
    bcc_self: bool,
    *,
    busy: bool = False,
) -> list[tuple[Letter, _Outgoing]]:
    """Report what will not be sent; return the queue of what will (none without a log)."""
    now = dt.datetime.now().astimezone()
    queue: list[tuple[Letter, _Outgoing]] = []
    for letter in letters:
        outcome = _triage(letter, done, now, smtputf8, bcc_self)
        key = letter_key(letter)
        if key in order:  # the same letter twice in one run goes out once
            outcome = SendEntry(letter, key, "already-sent", "the same letter is listed twice")
        order.setdefault(key, len(order))
        if isinstance(outcome, SendEntry):
            notify(outcome)
        elif busy:
            notify(SendEntry(letter, key, "not-attempted", "another run is using the send log"))
        elif log is None:
            notify(SendEntry(letter, key, "would-send"))
        else:
            queue.append((letter, outcome))
    return queue


#: The slowest rate :func:`send` accepts: one message an hour (a wait must stay finite).
MIN_RATE = 1 / 60

_OVER_LIMIT = "over --limit; run again to send it"


def _leave(
    queue: Iterable[tuple[Letter, _Outgoing]], notify: Callable[[SendEntry], None], why: str
) -> None:
    for letter, _ in queue:
        notify(SendEntry(letter, letter_key(letter), "not-attempted", why))


def _collector(
    report: SendReport, on_progress: Callable[[SendEntry], None] | None
) -> Callable[[SendEntry], None]:
    def notify(entry: SendEntry) -> None:
        report.entries.append(entry)
        if on_progress is not None:
            on_progress(entry)

    return notify


def _triage(
    letter: Letter,
    done: dict[str, dict[str, Any]],
    now: dt.datetime,
    smtputf8: bool,
    bcc_self: bool,
) -> SendEntry | _Outgoing:
    """Return the entry of a letter that will not be sent, or the message of one that will."""
    key = letter_key(letter)
    if letter.delivery is not Delivery.email:
        status: Status = "post" if letter.delivery is Delivery.post else "hand"
        return SendEntry(letter, key, status, _BY_HAND[letter.delivery])
    if key in done:
        return _logged_entry(letter, key, done[key])
    try:
        return _outgoing(letter, now, smtputf8, bcc_self)
    except RenderError as err:
        return SendEntry(letter, key, "failed", err.message)


def _logged_entry(letter: Letter, key: str, record: dict[str, Any]) -> SendEntry:
    when = record.get("sent_at", "an earlier run")
    if record.get("status") == "uncertain":
        return SendEntry(
            letter, key, "uncertain",
            f"not sent again: on {when} the connection dropped before the server confirmed "
            "it, so it may have arrived; check your Sent folder or ask, and to send it "
            "anyway delete its line from the send log",
        )  # fmt: skip
    return SendEntry(letter, key, "already-sent", f"sent on {when}")


def _outgoing(letter: Letter, now: dt.datetime, smtputf8: bool, bcc_self: bool) -> _Outgoing:
    # One Date for the whole run: the moment the user said "send" (RFC 5322 §3.6.1).
    message = eml.to_message(letter, smtputf8=smtputf8, date=now)
    # The header addresses are the envelope's: punycode domains, validated local parts.
    sender = message["From"].addresses[0].addr_spec
    recipients = (message["To"].addresses[0].addr_spec, *([sender] if bcc_self else []))
    return _Outgoing(message.as_bytes(), sender, recipients, str(message["Message-ID"]))


def _deliver(
    queue: list[tuple[Letter, _Outgoing]],
    settings: SmtpSettings,
    log: SendLog,
    report: SendReport,
    notify: Callable[[SendEntry], None],
    limit: int | None,
    pace: _Pacer,
) -> None:
    """Open the connection, then send until done, limited or stopped."""
    todo = list(queue)
    try:
        with session(settings) as client:
            while todo and (limit is None or len(report.having("sent")) < limit):
                letter, outgoing = todo.pop(0)
                pace.wait()
                _deliver_one(client, log, letter, outgoing, notify, settings)
    except SendError as err:
        report.error = _with_resume_hint(err, report, len(todo))
    _leave(todo, notify, "stopped before this one" if report.error else _OVER_LIMIT)


def _deliver_one(
    client: Client,
    log: SendLog,
    letter: Letter,
    outgoing: _Outgoing,
    notify: Callable[[SendEntry], None],
    settings: SmtpSettings,
) -> None:
    """Send one letter and record the outcome; raise SendError to stop the run."""
    key = letter_key(letter)
    try:
        _transmit(client, outgoing)
    except SendError as err:
        reason = redact(err.message, settings)
        notify(SendEntry(letter, key, "failed", reason))
        raise SendError(f"{_who(letter)}: {reason}", recipient=letter.recipient.name) from None
    except BaseException as err:  # a lost connection or Ctrl-C, perhaps after the message went out
        if not client.payload_sent:
            raise
        reason = f"{_UNCERTAIN} ({os_reason(err) if isinstance(err, OSError) else 'interrupted'})"
        try:
            _log(log, _record(letter, key, outgoing, "uncertain"), letter)
        finally:
            notify(SendEntry(letter, key, "uncertain", reason))
        if not isinstance(err, OSError):
            raise
        raise SendError(f"{_who(letter)}: {reason}", recipient=letter.recipient.name) from None
    try:
        _log(log, _record(letter, key, outgoing, "sent"), letter)
    finally:
        notify(SendEntry(letter, key, "sent"))


_UNCERTAIN = (
    "the whole message went out, but the connection was lost before the server confirmed it, "
    "so it may have arrived"
)


def _log(log: SendLog, record: dict[str, Any], letter: Letter) -> None:
    """Record a delivery; if that fails, stop before anything else is sent."""
    log.keep = True  # a letter went out: the log stays, even if its line cannot be written
    try:
        log.append(record)
    except OSError as err:
        line = json.dumps(record, ensure_ascii=False)
        raise _Unrecorded(
            f"the letter to {_who(letter)} went out but could not be recorded in {log.path} "
            f"({err.strerror or err}).\nBefore running again, add this line at the end of "
            f"{log.path}, or that letter will be sent twice:\n{line}",
            recipient=letter.recipient.name,
        ) from None


class _Unrecorded(SendError):
    """A letter went out, but its log line could not be written."""


def _transmit(client: Client, outgoing: _Outgoing) -> None:
    """Send one message.

    Raises:
        SendError: when the server refused it, or the connection failed before
            the message went out in full (then the server discards it).
        OSError: when the connection failed after (``client.payload_sent``).
    """
    options = [] if outgoing.data.isascii() else ["SMTPUTF8", "BODY=8BITMIME"]  # RFC 6531 §3.4
    client.payload_sent = False
    try:
        refused = client.sendmail(
            outgoing.sender, list(outgoing.recipients), outgoing.data, options
        )
    except smtplib.SMTPRecipientsRefused as err:
        raise SendError(f"the server refused the recipient: {_replies(err.recipients)}") from None
    except OSError as err:  # smtplib.SMTPException is an OSError too
        if client.payload_sent and not isinstance(err, smtplib.SMTPResponseException):
            raise
        raise SendError(f"the server did not take the message: {os_reason(err)}") from None
    if outgoing.recipients[0] in refused:
        # Only the bcc_self copy got through; the reader did not get the letter.
        raise SendError(f"the server refused the recipient: {_replies(refused)}")


def _replies(refused: dict[str, tuple[int, bytes]]) -> str:
    return "; ".join(
        f"{who}: {code} {text.decode('utf-8', 'replace')}" for who, (code, text) in refused.items()
    )


def _record(letter: Letter, key: str, outgoing: _Outgoing, status: str) -> dict[str, Any]:
    return {
        "key": key,
        "status": status,
        "sent_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "to": outgoing.recipients[0],
        "name": letter.recipient.name,
        "subject": letter.subject,
        "template": letter.template,
        "company": letter.company,
        "position": letter.position,
        "message_id": outgoing.message_id,
    }


def _who(letter: Letter) -> str:
    return f"{letter.recipient.name} <{letter.recipient.email}>"


def _with_resume_hint(err: SendError, report: SendReport, left: int) -> SendError:
    """Say what was done, where it is recorded, and that running again finishes the job."""
    sent = len(report.having("sent")) - isinstance(err, _Unrecorded)
    rest = left + len(report.having("failed"))  # a failed letter goes out once it is fixed
    done = f"{sent} sent and recorded in {report.log_path}" if sent else "nothing was sent"
    if isinstance(err, _Unrecorded):
        done = f"{sent} other(s) sent and recorded" if sent else "nothing else was sent"
        return SendError(
            f"stopped: {err.message}\n{done}; once that line is added, run the same command "
            f"again to send the other {rest}",
            recipient=err.recipient,
        )
    return SendError(
        f"stopped: {err.message}\n{done}; fix the problem and run the same command again "
        f"to send the other {rest}: what the log holds is skipped",
        recipient=err.recipient,
    )


class _Pacer:
    """Keep at most ``rate`` messages a minute by waiting between them."""

    def __init__(self, rate: float | None) -> None:
        if rate is not None and not (math.isfinite(rate) and rate >= MIN_RATE):
            raise SendError(f"the rate must be at least {MIN_RATE:g} a minute, not {rate!r}")
        self.interval = 60.0 / rate if rate else 0.0
        self.last: float | None = None

    def wait(self) -> None:
        if self.last is not None and self.interval:
            time.sleep(max(0.0, self.last + self.interval - time.monotonic()))
        self.last = time.monotonic()
