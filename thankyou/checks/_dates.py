"""Dates: the 24-hour rule, a date in the wrong year, a follow-up dated too early."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from thankyou._zones import attach_zone
from thankyou.checks._findings import Finding, finding
from thankyou.letter import Letter
from thankyou.models import Interview

#: Thank-you letters go out within 24 hours (README: Checks).
SEND_WITHIN = dt.timedelta(hours=24)

#: An interview longer ago than this is most likely dated in the wrong year.
OLD_AFTER = dt.timedelta(days=60)


def aware(moment: dt.datetime | None, tz: dt.tzinfo | None) -> dt.datetime:
    """Attach a zone to a naive time: ``tz`` if given, else local time with its DST rules."""
    if moment is None:
        return dt.datetime.now(dt.UTC)
    return attach_zone(moment, tz)  # DST gaps and overlaps: see thankyou._zones


def late(interview: Interview, now: dt.datetime, tz: dt.tzinfo | None) -> Iterator[Finding]:
    """``late`` past the 24 hours, or ``future-date`` over 24 hours ahead (a typo, most likely)."""
    since = now - aware(interview.when, tz)
    if since > SEND_WITHIN:
        yield finding("late", "date", hours=int(since.total_seconds() // 3600))
    elif -since > SEND_WITHIN:  # a typo in the year or month, most likely
        yield finding("future-date", "date", days=(-since).days)


def old_date(interview: Interview, now: dt.datetime, tz: dt.tzinfo | None) -> Iterator[Finding]:
    """``old-date``: an interview more than 60 days ago, most likely dated in the wrong year."""
    since = now - aware(interview.when, tz)
    if since > OLD_AFTER:
        yield finding("old-date", "date", date=interview.when.date().isoformat(), days=since.days)


def letter_findings(
    interview: Interview, letters: Sequence[Letter], *, tz: dt.tzinfo | None = None
) -> list[Finding]:
    """Findings about the letters themselves, for ``thankyou render``: a follow-up too early.

    A follow-up letter dated before the plan's follow-up day (``early-follow-up``)
    asks again before the candidate could have heard back. The plan and this
    check count the same day (:func:`thankyou.planner.followup_date`), so
    following the plan never draws the warning.
    """
    follow_ups = [letter for letter in letters if letter.template.startswith("follow-up/")]
    if not follow_ups:
        return []
    from thankyou.planner import followup_date  # late: the planner imports the composer

    due, _ = followup_date(interview, tz=tz)
    after = (due - aware(interview.when, tz).date()).days
    return [
        finding(
            "early-follow-up",
            "date",
            name=letter.recipient.name,
            date=_day(letter.date),
            due=_day(due),
            after=after,
        )
        for letter in follow_ups
        if letter.date < due
    ]


def _day(day: dt.date) -> str:
    return f"{day:%A}, {day:%B} {day.day}"
