"""The letters: their length (``too-long``), and which findings concern which letters."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from thankyou import _lang
from thankyou.checks._findings import Finding, finding
from thankyou.errors import ThankYouError
from thankyou.letter import Letter
from thankyou.models import Delivery, Interview, Style

#: A thank-you email over this many words is too long (README: Checks).
MAX_EMAIL_WORDS = 200


def compose_default(
    interview: Interview, today: dt.date, template_dirs: Sequence[str | Path]
) -> list[Letter]:
    """The panel letters with the default templates, or [] when they cannot be composed.

    A template problem is reported by ``thankyou render`` with its template and
    line; a check that repeated it would only say it less well.
    """
    from thankyou.composer import compose  # late: composer imports this module's siblings

    try:
        return compose(interview, today=today, template_dirs=template_dirs)
    except ThankYouError:
        return []


def _page_counter() -> Callable[[Letter, Style], int]:
    from thankyou.renderers.pdf import count_pages  # reportlab loads only when a letter is paper

    return count_pages


def length_findings(interview: Interview, letters: Sequence[Letter]) -> Iterator[Finding]:
    """``too-long``: a thank-you email over 200 words, or a paper letter over one page."""
    count_pages = None
    for i, letter in _panel_letters(interview, letters):
        if not letter.template.startswith("thank-you/"):
            continue
        name = letter.recipient.name
        if letter.delivery is Delivery.email:
            words = sum(len(p.split()) for p in letter.paragraphs)
            limit = _lang.MAX_EMAIL_WORDS.get(letter.language, MAX_EMAIL_WORDS)
            if words > limit:
                yield finding("too-long/words", f"panel[{i}]", name=name, words=words, limit=limit)
            continue
        count_pages = count_pages or _page_counter()
        if (pages := count_pages(letter, letter.style)) > 1:
            yield finding("too-long/pages", f"panel[{i}]", name=name, pages=pages)


def _panel_letters(interview: Interview, letters: Sequence[Letter]) -> Iterator[tuple[int, Letter]]:
    """Pair each letter with its panel index: by position, else by recipient name."""
    if len(letters) == len(interview.panel):
        yield from enumerate(letters)
        return
    index = {m.name: i for i, m in enumerate(interview.panel)}
    for letter in letters:
        if letter.recipient.name in index:
            yield index[letter.recipient.name], letter


# -- which findings concern which letters (for `thankyou render`) -----------------------------

#: Findings that concern one family of letters only: the 24-hour rule and the personalised
#: paragraph are the thank-you letters'; the decision date is the follow-up's.
_ONLY_FOR = {
    "late": "thank-you",
    "missing-personal": "thank-you",
    "duplicate-personal": "thank-you",
    "personal-punctuation": "thank-you",
    "too-long": "thank-you",
    "early-follow-up": "follow-up",
}
_PERSON = re.compile(r"^(panel\[\d+\]|references\[\d+\]|recruiter)(?=$|[.\[])")


def concerning(
    findings: Sequence[Finding], interview: Interview, letters: Sequence[Letter]
) -> list[Finding]:
    """The findings that concern ``letters``: about the interview, or about one of their readers.

    A finding about a person (``panel[1].personal``) concerns only the letters
    to that person; some concern one family only (``late`` the thank-you
    letters, ``early-follow-up`` the follow-up).
    """
    readers = {path for letter in letters for path in _reader_paths(interview, letter)}
    families = {letter.template.split("/", 1)[0] for letter in letters}
    kept = []
    for each in findings:
        family = _ONLY_FOR.get(each.code)
        if family is not None and family not in families:
            continue
        person = _PERSON.match(each.field)
        if person is None or person.group(1) in readers:
            kept.append(each)
    return kept


def _reader_paths(interview: Interview, letter: Letter) -> Iterator[str]:
    name = letter.recipient.name
    yield from (f"panel[{i}]" for i, m in enumerate(interview.panel) if m.name == name)
    yield from (f"references[{i}]" for i, r in enumerate(interview.references) if r.name == name)
    if interview.recruiter is not None and interview.recruiter.name == name:
        yield "recruiter"
