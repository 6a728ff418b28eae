"""`render` runs the checks that concern its letters; placeholders from `new`; the new warnings."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import thankyou
from thankyou.checks import check
from thankyou.cli import cli

PERSONAL = "Your question about backfilling late events has stayed with me."
FACTS: dict[str, Any] = {
    "company": "Acme Robotics",
    "position": "Data Engineer",
    "date": "2026-11-24T14:00:00-06:00",
    "decision_within_days": 5,
    "highlights": ["streaming pipelines"],
    "candidate": {"name": "Alex Morgan", "email": "alex.morgan@example.com"},
    "panel": [
        {"name": "Priya Raman", "email": "priya.raman@acme.example", "personal": PERSONAL},
        {"name": "Mei Chen", "delivery": "hand", "personal": "Thank you for the tour."},
    ],
    "references": [{"name": "Sam Ortiz", "email": "sam.ortiz@brightline.example"}],
}
DAY_AFTER = "2026-11-25"


def write(tmp_path: Path, **changes: Any) -> Path:
    data = json.loads(json.dumps(FACTS))
    for key, value in changes.items():
        if key.startswith("panel_"):
            data["panel"][int(key.removeprefix("panel_"))].update(value)
        else:
            data[key] = value
    path = tmp_path / "interview.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def render(tmp_path: Path, facts: Path, *more: str) -> Result:
    args = ["render", str(facts), "-f", "text", "-o", str(tmp_path / "out"), *more]
    return CliRunner().invoke(cli, args)


def written(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in (tmp_path / "out").rglob("*.txt"))


# -- placeholders left from `thankyou new` -----------------------------------------------------


@pytest.fixture
def starter(tmp_path: Path) -> Path:
    path = tmp_path / "interview.toml"
    result = CliRunner().invoke(cli, ["new", str(path)])
    assert result.exit_code == 0, result.stderr
    return path


def test_an_untouched_starter_is_an_error_in_check(starter: Path) -> None:
    result = CliRunner().invoke(cli, ["check", str(starter)])
    assert result.exit_code == 1
    # check names the person beside a panel path: "panel[0] (Their Name).email".
    fields = re.findall(r"error +(\S+(?: \([^)]*\))?\S*): .*\[placeholder\]", result.stdout)
    flagged = {re.sub(r" \([^)]*\)", "", field) for field in fields}
    assert {"company", "candidate.name", "candidate.email", "panel[0].name",
            "panel[0].email", "panel[0].personal", "highlights[0]"} <= flagged  # fmt: skip
    assert '"Your Name" is the example that `thankyou new` wrote' in result.stdout


@pytest.mark.parametrize("command", ["send --smtp 127.0.0.1:1", "drafts --imap 127.0.0.1:1"])
def test_send_and_drafts_never_take_the_starters_sample_paragraph(starter: Path, command: str):
    """Names and addresses filled in, the sample paragraph left: nothing goes out."""
    text = starter.read_text(encoding="utf-8")
    filled = {"Your Name": "Alex Morgan", "your.name@": "alex.morgan@",
              "Jordan Smith": "Priya Raman", "jordan.smith@": "priya.raman@"}  # fmt: skip
    for old, new in filled.items():
        text = text.replace(old, new)
    starter.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, [*command.split(), str(starter)])
    assert result.exit_code == 1
    assert result.stdout == ""  # not even "would send" / "would save"
    assert re.search(r"panel\[0\][^.]*\.personal: \"[^\n]*is the example that `thankyou new` wrote",
                     result.stderr)  # fmt: skip


def test_an_untouched_starter_writes_no_letter(starter: Path, tmp_path: Path) -> None:
    result = render(tmp_path, starter)
    assert result.exit_code == 1
    assert not (tmp_path / "out").exists()
    assert f'error: {starter}: candidate.name: "Your Name" is the example' in result.stderr
    assert "0 written, 0 skipped, 1 failed" in result.stderr


def test_uncommented_starter_tables_are_placeholders_too(starter: Path) -> None:
    text = starter.read_text(encoding="utf-8")
    text = re.sub(r"^# (\[recruiter\]|name   =|email  =)", r"\1", text, flags=re.MULTILINE)
    starter.write_text(text, encoding="utf-8")
    fields = {f.field for f in check(thankyou.load(starter)) if f.code == "placeholder"}
    assert {"recruiter.name", "recruiter.email"} <= fields


def test_the_starters_sample_concern_is_a_placeholder(starter: Path) -> None:
    """The starter writes its concern as a plain string; loaded, it is a table with a topic."""
    found = [f for f in check(thankyou.load(starter)) if f.code == "placeholder"]
    assert "concerns[0].topic" in {f.field for f in found}


def test_a_filled_in_file_has_no_placeholders(tmp_path: Path) -> None:
    assert not [f for f in check(thankyou.load(write(tmp_path))) if f.code == "placeholder"]


def test_a_reflowed_starter_paragraph_is_still_recognised(tmp_path: Path) -> None:
    """Whitespace and case do not hide the starter's paragraph (it was only re-wrapped)."""
    paragraph = ("Thank you for showing me the planning board.\n  Seeing how the team keeps "
                 "every release on ONE page made the role concrete for me.")  # fmt: skip
    found = check(thankyou.load(write(tmp_path, panel_1={"personal": paragraph})))
    assert [(f.level, f.field) for f in found if f.code == "placeholder"] == [
        ("error", "panel[1].personal")
    ]


def test_a_placeholder_of_one_reader_stops_only_their_letter(tmp_path: Path) -> None:
    facts = write(tmp_path, panel_1={"name": "Jordan Smith"})
    result = render(tmp_path, facts, "--today", DAY_AFTER)
    assert result.exit_code == 1
    assert written(tmp_path) == ["priya-raman.txt"]
    assert (
        'letter to Jordan Smith: panel[1] (Jordan Smith).name: "Jordan Smith" is the example'
        in result.stderr
    )
    assert "1 written, 0 skipped, 1 failed" in result.stderr


# -- warnings render prints, and counts --------------------------------------------------------


@pytest.mark.parametrize(
    ("personal", "warned"),
    [
        ("Thank you for the tour", True),
        ("Thank you for the tour:", True),
        ("Thank you for the tour.", False),
        ('You said "ship it."', False),
        ("Would you share the runbook?", False),
        ("ご案内ありがとうございました。", False),
    ],
)
def test_personal_paragraph_without_final_punctuation(tmp_path: Path, personal: str, warned: bool):
    result = render(tmp_path, write(tmp_path, panel_1={"personal": personal}), "--today", DAY_AFTER)
    assert result.exit_code == 0, result.stderr
    assert written(tmp_path) == ["mei-chen.txt", "priya-raman.txt"]  # a warning stops nothing
    line = (
        f"warning: {tmp_path / 'interview.json'}: panel[1] (Mei Chen).personal: "
        "The personalised paragraph"
    )
    assert (line in result.stderr) is warned
    assert f"0 failed, {1 if warned else 0} warning" in result.stderr


def test_an_interview_long_ago_is_likely_the_wrong_year(tmp_path: Path) -> None:
    facts = write(tmp_path, date="2025-11-24T14:00:00-06:00")
    result = render(tmp_path, facts, "--today", DAY_AFTER)
    assert result.exit_code == 0
    assert "date: The interview is dated 2025-11-24, 365 days ago: check the year" in result.stderr
    found = check(thankyou.load(facts), now=thankyou.load(write(tmp_path)).when)
    assert ("warning", "old-date", "date") in {(f.level, f.code, f.field) for f in found}
    # Sixty days is still a plausible (if late) thank-you.
    recent = check(thankyou.load(write(tmp_path, date="2026-09-26T14:00:00-06:00")),
                   now=thankyou.load(write(tmp_path)).when)  # fmt: skip
    assert "old-date" not in {f.code for f in recent}


def test_follow_up_before_the_plans_day_is_a_warning(tmp_path: Path) -> None:
    """The plan follows up two days after (Thursday the 26th): a follow-up on the 25th is early."""
    facts = write(tmp_path)
    early = render(tmp_path, facts, "-t", "follow-up/status", "--today", "2026-11-25")
    assert early.exit_code == 0
    said = "date: The follow-up to Priya Raman is dated Wednesday, November 25, before Thursday, "
    assert said + "November 26, the plan's day for it (2 days after" in early.stderr
    assert "[early-follow-up]" in early.stderr
    on_time = render(tmp_path, facts, "-t", "follow-up/status", "--today", "2026-11-26", "--force")
    assert "early-follow-up" not in on_time.stderr  # following the plan never warns
    steps = thankyou.plan(thankyou.load(facts)).steps
    follow_up = next(step for step in steps if step.template == "follow-up/status")
    assert follow_up.due.date().isoformat() == "2026-11-26"
    thanks = render(tmp_path, facts, "--today", DAY_AFTER, "--force")
    assert "early-follow-up" not in thanks.stderr  # the thank-you letters ask nothing


def test_render_reports_only_what_concerns_its_letters(tmp_path: Path) -> None:
    """A finding about a reference is for the reference briefings, not the thank-you letters."""
    facts = write(
        tmp_path,
        references=[{"name": "sam ortiz", "given_name": "sam", "email": "sam.ortiz@b.example"}],
    )
    thanks = render(tmp_path, facts, "--today", DAY_AFTER)
    assert "references[0]" not in thanks.stderr
    assert "0 warnings" in thanks.stderr
    briefing = render(tmp_path, facts, "-t", "references/briefing", "--today", DAY_AFTER)
    assert 'references[0] (sam ortiz).name: "sam ortiz" is all lower case' in briefing.stderr
    assert "1 written, 0 skipped, 0 failed, 1 warning." in briefing.stderr


def test_late_letters_are_reported_by_render(tmp_path: Path) -> None:
    result = render(tmp_path, write(tmp_path), "--today", "2026-11-27")
    assert "date: The interview was" in result.stderr and "[late]" in result.stderr
    assert written(tmp_path) == ["mei-chen.txt", "priya-raman.txt"]


def test_warnings_come_back_from_worker_processes(tmp_path: Path) -> None:
    folder = tmp_path / "facts"
    folder.mkdir()
    for n in range(2):
        data = json.loads(json.dumps(FACTS))
        data["company"] = f"Acme {n}"
        data["panel"][1]["personal"] = "Thank you for the tour"
        (folder / f"i{n}.json").write_text(json.dumps(data), encoding="utf-8")
    result = render(tmp_path, folder, "--today", DAY_AFTER, "-j", "2")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("[personal-punctuation]") == 2
    assert "4 written, 0 skipped, 0 failed, 2 warnings." in result.stderr


def test_an_unfinished_paragraph_is_quoted_on_one_line(tmp_path: Path) -> None:
    personal = "Thank you for the tour.\n\nSee you soon"
    result = render(tmp_path, write(tmp_path, panel_1={"personal": personal}), "--today", DAY_AFTER)
    [line] = [ln for ln in result.stderr.splitlines() if ".personal: " in ln]
    assert 'ends "…tour. See you soon" without a full stop' in line
    assert line.endswith("[personal-punctuation]")
