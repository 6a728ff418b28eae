"""The wording checks: values whose form the letters cannot be sure of, and greetings.

Each function yields ``(key, field, values)`` for :mod:`thankyou.checks` to turn
into findings, so that this module needs nothing from it. The rules behind
them are those of :mod:`thankyou._prose`: where the letter fits a value with
confidence (a trailing full stop, "The" at the start) nothing is said; where it
cannot be sure (a capital that may be a name, a sentence where a phrase reads
better, a greeting that falls back to the full name) ``check`` says so,
quoting the value and the better form.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from thankyou import _prose
from thankyou.models import Interview, Recruiter, Reference

__all__ = ["wording_findings"]

Hit = tuple[str, str, dict[str, object]]

#: What each phrase field looks like in its best form, for the messages.
EXAMPLES = {
    "highlights": "the move to streaming pipelines",
    "next_steps": "a take-home exercise, then a call with the VP",
    "concerns": "my Kubernetes experience",
    "emphasise": "the on-call redesign I led",
    "relationship": "my manager at Brightline",
}
#: Honorifics that, at the start of a name, are probably not part of it.
_HONORIFICS = re.compile(
    r"^(?:Dr|Prof|Professor|Mr|Mrs|Ms|Mx|Miss|Sir|Dame|Rev|Herr|Frau|Mme|M|Sr|Sra)\.?\s", re.I
)


def _phrase(field: str, kind: str, value: str) -> Iterator[Hit]:
    """Findings for one value typed where a phrase is wanted."""
    fitted = _prose.fit(value)
    if fitted.sentence:
        yield "phrase-form/sentence", field, {"value": value, "example": EXAMPLES[kind]}
    elif _prose.doubtful_capital(fitted.text):
        better = fitted.text[0].lower() + fitted.text[1:]
        yield "phrase-form/capital", field, {"value": value, "better": better}


def _phrases(interview: Interview) -> Iterator[Hit]:
    for i, highlight in enumerate(interview.highlights):
        yield from _phrase(f"highlights[{i}]", "highlights", highlight)
    if interview.next_steps:
        yield from _phrase("next_steps", "next_steps", interview.next_steps)
    for i, concern in enumerate(interview.concerns):
        field = f"concerns[{i}].topic"
        if re.match(r"(?:no|not|never)\b", concern.topic, re.I):
            yield "phrase-form/fragment", field, {"value": concern.topic}
        elif not _prose.is_sentence(concern.topic):  # "I have run K8s only in staging" stands
            yield from _phrase(field, "concerns", concern.topic)
    for i, ref in enumerate(interview.references):
        for j, point in enumerate(ref.emphasise):
            yield from _phrase(f"references[{i}].emphasise[{j}]", "emphasise", point)
        if ref.relationship and _prose.is_sentence(ref.relationship):
            yield (
                "phrase-form/sentence",
                f"references[{i}].relationship",
                {"value": ref.relationship, "example": EXAMPLES["relationship"]},
            )


def _concerns(interview: Interview) -> Iterator[Hit]:
    for i, concern in enumerate(interview.concerns):
        if concern.answer is None:
            yield "concern-unanswered", f"concerns[{i}].answer", {"topic": concern.topic}
        elif not _prose.is_sentence(concern.answer):
            yield "phrase-form/answer", f"concerns[{i}].answer", {"value": concern.answer}


def _greetings(interview: Interview) -> Iterator[Hit]:
    people: list[tuple[str, object]] = [(f"panel[{i}]", m) for i, m in enumerate(interview.panel)]
    if interview.recruiter is not None:
        people.append(("recruiter", interview.recruiter))
    people += [(f"references[{i}]", r) for i, r in enumerate(interview.references)]
    for path, person in people:
        yield from _greeting(path, person)


def _greeting(path: str, person: object) -> Iterator[Hit]:
    name: str = getattr(person, "name", "")
    honorific = getattr(person, "honorific", None)
    if getattr(person, "salutation", None):
        return
    if honorific and not getattr(person, "family_name", None):
        yield "greeting/honorific", f"{path}.family_name", {"honorific": honorific, "name": name}
    if (found := _HONORIFICS.match(name)) and not honorific:
        yield (
            "greeting/own-honorific",
            f"{path}.name",
            {"name": name, "prefix": found.group().strip()},
        )
    first_name_reader = isinstance(person, Recruiter | Reference)
    if first_name_reader and not getattr(person, "given_name", None):
        yield "greeting/first-name", f"{path}.given_name", {"name": name}


_THANK_YOU = re.compile(r"(?:^|[.!?]\s+)Thank you\b")


def _thanks(interview: Interview) -> Iterator[Hit]:
    """Warn when a personal paragraph starts two sentences with "Thank you".

    With the letter's own opening that makes three; a person writes it at most
    twice in one letter.
    """
    for i, member in enumerate(interview.panel):
        count = len(_THANK_YOU.findall(member.personal or ""))
        if count >= 2:
            yield "phrase-form/thanks", f"panel[{i}].personal", {"count": count}


def wording_findings(interview: Interview) -> Iterator[Hit]:
    """Yield ``(key, field, values)`` for each value or greeting the letters cannot be sure of."""
    yield from _phrases(interview)
    yield from _thanks(interview)
    yield from _concerns(interview)
    yield from _greetings(interview)
