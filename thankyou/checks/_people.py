"""The people: their names, addresses, personal paragraphs and greetings.

Names against their addresses and as written, look-alike domains, the personal
paragraphs (one each, finished), and greetings in German, French and Spanish.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from thankyou import _lang
from thankyou._names import lookalike_reason, spelling_mismatch
from thankyou.checks._findings import Finding, finding
from thankyou.models import Interview, ascii_email


def _people(interview: Interview) -> Iterator[tuple[str, str, str | None]]:
    """Yield (path, name, email) for everyone the facts name."""
    yield "candidate", interview.candidate.name, interview.candidate.email
    for i, member in enumerate(interview.panel):
        yield f"panel[{i}]", member.name, member.email
    if interview.recruiter is not None:
        yield "recruiter", interview.recruiter.name, interview.recruiter.email
    for i, ref in enumerate(interview.references):
        yield f"references[{i}]", ref.name, ref.email


def name_findings(interview: Interview) -> Iterator[Finding]:
    """``name-spelling`` against the address and ``name-format`` for everyone named."""
    for path, name, email in _people(interview):
        yield from _name_format(f"{path}.name", name)
        if email is not None and (miss := spelling_mismatch(name, email)) is not None:
            piece, word = miss
            yield finding(
                "name-spelling", f"{path}.name", name=name, email=email, word=word, piece=piece
            )
    for i, member in enumerate(interview.panel):
        if member.family_name is not None:
            yield from _name_format(f"panel[{i}].family_name", member.family_name)


_STRAY_SPACE = re.compile(r"^\s|\s$|\s{2}|\t|\s[,.]")


def _name_format(field: str, name: str) -> Iterator[Finding]:
    cased = sum(1 for c in name if c.islower() or c.isupper())
    # Scripts without case (CJK, Arabic, ...) can be neither "all lower" nor "all capitals".
    if cased >= 2 and name == name.lower():
        yield finding("name-format/lower", field, name=name)
    elif cased >= 2 and name == name.upper():
        yield finding("name-format/upper", field, name=name)
    if _STRAY_SPACE.search(name):
        yield finding("name-format/spaces", field, name=name)
    if (found := invisible_character(name)) is not None:
        position, char = found
        yield finding("name-format/invisible", field, name=name, char=char, position=position)


#: Characters that print as nothing (Unicode category Cf, and a few blank letters).
_BLANK_LETTERS = frozenset("\u034f\u115f\u1160\u3164\uffa0\u2800")
#: ZWNJ and ZWJ shape Arabic-script (Persian, Urdu...), Syriac and Indic names
#: (Unicode Standard §23.2); beside letters of those scripts they are part of the spelling.
_JOINERS = frozenset("\u200c\u200d")
_JOINING_SCRIPTS = (
    (0x0600, 0x08FF),  # Arabic, Syriac, Thaana, NKo, Arabic Extended
    (0x0900, 0x0DFF),  # Devanagari ... Sinhala
    (0x0F00, 0x0FFF),  # Tibetan
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x18AF),  # Khmer, Mongolian
    (0xA8E0, 0xA8FF),  # Devanagari Extended
    (0xFB50, 0xFDFF),  # Arabic Presentation Forms-A
    (0xFE70, 0xFEFE),  # Arabic Presentation Forms-B
)


def invisible_character(name: str) -> tuple[int, str] | None:
    """The first invisible character in a name as (1-based position, ``U+200B ZERO WIDTH SPACE``).

    ZWNJ and ZWJ count only where no neighbour belongs to a script that uses them.
    """
    import unicodedata

    for index, char in enumerate(name):
        if unicodedata.category(char) != "Cf" and char not in _BLANK_LETTERS:
            continue
        if char in _JOINERS and _joins(name[index - 1 : index] + name[index + 1 : index + 2]):
            continue
        label = unicodedata.name(char, "").title() or "an unnamed format character"
        return index + 1, f"U+{ord(char):04X} ({label})"
    return None


def _joins(neighbours: str) -> bool:
    return any(lo <= ord(c) <= hi for c in neighbours for lo, hi in _JOINING_SCRIPTS)


# -- personal paragraphs ----------------------------------------------------------------------


def personal_findings(interview: Interview) -> Iterator[Finding]:
    """``missing-personal`` and ``duplicate-personal``: one paragraph of its own for each."""
    seen: dict[str, int] = {}
    for i, member in enumerate(interview.panel):
        field = f"panel[{i}].personal"
        if member.personal is None:
            yield finding("missing-personal", field, name=member.name)
            continue
        key = " ".join(member.personal.casefold().split())
        if key in seen:
            first, first_field = interview.panel[seen[key]].name, f"panel[{seen[key]}]"
            yield finding(
                "duplicate-personal", field, name=member.name, first=first, first_field=first_field
            )
        else:
            seen[key] = i


_FINAL = ".!?…。！？؟।።"
_CLOSERS = "\"'”’»)]）」』"


def punctuation_findings(interview: Interview) -> Iterator[Finding]:
    """``personal-punctuation``: a personal paragraph whose last sentence is unfinished."""
    for i, member in enumerate(interview.panel):
        text = (member.personal or "").rstrip().rstrip(_CLOSERS)
        if text and text[-1] not in _FINAL:
            end = _ending(member.personal or "")
            yield finding("personal-punctuation", f"panel[{i}].personal", name=member.name, end=end)


def _ending(text: str, width: int = 20) -> str:
    """The last words of ``text``, about ``width`` characters, on one line."""
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    tail = flat[-width:]
    return tail.split(" ", 1)[-1] if not flat[-width - 1].isspace() else tail


def domain_findings(interview: Interview) -> Iterator[Finding]:
    """``look-alike-domain``: an address whose domain may imitate another."""
    for path, _name, email in _people(interview):
        if email is not None and (reason := lookalike_reason(email)) is not None:
            yield finding(
                "look-alike-domain", f"{path}.email",
                email=email, ascii=ascii_email(email), reason=reason,
            )  # fmt: skip


_LANGUAGE_NAMES = {"de": "German", "fr": "French", "es": "Spanish"}


def greeting_findings(interview: Interview) -> Iterator[Finding]:
    """``neutral-greeting``: a de/fr/es letter that cannot greet its reader by name."""
    people: list[tuple[str, Any, bool]] = [
        (f"panel[{i}]", member, False) for i, member in enumerate(interview.panel)
    ]
    if interview.recruiter is not None:
        people.append(("recruiter", interview.recruiter, True))
    people += [(f"references[{i}]", ref, True) for i, ref in enumerate(interview.references)]
    for path, person, first_name_terms in people:
        language = _lang.language_of(interview, person)
        gap = _lang.greeting_gap(language, person, first_name_terms=first_name_terms)
        if gap is None:
            continue
        greeting = _lang.greeting(language, person, email=True, first_name_terms=first_name_terms)
        variant = "given" if gap == "honorific" and first_name_terms else gap
        yield finding(
            f"neutral-greeting/{variant}",
            f"{path}.{gap}",
            language=_LANGUAGE_NAMES[language],
            name=person.name,
            salutation=greeting.salutation,
            hint=_lang.HONORIFIC_HINT[language],
        )
