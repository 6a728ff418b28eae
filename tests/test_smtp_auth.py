"""Signing in to SMTP: OAuth 2.0 (XOAUTH2, OAUTHBEARER), UTF-8 passwords, the keyring and
token commands, against a real aiosmtpd on 127.0.0.1."""

from __future__ import annotations

import base64
import contextlib
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from click.testing import CliRunner
from smtp_server import AnyPortController

from thankyou.account import (
    MailAccount,
    OAuth2Token,
    Password,
    oauthbearer_response,
    token_from_command,
)
from thankyou.cli import cli
from thankyou.drafts import save_drafts
from thankyou.errors import SendError
from thankyou.letter import Letter
from thankyou.models import Delivery
from thankyou.send import SmtpSettings, send

AUTH_WARNING = "ignore:Session.login_data is deprecated:DeprecationWarning"
pytestmark = pytest.mark.filterwarnings(AUTH_WARNING)

USER = "alex.morgan@example.com"
TOKEN = "ya29.a0-good-token-Zx81"
BAD_TOKEN = "ya29.a0-stale-token-Qw42"
UTF8_USER, UTF8_PASSWORD = "zoë@bücher.example", "pässwörd✓"


@dataclass
class Provider:
    """A mail provider's SMTP server: XOAUTH2 and OAUTHBEARER the way Gmail answers them."""

    tokens: dict[str, str] = field(default_factory=lambda: {TOKEN: USER})
    received: list[Envelope] = field(default_factory=list)
    #: What each sign-in sent, decoded: (mechanism, client response).
    attempts: list[tuple[str, bytes]] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.received.append(envelope)
        return "250 2.0.0 Queued"

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:
        response = await self._initial(server, args)
        fields = dict(part.split("=", 1) for part in response.decode().split("\x01") if "=" in part)
        return await self._check(server, "XOAUTH2", response, fields.get("user"), fields)

    async def auth_OAUTHBEARER(self, server: SMTP, args: list[str]) -> AuthResult:
        response = await self._initial(server, args)
        gs2, *rest = response.decode().split("\x01")
        fields = dict(part.split("=", 1) for part in rest if "=" in part)
        user = gs2.split(",")[1].removeprefix("a=") if gs2.startswith("n,") else None
        return await self._check(server, "OAUTHBEARER", response, user, fields)

    async def _initial(self, server: SMTP, args: list[str]) -> bytes:
        if len(args) > 1:
            return base64.b64decode(args[1])
        answer = await server.challenge_auth("")
        return answer if isinstance(answer, bytes) else b""

    async def _check(
        self, server: SMTP, mechanism: str, response: bytes, user: str | None, fields: dict
    ) -> AuthResult:
        self.attempts.append((mechanism, response))
        token = fields.get("auth", "").removeprefix("Bearer ")
        if self.tokens.get(token) == user:
            return AuthResult(success=True, auth_data=user)
        # RFC 7628 §3.2.2: an error as a challenge; the client answers, then 535 follows.
        error = {"status": "401", "schemes": "bearer", "scope": "https://mail.google.com/"}
        await server.challenge_auth(json.dumps(error))
        return AuthResult(success=False, handled=False)


@dataclass
class Running:
    port: int
    provider: Provider

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"


@pytest.fixture
def start() -> Iterator[Callable[..., Running]]:
    controllers: list[Controller] = []

    def run(provider: Provider | None = None, **smtp: Any) -> Running:
        provider = provider or Provider()
        # Loopback without TLS: thankyou allows credentials only to this machine then.
        controller = AnyPortController(
            provider, hostname="127.0.0.1", port=0, auth_require_tls=False, **smtp
        )
        controller.start()
        controllers.append(controller)
        return Running(controller.port, provider)

    yield run
    for controller in controllers:
        controller.stop()


@pytest.fixture
def letters(make_letter) -> list[Letter]:
    return [make_letter(delivery=Delivery.email, template="thank-you/email")]


def oauth_settings(server: Running, token: str, mechanism: str = "XOAUTH2") -> SmtpSettings:
    account = MailAccount("127.0.0.1", server.port, USER, "plain", OAuth2Token(token, mechanism))
    return account.smtp()


# --- OAuth 2.0 --------------------------------------------------------------------------------


@pytest.mark.parametrize("mechanism", ["XOAUTH2", "OAUTHBEARER"])
def test_oauth2_token_signs_in_and_the_letter_goes_out(start, letters, tmp_path, mechanism):
    server = start()
    report = send(
        letters, oauth_settings(server, TOKEN, mechanism), log_path=tmp_path / "s.jsonl",
        dry_run=False,
    )  # fmt: skip
    assert report.ok, report.error
    assert [r for e in server.provider.received for r in e.rcpt_tos] == ["priya.raman@acme.example"]
    used, response = server.provider.attempts[0]
    assert used == mechanism
    if mechanism == "XOAUTH2":
        assert response == f"user={USER}\x01auth=Bearer {TOKEN}\x01\x01".encode()
    else:  # RFC 7628 §3.1: GS2 header, then host, port and the bearer token
        expected = f"n,a={USER},\x01host=127.0.0.1\x01port={server.port}\x01auth=Bearer {TOKEN}"
        assert response == (expected + "\x01\x01").encode()


@pytest.mark.parametrize("mechanism", ["XOAUTH2", "OAUTHBEARER"])
def test_a_bad_token_is_refused_without_showing_it(start, letters, tmp_path, mechanism):
    server = start()
    report = send(
        letters, oauth_settings(server, BAD_TOKEN, mechanism), log_path=tmp_path / "s.jsonl",
        dry_run=False,
    )  # fmt: skip
    message = str(report.error)
    assert f"refused the login for '{USER}'" in message
    assert "the token may have expired" in message
    assert "stale-token" not in message and "Qw42" not in message
    assert base64.b64encode(BAD_TOKEN.encode()).decode()[:12] not in message
    assert server.provider.received == []
    assert [e.status for e in report.entries] == ["not-attempted"]


def test_a_server_without_the_mechanism_says_what_it_offers(start, letters, tmp_path):
    server = start(auth_exclude_mechanism=["XOAUTH2", "OAUTHBEARER"])
    report = send(
        letters, oauth_settings(server, TOKEN), log_path=tmp_path / "s.jsonl", dry_run=False
    )
    assert "does not offer XOAUTH2 sign-in (it offers: LOGIN, PLAIN)" in str(report.error)
    assert TOKEN not in str(report.error)


def test_oauthbearer_escapes_the_user_name():
    """RFC 5801 §4: "," and "=" in the authorization identity are written =2C and =3D."""
    response = oauthbearer_response("a,b=c@example.com", "tok", "imap.example.com", 993)
    assert response == (
        "n,a=a=2Cb=3Dc@example.com,\x01host=imap.example.com\x01port=993\x01auth=Bearer tok\x01\x01"
    )


def test_the_token_never_shows_in_repr():
    account = MailAccount("smtp.gmail.com", user=USER, auth=OAuth2Token(TOKEN))
    assert TOKEN not in repr(account) and TOKEN not in repr(account.smtp())
    assert "s3cret" not in repr(MailAccount("h", auth=Password("s3cret")))


# --- UTF-8 user names and passwords (RFC 4954 with RFC 4616, RFC 6532) ------------------------


def utf8_authenticator(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        UTF8_USER.encode(),
        UTF8_PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False)


@pytest.mark.parametrize("only", ["PLAIN", "LOGIN"])
def test_non_ascii_user_and_password_sign_in_as_utf8(start, letters, tmp_path, only):
    other = "LOGIN" if only == "PLAIN" else "PLAIN"
    server = start(
        authenticator=utf8_authenticator,
        auth_exclude_mechanism=[other, "XOAUTH2", "OAUTHBEARER"],
    )
    settings = SmtpSettings(
        "127.0.0.1", server.port, user=UTF8_USER, password=UTF8_PASSWORD, timeout=5
    )
    report = send(letters, settings, log_path=tmp_path / "s.jsonl", dry_run=False)
    assert report.ok, report.error
    assert len(server.provider.received) == 1


def test_a_wrong_non_ascii_password_names_no_character_of_it(start, letters, tmp_path):
    server = start(authenticator=utf8_authenticator)
    wrong = "wröng-pässwörd✓"
    settings = SmtpSettings("127.0.0.1", server.port, user=UTF8_USER, password=wrong, timeout=5)
    report = send(letters, settings, log_path=tmp_path / "s.jsonl", dry_run=False)
    message = str(report.error)
    assert f"refused the login for '{UTF8_USER}'" in message
    assert not {"ö", "ä", "✓"} & set(message)
    assert "wr" + "ö" not in message


# --- where the secret comes from --------------------------------------------------------------


FACTS = """\
company  = "Acme Robotics"
position = "Senior Data Engineer"
date     = 2026-11-24T14:00:00-06:00
highlights = ["modernising the batch pipelines into streaming ones"]

[candidate]
name  = "Alex Morgan"
email = "alex.morgan@example.com"

[[panel]]
name     = "Priya Raman"
email    = "priya.raman@acme.example"
personal = "Your question about backfilling late events has stayed with me."
"""


@pytest.fixture
def facts(tmp_path) -> Path:
    path = tmp_path / "interview.toml"
    path.write_text(FACTS, encoding="utf-8")
    return path


def _printing(text: str) -> str:
    """A token command: this Python printing ``text``."""
    return f"{sys.executable} -c 'print(\"{text}\")'"


def send_cli(facts: Path, server: Running, *extra: str, env: dict[str, str | None] | None = None):
    args = ["send", str(facts), "--smtp", server.address, "--user", USER, "--yes", *extra]
    return CliRunner().invoke(cli, args, env=env or {})


def test_cli_token_command_signs_in(start, facts):
    server = start()
    result = send_cli(facts, server, "--oauth2-token-command", _printing(TOKEN))
    assert result.exit_code == 0, result.output
    assert len(server.provider.received) == 1
    assert TOKEN not in result.output
    assert server.provider.attempts[0][0] == "XOAUTH2"


def test_cli_bad_token_exits_1_and_never_prints_it(start, facts):
    server = start()
    result = send_cli(facts, server, "--oauth2-token-command", _printing(BAD_TOKEN))
    assert result.exit_code == 1
    assert f"refused the login for '{USER}'" in result.stderr
    assert "stale-token" not in result.output and "Qw42" not in result.output
    assert server.provider.received == []


def test_cli_token_from_the_environment_with_oauthbearer(start, facts):
    server = start()
    result = send_cli(facts, server, "--auth", "oauthbearer", env={"THANKYOU_OAUTH2_TOKEN": TOKEN})
    assert result.exit_code == 0, result.output
    assert server.provider.attempts[0][0] == "OAUTHBEARER"


def test_cli_oauth_without_a_token_is_a_usage_error(start, facts):
    server = start()
    result = send_cli(facts, server, "--auth", "xoauth2", env={"THANKYOU_OAUTH2_TOKEN": None})
    assert result.exit_code == 2
    assert "needs a token: set $THANKYOU_OAUTH2_TOKEN or give --oauth2-token-command" in (
        result.stderr
    )


def test_cli_token_command_that_fails_says_so_without_its_output(start, facts):
    server = start()
    command = (
        f"{sys.executable} -c \"import sys; print('{BAD_TOKEN}'); "
        "sys.stderr.write('login expired\\n'); sys.exit(3)\""
    )
    result = send_cli(facts, server, "--oauth2-token-command", command)
    assert result.exit_code == 1
    assert "failed (exit status 3): login expired" in result.stderr
    assert "stale-token" not in result.output
    assert server.provider.attempts == []


def test_token_command_errors(tmp_path):
    with pytest.raises(SendError, match="cannot run the token command 'no-such-tool-xyz'"):
        token_from_command("no-such-tool-xyz --account me")
    with pytest.raises(SendError, match="printed nothing"):
        token_from_command(f"{sys.executable} -c pass")
    with pytest.raises(SendError, match=r"did not finish within 0\.5 s"):
        token_from_command(f"{sys.executable} -c 'import time; time.sleep(5)'", timeout=0.5)
    with pytest.raises(SendError, match="cannot be split into words"):
        token_from_command("oama access 'unclosed")
    # No shell: a ; is an argument, not a second command.
    marker = tmp_path / "ran"
    assert (
        token_from_command(
            f"{sys.executable} -c 'import sys; print(len(sys.argv))' ; touch {marker}"
        )
        == "4"
    )
    assert not marker.exists()


@pytest.fixture
def memory_keyring() -> Iterator[dict[tuple[str, str], str]]:
    """The system keyring, replaced for the test by one in memory."""
    keyring = pytest.importorskip("keyring")
    from keyring.backend import KeyringBackend

    stored: dict[tuple[str, str], str] = {}

    class Memory(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def get_password(self, service: str, username: str) -> str | None:
            return stored.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            stored[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            stored.pop((service, username), None)

    before = keyring.get_keyring()
    keyring.set_keyring(Memory())
    yield stored
    keyring.set_keyring(before)


def test_cli_password_from_the_keyring(start, facts, memory_keyring):
    memory_keyring[("127.0.0.1", UTF8_USER)] = UTF8_PASSWORD
    server = start(authenticator=utf8_authenticator)
    args = ["send", str(facts), "--smtp", server.address, "--user", UTF8_USER, "--yes"]
    result = CliRunner().invoke(cli, args, env={"THANKYOU_SMTP_PASSWORD": None})
    assert result.exit_code == 0, result.output
    assert "password for" not in result.stderr  # no prompt: the keyring had it
    assert len(server.provider.received) == 1


def test_cli_empty_token_command_is_an_error_not_a_password_prompt(facts):
    args = ["send", str(facts), "--smtp", "127.0.0.1:1", "--user", USER, "--yes"]
    result = CliRunner().invoke(
        cli, [*args, "--oauth2-token-command", ""], env={"THANKYOU_SMTP_PASSWORD": None}
    )
    assert result.exit_code == 1, result.output
    assert "error: --oauth2-token-command is empty" in result.stderr
    assert "password for" not in result.stderr


@pytest.mark.parametrize(("command", "env"), [("send", "SMTP"), ("drafts", "IMAP")])
def test_cli_no_password_and_nothing_to_read_it_from_says_where_one_can_come_from(
    facts, command, env
):
    server = "--smtp" if command == "send" else "--imap"
    args = [command, str(facts), server, "127.0.0.1:1", "--user", USER, "--yes"]
    result = CliRunner().invoke(cli, args, env={f"THANKYOU_{env}_PASSWORD": None}, input="")
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[-1] == (
        f"error: no {env} password for '{USER}': set $THANKYOU_{env}_PASSWORD, store it with "
        f"`keyring set 127.0.0.1 {USER}`, or run the command in a terminal to be asked for it"
    )
    assert "Aborted" not in result.output


def test_starttls_to_a_port_that_says_nothing_suggests_ssl(letters, tmp_path):
    import socket

    with socket.socket() as silent:  # like port 465: it waits for a TLS hello, says nothing
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        settings = SmtpSettings("127.0.0.1", port, security="starttls", timeout=0.5)
        report = send(letters, settings, log_path=tmp_path / "s.jsonl", dry_run=False)
    assert f"cannot connect to 127.0.0.1:{port}: " in str(report.error)
    assert "timed out" in str(report.error)
    assert "(usually 465), use --ssl, not --starttls" in str(report.error)


@pytest.mark.parametrize("mechanism", ["XOAUTH2", "OAUTHBEARER"])
def test_a_server_that_echoes_the_sign_in_never_shows_the_token(mechanism):
    """Some servers quote the command they refuse; the base64 response holds the token."""
    from thankyou._smtp import redact

    settings = SmtpSettings(
        "smtp.example.com", 587, USER, security="starttls", oauth2=OAuth2Token(TOKEN, mechanism)
    )
    response = (
        oauthbearer_response(USER, TOKEN, "smtp.example.com", 587)
        if mechanism == "OAUTHBEARER"
        else f"user={USER}\x01auth=Bearer {TOKEN}\x01\x01"
    )
    echoed = base64.b64encode(response.encode()).decode()
    said = redact(f"500 5.5.2 unrecognised: AUTH {mechanism} {echoed}", settings)
    assert said == f"500 5.5.2 unrecognised: AUTH {mechanism} ***"


@pytest.fixture
def echoing_imap() -> Iterator[int]:
    """An IMAP server that rejects AUTHENTICATE, echoing the client's response (RFC 9051)."""
    import socket
    import threading

    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(10)

    def serve() -> None:
        with contextlib.suppress(OSError), listener.accept()[0] as conn:
            conn.settimeout(10)
            lines = conn.makefile("rb")
            conn.sendall(b"* OK [CAPABILITY IMAP4rev1 AUTH=OAUTHBEARER] ready\r\n")
            for line in lines:
                tag, _, command = line.decode().strip().partition(" ")
                if command.upper().startswith("CAPABILITY"):
                    capability = "* CAPABILITY IMAP4rev1 AUTH=OAUTHBEARER"
                    conn.sendall(f"{capability}\r\n{tag} OK done\r\n".encode())
                elif command.upper().startswith("AUTHENTICATE"):
                    conn.sendall(b"+ \r\n")
                    echoed = lines.readline().decode().strip()
                    conn.sendall(f"{tag} BAD {echoed}\r\n".encode())
                else:
                    conn.sendall(f"* BYE\r\n{tag} OK bye\r\n".encode())
                    return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    listener.close()
    thread.join(10)


def test_an_imap_error_never_shows_the_oauthbearer_response(letters, tmp_path, echoing_imap):
    """A server that echoes the OAUTHBEARER response back in its error: the token stays out."""
    account = MailAccount(
        "127.0.0.1", echoing_imap, USER, "plain", OAuth2Token(TOKEN, "OAUTHBEARER"), timeout=10
    )
    report = save_drafts(letters, account, log_path=tmp_path / "d.jsonl", dry_run=False)
    assert report.error is not None
    said = str(report.error)
    response = oauthbearer_response(USER, TOKEN, "127.0.0.1", echoing_imap)
    assert "BAD [b'***']" in said  # imaplib quotes the reply it could not parse
    assert TOKEN not in said and base64.b64encode(response.encode()).decode() not in said


def test_a_token_is_not_sent_in_clear_text_and_is_called_a_token(letters, tmp_path):
    settings = SmtpSettings("smtp.example.com", 25, USER, oauth2=OAuth2Token(TOKEN))
    report = send(letters, settings, log_path=tmp_path / "s.jsonl", dry_run=False)
    assert f"refusing to send the token for '{USER}' unencrypted to smtp.example.com" in str(
        report.error
    )


def test_an_ipv6_server_is_written_with_brackets(letters, tmp_path):
    from thankyou._imap import address

    assert SmtpSettings("::1", 2525).address == "[::1]:2525"
    assert address(MailAccount("::1", security="starttls")) == "[::1]:143"
    assert address(MailAccount("imap.example.com")) == "imap.example.com:993"


def test_cli_a_token_in_the_environment_is_used_without_auth(start, facts):
    """README: xoauth2 is the default with a token, from a command or the environment."""
    server = start()
    env = {"THANKYOU_OAUTH2_TOKEN": TOKEN, "THANKYOU_SMTP_PASSWORD": None}
    result = send_cli(facts, server, env=env)
    assert result.exit_code == 0, result.output
    assert "password for" not in result.stderr
    assert server.provider.attempts[0][0] == "XOAUTH2"
    assert len(server.provider.received) == 1
