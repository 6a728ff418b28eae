"""DOCX rendering (issue 4): read back with python-docx, and opened for real by LibreOffice.

Documents are never compared byte for byte (STYLE §8): every assertion reads
the package back, through python-docx or its XML.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import docx
import pdfplumber
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from PIL import Image as PILImage

import thankyou
from thankyou._text import clean_block
from thankyou.errors import RenderError, RenderWarning
from thankyou.letter import Letter, Recipient
from thankyou.models import Candidate, Style
from thankyou.renderers import _layout

MM = 72 / 25.4
INCH = 72.0
EMU_PER_PT = 12700

MakeLetter = Callable[..., Letter]

#: ECMA-376 Part 1, §17.3.1.26: the order of pPr's children (the subset we can meet).
PPR_ORDER = [
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
    "sectPr", "pPrChange",
]  # fmt: skip

HOSTILE_NAMES = [
    "A & B <Co>",
    'Dana "D.J." O\'Brien-Smith',
    "<b>not bold</b> &amp; AT&T;",
    "Łukasz Żółć-Ścibor",
    "Nguyễn Thị Minh Khai",
    "Ἀθηνᾶ Παπαδοπούλου",
    "Пётр Чайковский",
    "שרה לוי",
    "محمد عبد الله",
    "山田太郎",
    "김민준",
    "Zoë 👩🏽‍💻 Ünal",
]


# --- helpers ---------------------------------------------------------------------------------


def render(letter: Letter, style: Style | None = None, **options: Any) -> bytes:
    return thankyou.render(letter, "docx", style=style, **options)


def read(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


def body_paragraphs(document: Document) -> list[tuple[str, str]]:
    """(style name, text) of every body paragraph, in order."""
    return [(p.style.name, p.text) for p in document.paragraphs]


def styled(document: Document, name: str) -> list[Any]:
    return [p for p in document.paragraphs if p.style.name == name]


def part_xml(data: bytes, name: str = "word/document.xml") -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read(name).decode("utf-8")


def png(path: Path, size: tuple[int, int] = (400, 100)) -> Path:
    PILImage.new("RGB", size, (20, 20, 120)).save(path)
    return path


def local(element: Any) -> str:
    return str(element.tag).rsplit("}", 1)[-1]


# --- structure and styles --------------------------------------------------------------------


def test_paragraphs_come_in_letter_order_with_named_styles(make_letter: MakeLetter) -> None:
    """Every part of a block letter is a paragraph in its own named style, in reading order."""
    letter = make_letter()
    got = body_paragraphs(read(render(letter)))
    expected = [
        *(("Sender", line) for line in letter.sender_block),
        ("Letter Date", "November 25, 2026"),
        *(("Recipient", line) for line in letter.recipient.block),
        ("Salutation", "Dear Dr. Raman,"),
        *(("Body", text) for text in letter.paragraphs),
        ("Closing", "Sincerely,"),
        ("Signature Space", ""),
        ("Signature", "Alex Morgan"),
    ]
    assert got == expected


def test_a4_prints_the_date_day_first(make_letter: MakeLetter) -> None:
    """render(style=...) decides the paper, and with it the date order."""
    document = read(render(make_letter(), Style(paper="a4")))
    assert [p.text for p in styled(document, "Letter Date")] == ["25 November 2026"]


@pytest.mark.parametrize("font, family", [("serif", "Times New Roman"), ("sans", "Arial")])
def test_styles_are_based_on_normal_which_names_every_font_slot(
    make_letter: MakeLetter, font: str, family: str
) -> None:
    """Normal names the family for Latin, East Asian and complex scripts; 11 pt body text."""
    document = read(render(make_letter(), Style(font=font)))
    normal = document.styles["Normal"]
    fonts = normal.element.rPr.rFonts
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        assert fonts.get(qn(slot)) == family
    assert normal.font.size == Pt(11)
    for name in ("Sender", "Letter Date", "Recipient", "Salutation", "Body", "Closing",
                 "Signature Space", "Signature"):  # fmt: skip
        style = document.styles[name]
        assert style.base_style is not None and style.base_style.name == "Normal", name


def test_body_text_has_no_direct_run_formatting(make_letter: MakeLetter) -> None:
    """Runs carry no rPr, so only the styles decide how the letter looks."""
    data = render(make_letter())
    assert "<w:rPr" not in part_xml(data).split("<w:body>", 1)[1]


def test_restyling_body_restyles_every_body_paragraph(make_letter: MakeLetter) -> None:
    """Changing the Body style once changes every body paragraph, as in a word processor."""
    document = read(render(make_letter()))
    document.styles["Body"].font.size = Pt(14)
    out = io.BytesIO()
    document.save(out)
    body = styled(read(out.getvalue()), "Body")
    assert len(body) == 3
    assert all(p.style.font.size == Pt(14) for p in body)
    assert all(run.font.size is None for p in body for run in p.runs)


def test_the_default_template_is_cut_down(make_letter: MakeLetter) -> None:
    """No 800 KB of unused styles, no thumbnail of someone else's page, no python-docx author."""
    data = render(make_letter())
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = set(package.namelist())
    assert not any("stylesWithEffects" in n or "thumbnail" in n or "customXml" in n for n in names)
    assert len(data) < 20_000
    assert "python-docx" not in part_xml(data, "docProps/core.xml")


# --- page setup and headers -------------------------------------------------------------------


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_page_size_and_margins_come_from_the_shared_layout(
    make_letter: MakeLetter, paper: str
) -> None:
    """Letter is 8.5 x 11 in with 1 in margins; A4 is 210 x 297 mm with 25 mm margins."""
    page = _layout.PAGES[paper]
    section = read(render(make_letter(), Style(paper=paper))).sections[0]
    assert section.page_width.pt == pytest.approx(page.width, abs=0.1)
    assert section.page_height.pt == pytest.approx(page.height, abs=0.1)
    for margin in (section.top_margin, section.bottom_margin, section.left_margin,
                   section.right_margin):  # fmt: skip
        assert margin.pt == pytest.approx(page.margin, abs=0.1)


def test_letterhead_sits_in_the_first_page_header(make_letter: MakeLetter) -> None:
    """letterhead = true: name, one contact line and a rule in the header, no sender block."""
    data = render(make_letter(), Style(letterhead=True))
    document = read(data)
    section = document.sections[0]
    header = [(p.style.name, p.text) for p in section.first_page_header.paragraphs]
    assert header == [
        ("Letterhead Name", "Alex Morgan"),
        ("Letterhead Contact",
         "12 Elm Street · Springfield, IL 62701 · +1 555 010 0199 · alex.morgan@example.com"),
        ("Letterhead Rule", ""),
    ]  # fmt: skip
    assert section.different_first_page_header_footer
    assert not styled(document, "Sender")
    # The text starts two blank lines under the letterhead, where the PDF starts it.
    assert section.top_margin.pt > _layout.LETTER.margin + 38


def test_later_pages_are_headed_by_the_recipient_and_page_number(make_letter: MakeLetter) -> None:
    """Pages 2+ carry "Priya Raman · page N" like the PDF; page 1 does not."""
    data = render(make_letter(paragraphs=("Long. " * 400,) * 3))
    section = read(data).sections[0]
    assert section.header.paragraphs[0].text.startswith("Priya Raman · page ")
    header_xml = "".join(
        part_xml(data, n) for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if "header" in n
    )
    assert 'w:instr=" PAGE "' in header_xml
    assert section.first_page_header.paragraphs[0].text == ""


def test_letterhead_image_spans_the_header(make_letter: MakeLetter, tmp_path: Path) -> None:
    """A letterhead path puts that picture in the header, as wide as the text column."""
    path = png(tmp_path / "head.png", (1600, 200))
    data = render(make_letter(), Style(letterhead=path))
    xml = "".join(part_xml(data, n) for n in zipfile.ZipFile(io.BytesIO(data)).namelist()
                  if n.startswith("word/header"))  # fmt: skip
    width = int(re.search(r'<wp:extent cx="(\d+)"', xml).group(1)) / EMU_PER_PT  # type: ignore[union-attr]
    assert width == pytest.approx(_layout.LETTER.width - 2 * _layout.LETTER.margin, abs=1)


def test_signature_image_sits_between_closing_and_name(
    make_letter: MakeLetter, tmp_path: Path
) -> None:
    """The signature picture fills the Signature Space paragraph, about 15 mm high."""
    data = render(make_letter(), Style(signature=png(tmp_path / "sig.png")))
    document = read(data)
    space = styled(document, "Signature Space")
    assert len(space) == 1
    shapes = document.inline_shapes
    assert len(shapes) == 1
    assert shapes[0].height.pt == pytest.approx(15 * MM, abs=0.5)
    assert any(n.startswith("word/media/") for n in zipfile.ZipFile(io.BytesIO(data)).namelist())


def test_an_unreadable_image_is_a_render_error(make_letter: MakeLetter, tmp_path: Path) -> None:
    """A file that is no picture gives RenderError naming the format, not a python-docx error."""
    bad = tmp_path / "sig.png"
    bad.write_bytes(b"this is not a picture")
    with pytest.raises(RenderError) as caught:
        render(make_letter(), Style(signature=bad))
    assert caught.value.format == "docx"
    assert "PNG" in str(caught.value)


# --- core properties --------------------------------------------------------------------------


def test_core_properties_name_the_letter(make_letter: MakeLetter) -> None:
    """Title is the subject, author the candidate, subject the recipient and position."""
    props = read(render(make_letter(), invariant=True)).core_properties
    assert props.title == "Thank you — Senior Data Engineer interview"
    assert props.author == "Alex Morgan"
    assert props.subject == "Letter to Priya Raman, Acme Robotics: Senior Data Engineer"
    assert props.created is not None and props.created.date().isoformat() == "2026-11-25"


def test_core_properties_are_cleaned_and_capped(make_letter: MakeLetter) -> None:
    """Control characters and line breaks go, and no property exceeds 255 characters."""
    letter = make_letter(subject="Thanks\r\n\x00again " + "é" * 400)
    props = read(render(letter)).core_properties
    assert len(props.title) <= 255
    assert props.title.startswith("Thanks again éé")
    assert "\x00" not in props.title and "\n" not in props.title


def test_invariant_output_is_reproducible(make_letter: MakeLetter) -> None:
    """invariant=True fixes every timestamp, so the same letter gives the same bytes."""
    letter = make_letter()
    assert render(letter, invariant=True) == render(letter, invariant=True)


# --- any text ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_any_name_comes_back_exactly(make_letter: MakeLetter, name: str) -> None:
    """Markup characters, quotes, accents, RTL, CJK and emoji survive as written."""
    letter = make_letter(
        recipient=Recipient(name=name, company=name),
        salutation=f"Dear {name},",
        signature=name,
    )
    data = render(letter)
    document = read(data)
    assert [p.text for p in styled(document, "Recipient")] == [name, name]
    assert [p.text for p in styled(document, "Salutation")] == [f"Dear {name},"]
    assert [p.text for p in styled(document, "Signature")] == [name]
    # Escaped exactly once, by the XML writer: never pre-escaped (ROBUSTNESS §3).
    assert f"<w:t>{escape(name)}</w:t>" in part_xml(data)


def test_rtl_paragraphs_get_bidi_in_schema_order(make_letter: MakeLetter) -> None:
    """w:bidi is inserted at its place in pPr (not appended), and RTL runs carry rtl and cs."""
    letter = make_letter(
        recipient=Recipient(name="שרה לוי", address=("רחוב הרצל 1", "Tel Aviv")),
        paragraphs=("תודה רבה על הפגישה עם Acme Robotics.",),
    )
    document = read(render(letter))
    checked = 0
    for p in document.paragraphs:
        ppr = p._p.pPr
        children = [local(c) for c in ppr]
        assert children == sorted(children, key=PPR_ORDER.index), children
        if p.text.startswith(("שרה", "רחוב", "תודה")):
            assert "bidi" in children
            checked += 1
    assert checked == 3
    name = styled(document, "Recipient")[0]
    assert [local(c) for c in name._p.pPr] == ["pStyle", "bidi", "jc"]
    assert all(run.font.rtl and run.font.complex_script for run in name.runs)
    assert styled(document, "Recipient")[2]._p.pPr.find(qn("w:bidi")) is None  # "Tel Aviv"
    body = styled(document, "Body")[0]
    assert body._p.pPr.find(qn("w:jc")) is None  # a Hebrew paragraph keeps its natural edge
    assert [(r.text, bool(r.font.rtl)) for r in body.runs] == [
        ("תודה רבה על הפגישה עם ", True),
        ("Acme Robotics", False),
        (".", True),
    ]


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_window_paragraph_properties_keep_schema_order(make_letter: MakeLetter, paper: str) -> None:
    """Frames, bidi, jc and the spacing of a shrunk address all sit where the schema puts them."""
    recipient = Recipient(name="שרה לוי", title="מנהלת", company="A & B <Co>",
                          address=("1", "2", "3", "4", "5"))  # fmt: skip
    with pytest.warns(RenderWarning, match=r"recipient\.title \(מנהלת\) is left out"):
        data = render(make_letter(recipient=recipient), Style(paper=paper, layout="window"))
    for p in read(data).paragraphs:
        children = [local(c) for c in p._p.pPr]
        assert children == sorted(children, key=PPR_ORDER.index), (p.text, children)
        for run in p.runs:
            rpr = [local(c) for c in run._r.rPr] if run._r.rPr is not None else []
            assert rpr == sorted(rpr, key=["rFonts", "sz", "szCs", "rtl", "cs"].index), rpr


def test_window_never_clips_an_address_that_cannot_fit(make_letter: MakeLetter) -> None:
    """An address too long even at 8 pt gets a frame that grows, not one that cuts it off."""
    recipient = Recipient(name="N" * 200, address=tuple("Line of the address" for _ in range(9)))
    document = read(render(make_letter(recipient=recipient), Style(layout="window")))
    frame = styled(document, "Recipient")[0]._p.pPr.find(qn("w:framePr"))
    assert frame.get(qn("w:hRule")) == "atLeast"


def test_mixed_direction_line_is_split_into_runs(make_letter: MakeLetter) -> None:
    """In "Dear שרה," only the Hebrew name is an RTL run; the paragraph stays LTR."""
    document = read(render(make_letter(salutation="Dear שרה לוי,")))
    salutation = styled(document, "Salutation")[0]
    assert salutation._p.pPr.find(qn("w:bidi")) is None
    assert [(r.text, bool(r.font.rtl)) for r in salutation.runs] == [
        ("Dear ", False),
        ("שרה לוי", True),
        (",", False),
    ]


def test_windows_line_ending_gives_one_break(make_letter: MakeLetter) -> None:
    """CRLF, cleaned to one "\\n", is one <w:br/>: not the two python-docx makes of "\\r\\n"."""
    letter = make_letter(paragraphs=(clean_block("a\r\nb"),))
    xml = part_xml(render(letter))
    assert xml.count("<w:br/>") == 1
    assert styled(read(render(letter)), "Body")[0].text == "a\nb"


def test_raw_carriage_returns_are_one_break_each(make_letter: MakeLetter) -> None:
    """A hand-built letter with CRLF or CR (bypassing the cleaning layer) still breaks once."""
    xml = part_xml(render(make_letter(paragraphs=("a\r\nb\rc",))))
    assert xml.count("<w:br/>") == 2


def test_tabs_become_tab_elements(make_letter: MakeLetter) -> None:
    """A tab in the text is a <w:tab/>, not a literal character."""
    letter = make_letter(paragraphs=("Name:\tAlex",))
    xml = part_xml(render(letter))
    assert "<w:t>Name:</w:t><w:tab/><w:t>Alex</w:t>" in xml


def test_characters_xml_cannot_hold_are_dropped_not_fatal(make_letter: MakeLetter) -> None:
    """Control characters that slipped past the cleaning layer vanish instead of crashing lxml."""
    letter = make_letter(paragraphs=("be\x00l\x07l\ufffe\ud800s",), signature="Alex\x0bMorgan")
    document = read(render(letter))
    assert styled(document, "Body")[0].text == "bells"
    assert styled(document, "Signature")[0].text == "Alex\nMorgan"


# --- the window layout ------------------------------------------------------------------------


def frame_of(paragraph: Any) -> dict[str, float]:
    frame = paragraph._p.pPr.find(qn("w:framePr"))
    assert frame is not None, paragraph.text
    return {
        local_name: float(frame.get(qn(f"w:{local_name}"))) / 20
        for local_name in ("x", "y", "w", "h")
    }


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_window_frame_sits_where_the_window_is(make_letter: MakeLetter, paper: str) -> None:
    """The recipient block is framed at the margin, ⅛ in inside the #10 window or under the
    DIN 5008 return line; the date follows in the text flow."""
    page = _layout.PAGES[paper]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RenderWarning)  # the #10 window leaves the title out
        document = read(render(make_letter(), Style(paper=paper, layout="window")))
    recipients = styled(document, "Recipient")
    frame = frame_of(recipients[0])
    assert frame["x"] == pytest.approx(page.margin, abs=0.1)
    window = page.window
    if paper == "a4":
        assert frame["y"] == pytest.approx(window.top + window.return_line, abs=0.1)
        (line,) = styled(document, "Return Address")
        assert line.text == "Alex Morgan · 12 Elm Street · Springfield, IL 62701"
        assert frame_of(line)["y"] == pytest.approx(window.top + 1, abs=0.1)
        assert frame_of(line)["y"] + frame_of(line)["h"] == pytest.approx(frame["y"], abs=0.1)
    else:
        assert frame["y"] == pytest.approx(window.top + _layout.WINDOW_INSET, abs=0.1)
    assert frame["y"] + frame["h"] == pytest.approx(window.top + window.height + 24, abs=0.1)
    assert all(frame_of(p) == frame for p in recipients)
    date = styled(document, "Letter Date")[0]
    assert date._p.pPr.find(qn("w:framePr")) is None


def test_return_line_stays_one_line(make_letter: MakeLetter) -> None:
    """A long sender address drops middle lines from the return line instead of wrapping."""
    sender = Candidate(
        name="Alexandra Morgan-Featherstonehaugh", email="alexandra@example.com",
        address=["Apartment 14B, The Old Granary Building", "1200 North Lakeshore Boulevard",
                 "Springfield, IL 62701"],
    )  # fmt: skip
    document = read(render(make_letter(sender=sender), Style(paper="a4", layout="window")))
    (line,) = styled(document, "Return Address")
    assert line.text == "Alexandra Morgan-Featherstonehaugh · Springfield, IL 62701"


def test_window_shrinks_an_address_too_long_for_the_window(make_letter: MakeLetter) -> None:
    """Six address lines on Letter: the title goes first, then the rest is set smaller."""
    address = ("Building 4", "400 Industrial Way", "Springfield, IL 62704")
    recipient = Recipient(name="Priya Raman", title="Director", company="Acme", address=address)
    with pytest.warns(RenderWarning, match=r"recipient\.title \(Director\) is left out"):
        document = read(render(make_letter(recipient=recipient), Style(layout="window")))
    lines = styled(document, "Recipient")
    assert [p.text for p in lines] == ["Priya Raman", "Acme", *address]
    sizes = {run.font.size for p in lines for run in p.runs}
    assert len(sizes) == 1
    (size,) = sizes
    assert size is not None and size.pt < 11


def test_window_keeps_body_size_by_leaving_out_the_title(make_letter: MakeLetter) -> None:
    """Five lines in the #10 window: without the title four fit at 11 pt, so no smaller text."""
    with pytest.warns(RenderWarning, match=r"recipient\.title \(Director of Data Platform\)"):
        document = read(render(make_letter(), Style(layout="window")))
    lines = styled(document, "Recipient")
    assert [p.text for p in lines] == [
        "Priya Raman", "Acme Robotics", "400 Industrial Way", "Springfield, IL 62704",
    ]  # fmt: skip
    assert {run.font.size for p in lines for run in p.runs} == {None}  # the style's 11 pt


# --- LibreOffice: a real client ---------------------------------------------------------------


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    reason = "LibreOffice (soffice) is not installed; apt-get install libreoffice-writer-nogui"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must open the DOCX files in a real client: {reason}")
    pytest.skip(reason)


def _example_letters() -> Iterator[tuple[str, Letter]]:
    examples = Path(__file__).resolve().parent.parent / "examples"
    for path in sorted(examples.glob("*")):
        if path.suffix not in {".toml", ".yaml", ".json"} or path.stem == "candidate":
            continue
        for index, letter in enumerate(thankyou.compose(thankyou.load(path))):
            yield f"example-{path.stem}-{path.suffix[1:]}-{index}", letter


def _sample_letters(letter: Letter, images: Path) -> dict[str, tuple[Letter, Style]]:
    names = replace(
        letter,
        recipient=Recipient(
            name="Łukasz Żółć", title="Ἀθηνᾶ Παπαδοπούλου", company="A & B <Co>",
            address=("Пётр Чайковский", "Nguyễn Thị Minh Khai"),
        ),
        sender=Candidate(name="Zoë O'Brien-Smith", email="zoe@example.com"),
    )  # fmt: skip
    return {
        "block-letter": (letter, Style()),
        "letterhead-a4-sans": (letter, Style(paper="a4", font="sans", letterhead=True)),
        "signature": (letter, Style(signature=png(images / "sig.png", (300, 100)))),
        "window-a4": (letter, Style(paper="a4", layout="window")),
        "window-letter": (letter, Style(paper="letter", layout="window")),
        "window-letterhead": (letter, Style(paper="letter", layout="window", letterhead=True)),
        "names": (names, Style()),
    }  # fmt: skip


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Letter, Style, Path]]:
    """Every sample and example letter as DOCX, converted to PDF in ONE LibreOffice run."""
    soffice = _soffice()
    root = tmp_path_factory.mktemp("libreoffice")
    examples = dict(_example_letters())
    # The samples vary one posted example letter (a module fixture cannot use make_letter).
    posted = next(letter for letter in examples.values() if letter.recipient.address)
    jobs = _sample_letters(posted, root)
    jobs.update((name, (letter, letter.style)) for name, letter in examples.items())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RenderWarning)  # the #10 window leaves titles out
        for name, (letter, style) in jobs.items():
            (root / f"{name}.docx").write_bytes(render(letter, style))
    profile = (root / "profile").as_uri()  # private: never touch the user's LibreOffice profile
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(root), *sorted(str(p) for p in root.glob("*.docx"))],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return {name: (letter, style, root / f"{name}.pdf") for name, (letter, style) in jobs.items()}


def _words(pdf: Path) -> list[dict[str, Any]]:
    with pdfplumber.open(pdf) as document:
        return list(document.pages[0].extract_words())


def test_libreoffice_opens_every_letter_as_one_page(
    converted: dict[str, tuple[Letter, Style, Path]],
) -> None:
    """Each DOCX converts (so LibreOffice opened it) to a one-page PDF holding the names."""
    assert any(name.startswith("example-") for name in converted)
    for name, (letter, _, pdf) in converted.items():
        assert pdf.exists(), f"LibreOffice could not open {name}.docx"
        with pdfplumber.open(pdf) as document:
            assert len(document.pages) == 1, name
            text = document.pages[0].extract_text()
        for expected in (letter.recipient.name, letter.sender.name, letter.signature):
            assert expected in text, (name, expected)


def test_libreoffice_shows_hostile_names_exactly(
    converted: dict[str, tuple[Letter, Style, Path]],
) -> None:
    """Polish, Greek, Cyrillic, Vietnamese and markup characters survive a real client."""
    letter, _, pdf = converted["names"]
    with pdfplumber.open(pdf) as document:
        text = document.pages[0].extract_text()
    for line in letter.recipient.block:
        assert line in text


@pytest.mark.parametrize("name", ["window-a4", "window-letter", "window-letterhead"])
def test_libreoffice_puts_the_address_in_the_window(
    converted: dict[str, tuple[Letter, Style, Path]], name: str
) -> None:
    """The recipient's name prints within 3 mm of where the PDF renderer prints it."""
    letter, style, pdf = converted[name]
    page = _layout.PAGES[style.paper]
    first = letter.recipient.block[0].split()[0]
    word = next(w for w in _words(pdf) if w["text"] == first and w["top"] > page.window.top)
    expected_top = page.window.top + (page.window.return_line or _layout.WINDOW_INSET)
    assert word["x0"] == pytest.approx(page.margin, abs=3 * MM)
    assert word["top"] == pytest.approx(expected_top, abs=3 * MM)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # RenderWarnings of the PDF renderer are not ours to judge
        reference = thankyou.render(letter, "pdf", style=style)
    with pdfplumber.open(io.BytesIO(reference)) as document:
        words = document.pages[0].extract_words()
    pdf_word = next(w for w in words if w["text"] == first and w["top"] > page.window.top)
    assert word["top"] == pytest.approx(pdf_word["top"], abs=3 * MM)
    assert word["x0"] == pytest.approx(pdf_word["x0"], abs=3 * MM)
    # Nothing of the letter's text lands inside the window but the address block.
    inside = [w for w in _words(pdf)
              if page.window.top <= w["top"] <= page.window.top + page.window.height
              and w["x0"] < page.window.left + page.window.width]  # fmt: skip
    block = " ".join(letter.recipient.block) + " " + letter.sender.name + " · "
    block += " ".join(letter.sender.address)
    assert all(w["text"] in block for w in inside), [w["text"] for w in inside]
