"""DOCX: the letter as an editable Word document, built with python-docx (docs/design/layout.md).

The page matches the PDF renderer through :mod:`thankyou.renderers._layout`:
block format, flush left, the same margins, body size, leading and gaps, and
Times New Roman / Arial, the metric twins of the bundled Liberation fonts, so
lines break alike. Every paragraph carries a named style (``Sender``,
``Letter Date``, ``Recipient``, ``Salutation``, ``Body``, ``Closing``,
``Signature Space``, ``Signature``) and no run carries direct formatting, so a
user restyles the whole letter by editing a style. The one exception is the
font of a run in a script Times New Roman and Arial lack (Arabic, Devanagari,
Chinese...): it names an installed font that has the script.

Speed: styles, page setup, headers and images are prepared once per process
and style (:mod:`thankyou.renderers._docxbase`); a letter fills copies of the
three parts that differ (document, headers, core properties) with paragraphs
made by :mod:`thankyou.renderers._docxtext`, and is zipped with the rest.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import math
import warnings
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docx.image.exceptions import (
    InvalidImageStreamError,
    UnexpectedEndOfFileError,
    UnrecognizedImageError,
)
from docx.opc.coreprops import CoreProperties
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from lxml import etree  # type: ignore[import-untyped]  # lxml ships no stubs

from thankyou.errors import RenderError, RenderWarning
from thankyou.letter import Letter
from thankyou.models import Style
from thankyou.renderers import _docxbase, _docxtext, _images, _layout
from thankyou.renderers._layout import (
    BELOW_WINDOW,
    BODY_LEADING,
    BODY_SIZE,
    DESCENT,
    FOLD_MARK,
    HOLE_MARK,
    LETTERHEAD_HEIGHT,
    MARK_X,
    NAME_LEADING,
    NAME_SIZE,
    PARAGRAPH_GAP,
    RETURN_OFFSET,
    RETURN_SIZE,
    RULE_WIDTH,
    SIGNATURE_PAD,
    SMALL_LEADING,
    SMALL_SIZE,
)

if TYPE_CHECKING:
    from thankyou.renderers.pdf import Measure

__all__ = ["render"]


def render(
    letter: Letter,
    style: Style,
    /,
    *,
    invariant: bool = False,
    allow_missing_glyphs: bool = False,
    **options: Any,
) -> bytes:
    """Return ``letter`` as the bytes of a .docx file.

    Text in a script Times New Roman and Arial lack (Arabic, Devanagari,
    Chinese...) names an installed font that has it, in the East Asian and
    complex-script slots too, so Word and LibreOffice draw it in that font.

    Args:
        letter: The letter to render.
        style: Paper, font, layout, letterhead and signature.
        invariant: Fix every timestamp (core properties and zip entries) so the
            same letter always gives the same bytes.
        allow_missing_glyphs: Write the letter even when no installed font has
            the script of a name (recipient, salutation, candidate).
        **options: Options of other formats; ignored.

    Returns:
        The document, ready to write to a ``.docx`` file.

    Raises:
        RenderError: when an image cannot be read or placed, python-docx
            refuses the content, or no font is known for a name's script.
    """
    if style != letter.style:  # the date line follows the paper (Letter.date_line)
        letter = dataclasses.replace(letter, style=style)
    for where, image in (
        ("style.letterhead", style.letterhead),
        ("style.signature", style.signature_image),
    ):
        if isinstance(image, Path):
            _images.check(image, where, format="docx", recipient=letter.recipient.name)
    if not allow_missing_glyphs:
        _refuse_names_without_a_font(letter)
    token = _docxtext.use_serif(style.font == "serif")
    try:
        return _render(letter, style, invariant)
    finally:
        _docxtext.done_with_serif(token)


#: Fields whose every character must be drawn (as in pdf.py).
_NAME_FIELDS = ("recipient.name", "salutation", "sender.name", "signature")


def _refuse_names_without_a_font(letter: Letter) -> None:
    values = (letter.recipient.name, letter.salutation, letter.sender.name, letter.signature)
    for where, text in zip(_NAME_FIELDS, values, strict=True):
        lost = _docxtext.missing_fonts(text)
        if lost:
            points = ", ".join(f"U+{ord(c):04X}" for c in lost)
            raise RenderError(
                f"{where}: no installed font has {''.join(lost)} ({points}), so Word would "
                "show boxes or a stranger's font. Install a TrueType font for this script "
                "(Debian: fonts-noto-core for Arabic, Indic and Thai, fonts-wqy-zenhei for "
                "Chinese, Japanese and Korean) or pass allow_missing_glyphs=True "
                "(--allow-missing-glyphs)",
                format="docx",
                recipient=letter.recipient.name,
            )


def _render(letter: Letter, style: Style, invariant: bool) -> bytes:
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
    except (UnrecognizedImageError, UnexpectedEndOfFileError, InvalidImageStreamError) as err:
        raise RenderError(
            "the letterhead or signature image is not a PNG, JPEG, GIF, BMP or TIFF file; "
            "convert it to PNG",
            format="docx",
            recipient=letter.recipient.name,
        ) from err
    except (OSError, ValueError, etree.LxmlError) as err:
        raise RenderError(str(err), format="docx", recipient=letter.recipient.name) from err


#: Space above and below a signature image, in twentieths of a point.
_PAD_TWIPS = str(round(SIGNATURE_PAD * 20))


# --- the document -----------------------------------------------------------------------------


def _document(letter: Letter, style: Style, base: _docxbase.Base) -> bytes:
    """The main part: the letter's paragraphs in reading order, then the page setup."""
    measured = _measure(letter, style)
    root = parse_xml(base.templates[base.document])
    body = root[0]
    section = body[-1]  # w:sectPr: paper size, margins, headers; from the base
    body.remove(section)
    if style.layout == "window":
        _window_head(body, letter, style, base)
        _date(body, letter)
    else:
        sender = []
        if style.letterhead is False:
            sender = _docxtext.block(body, "sender", letter.sender_block)
        date = _date(body, letter)
        _docxtext.block(body, "recipient", letter.recipient.block)
        _balance(sender, date, measured.balance if measured else (0.0, 0.0))
    if letter.heading:  # DIN 5008: the subject in bold; French letters: "Objet :"
        _docxtext.paragraph(body, "heading", letter.heading)
    _docxtext.paragraph(body, "salutation", letter.salutation)
    narrower = measured.narrower if measured else ()
    for index, text in enumerate(letter.paragraphs):
        p = _docxtext.paragraph(body, "body", text)
        if index < len(narrower) and narrower[index] > 0:  # no one-word last line (pdf.py)
            _docxtext.set_property(p, "w:ind", right=str(round(narrower[index] * 20)))
    _docxtext.paragraph(body, "closing", letter.closing)
    if base.signature_inline is not None:
        image = _docxtext.image(body, "signature_space", base.signature_inline)
        # A little air so that the ink touches neither the closing nor the name (pdf.py).
        _docxtext.set_property(image, "w:spacing", before=_PAD_TWIPS, after=_PAD_TWIPS)
    else:
        _docxtext.paragraph(body, "signature_space")
    _docxtext.paragraph(body, "signature", letter.signature)
    body.append(section)
    return _docxtext.serialise(root)


def _balance(
    sender: list[etree._Element], date: etree._Element, extra: tuple[float, float]
) -> None:
    """Move a short letter down the page as pdf.py does: more space before and after the date.

    Space is added on one side of each boundary only: where one paragraph's
    space after meets the next one's space before, Word adds the two and
    LibreOffice may take the larger, so the space above the date goes into
    the sender block's last paragraph when there is one.
    """
    above, between = extra
    if not above and not between:
        return
    after = str(round((2 * PARAGRAPH_GAP + between) * 20))
    if sender:
        _docxtext.set_property(
            sender[-1], "w:spacing", after=str(round((PARAGRAPH_GAP + above) * 20))
        )
        _docxtext.set_property(date, "w:spacing", after=after)
    else:  # the date opens the page: its space before is kept at the top of a page
        _docxtext.set_property(date, "w:spacing", before=str(round(above * 20)), after=after)


def _measure(letter: Letter, style: Style) -> Measure | None:
    """The PDF renderer's layout of this letter, or None when it cannot measure it.

    Word and LibreOffice set Times New Roman and Arial with the metrics of the
    Liberation fonts the PDF embeds, so the PDF's line breaks are theirs too:
    the DOCX copies the PDF's choices (a short letter moved down, a paragraph
    set narrower to avoid a one-word last line) rather than guessing.
    """
    from thankyou.renderers import pdf  # reportlab: loaded on the first DOCX letter

    try:
        return pdf.measure(letter, style)
    except (RenderError, ValueError):  # an image reportlab cannot read, markup it refuses:
        return None  # the DOCX is still written, laid out by the word processor alone


def _date(body: etree._Element, letter: Letter) -> etree._Element:
    """The date line; flush right where the letter's language sets it so (Letter.date_right)."""
    p = _docxtext.paragraph(body, "date", letter.date_line)
    if letter.date_right:
        _docxtext.set_property(p, "w:jc", val="right")
    return p


# --- the window layout ------------------------------------------------------------------------
# As pdf.py draws it: the head (letterhead or sender block) above the window, the
# return line (A4) and the recipient block inside it, the text from 24 pt under
# it. Two frames (w:framePr) anchored to the page tile the height from the head
# to that point; text may not stand beside a frame (wrap="notBeside"), so both
# Word and LibreOffice start the date under them.

#: A generous average advance of a character in Times New Roman or Arial (in em).
_EM_PER_CHAR = 0.55


def _window_head(body: etree._Element, letter: Letter, style: Style, base: _docxbase.Base) -> None:
    """Marks, head, return line and recipient block of page 1, all in frames."""
    page = _layout.PAGES[style.paper]
    window, inset = page.window, _layout.WINDOW_INSET
    x = max(window.left + inset, page.margin)
    block_top = window.top + (window.return_line or inset)
    frame_top = window.top + RETURN_OFFSET if window.return_line else block_top
    if page.fold_marks:
        _marks(body, page)
    head, height = _head(letter, style, base, page)
    head_top = _layout.head_top(page, height)
    _frame_head(body, letter, (head, height), base, page, head_top, frame_top)
    width = window.left + window.width - inset - x
    if window.return_line:
        # A frame of its own, so that a long return line can never push the address.
        line = _docxtext.paragraph(body, "return", _return_line(letter, width))
        _frame(line, x, frame_top, width, block_top - frame_top)
    room = window.top + window.height - inset - block_top
    fit = _window_fit(letter, room, width)
    height = window.top + window.height + BELOW_WINDOW - block_top
    for p in _recipient(body, list(fit.lines), fit.size, fit.leading):
        _frame(p, x, block_top, width, height, exact=fit.fits)


def _head(
    letter: Letter, style: Style, base: _docxbase.Base, page: _layout.Page
) -> tuple[str, float]:
    """Which head goes above the window ("image", "letterhead", "sender"), and its height.

    pdf.py's rules: the sender block becomes the compact letterhead when it
    would have to start closer than half an inch to the top edge.
    """
    if base.letterhead_inline is not None:
        return "image", base.letterhead_height
    width = page.width - 2 * page.margin
    lines = sum(_lines(line, BODY_SIZE, width) for line in letter.sender_block)
    sender = lines * BODY_LEADING
    if style.letterhead is True or not _layout.head_fits(page, sender):
        extra = (_lines(letter.sender.name, NAME_SIZE, width) - 1) * NAME_LEADING
        extra += (_lines(_contact(letter), SMALL_SIZE, width) - 1) * SMALL_LEADING
        return "letterhead", LETTERHEAD_HEIGHT + extra
    return "sender", sender


def _return_line(letter: Letter, width: float) -> str:
    """The sender on one line for the DIN 5008 return line: name and address.

    When that is too long for one line, middle address lines go first (the
    full address is in the head above), so the line never wraps into the
    recipient's address.
    """
    name, address = letter.sender.name, list(letter.sender.address)
    candidates = [[name, *address], [name, *address[-2:]], [name, *address[-1:]], [name]]
    for parts in candidates:
        line = " · ".join(parts)
        # A typical rather than a generous width: its frame keeps a wrapped
        # line from pushing the address, and the name leads the line anyway.
        if _lines(line, RETURN_SIZE, width, em_per_char=0.5) <= 1:
            return line
    return name


def _lines(text: str, size: float, width: float, em_per_char: float = _EM_PER_CHAR) -> int:
    """How many lines ``text`` may take at ``size`` in ``width`` points (0 when blank).

    Unlike reportlab, we cannot measure line breaks, so a character's width
    is estimated generously: a frame sized by this never clips its text.
    """
    text = _docxtext.one_line(text)
    return math.ceil(len(text) * em_per_char * size / width) if text else 0


def _frame_head(
    body: etree._Element,
    letter: Letter,
    head_and_height: tuple[str, float],
    base: _docxbase.Base,
    page: _layout.Page,
    top: float,
    bottom: float,
) -> None:
    """The head in frames reaching down to the window frame, so no text lands between."""
    head, height = head_and_height
    x, width = page.margin, page.width - 2 * page.margin
    if head == "image" and base.letterhead_inline is not None:
        paragraphs = [_docxtext.image(body, "letterhead_image", base.letterhead_inline)]
    elif head == "sender":
        paragraphs = _docxtext.block(body, "sender", letter.sender_block)
    else:
        *paragraphs, rule = _letterhead_paragraphs(body, letter)
        # The rule gets a frame of its own: LibreOffice 7.4 drops a frame whose
        # paragraphs have different borders. It also ignores space before at the
        # top of a frame, so the frame starts at the rule and the space is removed.
        rule_top = top + height - RULE_WIDTH
        _frame(rule, x, rule_top, width, bottom - rule_top)
        _docxtext.set_property(rule, "w:spacing", before="0")
        bottom = rule_top
    for p in paragraphs:
        _frame(p, x, top, width, bottom - top)


def _window_fit(letter: Letter, room: float, width: float) -> _layout.WindowFit:
    """The address lines and the largest size at which they fit ``room`` points (as pdf.py).

    The title is left out before the text is made smaller, with a warning.
    When even the smallest size may not fit, ``fits`` is False and the frame
    grows instead of clipping.
    """

    def fits(lines: tuple[str, ...], size: float, leading: float) -> bool:
        count = sum(max(1, _lines(line, size, width)) for line in lines)
        return size + (count - 1) * leading + DESCENT * size <= room

    recipient = letter.recipient
    block = tuple(line for line in recipient.block if _docxtext.clean(line).strip())
    fit = _layout.fit_window(block, recipient.title, fits)
    if fit.dropped_title:
        warnings.warn(
            f"docx for {recipient.name}: recipient.title ({recipient.title}) is left out of the "
            "address in the envelope window so that the address stays at body size",
            RenderWarning,
            stacklevel=5,
        )
    return fit


def _recipient(
    body: etree._Element, lines: list[str], size: float, leading: float
) -> list[etree._Element]:
    if (size, leading) == (BODY_SIZE, BODY_LEADING):
        return _docxtext.block(body, "recipient", lines)
    paragraphs = [_docxtext.paragraph(body, "recipient", line, size=size) for line in lines]
    for p in paragraphs:  # a long address, set smaller so that it fits the window
        _docxtext.set_property(
            p, "w:spacing", after="0", line=str(round(leading * 20)), lineRule="exact"
        )
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
    _docxtext.set_property(
        p, "w:framePr", w=str(round(width * 20)), h=str(round(height * 20)),
        hRule="exact" if exact else "atLeast", hSpace="0", vSpace="0", wrap=wrap,
        vAnchor="page", hAnchor="page", x=str(round(x * 20)), y=str(round(y * 20)),
    )  # fmt: skip


def _marks(body: etree._Element, page: _layout.Page) -> None:
    """Fold and hole marks: empty framed paragraphs whose top border is the mark."""
    marks = [(y, FOLD_MARK) for y in page.fold_marks]
    if page.hole_mark is not None:
        marks.append((page.hole_mark, HOLE_MARK))
    for y, length in marks:
        # "around": the marks sit in the margin, so no line of text is moved by them.
        _frame(_docxtext.paragraph(body, "mark"), MARK_X, y, length, 1.0, wrap="around")


# --- headers, properties, package -------------------------------------------------------------


def _contact(letter: Letter) -> str:
    """The letterhead's contact line: address, phone and email joined by " · "."""
    sender = letter.sender
    parts = (_docxtext.one_line(p) for p in (*sender.address, sender.phone, sender.email) if p)
    return " · ".join(p for p in parts if p)


def _letterhead_paragraphs(parent: etree._Element, letter: Letter) -> list[etree._Element]:
    """Name, one contact line and the rule."""
    return [
        _docxtext.paragraph(parent, "letterhead_name", _docxtext.one_line(letter.sender.name)),
        _docxtext.paragraph(parent, "letterhead_contact", _contact(letter)),
        _docxtext.paragraph(parent, "letterhead_rule"),
    ]


def _letterhead(letter: Letter, header_xml: bytes) -> bytes:
    """The first-page header of the block layout, holding the letterhead."""
    root = parse_xml(header_xml)
    for p in root.findall(_docxtext.P):
        root.remove(p)
    _letterhead_paragraphs(root, letter)
    return _docxtext.serialise(root)


def _continuation(letter: Letter, header_xml: bytes) -> bytes:
    """The header of pages 2 and later: "Priya Raman · page 2", as in the PDF."""
    root = parse_xml(header_xml)
    p = root.find(_docxtext.P)
    _docxtext.write(p, f"{_docxtext.one_line(letter.recipient.name)} · page ")
    field = etree.SubElement(p, qn("w:fldSimple"))
    field.set(qn("w:instr"), " PAGE ")
    _docxtext.append_text(etree.SubElement(field, _docxtext.R), "2")
    return _docxtext.serialise(root)


#: Core properties hold at most 255 characters (python-docx enforces it).
_PROPERTY_MAX = 255


def _property(text: str) -> str:
    text = _docxtext.one_line(text)
    return text if len(text) <= _PROPERTY_MAX else text[: _PROPERTY_MAX - 1] + "…"


def _core_properties(letter: Letter, xml: bytes, *, invariant: bool) -> bytes:
    """Title, author and subject for document managers; timestamps fixed when invariant."""
    root = parse_xml(xml)
    props = CoreProperties(root)
    props.title = _property(letter.subject)
    props.author = props.last_modified_by = _property(letter.sender.name)
    props.subject = _property(_layout.document_subject(letter))
    props.revision = 1
    if invariant:
        stamp = dt.datetime.combine(letter.date, dt.time(0, 0))
    else:
        stamp = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    props.created = props.modified = stamp
    return _docxtext.serialise(root)


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
