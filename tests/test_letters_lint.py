"""Every template, for facts typed the way people type them, read by a linter.

tests/data/messy/ holds interviews written as people really fill them in:
capitals and full stops in phrase fields, sentences where phrases were asked
for, one interviewer and six, no highlights and six, particles, mononyms,
titles with commas, concerns as strings and as tables. Each letter of each
built-in template must pass :func:`lint`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest

import thankyou
from thankyou import templating

MESSY = Path(__file__).resolve().parent / "data" / "messy"
FILES = sorted(MESSY.glob("*.toml"))
TODAY = dt.date(2026, 11, 25)

#: A frame word that runs on mid-sentence, then a capital that only starts sentences.
_FRAME_CAPITAL = re.compile(
    r"\b(?:of|about|to|is|are|for|with|that|and|the|at|as|on|steps?:|step:)\s+"
    r"(?:The|A|An|Our|My|This|These|Those|Their|Your|It|They|We|Two|Three|Several|How|What|"
    r"Modernising|Building|Former|Reference|Four)\b"
)
_DOUBLED_PUNCT = re.compile(r"(?<!\.)[.,;:!?]\s*[.,;:!?](?!\.)|\s[,.;:!?]|[a-z][.!?][A-Z]")
_DOUBLED_WORD = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)
_LEFTOVER = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}|\bNone\b|[\x00-\x08\x0b-\x1f]")
_THANK_YOU = re.compile(r"(?:^|[.!?]\s+)Thank you\b")
#: "the next step: two interviews" or "the next steps: a call." (one thing, plural noun).
_PLURAL_MISMATCH = re.compile(
    r"\bnext step: (?:two|three|several|more|further)\b|\bnext step: [^.]*, then\b"
    r"|\bnext steps: an? [^,.]*\.$|\bsteps is\b|\bstep are\b"
)


def lint(letter: thankyou.Letter) -> list[str]:
    """Return what a careful reader would mark in ``letter`` (empty when it reads right)."""
    problems: list[str] = []
    for paragraph in letter.paragraphs:
        prose = paragraph.split("\n– ")[0]
        if _DOUBLED_PUNCT.search(paragraph):
            problems.append(f"doubled punctuation: {paragraph!r}")
        if found := _DOUBLED_WORD.search(paragraph):
            problems.append(f"doubled word {found.group()!r}: {paragraph!r}")
        if found := _FRAME_CAPITAL.search(paragraph):
            problems.append(f"capital after a frame word {found.group()!r}: {paragraph!r}")
        if found := _PLURAL_MISMATCH.search(paragraph):
            problems.append(f"plural mismatch {found.group()!r}: {paragraph!r}")
        ends = ":" if "\n– " in paragraph else ".?!"
        if not prose.rstrip("\"'”’)").endswith(tuple(ends)):
            problems.append(f"paragraph without final punctuation: {paragraph!r}")
        if paragraph != letter.personal and not (paragraph[0].isupper() or paragraph[0] == "–"):
            problems.append(f"paragraph starts in lower case: {paragraph!r}")
    text = "\n".join([letter.subject, letter.salutation, *letter.paragraphs, letter.closing])
    if found := _LEFTOVER.search(text):
        problems.append(f"leftover template syntax {found.group()!r}")
    thanks = sum(len(_THANK_YOU.findall(p)) for p in letter.paragraphs)
    if thanks > 2:
        problems.append(f"{thanks} sentences start with 'Thank you'")
    if "  " in text:
        problems.append("double space")
    return problems


def _letters(path: Path) -> list[thankyou.Letter]:
    interview = thankyou.load(path)
    letters = []
    for info in templating.catalogue():
        try:
            letters += thankyou.compose(interview, info.name, today=TODAY)
        except thankyou.FactsError:  # no references or no recruiter in this file
            continue
    return letters


def test_there_are_at_least_thirty_messy_files() -> None:
    """The corpus keeps at least 30 interviews typed the way people type them."""
    assert len(FILES) >= 30


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_letter_reads_right(path: Path) -> None:
    """Each built-in template's letters for this messy file pass the linter."""
    letters = _letters(path)
    assert letters
    problems = [f"{lt.template} to {lt.recipient.name}: {p}" for lt in letters for p in lint(lt)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("I understand the next step is They will call me next week., and more.", "doubled"),
        ("Our discussion of The onboarding redesign left me keen.", "capital after"),
        ("I look forward to the next step: two more interviews.", "plural mismatch"),
        ("I look forward to the next steps: a call.", "plural mismatch"),
        ("We talked about the the roadmap.", "doubled word"),
        ("Dear {{ name }} thanks.", "leftover"),
        ("It went well", "without final punctuation"),
        ("Thank you. Thank you again. Thank you once more.", "'Thank you'"),
    ],
)
def test_the_linter_catches_each_tell(
    text: str, problem: str, make_letter: Callable[..., thankyou.Letter]
) -> None:
    """Each lint rule fires on the defect it names (so a clean run means something)."""
    letter = make_letter(paragraphs=(text,), personal=None)
    assert any(problem in p for p in lint(letter)), lint(letter)


#: Messy files where the letters cannot be sure, and the warning `check` must give for each.
EXPECTED_WARNINGS = {
    "sentence-next-steps": ("phrase-form", "next_steps"),
    "all-highlights-sentences": ("phrase-form", "highlights[1]"),
    "company-with-inc": ("phrase-form", "highlights[0]"),
    "concern-strings": ("phrase-form", "concerns[1].topic"),
    "concern-without-answer": ("concern-unanswered", "concerns[0].answer"),
    "honorific-without-family-name": ("greeting", "panel[0].family_name"),
    "name-with-own-honorific": ("greeting", "panel[0].name"),
    "relationship-forms": ("greeting", "references[3].given_name"),
}


@pytest.mark.parametrize("stem", sorted(EXPECTED_WARNINGS))
def test_check_names_the_field_to_fix(stem: str) -> None:
    """Where a messy value cannot be fitted with certainty, check names its field."""
    findings = thankyou.check(thankyou.load(MESSY / f"{stem}.toml"))
    assert EXPECTED_WARNINGS[stem] in {(f.code, f.field) for f in findings}


def test_check_is_quiet_where_the_letters_can_be_sure() -> None:
    """Trailing stops, sentence capitals and plurals are fitted silently: no wording warning."""
    for stem in ("trailing-stops-and-capitals", "plural-next-steps", "gerund-capital"):
        findings = thankyou.check(thankyou.load(MESSY / f"{stem}.toml"))
        assert not [f for f in findings if f.code == "phrase-form"], stem
