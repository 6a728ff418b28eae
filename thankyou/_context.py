"""What a template sees: the facts as plain, frozen data, fitted to the letter's frames.

Templates never get a pydantic model: every person is a :class:`Person`, every
phrase a :class:`~thankyou._prose.Value`, every concern a :class:`ConcernView`,
and the interview itself a plain dict. The names are those README lists under
"Templates"; the dates are decided here, once, from the letter's own date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeGuard

from thankyou import _prose
from thankyou._prose import DayRef, Value
from thankyou.models import (
    Candidate,
    Concern,
    Delivery,
    Interview,
    Interviewer,
    Recruiter,
    Reference,
)

__all__ = ["CandidateView", "ConcernView", "Person", "build", "greeting_name"]

Model = Interviewer | Recruiter | Reference


@dataclass(frozen=True, slots=True)
class Person:
    """One person a letter may name or go to: panel member, recruiter or reference."""

    name: str
    #: ``panel``, ``recruiter`` or ``reference``.
    role: str
    title: str | None = None
    honorific: str | None = None
    family_name: str | None = None
    given_name: str | None = None
    #: The verbatim greeting line, when the facts give one.
    salutation: str | None = None
    #: The name after "Dear" on formal terms: "Dr. Raman", else the full name.
    salutation_name: str = ""
    #: True when the letter greets them by ``given_name``.
    first_name_terms: bool = False
    email: str | None = None
    phone: str | None = None
    address: tuple[str, ...] = ()
    delivery: Literal["email", "post", "hand"] = "email"
    primary: bool = False
    personal: str | None = None
    agency: str | None = None
    relationship: Value | None = None
    emphasise: tuple[Value, ...] = ()

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class CandidateView:
    """The person writing."""

    name: str
    email: str
    phone: str | None = None
    address: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class ConcernView:
    """A concern as one letter uses it; ``str()`` is its topic, fitted."""

    topic: Value
    answer: Value | None
    #: Names of the panel members who raised it (empty: no one in particular).
    raised_by: tuple[str, ...]
    #: True when this letter's reader raised it.
    asked_by_reader: bool

    def __str__(self) -> str:
        return self.topic.text


def greeting_name(person: Model) -> tuple[str, bool]:
    """The name a greeting uses, and whether it is a first-name greeting.

    Honorific and family name when both are given ("Dr. Raman"); else the
    ``given_name`` when there is one; else the full name, never split.
    """
    honorific = getattr(person, "honorific", None)
    family = getattr(person, "family_name", None)
    if honorific and family:
        return f"{honorific} {family}", False
    if person.given_name:
        return person.given_name, True
    return person.name, False


def person(model: Model) -> Person:
    """The plain-data view of a panel member, recruiter or reference."""
    role = (
        "panel"
        if isinstance(model, Interviewer)
        else "recruiter"
        if isinstance(model, Recruiter)
        else "reference"
    )
    formal = (
        f"{model.honorific} {model.family_name}"
        if isinstance(model, Interviewer) and model.honorific and model.family_name
        else model.name
    )
    fields: dict[str, Any] = {
        "name": model.name,
        "role": role,
        "given_name": model.given_name,
        "salutation": model.salutation,
        "salutation_name": formal,
        "first_name_terms": greeting_name(model)[1],
        "email": model.email,
    }
    if isinstance(model, Interviewer):
        fields.update(
            title=model.title,
            honorific=model.honorific,
            family_name=model.family_name,
            address=tuple(model.address),
            delivery=model.delivery.value,
            primary=model.primary,
            personal=model.personal,
        )
    elif isinstance(model, Recruiter):
        fields.update(agency=model.agency, phone=model.phone)
    else:
        fields.update(
            phone=model.phone,
            relationship=(
                _prose.fit_relationship(model.relationship) if _said(model.relationship) else None
            ),
            emphasise=tuple(_prose.fit(point) for point in model.emphasise),
        )
    return Person(**fields)


def _concern(concern: Concern, reader: Model, panel: Sequence[Interviewer]) -> ConcernView:
    """The concern for one letter; ``raised_by`` comes back as full names ("Mei" -> "Mei Chen")."""
    full = {m.given_name: m.name for m in panel if m.given_name} | {m.name: m.name for m in panel}
    raised_by = tuple(dict.fromkeys(full.get(name, name) for name in concern.raised_by))
    return ConcernView(
        topic=_prose.fit(concern.topic),
        answer=_prose.fit(concern.answer) if _said(concern.answer) else None,
        raised_by=raised_by,
        asked_by_reader=reader.name in raised_by,
    )


def _reader_concerns(interview: Interview, reader: Model) -> tuple[ConcernView, ...]:
    """A panel member hears of the concerns they raised and of those no one in particular did."""
    views = tuple(_concern(c, reader, interview.panel) for c in interview.concerns)
    if not isinstance(reader, Interviewer):
        return views
    return tuple(v for v in views if v.asked_by_reader or not v.raised_by)


def build(interview: Interview, reader: Model, day: dt.date, delivery: Delivery) -> dict[str, Any]:
    """The template context of one letter to ``reader``, written on ``day``."""
    us_order = interview.style.paper == "letter"
    read_now = delivery is Delivery.email
    time = interview.date.timetz() if isinstance(interview.date, dt.datetime) else None
    when = _prose.day_ref(
        interview.when.date(), day, read_now=read_now, time=time, us_order=us_order
    )
    recipient = person(reader)
    # To the company's own people, "They said they'd call" reads "You said you'd call".
    to_reader = _prose.to_reader_en if isinstance(reader, Interviewer) else _same
    highlights = tuple(to_reader(_prose.fit(h)) for h in interview.highlights)
    panel = tuple(person(m) for m in interview.panel)
    references = tuple(person(r) for r in interview.references)
    context: dict[str, Any] = {
        "candidate": candidate_view(interview.candidate),
        "company": interview.company,
        "position": interview.position,
        "location": interview.location,
        "highlights": highlights,
        "topics": tuple(h for h in highlights if not h.sentence),
        "remarks": tuple(h for h in highlights if h.sentence),
        "concerns": _reader_concerns(interview, reader),
        "all_concerns": tuple(_concern(c, reader, interview.panel) for c in interview.concerns),
        "next_steps": (
            to_reader(_prose.fit_next_steps(interview.next_steps))
            if _said(interview.next_steps)
            else None
        ),
        "fit": _fit(interview.fit),
        "decision_within_days": interview.decision_within_days,
        "panel": panel,
        "primary": person(interview.primary),
        "recruiter": person(interview.recruiter) if interview.recruiter else None,
        "references": references,
        "other_references": tuple(r for r in references if r.name != recipient.name),
        "recipient": recipient,
        "delivery": delivery.value,
        "when": when,
        "interview_day": _prose.date_en(when),
        "letter_date": _prose.date_en(
            _prose.day_ref(day, day, read_now=True, us_order=us_order), weekday=False
        ),
        "same_day": when.read_now and when.days_ago == 0,
        "us_dates": us_order,
    }
    context.update(_decision(interview, day, us_order))
    context["interview"] = dict(context, date=interview.date, template=interview.template)
    return context


def _same(value: Value) -> Value:
    return value


def _said(text: str | None) -> TypeGuard[str]:
    """False for an empty value or one that only says the user does not know ("TBD")."""
    return bool(text) and not _prose.is_non_answer(text or "")


def _fit(text: str | None) -> Value | None:
    """``fit`` may be a whole sentence with any verb late in it ("My four years … match …")."""
    if text is None or not _said(text):
        return None
    return _prose.fit(text, verbs=_prose.EN_VERBS | _prose.EN_FIT_VERBS, window=10)


def _decision(interview: Interview, day: dt.date, us_order: bool) -> dict[str, Any]:
    """``decision_by`` (a :class:`DayRef` of the day a decision is due) and ``decision_passed``."""
    if interview.decision_within_days is None:
        return {"decision_by": None, "decision_passed": False}
    due = _prose.decision_day(interview.when.date(), interview.decision_within_days)
    ref: DayRef = _prose.day_ref(due, day, read_now=True, us_order=us_order)
    return {"decision_by": ref, "decision_passed": day > due}


def candidate_view(candidate: Candidate) -> CandidateView:
    """The plain-data view of the candidate."""
    return CandidateView(candidate.name, candidate.email, candidate.phone, tuple(candidate.address))
