"""compose(): an interview's facts in, one :class:`Letter` per reader out.

The template's family decides who reads it (docs/templates.md): ``thank-you/*`` every
panel member, ``follow-up/*`` the primary contact, ``references/*`` each
reference, ``recruiter/*`` the recruiter.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path

from thankyou import _context, _lang, _prose, templating
from thankyou.errors import FactsError, TemplateError
from thankyou.letter import Letter, Recipient
from thankyou.models import Delivery, Interview, Interviewer, Recruiter, Reference, Style

__all__ = ["compose", "compose_each", "default_template"]

Person = Interviewer | Reference | Recruiter


def default_template(interview: Interview, member: Interviewer) -> str:
    """The thank-you template for one panel member: the facts' choice, else by channel."""
    if interview.template:
        return interview.template
    return "thank-you/email" if member.delivery is Delivery.email else "thank-you/formal"


def compose(
    interview: Interview,
    template: str | None = None,
    *,
    template_dirs: Sequence[str | Path] = (),
    today: dt.date | None = None,
) -> list[Letter]:
    """Write the letters of one interview.

    Args:
        interview: The facts, e.g. from :func:`thankyou.load`.
        template: Catalogue name such as ``"thank-you/warm"`` or
            ``"references/briefing"``. By default each panel member gets the
            facts file's ``template``, else ``thank-you/email`` when the letter
            goes by email and ``thank-you/formal`` when it goes by post or hand.
        template_dirs: Folders searched before the built-in templates.
        today: The date the letters carry (default: today), for reproducible output.

    Returns:
        One letter per reader, in the order of the facts file.

    Raises:
        TemplateError: the template is missing, broken or uses an undefined variable.
        FactsError: the template writes to someone the facts do not have
            (a recruiter letter without a recruiter, say).
    """
    letters = []
    for _, result in compose_each(interview, template, template_dirs=template_dirs, today=today):
        if isinstance(result, TemplateError):
            raise result
        letters.append(result)
    return letters


def compose_each(
    interview: Interview,
    template: str | None = None,
    *,
    template_dirs: Sequence[str | Path] = (),
    today: dt.date | None = None,
) -> Iterator[tuple[str, Letter | TemplateError]]:
    """Like :func:`compose`, but one result per reader, so one bad letter fails alone.

    Yields:
        The reader's name and their letter, or the :class:`TemplateError` that
        stopped it (for example a broken ``thank-you/formal`` while the email
        letters of the same panel are fine).

    Raises:
        TemplateError: the template asked for does not exist.
        FactsError: the template writes to someone the facts do not have.
    """
    day = today or dt.date.today()
    if isinstance(day, dt.datetime):  # a datetime is a date too; the letter wants the day only
        day = day.date()
    # The facts file's template is a default like any other: its family picks the readers.
    template = template or interview.template
    readers: list[tuple[Person, str]]
    if template is None:
        readers = [(m, default_template(interview, m)) for m in interview.panel]
    else:
        info = templating.template_info(template, template_dirs)
        readers = [(p, template) for p in _audience(interview, info.audience, template)]
    for person, name in readers:
        try:
            yield person.name, _letter(interview, person, name, day, template_dirs)
        except TemplateError as err:
            yield person.name, err


def _audience(interview: Interview, audience: str, template: str) -> list[Person]:
    if audience == "panel":
        return list(interview.panel)
    if audience == "primary":
        return [interview.primary]
    if audience == "references":
        if not interview.references:
            raise FactsError(
                f"the {template} template writes to each reference; add a [[references]] table",
                field="references",
            )
        return list(interview.references)
    if interview.recruiter is None:
        raise FactsError(
            f"the {template} template writes to the recruiter; add a [recruiter] table",
            field="recruiter",
        )
    if interview.recruiter.email is None:
        raise FactsError(
            f"the {template} template is an email; add the recruiter's email address",
            field="recruiter.email",
        )
    return [interview.recruiter]


def _letter(
    interview: Interview,
    person: Person,
    template: str,
    day: dt.date,
    template_dirs: Sequence[str | Path],
) -> Letter:
    recipient, delivery = _addressing(interview, person)
    context = _context.build(interview, person, day, delivery)
    language = _lang.language_of(interview, person)
    source = template
    if language != "en":
        context.update(_lang.refit(language, context))
        context["lang"] = _lang_helpers(interview, person, day, delivery, language)
        source = templating.localised(template, language, template_dirs)
    parts = templating.render_parts(source, context, template_dirs)
    if language != "en":
        parts = _typeset(parts, language)
    style = _style(interview, language)
    return Letter(
        template=template,
        sender=interview.candidate,
        recipient=recipient,
        delivery=delivery,
        date=day,
        dated=_dated(interview, day, language),
        subject=parts.subject,
        salutation=parts.salutation,
        paragraphs=parts.paragraphs,
        personal=parts.personal,
        closing=parts.closing,
        signature=interview.candidate.name,
        company=interview.company,
        position=interview.position,
        style=style,
        language=language,
    )


def _dated(interview: Interview, day: dt.date, language: str) -> str:
    """The date line: US or day-first order in English, the language's own form otherwise."""
    if language != "en":
        return _lang.date_line(language, day, interview.candidate.city)
    return _prose.date_en(
        _prose.day_ref(day, day, read_now=True, us_order=interview.style.paper == "letter"),
        weekday=False,
        year=True,
    )


def _lang_helpers(
    interview: Interview, person: Person, day: dt.date, delivery: Delivery, language: str
) -> _lang.Lang:
    """The ``lang`` object of a German, French or Spanish template."""
    greeting = _lang.greeting(
        language,
        person,
        email=delivery is Delivery.email,
        first_name_terms=not isinstance(person, Interviewer),
    )
    days = interview.decision_within_days
    decision = _prose.decision_day(interview.when.date(), days) if days is not None else None
    return _lang.Lang(
        code=language,
        greeting=greeting,
        interview=interview.date,
        today=day,
        reaches_today=delivery is Delivery.email,
        decision_day=decision,
    )


def _typeset(parts: templating.Parts, language: str) -> templating.Parts:
    """The language's punctuation on every part but the personal paragraph (the user's own)."""

    def fix(text: str) -> str:
        return _lang.typeset(language, text)

    return dataclasses.replace(
        parts,
        subject=fix(parts.subject),
        salutation=fix(parts.salutation),
        paragraphs=tuple(p if p == parts.personal else fix(p) for p in parts.paragraphs),
        closing=fix(parts.closing),
    )


def _style(interview: Interview, language: str) -> Style:
    """German letters default to A4 in the DIN 5008 window layout, French and Spanish to A4.

    Only what the facts leave unset changes: a ``[style]`` the user wrote is kept.
    """
    style = interview.style
    if language == "en":
        return style
    given = style.model_fields_set
    changes: dict[str, str] = {}
    if "paper" not in given:
        changes["paper"] = "a4"
    if language == "de" and "layout" not in given:
        changes["layout"] = "window"
    return style.model_copy(update=changes) if changes else style


def _addressing(interview: Interview, person: Person) -> tuple[Recipient, Delivery]:
    if isinstance(person, Interviewer):
        recipient = Recipient(
            name=person.name,
            title=person.title,
            company=interview.company,
            address=tuple(person.address),
            email=person.email,
        )
        return recipient, person.delivery
    company = person.agency if isinstance(person, Recruiter) else None
    return Recipient(name=person.name, company=company, email=person.email), Delivery.email
