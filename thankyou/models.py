"""The interview facts (docs/facts.md) as pydantic models.

Every text field passes the cleaning layer of :mod:`thankyou._text`; every
address is validated and normalised with email-validator; unknown keys are
errors. Models are frozen: a loaded interview is a value.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
import warnings
from pathlib import Path
from typing import Annotated, Any, Literal

import email_validator
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from thankyou import _text

__all__ = [
    "Candidate",
    "Concern",
    "Delivery",
    "Interview",
    "Interviewer",
    "Language",
    "Recruiter",
    "Reference",
    "Style",
    "ascii_email",
]


def _require_str(value: Any) -> Any:
    # Refuse numbers and booleans instead of letting them become "42" or "True":
    # a name that is a number is a mistake in the file, not a name.
    if value is not None and not isinstance(value, str):
        raise PydanticCustomError("text_type", "must be text (put it in quotes)")
    return value


Line = Annotated[str, BeforeValidator(_require_str), AfterValidator(_text.clean_line)]
"""A single line of text: a name, a title, a company."""

Phrase = Annotated[
    str,
    BeforeValidator(_require_str),
    AfterValidator(lambda v: _text.clean_line(v, max_length=_text.PHRASE_MAX)),
]
"""A single-line phrase that a template weaves into a sentence (a highlight)."""

Block = Annotated[str, BeforeValidator(_require_str), AfterValidator(_text.clean_block)]
"""Multi-line text: the personalised paragraph."""


def _validate_email(value: str) -> str:
    try:
        result = email_validator.validate_email(value.strip(), check_deliverability=False)
    except email_validator.EmailNotValidError as err:
        raise PydanticCustomError(
            "bad_email",
            "'{address}' is not a valid email address: {reason}",
            {"address": value if len(value) <= 80 else value[:79] + "…", "reason": str(err)},
        ) from None
    if len(result.local_part.encode()) > 64:  # RFC 5321 §4.5.3.1.1: 64 octets at most
        raise PydanticCustomError(
            "bad_email",
            "'{address}' is not a valid email address: {reason}",
            {"address": value if len(value) <= 80 else value[:79] + "…",
             "reason": f"the part before the @ is {len(result.local_part.encode())} bytes long, "
                       "and the most a mail server must accept is 64."},
        )  # fmt: skip
    return result.normalized


Email = Annotated[str, BeforeValidator(_require_str), AfterValidator(_validate_email)]
"""An email address, validated offline and stored in its normalised (Unicode) form."""


@functools.lru_cache(maxsize=4096)
def ascii_email(address: str) -> str:
    """Return the form of a normalised address that goes into mail headers.

    The domain is in punycode (``xn--…``); a non-ASCII local part stays as it
    is, because only SMTPUTF8 can carry it.
    """
    result = email_validator.validate_email(address, check_deliverability=False)
    return result.ascii_email or f"{result.local_part}@{result.ascii_domain}"


def _lines(value: Any) -> Any:
    # TOML/JSON give a list; a spreadsheet cell gives one string with line breaks.
    if isinstance(value, str):
        return [line for line in value.splitlines() if line.strip()]
    return value


AddressLines = Annotated[list[Line], BeforeValidator(_lines), Field(max_length=10)]


def _language_code(value: Any) -> Any:
    # "DE" and " de " are what people type; the letters know four languages.
    return value.strip().lower() if isinstance(value, str) else value


Language = Annotated[Literal["en", "de", "fr", "es"], BeforeValidator(_language_code)]
"""The language a letter is written in: English (default), German, French or Spanish."""


class Delivery(enum.StrEnum):
    """How a letter reaches its reader."""

    email = "email"
    post = "post"
    hand = "hand"


def _lower(value: Any) -> Any:
    # A choice reads the same in any case: delivery = "Post", paper = "A4".
    return value.strip().lower() if isinstance(value, str) else value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class Candidate(_Model):
    """The person writing the letters."""

    #: Your name, exactly as you sign it.
    name: Line
    #: Your address: the From of every email, and the reply address.
    email: Email
    #: Your phone number, for the letterhead and the email signature.
    phone: Line | None = None
    #: Your postal address, one line per entry (`["12 Elm Street", "Springfield, IL 62701"]`).
    address: AddressLines = []
    #: The town the candidate writes from; French and Spanish letters date from it.
    city: Line | None = None


class Interviewer(_Model):
    """One member of the interview panel."""

    #: Full name exactly as they spell it; never re-cased or split.
    name: Line
    #: With `family_name`: "Dear Dr. Raman," (`"Dr."`, `"Ms."`, `"Frau"`, `"Madame"`).
    honorific: Line | None = None
    #: The family name for a formal greeting; give it with `honorific`.
    family_name: Line | None = None
    #: The name used on first-name terms ("Mei"); never derived from ``name``.
    given_name: Line | None = None
    #: The whole greeting line, used verbatim ("Dear Professor Okafor,").
    salutation: Line | None = None
    #: Their job title, under the name in the address ("Staff Engineer").
    title: Line | None = None
    #: Their address; needed when `delivery` is email.
    email: Email | None = None
    #: Their postal address lines; needed when `delivery` is post.
    address: AddressLines = []
    #: How the letter reaches them: email, post or by hand.
    delivery: Annotated[Delivery, BeforeValidator(_lower)] = Delivery.email
    #: The hiring contact: gets the follow-up (else the first panel member).
    primary: bool = False
    #: The paragraph written for this person alone, in your own words (sentences).
    personal: Block | None = None
    #: The language of this reader's letters, when it is not the interview's.
    language: Language | None = None

    @model_validator(mode="after")
    def _channel_has_its_contact(self) -> Interviewer:
        if self.delivery is Delivery.email and self.email is None:
            raise _missing("email", 'add their email address, or set delivery = "post" or "hand"')
        if self.delivery is Delivery.post and not self.address:
            raise _missing(
                "address", 'add their postal address lines, or set delivery = "email" or "hand"'
            )
        return self

    @property
    def salutation_name(self) -> str:
        """The name after "Dear": honorific and family name when both are given (docs/facts.md)."""
        if self.honorific and self.family_name:
            return f"{self.honorific} {self.family_name}"
        return self.name


def _missing(field: str, hint: str) -> PydanticCustomError:
    # The field rides in the context so that facts.py can put it on the path.
    return PydanticCustomError(
        "missing_contact", "is required for this delivery: {hint}", {"hint": hint, "field": field}
    )


class Recruiter(_Model):
    """The recruiter who arranged the interview."""

    #: Full name exactly as they spell it.
    name: Line
    #: The name used on first-name terms: "Hi Jordan,".
    given_name: Line | None = None
    #: The whole greeting line, used verbatim.
    salutation: Line | None = None
    #: The agency they work for.
    agency: Line | None = None
    #: Their phone number: the plan says to call them first.
    phone: Line | None = None
    #: Their address, for the debrief.
    email: Email | None = None
    #: For the formal greeting of a German, French or Spanish letter ("Herr", "Madame").
    honorific: Line | None = None
    #: The family name for that formal greeting ("Herr O'Neill", "Sra. Chen").
    family_name: Line | None = None
    #: The language of the debrief, when it is not the interview's.
    language: Language | None = None

    @property
    def salutation_name(self) -> str:
        """The name after "Dear"."""
        return self.name


class Reference(_Model):
    """A reference to brief before the employer calls."""

    #: Full name exactly as they spell it.
    name: Line
    #: The name used on first-name terms: "Hi Sam,".
    given_name: Line | None = None
    #: The whole greeting line, used verbatim.
    salutation: Line | None = None
    #: Who they are to you, as a phrase that reads after their name ("my manager at Brightline").
    relationship: Phrase | None = None
    #: Their address, for the briefing.
    email: Email
    #: Their phone number.
    phone: Line | None = None
    #: The points you want them to speak to, as phrases ("the on-call redesign I led").
    emphasise: list[Phrase] = []
    #: For the formal greeting of a German, French or Spanish letter ("Frau", "Sra.").
    honorific: Line | None = None
    #: The family name for that formal greeting ("Herr O'Neill", "Sra. Chen").
    family_name: Line | None = None
    #: The language of this reference's briefing, when it is not the interview's.
    language: Language | None = None

    @property
    def salutation_name(self) -> str:
        """The name after "Dear"."""
        return self.name


def _concern_table(value: Any) -> Any:
    # The first form, a plain string, is a concern raised by no one in particular.
    return {"topic": value} if isinstance(value, str) else value


class Concern(_Model):
    """A problem area from the interview, and what the candidate is doing about it."""

    #: What was asked about, as a phrase ("my Kubernetes experience").
    topic: Phrase
    #: Panel members who raised it (their ``name`` or ``given_name``); empty: everyone.
    raised_by: list[Line] = []
    #: What the candidate is doing about it, as a sentence.
    answer: Phrase | None = None


ConcernEntry = Annotated[Concern, BeforeValidator(_concern_table)]


def _resolve_path(value: Any, info: ValidationInfo) -> Any:
    """Resolve a relative path against the facts file's folder, and require it to exist."""
    if value is None or isinstance(value, bool):
        return value
    if not isinstance(value, str | Path):
        raise PydanticCustomError("path_type", "must be a file path")
    path = Path(value).expanduser()
    base = (info.context or {}).get("base_dir")
    if not path.is_absolute() and base is not None:
        path = Path(base) / path
    if path.is_dir():
        raise PydanticCustomError(
            "path_folder", "{path} is a folder, not a file", {"path": str(path)}
        )
    if not path.is_file():
        raise PydanticCustomError("path_missing", "no such file: {path}", {"path": str(path)})
    return path


ExistingFile = Annotated[Path, BeforeValidator(_resolve_path)]


def _letterhead(value: Any, info: ValidationInfo) -> Any:
    # One validator for the whole union, so a missing image is one error, not two.
    if isinstance(value, bool):
        return value
    if not isinstance(value, str | Path):
        raise PydanticCustomError("path_type", "must be true, false or the path of an image")
    return _resolve_path(value, info)


class Style(_Model):
    """How documents look: paper, font, layout, letterhead and signature image.

    The facts key ``signature`` is the attribute :attr:`signature_image`, so it is
    not mistaken for :attr:`thankyou.Letter.signature`, the typed name under the
    closing. ``Style(signature=...)`` and ``Style(signature_image=...)`` both work.
    """

    # The facts key (the alias) keeps its name; Python code says which signature it means.
    model_config = ConfigDict(populate_by_name=True)

    #: US Letter or A4; also decides the envelope size and the date order.
    paper: Annotated[Literal["letter", "a4"], BeforeValidator(_lower)] = "letter"
    #: Liberation Serif or Sans in PDF; Times New Roman or Arial in DOCX.
    font: Annotated[Literal["serif", "sans"], BeforeValidator(_lower)] = "serif"
    #: "window" places the address for a window envelope (DIN 5008 on A4, the #10 window on Letter).
    layout: Annotated[Literal["block", "window"], BeforeValidator(_lower)] = "block"
    #: ``True`` builds a letterhead from the candidate; a path uses that image.
    letterhead: Annotated[bool | Path, BeforeValidator(_letterhead)] = False
    #: An image of the handwritten signature, placed above the typed name on paper
    #: (facts key ``signature``).
    signature_image: ExistingFile | None = Field(default=None, alias="signature")
    #: TrueType fonts for scripts the bundled fonts lack, tried before installed fonts.
    extra_fonts: list[ExistingFile] = []
    #: Envelope size for ``-f envelope``: ``None`` follows the paper (US #10 with
    #: Letter, DL with A4); ``"c5"`` or ``"c6"`` for those ISO 269 sizes.
    envelope: Literal["us10", "dl", "c5", "c6"] | None = None
    #: ``-f auto`` also writes an envelope for each letter that goes by post or hand.
    envelopes: bool = False

    @property
    def signature(self) -> Path | None:
        """Deprecated: read :attr:`signature_image` (the same path)."""
        warnings.warn(
            "Style.signature is deprecated: read Style.signature_image",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.signature_image


def _parse_when(value: Any) -> Any:
    # A date-only string must stay a date, not become midnight; a number (20261124)
    # must not become a Unix timestamp in 1970.
    if isinstance(value, dt.date):
        return _within_years(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            parsed: dt.date = (
                dt.date.fromisoformat(text)
                if len(text) == 10
                else dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            )
        except ValueError:
            pass
        else:
            return _within_years(parsed)
    raise PydanticCustomError(
        "bad_date",
        "'{value}' is not a date; write 2026-11-24 or 2026-11-24T14:00:00-06:00",
        {"value": "" if value is None else str(value)},
    )


#: The years an interview date may fall in. Far enough from year 1 and year 9999
#: that moving to another time zone or counting weeks ahead stays on the calendar.
YEARS = (1900, 2999)


def _within_years(value: dt.date) -> dt.date:
    if not YEARS[0] <= value.year <= YEARS[1]:
        raise PydanticCustomError(
            "bad_date",
            "'{value}' is not a plausible interview date; the year must be between "
            "{first} and {last}",
            {"value": value.isoformat(), "first": YEARS[0], "last": YEARS[1]},
        )
    return value


def _country(value: Any) -> Any:
    """ISO 3166-1 alpha-2 (``US``), or ISO 3166-2 with a subdivision (``DE-BY``), upper-cased.

    The ``holidays`` package must know the country (and subdivision).
    """
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(
        r"[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?", value.strip()
    ):
        raise PydanticCustomError(
            "bad_country",
            "'{value}' is not an ISO 3166 country code such as US or DE (or DE-BY for a region)"
            ", or leave country out",
            {"value": str(value)[:40]},
        )
    code = value.strip().upper()
    from thankyou._holidays import known_country  # lazy: the holidays package is large

    if not known_country(code):
        raise PydanticCustomError(
            "bad_country",
            "'{value}' is not a country or region whose public holidays are known: use an "
            "ISO 3166 code such as US, GB or DE-BY, or leave country out",
            {"value": code},
        )
    return code


class Interview(_Model):
    """Everything known about one interview: the facts file, validated."""

    #: The employer, as it writes its own name.
    company: Line
    #: The job title you interviewed for ("Senior Data Engineer").
    position: Line
    #: When the interview started: a date, or a date-time with or without its offset.
    date: Annotated[dt.datetime | dt.date, BeforeValidator(_parse_when)]
    #: Where it took place, when that matters to the letter.
    location: Line | None = None
    #: How many days they said the decision would take; the letters turn it into a day.
    decision_within_days: Annotated[int, Field(ge=0, le=365)] | None = None
    #: What you discussed, as phrases said to everyone ("the move to streaming pipelines").
    highlights: list[Phrase] = Field(default=[], max_length=10)
    #: Problem areas: a phrase, or a table with the topic, who raised it and your answer.
    concerns: list[ConcernEntry] = Field(default=[], max_length=5)
    #: What happens next, as a phrase ("a take-home exercise, then a call with the VP").
    next_steps: Phrase | None = None
    #: How the candidate's experience meets the team's need (phrase or sentence).
    fit: Phrase | None = None
    #: The template every panel letter uses (default: by delivery).
    template: Line | None = None
    #: The language of the letters and the plan (each person may have their own).
    language: Language = "en"
    #: You, the person writing.
    candidate: Candidate
    #: One table per interviewer: `[[panel]]`.
    panel: list[Interviewer] = Field(min_length=1, max_length=50)
    #: The recruiter who arranged the interview, if any.
    recruiter: Recruiter | None = None
    #: One table per reference to brief: `[[references]]`.
    references: list[Reference] = Field(default=[], max_length=20)
    #: How the documents look.
    style: Style = Style()
    #: ISO 3166 country (``US``) or region (``DE-BY``) whose public holidays the plan avoids.
    country: Annotated[str, BeforeValidator(_country)] | None = None

    @field_validator("panel")
    @classmethod
    def _one_primary(cls, panel: list[Interviewer]) -> list[Interviewer]:
        primaries = [i for i, member in enumerate(panel) if member.primary]
        if len(primaries) > 1:
            raise PydanticCustomError(
                "two_primaries",
                "panel[{first}] and panel[{second}] are both primary; mark only the hiring contact",
                {"first": primaries[0], "second": primaries[1]},
            )
        return panel

    @model_validator(mode="after")
    def _concerns_name_the_panel(self) -> Interview:
        known = {m.name for m in self.panel} | {m.given_name for m in self.panel if m.given_name}
        for i, concern in enumerate(self.concerns):
            for j, name in enumerate(concern.raised_by):
                if name not in known:
                    names = ", ".join(repr(m.name) for m in self.panel)
                    raise PydanticCustomError(
                        "unknown_raiser",
                        "'{name}' is not on the panel; use a panel member's name: {names}",
                        {"name": name, "names": names, "field": f"concerns[{i}].raised_by[{j}]"},
                    )
        return self

    @property
    def primary(self) -> Interviewer:
        """The hiring contact: the member marked primary, else the first (docs/facts.md)."""
        return next((m for m in self.panel if m.primary), self.panel[0])

    @property
    def when(self) -> dt.datetime:
        """The interview time; a bare date counts as 09:00, a naive time as local time."""
        if isinstance(self.date, dt.datetime):
            return self.date
        return dt.datetime.combine(self.date, dt.time(9, 0))
