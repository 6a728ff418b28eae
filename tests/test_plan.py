"""The follow-up plan (SPEC §8): dated steps, the weekend rule, time zones, the iCalendar file."""

from __future__ import annotations

import copy
import datetime as dt
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import icalendar
import pytest

import thankyou
from thankyou.models import Interview
from thankyou.planner import Plan, Step, plan

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CST = dt.timezone(dt.timedelta(hours=-6))
TUESDAY = dt.datetime(2026, 11, 24, 14, 0, tzinfo=CST)
#: Four hours after the Tuesday interview.
NOW = TUESDAY + dt.timedelta(hours=4)

BASE: dict[str, Any] = {
    "company": "Acme Robotics",
    "position": "Senior Data Engineer",
    "date": TUESDAY.isoformat(),
    "decision_within_days": 5,
    "candidate": {"name": "Alex Morgan", "email": "alex.morgan@example.com"},
    "panel": [
        {"name": "Priya Raman", "email": "priya.raman@acme.example"},
        {"name": "Tomás O'Neill", "delivery": "post", "address": ["400 Industrial Way"]},
        {"name": "Mei Chen", "delivery": "hand", "primary": True},
    ],
    "recruiter": {"name": "Jordan Lee", "phone": "+1 555 010 0142"},
    "references": [
        {"name": "Sam Ortiz", "email": "sam.ortiz@brightline.example", "emphasise": ["on-call"]},
    ],
}


def interview(**changes: Any) -> Interview:
    data = copy.deepcopy(BASE)
    data.update(changes)
    return Interview.model_validate(data)


def step(p: Plan, key: str) -> Step:
    return next(s for s in p if s.key == key)


# -- the steps ---------------------------------------------------------------------------------


def test_steps_follow_spec_order():
    """Call the recruiter, thank each panel member, brief references, follow up, keep searching."""
    assert [s.key for s in plan(interview(), NOW)] == [
        "call-recruiter",
        "thank-you/panel[0]",
        "thank-you/panel[1]",
        "thank-you/panel[2]",
        "brief/references[0]",
        "follow-up",
        "keep-searching",
    ]


def test_recruiter_call_is_due_right_after_the_interview_whenever_the_plan_is_made():
    """The call has a stable time: regenerating the plan later does not move it."""
    right_after = TUESDAY + dt.timedelta(hours=1)
    for made in (NOW, NOW + dt.timedelta(minutes=7), NOW + dt.timedelta(days=2)):
        assert step(plan(interview(), made), "call-recruiter").due == right_after


@pytest.mark.parametrize(
    ("company", "reception"),
    [
        ("Bluefin Analytics", "Bluefin Analytics' reception"),
        ("Acme Robotics", "Acme Robotics' reception"),
        ("Acme", "Acme's reception"),
        ("Nordlicht Energie GmbH", "Nordlicht Energie GmbH's reception"),
    ],
)
def test_hand_delivery_names_the_reception_with_a_correct_possessive(company, reception):
    """A name ending in s takes the apostrophe alone; any other takes 's."""
    details = step(plan(interview(company=company), NOW), "thank-you/panel[2]").details
    assert f"leave it at {reception}." in details


def test_recruiter_call_is_shown_in_the_interviews_zone():
    """A plan made with a UTC clock still dates the call on the interview's clock."""
    due = step(plan(interview(), NOW.astimezone(dt.UTC)), "call-recruiter").due
    assert (due, due.utcoffset()) == (TUESDAY + dt.timedelta(hours=1), dt.timedelta(hours=-6))


def test_recruiter_call_planned_ahead_is_due_right_after_the_interview():
    """A plan made before the interview puts the call an hour after its start."""
    early = TUESDAY - dt.timedelta(days=1)
    assert step(plan(interview(), early), "call-recruiter").due == TUESDAY + dt.timedelta(hours=1)


def test_no_recruiter_no_call_and_no_references_no_briefing():
    """Steps for people the facts do not have are left out."""
    keys = [s.key for s in plan(interview(recruiter=None, references=[]), NOW)]
    assert "call-recruiter" not in keys
    assert not any(k.startswith("brief/") for k in keys)


def test_one_thank_you_per_member_due_in_24_hours_by_their_channel():
    """Each panel member's letter is due 24 hours after the interview, by their channel."""
    steps = [s for s in plan(interview(), NOW) if s.key.startswith("thank-you/")]
    assert [(s.who, s.how, s.template) for s in steps] == [
        ("Priya Raman", "send by email", "thank-you/email"),
        ("Tomás O'Neill", "post", "thank-you/formal"),
        ("Mei Chen", "hand over", "thank-you/formal"),
    ]
    assert {s.due for s in steps} == {TUESDAY + dt.timedelta(hours=24)}
    assert "priya.raman@acme.example" in steps[0].details
    assert "400 Industrial Way" in steps[1].details


def test_recruiter_call_comes_first_even_when_the_plan_is_made_late():
    """Three days on, the letters are overdue, yet calling the recruiter still leads the plan."""
    late = TUESDAY + dt.timedelta(days=3)
    steps = list(plan(interview(), late))
    assert steps[0].key == "call-recruiter"
    assert steps[0].due == TUESDAY + dt.timedelta(hours=1) < late


def test_follow_up_goes_by_email_only_when_there_is_an_address():
    """The primary contact without email (hand delivery here) is not told to expect an email."""
    assert step(plan(interview(), NOW), "follow-up").how == "hand over"
    with_email = copy.deepcopy(BASE["panel"])
    with_email[2]["email"] = "mei.chen@acme.example"
    assert step(plan(interview(panel=with_email), NOW), "follow-up").how == "send by email"


def test_facts_template_is_the_one_planned():
    """The facts' own template is the one the thank-you steps name, as render uses it."""
    steps = [
        s for s in plan(interview(template="thank-you/warm"), NOW) if s.key.startswith("thank")
    ]
    assert {s.template for s in steps} == {"thank-you/warm"}


def test_reference_briefing_names_the_points():
    """Each reference is briefed with the points to emphasise."""
    brief = step(plan(interview(), NOW), "brief/references[0]")
    assert (brief.who, brief.template) == ("Sam Ortiz", "references/briefing")
    assert "on-call" in brief.details


def test_follow_up_goes_to_the_primary_contact():
    """The follow-up is addressed to the member marked primary."""
    follow = step(plan(interview(), NOW), "follow-up")
    assert (follow.who, follow.template) == ("Mei Chen", "follow-up/status")


def test_keep_searching_closes_the_plan():
    """The last step is to keep searching."""
    assert plan(interview(), NOW).steps[-1].key == "keep-searching"


# -- the follow-up rule ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("interview_day", "decision", "follow_up_day"),
    [
        (dt.date(2026, 11, 24), 5, dt.date(2026, 11, 26)),  # Tue + 2 = Thu
        (dt.date(2026, 11, 26), 5, dt.date(2026, 11, 30)),  # Thu + 2 = Sat -> Mon
        (dt.date(2026, 11, 27), 3, dt.date(2026, 11, 30)),  # Fri + 2 = Sun -> Mon
        (dt.date(2026, 11, 24), 7, dt.date(2026, 11, 26)),  # a week counts as soon
        (dt.date(2026, 11, 24), 0, dt.date(2026, 11, 26)),
        (dt.date(2026, 11, 24), 8, dt.date(2026, 12, 1)),  # later: 7 days
        (dt.date(2026, 11, 24), None, dt.date(2026, 12, 1)),  # not said: 7 days
        (dt.date(2026, 11, 28), None, dt.date(2026, 12, 7)),  # Sat + 7 = Sat -> Mon
    ],
)
def test_follow_up_rule(interview_day, decision, follow_up_day):
    """2 days after when they decide within a week, else 7; a weekend moves to Monday."""
    when = dt.datetime.combine(interview_day, dt.time(14, 0), tzinfo=CST)
    p = plan(interview(date=when.isoformat(), decision_within_days=decision), NOW)
    due = step(p, "follow-up").due
    assert due.date() == follow_up_day
    assert due.weekday() < 5
    assert (due.time(), due.utcoffset()) == (dt.time(9, 0), dt.timedelta(hours=-6))


def test_follow_up_day_is_counted_on_the_interviews_own_calendar():
    """Wednesday 23:30 -06:00 is Thursday in UTC; the follow-up is Friday, not Monday."""
    late_wednesday = dt.datetime(2026, 11, 25, 23, 30, tzinfo=CST)
    assert late_wednesday.astimezone(dt.UTC).weekday() == 3  # Thursday in UTC
    p = plan(interview(date=late_wednesday.isoformat(), decision_within_days=2), NOW)
    due = step(p, "follow-up").due
    assert due == dt.datetime(2026, 11, 27, 9, 0, tzinfo=CST)  # Friday
    assert step(p, "thank-you/panel[0]").due == late_wednesday + dt.timedelta(hours=24)


def test_late_thursday_night_moves_to_monday():
    """Thursday 23:30 -06:00 (Friday in UTC): Thursday + 2 is Saturday, so Monday."""
    late_thursday = dt.datetime(2026, 11, 26, 23, 30, tzinfo=CST)
    p = plan(interview(date=late_thursday.isoformat()), NOW)
    assert step(p, "follow-up").due == dt.datetime(2026, 11, 30, 9, 0, tzinfo=CST)


def test_naive_interview_time_is_read_in_the_given_zone():
    """A naive time is local: in ``tz`` when given."""
    tokyo = dt.timezone(dt.timedelta(hours=9))
    p = plan(interview(date="2026-11-24T14:00:00"), NOW, tz=tokyo)
    assert step(p, "thank-you/panel[0]").due == dt.datetime(2026, 11, 25, 14, 0, tzinfo=tokyo)
    assert step(p, "follow-up").due == dt.datetime(2026, 11, 26, 9, 0, tzinfo=tokyo)


def test_naive_interview_time_defaults_to_the_machines_zone():
    """Without ``tz`` every due time is still timezone-aware (the local zone)."""
    p = plan(interview(date="2026-11-24T14:00:00"), NOW)
    assert all(s.due.tzinfo is not None for s in p)
    local = dt.datetime(2026, 11, 25, 14, 0).astimezone()
    assert step(p, "thank-you/panel[0]").due == local


@pytest.mark.skipif(not hasattr(time, "tzset"), reason="needs time.tzset (POSIX)")
def test_naive_times_follow_local_daylight_saving(monkeypatch):
    """Local time is read with its DST rules: a follow-up after the change gets the new offset."""
    monkeypatch.setenv("TZ", "America/Chicago")
    time.tzset()
    try:
        p = plan(interview(date="2026-10-30T14:00:00", decision_within_days=None), NOW)
        thank_you, follow_up = step(p, "thank-you/panel[0]"), step(p, "follow-up")
    finally:
        monkeypatch.undo()
        time.tzset()
    assert thank_you.due.utcoffset() == dt.timedelta(hours=-5)  # CDT
    assert follow_up.due.date() == dt.date(2026, 11, 6)
    assert follow_up.due.utcoffset() == dt.timedelta(hours=-6)  # CST, after 1 November
    assert follow_up.due.hour == 9


# -- the table ---------------------------------------------------------------------------------


def test_table_lists_dated_steps_with_weekdays():
    """The table shows weekday, date, time and offset, the person and the channel."""
    text = plan(interview(), NOW).table()
    assert text.startswith("Plan for Senior Data Engineer at Acme Robotics")
    assert "Wed 2026-11-25 14:00 -06:00" in text
    assert "Thu 2026-11-26 09:00 -06:00" in text
    assert "Tomás O'Neill" in text
    assert "hand over" in text
    assert str(plan(interview(), NOW)) == text


def test_table_marks_overdue_steps():
    """Steps already past when the plan is made are flagged; later ones are not."""
    text = plan(interview(), TUESDAY + dt.timedelta(hours=30)).table()
    overdue = [line for line in text.splitlines() if "(overdue)" in line]
    assert len(overdue) == 5  # the recruiter call, three thank-you letters and one briefing
    assert "Tue 2026-11-24 15:00" in overdue[0] and "Call the recruiter" in overdue[0]
    assert all("Wed 2026-11-25 14:00" in line for line in overdue[1:])


# -- the calendar ------------------------------------------------------------------------------


def _events(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_ics_has_one_event_per_step_with_alarm_summary_and_due_time():
    """Every step becomes a VEVENT at its due time, naming the person, with a reminder."""
    p = plan(interview(), NOW)
    events = _events(p.to_ics())
    assert len(events) == len(p) == 7
    for s, event in zip(p, events, strict=True):
        assert event.decoded("dtstart") == s.due
        assert s.who in str(event["summary"])
        assert str(event["description"])
        alarms = event.walk("VALARM")
        assert len(alarms) == 1
        assert str(alarms[0]["action"]) == "DISPLAY"
        assert alarms[0].decoded("trigger") <= dt.timedelta(0)


def test_ics_reminders_never_ring_before_the_plan_exists():
    """The call due now rings at once; later steps ring an hour ahead."""
    p = plan(interview(), NOW)
    events = _events(p.to_ics())
    alarms = {s.key: e.walk("VALARM")[0] for s, e in zip(p, events, strict=True)}
    triggers = {key: alarm.decoded("trigger") for key, alarm in alarms.items()}
    assert triggers["call-recruiter"] == dt.timedelta(0)
    assert triggers["follow-up"] == -dt.timedelta(hours=1)


def test_ics_uids_are_stable_across_regeneration():
    """A plan made again later (or after a reschedule within the day) keeps its UIDs."""

    def uids(p: Plan) -> dict[str, str]:
        return {str(e["summary"]): str(e["uid"]) for e in _events(p.to_ics())}

    first = uids(plan(interview(), NOW))
    assert len(set(first.values())) == len(first) == 7
    assert uids(plan(interview(), NOW + dt.timedelta(days=1))) == first
    assert uids(plan(interview(date=TUESDAY.replace(hour=16).isoformat()), NOW)) == first


def test_ics_uids_differ_between_interviews():
    """Another company's plan does not overwrite this one's events."""
    ours = {str(e["uid"]) for e in _events(plan(interview(), NOW).to_ics())}
    theirs = {str(e["uid"]) for e in _events(plan(interview(company="Globex"), NOW).to_ics())}
    assert not ours & theirs


def test_ics_is_reproducible_given_now():
    """The same facts and the same now give the same bytes (DTSTAMP comes from now)."""
    assert plan(interview(), NOW).to_ics() == plan(interview(), NOW).to_ics()
    assert _events(plan(interview(), NOW).to_ics())[0].decoded("dtstamp") == NOW
    later = NOW + dt.timedelta(days=1)
    assert _events(plan(interview(), later).to_ics())[0].decoded("dtstamp") == later


def test_ics_regenerated_plan_has_a_higher_sequence():
    """A plan made later carries a higher SEQUENCE, so calendars take it as the update."""
    first = _events(plan(interview(), NOW).to_ics())
    later = _events(plan(interview(), NOW + dt.timedelta(hours=1)).to_ics())
    assert all(int(b["sequence"]) > int(a["sequence"]) for a, b in zip(first, later, strict=True))


def test_ics_calendar_headers():
    """The file is an RFC 5545 calendar with PRODID and VERSION 2.0."""
    cal = icalendar.Calendar.from_ical(plan(interview(), NOW).to_ics())
    assert str(cal["version"]) == "2.0"
    assert "thankyou" in str(cal["prodid"])


@pytest.mark.skipif(
    not (EXAMPLES / "panel-interview.toml").exists(), reason="example not written yet"
)
def test_example_plan_spans_a_week_of_weekday_reminders():
    """The example panel gives a dated plan whose events all parse back."""
    example = thankyou.load(EXAMPLES / "panel-interview.toml")
    p = thankyou.plan(example, example.when + dt.timedelta(hours=2))
    events = _events(p.to_ics())
    assert len(events) == len(p)
    span = p.steps[-1].due - p.steps[0].due
    assert dt.timedelta(days=1) < span <= dt.timedelta(days=8)
    assert step(p, "follow-up").due.weekday() < 5


def test_import_thankyou_does_not_load_icalendar():
    """icalendar is imported only by to_ics (SPEC §11)."""
    code = "import sys, thankyou; sys.exit('icalendar' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
