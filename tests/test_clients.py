"""Real clients read what thankyou writes: khal imports the plan, mailparser reads the .eml files.

Both are independent of the Python libraries that wrote the files (icalendar, the
stdlib's email package). Outside CI a missing tool skips its tests with the reason;
under CI=true it fails them: .ci/run installs khal, and a fixture runs `npm ci` in tests/node.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import os
import re
import shutil
import subprocess
from dataclasses import replace
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

import thankyou
from thankyou.letter import Recipient
from thankyou.models import Candidate

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NODE_DIR = Path(__file__).resolve().parent / "node"
#: Three hours before the panel interview of examples/panel-interview.toml (14:00 -06:00).
MADE = dt.datetime(2026, 11, 24, 17, 0, tzinfo=dt.UTC)


def _need(tool: str, reason: str) -> str:
    found = shutil.which(tool)
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must check the files with a real client: {reason}")
    pytest.skip(reason)


# -- khal imports the plan -------------------------------------------------------------------------


@pytest.fixture
def khal(tmp_path: Path):
    """Run khal with a configuration of its own and a throw-away calendar, all in tmp_path."""
    binary = _need("khal", "khal is not installed; apt-get install khal")
    calendar = tmp_path / "calendar"
    calendar.mkdir()
    config = tmp_path / "khal.conf"
    config.write_text(
        f"[calendars]\n[[plan]]\npath = {calendar}\ntype = calendar\n"
        "[locale]\nlocal_timezone = UTC\ndefault_timezone = UTC\n"
        "timeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        f"[default]\ndefault_calendar = plan\n[sqlite]\npath = {tmp_path / 'khal.db'}\n",
        encoding="utf-8",
    )

    def run(*args: str) -> str:
        done = subprocess.run(
            [binary, "-c", str(config), *args], capture_output=True, text=True, timeout=60,
            env={**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)},
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "warning" not in done.stderr.lower(), done.stderr
        return done.stdout

    run.calendar = calendar  # type: ignore[attr-defined]
    return run


def _listed(khal) -> list[str]:
    out = khal("list", "--format", "{start}|{end}|{title}|{alarm-symbol}", "2026-11-01", "60d")
    return [line for line in out.splitlines() if "|" in line]


def test_khal_imports_every_step_with_its_time_and_alarm(khal, tmp_path):
    """Each step becomes a 30-minute event at its due time (UTC), titled, with an alarm."""
    plan = thankyou.plan(thankyou.load(EXAMPLES / "panel-interview.toml"), MADE)
    ics = tmp_path / "plan.ics"
    ics.write_bytes(plan.to_ics())
    khal("import", "--batch", str(ics))
    expected = sorted(
        f"{s.due.astimezone(dt.UTC):%Y-%m-%d %H:%M}|"
        f"{(s.due + dt.timedelta(minutes=30)).astimezone(dt.UTC):%Y-%m-%d %H:%M}|{s.summary}|"
        for s in plan
    )
    listed = _listed(khal)
    assert sorted(line.rsplit("|", 1)[0] + "|" for line in listed) == expected
    assert all(line.rsplit("|", 1)[1].strip() == "⏰" for line in listed)  # khal's alarm mark
    assert "2026-11-24 21:00|2026-11-24 21:30|Call the recruiter for feedback – Jordan Lee|" in (
        line.rsplit("|", 1)[0] + "|" for line in listed
    )


def test_khal_keeps_the_alarm_an_hour_ahead(khal, tmp_path):
    """The events khal stored carry the plan's reminder: a display alarm one hour before."""
    plan = thankyou.plan(thankyou.load(EXAMPLES / "panel-interview.toml"), MADE)
    ics = tmp_path / "plan.ics"
    ics.write_bytes(plan.to_ics())
    khal("import", "--batch", str(ics))
    stored = [p.read_text(encoding="utf-8") for p in khal.calendar.glob("*.ics")]
    assert len(stored) == len(plan)
    for text in stored:
        unfolded = text.replace("\r\n ", "").replace("\n ", "")
        assert re.search(r"BEGIN:VALARM\s+ACTION:DISPLAY", unfolded)
        assert "TRIGGER:-PT1H" in unfolded


def test_khal_updates_a_regenerated_plan_instead_of_doubling_it(khal, tmp_path):
    """Importing the plan again (made later) leaves one event per step, not two."""
    interview = thankyou.load(EXAMPLES / "panel-interview.toml")
    first, second = tmp_path / "first.ics", tmp_path / "second.ics"
    first.write_bytes(thankyou.plan(interview, MADE).to_ics())
    second.write_bytes(thankyou.plan(interview, MADE + dt.timedelta(minutes=7)).to_ics())
    khal("import", "--batch", str(first))
    khal("import", "--batch", str(second))
    assert len(_listed(khal)) == len(thankyou.plan(interview, MADE))


# -- mailparser reads the .eml files -----------------------------------------------------------


@pytest.fixture(scope="module")
def mailparser() -> Path:
    """tests/node with mailparser installed from its lock file (`npm ci`, once)."""
    node = _need("node", "Node.js 20+ is not installed")
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=True)
    if int(version.stdout.strip().lstrip("v").split(".")[0]) < 20:
        reason = f"mailparser needs Node.js 20+, found {version.stdout.strip()}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    if not (NODE_DIR / "node_modules" / "mailparser").is_dir():
        npm = _need("npm", "npm is not installed")
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"], cwd=NODE_DIR, capture_output=True,
            text=True, timeout=300,
        )  # fmt: skip
        if done.returncode != 0:
            reason = f"npm ci in tests/node failed: {done.stderr[-500:]}"
            if os.environ.get("CI") == "true":
                pytest.fail(reason)
            pytest.skip(reason)
    return NODE_DIR / "parse.mjs"


def _letters(make_letter):
    panel = thankyou.compose(thankyou.load(EXAMPLES / "panel-interview.toml"))
    base = next(letter for letter in panel if letter.delivery == "email")
    tricky = make_letter(
        delivery=thankyou.Delivery.email,
        sender=Candidate(name="Zoë Ñúñez-Łukasiewicz, PhD", email="zoe@example.com",
                         phone="+48 22 555 01 99"),
        recipient=Recipient(name='Tomás "Tom" O\'Neill', email="tomas@bücher.example"),
        subject="Danke — 面接のお礼 🙏" + " a long subject that must be folded" * 3,
        salutation="Dear Tomás,",
        paragraphs=("Straße & <Co> — " + "ünïcödé text " * 40, "Line one\nline two\n\nafter"),
        personal=None,
    )  # fmt: skip
    return [
        base,
        tricky,
        replace(tricky, recipient=Recipient(name="王伟", email="wei@acme.example")),
    ]


def test_mailparser_reads_the_same_headers_and_body_as_python(mailparser, make_letter, tmp_path):
    """From, To, Subject, Date, Message-ID, X-Unsent and both bodies agree between parsers."""
    paths = []
    for i, letter in enumerate(_letters(make_letter)):
        path = tmp_path / f"{i}.eml"
        path.write_bytes(thankyou.render(letter, "email"))
        paths.append(path)
    done = subprocess.run(
        ["node", str(mailparser), *map(str, paths)], capture_output=True, text=True, timeout=60,
        check=True,
    )  # fmt: skip
    for theirs in json.loads(done.stdout):
        ours = email.message_from_bytes(
            Path(theirs["path"]).read_bytes(), policy=email.policy.default
        )
        (sender,) = ours["From"].addresses
        (to,) = ours["To"].addresses
        assert theirs["from"] == [{"name": sender.display_name, "address": sender.addr_spec}]
        assert theirs["to"][0]["name"] == to.display_name
        # mailparser shows an internationalised domain in Unicode, Python as punycode.
        assert _punycode(theirs["to"][0]["address"]) == to.addr_spec
        assert theirs["subject"] == ours["Subject"]
        assert dt.datetime.fromisoformat(theirs["date"]) == parsedate_to_datetime(ours["Date"])
        assert theirs["messageId"] == ours["Message-ID"]
        assert theirs["unsent"] == ours["X-Unsent"] == "1"
        for kind in ("text", "html"):
            part = ours.get_body(("plain",) if kind == "text" else ("html",))
            assert _lines(theirs[kind]) == _lines(part.get_content())


def test_mailparser_sees_the_names_as_written(mailparser, make_letter, tmp_path):
    """Accents, quotes, a comma and CJK in display names survive RFC 2047 encoding."""
    letters = _letters(make_letter)
    paths = []
    for i, letter in enumerate(letters):
        path = tmp_path / f"{i}.eml"
        path.write_bytes(thankyou.render(letter, "email"))
        paths.append(str(path))
    done = subprocess.run(
        ["node", str(mailparser), *paths], capture_output=True, text=True, timeout=60, check=True
    )
    parsed = json.loads(done.stdout)
    assert [p["to"][0]["name"] for p in parsed] == [letter.recipient.name for letter in letters]
    assert parsed[1]["from"][0]["name"] == "Zoë Ñúñez-Łukasiewicz, PhD"
    assert parsed[1]["subject"] == letters[1].subject
    assert "Straße & <Co>" in parsed[1]["text"]
    assert "Straße &amp; &lt;Co&gt;" in parsed[1]["html"]


def _lines(text: str) -> str:
    """Line endings as LF and no trailing newline: the parsers differ only there."""
    return text.replace("\r\n", "\n").rstrip("\n")


def _punycode(address: str) -> str:
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.encode('idna').decode('ascii')}"
