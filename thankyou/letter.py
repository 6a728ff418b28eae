"""The format-neutral result of composing: :class:`Letter` and its :class:`Recipient`.

A ``Letter`` is what every renderer receives and all it receives. It holds the
words and the addressing, nothing about PDF, DOCX or email, and it is
immutable, so one letter can be rendered in every format and compared across
them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from thankyou.models import Candidate, Delivery, Style

__all__ = ["Letter", "Recipient"]

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who a letter goes to, as their address block shows them."""

    #: Full name, exactly as they spell it.
    name: str
    #: Job title, when known.
    title: str | None = None
    #: Company (or agency) under the name in the address block.
    company: str | None = None
    #: Postal address lines.
    address: tuple[str, ...] = ()
    #: Normalised email address (Unicode domain), when known.
    email: str | None = None

    @property
    def block(self) -> tuple[str, ...]:
        """The address block: name, title, company, then the address lines.

        The company is left out when the first address line already names it.
        """
        lines = [self.name]
        if self.title:
            lines.append(self.title)
        if self.company and (not self.address or self.address[0] != self.company):
            lines.append(self.company)
        lines.extend(self.address)
        return tuple(lines)


@dataclass(frozen=True, slots=True)
class Letter:
    r"""One letter to one person, ready for any renderer.

    ``paragraphs`` holds the body between salutation and closing; the
    personalised paragraph, when there is one, is both in ``paragraphs`` and in
    ``personal``. A paragraph may contain ``\n`` line breaks.
    """

    #: Catalogue name of the template that wrote it, e.g. ``thank-you/formal``.
    template: str
    #: The candidate.
    sender: Candidate
    recipient: Recipient
    delivery: Delivery
    #: Date the letter is written.
    date: dt.date
    subject: str
    #: e.g. "Dear Dr. Raman," (with its punctuation).
    salutation: str
    paragraphs: tuple[str, ...]
    #: The personalised paragraph, or None.
    personal: str | None
    #: e.g. "Sincerely,".
    closing: str
    #: The name typed under the closing.
    signature: str
    #: The interview's company and position, for file names and document metadata.
    company: str = ""
    position: str = ""
    #: Paper, font and layout from the facts file; ``render(style=...)`` overrides it.
    style: Style = field(default_factory=Style)
    #: The date line as composed ("November 25, 2026"); decided once, when the letter
    #: is written, so that a style given at render time changes the layout only.
    dated: str = ""
    #: The language it is written in: ``en``, ``de``, ``fr`` or ``es``.
    language: Literal["en", "de", "fr", "es"] = "en"

    @property
    def date_line(self) -> str:
        """The date as the letter prints it: US order on Letter paper, else day first.

        A composed letter carries its date line (``dated``); only a Letter built
        by hand without one has it worked out here from its style, and German,
        French and Spanish ones as their language writes it ("25. November 2026",
        "Lyon, le 25 novembre 2026", "25 de noviembre de 2026").
        """
        if self.dated:
            return self.dated
        if self.language != "en":
            from thankyou import _lang

            return _lang.date_line(self.language, self.date, self.sender.city)
        month = _MONTHS[self.date.month - 1]
        if self.style.paper == "letter":
            return f"{month} {self.date.day}, {self.date.year}"
        return f"{self.date.day} {month} {self.date.year}"

    @property
    def heading(self) -> str | None:
        """The subject line a paper letter prints above the salutation, or None.

        German letters set the subject in bold without the word "Betreff" (DIN 5008);
        French ones start it with "Objet :" (with a narrow no-break space before the
        colon). English and Spanish paper letters carry none.
        """
        if self.language == "de":
            return self.subject
        if self.language == "fr":
            return f"Objet\u202f: {self.subject}"
        return None

    @property
    def date_right(self) -> bool:
        """True when the date line is set flush right.

        German (DIN 5008, a letter without an information block), French and
        Spanish letters put the place and date on the right; English ones on the left.
        """
        return self.language != "en"

    @property
    def sender_block(self) -> tuple[str, ...]:
        """Sender lines for a paper letter: name, address, then phone and email."""
        contact = [c for c in (self.sender.phone, self.sender.email) if c]
        return (self.sender.name, *self.sender.address, *contact)

    @property
    def body(self) -> str:
        """Salutation to signature, paragraphs separated by blank lines."""
        parts = [self.salutation, *self.paragraphs, f"{self.closing}\n{self.signature}"]
        return "\n\n".join(parts) + "\n"

    @property
    def text(self) -> str:
        """The whole letter as plain text.

        An email is its body; a paper letter starts with the sender block, the
        date and the recipient's address block, as it would on the page.
        """
        if self.delivery is Delivery.email:
            return self.body
        head = ["\n".join(self.sender_block), self.date_line, "\n".join(self.recipient.block)]
        if self.heading:
            head.append(self.heading)
        return "\n\n".join(head) + "\n\n" + self.body
