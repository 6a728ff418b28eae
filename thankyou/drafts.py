r"""Drafts in the candidate's own mailbox over IMAP, each saved once across runs.

:func:`save_drafts` appends each email letter to the account's Drafts folder
with the ``\Draft`` flag (RFC 3501 §2.3.2), as the same bytes the ``.eml``
file holds (``X-Unsent: 1`` included), so the candidate reads and sends it
from their web mailbox. It is a dry run unless told otherwise.

A draft is saved once however often it runs, even two runs at once: the
drafts log (JSON lines, the send log's format and locking, see
:mod:`thankyou._sendlog`) is locked before it is read and written after the
server's OK, and each draft carries a Message-ID made from the letter and the
account, which is searched for in the folder before appending, so a draft
saved by a run that stopped before logging it is found, not saved again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from thankyou._sendlog import SendLog, open_log, read_log
from thankyou.account import MailAccount
from thankyou.errors import RenderError, SendError
from thankyou.letter import Letter
from thankyou.models import Delivery

if TYPE_CHECKING:
    from imapclient import IMAPClient

__all__ = ["DraftEntry", "DraftReport", "draft_key", "draft_message", "save_drafts"]

#: The environment variable the CLI reads the IMAP password from.
PASSWORD_ENV = "THANKYOU_IMAP_PASSWORD"

DraftStatus = Literal[
    "would-save", "saved", "already-saved", "post", "hand", "failed", "not-attempted"
]  # fmt: skip

_BY_HAND = {Delivery.post: "print and post", Delivery.hand: "hand over"}
_TWICE = "the same letter is listed twice"


@dataclass(frozen=True)
class DraftEntry:
    """What happened to one letter."""

    letter: Letter
    #: The key the drafts log knows this letter in this mailbox by.
    key: str
    status: DraftStatus
    #: Why it was not saved, or what to do with a paper letter.
    detail: str = ""
    #: The draft's Message-ID, and the bytes stored (or that would be).
    message_id: str = ""
    data: bytes = field(default=b"", repr=False)

    @property
    def recipient(self) -> str:
        """Name and address as a person reads them."""
        person = self.letter.recipient
        return f"{person.name} <{person.email}>" if person.email else person.name


@dataclass
class DraftReport:
    """The outcome of a :func:`save_drafts` run, one entry per letter in the order given."""

    log_path: Path
    dry_run: bool
    #: The folder the drafts went to (None in a dry run or before sign-in).
    folder: str | None = None
    entries: list[DraftEntry] = field(default_factory=list)
    #: Why the run stopped early; None when it did not.
    error: SendError | None = None

    def having(self, *statuses: DraftStatus) -> list[DraftEntry]:
        """The entries with any of these statuses."""
        return [entry for entry in self.entries if entry.status in statuses]

    @property
    def ok(self) -> bool:
        """True when nothing failed."""
        return self.error is None and not self.having("failed")


def draft_key(letter: Letter, account: MailAccount) -> str:
    """The key of a letter's draft in one mailbox: the send log's key, plus the account."""
    from thankyou.send import letter_key

    parts = [letter_key(letter), account.host.casefold(), (account.user or "").casefold()]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:24]


def draft_message(letter: Letter, key: str) -> tuple[str, bytes]:
    """The draft's Message-ID and bytes: the ``.eml`` file's, with a Message-ID from ``key``.

    The Message-ID is the same on every run (RFC 5322 §3.6.4 asks only that it
    be unique to this message, which the key is), so the folder can be
    searched for it.

    Raises:
        RenderError: for a letter that cannot be written as an email.
    """
    from thankyou.renderers import eml

    message = eml.to_message(letter)
    domain = message["From"].addresses[0].domain
    message_id = f"<{key}.thankyou@{domain}>"
    message.replace_header("Message-ID", message_id)
    return message_id, message.as_bytes()


def save_drafts(
    letters: Iterable[Letter],
    account: MailAccount,
    *,
    log_path: str | os.PathLike[str],
    dry_run: bool = True,
    folder: str | None = None,
    on_progress: Callable[[DraftEntry], None] | None = None,
) -> DraftReport:
    r"""Save the email letters as drafts in the account's mailbox, each once across runs.

    Args:
        letters: Letters from :func:`thankyou.compose`. Those for post or hand
            delivery are reported, not saved.
        account: The IMAP server and how to sign in.
        log_path: The drafts log (JSON lines); created on the first save.
            The CLI puts it beside the facts file (``<facts>.drafts.jsonl``).
        dry_run: Report what would be saved; open no connection, write nothing.
        folder: Save in this folder; by default the one the server marks
            ``\Drafts`` (RFC 6154), else the first with a usual name.
        on_progress: Called with each entry as soon as its outcome is known.

    Returns:
        The report. A run that stops early (failed sign-in, lost connection)
        sets ``report.error``; it does not raise.

    Raises:
        SendError: when the log cannot be read or is in use by another run.
    """
    report = DraftReport(Path(log_path), dry_run)
    order: dict[str, int] = {}

    def notify(entry: DraftEntry) -> None:
        report.entries.append(entry)
        if on_progress is not None:
            on_progress(entry)

    if dry_run:
        _triage_all(letters, account, read_log(report.log_path), order, notify, dry_run)
    else:
        with open_log(report.log_path) as log:
            done = read_log(report.log_path)  # read under the lock, never before it
            queue = _triage_all(letters, account, done, order, notify, dry_run)
            if queue:
                _save_all(queue, account, folder, log, report, notify)
    # Progress came in the order things happened; the report follows the letters.
    report.entries.sort(key=lambda entry: (order[entry.key], entry.detail == _TWICE))
    return report


def _triage_all(
    letters: Iterable[Letter],
    account: MailAccount,
    done: dict[str, dict[str, Any]],
    order: dict[str, int],
    notify: Callable[[DraftEntry], None],
    dry_run: bool,
) -> list[DraftEntry]:
    """Report the letters that will not be saved (all of them in a dry run); return the rest."""
    queue: list[DraftEntry] = []
    for letter in letters:
        entry = _triage(letter, account, done)
        if entry.key in order:  # the same letter twice in one run is saved once
            entry = dataclasses.replace(entry, status="already-saved", detail=_TWICE)
        order.setdefault(entry.key, len(order))
        if entry.status == "would-save" and not dry_run:
            queue.append(entry)
        else:
            notify(entry)
    return queue


def _save_all(
    queue: list[DraftEntry],
    account: MailAccount,
    folder: str | None,
    log: SendLog,
    report: DraftReport,
    notify: Callable[[DraftEntry], None],
) -> None:
    """Sign in, find the folder, and save each draft not already there."""
    from thankyou import _imap

    todo = list(queue)
    try:
        with _imap.session(account) as client:
            report.folder = _imap.drafts_folder(client, account, folder)
            while todo:
                _save_one(client, account, report.folder, log, todo.pop(0), notify)
    except SendError as err:
        report.error = _with_resume_hint(err, report, len(todo) + len(report.having("failed")))
    for entry in todo:
        notify(dataclasses.replace(entry, status="not-attempted", detail="stopped before this one"))


def _save_one(
    client: IMAPClient,
    account: MailAccount,
    folder: str,
    log: SendLog,
    entry: DraftEntry,
    notify: Callable[[DraftEntry], None],
) -> None:
    """Append one draft unless the folder has it already, then record it."""
    from thankyou import _imap

    try:
        there = _imap.find(client, account, folder, entry.message_id)
        if not there:
            _imap.append(client, account, folder, entry.data)
    except SendError as err:
        notify(dataclasses.replace(entry, status="failed", detail=err.message))
        raise
    outcome = (
        dataclasses.replace(
            entry, status="already-saved", detail=f"already in {folder}; now recorded"
        )
        if there
        else dataclasses.replace(entry, status="saved")
    )
    try:
        _log(log, _record(entry, folder, account), entry.letter)
    finally:
        notify(outcome)  # it is in the folder, recorded or not


def _log(log: SendLog, record: dict[str, Any], letter: Letter) -> None:
    """Record a saved draft; if that fails, stop before anything else is saved."""
    try:
        log.append(record)
    except OSError as err:
        raise SendError(
            f"the draft to {letter.recipient.name} was saved but could not be recorded in "
            f"{log.path} ({err.strerror or err}); it will not be saved twice (its Message-ID "
            f"is looked for first), but to skip the search add this line to the log: "
            f"{json.dumps(record, ensure_ascii=False)}",
            recipient=letter.recipient.name,
        ) from None


def _record(entry: DraftEntry, folder: str, account: MailAccount) -> dict[str, Any]:
    letter = entry.letter
    return {
        "key": entry.key,
        "status": "saved",
        "saved_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "account": f"{account.user or ''}@{account.host}",
        "folder": folder,
        "to": letter.recipient.email,
        "name": letter.recipient.name,
        "subject": letter.subject,
        "template": letter.template,
        "company": letter.company,
        "position": letter.position,
        "message_id": entry.message_id,
    }


def _with_resume_hint(err: SendError, report: DraftReport, left: int) -> SendError:
    saved = len(report.having("saved", "already-saved"))
    return SendError(
        f"stopped: {err.message}\n{saved} saved so far; fix the problem and run the same "
        f"command again to save the other {left}: what is saved already is skipped",
        recipient=err.recipient,
    )


def _triage(letter: Letter, account: MailAccount, done: dict[str, dict[str, Any]]) -> DraftEntry:
    key = draft_key(letter, account)
    if letter.delivery is not Delivery.email:
        status: DraftStatus = "post" if letter.delivery is Delivery.post else "hand"
        return DraftEntry(letter, key, status, _BY_HAND[letter.delivery])
    if key in done:
        when = done[key].get("saved_at", "an earlier run")
        where = done[key].get("folder", "Drafts")
        return DraftEntry(letter, key, "already-saved", f"saved in {where} on {when}")
    try:
        message_id, data = draft_message(letter, key)
    except RenderError as err:
        return DraftEntry(letter, key, "failed", _for_drafts(err.message))
    return DraftEntry(letter, key, "would-save", message_id=message_id, data=data)


def _for_drafts(message: str) -> str:
    """Reword the email renderer's SMTPUTF8 advice, which ``drafts`` cannot follow."""
    head, advice, _ = message.partition("; use an ASCII address, or allow it with --smtputf8")
    if not advice:
        return message
    return (
        f"{head}; a draft cannot hold it (IMAP needs UTF8=ACCEPT, RFC 6855, for that): "
        "use an ASCII address, or send this letter with `thankyou send --smtputf8`"
    )
