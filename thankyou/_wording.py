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


#: The company's people spoken of as "they", in letters that go to those people.
_THEY = {"they": "the team", "their": "the team's", "them": "the team", "theirs": "the team's"}
_THEY_WORD = re.compile(r"\b(they|their|them|theirs)\b", re.I)


def _phrase(field: str, kind: str, value: str) -> Iterator[Hit]:
    """Findings for one value typed where a phrase is wanted."""
    if _prose.is_non_answer(value):
        yield "phrase-form/non-answer", field, {"value": value, "example": EXAMPLES[kind]}
        return
    fitted = _prose.fit_next_steps(value) if kind == "next_steps" else _prose.fit(value)
    if fitted.sentence:
        yield "phrase-form/sentence", field, {"value": value, "example": EXAMPLES[kind]}
        return
    if _prose.doubtful_capital(fitted.text):
        better = fitted.text[0].lower() + fitted.text[1:]
        yield "phrase-form/capital", field, {"value": value, "better": better}
    # One that opens with "They"/"Their" is turned to "you" in the panel's letters.
    if (
        kind in ("highlights", "next_steps")
        and _THEY_WORD.search(fitted.text)
        and not _prose.opens_with_they(fitted.text)
    ):
        better = _THEY_WORD.sub(lambda m: _THEY[m.group(1).lower()], fitted.text)
        yield "phrase-form/they", field, {"value": value, "better": better}
    if kind == "next_steps" and (article := _with_article(fitted)):
        yield "phrase-form/article", field, {"value": value, "better": article}


def _with_article(value: _prose.Value) -> str | None:
    """The next step with an article ("a final round with the CTO"); None if it needs none."""
    words = re.findall(r"[\w'’-]+", value.text)
    if value.plural or len(words) < 2 or not value.text[:1].islower():
        return None
    first = words[0].lower()
    if first in _prose.EN_DETERMINERS | _prose.EN_PLURAL_STARTS | {"another", "one", "no"}:
        return None
    if first.endswith("ing") or first in _prose.EN_PREPOSITIONS:
        return None  # "meeting the VP", "after the holidays": no article wanted
    return ("an " if first[0] in "aeiou" else "a ") + value.text


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
        if ref.relationship and _prose.fit_relationship(ref.relationship).sentence:
            yield (
                "phrase-form/relationship",
                f"references[{i}].relationship",
                {"value": ref.relationship, "example": EXAMPLES["relationship"]},
            )


#: Words a title keeps in lower case ("Head of Data", "VP, Engineering & Operations").
_TITLE_SMALL = _prose.EN_PREPOSITIONS | {"a", "an", "and", "or", "the", "&"}


def _titles(interview: Interview) -> Iterator[Hit]:
    """A job title typed all in lower case prints so in the address and beside the name."""
    for i, member in enumerate(interview.panel):
        title = member.title or ""
        if re.search(r"[a-z]", title) and title == title.lower():
            words = title.split(" ")
            better = " ".join(
                w if (w in _TITLE_SMALL and n) else w[:1].upper() + w[1:]
                for n, w in enumerate(words)
            )
            yield "phrase-form/title", f"panel[{i}].title", {"value": title, "better": better}


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
    yield from _titles(interview)
    yield from _concerns(interview)
    yield from _greetings(interview)
