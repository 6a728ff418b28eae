"""The dated follow-up plan (README: Checks) and its iCalendar export (RFC 5545).

:func:`plan` turns an interview into :class:`Step` objects: call the recruiter,
send each thank-you letter, brief each reference, follow up, keep searching.
:meth:`Plan.to_ics` writes them as calendar events; ``icalendar`` is imported
only there, so ``import thankyou`` stays light (docs/design/performance.md).

Time zones: an interview time with an offset is kept in that zone, so "two days
later, but not on a weekend" is judged on the interviewer's calendar. A naive
time (and a bare date, which counts as 09:00) is the candidate's local time: the
``tz`` argument, or else the machine's zone with its daylight-saving rules.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from thankyou import _lang
from thankyou._text import possessive
from thankyou._zones import attach_zone
from thankyou.composer import default_template
from thankyou.models import Delivery, Interview, Interviewer

if TYPE_CHECKING:
    import icalendar

__all__ = ["Plan", "Step", "followup_date", "plan"]

#: The facts have no end time; the recruiter call comes this long after the start.
ASSUMED_LENGTH = dt.timedelta(hours=1)
#: Thank-you letters go out within 24 hours (README: Checks).
THANK_YOU_WITHIN = dt.timedelta(hours=24)
#: Follow-ups and the closing step are morning tasks in the interview's zone.
MORNING = dt.time(9, 0)
#: Calendar reminders come this long before a step (or at once if less is left).
REMINDER_LEAD = dt.timedelta(hours=1)
#: How long each calendar event lasts; it is a reminder, not a meeting.
EVENT_LENGTH = dt.timedelta(minutes=30)
_SEQUENCE_EPOCH = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
#: Root of the UIDs: uuid5 of this and the interview identity, then of the step key.
_UID_NAMESPACE = uuid.UUID("7b0c5a4e-4c1e-5b8e-9a51-0a8f3b1d2c6e")

#: How a step is done, as the plan's table prints it ("—": nothing to send).
Channel = Literal["phone", "send by email", "post", "hand over", "—"]

_HOW: dict[Delivery, Channel] = {
    Delivery.email: "send by email",
    Delivery.post: "post",
    Delivery.hand: "hand over",
}


@dataclass(frozen=True)
class Step:
    """One dated thing to do after the interview."""

    #: When it is due (timezone-aware).
    due: dt.datetime
    #: What to do, as a short imperative: "Send the thank-you letter".
    action: str
    #: The person it concerns.
    who: str
    #: The channel: "phone", "send by email", "post", "hand over" or "—".
    how: Channel
    #: Catalogue name of the template that writes its letter, or None.
    template: str | None
    #: Stable id within the interview, e.g. ``thank-you/panel[1]``; feeds the calendar UID.
    key: str
    #: One or two sentences with the particulars: what to say, where to send.
    details: str = ""
    #: The language of its texts: the language of the letter it is about.
    language: Literal["en", "de", "fr", "es"] = "en"

    @property
    def summary(self) -> str:
        """The calendar title: the action and the person."""
        return f"{self.action} – {self.who}"


@dataclass(frozen=True)
class Plan:
    """The dated steps after one interview, in order."""

    #: What the plan is for, e.g. "Senior Data Engineer at Acme Robotics".
    title: str
    steps: tuple[Step, ...]
    #: When the plan was made; DTSTAMP in the calendar, and what "overdue" is judged against.
    created: dt.datetime
    #: Identifies the interview across regenerations (company, position, day, candidate).
    identity: str
    #: The interview's language: the calendar's name is written in it.
    language: Literal["en", "de", "fr", "es"] = "en"
    #: Things to know about how the dates were worked out (e.g. no country: weekends only).
    notes: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps)

    def __len__(self) -> int:
        return len(self.steps)

    def __str__(self) -> str:
        return self.table()

    def uid(self, step: Step) -> str:
        """The calendar UID of a step: the same for the same interview and step key.

        Importing a regenerated plan therefore updates its events instead of
        duplicating them (RFC 5545 §3.8.4.7).
        """
        root = uuid.uuid5(_UID_NAMESPACE, self.identity)
        return str(uuid.uuid5(root, step.key))

    def table(self) -> str:
        """Return the plan as a plain-text table, one dated line per step."""
        head = ("When", "What", "Who", "How", "Template")
        rows = [head] + [
            (self._when(s), s.action, s.who, s.how, s.template or "—") for s in self.steps
        ]
        widths = [max(_width(row[i]) for row in rows) for i in range(len(head))]
        lines = [
            "  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=True)).rstrip()
            for row in rows
        ]
        return "\n".join([f"Plan for {self.title}", "", *lines]) + "\n"

    def _when(self, step: Step) -> str:
        """``Tue 2026-11-24 14:00 -06:00``, flagged when already past; the weekday matters."""
        offset = step.due.strftime("%z")
        text = step.due.strftime("%a %Y-%m-%d %H:%M ") + f"{offset[:3]}:{offset[3:]}"
        return text + (" (overdue)" if step.due < self.created else "")

    def to_ics(self) -> bytes:
        """Return the plan as an iCalendar file: one VEVENT with a VALARM per step.

        Events rather than to-do components: Google Calendar and Outlook ignore those on
        import, and the point is a week of reminders in the calendar people use.
        Times are written in UTC (RFC 5545 §3.3.5 form 2), which every client reads.
        """
        from icalendar import Calendar  # lazy: keeps `import thankyou` light

        cal = Calendar()
        cal.add("prodid", "-//thankyou//interview follow-up plan//EN")
        cal.add("version", "2.0")
        cal.add("method", "PUBLISH")
        calendar = f"Follow-up: {self.title}"
        cal.add(
            "x-wr-calname", _lang.plan_text(self.language, "calendar", calendar, title=self.title)
        )
        stamp = self.created.astimezone(dt.UTC)
        for step in self.steps:
            cal.add_component(self._event(step, stamp))
        return bytes(cal.to_ical())

    def _event(self, step: Step, stamp: dt.datetime) -> icalendar.Event:
        from icalendar import Alarm, Event

        event = Event()
        event.add("uid", self.uid(step))
        event.add("dtstamp", stamp)
        event.add("last-modified", stamp)
        # RFC 5545 §3.8.7.4: clients keep the copy with the higher SEQUENCE. Minutes since
        # 2020 grow with every regeneration, so the newest plan wins without stored state.
        event.add("sequence", max(0, int((stamp - _SEQUENCE_EPOCH).total_seconds() // 60)))
        event.add("dtstart", step.due.astimezone(dt.UTC))
        event.add("duration", EVENT_LENGTH)
        # RFC 5545 §3.2.10: a text in another language says which.
        language: dict[str, str] = {"LANGUAGE": step.language} if step.language != "en" else {}
        event.add("summary", step.summary, parameters=language)
        event.add("description", step.details or step.action, parameters=language)
        event.add("transp", "TRANSPARENT")  # a reminder must not block the day as busy
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", step.summary)
        lead = max(dt.timedelta(0), min(REMINDER_LEAD, step.due - self.created))
        alarm.add("trigger", -lead)
        event.add_component(alarm)
        return event


def plan(
    interview: Interview, now: dt.datetime | None = None, *, tz: dt.tzinfo | None = None
) -> Plan:
    """Return the dated steps a careful candidate takes after the interview (README: Checks).

    Args:
        interview: The interview.
        now: When the plan is made, against which steps are marked overdue.
            Defaults to the current time; a naive value is local time.
        tz: The zone of naive times; defaults to the machine's local zone.

    Returns:
        The plan: the recruiter call first, then the steps by due time and, on
        ties, in the order the README's plan lists them.
    """
    now = _aware(now or dt.datetime.now(dt.UTC), tz)
    start = _aware(interview.when, tz)
    steps = [*_recruiter(interview, start), *_thank_yous(interview, start)]
    steps += _references(interview, start)
    follow_up = _follow_up_due(interview, start, tz)
    _, holiday = followup_date(interview, tz=tz)
    steps += [_follow_up(interview, follow_up, holiday), _keep_searching(interview, follow_up)]
    rank = {s.key: i for i, s in enumerate(steps)}
    # The recruiter call comes first even when the plan is made late and the letters are
    # already overdue: it is due "at once", and its feedback may shape the letters.
    steps.sort(key=lambda s: (s.key != "call-recruiter", s.due, rank[s.key]))
    title = _lang.plan_text(
        interview.language,
        "title",
        f"{interview.position} at {interview.company}",
        position=interview.position,
        company=interview.company,
    )
    day = start.date().isoformat()
    # Not the time of day: a rescheduled hour should update the events, not duplicate them.
    parts = (interview.company, interview.position, day, interview.candidate.email)
    identity = "\x1f".join(p.casefold() for p in parts)
    notes = () if interview.country else (NO_COUNTRY_NOTE,)
    return Plan(
        title=title,
        steps=tuple(steps),
        created=now,
        identity=identity,
        notes=notes,
        language=interview.language,
    )


#: Said once per plan when the facts name no country.
NO_COUNTRY_NOTE = (
    "no country in the facts, so the follow-up skips weekends but not public holidays; "
    'add country = "US" (or DE, GB, DE-BY, ...) to skip those too'
)


def followup_date(
    interview: Interview, *, tz: dt.tzinfo | None = None
) -> tuple[dt.date, str | None]:
    """The follow-up day, and the name of the public holiday that moved it, if one did.

    Counted on the interview's own calendar: 2 days after when they decide
    within a week, else 7, then moved past weekends and the public holidays of
    ``interview.country`` (weekends only without one).

    Args:
        interview: The interview.
        tz: The zone of a naive interview time; defaults to the machine's.

    Returns:
        ``(day, holiday)``: ``holiday`` is the name of the holiday the day was
        moved off (e.g. "Thanksgiving Day"), for a letter that says "after the
        holiday"; None when no holiday moved it.
    """
    from thankyou._holidays import next_working_day

    start = _aware(interview.when, tz)
    soon = interview.decision_within_days is not None and interview.decision_within_days <= 7
    day = start.date() + dt.timedelta(days=2 if soon else 7)
    return next_working_day(day, interview.country)


def _aware(moment: dt.datetime, tz: dt.tzinfo | None) -> dt.datetime:
    """A naive time is local: in ``tz``, else the machine's zone (``astimezone`` applies DST)."""
    return attach_zone(moment, tz)  # DST gaps and overlaps: see thankyou._zones


def _recruiter(interview: Interview, start: dt.datetime) -> Iterator[Step]:
    recruiter = interview.recruiter
    if recruiter is None:
        return
    lang = _lang.language_of(interview, recruiter)
    reach = _lang.plan_text(lang, "or", " or ").join(
        x for x in (recruiter.phone, recruiter.email) if x
    )
    agency = f" ({recruiter.agency})" if recruiter.agency else ""
    yield Step(
        # Right after the interview, whenever the plan is made: a regenerated plan must not
        # move the call to the minute it was regenerated (a plan made late shows it overdue).
        due=start + ASSUMED_LENGTH,
        action=_lang.plan_text(lang, "call", "Call the recruiter for feedback"),
        who=recruiter.name,
        how="phone",
        template="recruiter/debrief",
        key="call-recruiter",
        details=_lang.plan_text(
            lang,
            "call.details",
            f"Call {recruiter.name}{agency}{f' at {reach}' if reach else ''} right after the "
            f"interview: say how it went and ask for their feedback and the next step. If you "
            f"cannot reach them, send the recruiter/debrief email.",
            name=recruiter.name,
            agency=agency,
            reach=_lang.plan_text(lang, "reach", "", reach=reach) if reach else "",
        ),
        language=lang,
    )


def _thank_yous(interview: Interview, start: dt.datetime) -> Iterator[Step]:
    for i, member in enumerate(interview.panel):
        lang = _lang.language_of(interview, member)
        yield Step(
            due=start + THANK_YOU_WITHIN,
            action=_lang.plan_text(lang, "thank-you", "Send the thank-you letter"),
            who=member.name,
            how=_HOW[member.delivery],
            template=default_template(interview, member),  # what `thankyou render` uses
            key=f"thank-you/panel[{i}]",
            details=_thank_you_details(member, interview.company, lang),
            language=lang,
        )


def _thank_you_details(member: Interviewer, company: str, lang: str = "en") -> str:
    address = ", ".join(member.address)
    if member.delivery is Delivery.email:
        where = f"Email it to {member.email}"
    elif member.delivery is Delivery.post:
        where = "Post it to " + address
    else:
        reception = f"{possessive(company)} reception"
        where = f"Print and sign it, then hand it to them or leave it at {reception}"
    where = _lang.plan_text(
        lang, f"where.{member.delivery.value}", where,
        email=member.email, address=address, company=company,
    )  # fmt: skip
    role = f", {member.title}" if member.title else ""
    english = f"Thank {member.name}{role}, within 24 hours of the interview. {where}."
    closed = f"{role}," if role else ""  # an apposition is closed by a comma in de/fr/es
    return _lang.plan_text(
        lang, "thank-you.details", english, name=member.name, role=closed, where=where
    )


def _references(interview: Interview, start: dt.datetime) -> Iterator[Step]:
    for i, ref in enumerate(interview.references):
        points = "; ".join(ref.emphasise)
        lang = _lang.language_of(interview, ref)
        yield Step(
            due=start + THANK_YOU_WITHIN,
            action=_lang.plan_text(lang, "brief", "Brief your reference"),
            who=ref.name,
            how=_HOW[Delivery.email],
            template="references/briefing",
            key=f"brief/references[{i}]",
            details=_lang.plan_text(
                lang,
                "brief.details",
                f"Tell {ref.name} ({ref.email}) that {interview.company} may contact them about "
                f"the {interview.position} position"
                + (f", and what to emphasise: {points}." if points else "."),
                name=ref.name,
                email=ref.email,
                company=interview.company,
                position=interview.position,
                points=_lang.plan_text(lang, "points", "", points=points) if points else "",
            ),
            language=lang,
        )


def _follow_up_due(interview: Interview, start: dt.datetime, tz: dt.tzinfo | None) -> dt.datetime:
    """2 days after when they decide within a week, else 7; off weekends and holidays.

    The day is counted on the interview's own calendar (its offset), not in UTC:
    a Wednesday 23:30 -06:00 interview is a Wednesday one, though it is Thursday in UTC.
    """
    day, _ = followup_date(interview, tz=tz)
    naive = dt.datetime.combine(day, MORNING)
    if interview.when.tzinfo is None and tz is None:
        return attach_zone(naive, None)  # the local zone as it is on that day (DST)
    return naive.replace(tzinfo=start.tzinfo)


def _follow_up(interview: Interview, due: dt.datetime, holiday: str | None = None) -> Step:
    contact = interview.primary
    said = interview.decision_within_days
    when = f"They said they would decide within {said} days. " if said is not None else ""
    lang = _lang.language_of(interview, contact)
    if holiday is not None:
        when += f"Moved past {holiday}. "
    return Step(
        due=due,
        action=_lang.plan_text(lang, "follow-up", "Follow up on the decision"),
        who=contact.name,
        # Write when there is an address to write to; else the letter goes as they chose.
        how=_HOW[Delivery.email] if contact.email else _HOW[contact.delivery],
        template="follow-up/status",
        key="follow-up",
        details=_lang.plan_text(
            lang,
            "follow-up.details",
            f"{when}If you have not heard from {interview.company}, write to {contact.name}: "
            f"thank them again, restate your interest in the {interview.position} position "
            f"and ask about the status.",
            said=(_lang.plan_text(lang, "said", "", days=said) if said is not None else "")
            + (_lang.plan_text(lang, "moved", "", holiday=holiday) if holiday else ""),
            company=interview.company,
            name=contact.name,
            position=interview.position,
        ),
        language=lang,
    )


def _keep_searching(interview: Interview, due: dt.datetime) -> Step:
    return Step(
        due=due,
        action=_lang.plan_text(interview.language, "keep-searching", "Keep searching"),
        who=interview.candidate.name,
        how="—",
        template=None,
        key="keep-searching",
        details=_lang.plan_text(
            interview.language,
            "keep-searching.details",
            f"Do not wait on one opening: keep applying and interviewing while "
            f"{interview.company} decides.",
            company=interview.company,
        ),
        language=interview.language,
    )


def _width(text: str) -> int:
    """Columns a string takes in a terminal: East Asian wide letters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
