"""Sending over SMTP, exactly once (docs/design/guarantees.md), against a real aiosmtpd."""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import ssl
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from click.testing import CliRunner
from smtp_server import AnyPortController

from thankyou.cli import cli
from thankyou.errors import SendError
from thankyou.letter import Letter
from thankyou.models import Delivery
from thankyou.send import SmtpSettings, letter_key, read_log, send

USER, PASSWORD = "alex", "correct horse battery staple"
# aiosmtpd 1.4 itself sets the deprecated Session.login_data after every
# successful AUTH; with filterwarnings=error that would fail its handler.
AUTH_WARNING = "ignore:Session.login_data is deprecated:DeprecationWarning"


# --- the server -------------------------------------------------------------------------------


@dataclass
class Mailbox:
    """What the test server received, and how it should misbehave."""

    received: list[Envelope] = field(default_factory=list)
    #: 1-based numbers of DATA commands to refuse with 550.
    refuse: set[int] = field(default_factory=set)
    #: 1-based numbers of DATA commands after which to hang up without replying.
    hang_up: set[int] = field(default_factory=set)
    attempts: int = 0

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str | None:
        self.attempts += 1
        if self.attempts in self.refuse:
            return "550 5.7.1 Refused for the test"
        self.received.append(envelope)
        if self.attempts in self.hang_up:
            server.transport.close()  # the message was taken, but the client never hears so
            return None
        return "250 2.0.0 Queued"

    def messages(self) -> list[EmailMessage]:
        return [
            BytesParser(policy=policy.default).parsebytes(e.original_content) for e in self.received
        ]

    def recipients(self) -> list[str]:
        return [r for e in self.received for r in e.rcpt_tos]


@dataclass
class Server:
    host: str
    port: int
    mailbox: Mailbox

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


@pytest.fixture
def start_server() -> Iterator[Callable[..., Server]]:
    """Start aiosmtpd servers on 127.0.0.1 (keywords go to aiosmtpd's SMTP); stop them after."""
    running: list[Controller] = []

    def start(mailbox: Mailbox | None = None, **smtp: Any) -> Server:
        mailbox = mailbox or Mailbox()
        controller = AnyPortController(mailbox, hostname="127.0.0.1", port=0, **smtp)
        controller.start()
        running.append(controller)
        return Server("127.0.0.1", controller.port, mailbox)

    yield start
    for controller in running:
        controller.stop()


@pytest.fixture
def server(start_server) -> Server:
    return start_server()


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls(ca) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A server context with a certificate for 127.0.0.1, and a client context that trusts it."""
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_context)
    client_context = ssl.create_default_context()
    ca.configure_trust(client_context)
    return server_context, client_context


def authenticator(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    # handled=False: let aiosmtpd answer 535 itself (True means "I already replied").
    return AuthResult(success=ok, handled=False)


# --- letters and facts ------------------------------------------------------------------------


@pytest.fixture
def letters(make_letter) -> list[Letter]:
    """Two email letters (one to 'Smith, John' at an IDN domain), one to post, one by hand."""
    first = make_letter(delivery=Delivery.email, template="thank-you/email")
    second = replace(
        first,
        recipient=replace(first.recipient, name="Smith, John", email="john.smith@bücher.example"),
        salutation="Dear Mr. Smith,",
    )
    posted = replace(
        first,
        delivery=Delivery.post,
        recipient=replace(first.recipient, name="Tomás O'Neill", email=None),
    )
    handed = replace(
        first,
        delivery=Delivery.hand,
        recipient=replace(first.recipient, name="Mei Chen", email=None),
    )
    return [first, posted, second, handed]


FACTS = """\
company  = "Acme Robotics"
position = "Senior Data Engineer"
date     = 2026-11-24T14:00:00-06:00
highlights = ["modernising the batch pipelines into streaming ones"]

[candidate]
name  = "Alex Morgan"
email = "alex.morgan@example.com"
phone = "+1 555 010 0199"

[[panel]]
name     = "Priya Raman"
email    = "priya.raman@acme.example"
personal = "Your question about backfilling late events has stayed with me."

[[panel]]
name     = "Smith, John"
email    = "john.smith@bücher.example"
personal = "Thank you for the tour of the on-call runbooks."

[[panel]]
name     = "Tomás O'Neill"
delivery = "post"
address  = ["Acme Robotics", "400 Industrial Way", "Springfield, IL 62704"]
personal = "Your point that a good alert names its own first step stays with me."
"""


@pytest.fixture
def facts(tmp_path) -> Path:
    path = tmp_path / "interview.toml"
    path.write_text(FACTS, encoding="utf-8")
    return path


def run(*args: str, env: dict[str, str] | None = None, input: str | None = None):
    return CliRunner().invoke(cli, ["send", *args], env=env, input=input, catch_exceptions=False)


def settings_for(server: Server, **changes: Any) -> SmtpSettings:
    return SmtpSettings(server.host, server.port, timeout=5, **changes)


# --- the API ----------------------------------------------------------------------------------


def test_dry_run_sends_nothing_and_writes_nothing(server, letters, tmp_path):
    """Without dry_run=False nothing is connected to, sent or logged."""
    log = tmp_path / "sent.jsonl"
    report = send(letters, settings_for(server), log_path=log)
    assert server.mailbox.attempts == 0 and not log.exists()
    assert [e.status for e in report.entries] == ["would-send", "post", "would-send", "hand"]
    assert [e.detail for e in report.having("post", "hand")] == ["print and post", "hand over"]


def test_sends_one_message_per_email_recipient(server, letters, tmp_path):
    """Each email letter arrives once; its bytes parse back to the same names, subject and parts."""
    report = send(letters, settings_for(server), log_path=tmp_path / "sent.jsonl", dry_run=False)
    assert report.ok and len(report.having("sent")) == 2
    assert server.mailbox.recipients() == [
        "priya.raman@acme.example",
        "john.smith@xn--bcher-kva.example",
    ]
    assert {e.mail_from for e in server.mailbox.received} == {"alex.morgan@example.com"}
    first, second = server.mailbox.messages()
    assert first["To"].addresses[0].display_name == "Priya Raman"
    (smith,) = second["To"].addresses
    assert (smith.display_name, smith.domain) == ("Smith, John", "xn--bcher-kva.example")
    assert str(first["Subject"]) == letters[0].subject
    assert first["From"].addresses[0].display_name == "Alex Morgan"
    plain = second.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert plain.startswith("Dear Mr. Smith,\n\n")
    assert "Dear Mr. Smith," in second.get_body(("html",)).get_content()


def test_sent_messages_carry_the_send_time(server, letters, tmp_path):
    """The Date header is when the run began, not the day the letter was composed."""
    old = [replace(letter, date=dt.date(2020, 1, 1)) for letter in letters]
    before = dt.datetime.now().astimezone().replace(microsecond=0)
    send(old, settings_for(server), log_path=tmp_path / "log", dry_run=False)
    when = server.mailbox.messages()[0]["Date"].datetime
    assert before <= when <= dt.datetime.now().astimezone()


def test_rerun_sends_nothing(server, letters, tmp_path):
    """What the log holds is skipped on the next run, even when composed on another day."""
    log = tmp_path / "sent.jsonl"
    send(letters, settings_for(server), log_path=log, dry_run=False)
    again = [replace(letter, date=letter.date + dt.timedelta(days=1)) for letter in letters]
    report = send(again, settings_for(server), log_path=log, dry_run=False)
    assert server.mailbox.attempts == 2
    assert [e.status for e in report.entries] == ["already-sent", "post", "already-sent", "hand"]
    assert len(log.read_text().splitlines()) == 2


def test_refused_message_stops_the_run_and_a_rerun_finishes_it(
    start_server, letters, make_letter, tmp_path
):
    """A 550 on the second message stops; the rerun on a healthy server sends only the rest."""
    third = replace(
        letters[0],
        recipient=replace(letters[0].recipient, name="Ann Lee", email="ann@acme.example"),
    )
    letters = [*letters, third]
    log = tmp_path / "sent.jsonl"
    flaky = start_server(Mailbox(refuse={2}))
    report = send(letters, settings_for(flaky), log_path=log, dry_run=False)
    assert not report.ok
    assert [e.status for e in report.having("sent", "failed", "not-attempted")] == [
        "sent",
        "failed",
        "not-attempted",
    ]
    assert "550 5.7.1 Refused for the test" in str(report.error)
    assert "run the same command again" in str(report.error)
    assert flaky.mailbox.recipients() == ["priya.raman@acme.example"]

    healthy = start_server()
    report = send(letters, settings_for(healthy), log_path=log, dry_run=False)
    assert report.ok
    assert healthy.mailbox.recipients() == ["john.smith@xn--bcher-kva.example", "ann@acme.example"]
    everyone = flaky.mailbox.recipients() + healthy.mailbox.recipients()
    assert sorted(everyone) == sorted(set(everyone))  # exactly one delivery each


def test_lost_confirmation_is_logged_as_in_doubt_and_never_resent(start_server, letters, tmp_path):
    """The server took the message but hung up before saying so: not sent again (no duplicates)."""
    log = tmp_path / "sent.jsonl"
    dropper = start_server(Mailbox(hang_up={1}))
    report = send(letters, settings_for(dropper), log_path=log, dry_run=False)
    assert [e.status for e in report.having("uncertain")] == ["uncertain"]
    assert "may have arrived" in str(report.error)
    assert json.loads(log.read_text())["status"] == "uncertain"

    healthy = start_server()
    report = send(letters, settings_for(healthy), log_path=log, dry_run=False)
    assert healthy.mailbox.recipients() == ["john.smith@xn--bcher-kva.example"]
    assert report.having("uncertain")[0].letter.recipient.name == "Priya Raman"
    assert "delete its line" in report.having("uncertain")[0].detail
    assert not report.ok


def test_limit_and_rerun(server, letters, tmp_path):
    """--limit 1 sends one message; the next run sends the other."""
    log = tmp_path / "sent.jsonl"
    report = send(letters, settings_for(server), log_path=log, dry_run=False, limit=1)
    assert len(report.having("sent")) == 1 and len(report.having("not-attempted")) == 1
    assert report.ok
    send(letters, settings_for(server), log_path=log, dry_run=False, limit=1)
    assert len(server.mailbox.received) == 2


def test_rate_spaces_the_messages(server, letters, tmp_path):
    """rate_per_minute=600 leaves at least 0.1 s between two messages."""
    start = time.monotonic()
    send(
        letters, settings_for(server), log_path=tmp_path / "log", dry_run=False, rate_per_minute=600
    )
    assert time.monotonic() - start >= 0.1
    assert len(server.mailbox.received) == 2


def test_bcc_self_is_in_the_envelope_only(server, letters, tmp_path):
    """The candidate gets a copy, but no Bcc header tells the reader so."""
    send(letters[:1], settings_for(server), log_path=tmp_path / "log", dry_run=False, bcc_self=True)
    (envelope,) = server.mailbox.received
    assert envelope.rcpt_tos == ["priya.raman@acme.example", "alex.morgan@example.com"]
    assert b"\r\nBcc:" not in envelope.original_content


def test_a_letter_that_cannot_be_built_fails_alone(server, letters, tmp_path):
    """A hostile subject is refused before connecting; the other letters still go."""
    bad = replace(letters[0], subject="Hi =?UTF-8?Q?=0A?=Bcc: evil@example.com")
    report = send(
        [bad, *letters[1:]], settings_for(server), log_path=tmp_path / "log", dry_run=False
    )
    assert [e.status for e in report.entries] == ["failed", "post", "sent", "hand"]
    assert "encoded word" in report.entries[0].detail
    assert server.mailbox.recipients() == ["john.smith@xn--bcher-kva.example"]
    assert not report.ok


def test_smtputf8_reaches_a_server_that_offers_it(start_server, letters, tmp_path):
    """A non-ASCII local part goes out with SMTPUTF8 (RFC 6531) when allowed."""
    server = start_server(enable_SMTPUTF8=True)
    letter = replace(letters[0], recipient=replace(letters[0].recipient, email="zoë@example.com"))
    refused = send([letter], settings_for(server), log_path=tmp_path / "a", dry_run=False)
    assert "SMTPUTF8" in refused.entries[0].detail
    report = send(
        [letter], settings_for(server), log_path=tmp_path / "b", dry_run=False, smtputf8=True
    )
    assert report.ok
    assert server.mailbox.recipients() == ["zoë@example.com"]


@pytest.mark.filterwarnings(AUTH_WARNING)
def test_auth_over_starttls(start_server, tls, letters, tmp_path):
    """STARTTLS with a certificate the test made, then AUTH: delivered, password nowhere."""
    server_context, client_context = tls
    server = start_server(
        tls_context=server_context, require_starttls=True, authenticator=authenticator
    )
    settings = settings_for(
        server, user=USER, password=PASSWORD, security="starttls", tls_context=client_context
    )
    log = tmp_path / "sent.jsonl"
    report = send(letters, settings, log_path=log, dry_run=False)
    assert report.ok and len(server.mailbox.received) == 2
    assert PASSWORD not in repr(settings) and PASSWORD not in log.read_text()


def test_wrong_password_is_refused_without_showing_it(start_server, tls, letters, tmp_path):
    """A refused login stops before any message; neither report nor error holds the password."""
    server_context, client_context = tls
    server = start_server(
        tls_context=server_context, require_starttls=True, authenticator=authenticator
    )
    settings = settings_for(
        server,
        user=USER,
        password="wrong " + PASSWORD,
        security="starttls",
        tls_context=client_context,
    )
    report = send(letters, settings, log_path=tmp_path / "log", dry_run=False)
    assert "refused the login for 'alex'" in str(report.error)
    assert PASSWORD not in str(report.error) and PASSWORD not in repr(report)
    assert server.mailbox.received == [] and not (tmp_path / "log").exists()  # no empty log


def test_untrusted_certificate_is_refused(start_server, tls, letters, tmp_path):
    """The system trust store does not know the test CA: STARTTLS fails, nothing is sent."""
    server_context, _ = tls
    server = start_server(tls_context=server_context, require_starttls=True)
    report = send(
        letters, settings_for(server, security="starttls"), log_path=tmp_path / "log", dry_run=False
    )
    assert "certificate is not trusted" in str(report.error)
    assert server.mailbox.attempts == 0


@pytest.mark.filterwarnings(AUTH_WARNING)
def test_implicit_tls(start_server, tls, letters, tmp_path):
    """security='ssl' speaks TLS from the first byte (RFC 8314)."""
    server_context, client_context = tls
    # aiosmtpd counts only STARTTLS as TLS for auth_require_tls, so lift it here.
    server = start_server(
        ssl_context=server_context, authenticator=authenticator, auth_require_tls=False
    )
    settings = settings_for(
        server, user=USER, password=PASSWORD, security="ssl", tls_context=client_context
    )
    report = send(letters, settings, log_path=tmp_path / "log", dry_run=False)
    assert report.ok, report.error
    assert len(server.mailbox.received) == 2


def test_no_password_over_a_cleartext_connection(letters, tmp_path):
    """A login without TLS to anything but this machine is refused before connecting."""
    settings = SmtpSettings("smtp.example.invalid", 25, user=USER, password=PASSWORD)
    report = send(letters, settings, log_path=tmp_path / "log", dry_run=False)
    assert "use --starttls or --ssl" in str(report.error)
    assert PASSWORD not in str(report.error)


def test_unreachable_server_says_how_to_resume(letters, tmp_path):
    """A refused connection reports nothing sent and how to try again."""
    report = send(
        letters, SmtpSettings("127.0.0.1", 1, timeout=2), log_path=tmp_path / "log", dry_run=False
    )
    assert "cannot connect to 127.0.0.1:1" in str(report.error)
    assert "nothing was sent" in str(report.error)
    assert [e.status for e in report.having("not-attempted")] == ["not-attempted"] * 2


def test_damaged_log_is_an_error_naming_the_line(server, letters, tmp_path):
    """Guessing past a broken line could send a letter twice, so it stops instead."""
    log = tmp_path / "sent.jsonl"
    log.write_text('{"key": "abc", "status": "sent"}\n{"key": "tru\n')
    with pytest.raises(SendError, match=r"sent\.jsonl:2: .*damaged"):
        send(letters, settings_for(server), log_path=log, dry_run=False)
    assert server.mailbox.attempts == 0


def test_log_in_use_by_another_run(server, letters, tmp_path, monkeypatch):
    """Two runs on one log at once could both send; the second is refused."""
    monkeypatch.setattr("thankyou._sendlog.LOCK_WAIT", 0.2)  # rather than wait 10 s
    log = tmp_path / "sent.jsonl"
    with log.open("ab") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        report = send(letters, settings_for(server), log_path=log, dry_run=False)
    assert "another thankyou run is using" in str(report.error)
    assert server.mailbox.attempts == 0


def test_letter_key_survives_new_dates_and_wording(letters):
    """The key ignores date, subject and wording, but not template, recipient or position."""
    letter = letters[0]
    key = letter_key(letter)
    assert (
        letter_key(
            replace(letter, date=dt.date(2030, 1, 1), subject="Fixed typo", paragraphs=("x",))
        )
        == key
    )
    assert (
        letter_key(
            replace(letter, recipient=replace(letter.recipient, email="PRIYA.RAMAN@acme.example"))
        )
        == key
    )
    assert letter_key(replace(letter, template="follow-up/status")) != key
    assert letter_key(replace(letter, position="Staff Engineer")) != key
    assert letter_key(letters[2]) != key


def test_read_log_keeps_the_first_outcome(tmp_path):
    """An uncertain line followed by a sent one for the same key: the first is what happened."""
    log = tmp_path / "log"
    log.write_text('{"key": "k", "status": "uncertain"}\n\n{"key": "k", "status": "sent"}\n')
    assert read_log(log)["k"]["status"] == "uncertain"
    assert read_log(tmp_path / "missing") == {}


# --- the command ------------------------------------------------------------------------------


def test_cli_dry_run_lists_and_sends_nothing(server, facts):
    """Without --yes: recipient, subject and count are printed, nothing is sent, exit 0."""
    result = run(str(facts), "--smtp", server.address)
    assert result.exit_code == 0, result.stderr
    assert server.mailbox.attempts == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("would send      Priya Raman <priya.raman@acme.example>  Thank you")
    assert lines[1].startswith("would send      Smith, John <john.smith@bücher.example>")
    assert lines[2] == "print and post  Tomás O'Neill"
    assert (
        "2 to send, 0 already sent, 1 not by email; nothing was sent (add --yes to send)."
        in result.stderr
    )
    assert not facts.with_name("interview.toml.sent.jsonl").exists()


def test_cli_sends_then_skips_on_rerun(server, facts):
    """--yes sends one message per email member and logs beside the facts; a rerun sends nothing."""
    result = run(str(facts), "--smtp", server.address, "--yes")
    assert result.exit_code == 0, result.stderr
    assert server.mailbox.recipients() == [
        "priya.raman@acme.example",
        "john.smith@xn--bcher-kva.example",
    ]
    names = [m["To"].addresses[0].display_name for m in server.mailbox.messages()]
    assert names == ["Priya Raman", "Smith, John"]
    log = facts.with_name("interview.toml.sent.jsonl")
    assert len(log.read_text(encoding="utf-8").splitlines()) == 2
    again = run(str(facts), "--smtp", server.address, "--yes")
    assert again.exit_code == 0
    assert server.mailbox.attempts == 2
    assert again.stdout.count("already sent") == 2
    assert "0 sent, 2 already sent, 1 not by email." in again.stderr


def test_cli_failure_exits_1_and_rerun_finishes(start_server, facts, tmp_path):
    """A refused message: exit 1 with a resume hint; the rerun sends only what is left."""
    log = tmp_path / "custom.jsonl"
    flaky = start_server(Mailbox(refuse={2}))
    result = run(str(facts), "--smtp", flaky.address, "--yes", "--log", str(log))
    assert result.exit_code == 1
    assert "550 5.7.1 Refused for the test" in result.stderr
    assert "run the same command again" in result.stderr
    healthy = start_server()
    result = run(str(facts), "--smtp", healthy.address, "--yes", "--log", str(log))
    assert result.exit_code == 0, result.stderr
    assert flaky.mailbox.recipients() + healthy.mailbox.recipients() == [
        "priya.raman@acme.example",
        "john.smith@xn--bcher-kva.example",
    ]


@pytest.mark.filterwarnings(AUTH_WARNING)
def test_cli_starttls_auth_with_password_from_environment(start_server, tls, ca, facts, tmp_path):
    """--starttls --user: the password comes from THANKYOU_SMTP_PASSWORD and is never printed."""
    server_context, _ = tls
    server = start_server(
        tls_context=server_context, require_starttls=True, authenticator=authenticator
    )
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    env = {"THANKYOU_SMTP_PASSWORD": PASSWORD, "SSL_CERT_FILE": str(bundle)}
    result = run(
        str(facts), "--smtp", server.address, "--starttls", "--user", USER, "--yes", env=env
    )
    assert result.exit_code == 0, result.stderr
    assert len(server.mailbox.received) == 2
    everything = (
        result.stdout + result.stderr + facts.with_name("interview.toml.sent.jsonl").read_text()
    )
    assert PASSWORD not in everything


@pytest.mark.filterwarnings(AUTH_WARNING)
def test_cli_prompts_for_the_password_without_echo(start_server, tls, ca, facts, tmp_path):
    """No environment variable: a hidden prompt on stderr; the typed password is not shown."""
    server_context, _ = tls
    server = start_server(
        tls_context=server_context, require_starttls=True, authenticator=authenticator
    )
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    env = {"THANKYOU_SMTP_PASSWORD": None, "SSL_CERT_FILE": str(bundle)}
    args = (str(facts), "--smtp", server.address, "--starttls", "--user", USER, "--yes")
    result = run(*args, env=env, input=PASSWORD + "\n")
    assert result.exit_code == 0, result.stderr
    assert "SMTP password for alex" in result.stderr
    assert PASSWORD not in result.stdout + result.stderr


def test_cli_wrong_password_exits_1_without_showing_it(start_server, tls, ca, facts, tmp_path):
    """A refused login is an error that names the user, never the password."""
    server_context, _ = tls
    server = start_server(
        tls_context=server_context, require_starttls=True, authenticator=authenticator
    )
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    env = {"THANKYOU_SMTP_PASSWORD": "nope-" + PASSWORD, "SSL_CERT_FILE": str(bundle)}
    result = run(
        str(facts), "--smtp", server.address, "--starttls", "--user", USER, "--yes", env=env
    )
    assert result.exit_code == 1
    assert "refused the login for 'alex'" in result.stderr
    assert PASSWORD not in result.stdout + result.stderr


def test_cli_dry_run_needs_no_password(server, facts):
    """The dry run never asks for the password (nothing to log in to)."""
    result = run(
        str(facts), "--smtp", server.address, "--user", USER, env={"THANKYOU_SMTP_PASSWORD": None}
    )
    assert result.exit_code == 0
    assert "password" not in result.stderr.lower()


@pytest.mark.parametrize(
    "args",
    [
        ["--starttls", "--ssl"],
        ["--smtp", "host:notaport"],
        ["--rate", "fast"],
        ["--limit", "0"],
        ["-t", "no/such-template"],
    ],
)
def test_cli_bad_usage_exits_2(facts, args):
    """Conflicting or malformed options are usage errors."""
    base = ["--smtp", "127.0.0.1:25"] if "--smtp" not in args else []
    result = CliRunner().invoke(cli, ["send", str(facts), *base, *args])
    assert result.exit_code == 2, result.output


def test_cli_password_is_not_an_option(facts):
    """There is no --password: secrets on the command line end up in shell history."""
    result = CliRunner().invoke(cli, ["send", str(facts), "--smtp", "h", "--password", "x"])
    assert result.exit_code == 2


def test_cli_limit_and_rate(server, facts):
    """--limit 1 --rate 600/min sends one message; the summary says one is left."""
    result = run(str(facts), "--smtp", server.address, "--yes", "--limit", "1", "--rate", "600/min")
    assert result.exit_code == 0, result.stderr
    assert len(server.mailbox.received) == 1
    assert "1 left for another run" in result.stderr


def test_cli_example_file(server, examples_dir):
    """The shipped example sends to its one email member; the others are print/hand-over."""
    result = run(str(examples_dir / "panel-interview.toml"), "--smtp", server.address, "--yes")
    assert result.exit_code == 0, result.stderr
    assert server.mailbox.recipients() == ["priya.raman@acme.example"]
    assert "print and post  Tomás O'Neill" in result.stdout
    assert "hand over       Mei Chen" in result.stdout
