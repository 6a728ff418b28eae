"""Public holidays in the plan: `country`, the follow-up moved off holidays, the note."""

from __future__ import annotations

import copy
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import thankyou
from thankyou.cli import cli
from thankyou.models import Interview
from thankyou.planner import NO_COUNTRY_NOTE, followup_date, plan

CST = dt.timezone(dt.timedelta(hours=-6))
CET = dt.timezone(dt.timedelta(hours=1))
#: Tuesday before Thanksgiving 2026; deciding within 5 days puts the follow-up on Thursday the 26th.
TUESDAY = dt.datetime(2026, 11, 24, 14, 0, tzinfo=CST)

BASE: dict[str, Any] = {
    "company": "Acme Robotics",
    "position": "Senior Data Engineer",
    "date": TUESDAY.isoformat(),
    "decision_within_days": 5,
    "candidate": {"name": "Alex Morgan", "email": "alex.morgan@example.com"},
    "panel": [{"name": "Priya Raman", "email": "priya.raman@acme.example"}],
}


def interview(**changes: Any) -> Interview:
    data = copy.deepcopy(BASE)
    data.update(changes)
    return Interview.model_validate(data)


def follow_up_day(iv: Interview) -> dt.date:
    step = next(s for s in plan(iv, TUESDAY) if s.key == "follow-up")
    return step.due.date()


# -- the field --------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "stored"), [("us", "US"), (" DE ", "DE"), ("de-by", "DE-BY")])
def test_country_is_normalised(typed: str, stored: str) -> None:
    assert interview(country=typed).country == stored


@pytest.mark.parametrize("typed", ["XX", "USA", "Germany", "DE-ZZ", "1"])
def test_unknown_country_is_an_error_naming_the_field(tmp_path: Path, typed: str) -> None:
    facts = tmp_path / "i.json"

    facts.write_text(json.dumps({**BASE, "country": typed}), encoding="utf-8")
    with pytest.raises(thankyou.FactsError) as caught:
        thankyou.load(facts)
    assert "country" in str(caught.value)
    assert "ISO 3166" in str(caught.value) or "public holidays" in str(caught.value)


def test_country_is_optional() -> None:
    assert interview().country is None


# -- the follow-up day ------------------------------------------------------------------------


def test_thanksgiving_moves_the_follow_up_to_friday() -> None:
    iv = interview(country="US")
    assert followup_date(iv) == (dt.date(2026, 11, 27), "Thanksgiving Day")
    assert follow_up_day(iv) == dt.date(2026, 11, 27)
    step = next(s for s in plan(iv, TUESDAY) if s.key == "follow-up")
    assert "Thanksgiving Day" in step.details
    keep = next(s for s in plan(iv, TUESDAY) if s.key == "keep-searching")
    assert keep.due == step.due


def test_without_country_only_weekends_move_and_the_plan_says_so() -> None:
    iv = interview()
    assert followup_date(iv) == (dt.date(2026, 11, 26), None)  # Thanksgiving, but no country
    p = plan(iv, TUESDAY)
    assert p.notes == (NO_COUNTRY_NOTE,)
    assert plan(interview(country="US"), TUESDAY).notes == ()


def test_a_free_day_is_not_moved() -> None:
    iv = interview(country="US", date="2026-11-10T10:00:00-06:00")  # Thursday the 12th
    assert followup_date(iv) == (dt.date(2026, 11, 12), None)


def test_holiday_then_weekend_then_substitute_holiday() -> None:
    """GB 2026: Christmas on Friday, Boxing Day on Saturday is observed on Monday the 28th."""
    iv = interview(country="GB", date="2026-12-23T10:00:00+00:00", decision_within_days=3)
    day, holiday = followup_date(iv)
    assert day == dt.date(2026, 12, 29)
    assert holiday == "Christmas Day"


def test_weekend_alone_is_not_a_holiday() -> None:
    iv = interview(country="US", date="2026-11-19T10:00:00-06:00")  # +2 is Saturday the 21st
    assert followup_date(iv) == (dt.date(2026, 11, 23), None)


def test_regional_holiday_needs_the_subdivision() -> None:
    """Epiphany (6 January) is a holiday in Bavaria, not in all of Germany."""
    monday = "2027-01-04T10:00:00+01:00"
    bavaria = interview(country="DE-BY", date=monday, decision_within_days=2)
    germany = interview(country="DE", date=monday, decision_within_days=2)
    assert followup_date(bavaria) == (dt.date(2027, 1, 7), "Epiphany")
    assert followup_date(germany) == (dt.date(2027, 1, 6), None)


# -- the command line and the import ----------------------------------------------------------


def test_cli_plan_notes_missing_country_once(tmp_path: Path) -> None:
    facts = tmp_path / "i.toml"
    facts.write_text(
        'company = "Acme"\nposition = "Engineer"\ndate = 2026-11-24T14:00:00-06:00\n'
        "decision_within_days = 5\n"
        '[candidate]\nname = "Alex Morgan"\nemail = "alex@example.com"\n'
        '[[panel]]\nname = "Priya Raman"\nemail = "priya@acme.example"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["plan", str(facts), "--now", "2026-11-24T16:00:00-06:00"])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("no country in the facts") == 1
    assert "Thu 2026-11-26 09:00" in result.stdout
    with_country = facts.read_text(encoding="utf-8").replace("decision", 'country = "US"\ndecision')
    facts.write_text(with_country, encoding="utf-8")
    result = CliRunner().invoke(cli, ["plan", str(facts), "--now", "2026-11-24T16:00:00-06:00"])
    assert "no country" not in result.stderr
    assert "Fri 2026-11-27 09:00" in result.stdout


def test_import_thankyou_does_not_load_holidays() -> None:
    code = "import sys, thankyou; print('holidays' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_spreadsheet_takes_country_as_a_column(tmp_path: Path) -> None:
    path = tmp_path / "panel.csv"
    path.write_text(
        "company,position,date,decision_within_days,country,name,email,candidate_name,"
        "candidate_email\n"
        "Acme,Engineer,2026-11-24T14:00:00-06:00,5,us,Ann Lee,ann@acme.example,"
        "Alex,a@example.com\n",
        encoding="utf-8",
    )
    (loaded,) = thankyou.load_many(path)
    assert loaded.interview is not None
    assert loaded.interview.country == "US"
    assert followup_date(loaded.interview) == (dt.date(2026, 11, 27), "Thanksgiving Day")
