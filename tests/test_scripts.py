"""Names in twelve scripts through PDF and DOCX: shaped, in order, copyable, or refused.

The oracle for the text layer is poppler's ``pdftotext`` (what a reader's
"copy" gives): compared after NFKC, which maps Arabic presentation forms back,
and without the bidi embedding marks it adds around right-to-left text. That
the PDF draws *shaped* glyphs is checked against HarfBuzz itself: the glyphs
in the content stream must be the ones HarfBuzz picks for the same font.
DOCX goes through LibreOffice, a real word processor, in one run for all.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pypdf
import pytest
from click.testing import CliRunner
from pypdf.generic import ContentStream

import thankyou
from thankyou.cli import cli
from thankyou.errors import RenderError
from thankyou.letter import Letter, Recipient

MakeLetter = Callable[..., Letter]

NAMES = {
    "arabic": "محمد العلي",
    "hebrew": "שרה כהן",
    "persian": "مهسا رضایی",
    "urdu": "عمران ہاشمی",  # ہ and the Urdu letters DejaVu Sans lacks: one font per word
    "devanagari": "रामकृष्ण शर्मा",
    "bengali": "রবীন্দ্রনাথ ঠাকুর",
    "tamil": "முத்துலட்சுமி ரெட்டி",
    "thai": "สมศักดิ์ ศรีสวัสดิ์",
    "chinese": "陈美玲",
    "japanese": "山田 さくら",
    "korean": "김민준",
    "georgian": "ნინო ბერიძე",
    "armenian": "Արամ Խաչատրյան",
}
RTL = {"arabic", "hebrew", "persian", "urdu"}
#: Fonts the tests rely on: Debian's fonts-noto-core and fonts-wqy-zenhei (.ci/run installs them).
NOTO = Path("/usr/share/fonts/truetype/noto/NotoSerifDevanagari-Regular.ttf")
WQY = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
DEJAVU = Path(thankyou.__file__).parent / "fonts" / "DejaVuSans.ttf"
#: What reportlab asks HarfBuzz for (reportlab.pdfbase.ttfonts.shapeFragWord).
FEATURES = {"kern": True, "liga": True, "dlig": True}


def _need(tool: str) -> str:
    found = shutil.which(tool)
    if found:
        return found
    reason = f"{tool} is not installed (apt-get install poppler-utils fontconfig)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must check names in every script: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module", autouse=True)
def _fonts_installed() -> None:
    missing = [str(p) for p in (NOTO, WQY) if not p.exists()]
    if not missing:
        return
    reason = f"missing {', '.join(missing)}: apt-get install fonts-noto-core fonts-wqy-zenhei"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def letter_to(make_letter: MakeLetter, name: str) -> Letter:
    """A posted letter to ``name``: the name heads the address block and is in the salutation."""
    recipient = Recipient(name=name, title="Director", company="Acme", address=("1 Main St",))
    return make_letter(recipient=recipient, salutation=f"Dear {name},")


def copied_text(pdf: bytes) -> list[str]:
    """The lines a reader copies out of the PDF, NFKC-normalised, bidi marks removed."""
    done = subprocess.run(
        [_need("pdftotext"), "-", "-"], input=pdf, capture_output=True, check=True
    )
    text = unicodedata.normalize("NFKC", done.stdout.decode("utf-8"))
    return [line.strip() for line in re.sub("[\u202a-\u202e\u200e\u200f]", "", text).splitlines()]


def name_line(lines: list[str]) -> str:
    """The first line of the address block: the line after the date, blank lines skipped."""
    rest = [line for line in lines if line]
    date = next(i for i, line in enumerate(rest) if re.search(r"\b20\d\d$", line))
    return rest[date + 1]


# --- PDF: the name comes back --------------------------------------------------------------------


@pytest.mark.parametrize("script", NAMES, ids=NAMES)
def test_pdf_text_layer_gives_the_name_back(make_letter: MakeLetter, script: str) -> None:
    """Copying from the PDF gives the name exactly, in the address block and the salutation."""
    name = NAMES[script]
    lines = copied_text(thankyou.render(letter_to(make_letter, name), "pdf"))
    assert name_line(lines) == name
    salutation = next(line for line in lines if line.startswith("Dear"))
    if script == "thai":
        # pdftotext orders characters by position, and the tone mark of the last
        # cluster sits over the comma's left edge: it reads "ศรีสวัสดิ,์".
        assert salutation.replace(",", "") == f"Dear {name}"
    else:
        assert salutation == f"Dear {name},"


def test_a_mixed_line_keeps_latin_left_to_right(make_letter: MakeLetter) -> None:
    """ "Dear محمد العلي,": "Dear" at the left, the comma at the right, the name right to left."""
    import pdfplumber

    data = thankyou.render(letter_to(make_letter, NAMES["arabic"]), "pdf")
    page = pdfplumber.open(io.BytesIO(data)).pages[0]
    top = next(w["top"] for w in page.extract_words() if w["text"] == "Dear")
    line = [c for c in page.chars if abs(c["top"] - top) < 3]
    x = {unicodedata.normalize("NFKC", c["text"]): c["x0"] for c in line}
    arabic = [c["x0"] for c in line if unicodedata.normalize("NFKC", c["text"]) >= "\u0600"]
    assert x["D"] < min(arabic) and max(arabic) < x[","]
    # محمد, the first word, stands right of العلي: its dal (د) right of the yeh (ي).
    assert x["\u062f"] > x["\u064a"]


# --- PDF: shaped glyphs, as HarfBuzz shapes them -------------------------------------------------


def _drawn_codes(pdf: bytes, base_font: str) -> tuple[list[int], bytes]:
    """The character codes drawn in the font named ``base_font``, and that font's file."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    fonts = {k: v.get_object() for k, v in page["/Resources"]["/Font"].items()}
    keys = {k for k, v in fonts.items() if str(v["/BaseFont"]).split("+")[-1] == base_font}
    assert keys, f"{base_font} not used; fonts: {[str(v['/BaseFont']) for v in fonts.values()]}"
    embedded = fonts[min(keys)]["/FontDescriptor"]["/FontFile2"].get_data()
    codes: list[int] = []
    current = None
    for operands, op in ContentStream(page.get_contents(), reader).operations:
        if op == b"Tf":
            current = operands[0]
        elif op in (b"Tj", b"TJ") and current in keys:
            items = operands[0] if op == b"TJ" else operands
            for item in items:
                if isinstance(item, (str, bytes)):
                    raw = item.get_original_bytes() if hasattr(item, "get_original_bytes") else item
                    codes.extend(c for c in bytes(raw) if c != 0x20)  # spaces are not glyphs
    return codes, embedded


def _glyph_signature(font: Any, gid: int) -> tuple[Any, ...]:
    extents = font.get_glyph_extents(gid)
    return (*extents, font.get_glyph_h_advance(gid))


@pytest.mark.parametrize(
    ("script", "font_file", "base_font"),
    [
        ("arabic", DEJAVU, "DejaVuSans"),
        ("persian", DEJAVU, "DejaVuSans"),
        ("urdu", NOTO.with_name("NotoNaskhArabic-Regular.ttf"), "NotoNaskhArabic-Regular"),
        ("devanagari", NOTO, "NotoSerifDevanagari-Regular"),
        ("bengali", NOTO.with_name("NotoSerifBengali-Regular.ttf"), "NotoSerifBengali-Regular"),
        ("tamil", NOTO.with_name("NotoSerifTamil-Regular.ttf"), "NotoSerifTamil-Regular"),
    ],
)
def test_pdf_draws_the_glyphs_harfbuzz_chooses(
    make_letter: MakeLetter, script: str, font_file: Path, base_font: str
) -> None:
    """The name's glyphs in the content stream are HarfBuzz's: joined forms, conjuncts, order.

    Each word is shaped on its own (reportlab sets text word by word) and the
    words of a right-to-left name are displayed last word first. A glyph is
    identified by its outline's extents and advance in the embedded subset.
    """
    import uharfbuzz as hb

    name = NAMES[script]
    data = thankyou.render(letter_to(make_letter, name), "pdf")
    codes, embedded = _drawn_codes(data, base_font)
    original = hb.Font(hb.Face(hb.Blob.from_file_path(str(font_file))))
    words = name.split()
    expected: list[tuple[Any, ...]] = []
    for word in reversed(words) if script in RTL else words:
        buffer = hb.Buffer()
        buffer.add_str(word)
        buffer.guess_segment_properties()
        hb.shape(original, buffer, FEATURES)
        expected += [_glyph_signature(original, g.codepoint) for g in buffer.glyph_infos]
    nominal = [
        _glyph_signature(original, original.get_nominal_glyph(ord(c)) or 0) for c in "".join(words)
    ]
    assert expected != nominal  # the name really needs shaping, so this test can fail
    subset = hb.Font(hb.Face(hb.Blob(embedded)))
    drawn = [_glyph_signature(subset, subset.get_nominal_glyph(code) or 0) for code in codes]
    n = len(expected)
    assert drawn[:n] == expected  # the address block
    assert drawn[n : 2 * n] == expected  # the salutation


# --- refusing a name that cannot print -----------------------------------------------------------


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_missing_font_is_a_render_error(
    make_letter: MakeLetter, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """Without installed fonts a Chinese name is refused, naming field, characters and a fix."""
    monkeypatch.setenv("THANKYOU_SYSTEM_FONTS", "0")
    with pytest.raises(RenderError) as caught:
        thankyou.render(letter_to(make_letter, NAMES["chinese"]), fmt)
    message = str(caught.value)
    assert "recipient.name" in message
    assert "U+9648, U+7F8E, U+73B2" in message
    assert "fonts-wqy-zenhei" in message


def test_the_candidates_own_name_is_checked_too(
    make_letter: MakeLetter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The typed name under the signature is a name: refused like the recipient's."""
    monkeypatch.setenv("THANKYOU_SYSTEM_FONTS", "0")
    letter = make_letter(signature="王小明")
    with pytest.raises(RenderError, match=r"signature: no font has 王小明"):
        thankyou.render(letter, "pdf")


def test_without_the_shaping_extra_a_name_needing_it_is_refused(tmp_path: Path) -> None:
    """A Python without uharfbuzz gets a RenderError that says which extra to install."""
    script = f"""
import sys
sys.modules["uharfbuzz"] = None  # as if the shaping extra were not installed
sys.path.insert(0, {str(Path(__file__).parent)!r})
from conftest import _letter
from thankyou.letter import Recipient
import thankyou
letter = _letter(recipient=Recipient(name={NAMES["devanagari"]!r}), salutation="Dear Ram,")
try:
    thankyou.render(letter, "pdf")
except thankyou.RenderError as err:
    print(err)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert "recipient.name" in done.stdout
    assert "pip install 'thankyou[shaping]'" in done.stdout


PANEL = """\
company  = "Acme Robotics"
position = "Senior Data Engineer"
date     = 2026-11-24T14:00:00-06:00

[candidate]
name    = "Alex Morgan"
email   = "alex.morgan@example.com"
address = ["12 Elm Street", "Springfield, IL 62701"]
"""
PANEL += "".join(
    f'\n[[panel]]\nname = "{name}"\ntitle = "Director"\ndelivery = "post"\n'
    'address = ["Acme Robotics", "400 Industrial Way", "Springfield, IL 62704"]\n'
    'personal = "Thank you for the time you gave me."\n'
    for name in (NAMES["arabic"], NAMES["devanagari"], NAMES["chinese"])
)


def test_cli_refuses_then_allows_missing_glyphs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """render: a name no font has fails that letter (exit 1); --allow-missing-glyphs writes it."""
    facts = tmp_path / "panel.toml"
    facts.write_text(PANEL, encoding="utf-8")
    monkeypatch.setenv("THANKYOU_SYSTEM_FONTS", "0")
    out = tmp_path / "out"
    args = ["render", str(facts), "--format", "pdf", "-o", str(out), "--today", "2026-11-25"]
    refused = CliRunner().invoke(cli, args)
    assert refused.exit_code == 1, refused.output
    assert "recipient.name" in refused.output and "U+9648" in refused.output
    written = sorted(p.name for p in out.rglob("*.pdf"))
    assert len(written) == 1  # the Arabic letter: DejaVu Sans, bundled, has its letters
    allowed = CliRunner().invoke(cli, [*args, "--allow-missing-glyphs", "--force"])
    assert allowed.exit_code == 0, allowed.output
    assert len(list(out.rglob("*.pdf"))) == 3


# --- DOCX ----------------------------------------------------------------------------------------


def _name_run_fonts(data: bytes, name: str) -> set[str]:
    """The fonts named by the runs that hold the name in the salutation paragraph."""
    document = docx.Document(io.BytesIO(data))
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Dear"))
    assert paragraph.text == f"Dear {name},"
    fonts = set()
    for run in paragraph.runs:
        if any(c in name for c in run.text if c.isalpha()):
            rfonts = run._r.rPr.rFonts
            if rfonts is None:
                continue
            slots = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")
            fonts |= {rfonts.get(f"{{{rfonts.nsmap['w']}}}{s.split(':')[1]}") for s in slots}
    return fonts


@pytest.mark.parametrize("script", NAMES, ids=NAMES)
def test_docx_names_a_font_that_holds_the_script(make_letter: MakeLetter, script: str) -> None:
    """Every font slot of the name's runs names one installed font that has its letters."""
    name = NAMES[script]
    fonts = _name_run_fonts(thankyou.render(letter_to(make_letter, name), "docx"), name)
    if script == "hebrew":  # Times New Roman and its twin Liberation Serif have Hebrew
        assert fonts == set()
        return
    assert len(fonts) == 1, fonts
    (family,) = fonts
    letter = next(c for c in name if c.isalpha())
    listed = subprocess.run(
        [_need("fc-list"), f":family={family}:charset={ord(letter):x}", "family"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert family in listed


@pytest.fixture(scope="module")
def libreoffice_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Every script's DOCX converted to PDF in ONE LibreOffice run; script -> PDF."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        reason = "LibreOffice (soffice) is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    from conftest import _letter

    root = tmp_path_factory.mktemp("scripts-docx")
    for script, name in NAMES.items():
        (root / f"{script}.docx").write_bytes(thankyou.render(letter_to(_letter, name), "docx"))
    profile = (root / "profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(root), *sorted(str(p) for p in root.glob("*.docx"))],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return {script: (root / f"{script}.pdf").read_bytes() for script in NAMES}


@pytest.fixture(scope="module")
def through_libreoffice(libreoffice_pdfs: dict[str, bytes]) -> dict[str, list[str]]:
    """script -> the lines copied out of LibreOffice's PDF."""
    return {script: copied_text(data) for script, data in libreoffice_pdfs.items()}


@pytest.mark.parametrize("script", NAMES, ids=NAMES)
def test_docx_through_libreoffice_shows_the_name(
    through_libreoffice: dict[str, list[str]], script: str
) -> None:
    """LibreOffice lays the DOCX out with the name exact, in the block and the salutation."""
    name = NAMES[script]
    lines = through_libreoffice[script]
    assert name in lines
    salutation = next(line for line in lines if line.startswith("Dear"))
    assert salutation.replace(",", "") == f"Dear {name}"


# --- drawing a line on a canvas (for renderers that place text themselves) ------------------------


def test_draw_line_shapes_orders_and_copies_out(tmp_path: Path) -> None:
    """_pdffonts.draw_line: a mixed Latin, Arabic and Hindi line, drawn on a bare canvas."""
    from reportlab.pdfgen.canvas import Canvas

    from thankyou.renderers import _pdffonts

    fonts = _pdffonts.fonts_for("serif")
    missing = _pdffonts.MissingText()
    target = tmp_path / "line.pdf"
    canvas = Canvas(str(target))
    line = f"To {NAMES['arabic']} and {NAMES['devanagari']}"
    width = _pdffonts.draw_line(canvas, 72, 700, line, fonts, 12, missing, "envelope")
    canvas.save()
    assert not missing
    # pdftotext places the spaces around the right-to-left words by position; the
    # characters themselves come back in order.
    copied = copied_text(target.read_bytes())[0]
    assert "".join(copied.split()) == "".join(line.split())
    assert 100 < width < 400


# --- right-to-left paragraphs that wrap ---------------------------------------------------------


ARABIC_PARAGRAPH = (
    "شكرا جزيلا على وقتك الثمين خلال المقابلة. لقد استمتعت كثيرا بالحديث عن خطوط البيانات "
    "والتحديات التي يواجهها الفريق، وأتطلع إلى العمل معكم في المستقبل القريب إن شاء الله. "
    "كما أود أن أشكرك على الأسئلة الدقيقة حول معالجة الأحداث المتأخرة."
)
HEBREW_PARAGRAPH = (
    "תודה רבה על הזמן שהקדשת לי בראיון. נהניתי מאוד מהשיחה על צינורות הנתונים ועל האתגרים "
    "של הצוות, ואני מצפה לעבוד איתכם בקרוב. השאלה שלך על אירועים מאוחרים עדיין מעסיקה אותי."
)


@pytest.mark.parametrize(
    ("text", "letters"),
    [(ARABIC_PARAGRAPH, "\u0600-\u06ff"), (HEBREW_PARAGRAPH, "\u0590-\u05ff")],
    ids=["arabic", "hebrew"],
)
def test_a_right_to_left_paragraph_wraps_in_reading_order(
    make_letter: MakeLetter, text: str, letters: str
) -> None:
    """Lines are broken before they are reordered: the first line holds the first words,
    every line reads right to left, and the paragraph is set flush right."""
    import pdfplumber

    letter = make_letter(paragraphs=("Thank you for meeting with me.", text))
    data = thankyou.render(letter, "pdf")
    word = re.compile(f"[{letters}]+")
    page = pdfplumber.open(io.BytesIO(data)).pages[0]
    rows: dict[int, list[dict[str, Any]]] = {}
    for char in page.chars:
        if word.search(unicodedata.normalize("NFKC", char["text"])):
            rows.setdefault(round(char["top"]), []).append(char)
    assert len(rows) >= 2  # it wraps
    # Read the page as a reader does: rows top to bottom, each row right to left, a new
    # word wherever the gap between two glyphs is a space wide.
    read: list[str] = []
    for top in sorted(rows):
        chars = sorted(rows[top], key=lambda c: -c["x1"])
        line, left = "", None
        for char in chars:
            if left is not None and left - char["x1"] > 2:
                line += " "
            line += unicodedata.normalize("NFKC", char["text"])
            left = char["x0"]
        read.append(line)
    assert word.findall(" ".join(read)) == word.findall(text)
    right = page.width - 72
    assert all(
        max(c["x1"] for c in chars) == pytest.approx(right, abs=2) for chars in rows.values()
    )


@pytest.mark.parametrize(
    ("script", "font_file"),
    [
        ("arabic", NOTO.with_name("NotoNaskhArabic-Regular.ttf")),
        ("devanagari", NOTO),
    ],
)
def test_docx_through_libreoffice_draws_the_glyphs_harfbuzz_chooses(
    libreoffice_pdfs: dict[str, bytes], script: str, font_file: Path
) -> None:
    """LibreOffice sets the name in the font the DOCX names, shaped: HarfBuzz's glyphs.

    LibreOffice shapes the whole run, space included, so the name is shaped as one.
    """
    import uharfbuzz as hb

    name = NAMES[script]
    codes, embedded = _drawn_codes(libreoffice_pdfs[script], font_file.stem)
    original = hb.Font(hb.Face(hb.Blob.from_file_path(str(font_file))))
    buffer = hb.Buffer()
    buffer.add_str(name)
    buffer.guess_segment_properties()
    hb.shape(original, buffer)
    expected = [_glyph_signature(original, g.codepoint) for g in buffer.glyph_infos]
    subset = hb.Font(hb.Face(hb.Blob(embedded)))
    drawn = [_glyph_signature(subset, subset.get_nominal_glyph(code) or 0) for code in codes]
    n = len(expected)
    assert drawn[:n] == expected  # the address block
    assert drawn[n : 2 * n] == expected  # the salutation
