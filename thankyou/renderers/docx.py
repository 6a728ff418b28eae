"""DOCX: the letter as an editable Word document, built with python-docx (SPEC §6, issue 4).

The page matches the PDF renderer through :mod:`thankyou.renderers._layout`:
block format, flush left, the same margins, body size, leading and gaps, and
Times New Roman / Arial, the metric twins of the bundled Liberation fonts, so
lines break alike. Every paragraph carries a named style (``Sender``,
``Letter Date``, ``Recipient``, ``Salutation``, ``Body``, ``Closing``,
``Signature Space``, ``Signature``) and no run carries direct formatting, so a
user restyles the whole letter by editing a style.

Speed: the styles, page setup and header are prepared once per process and
style (:mod:`thankyou.renderers._docxbase`); a letter loads that small package
and fills it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

from docx.image.exceptions import UnrecognizedImageError
from docx.opc.coreprops import CoreProperties
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree  # type: ignore[import-untyped]  # lxml ships no stubs

from thankyou.errors import RenderError
from thankyou.letter import Letter
from thankyou.models import Style
from thankyou.renderers import _docxbase, _layout
from thankyou.renderers._docxbase import STYLE_NAMES
from thankyou.renderers._layout import BODY_LEADING, BODY_SIZE, MM, PARAGRAPH_GAP

__all__ = ["render"]


def render(letter: Letter, style: Style, /, *, invariant: bool = False, **options: Any) -> bytes:
    """Return ``letter`` as the bytes of a .docx file.

    Args:
        letter: The letter to render.
        style: Paper, font, layout, letterhead and signature.
        invariant: Fix every timestamp (core properties and zip entries) so the
            same letter always gives the same bytes.
        **options: Options of other formats; ignored.

    Returns:
        The document, ready to write to a ``.docx`` file.

    Raises:
        RenderError: when an image cannot be read or placed, or python-docx
            refuses the content.
    """
    if style != letter.style:  # the date line follows the paper (Letter.date_line)
        letter = dataclasses.replace(letter, style=style)
    try:
        base = _docxbase.base_for(style)
        parts = {
            base.document: _document(letter, style, base),
            base.core: _core_properties(letter, base.templates[base.core], invariant=invariant),
            base.continuation: _continuation(letter, base.templates[base.continuation]),
        }
        if base.letterhead is not None:
            parts[base.letterhead] = _letterhead(letter, base.templates[base.letterhead])
        return _zip(base, parts, invariant=invariant)
    except UnrecognizedImageError as err:
        raise RenderError(
            "the letterhead or signature image is not a PNG, JPEG, GIF, BMP or TIFF file; "
            "convert it to PNG",
            format="docx",
            recipient=letter.recipient.name,
        ) from err
    except (OSError, ValueError, etree.LxmlError) as err:
        raise RenderError(str(err), format="docx", recipient=letter.recipient.name) from err


# --- text: defensive cleaning and direction ---------------------------------------------------

# The cleaning layer (thankyou._text) already guarantees these, but a Letter
# can be built by hand; a character XML cannot hold must be dropped here, not
# crash lxml deep inside python-docx (ROBUSTNESS §3). CRLF, CR and the other
# line separators become one "\n", which python-docx turns into one <w:br/>.
_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028]")
_UNSAFE = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff\ufeff]")


def _clean(text: str) -> str:
    text = _BREAKS.sub("\n", text.replace("\u2029", "\n\n"))
    return _UNSAFE.sub("", text)


def _one_line(text: str) -> str:
    return " ".join(_clean(text).split())


# Letters from the Hebrew block up to Arabic Extended-A, the presentation forms,
# and the RTL planes (Imperial Aramaic ... Adlam): a cheap test before the
# character-by-character pass.
_MAYBE_RTL = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
_RTL_CLASSES = frozenset({"R", "AL", "AN"})


def _direction(char: str) -> bool | None:
    """True for a right-to-left letter, False for left-to-right, None for neutral."""
    kind = unicodedata.bidirectional(char)
    if kind in _RTL_CLASSES:
        return True
    return False if kind == "L" else None


def _is_rtl(text: str) -> bool:
    """Whether a paragraph reads right to left: its first strong letter decides (UAX #9 P2-P3)."""
    if not _MAYBE_RTL.search(text):
        return False
    return next((d for d in map(_direction, text) if d is not None), False)


def _runs(text: str, rtl_paragraph: bool) -> Iterator[tuple[str, bool]]:
    """Split text into (segment, is_rtl) runs.

    Neutral characters (spaces, punctuation) between two letters of one
    direction take that direction; elsewhere they take the paragraph's, as in
    UAX #9 rules N1-N2. So "Dear שרה," gives "Dear ", "שרה", ",".
    """
    if not _MAYBE_RTL.search(text):
        yield text, False
        return
    resolved = _resolve_neutrals([_direction(c) for c in text], rtl_paragraph)
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
# report unreadable content (ROBUSTNESS §3), and python-docx has no API for them.
_PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
    "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
    "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE",
    "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
    "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
    "w:sectPr", "w:pPrChange",
)  # fmt: skip

_P, _PPR, _PSTYLE, _R, _RPR = qn("w:p"), qn("w:pPr"), qn("w:pStyle"), qn("w:r"), qn("w:rPr")
_T, _BR, _TAB, _VAL = qn("w:t"), qn("w:br"), qn("w:tab"), qn("w:val")
_PRESERVE = "{http://www.w3.org/XML/1998/namespace}space"
_PIECES = re.compile(r"(\n|\t)")


def _set_property(p: etree._Element, tag: str, **attributes: str) -> etree._Element:
    """Insert a pPr child at its place in the schema sequence (python-docx has no API)."""
    element = OxmlElement(tag, attrs={qn(f"w:{k}"): v for k, v in attributes.items()})
    successors = _PPR_ORDER[_PPR_ORDER.index(tag) + 1 :]
    p.find(_PPR).insert_element_before(element, *successors)
    return element


def _paragraph(
    parent: etree._Element, role: str, text: str = "", size: float | None = None
) -> etree._Element:
    """Append one paragraph in the style for ``role``; its runs carry only direction.

    Elements are made directly: through python-docx's add_paragraph(style=name)
    the styles part is searched by name for every paragraph, which was half of
    a letter's time.
    """
    p = etree.SubElement(parent, _P)
    ppr = etree.SubElement(p, _PPR)
    etree.SubElement(ppr, _PSTYLE).set(_VAL, _docxbase.style_id(STYLE_NAMES[role]))
    _write(p, text, flush_left=role not in _READING_ROLES, size=size)
    return p


#: Roles whose right-to-left paragraphs keep their natural (right) alignment: a
#: Hebrew or Arabic paragraph with a ragged start would be hard to read.
_READING_ROLES = frozenset({"body"})


def _write(
    p: etree._Element, text: str, *, flush_left: bool = True, size: float | None = None
) -> None:
    """Fill a paragraph with runs: one per direction, RTL runs marked as such.

    ``size`` is direct formatting, used only where the window layout must
    shrink an address to fit the envelope window.
    """
    text = _clean(text)
    if not text:
        return
    rtl = _is_rtl(text)
    if rtl:
        _set_property(p, "w:bidi")
        if flush_left:
            # w:bidi mirrors w:jc (ECMA-376 Part 1, §17.3.1.6), so "right" here is
            # the left edge: a Hebrew name stays flush left in the address block.
            _set_property(p, "w:jc", val="right")
    for segment, segment_rtl in _runs(text, rtl):
        run = etree.SubElement(p, _R)
        if size or segment_rtl:
            run.append(_run_properties(size, segment_rtl))
        _text(run, segment)


def _run_properties(size: float | None, rtl: bool) -> etree._Element:
    # Children in CT_RPr order: sz, szCs, ..., rtl, cs. w:rtl makes Word order
    # and shape the run as right-to-left script, w:cs use its complex-script font.
    xml = _docxbase.size_xml(size) if size else ""
    xml += "<w:rtl/><w:cs/>" if rtl else ""
    return parse_xml(f"<w:rPr {nsdecls('w')}>{xml}</w:rPr>")


def _text(run: etree._Element, text: str) -> None:
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


def _block(parent: etree._Element, role: str, lines: Iterable[str]) -> list[etree._Element]:
    """One paragraph per line, so each line of an address takes its own direction."""
    return [_paragraph(parent, role, line) for line in lines if _clean(line).strip()]


def _image(parent: etree._Element, role: str, inline: bytes) -> etree._Element:
    """A paragraph holding one prepared picture (its part is already in the package)."""
    p = _paragraph(parent, role)
    etree.SubElement(etree.SubElement(p, _R), qn("w:drawing")).append(parse_xml(inline))
    return p


#: Space above and below a signature image, in twentieths of a point (3 pt, as pdf.py).
_SIGNATURE_PAD = "60"


# --- the document -----------------------------------------------------------------------------


def _document(letter: Letter, style: Style, base: _docxbase.Base) -> bytes:
    """The main part: the letter's paragraphs in reading order, then the page setup."""
    root = parse_xml(base.templates[base.document])
    body = root[0]
    section = body[-1]  # w:sectPr: paper size, margins, headers; from the base
    body.remove(section)
    if style.layout == "window":
        _window_head(body, letter, style, base)
        _paragraph(body, "date", letter.date_line)
    else:
        if style.letterhead is False:
            _block(body, "sender", letter.sender_block)
        _paragraph(body, "date", letter.date_line)
        _block(body, "recipient", letter.recipient.block)
    _paragraph(body, "salutation", letter.salutation)
    for text in letter.paragraphs:
        _paragraph(body, "body", text)
    _paragraph(body, "closing", letter.closing)
    if base.signature_inline is not None:
        image = _image(body, "signature_space", base.signature_inline)
        # A little air so that the ink touches neither the closing nor the name (pdf.py).
        _set_property(image, "w:spacing", before=_SIGNATURE_PAD, after=_SIGNATURE_PAD)
    else:
        _paragraph(body, "signature_space")
    _paragraph(body, "signature", letter.signature)
    body.append(section)
    return _serialise(root)


def _serialise(root: etree._Element) -> bytes:
    """An XML part as python-docx writes it: UTF-8 with a standalone declaration."""
    xml: bytes = etree.tostring(root, encoding="UTF-8", standalone=True)
    return xml


# --- the window layout ------------------------------------------------------------------------
# As pdf.py draws it: the head (letterhead or sender block) above the window, the
# return line (A4) and the recipient block inside it, the text from 24 pt under
# it. Two frames (w:framePr) anchored to the page tile the height from the head
# to that point; text may not stand beside a frame (wrap="notBeside"), so both
# Word and LibreOffice start the date under them.

_MIN_TOP = _docxbase.WINDOW_MIN_TOP
#: The text starts two 12 pt lines under the window (DIN 5008 Form B: 98.46 mm).
_BELOW_WINDOW = 24.0
#: Sizes tried, largest first, until the recipient block fits its window (pdf.py).
_WINDOW_SIZES = (
    (BODY_SIZE, BODY_LEADING), (BODY_SIZE, 13.0), (10.0, 12.0), (9.0, 10.5), (8.0, 9.5),
)  # fmt: skip
#: Descenders reach this far (in em) below the last baseline.
_DESCENT = 0.22


def _window_head(body: etree._Element, letter: Letter, style: Style, base: _docxbase.Base) -> None:
    page = _layout.PAGES[style.paper]
    window, inset = page.window, _layout.WINDOW_INSET
    x = max(window.left + inset, page.margin)
    block_top = window.top + (window.return_line or inset)
    frame_top = window.top + _docxbase.RETURN_OFFSET if window.return_line else block_top
    if page.fold_marks:
        _marks(body, page)
    head = _head(letter, style, base, page)
    head_top = max(_MIN_TOP, min(page.margin, window.top - 2 * PARAGRAPH_GAP - _height(head, base)))
    _frame_head(body, letter, head, base, page, head_top, frame_top)
    framed = []
    if window.return_line:
        sender = letter.sender
        framed.append(_paragraph(body, "return", " · ".join([sender.name, *sender.address])))
    lines = [line for line in letter.recipient.block if _clean(line).strip()]
    room = window.top + window.height - inset - block_top
    size, leading, fits = _window_size(len(lines), room)
    framed += _recipient(body, lines, size, leading)
    height = window.top + window.height + _BELOW_WINDOW - frame_top
    for p in framed:
        _frame(p, x, frame_top, window.left + window.width - inset - x, height, exact=fits)


def _head(letter: Letter, style: Style, base: _docxbase.Base, page: _layout.Page) -> str:
    """Which head goes above the window: "image", "letterhead" or "sender" (pdf.py rules)."""
    if base.letterhead_inline is not None:
        return "image"
    if style.letterhead is True:
        return "letterhead"
    if page.window.top - 2 * PARAGRAPH_GAP - _height("sender", base, letter) < _MIN_TOP:
        return "letterhead"  # name and one contact line: always fits
    return "sender"


def _height(head: str, base: _docxbase.Base, letter: Letter | None = None) -> float:
    if head == "image":
        return base.letterhead_height
    if head == "letterhead":
        return _docxbase.LETTERHEAD_HEIGHT
    lines = letter.sender_block if letter else ()
    return sum(1 for line in lines if _clean(line).strip()) * BODY_LEADING


def _frame_head(
    body: etree._Element,
    letter: Letter,
    head: str,
    base: _docxbase.Base,
    page: _layout.Page,
    top: float,
    bottom: float,
) -> None:
    """The head in frames reaching down to the window frame, so no text lands between."""
    x, width = page.margin, page.width - 2 * page.margin
    if head == "image" and base.letterhead_inline is not None:
        paragraphs = [_image(body, "letterhead_image", base.letterhead_inline)]
    elif head == "sender":
        paragraphs = _block(body, "sender", letter.sender_block)
    else:
        *paragraphs, rule = _letterhead_paragraphs(body, letter)
        # The rule gets a frame of its own: LibreOffice 7.4 drops a frame whose
        # paragraphs have different borders. It also ignores space before at the
        # top of a frame, so the frame starts at the rule and the space is removed.
        rule_top = top + _docxbase.LETTERHEAD_TEXT_HEIGHT + _docxbase.RULE_SPACE
        _frame(rule, x, rule_top, width, bottom - rule_top)
        _set_property(rule, "w:spacing", before="0")
        bottom = rule_top
    for p in paragraphs:
        _frame(p, x, top, width, bottom - top)


def _window_size(lines: int, room: float) -> tuple[float, float, bool]:
    """The largest (size, leading) at which ``lines`` lines fit ``room`` points."""
    for size, leading in _WINDOW_SIZES:
        if size + (lines - 1) * leading + _DESCENT * size <= room:
            return size, leading, True
    return *_WINDOW_SIZES[-1], False


def _recipient(
    body: etree._Element, lines: list[str], size: float, leading: float
) -> list[etree._Element]:
    if (size, leading) == (BODY_SIZE, BODY_LEADING):
        return _block(body, "recipient", lines)
    paragraphs = [_paragraph(body, "recipient", line, size=size) for line in lines]
    for p in paragraphs:  # a long address, set smaller so that it fits the window
        _set_property(p, "w:spacing", after="0", line=str(round(leading * 20)), lineRule="exact")
    return paragraphs


def _frame(
    p: etree._Element,
    x: float,
    y: float,
    width: float,
    height: float,
    *,
    exact: bool = True,
    wrap: str = "notBeside",
) -> None:
    """Place a paragraph in a frame at (x, y) points from the page's top-left corner."""
    _set_property(
        p, "w:framePr", w=str(round(width * 20)), h=str(round(height * 20)),
        hRule="exact" if exact else "atLeast", hSpace="0", vSpace="0", wrap=wrap,
        vAnchor="page", hAnchor="page", x=str(round(x * 20)), y=str(round(y * 20)),
    )  # fmt: skip


#: DIN 5008 marks at the left edge: 5 mm fold marks, an 8 mm hole mark, 4 mm in (pdf.py).
_MARK_X, _FOLD_MARK, _HOLE_MARK = 4 * MM, 5 * MM, 8 * MM


def _marks(body: etree._Element, page: _layout.Page) -> None:
    """Fold and hole marks: empty framed paragraphs whose top border is the mark."""
    marks = [(y, _FOLD_MARK) for y in page.fold_marks]
    if page.hole_mark is not None:
        marks.append((page.hole_mark, _HOLE_MARK))
    for y, length in marks:
        # "around": the marks sit in the margin, so no line of text is moved by them.
        _frame(_paragraph(body, "mark"), _MARK_X, y, length, 1.0, wrap="around")


# --- headers, properties, package -------------------------------------------------------------


def _letterhead_paragraphs(parent: etree._Element, letter: Letter) -> list[etree._Element]:
    """Name, one contact line (address, phone, email joined by " · ") and the rule."""
    sender = letter.sender
    contact = " · ".join(
        _one_line(part) for part in (*sender.address, sender.phone, sender.email) if part
    )
    return [
        _paragraph(parent, "letterhead_name", _one_line(sender.name)),
        _paragraph(parent, "letterhead_contact", contact),
        _paragraph(parent, "letterhead_rule"),
    ]


def _letterhead(letter: Letter, header_xml: bytes) -> bytes:
    """The first-page header of the block layout, holding the letterhead."""
    root = parse_xml(header_xml)
    for p in root.findall(_P):
        root.remove(p)
    _letterhead_paragraphs(root, letter)
    return _serialise(root)


def _continuation(letter: Letter, header_xml: bytes) -> bytes:
    """The header of pages 2 and later: "Priya Raman · page 2", as in the PDF."""
    root = parse_xml(header_xml)
    p = root.find(_P)
    _write(p, f"{_one_line(letter.recipient.name)} · page ")
    field = etree.SubElement(p, qn("w:fldSimple"))
    field.set(qn("w:instr"), " PAGE ")
    _text(etree.SubElement(field, _R), "2")
    return _serialise(root)


#: Core properties hold at most 255 characters (python-docx enforces it).
_PROPERTY_MAX = 255


def _property(text: str) -> str:
    text = _one_line(text)
    return text if len(text) <= _PROPERTY_MAX else text[: _PROPERTY_MAX - 1] + "…"


def _subject(letter: Letter) -> str:
    # The same words as the PDF's subject (pdf.py), so both formats file alike.
    to = letter.recipient.name + (f", {letter.company}" if letter.company else "")
    return f"Letter to {to}" + (f": {letter.position}" if letter.position else "")


def _core_properties(letter: Letter, xml: bytes, *, invariant: bool) -> bytes:
    """Title, author and subject for document managers; timestamps fixed when invariant."""
    root = parse_xml(xml)
    props = CoreProperties(root)
    props.title = _property(letter.subject)
    props.author = props.last_modified_by = _property(letter.sender.name)
    props.subject = _property(_subject(letter))
    props.revision = 1
    if invariant:
        stamp = dt.datetime.combine(letter.date, dt.time(0, 0))
    else:
        stamp = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    props.created = props.modified = stamp
    return _serialise(root)


#: Zip timestamps of invariant output: the earliest the format can store.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def _zip(base: _docxbase.Base, parts: dict[str, bytes], *, invariant: bool) -> bytes:
    """The package: shared parts as prepared, this letter's parts in their places."""
    stamp = _ZIP_EPOCH if invariant else dt.datetime.now().timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, blob in base.entries:
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            package.writestr(entry, parts[name] if blob is None else blob)
    return out.getvalue()
