"""Bounded cost: layout linear in the text, caps that keep every letter under a second."""

from __future__ import annotations

import datetime as dt
import io
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pytest
from docx import Document
from pypdf import PdfReader

import thankyou
from thankyou.letter import Letter
from thankyou.renderers import pdf, render

TODAY = dt.date(2026, 11, 25)
#: Generous against the one-second aim: CI machines are slower and busier.
BOUND = 3.0


def _cpu(call: Callable[[], object]) -> float:
    started = time.process_time()
    call()
    return time.process_time() - started


def _words(data: bytes) -> list[list[tuple[str, float, float]]]:
    with pdfplumber.open(io.BytesIO(data)) as document:
        return [
            [(w["text"], round(w["x0"], 1), round(w["top"], 1)) for w in page.extract_words()]
            for page in document.pages
        ]


@pytest.mark.parametrize(
    "paragraph",
    ["a\n" * 8000, "a\n\n" * 6000, ("word " * 120 + "\n") * 400],
    ids=["8000-line-breaks", "6000-short-paragraphs", "400-long-lines"],
)
def test_layout_is_linear_in_the_text(paragraph: str, make_letter: Callable[..., Letter]) -> None:
    """Text with thousands of line breaks lays out in a bounded time (it took 10-25 s)."""
    letter = make_letter(paragraphs=("Thank you.", paragraph.strip()), personal=None)
    assert _cpu(lambda: render(letter, "pdf")) < BOUND


def test_stretches_look_exactly_like_one_paragraph(
    make_letter: Callable[..., Letter], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Setting a long paragraph in stretches moves no word on any page."""
    lines = [f"line {i} " * (1 + i % 7) + ("\n" if i % 5 == 0 else "") for i in range(150)]
    letter = make_letter(paragraphs=("Thank you.", "\n".join(lines), "Sincerely yours."))
    in_stretches = _words(render(letter, "pdf"))
    monkeypatch.setattr(pdf, "_LINES_PER_FLOWABLE", 10**9)
    monkeypatch.setattr(pdf, "_CHARACTERS_PER_FLOWABLE", 10**9)
    whole = _words(render(letter, "pdf"))
    assert len(whole) >= 3
    assert in_stretches == whole


def _with_personal(interview: thankyou.Interview, personal: str) -> thankyou.Interview:
    data = interview.model_dump()
    data["panel"] = [dict(data["panel"][0], personal=personal)]
    return thankyou.Interview.model_validate(data)


def test_personal_paragraph_line_breaks_are_capped(examples_dir: Path) -> None:
    """More than 200 line breaks in a personal paragraph is a FactsError naming the field."""
    facts = examples_dir / "one-on-one.json"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text.replace('"personal": "', '"personal": "' + "a\\n\\n" * 101), "utf-8")
    with pytest.raises(thankyou.FactsError) as caught:
        thankyou.load(facts)
    assert caught.value.field.endswith(".personal")
    assert "202 line breaks; the limit is 200" in str(caught.value)


@pytest.mark.parametrize(
    "body",
    [
        "{% for i in range(1001) %}x\n\n{% endfor %}",
        "{% for i in range(1001) %}x{{ BR }}{% endfor %}",
    ],
)
def test_a_template_letter_has_at_most_a_thousand_lines(
    body: str, examples_dir: Path, tmp_path: Path
) -> None:
    """A template that writes more than 1,000 paragraphs and line breaks is a TemplateError."""
    folder = tmp_path / "mine" / "thank-you"
    folder.mkdir(parents=True)
    (folder / "mine.j2").write_text(
        '{% extends "_base/thank-you.j2" %}\n{% block body %}\n' + body + "\n{% endblock %}\n",
        encoding="utf-8",
    )
    interview = thankyou.load(examples_dir / "panel-interview.toml")
    with pytest.raises(thankyou.TemplateError, match="the limit is 1,000"):
        thankyou.compose(interview, "thank-you/mine", template_dirs=[folder.parent])


WORST = {
    # The personal paragraph at its caps: 20,000 characters, 200 line breaks.
    "personal": ("{{ recipient.personal | personal }}", ("a\n\n" * 100) + "word " * 3900),
    # A template at its caps: 100,000 characters in 999 paragraphs...
    "paragraphs": ('{% for i in range(999) %}{{ "word " * 19 }}\n\n{% endfor %}', "Hi."),
    # ...or in one paragraph of 990 lines...
    "lines": ('{% for i in range(990) %}{{ "word " * 19 }}{{ BR }}{% endfor %}', "Hi."),
    # ...or in one unbroken paragraph.
    "unbroken": ('{{ "word " * 19900 }}', "Hi."),
}


@pytest.mark.parametrize("case", sorted(WORST))
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_worst_letter_within_the_caps_renders_in_bounded_time(
    case: str, fmt: str, examples_dir: Path, tmp_path: Path
) -> None:
    """Each worst case the caps allow renders well within the bound (about 0.6 s CPU here)."""
    body, personal = WORST[case]
    folder = tmp_path / "mine" / "thank-you"
    folder.mkdir(parents=True)
    (folder / "mine.j2").write_text(
        '{% extends "_base/thank-you.j2" %}\n{% block body %}\n' + body + "\n{% endblock %}\n",
        encoding="utf-8",
    )
    interview = _with_personal(thankyou.load(examples_dir / "panel-interview.toml"), personal)
    (letter,) = thankyou.compose(
        interview, "thank-you/mine", template_dirs=[folder.parent], today=TODAY
    )
    assert sum(map(len, letter.paragraphs)) >= 18_000
    data: list[bytes] = []
    assert _cpu(lambda: data.append(render(letter, fmt))) < BOUND
    if fmt == "docx":
        text = "\n".join(p.text for p in Document(io.BytesIO(data[0])).paragraphs)
        assert text.count("word") >= 3900 and text.rstrip().endswith("Alex Morgan")
    else:  # every page laid out, down to the signature on the last
        pages = PdfReader(io.BytesIO(data[0])).pages
        assert len(pages) >= 5 and "Alex Morgan" in pages[-1].extract_text()
