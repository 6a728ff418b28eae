"""The page as a typesetter sets it: short letters placed lower, DOCX laid out as the PDF.

PDF positions come from pdfplumber (points, measured from the top). The DOCX
side goes through LibreOffice, in one run for every document of this module.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn
from PIL import Image as PILImage

import thankyou
from thankyou.errors import RenderWarning
from thankyou.letter import Letter
from thankyou.models import Style
from thankyou.renderers import _layout, pdf

MakeLetter = Callable[..., Letter]
TODAY = dt.date(2026, 11, 25)
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EPS = 0.6


def lines_of(data: bytes | Path, page: int = 0) -> list[dict[str, Any]]:
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    with pdfplumber.open(source) as document:
        return list(document.pages[page].extract_text_lines())


def top_of(lines: list[dict[str, Any]], start: str) -> float:
    return float(next(line["top"] for line in lines if line["text"].startswith(start)))


def example_letters() -> dict[str, Letter]:
    """Every posted example letter (block layout), by recipient."""
    found = {}
    for name in ("panel-interview.toml", "one-on-one.yaml"):
        for letter in thankyou.compose(thankyou.load(EXAMPLES / name), today=TODAY):
            found[letter.recipient.name] = letter
    return found


def long_letter(make_letter: MakeLetter, paragraphs: int) -> Letter:
    text = (
        "Your question about backfilling late events has stayed with me, and I have kept "
        "thinking about how a watermark per source would shrink the nightly reconciliation."
    )
    return make_letter(paragraphs=tuple(f"{i + 1}. {text}" for i in range(paragraphs)))


# --- a short letter sits lower -------------------------------------------------------------------


def test_a_short_letter_moves_down_the_page(make_letter: MakeLetter) -> None:
    """Half a page of text: the date drops and the date-address gap opens, within limits."""
    short = lines_of(thankyou.render(make_letter(), "pdf"))
    full = lines_of(thankyou.render(long_letter(make_letter, 14), "pdf"))  # two pages
    date = "November 25, 2026"
    gap_full = top_of(full, "Priya Raman") - top_of(full, date)
    gap_short = top_of(short, "Priya Raman") - top_of(short, date)
    # A page that is full keeps the standard rhythm: one line and two blank lines of 11 pt.
    assert gap_full == pytest.approx(_layout.BODY_LEADING + 2 * _layout.PARAGRAPH_GAP, abs=EPS)
    opened = gap_short - gap_full
    assert 2 * _layout.BODY_LEADING <= opened <= _layout.BALANCE_MID_MAX + EPS
    moved = top_of(short, date) - top_of(full, date)
    assert 0 < moved <= _layout.BALANCE_MAX - opened + EPS
    # The letter now ends in the lower third of the page, still well above the margin.
    bottom = short[-1]["bottom"]
    assert 792 * 2 / 3 < bottom < 792 - 72


def test_balance_is_half_the_free_space_and_capped() -> None:
    """The rule itself: nothing for a full page, half the room, never more than six lines."""
    assert _layout.balance(0) == (0.0, 0.0)
    assert _layout.balance(-30) == (0.0, 0.0)
    above, between = _layout.balance(60)
    assert above + between == 30 and between == 20
    above, between = _layout.balance(1000)
    assert above + between == pytest.approx(_layout.BALANCE_MAX, abs=1)
    assert between == _layout.BALANCE_MID_MAX


def test_docx_copies_the_pdfs_placement(make_letter: MakeLetter) -> None:
    """The DOCX carries the PDF's extra space above and below the date, each on one side.

    With the sender block in the text, the space above the date is the block's
    last space after (Word adds space after and before; LibreOffice may not).
    """
    letter = make_letter()
    assert letter.style.letterhead is False
    above, between = pdf.measure(letter, letter.style).balance
    assert above > 0 and between > 0
    document = docx.Document(io.BytesIO(thankyou.render(letter, "docx")))

    def spacing(style: str, index: int, side: str) -> int | None:
        paragraph = [p for p in document.paragraphs if p.style.name == style][index]
        value = paragraph._p.pPr.find(qn("w:spacing")).get(qn(f"w:{side}"))
        return None if value is None else int(value)

    assert spacing("Sender", -1, "after") == round((_layout.PARAGRAPH_GAP + above) * 20)
    assert spacing("Letter Date", 0, "before") is None
    assert spacing("Letter Date", 0, "after") == round((2 * _layout.PARAGRAPH_GAP + between) * 20)


# --- DOCX images ---------------------------------------------------------------------------------


def png(path: Path, size: tuple[int, int]) -> Path:
    PILImage.new("RGB", size, (40, 40, 40)).save(path)
    return path


def test_docx_pictures_have_no_inset(make_letter: MakeLetter, tmp_path: Path) -> None:
    """Letterhead and signature pictures: zero distance from text, zero effect extent."""
    image = png(tmp_path / "head.png", (1200, 200))
    data = thankyou.render(make_letter(), "docx", style=Style(letterhead=image, signature=image))
    document = docx.Document(io.BytesIO(data))
    header = document.sections[0].first_page_header
    inlines = [*header._element.iter(qn("wp:inline")), *document.element.iter(qn("wp:inline"))]
    assert len(inlines) == 2
    for inline in inlines:
        assert [inline.get(side) for side in ("distT", "distB", "distL", "distR")] == ["0"] * 4
        effect = inline.find(qn("wp:effectExtent"))
        assert effect is not None and {effect.get(k) for k in "ltrb"} == {"0"}


# --- LibreOffice lays the DOCX out as the PDF ----------------------------------------------------


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """name -> (thankyou's PDF, LibreOffice's PDF of thankyou's DOCX), one LibreOffice run."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        reason = "LibreOffice (soffice) is not installed; apt-get install libreoffice-writer-nogui"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    from conftest import _letter

    root = tmp_path_factory.mktemp("page")
    image = png(root / "head.png", (1200, 200))
    jobs: dict[str, tuple[Letter, Style]] = {
        f"example-{letter.style.layout}-{i}": (letter, letter.style)
        for i, letter in enumerate(example_letters().values())
    }
    two_pages = long_letter(_letter, 14)
    jobs["two-pages"] = (two_pages, two_pages.style)
    jobs["sender-block"] = (_letter(), Style(letterhead=False))  # the sender block in the text
    jobs["image-block"] = (_letter(), Style(letterhead=image))
    jobs["image-window"] = (_letter(), Style(paper="a4", layout="window", letterhead=image))
    result = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RenderWarning)
        for name, (letter, style) in jobs.items():
            (root / f"{name}.docx").write_bytes(thankyou.render(letter, "docx", style=style))
            (root / f"{name}-thankyou.pdf").write_bytes(thankyou.render(letter, "pdf", style=style))
            result[name] = (root / f"{name}-thankyou.pdf", root / f"{name}.pdf")
    subprocess.run(
        [soffice, f"-env:UserInstallation={(root / 'profile').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(root), *sorted(map(str, root.glob("*.docx")))],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return result


def test_libreoffice_breaks_the_example_letters_lines_where_the_pdf_does(
    office: dict[str, tuple[Path, Path]],
) -> None:
    """Every line of every example letter holds the same words in both formats.

    One example paragraph would end on a one-word line at full width: the PDF
    sets it narrower, and the DOCX gives it the same right indent.
    """
    examples = [name for name in office if name.startswith("example-")]
    assert len(examples) >= 4
    for name in examples:
        ours, theirs = office[name]
        assert [line["text"] for line in lines_of(ours)] == [
            line["text"] for line in lines_of(theirs)
        ], name


def test_libreoffice_places_the_lines_where_the_pdf_does(
    office: dict[str, tuple[Path, Path]],
) -> None:
    """Block layout: below the letterhead, each line's top is within 2 pt of the PDF's.

    So the DOCX moves a short letter down exactly as far as the PDF does.
    """
    names = [n for n in office if n.startswith("example-block-")]
    assert len(names) >= 3
    names.append("sender-block")
    for name in names:
        ours, theirs = (lines_of(path) for path in office[name])
        body = [(a["top"], b["top"]) for a, b in zip(ours, theirs, strict=True)][2:]
        assert max(abs(a - b) for a, b in body) < 2.0, name


def test_libreoffice_breaks_the_page_where_the_pdf_does(
    office: dict[str, tuple[Path, Path]],
) -> None:
    """A letter too long for one page continues with the same line in both formats."""
    ours, theirs = office["two-pages"]
    first_ours, first_theirs = lines_of(ours, 1), lines_of(theirs, 1)
    # Page 2 opens with the continuation header, then the same line of text.
    assert first_ours[1]["text"] == first_theirs[1]["text"]
    assert lines_of(ours)[-1]["text"] == lines_of(theirs)[-1]["text"]


@pytest.mark.parametrize("name", ["image-block", "image-window"])
def test_libreoffice_keeps_the_letterhead_image_inside_the_margins(
    office: dict[str, tuple[Path, Path]], name: str
) -> None:
    """The picture spans the text column exactly, as in the PDF."""
    ours, theirs = office[name]
    boxes = []
    for path in (ours, theirs):
        with pdfplumber.open(path) as document:
            page = document.pages[0]
            (image,) = page.images
            boxes.append((image["x0"], image["x1"], page.width))
    for x0, x1, width in boxes:
        margin = 25 * 72 / 25.4 if name == "image-window" else 72.0
        assert x0 == pytest.approx(margin, abs=EPS)
        assert x1 <= width - margin + EPS
    assert boxes[0][:2] == pytest.approx(boxes[1][:2], abs=EPS)
