"""Drafts over IMAP against a real Dovecot on 127.0.0.1: saved once, read back byte for byte."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from imap_server import DOVECOT, HOST, UTF8_USER, Dovecot, running
from imapclient import IMAPClient

import thankyou
from thankyou.account import MailAccount, OAuth2Token, Password
from thankyou.cli import cli
from thankyou.drafts import save_drafts
from thankyou.letter import Letter
from thankyou.models import Delivery

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    reason = None
    if DOVECOT is None:
        reason = "dovecot is not installed (apt-get install dovecot-imapd)"
    elif os.geteuid() != 0:
        reason = "Dovecot needs root to switch to the mail user `nobody`"
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must test drafts against a real Dovecot: {reason}")
        pytest.skip(reason)
    with running() as server:
        yield server


@pytest.fixture
def mailbox(dovecot) -> tuple[str, str]:
    """A fresh user (an empty mailbox with a Drafts folder) and its password."""
    return dovecot.user()


def account(dovecot: Dovecot, user: str, auth, security: str = "ssl") -> MailAccount:
    port = dovecot.imaps_port if security == "ssl" else dovecot.imap_port
    return MailAccount(HOST, port, user, security, auth, tls_context=dovecot.client_context())


def stored(dovecot: Dovecot, user: str, password: str, folder: str = "Drafts") -> list[bytes]:
    """Every message in the folder, as the server holds it, checked to carry \\Draft."""
    with IMAPClient(HOST, dovecot.imaps_port, ssl_context=dovecot.client_context()) as client:
        client.login(user, password)
        client.select_folder(folder, readonly=True)
        uids = client.search("ALL")
        found = client.fetch(uids, [b"BODY.PEEK[]", b"FLAGS"])
    assert all(b"\\Draft" in found[uid][b"FLAGS"] for uid in uids)
    return [bytes(found[uid][b"BODY[]"]) for uid in uids]


@pytest.fixture
def facts(examples_dir) -> Path:
    """The panel interview with two email letters (Mei Chen by email too) and one to post."""
    path = examples_dir / "panel-interview.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('delivery = "hand"', 'delivery = "email"'), encoding="utf-8")
    return path


@pytest.fixture
def letters(facts) -> list[Letter]:
    return thankyou.compose(thankyou.load(facts))


def _ids_normalised(data: bytes) -> bytes:
    """The message with its Message-ID, Date and MIME boundary (unique per message) blanked."""
    boundary = re.search(rb'boundary="([^"]+)"', data)
    assert boundary is not None
    data = data.replace(boundary.group(1), b"BOUNDARY")
    data = re.sub(rb"(?m)^Message-ID: .*\r$", b"Message-ID: ID\r", data)
    return re.sub(rb"(?m)^Date: .*\r$", b"Date: DATE\r", data)


# --- the API ----------------------------------------------------------------------------------


def test_drafts_are_stored_byte_for_byte_as_the_eml_files(dovecot, mailbox, letters, tmp_path):
    user, password = mailbox
    report = save_drafts(
        letters, account(dovecot, user, Password(password)), log_path=tmp_path / "d.jsonl",
        dry_run=False,
    )  # fmt: skip
    assert report.ok and report.folder == "Drafts"
    assert [e.status for e in report.entries] == ["saved", "post", "saved"]
    on_server = stored(dovecot, user, password)
    saved = [e.data for e in report.having("saved")]
    assert sorted(on_server) == sorted(saved)  # byte for byte, CRLF and all
    for entry in report.having("saved"):
        message = BytesParser(policy=policy.default).parsebytes(entry.data)
        assert message["X-Unsent"] == "1"
        assert message["Message-ID"] == entry.message_id
        assert message["To"].addresses[0].addr_spec == entry.letter.recipient.email
        # The same bytes the .eml file of this letter holds, but for the values
        # that are unique to each message (Message-ID, Date, MIME boundary).
        eml = thankyou.render(entry.letter, "email")
        assert _ids_normalised(entry.data) == _ids_normalised(eml)


def test_a_second_run_saves_nothing_again(dovecot, mailbox, letters, tmp_path):
    user, password = mailbox
    mail = account(dovecot, user, Password(password))
    first = save_drafts(letters, mail, log_path=tmp_path / "d.jsonl", dry_run=False)
    assert first.ok, first.error
    again = save_drafts(letters, mail, log_path=tmp_path / "d.jsonl", dry_run=False)
    assert [e.status for e in again.entries] == ["already-saved", "post", "already-saved"]
    assert "saved in Drafts on " in again.entries[0].detail
    assert len(stored(dovecot, user, password)) == 2


def test_a_draft_saved_but_not_logged_is_found_in_the_folder(dovecot, mailbox, letters, tmp_path):
    """A run that stopped between the server's OK and the log line: the search finds it."""
    user, password = mailbox
    mail = account(dovecot, user, Password(password))
    first = save_drafts(letters, mail, log_path=tmp_path / "d.jsonl", dry_run=False)
    (tmp_path / "d.jsonl").unlink()
    again = save_drafts(letters, mail, log_path=tmp_path / "d.jsonl", dry_run=False)
    assert [e.status for e in again.entries] == ["already-saved", "post", "already-saved"]
    assert again.entries[0].detail == "already in Drafts; now recorded"
    assert [e.message_id for e in again.having("already-saved")] == [
        e.message_id for e in first.having("saved")
    ]
    assert len(stored(dovecot, user, password)) == 2
    assert len((tmp_path / "d.jsonl").read_text().splitlines()) == 2


def test_the_same_letter_twice_in_one_run_is_saved_once(dovecot, mailbox, make_letter, tmp_path):
    user, password = mailbox
    letter = make_letter(delivery=Delivery.email, template="thank-you/email")
    report = save_drafts(
        [letter, letter], account(dovecot, user, Password(password)),
        log_path=tmp_path / "d.jsonl", dry_run=False,
    )  # fmt: skip
    assert [e.status for e in report.entries] == ["saved", "already-saved"]
    assert len(stored(dovecot, user, password)) == 1


def test_dry_run_opens_no_connection_and_writes_no_log(letters, tmp_path):
    nowhere = MailAccount(HOST, 1, "alex", auth=Password("x"))  # port 1: nothing listens
    report = save_drafts(letters, nowhere, log_path=tmp_path / "d.jsonl")
    assert report.ok and report.dry_run
    assert [e.status for e in report.entries] == ["would-save", "post", "would-save"]
    assert report.entries[0].data.startswith(b"From: ")
    assert not (tmp_path / "d.jsonl").exists()


def test_starttls_on_port_143(dovecot, mailbox, letters, tmp_path):
    user, password = mailbox
    mail = account(dovecot, user, Password(password), security="starttls")
    report = save_drafts(letters, mail, log_path=tmp_path / "d.jsonl", dry_run=False)
    assert report.ok, report.error
    assert len(stored(dovecot, user, password)) == 2


def test_an_untrusted_certificate_is_refused(dovecot, mailbox, letters, tmp_path):
    user, password = mailbox
    mail = MailAccount(HOST, dovecot.imaps_port, user, "ssl", Password(password))
    report = save_drafts(letters, mail, log_path=tmp_path / "d.jsonl", dry_run=False)
    assert report.error is not None
    assert "certificate is not trusted" in str(report.error)
    assert [e.status for e in report.entries] == ["not-attempted", "post", "not-attempted"]
    assert stored(dovecot, user, password) == []


def test_a_wrong_password_is_refused_without_showing_it(dovecot, mailbox, letters, tmp_path):
    user, _ = mailbox
    mail = account(dovecot, user, Password("wröng-pässword"))
    report = save_drafts(letters, mail, log_path=tmp_path / "d.jsonl", dry_run=False)
    message = str(report.error)
    assert f"refused the sign-in for {user!r}" in message
    assert "wröng" not in message and "ä" not in message
    log = tmp_path / "d.jsonl"
    assert not log.exists() or not log.read_text()  # nothing recorded


def test_non_ascii_user_and_password_sign_in(dovecot, letters, tmp_path):
    """AUTHENTICATE PLAIN carries UTF-8 (RFC 4616); imaplib's LOGIN is ASCII-only."""
    user, password = UTF8_USER
    report = save_drafts(
        letters, account(dovecot, user, Password(password)), log_path=tmp_path / "d.jsonl",
        dry_run=False,
    )  # fmt: skip
    assert report.ok, report.error
    with IMAPClient(HOST, dovecot.imaps_port, ssl_context=dovecot.client_context()) as client:
        client.plain_login(user, password)
        assert len(client.select_folder("Drafts", readonly=True) and client.search("ALL")) == 2


@pytest.mark.parametrize("mechanism", ["XOAUTH2", "OAUTHBEARER"])
def test_oauth2_token_signs_in(dovecot, mailbox, letters, tmp_path, mechanism):
    user, password = mailbox
    token = f"ya29.good-{user}-{mechanism}"
    dovecot.tokens[token] = user
    mail = account(dovecot, user, OAuth2Token(token, mechanism))
    report = save_drafts(letters, mail, log_path=tmp_path / "d.jsonl", dry_run=False)
    assert report.ok, report.error
    assert len(stored(dovecot, user, password)) == 2


@pytest.mark.parametrize("mechanism", ["XOAUTH2", "OAUTHBEARER"])
def test_a_bad_token_is_refused_without_showing_it(dovecot, mailbox, letters, tmp_path, mechanism):
    user, password = mailbox
    token = "ya29.expired-token-0123456789"
    mail = account(dovecot, user, OAuth2Token(token, mechanism))
    report = save_drafts(letters, mail, log_path=tmp_path / "d.jsonl", dry_run=False)
    message = str(report.error)
    assert f"refused the sign-in for {user!r}" in message
    assert "the token may have expired" in message
    assert "expired-token" not in message and "0123456789" not in message
    assert stored(dovecot, user, password) == []


def test_folder_by_name_and_a_missing_folder(dovecot, mailbox, letters, tmp_path):
    user, password = mailbox
    mail = account(dovecot, user, Password(password))
    report = save_drafts(
        letters, mail, log_path=tmp_path / "d.jsonl", dry_run=False, folder="INBOX"
    )
    assert report.ok and report.folder == "INBOX"
    assert len(stored(dovecot, user, password, "INBOX")) == 2
    missing = save_drafts(
        letters, mail, log_path=tmp_path / "e.jsonl", dry_run=False, folder="Entwürfe"
    )
    assert "has no folder 'Entwürfe'; it has: Drafts, INBOX" in str(missing.error)


# --- the command ------------------------------------------------------------------------------


def _env(dovecot: Dovecot, password: str | None = None) -> dict[str, str]:
    env = {"SSL_CERT_FILE": str(dovecot.ca_file)}  # what ssl's default context trusts
    if password is not None:
        env["THANKYOU_IMAP_PASSWORD"] = password
    return env


def test_cli_dry_run_lists_and_connects_to_nothing(facts):
    result = CliRunner().invoke(cli, ["drafts", str(facts), "--imap", f"{HOST}:1"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "would save      Priya Raman <priya.raman@acme.example>  "
        "Thank you — Senior Data Engineer interview",
        "print and post  Tomás O'Neill",
        "would save      Mei Chen <mei.chen@acme.example>  "
        "Thank you — Senior Data Engineer interview",
    ]
    assert "2 to save, 0 already saved, 1 not by email; nothing was saved" in result.stderr
    assert not facts.with_name("panel-interview.toml.drafts.jsonl").exists()


def test_cli_saves_once_however_often_it_runs(dovecot, mailbox, facts):
    user, password = mailbox
    args = ["drafts", str(facts), "--imap", f"{HOST}:{dovecot.imaps_port}", "--user", user]
    runner = CliRunner()
    first = runner.invoke(cli, [*args, "--yes"], env=_env(dovecot, password))
    assert first.exit_code == 0, first.output
    assert first.stdout.count("saved           ") == 2
    assert "2 saved in Drafts, 0 already saved, 1 not by email." in first.stderr
    again = runner.invoke(cli, [*args, "--yes"], env=_env(dovecot, password))
    assert again.exit_code == 0, again.output
    assert again.stdout.count("already saved   ") == 2
    assert "0 saved in Drafts, 2 already saved" in again.stderr
    assert facts.with_name("panel-interview.toml.drafts.jsonl").is_file()
    assert len(stored(dovecot, user, password)) == 2


def test_cli_two_runs_at_once_save_each_draft_once(dovecot, mailbox, facts):
    user, password = mailbox
    command = [
        sys.executable, "-m", "thankyou", "drafts", str(facts),
        "--imap", f"{HOST}:{dovecot.imaps_port}", "--user", user, "--yes",
    ]  # fmt: skip
    env = {**os.environ, **_env(dovecot, password)}
    runs = [
        subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    outcomes = [(run.wait(60), *(s.decode() for s in run.communicate())) for run in runs]
    for code, _out, err in outcomes:
        assert code in (0, 1) and "Traceback" not in err, err
    assert any(code == 0 for code, _, _ in outcomes), outcomes
    drafts = stored(dovecot, user, password)
    assert len(drafts) == 2
    ids = [BytesParser(policy=policy.default).parsebytes(d)["Message-ID"] for d in drafts]
    assert len(set(ids)) == 2


def test_cli_token_command_signs_in_and_a_bad_token_is_not_shown(dovecot, mailbox, facts):
    user, password = mailbox
    good, bad = f"ya29.cli-good-{user}", "ya29.cli-bad-secret-9876"
    dovecot.tokens[good] = user
    args = ["drafts", str(facts), "--imap", f"{HOST}:{dovecot.imaps_port}", "--user", user]
    command = f"{sys.executable} -c 'print(\"{bad}\")'"
    refused = CliRunner().invoke(
        cli, [*args, "--yes", "--oauth2-token-command", command], env=_env(dovecot)
    )
    assert refused.exit_code == 1
    assert f"refused the sign-in for '{user}'" in refused.stderr
    assert "bad-secret" not in refused.output and "9876" not in refused.output
    command = f"{sys.executable} -c 'print(\"{good}\")'"
    result = CliRunner().invoke(
        cli, [*args, "--yes", "--oauth2-token-command", command], env=_env(dovecot)
    )
    assert result.exit_code == 0, result.output
    assert good not in result.output
    assert len(stored(dovecot, user, password)) == 2


def test_cli_token_from_the_environment_with_oauthbearer(dovecot, mailbox, facts):
    user, password = mailbox
    token = f"ya29.env-{user}"
    dovecot.tokens[token] = user
    args = ["drafts", str(facts), "--imap", f"{HOST}:{dovecot.imap_port}", "--starttls"]
    result = CliRunner().invoke(
        cli,
        [*args, "--user", user, "--auth", "oauthbearer", "--yes"],
        env={**_env(dovecot), "THANKYOU_OAUTH2_TOKEN": token},
    )
    assert result.exit_code == 0, result.output
    assert len(stored(dovecot, user, password)) == 2


def test_cli_untrusted_certificate_is_a_clear_error(dovecot, mailbox, facts):
    user, password = mailbox
    result = CliRunner().invoke(
        cli,
        ["drafts", str(facts), "--imap", f"{HOST}:{dovecot.imaps_port}", "--user", user, "--yes"],
        env={"THANKYOU_IMAP_PASSWORD": password},
    )
    assert result.exit_code == 1
    assert "certificate is not trusted" in result.stderr
    assert "Traceback" not in result.output


def test_cleartext_only_to_this_machine(dovecot, mailbox, letters, tmp_path):
    """Without TLS the password may go to 127.0.0.1 (port 143), never to another host."""
    user, password = mailbox
    local = MailAccount(HOST, dovecot.imap_port, user, "plain", Password(password))
    assert save_drafts(letters, local, log_path=tmp_path / "a.jsonl", dry_run=False).ok
    remote = MailAccount("imap.example.com", 143, user, "plain", Password(password))
    report = save_drafts(letters, remote, log_path=tmp_path / "b.jsonl", dry_run=False)
    assert "refusing to send the credentials for" in str(report.error)
    assert password not in str(report.error)


def test_a_letter_that_cannot_be_an_email_fails_alone(dovecot, mailbox, letters, tmp_path):
    user, password = mailbox
    broken = replace(letters[0], recipient=replace(letters[0].recipient, email=None))
    report = save_drafts(
        [broken, letters[2]], account(dovecot, user, Password(password)),
        log_path=tmp_path / "d.jsonl", dry_run=False,
    )  # fmt: skip
    assert [e.status for e in report.entries] == ["failed", "saved"]
    assert "Priya Raman has no email address" in report.entries[0].detail
    assert not report.ok
    assert len(stored(dovecot, user, password)) == 1


def test_a_log_that_cannot_be_written_stops_the_run_and_says_what_to_add(
    dovecot, mailbox, letters, tmp_path, monkeypatch
):
    import errno

    from thankyou._sendlog import SendLog

    def full(self, record):
        raise OSError(errno.ENOSPC, "No space left on device")

    user, password = mailbox
    mail = account(dovecot, user, Password(password))
    monkeypatch.setattr(SendLog, "append", full)
    report = save_drafts(letters, mail, log_path=tmp_path / "d.jsonl", dry_run=False)
    message = str(report.error)
    assert "the draft to Priya Raman was saved but could not be recorded" in message
    assert "No space left on device" in message and '"key": ' in message
    assert [e.status for e in report.entries] == ["saved", "post", "not-attempted"]
    assert len(stored(dovecot, user, password)) == 1
    monkeypatch.undo()
    again = save_drafts(letters, mail, log_path=tmp_path / "d.jsonl", dry_run=False)
    assert [e.status for e in again.entries] == ["already-saved", "post", "saved"]
    assert len(stored(dovecot, user, password)) == 2


def test_implicit_tls_to_the_starttls_port_says_what_to_do(dovecot, mailbox, letters, tmp_path):
    user, password = mailbox
    mail = MailAccount(
        HOST, dovecot.imap_port, user, "ssl", Password(password),
        tls_context=dovecot.client_context(),
    )  # fmt: skip
    report = save_drafts(letters, mail, log_path=tmp_path / "d.jsonl", dry_run=False)
    assert f"TLS with {HOST}:{dovecot.imap_port} failed" in str(report.error)
    assert "expects STARTTLS (usually 143), use --starttls" in str(report.error)


def test_cli_asks_for_the_password_without_echo(dovecot, mailbox, facts):
    user, password = mailbox
    args = ["drafts", str(facts), "--imap", f"{HOST}:{dovecot.imaps_port}", "--user", user]
    result = CliRunner().invoke(
        cli, [*args, "--yes"], env={**_env(dovecot), "THANKYOU_IMAP_PASSWORD": None},
        input=password + "\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"IMAP password for {user}" in result.stderr
    assert password not in result.output
    assert len(stored(dovecot, user, password)) == 2


def test_a_non_ascii_local_part_gets_advice_drafts_can_follow(make_letter, tmp_path):
    letter = make_letter(delivery=Delivery.email, template="thank-you/email")
    letter = replace(letter, recipient=replace(letter.recipient, email="zoë@acme.example"))
    report = save_drafts([letter], MailAccount(HOST, 1), log_path=tmp_path / "d.jsonl")
    [entry] = report.entries
    assert entry.status == "failed"
    assert "'zoë@acme.example' has non-ASCII characters before the @" in entry.detail
    assert "send this letter with `thankyou send --smtputf8`" in entry.detail
    assert "allow it with --smtputf8" not in entry.detail


def test_starttls_to_the_implicit_tls_port_says_what_to_do(dovecot, mailbox, letters, tmp_path):
    user, password = mailbox
    mail = MailAccount(
        HOST, dovecot.imaps_port, user, "starttls", Password(password), timeout=1.0,
        tls_context=dovecot.client_context(),
    )  # fmt: skip
    report = save_drafts(letters, mail, log_path=tmp_path / "d.jsonl", dry_run=False)
    assert f"{HOST}:{dovecot.imaps_port}: connection failed: timed out" in str(report.error)
    assert "expects TLS from the start (usually 993), leave out --starttls" in str(report.error)
