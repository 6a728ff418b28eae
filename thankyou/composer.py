"""compose(): an interview's facts in, one :class:`Letter` per reader out.

The template's family decides who reads it (SPEC §5): ``thank-you/*`` every
panel member, ``follow-up/*`` the primary contact, ``references/*`` each
reference, ``recruiter/*`` the recruiter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path

from thankyou import _context, _prose, templating
from thankyou.errors import FactsError, TemplateError
from thankyou.letter import Letter, Recipient
from thankyou.models import Delivery, Interview, Interviewer, Recruiter, Reference

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
    parts = templating.render_parts(template, context, template_dirs)
    return Letter(
        template=template,
        sender=interview.candidate,
        recipient=recipient,
        delivery=delivery,
        date=day,
        dated=_prose.date_en(
            _prose.day_ref(day, day, read_now=True, us_order=interview.style.paper == "letter"),
            weekday=False,
            year=True,
        ),
        subject=parts.subject,
        salutation=parts.salutation,
        paragraphs=parts.paragraphs,
        personal=parts.personal,
        closing=parts.closing,
        signature=interview.candidate.name,
        company=interview.company,
        position=interview.position,
        style=interview.style,
    )


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
