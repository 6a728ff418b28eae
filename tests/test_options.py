"""Consistent, forgiving options: any case for choices, did-you-means, dry runs without a server."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

import thankyou
from thankyou.cli import cli

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PANEL = EXAMPLES / "panel-interview.toml"


def invoke(*args: str):
    return CliRunner().invoke(cli, [*map(str, args)])


def test_paper_accepts_any_case(tmp_path):
    """--paper A4 is --paper a4: the date prints day first."""
    result = invoke("render", PANEL, "--paper", "A4", "-f", "text", "-o", tmp_path, "--today",
                    "2026-11-25")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "acme-robotics" / "tomas-oneill.txt").read_text(encoding="utf-8")
    assert "25 November 2026" in text


def test_choices_in_the_facts_accept_any_case(tmp_path):
    """delivery = "Post", paper = "A4", font = " Sans " read as post, a4, sans."""
    text = PANEL.read_text(encoding="utf-8").replace('delivery = "post"', 'delivery = "Post"')
    text = text.replace('paper      = "letter"', 'paper = "A4"')
    path = tmp_path / "interview.toml"
    path.write_text(text.replace('font       = "serif"', 'font = " Sans "'), encoding="utf-8")
    interview = thankyou.load(path)
    assert interview.panel[1].delivery is thankyou.Delivery.post
    assert (interview.style.paper, interview.style.font) == ("a4", "sans")


def test_an_unknown_choice_gets_a_did_you_mean_in_the_facts_and_on_the_command_line(tmp_path):
    """A wrong value is refused the same way in both places: the choices and the closest one."""
    text = PANEL.read_text(encoding="utf-8").replace('delivery = "post"', 'delivery = "posts"')
    path = tmp_path / "interview.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(thankyou.FactsError, match=r"did you mean 'post'\?"):
        thankyou.load(path)
    result = invoke("render", PANEL, "--paper", "A5", "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert "'A5' is not one of 'letter', 'a4'" in result.stderr


@pytest.mark.parametrize("given", ["warm", "Thank-You/Warm", "thankyou/warm"])
def test_a_short_template_name_suggests_the_full_one(tmp_path, given):
    """-t warm says: did you mean 'thank-you/warm'?"""
    result = invoke("render", PANEL, "-t", given, "-o", tmp_path)
    assert result.exit_code == 2
    assert f"no template {given!r} (did you mean 'thank-you/warm'?)" in result.stderr


def test_send_without_smtp_still_shows_its_dry_run(tmp_path):
    """Without --smtp and --yes, send lists what it would send and sends nothing."""
    result = invoke("send", PANEL)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("would send      Priya Raman")
    assert "nothing was sent (add --yes to send)" in result.stderr


def test_send_yes_without_smtp_is_bad_usage():
    """--yes needs a server: exit 2 with what to add."""
    result = invoke("send", PANEL, "--yes")
    assert result.exit_code == 2
    assert "--yes sends the letters, so it needs --smtp HOST[:PORT]" in result.stderr


def test_no_empty_log_is_left_when_nothing_was_sent(tmp_path):
    """A server that cannot be reached: the run fails, and leaves no empty send log behind."""
    facts = tmp_path / "interview.toml"
    facts.write_text(PANEL.read_text(encoding="utf-8"), encoding="utf-8")
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = invoke("send", facts, "--smtp", f"127.0.0.1:{port}", "--yes")
    assert result.exit_code == 1
    assert "error:" in result.stderr
    assert not facts.with_name("interview.toml.sent.jsonl").exists()


def test_format_email_skips_readers_without_an_address_with_a_note(tmp_path):
    """-f email: the posted letter is left out with one line saying why; the run succeeds."""
    result = invoke("render", PANEL, "-f", "email,text", "-o", tmp_path, "--today", "2026-11-25")
    assert result.exit_code == 0, result.stderr
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.*"))
    assert "acme-robotics/tomas-oneill.txt" in written
    assert "acme-robotics/tomas-oneill.eml" not in written
    assert "acme-robotics/priya-raman.eml" in written
    assert (
        "note: Tomás O'Neill has no email address (goes by post): no .eml written"
        in result.stderr.splitlines()
    )
    assert "0 failed, 0 warnings." in result.stderr
