"""WordprocessingML paragraphs and runs from user text, for the DOCX renderer.

User text is made safe here once more (docs/design/hazards.md, python-docx: a hand-built Letter may
bypass the cleaning layer), split into runs by writing direction, and written
as ``w:p``/``w:r`` elements directly with lxml. python-docx's
``add_paragraph(style=name)`` searches the styles part by name for every
paragraph, which was half of a letter's time.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextvars import ContextVar, Token
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree  # type: ignore[import-untyped]  # lxml ships no stubs

from thankyou.renderers import _docxbase, _scripts, _sysfonts
from thankyou.renderers._docxbase import STYLE_NAMES

__all__ = [
    "P",
    "R",
    "append_text",
    "block",
    "clean",
    "image",
    "missing_fonts",
    "one_line",
    "paragraph",
    "runs",
    "serialise",
    "set_property",
    "write",
]


# --- text: defensive cleaning and direction ---------------------------------------------------

# The cleaning layer (thankyou._text) already guarantees these, but a Letter
# can be built by hand; a character XML cannot hold must be dropped here, not
# crash lxml deep inside python-docx (docs/design/hazards.md, python-docx). CRLF, CR and the other
# line separators become one "\n", which append_text turns into one <w:br/>.
_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028]")
_UNSAFE = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff\ufeff]")


def clean(text: str) -> str:
    """Text with one kind of line break and nothing an XML document cannot hold."""
    text = _BREAKS.sub("\n", text.replace("\u2029", "\n\n"))
    return _UNSAFE.sub("", text)


def one_line(text: str) -> str:
    """Clean text on one line, for headers, properties and the return line."""
    return " ".join(clean(text).split())


def runs(text: str, rtl_paragraph: bool) -> Iterator[tuple[str, bool]]:
    """Split text into (segment, is_rtl) runs.

    Neutral characters (spaces, punctuation) between two letters of one
    direction take that direction; elsewhere they take the paragraph's, as in
    UAX #9 rules N1-N2. So "Dear שרה," gives "Dear ", "שרה", ",".
    """
    if not _scripts.has_rtl(text):
        yield text, False
        return
    resolved = _resolve_neutrals([_scripts.direction(c) for c in text], rtl_paragraph)
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or resolved[index] != resolved[start]:
            yield text[start:index], resolved[start]
            start = index


def _resolve_neutrals(strong: list[bool | None], base: bool) -> list[bool]:
    # The next strong direction to the right of each position, found in one
    # backward pass, keeps this linear for long runs of spaces or digits.
    following: list[bool] = [base] * len(strong)
    upcoming = base
    for index in range(len(strong) - 1, -1, -1):
        following[index] = upcoming
        if strong[index] is not None:
            upcoming = bool(strong[index])
    resolved: list[bool] = []
    previous = base
    for index, direction in enumerate(strong):
        if direction is None:
            direction = previous if previous == following[index] else base
        previous = direction if strong[index] is not None else previous
        resolved.append(direction)
    return resolved


# --- paragraphs and runs ---------------------------------------------------------------------

# The order of pPr's children (ECMA-376 Part 1, §17.3.1.26). w:bidi, w:framePr and
# w:jc must be inserted at their places: appending w:bidi after w:jc makes Word
# report unreadable content (docs/design/hazards.md), and python-docx has no API for them.
_PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
    "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
    "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE",
    "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
    "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
    "w:sectPr", "w:pPrChange",
)  # fmt: skip

P, _PPR, _PSTYLE, R, _RPR = qn("w:p"), qn("w:pPr"), qn("w:pStyle"), qn("w:r"), qn("w:rPr")
_T, _BR, _TAB, _VAL = qn("w:t"), qn("w:br"), qn("w:tab"), qn("w:val")
_PRESERVE = "{http://www.w3.org/XML/1998/namespace}space"
_PIECES = re.compile(r"(\n|\t)")


def set_property(p: etree._Element, tag: str, **attributes: str) -> etree._Element:
    """Insert a pPr child at its place in the schema sequence (python-docx has no API)."""
    element = OxmlElement(tag, attrs={qn(f"w:{k}"): v for k, v in attributes.items()})
    successors = _PPR_ORDER[_PPR_ORDER.index(tag) + 1 :]
    p.find(_PPR).insert_element_before(element, *successors)
    return element


def paragraph(
    parent: etree._Element, role: str, text: str = "", size: float | None = None
) -> etree._Element:
    """Append one paragraph in the style for ``role``; its runs carry only direction."""
    p = etree.SubElement(parent, P)
    ppr = etree.SubElement(p, _PPR)
    etree.SubElement(ppr, _PSTYLE).set(_VAL, _docxbase.style_id(STYLE_NAMES[role]))
    write(p, text, flush_left=role not in _READING_ROLES, size=size)
    return p


#: Roles whose right-to-left paragraphs keep their natural (right) alignment: a
#: Hebrew or Arabic paragraph with a ragged start would be hard to read.
_READING_ROLES = frozenset({"body"})


def write(
    p: etree._Element, text: str, *, flush_left: bool = True, size: float | None = None
) -> None:
    """Fill a paragraph with runs: one per direction, RTL runs marked as such.

    ``size`` is direct formatting, used only where the window layout must
    shrink an address to fit the envelope window.
    """
    text = clean(text)
    if not text:
        return
    rtl = _scripts.reads_rtl(text)
    if rtl:
        set_property(p, "w:bidi")
        if flush_left:
            # w:bidi mirrors w:jc (ECMA-376 Part 1, §17.3.1.6), so "right" here is
            # the left edge: a Hebrew name stays flush left in the address block.
            set_property(p, "w:jc", val="right")
    for segment, segment_rtl in runs(text, rtl):
        for piece, font in script_runs(segment):
            run = etree.SubElement(p, R)
            if size or segment_rtl or font:
                run.append(_run_properties(size, segment_rtl, font))
            append_text(run, piece)


def _run_properties(size: float | None, rtl: bool, font: ScriptFont | None) -> etree._Element:
    # Children in CT_RPr order: rFonts, sz, szCs, ..., rtl, cs. w:rtl makes Word
    # order and shape the run as right-to-left script, w:cs use its complex-script
    # font. A run in a script the style's font lacks names a font that has it in
    # every slot (ECMA-376 Part 1, §17.3.2.26), so whichever slot Word or
    # LibreOffice picks for its characters, the font can draw them.
    xml = ""
    if font is not None:
        hint = ' w:hint="eastAsia"' if font.east_asian else ""
        name = escape_attribute(font.family)
        xml += f"<w:rFonts w:ascii={name} w:hAnsi={name} w:eastAsia={name} w:cs={name}{hint}/>"
    xml += _docxbase.size_xml(size) if size else ""
    xml += "<w:rtl/><w:cs/>" if rtl else "<w:cs/>" if font is not None and font.complex else ""
    return parse_xml(f"<w:rPr {nsdecls('w')}>{xml}</w:rPr>")


# --- fonts for scripts the style's font cannot hold ---------------------------------------------

# Times New Roman and Arial (and their twins, Liberation) hold Latin, Greek,
# Cyrillic, Hebrew, punctuation and symbols; from Armenian on, a script needs a
# font of its own, except Vietnamese (Latin Extended Additional), the punctuation
# and symbol blocks, variation selectors and emoji, which every system falls back for.
_OTHER_SCRIPT = re.compile(
    "[\u0530-\u058f\u0600-\u1dff\u2c00-\u2dff\u2e80-\ufaff\ufb1d-\ufdff\ufe10-\ufe1f"
    "\ufe30-\ufe4f\ufe70-\ufefe\uff00-\uffef\U00010000-\U0001efff\U00020000-\U0003ffff]"
)


@dataclass(frozen=True)
class ScriptFont:
    """An installed font to name for a run in a script the style's font lacks."""

    family: str
    #: CJK: Word takes such characters' font from the East Asian slot.
    east_asian: bool
    #: Arabic, Hebrew, Indic, Thai...: the complex-script slot.
    complex: bool


def _font_for(char: str) -> ScriptFont | None:
    found = _sysfonts.find(char, serif=_serif.get())
    if found is None:
        return None
    return ScriptFont(found.family, _scripts.is_cjk(char), _scripts.needs_shaping(char))


def script_runs(text: str) -> list[tuple[str, ScriptFont | None]]:
    """Split text into runs by the font they need (None: the style's font).

    Spaces and punctuation stay in the run before them, so a name in another
    script is one run.
    """
    if not _OTHER_SCRIPT.search(text):
        return [(text, None)]
    result: list[tuple[str, ScriptFont | None]] = []
    for char in text:
        if result and (unicodedata.category(char)[0] == "M" or char in "\u200c\u200d"):
            result[-1] = (result[-1][0] + char, result[-1][1])  # a mark stays with its letter
            continue
        font = _font_for(char) if _OTHER_SCRIPT.match(char) else None
        if result and (font == result[-1][1] or (font is None and not char.isalnum())):
            result[-1] = (result[-1][0] + char, result[-1][1])
        else:
            result.append((char, font))
    return result


def missing_fonts(text: str) -> list[str]:
    """Characters of ``text`` in a script the style's font lacks and no installed font has."""
    lost: list[str] = []
    for char in _OTHER_SCRIPT.findall(text):
        if char not in lost and _font_for(char) is None and unicodedata.category(char)[0] == "L":
            lost.append(char)
    return lost


#: Whether the letter being written is set in a serif face (installed fonts are chosen to match).
_serif: ContextVar[bool] = ContextVar("serif", default=True)


def use_serif(serif: bool) -> Token[bool]:
    """Choose serif (True) or sans (False) installed fonts for the letter being written."""
    return _serif.set(serif)


def done_with_serif(token: Token[bool]) -> None:
    """Undo :func:`use_serif`."""
    _serif.reset(token)


def escape_attribute(value: str) -> str:
    """``value`` as a quoted XML attribute value."""
    return quoteattr(value)


def append_text(run: etree._Element, text: str) -> None:
    """Run content: a line feed becomes <w:br/> and a tab <w:tab/>, as in python-docx's run.text."""
    for piece in _PIECES.split(text):
        if piece == "\n":
            etree.SubElement(run, _BR)
        elif piece == "\t":
            etree.SubElement(run, _TAB)
        elif piece:
            node = etree.SubElement(run, _T)
            node.text = piece
            if piece[0].isspace() or piece[-1].isspace():
                node.set(_PRESERVE, "preserve")


def block(parent: etree._Element, role: str, lines: Iterable[str]) -> list[etree._Element]:
    """One paragraph per line, so each line of an address takes its own direction."""
    return [paragraph(parent, role, line) for line in lines if clean(line).strip()]


def image(parent: etree._Element, role: str, inline: bytes) -> etree._Element:
    """A paragraph holding one prepared picture (its part is already in the package)."""
    p = paragraph(parent, role)
    etree.SubElement(etree.SubElement(p, R), qn("w:drawing")).append(parse_xml(inline))
    return p


def serialise(root: etree._Element) -> bytes:
    """An XML part as python-docx writes it: UTF-8 with a standalone declaration."""
    xml: bytes = etree.tostring(root, encoding="UTF-8", standalone=True)
    return xml
