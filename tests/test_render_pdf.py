"""PDF rendering (issue #3): exact text, embedded fonts, layout measured by reading the PDF back.

Text comes back through pypdf; positions, sizes and fonts through pdfplumber.
All lengths are PostScript points, top-down as pdfplumber measures them.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import struct
import unicodedata
import warnings
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pdfplumber
import pypdf
import pytest
from PIL import Image as PILImage

import thankyou
from thankyou.errors import RenderError, RenderWarning
from thankyou.letter import Letter, Recipient
from thankyou.models import Interviewer, Style
from thankyou.renderers import _layout, pdf

MM = 72 / 25.4
INCH = 72.0
#: pdfplumber rounds positions; allow this much slack when comparing with the numbers.
EPS = 0.5

MakeLetter = Callable[..., Letter]


# --- helpers ---------------------------------------------------------------------------------


def render(letter: Letter, style: Style | None = None, **options: Any) -> bytes:
    return thankyou.render(letter, "pdf", style=style, **options)


def text_of(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def pages_of(data: bytes) -> list[Any]:
    return list(pdfplumber.open(io.BytesIO(data)).pages)


def words_of(page: Any) -> list[dict[str, Any]]:
    return list(page.extract_words(extra_attrs=["fontname", "size"]))


def lines_of(page: Any) -> list[str]:
    return [line["text"] for line in page.extract_text_lines()]


def with_recipient(make_letter: MakeLetter, name: str, **fields: Any) -> Letter:
    """A letter to ``name``, who also appears in the salutation."""
    recipient = Recipient(name=name, title="Head of Data", company="Acme", address=("1 Main St",))
    return make_letter(recipient=replace(recipient, **fields), salutation=f"Dear {name},")


# The fixed fields of the "head" and "hhea" tables (OpenType spec): version, revision,
# checksum adjustment, magic, flags, units per em, dates, bbox, style, ppem, hints, loca format.
HEAD = (1, 0, 0x10000, 0, 0x5F0F3CF5, 0, 1000, 0, 0, 0, 0, 1000, 1000, 0, 8, 2, 0, 0)
# version, ascender, descender, line gap, advance max, ..., metric format, number of hmetrics.
HHEA = (1, 0, 800, -200, 0, 1000, 0, 0, 1000, 1, 0, 0, 0, 0, 0, 0, 0, 2)


def square_font(chars: str) -> bytes:
    """A minimal TrueType font mapping every character in ``chars`` to one square glyph.

    Stands in for a user's CJK font (none is installed here, and reportlab
    reads only TrueType outlines, so a Noto CJK .otf would not do).
    """
    glyph = struct.pack(">hhhhhHH", 1, 100, 0, 800, 700, 3, 0) + bytes([1] * 4)
    glyph += struct.pack(">4h", 100, 0, 700, 0) + struct.pack(">4h", 0, 700, 0, -700)
    codes = [*sorted({ord(c) for c in chars}), 0xFFFF]
    segments = [(c, (1 - c) & 0xFFFF if c != 0xFFFF else 1) for c in codes]
    n = len(segments)
    cmap4 = struct.pack(">7H", 4, 16 + 8 * n, 0, 2 * n, 2, 0, 0)
    cmap4 += b"".join(struct.pack(">H", c) for c, _ in segments) + b"\0\0"
    cmap4 += b"".join(struct.pack(">H", c) for c, _ in segments)
    cmap4 += b"".join(struct.pack(">H", d) for _, d in segments) + b"\0\0" * n
    ps_name = "ThankyouTestSquare".encode("utf-16-be")
    tables = {
        b"cmap": struct.pack(">HHHHL", 0, 1, 3, 1, 12) + cmap4,
        b"glyf": glyph,
        b"head": struct.pack(">HHLLLHHqqhhhhHHhhh", *HEAD),
        b"hhea": struct.pack(">HHhhhHhhhhhhhhhhhH", *HHEA),
        b"hmtx": struct.pack(">HhHh", 500, 0, 1000, 100),
        b"loca": struct.pack(">3H", 0, 0, len(glyph) // 2),
        b"maxp": struct.pack(">HHH", 1, 0, 2) + bytes(26),
        b"name": struct.pack(">HHHHHHHHH", 0, 1, 18, 3, 1, 0x409, 6, len(ps_name), 0) + ps_name,
        b"post": struct.pack(">HHhHhhL", 3, 0, 0, 0, -100, 50, 0) + bytes(16),
    }
    head = struct.pack(">LHHHH", 0x10000, len(tables), 128, 3, 16 * len(tables) - 128)
    offset, body = 12 + 16 * len(tables), b""
    for tag, data in tables.items():
        padded = data + bytes(-len(data) % 4)
        checksum = sum(struct.unpack(f">{len(padded) // 4}L", padded)) & 0xFFFFFFFF
        head += struct.pack(">4sLLL", tag, checksum, offset + len(body), len(data))
        body += padded
    return head + body


def png(path: Path, size: tuple[int, int]) -> Path:
    PILImage.new("RGB", size, (40, 40, 40)).save(path)
    return path


@pytest.fixture
def letter(make_letter: MakeLetter) -> Letter:
    return make_letter()


# --- exact text --------------------------------------------------------------------------------

NAMES = {
    "polish": "Łukasz Żółć",
    "vietnamese": "Nguyễn Thị Phương Thảo",
    "turkish": "İsmail Işıkoğlu Şükrü Ğ",
    "romanian": "Ștefan Țurcanu-Năstase",
    "greek": "Γιώργος Παπαδόπουλος",
    "cyrillic": "Дмитрий Щербаков-Ёлкин",
    "czech": "Jiří Dvořák",
    "apostrophes": "Tomás O'Neill-Ó Briain",
}


@pytest.mark.parametrize("name", NAMES.values(), ids=NAMES.keys())
def test_names_come_back_exactly(make_letter: MakeLetter, name: str) -> None:
    """Every bundled-script name is in the text layer exactly, in the block and the salutation."""
    text = text_of(render(with_recipient(make_letter, name)))
    assert text.count(name) == 2


def test_characters_beyond_the_bmp_copy_out_exactly(make_letter: MakeLetter) -> None:
    """An emoji (U+1F600, drawn from DejaVu Sans) extracts as itself, not as U+1F60."""
    name = "Zoë 😀 Ng"
    text = text_of(render(with_recipient(make_letter, name)))
    assert text.count(name) == 2
    assert "\u1f60" not in text


def test_decomposed_vietnamese_input_comes_back_composed(make_letter: MakeLetter) -> None:
    """NFD input, cleaned by the models, prints and extracts as the NFC name, warning-free."""
    name = "Nguyễn Thị Phương Thảo"
    decomposed = unicodedata.normalize("NFD", name)
    assert decomposed != name
    member = Interviewer(name=decomposed, delivery="hand")
    text = text_of(render(with_recipient(make_letter, member.name)))
    assert name in text
    assert decomposed not in text


@pytest.mark.parametrize(
    "value",
    ["A & B <Co>", "AT&T", "<b>unclosed", '<img src="/etc/passwd">', "&amp; &lt; &#65; <br/>"],
)
def test_markup_characters_print_literally(make_letter: MakeLetter, value: str) -> None:
    """Markup in user data is text: nothing is lost, interpreted, or loaded as an image."""
    letter = make_letter(
        recipient=Recipient(name="Priya Raman", company=value),
        paragraphs=(f"We discussed {value} at length.",),
    )
    data = render(letter)
    text = text_of(data)
    assert value in text
    assert f"We discussed {value} at length." in text
    assert not pages_of(data)[0].images


def test_line_breaks_inside_a_paragraph_are_kept(make_letter: MakeLetter) -> None:
    """A newline inside a paragraph starts a new line, a blank line is kept out of other text."""
    letter = make_letter(paragraphs=("First line of the note\nsecond line of the note",))
    lines = lines_of(pages_of(render(letter))[0])
    assert "First line of the note" in lines
    assert "second line of the note" in lines


def test_characters_liberation_lacks_fall_back_to_dejavu(make_letter: MakeLetter) -> None:
    """Georgian, Armenian and ✓ are set in DejaVu Sans, run by run, and come back exactly."""
    name = "ნინო Արամ ✓ Smith"
    page = pages_of(render(with_recipient(make_letter, name)))[0]
    fonts = {c["text"]: c["fontname"].split("+")[-1] for c in page.chars}
    assert fonts["ნ"] == fonts["Ա"] == fonts["✓"] == "DejaVuSans"
    assert fonts["S"] == "LiberationSerif"
    assert text_of(render(with_recipient(make_letter, name))).count(name) == 2


# --- fonts -------------------------------------------------------------------------------------

STANDARD_14 = re.compile(r"Helvetica|Times|Courier|Symbol|ZapfDingbats", re.IGNORECASE)


def font_dicts(data: bytes) -> Iterator[Any]:
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        yield from page["/Resources"]["/Font"].values()


@pytest.mark.parametrize("font", ["serif", "sans"])
def test_fonts_are_embedded_subsets_and_never_standard_14(letter: Letter, font: str) -> None:
    """Every font is an embedded TrueType subset of the bundled family; no standard 14 font."""
    data = render(with_recipient(lambda **kw: replace(letter, **kw), "Łukasz ნ"), Style(font=font))
    fonts = [f.get_object() for f in font_dicts(data)]
    assert fonts
    for font_dict in fonts:
        base = str(font_dict["/BaseFont"])
        assert re.fullmatch(r"/[A-Z]{6}\+\w+", base), base  # the subset tag
        assert not STANDARD_14.search(base)
        assert "/FontFile2" in font_dict["/FontDescriptor"]  # embedded TrueType
    used = {c["fontname"].split("+")[-1] for c in pages_of(data)[0].chars}
    family = {"serif": "LiberationSerif", "sans": "LiberationSans"}[font]
    assert used == {family, "DejaVuSans"}


def test_cjk_name_without_a_font_is_refused_naming_field_and_code_points(
    make_letter: MakeLetter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No bundled font has Han characters and system fonts are off: no letter, a clear error."""
    monkeypatch.setenv("THANKYOU_SYSTEM_FONTS", "0")
    expected = r"recipient\.name: no font has 张伟 \(U\+5F20, U\+4F1F\)"
    with pytest.raises(RenderError, match=expected):
        render(with_recipient(make_letter, "张伟"))


def test_allow_missing_glyphs_writes_the_letter_with_a_warning(
    make_letter: MakeLetter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """allow_missing_glyphs=True: the letter is written; a RenderWarning names field and chars."""
    monkeypatch.setenv("THANKYOU_SYSTEM_FONTS", "0")
    with pytest.warns(RenderWarning, match=r"recipient\.name: 张伟 \(U\+5F20, U\+4F1F\)"):
        data = render(with_recipient(make_letter, "张伟"), allow_missing_glyphs=True)
    assert "Dear" in text_of(data)  # the letter is still written


def test_missing_glyphs_outside_names_only_warn(
    make_letter: MakeLetter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A character no font has in a body paragraph keeps today's warning, not an error."""
    monkeypatch.setenv("THANKYOU_SYSTEM_FONTS", "0")
    letter = make_letter(paragraphs=("We spoke about 数据 pipelines.",))
    with pytest.warns(RenderWarning, match=r"paragraphs\[0\]: 数据"):
        data = render(letter)
    assert "pipelines" in text_of(data)


def test_extra_font_covers_what_the_bundled_fonts_lack(
    make_letter: MakeLetter, tmp_path: Path
) -> None:
    """A user TrueType font in style.extra_fonts draws the CJK name: no warning, right font."""
    font = tmp_path / "square.ttf"
    font.write_bytes(square_font("张伟"))
    letter = with_recipient(make_letter, "张伟 Zhang")
    data = render(letter, Style(extra_fonts=[font]))
    page = pages_of(data)[0]
    used = {c["text"]: c["fontname"].split("+")[-1] for c in page.chars}
    assert used["张"] == used["伟"] == "ThankyouTestSquare"
    assert used["Z"] == "LiberationSerif"
    assert text_of(data).count("张伟 Zhang") == 2


def test_an_unreadable_extra_font_is_a_render_error(letter: Letter, tmp_path: Path) -> None:
    """A file that is not TrueType gives a RenderError naming the style field."""
    bad = tmp_path / "NotoSansCJK.otf"
    bad.write_bytes(b"OTTO" + bytes(64))
    with pytest.raises(RenderError, match=r"style\.extra_fonts\[0\]"):
        render(letter, Style(extra_fonts=[bad]))


# --- one page, overflow -------------------------------------------------------------------------


def test_example_letters_fit_one_page(examples_dir: Path) -> None:
    """Every thank-you letter of the example panel is one page, on Letter and A4."""
    interview = thankyou.load(examples_dir / "panel-interview.toml")
    for letter in thankyou.compose(interview, today=dt.date(2026, 11, 25)):
        for paper in ("letter", "a4"):
            assert pdf.count_pages(letter, Style(paper=paper, letterhead=True)) == 1


def test_long_highlights_still_fit_one_page(examples_dir: Path) -> None:
    """Long highlights and a long personal paragraph still fit one page."""
    interview = thankyou.load(examples_dir / "panel-interview.toml")
    highlights = [
        "modernising the nightly batch pipelines into streaming ones without losing the "
        "reconciliation guarantees that finance depends on at month end",
        "the team's habit of blameless post-mortems and the way their findings feed straight "
        "back into the on-call runbooks",
        "how the platform group shares ownership of data contracts with the product teams",
    ]
    personal = " ".join(["Your question about late events stayed with me."] * 6)
    panel = [m.model_copy(update={"personal": personal}) for m in interview.panel]
    interview = interview.model_copy(update={"highlights": highlights, "panel": panel})
    for letter in thankyou.compose(interview, today=dt.date(2026, 11, 25)):
        data = render(letter, Style(paper="a4"))
        assert len(pages_of(data)) == 1
        assert all(h in " ".join(text_of(data).split()) for h in highlights)


def test_a_letter_too_long_for_a_page_continues_with_a_header(make_letter: MakeLetter) -> None:
    """Overflow flows onto page 2, headed by the recipient's name and the page number."""
    paragraphs = tuple(f"Paragraph {i}: " + "words that fill the page " * 30 for i in range(8))
    letter = make_letter(paragraphs=paragraphs)
    data = render(letter)
    pages = pages_of(data)
    assert len(pages) >= 2
    assert pdf.count_pages(letter, letter.style) == len(pages)
    assert lines_of(pages[1])[0] == "Priya Raman · page 2"
    assert lines_of(pages[-1])[-1] == "Alex Morgan"  # the sign-off stays together at the end
    body = " ".join(text_of(data).replace("Priya Raman · page 2", "").split())
    assert body.count("words that fill the page") == 8 * 30


def test_no_one_word_last_lines(make_letter: MakeLetter) -> None:
    """A paragraph never ends on a line holding a single word (text stays exact)."""
    words = ["the", "pipeline", "review", "showed", "how", "carefully", "your", "team", "measures"]
    # Set naively at full width, 16, 31, 46 and 61 of these words end on a line of one word.
    for n in (16, 24, 31, 46, 61):
        paragraph = " ".join(words[i % len(words)] for i in range(n))
        data = render(make_letter(paragraphs=(paragraph, "Thank you again.")))
        lines = lines_of(pages_of(data)[0])
        body = lines[lines.index("Dear Dr. Raman,") + 1 : lines.index("Thank you again.")]
        assert " ".join(body) == paragraph
        assert len(body[-1].split()) > 1 or len(body) == 1, body


# --- geometry --------------------------------------------------------------------------------


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("letterhead", [False, True])
def test_text_stays_inside_the_margins(
    make_letter: MakeLetter, paper: str, letterhead: bool
) -> None:
    """Every character lies inside the 1 in / 25 mm margins, a 300-character word included."""
    long_word = "https://example.com/" + "x" * 280
    data = render(
        make_letter(paragraphs=(f"See {long_word} for details.",)),
        Style(paper=paper, letterhead=letterhead),
    )
    page = pages_of(data)[0]
    geometry = _layout.PAGES[paper]
    margin = 25 * MM if paper == "a4" else INCH
    assert geometry.margin == pytest.approx(margin)
    assert page.width == pytest.approx(geometry.width, abs=EPS)
    for char in page.chars:
        assert char["x0"] >= margin - EPS
        assert char["x1"] <= page.width - margin + EPS
        assert char["top"] >= margin - EPS
        assert char["bottom"] <= page.height - margin + EPS
    assert long_word in "".join(text_of(data).split())


def test_body_is_11_point_with_14_5_point_leading(letter: Letter) -> None:
    """Body text size and leading come from the shared layout numbers."""
    page = pages_of(render(letter))[0]
    sizes = {round(c["size"], 1) for c in page.chars}
    assert sizes == {_layout.BODY_SIZE}
    tops = sorted({round(w["top"], 1) for w in words_of(page) if w["x0"] < INCH + 1})
    steps = {round(b - a, 1) for a, b in itertools.pairwise(tops)}
    assert _layout.BODY_LEADING in steps


def test_letterhead_has_a_large_name_a_contact_line_and_a_thin_rule(letter: Letter) -> None:
    """letterhead = true: a 16 pt name, one 9 pt contact line joined by " · ", a 0.5 pt rule."""
    page = pages_of(render(letter, Style(letterhead=True)))[0]
    first, second = page.extract_text_lines()[:2]
    assert first["text"] == "Alex Morgan"
    assert first["chars"][0]["size"] == pytest.approx(16)
    assert (
        second["text"]
        == "12 Elm Street · Springfield, IL 62701 · +1 555 010 0199 · alex.morgan@example.com"
    )
    assert second["chars"][0]["size"] == pytest.approx(9)
    rules = [e for e in page.lines + page.rects if abs(e["top"] - e["bottom"]) < 1]
    assert len(rules) == 1
    assert rules[0]["x0"] == pytest.approx(INCH, abs=EPS)
    assert rules[0]["x1"] == pytest.approx(page.width - INCH, abs=EPS)
    assert rules[0]["top"] > second["bottom"]


def test_letterhead_and_signature_images(letter: Letter, tmp_path: Path) -> None:
    """A letterhead image spans the text width at the top; the signature is about 15 mm high."""
    style = Style(
        letterhead=png(tmp_path / "head.png", (1200, 100)),
        signature=png(tmp_path / "sig.png", (300, 100)),
    )
    page = pages_of(render(letter, style))[0]
    head, signature = sorted(page.images, key=lambda i: i["top"])
    assert head["top"] == pytest.approx(INCH, abs=EPS)
    assert head["x0"] == pytest.approx(INCH, abs=EPS)
    assert head["x1"] == pytest.approx(page.width - INCH, abs=EPS)
    assert signature["bottom"] - signature["top"] == pytest.approx(15 * MM, abs=EPS)
    closing = next(w for w in words_of(page) if w["text"] == "Sincerely,")
    name = [w for w in words_of(page) if w["text"] == "Morgan"][-1]
    assert closing["bottom"] <= signature["top"] <= signature["bottom"] <= name["top"]


def test_an_unreadable_signature_is_a_render_error(letter: Letter, tmp_path: Path) -> None:
    """A signature file that is not an image gives a RenderError naming the field."""
    bad = tmp_path / "sig.png"
    bad.write_text("not an image")
    with pytest.raises(RenderError, match=r"style\.signature"):
        render(letter, Style(signature=bad))


def recipient_words(page: Any, letter: Letter) -> list[dict[str, Any]]:
    """The words of the recipient block (those not also in the sender's lines) above "Dear"."""
    wanted = {word for line in letter.recipient.block for word in line.split()}
    wanted -= {word for line in letter.sender_block for word in line.split()}
    top_of_body = next(w["top"] for w in words_of(page) if w["text"] == "Dear")
    return [w for w in words_of(page) if w["text"] in wanted and w["top"] < top_of_body]


def test_a4_window_follows_din_5008_form_b(letter: Letter) -> None:
    """A4 window: the address in the 85 x 45 mm field at 20/45 mm, under a 7 pt return line;
    fold marks at 105 and 210 mm, the hole mark at 148.5 mm."""
    page = pages_of(render(letter, Style(paper="a4", layout="window")))[0]
    left, top, right, bottom = 20 * MM, 45 * MM, 105 * MM, 90 * MM
    words = recipient_words(page, letter)
    assert {w["text"] for w in words} >= {"Priya", "Raman", "Industrial", "62704"}
    for word in words:
        assert left <= word["x0"] and word["x1"] <= right
        assert top + 5 * MM - EPS <= word["top"] and word["bottom"] <= bottom
    return_line = [w for w in words_of(page) if w["size"] == pytest.approx(7)]
    assert (
        " ".join(w["text"] for w in return_line)
        == "Alex Morgan · 12 Elm Street · Springfield, IL 62701"
    )
    for word in return_line:
        assert top <= word["top"] and word["bottom"] <= top + 5 * MM
    marks = sorted(round(line["top"] / MM, 1) for line in page.lines if line["x0"] < 20 * MM)
    assert marks == [105.0, 148.5, 210.0]
    # Nothing else of the letter shows through the window.
    block = {word for line in letter.recipient.block for word in line.split()}
    for word in words_of(page):
        if word["text"] not in block and word not in return_line:
            assert word["bottom"] <= top or word["top"] >= bottom or word["x0"] >= right


def test_letter_window_follows_the_number_10_envelope(letter: Letter) -> None:
    """Letter window: the block 1/8 in inside the #10 window, 2.04-3.17 in from the top,
    7/8 in from the left and 4 1/2 in wide; nothing else in the window."""
    with pytest.warns(RenderWarning, match=r"recipient\.title .* is left out"):
        page = pages_of(render(letter, Style(paper="letter", layout="window")))[0]
    inset = INCH / 8
    left, top = 0.875 * INCH, 2.04 * INCH
    right, bottom = left + 4.5 * INCH, 3.17 * INCH
    words = recipient_words(page, letter)
    assert {w["text"] for w in words} >= {"Priya", "Raman", "Industrial", "62704"}
    for word in words:
        assert left + inset - EPS <= word["x0"] and word["x1"] <= right - inset
        assert top + inset - EPS <= word["top"] and word["bottom"] <= bottom - inset + EPS
    block = {word for line in letter.recipient.block for word in line.split()}
    for word in words_of(page):
        if word["text"] not in block:
            assert word["bottom"] <= top or word["top"] >= bottom


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_a_letterhead_image_stays_above_the_window(
    letter: Letter, tmp_path: Path, paper: str
) -> None:
    """In the window layout even a tall letterhead image ends above the window."""
    style = Style(paper=paper, layout="window", letterhead=png(tmp_path / "h.png", (400, 400)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RenderWarning)  # the title left out of the #10 window
        page = pages_of(render(letter, style))[0]
    (head,) = page.images
    assert head["bottom"] <= _layout.PAGES[paper].window.top - 2 * _layout.PARAGRAPH_GAP + EPS
    assert head["top"] >= INCH / 2 - EPS


def test_an_address_too_long_for_the_window_warns(make_letter: MakeLetter) -> None:
    """An address with more lines than the window holds is still printed, with a warning."""
    address = tuple(f"Line {i}" for i in range(1, 11))
    letter = make_letter(
        recipient=Recipient(name="Priya Raman", title="Director", company="Acme", address=address)
    )
    with (
        pytest.warns(RenderWarning, match=r"recipient\.address .* envelope window"),
        pytest.warns(RenderWarning, match=r"recipient\.title .* is left out"),
    ):
        data = render(letter, Style(layout="window"))
    assert all(line in text_of(data) for line in address)


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_the_window_address_stays_at_body_size_without_the_title(
    letter: Letter, paper: str
) -> None:
    """#10 window: five lines do not fit at 11 pt, so the title goes (with a warning), not the size.

    On A4 the DIN 5008 field holds all five lines at body size: nothing is left out.
    """
    style = Style(paper=paper, layout="window")
    if paper == "letter":
        with pytest.warns(RenderWarning, match=r"recipient\.title .* is left out.*body size"):
            page = pages_of(render(letter, style))[0]
    else:
        page = pages_of(render(letter, style))[0]
    words = recipient_words(page, letter)
    assert {round(w["size"], 1) for w in words} == {_layout.BODY_SIZE}
    title_shown = "Platform" in {w["text"] for w in words}
    assert title_shown == (paper == "a4")


# --- metadata and reproducibility -----------------------------------------------------------


def test_metadata_title_author_subject(make_letter: MakeLetter) -> None:
    """Title is the subject line, author the candidate, subject names the recipient."""
    letter = make_letter(subject="Thank you — Ünïcode & <interview>")
    meta = pypdf.PdfReader(io.BytesIO(render(letter))).metadata
    assert meta is not None
    assert meta.title == "Thank you — Ünïcode & <interview>"
    assert meta.author == "Alex Morgan"
    assert meta.subject == "Letter to Priya Raman, Acme Robotics: Senior Data Engineer"


def test_invariant_output_is_byte_identical(letter: Letter) -> None:
    """invariant=True gives the same bytes on every run (no timestamp, fixed document ID)."""
    assert render(letter, invariant=True) == render(letter, invariant=True)


def test_style_argument_overrides_the_letters_style(letter: Letter) -> None:
    """render(style=...) decides the paper, and with it the date order."""
    data = render(letter, Style(paper="a4"))
    page = pages_of(data)[0]
    assert page.width == pytest.approx(210 * MM, abs=EPS)
    assert "25 November 2026" in text_of(data)
