"""Typographic quotes in the templates' prose; the user's words and names exactly as typed."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
import pytest

import thankyou
from thankyou._typography import smart_quotes

TODAY = dt.date(2026, 11, 25)

TEMPLATE = """{% extends "_base/thank-you.j2" %}
{% block body %}
I'm grateful, {{ recipient.name }}. {{ recipient.name }}'s point about "on-call" stayed with me.

We spoke about {{ highlights | join_and }}.
{% endblock %}
"""


@pytest.fixture
def letter_to_tomas(examples_dir: Path, tmp_path: Path) -> thankyou.Letter:
    folder = tmp_path / "my-templates" / "thank-you"
    folder.mkdir(parents=True)
    (folder / "quotes.j2").write_text(TEMPLATE, encoding="utf-8")
    interview = thankyou.load(examples_dir / "panel-interview.toml")
    letters = thankyou.compose(
        interview, "thank-you/quotes", template_dirs=[tmp_path / "my-templates"], today=TODAY
    )
    return next(letter for letter in letters if "O'Neill" in letter.recipient.name)


def test_template_prose_gets_typographic_quotes_and_names_stay_as_typed(
    letter_to_tomas: thankyou.Letter,
) -> None:
    """’ and “ ” in the template's words; "Tomás O'Neill" keeps the apostrophe he typed."""
    first, second = letter_to_tomas.paragraphs
    assert first == (
        "I’m grateful, Tomás O'Neill. Tomás O'Neill’s point about “on-call” stayed with me."
    )
    assert "the team's habit" in second  # a highlight from the facts: the user's own text
    assert letter_to_tomas.salutation == "Dear Tomás O'Neill,"


def test_the_docx_carries_the_same_characters(letter_to_tomas: thankyou.Letter) -> None:
    """What the reader gets in Word: curly template quotes, the name untouched."""
    document = docx.Document(io.BytesIO(thankyou.render(letter_to_tomas, "docx")))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "I’m grateful, Tomás O'Neill. Tomás O'Neill’s point" in text
    assert "I'm" not in text


@pytest.mark.parametrize(
    ("text", "after", "before", "expected"),
    [
        ('It\'s "done".', False, False, "It’s “done”."),
        ("'s notes", True, False, "’s notes"),
        (' said "', False, True, " said “"),
        ("\" and 'x'", True, False, "” and ‘x’"),
        (r'"C:\temp" <b>', False, False, r"“C:\temp” <b>"),  # kept: backslash, angle bracket
        ("no quotes at all", False, False, "no quotes at all"),
    ],
)
def test_smart_quotes_reads_the_context_of_a_printed_value(
    text: str, after: bool, before: bool, expected: str
) -> None:
    """Template text beside a value is converted as if a word stood there."""
    assert smart_quotes(text, after_value=after, before_value=before) == expected
