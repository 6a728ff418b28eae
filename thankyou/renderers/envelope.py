"""Envelopes for the letters that go by post or by hand: one PDF page the size of the envelope.

The page is the envelope, landscape, ready to feed to a printer: US #10 with
Letter paper, DL with A4, or C5/C6 (``[style] envelope``). The candidate's
return address sits top left; the recipient's address sits where the postal
standards put it, in the letter's font:

* **US #10** (4 1/8 x 9 1/2 in). USPS Domestic Mail Manual 202.2.1 and
  Publication 28, Appendix A1: the whole delivery address lies in the *OCR read
  area*, 1/2 in from the left and right edges, between 5/8 in and 2 3/4 in from
  the bottom edge; the *barcode clear zone*, the bottom 5/8 in across the
  rightmost 4 3/4 in, stays free of all printing. The return address goes in the
  upper left corner, within the top third of the height and the left half of
  the length (USPS mailroom guidance), so it stays out of the OCR read area.
* **DL, C6, C5** (DIN 678-1 / ISO 269: 220 x 110, 162 x 114, 229 x 162 mm). The
  address field is where DIN 680 puts the window of a window envelope, 90 x 45
  mm, 20 mm from the left edge and 15 mm above the bottom edge; inside it DIN
  5008 puts the address in the lower 27.3 mm (six lines), under a 17.7 mm zone
  for postal notes ("Zusatz- und Vermerkzone"), which is where "By hand" goes.
  Deutsche Post's rules for envelopes without a window agree: the address at
  least 15 mm from the left, right and bottom edges (the bottom 15 mm is the
  coding zone, "Codierzone") and 40 mm below the top edge, whose right 74 mm
  are the franking zone ("Frankierzone"); the sender goes top left within 40
  mm of the top edge.

Type size: 11 pt, the letters' body size, or 10 pt when the address would not
fit; both lie in the 10-12 pt that Deutsche Post recommends for machine reading
(capital height 2.3-4.7 mm; Liberation's capitals are 0.66 em, 2.6 mm at 11 pt),
above the 8 pt minimum of DIN 5008, and in the 8-12 pt range USPS
Publication 25 asks for. The return address is set smaller (9 pt): sorting
machines do not read it.

A letter delivered by hand gets the name, title and company and no postal
address, with a discreet italic "By hand" above them where postal notes go.
Fonts, fallback and missing-glyph warnings are the PDF letters' own
(:mod:`thankyou.renderers._pdffonts`).
"""

from __future__ import annotations

import dataclasses
import io
import warnings
from collections.abc import Sequence

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from thankyou.errors import RenderError, RenderWarning
from thankyou.letter import Letter
from thankyou.models import Delivery, Style
from thankyou.renderers import _pdfflow, _pdffonts
from thankyou.renderers._layout import BODY_SIZE, DESCENT, INCH, MM

__all__ = ["ENVELOPES", "Envelope", "envelope_for", "render"]


@dataclasses.dataclass(frozen=True)
class Box:
    """A rectangle on the envelope, in points from its bottom-left corner."""

    left: float
    bottom: float
    right: float
    top: float


@dataclasses.dataclass(frozen=True)
class Envelope:
    """One envelope size and where its standard puts each part (points, landscape)."""

    name: str
    width: float
    height: float
    #: Where every character of the recipient's address must lie.
    address_area: Box
    #: The preferred left edge and top of the address lines (the block moves up or left to fit).
    address_left: float
    address_top: float
    #: Where every character of the return address must lie; it starts at the box's top left.
    return_area: Box
    #: Areas no character may touch (barcode clear zone, franking and coding zones).
    keep_clear: tuple[Box, ...] = ()


def _us10() -> Envelope:
    width, height = 9.5 * INCH, 4.125 * INCH
    return Envelope(
        name="US #10",
        width=width,
        height=height,
        # DMM 202.2.1 / Publication 28 A1: the OCR read area.
        address_area=Box(0.5 * INCH, 0.625 * INCH, width - 0.5 * INCH, 2.75 * INCH),
        # The usual typing position of a #10: about 4 in from the left, the first line
        # 2 in above the bottom edge, which centres a four-line block on the envelope.
        address_left=4 * INCH,
        address_top=2 * INCH,
        # Upper left, 3/8 in from the edges, within the top third and the left half.
        return_area=Box(0.375 * INCH, height * 2 / 3, width / 2, height - 0.375 * INCH),
        # Publication 28 A1: the barcode clear zone.
        keep_clear=(Box(width - 4.75 * INCH, 0, width, 0.625 * INCH),),
    )


def _din(name: str, width_mm: float, height_mm: float) -> Envelope:
    width, height = width_mm * MM, height_mm * MM
    field_top = (15 + 45) * MM  # DIN 680 window position (DL): 15 mm up, 45 mm high
    return Envelope(
        name=name,
        width=width,
        height=height,
        # The address field, allowed to run right to Deutsche Post's 15 mm margin.
        address_area=Box(20 * MM, 15 * MM, width - 15 * MM, field_top),
        address_left=20 * MM,
        address_top=field_top - 17.7 * MM,  # DIN 5008: under the 17.7 mm note zone
        # Top left, 10 mm in, above 40 mm from the top and left of the 74 mm franking zone.
        return_area=Box(20 * MM, height - 40 * MM, width - 74 * MM, height - 10 * MM),
        keep_clear=(
            Box(width - 74 * MM, height - 40 * MM, width, height),  # Frankierzone
            Box(0, 0, width, 15 * MM),  # Codierzone
        ),
    )


#: ``Style.envelope`` -> envelope; ``None`` follows the paper (Letter -> #10, A4 -> DL).
ENVELOPES: dict[str, Envelope] = {
    "us10": _us10(),
    "dl": _din("DL", 220, 110),
    "c6": _din("C6", 162, 114),
    "c5": _din("C5", 229, 162),
}

#: Address sizes tried, largest first: (size, leading): the letters' body size, then 10 pt.
#: 12.9 pt leading puts DIN 5008's six lines in its 27.3 mm address zone.
_ADDRESS_SIZES = ((BODY_SIZE, 12.9), (10.0, 12.0))
#: The envelope's return address, smaller than the address (sorting machines do not read it);
#: the letter's one-line return line in the window is ``_layout.RETURN_SIZE``.
_SENDER_SIZE, _SENDER_LEADING = 9.0, 11.0
_NOTE_SIZE, _NOTE_LEADING = 9.0, 11.0
#: The postal note on an envelope delivered by hand.
BY_HAND = "By hand"


def envelope_for(style: Style) -> Envelope:
    """The envelope for a style: ``style.envelope``, else the one that takes its paper."""
    return ENVELOPES[style.envelope or ("us10" if style.paper == "letter" else "dl")]


# --- public API --------------------------------------------------------------------------------


def render(
    letter: Letter, style: Style, /, *, invariant: bool = False, allow_missing_glyphs: bool = False
) -> bytes:
    """Render the envelope for a letter that goes by post or by hand.

    Args:
        letter: The letter; the envelope shows its recipient and sender.
        style: Font, paper and ``envelope`` size; ``extra_fonts`` as for the letter.
        invariant: Byte-identical output for identical input.
        allow_missing_glyphs: Print the envelope even when no font has some
            character of a name (it prints as an empty box, with a warning).

    Returns:
        A one-page PDF the size of the envelope.

    Raises:
        RenderError: for a letter that goes by email, an unreadable extra font,
            or a name with characters no font has (unless ``allow_missing_glyphs``).

    Warns:
        RenderWarning: when no font has some characters, or the address does not
            fit where the standard puts it.
    """
    if letter.delivery is Delivery.email:
        raise RenderError(
            "this letter goes by email, so it needs no envelope",
            format="envelope",
            recipient=letter.recipient.name,
        )
    job = _Job(letter, envelope_for(style), _pdffonts.fonts_for(style.font, style.extra_fonts))
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(job.envelope.width, job.envelope.height),
        invariant=1 if invariant else 0,
        initialFontName=job.fonts.main,  # else the page names Helvetica, which it never uses
        initialFontSize=_SENDER_SIZE,
    )
    _metadata(canvas, letter, job.envelope)
    try:
        _draw_return(canvas, job)
        _draw_address(canvas, job)
        canvas.showPage()
        canvas.save()
    except ValueError as err:  # reportlab's markup parser
        raise RenderError(
            f"cannot lay out the envelope: {err}",
            format="envelope",
            recipient=letter.recipient.name,
        ) from err
    if not allow_missing_glyphs:
        _refuse_broken_names(job)
    _warn(job)
    return buffer.getvalue()


def _refuse_broken_names(job: _Job) -> None:
    """A name that would print as empty boxes stops the envelope, as it stops the letter."""
    for where in ("recipient.name", "sender.name"):
        chars = job.missing.by_field.get(where)
        if chars:
            points = ", ".join(f"U+{ord(c):04X}" for c in chars)
            raise RenderError(
                f"{where}: no font has {''.join(chars)} ({points}), so the name would print as "
                "empty boxes; add a TrueType font that has them to style.extra_fonts, or pass "
                "allow_missing_glyphs=True",
                format="envelope",
                recipient=job.letter.recipient.name,
            )


def address_lines(letter: Letter) -> tuple[str, ...]:
    """The recipient lines: the full address block by post; name, title, company by hand."""
    if letter.delivery is Delivery.post:
        return letter.recipient.block
    hand = dataclasses.replace(letter.recipient, address=())
    return hand.block


def return_lines(letter: Letter) -> tuple[str, ...]:
    """The sender lines: name and postal address by post; the name alone by hand."""
    if letter.delivery is Delivery.post:
        return (letter.sender.name, *letter.sender.address)
    return (letter.sender.name,)


# --- the work ----------------------------------------------------------------------------------


@dataclasses.dataclass
class _Job:
    letter: Letter
    envelope: Envelope
    fonts: _pdffonts.Fonts
    missing: _pdffonts.MissingText = dataclasses.field(default_factory=_pdffonts.MissingText)
    #: The recipient field that does not fit the address area (a line that wraps, else
    #: ``recipient.address`` for too many lines); None when the block fits.
    overflow: str | None = None
    #: The return address runs below its corner.
    return_overflow: bool = False

    def lines(self, lines: Sequence[str], where: str, size: float, leading: float) -> Paragraph:
        """One paragraph of user lines, escaped, with the letters' font runs and fallbacks."""
        text = "".join(lines)
        labelled = [(line, f"{where}.name" if i == 0 else where) for i, line in enumerate(lines)]
        marked = [_pdffonts.markup(line, self.fonts, self.missing, w) for line, w in labelled]
        return Paragraph(
            "<br/>".join(marked), _pdfflow.style_for(text, self.fonts.main, size, leading)
        )


def _italic(main: str) -> str:
    """The italic face of the main family, by name.

    Not through Paragraph markup: ``<i>`` and ``<font face>`` both go through
    the family mapping, which registering the regular face last has reset to
    the regular face, so they print upright.
    """
    italic = f"{main}-Italic"  # how _pdffonts names the faces it registers
    return italic if italic in pdfmetrics.getRegisteredFontNames() else main


def _metadata(canvas: Canvas, letter: Letter, envelope: Envelope) -> None:
    canvas.setTitle(_one_line(f"Envelope to {letter.recipient.name}"))
    canvas.setAuthor(_one_line(letter.sender.name))
    canvas.setSubject(
        _one_line(f"{envelope.name} envelope for the letter to {letter.recipient.name}")
    )
    canvas.setCreator("thankyou")


def _one_line(text: str) -> str:
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())[:255]


def _fit(para: Paragraph, canvas: Canvas, width: float) -> tuple[float, float, int]:
    """Wrap ``para`` in ``width``; return its widest line, its height and its line count."""
    _, height = para.wrapOn(canvas, width, _pdfflow.TALL)
    widths = para.getActualLineWidths0()
    return (max(widths) if widths else 0.0), float(height), len(widths)


def _draw_return(canvas: Canvas, job: _Job) -> None:
    area = job.envelope.return_area
    para = job.lines(return_lines(job.letter), "sender", _SENDER_SIZE, _SENDER_LEADING)
    _, height, _ = _fit(para, canvas, area.right - area.left)
    para.drawOn(canvas, area.left, area.top - height)
    job.return_overflow = area.top - height < area.bottom


def _draw_address(canvas: Canvas, job: _Job) -> None:
    env, area = job.envelope, job.envelope.address_area
    lines = address_lines(job.letter)
    note = job.letter.delivery is Delivery.hand
    for size, leading in _ADDRESS_SIZES:
        para = job.lines(lines, "recipient", size, leading)
        widest, height, count = _fit(para, canvas, area.right - area.left)
        extra = _NOTE_LEADING if note else 0.0
        # Move up rather than let the last line's descenders into the bottom margin.
        top = max(
            env.address_top, area.bottom + height + max(0.0, DESCENT * size - (leading - size))
        )
        fits = count == len(lines) and top + extra <= area.top
        if fits:
            break
    if not fits:
        job.overflow = _wrapping_field(job, canvas, lines, area.right - area.left)
    left = max(area.left, min(env.address_left, area.right - widest))
    para.drawOn(canvas, left, top - height)
    if note:  # our own words, in the main font's italic: no runs or fallbacks needed
        canvas.setFont(_italic(job.fonts.main), _NOTE_SIZE)
        canvas.drawString(left, top + extra - _NOTE_SIZE, BY_HAND)


def _wrapping_field(job: _Job, canvas: Canvas, lines: Sequence[str], width: float) -> str:
    """The recipient field of the first line too wide for ``width``; else the address."""
    person = job.letter.recipient
    fields = {person.name: "name", person.title: "title", person.company: "company"}
    size, leading = _ADDRESS_SIZES[-1]
    quiet = dataclasses.replace(job, missing=_pdffonts.MissingText())  # warned once
    for line in lines:
        if _fit(quiet.lines([line], "recipient", size, leading), canvas, width)[2] > 1:
            return f"recipient.{fields.get(line, 'address')}"
    return "recipient.address"


def _warn(job: _Job) -> None:
    name = job.letter.recipient.name
    if job.missing:
        found = "; ".join(
            f"{where}: {''.join(chars)} ({', '.join(f'U+{ord(c):04X}' for c in chars)})"
            for where, chars in job.missing.by_field.items()
        )
        warnings.warn(
            f"envelope for {name}: no available font has these characters, so they print as "
            f"empty boxes: {found}. Add a TrueType font that has them to style.extra_fonts.",
            RenderWarning,
            stacklevel=3,
        )
    if job.overflow:
        warnings.warn(
            f"envelope for {name}: {job.overflow} does not fit the {job.envelope.name} "
            "envelope's address area even at 10 pt; shorten it or choose a larger "
            'envelope ([style] envelope = "c5")',
            RenderWarning,
            stacklevel=3,
        )
    if job.return_overflow:
        warnings.warn(
            f"envelope for {name}: candidate.address does not fit the {job.envelope.name} "
            "envelope's return-address corner; shorten its lines or leave some out",
            RenderWarning,
            stacklevel=3,
        )
