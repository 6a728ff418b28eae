"""Exactly once across processes, and a send log that fails loudly but safely.

Two real ``python -m thankyou send --yes`` processes (and two API callers) race
against a real aiosmtpd server on 127.0.0.1; every letter must arrive once.
"""

from __future__ import annotations

import asyncio
import errno
import json
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session
from click.testing import CliRunner
from smtp_server import AnyPortController

from thankyou import _sendlog
from thankyou.cli import cli
from thankyou.errors import SendError
from thankyou.send import SmtpSettings, read_log, send

ROOT = Path(__file__).resolve().parent.parent

FACTS = """\
company  = "Acme Robotics"
position = "Senior Data Engineer"
date     = 2026-11-24T14:00:00-06:00

[candidate]
name  = "Alex Morgan"
email = "alex.morgan@example.com"

[[panel]]
name     = "Priya Raman"
email    = "priya.raman@acme.example"
personal = "Your question about backfilling late events has stayed with me."

[[panel]]
name     = "John Smith"
email    = "john.smith@acme.example"
personal = "Thank you for the tour of the on-call runbooks."

[[panel]]
name     = "Mei Chen"
email    = "mei.chen@acme.example"
personal = "Your sketch of the lineage graph was a pleasure to follow."
"""
READERS = ["priya.raman@acme.example", "john.smith@acme.example", "mei.chen@acme.example"]


@dataclass
class Mailbox:
    received: list[str] = field(default_factory=list)
    #: Seconds to think before accepting the first message of the test.
    first_delay: float = 0.0

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if not self.received:
            await asyncio.sleep(self.first_delay)
        self.received.extend(envelope.rcpt_tos)
        return "250 2.0.0 Queued"


@pytest.fixture
def smtp() -> Iterator[tuple[int, Mailbox]]:
    mailbox = Mailbox()
    controller = AnyPortController(mailbox, hostname="127.0.0.1", port=0)
    controller.start()
    yield controller.port, mailbox
    controller.stop()


def _facts(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "interview.toml"
    path.write_text(FACTS, encoding="utf-8")
    return path


# The race is won or lost in milliseconds. To lose it every time on code that reads
# the log before locking it, the server takes 0.3 s over the first message and the
# second run (a slower machine) takes 0.1 s to build each message it means to send:
# it reads the log before the first run has written anything, and would lock it
# only after the first run has finished.
SLOW_BUILD = """
import time
from thankyou.renderers import eml
_to_message = eml.to_message
def _slow(*args, **kwargs):
    time.sleep(0.1)
    return _to_message(*args, **kwargs)
eml.to_message = _slow
"""


def _env(slow: Path | None = None) -> dict[str, str]:
    path = os.pathsep.join(str(p) for p in (slow, ROOT) if p is not None)
    return {**os.environ, "PYTHONPATH": path}


@pytest.fixture
def slow(tmp_path) -> Path:
    """A folder whose sitecustomize.py makes building a message take 0.1 s."""
    folder = tmp_path / "slow"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(SLOW_BUILD, encoding="utf-8")
    return folder


API_SCRIPT = """
import sys, thankyou
from thankyou.send import SmtpSettings, send
letters = thankyou.compose(thankyou.load(sys.argv[1]))
report = send(letters, SmtpSettings("127.0.0.1", int(sys.argv[2]), timeout=10),
              log_path=sys.argv[3], dry_run=False)
print(sorted(e.status for e in report.entries), report.error)
"""


def _race(
    commands: list[list[str]], delay: float, slow: Path
) -> list[subprocess.CompletedProcess[str]]:
    """Start the commands ``delay`` seconds apart (all but the first slowed) and wait."""
    running = []
    for number, command in enumerate(commands):
        running.append(
            subprocess.Popen(
                command,
                cwd=ROOT,
                env=_env(slow if number else None),
                text=True,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        )
        time.sleep(delay)
    done = []
    for process in running:
        out, err = process.communicate(timeout=60)
        done.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return done


@pytest.mark.parametrize("delay", [0.06, 0.075, 0.09])
def test_two_cli_runs_at_once_deliver_each_letter_once(smtp, slow, tmp_path, delay):
    """Two `send --yes` started 60-90 ms apart: the second waits, then skips what went out."""
    port, mailbox = smtp
    mailbox.first_delay = 0.3
    facts = _facts(tmp_path)
    command = [sys.executable, "-m", "thankyou", "send", str(facts)]
    command += ["--smtp", f"127.0.0.1:{port}", "--yes"]
    first, second = _race([command, command], delay, slow)
    assert Counter(mailbox.received) == dict.fromkeys(READERS, 1), (first.stderr, second.stderr)
    assert {first.returncode, second.returncode} == {0}, (first.stderr, second.stderr)
    assert "Traceback" not in first.stderr + second.stderr
    labels = [line.split("  ")[0] for line in (first.stdout + second.stdout).splitlines()]
    assert sorted(labels) == ["already sent"] * 3 + ["sent"] * 3
    assert len(read_log(facts.with_name("interview.toml.sent.jsonl"))) == 3


@pytest.mark.parametrize("delay", [0.075])
def test_two_api_callers_at_once_deliver_each_letter_once(smtp, slow, tmp_path, delay):
    """The same race through thankyou.send.send() in two processes."""
    port, mailbox = smtp
    mailbox.first_delay = 0.3
    facts = _facts(tmp_path)
    command = [sys.executable, "-c", API_SCRIPT, str(facts), str(port), str(tmp_path / "log")]
    first, second = _race([command, command], delay, slow)
    assert Counter(mailbox.received) == dict.fromkeys(READERS, 1), (first.stderr, second.stderr)
    outcomes = sorted([first.stdout.strip(), second.stdout.strip()])
    assert outcomes == [
        "['already-sent', 'already-sent', 'already-sent'] None",
        "['sent', 'sent', 'sent'] None",
    ]


def _letters(facts: Path):
    import thankyou

    return thankyou.compose(thankyou.load(facts))


def test_a_run_that_cannot_get_the_lock_in_time_sends_nothing(smtp, tmp_path, monkeypatch):
    """A second run waits a bounded time, then refuses with a message saying what to do."""
    import fcntl

    port, mailbox = smtp
    log = tmp_path / "log"
    monkeypatch.setattr(_sendlog, "LOCK_WAIT", 0.3)
    with log.open("ab") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        started = time.monotonic()
        report = send(
            _letters(_facts(tmp_path)), SmtpSettings("127.0.0.1", port), log_path=log,
            dry_run=False,
        )  # fmt: skip
        waited = time.monotonic() - started
    assert 0.3 <= waited < 2
    assert "another thankyou run is using" in str(report.error)
    assert "nothing was sent" in str(report.error)
    assert [e.status for e in report.entries] == ["not-attempted"] * 3
    assert mailbox.received == []


def test_full_disk_stops_at_once_with_the_line_to_add(smtp, tmp_path, monkeypatch):
    """The first line that cannot be written stops the run: one letter out, no traceback."""
    port, mailbox = smtp
    facts = _facts(tmp_path)

    def full(fd: int, data: bytes) -> None:
        os.write(fd, data[:10])  # a partial write, then the disk is full
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(_sendlog, "_write", full)
    result = CliRunner().invoke(
        cli, ["send", str(facts), "--smtp", f"127.0.0.1:{port}", "--yes"], catch_exceptions=False
    )
    assert result.exit_code == 1
    assert mailbox.received == READERS[:1]  # stopped at once: nothing after the unrecorded one
    assert "Traceback" not in result.stderr
    assert "went out but could not be recorded" in result.stderr
    assert "No space left on device" in result.stderr
    log = facts.with_name("interview.toml.sent.jsonl")
    assert log.read_bytes() == b""  # the partial line was cut back out
    line = next(x for x in result.stderr.splitlines() if x.startswith("{"))  # ready to copy
    record = json.loads(line)
    assert record["to"] == READERS[0] and record["status"] == "sent"
    # Adding the line as told, the next run sends the other two and not the first again.
    monkeypatch.undo()
    log.write_text(line + "\n", encoding="utf-8")
    again = CliRunner().invoke(
        cli, ["send", str(facts), "--smtp", f"127.0.0.1:{port}", "--yes"], catch_exceptions=False
    )
    assert again.exit_code == 0, again.stderr
    assert Counter(mailbox.received) == dict.fromkeys(READERS, 1)


def test_a_last_line_without_newline_is_not_merged(smtp, tmp_path):
    """A log edited by hand (no final newline) gets its records on lines of their own."""
    port, _ = smtp
    log = tmp_path / "log"
    log.write_text('{"key": "hand-added", "status": "sent"}', encoding="utf-8")
    send(_letters(_facts(tmp_path)), SmtpSettings("127.0.0.1", port), log_path=log, dry_run=False)
    lines = log.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4
    assert json.loads(lines[0])["key"] == "hand-added"
    assert len(read_log(log)) == 4


def test_a_torn_line_names_the_letter_and_never_says_delete(smtp, tmp_path):
    """A line cut short by a crash records a letter that went out: the advice keeps it."""
    port, mailbox = smtp
    facts = _facts(tmp_path)
    runner = CliRunner()
    args = ["send", str(facts), "--smtp", f"127.0.0.1:{port}", "--yes"]
    assert runner.invoke(cli, [*args, "--limit", "1"]).exit_code == 0  # two left for later
    log = facts.with_name("interview.toml.sent.jsonl")
    whole = log.read_text(encoding="utf-8")
    key = json.loads(whole)["key"]
    log.write_text(whole[:60], encoding="utf-8")  # the crash cut the line short
    result = runner.invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert "sent.jsonl:1: this line of the send log is damaged" in result.stderr
    assert "do not delete it" in result.stderr
    assert "replace it" not in result.stderr.lower() or key in result.stderr
    fixed = json.dumps({"key": key, "status": "sent"})
    assert fixed in result.stderr
    assert mailbox.received == READERS[:1]
    # Doing what it says sends the other two, never the first again.
    log.write_text(fixed + "\n", encoding="utf-8")
    assert runner.invoke(cli, args).exit_code == 0
    assert Counter(mailbox.received) == dict.fromkeys(READERS, 1)


def test_a_line_with_no_key_left_is_an_error_that_warns_against_deleting(tmp_path):
    log = tmp_path / "log"
    log.write_bytes(b'{"key": "0a1b", "status": "sent"}\n{"ke\xff')
    with pytest.raises(SendError) as caught:
        read_log(log)
    message = str(caught.value)
    assert "log:2: this line of the send log is damaged" in message
    assert "Do not delete it" in message and "sent again" in message


def test_a_folder_in_place_of_the_log_is_an_error_line(smtp, tmp_path):
    """Dry run and real run alike: one error line, exit 1, nothing sent."""
    port, mailbox = smtp
    facts = _facts(tmp_path)
    facts.with_name("interview.toml.sent.jsonl").mkdir()
    for extra in ([], ["--yes"]):
        result = CliRunner().invoke(
            cli, ["send", str(facts), "--smtp", f"127.0.0.1:{port}", *extra],
            catch_exceptions=False,
        )  # fmt: skip
        assert result.exit_code == 1
        assert "Traceback" not in result.stderr
        assert "interview.toml.sent.jsonl is a folder, not a file" in result.stderr
        assert "put the log file back" in result.stderr
    assert mailbox.received == []


def test_a_run_with_nothing_to_send_leaves_no_log(tmp_path):
    """The lock creates the log; a run that had nothing to send removes it again."""
    facts = tmp_path / "i.toml"
    facts.write_text(FACTS.replace('email    = "', 'delivery = "hand"\n# "'), encoding="utf-8")
    report = send(
        _letters(facts), SmtpSettings("127.0.0.1", 1), log_path=tmp_path / "log", dry_run=False
    )
    assert [e.status for e in report.entries] == ["hand"] * 3
    assert not (tmp_path / "log").exists()


@pytest.mark.parametrize("rate", ["nan", "inf", "1e-300/min", "-5/h", "0.5/h", "1e999"])
def test_rate_that_is_not_a_usable_number_is_bad_usage(tmp_path, rate):
    result = CliRunner().invoke(
        cli, ["send", str(_facts(tmp_path)), "--smtp", "127.0.0.1:1", "--rate", rate]
    )
    assert result.exit_code == 2
    assert "--rate" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("rate", [float("nan"), 1e-300, float("inf")])
def test_rate_that_is_not_a_usable_number_through_the_api(tmp_path, rate):
    with pytest.raises(SendError, match="rate"):
        send([], SmtpSettings("127.0.0.1", 1), log_path=tmp_path / "log", rate_per_minute=rate)
