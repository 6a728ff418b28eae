"""PDF letters with reportlab (docs/design/layout.md, docs/design/hazards.md).

A business letter in block format, everything flush left and ragged right:
letterhead or sender block, date, recipient block, salutation, paragraphs,
closing, room for the signature (or its image) and the typed name. The page
geometry comes from :mod:`thankyou.renderers._layout`, shared with the DOCX
renderer so that both formats look alike.

``layout = "window"`` places the recipient block absolutely where a window
envelope shows it (DIN 5008 Form B on A4, the #10 window on Letter; the
numbers and their sources are in ``_layout``). A letter that cannot fit on one
page flows onto later pages headed by the recipient's name and the page number.

Fonts, paragraph styles and coverage tables are prepared once per process
(:mod:`thankyou.renderers._pdffonts`); per letter the work is escaping, font
runs and reportlab's own layout.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.lib.colors import black
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    PageTemplate,
    Paragraph,
    Spacer,
)
from reportlab.platypus.doctemplate import LayoutError
from reportlab.platypus.flowables import HRFlowable

from thankyou.errors import RenderError, RenderWarning
from thankyou.letter import Letter
from thankyou.models import Style
from thankyou.renderers import _images, _layout, _pdfflow, _pdffonts, _scripts, _shaping
from thankyou.renderers._layout import (
    BELOW_WINDOW,
    BODY_LEADING,
    BODY_SIZE,
    DESCENT,
    FOLD_MARK,
    HOLE_MARK,
    LETTERHEAD_MAX_HEIGHT,
    MARK_WIDTH,
    MARK_X,
    NAME_AFTER,
    NAME_LEADING,
    NAME_SIZE,
    PARAGRAPH_GAP,
    RETURN_LEADING,
    RETURN_OFFSET,
    RETURN_SIZE,
    RULE_SPACE,
    RULE_WIDTH,
    SIGNATURE_HEIGHT,
    SIGNATURE_MAX_WIDTH,
    SIGNATURE_PAD,
    SMALL_LEADING,
    SMALL_SIZE,
    SUBJECT,
    Page,
)

__all__ = ["Measure", "count_pages", "measure", "render"]


# --- the per-letter context --------------------------------------------------------------------


@dataclasses.dataclass
class _Job:
    """Everything one render needs, so that helpers stay small."""

    letter: Letter
    style: Style
    page: Page
    fonts: _pdffonts.Fonts
    missing: _pdffonts.MissingText = dataclasses.field(default_factory=_pdffonts.MissingText)
    #: Set when the recipient block does not fit the envelope window even at the smallest size.
    window_overflow: bool = False
    #: Set when the recipient's title was left out of the window address.
    window_dropped_title: bool = False

    @property
    def width(self) -> float:
        """Width of the text column."""
        return self.page.width - 2 * self.page.margin

    def para(
        self,
        text: str,
        where: str,
        size: float = BODY_SIZE,
        leading: float = BODY_LEADING,
        after: float = 0.0,
        *,
        bold: bool = False,
        right: bool = False,
    ) -> Paragraph:
        """A paragraph of user text: escaped, font runs, CJK wrapping where needed."""
        return self._paragraph([(text, where)], size, leading, after, bold=bold, right=right)

    def lines(
        self,
        lines: Sequence[str],
        where: str,
        size: float = BODY_SIZE,
        leading: float = BODY_LEADING,
        after: float = 0.0,
    ) -> Paragraph:
        """One paragraph of lines (an address block); its first line is the ``.name`` field."""
        labelled = [(line, f"{where}.name" if i == 0 else where) for i, line in enumerate(lines)]
        return self._paragraph(labelled, size, leading, after, _pdfflow.BlockParagraph)

    def _paragraph(
        self,
        parts: Sequence[tuple[str, str]],
        size: float,
        leading: float,
        after: float,
        kind: type[Paragraph] = _pdfflow.UnruntedParagraph,
        *,
        bold: bool = False,
        right: bool = False,
    ) -> Paragraph:
        joined = "".join(text for text, _ in parts)
        style = _pdfflow.style_for(joined, self.fonts.main, size, leading)
        if after:
            style = _pdfflow.spaced(style, after)
        if right:
            style = ParagraphStyle(f"{style.name}-right", parent=style, alignment=TA_RIGHT)
        if kind is _pdfflow.UnruntedParagraph and _scripts.has_rtl(joined) and _shaping.available():
            # Right-to-left text that may wrap: broken into lines before it is reordered.
            return _pdfflow.BidiParagraph(joined, self.fonts, self.missing, parts[0][1], style)
        markup = "<br/>".join(_pdffonts.markup(t, self.fonts, self.missing, w) for t, w in parts)
        return kind(f"<b>{markup}</b>" if bold else markup, style)


# --- public API --------------------------------------------------------------------------------


def render(
    letter: Letter,
    style: Style,
    /,
    *,
    invariant: bool = False,
    allow_missing_glyphs: bool = False,
    **options: Any,
) -> bytes:
    """Render one letter as a PDF.

    Fonts: the bundled faces, then ``style.extra_fonts``, then fonts installed
    on this computer (see :mod:`thankyou.renderers._sysfonts`). Arabic,
    Hebrew, Indic and Thai text is shaped with HarfBuzz and set in display
    order (the ``thankyou[shaping]`` extra).

    Args:
        letter: The letter; its text is printed exactly as given.
        style: Paper, font, layout, letterhead, signature and extra fonts.
        invariant: Produce byte-identical output for identical input (no
            timestamps, fixed document ID), for tests and reproducible builds.
        allow_missing_glyphs: Write the letter even when a character of a
            name (recipient, salutation, candidate) cannot be drawn, with a
            warning instead of an error.
        **options: Options of other formats; ignored.

    Returns:
        The PDF document.

    Raises:
        RenderError: when an image or extra font cannot be read, reportlab
            cannot lay out the letter, or a name cannot be drawn correctly
            (no font has a character, or it needs the shaping extra).

    Warns:
        RenderWarning: when no available font draws some other characters
            (they would print as empty boxes).
    """
    data, _ = _build(letter, style, invariant=invariant, warn=True,
                     allow_missing_glyphs=allow_missing_glyphs)  # fmt: skip
    return data


def count_pages(letter: Letter, style: Style) -> int:
    """Return how many pages the PDF of ``letter`` has (for the ``too-long`` check, README: Checks).

    Issues no warnings: the check reports its own findings.

    Raises:
        RenderError: as :func:`render`.
    """
    _, pages = _build(letter, style, invariant=True, warn=False)
    return pages


def _build(
    letter: Letter,
    style: Style,
    *,
    invariant: bool,
    warn: bool,
    allow_missing_glyphs: bool = True,
) -> tuple[bytes, int]:
    if style != letter.style:  # the date line follows the paper (Letter.date_line)
        letter = dataclasses.replace(letter, style=style)
    job = _Job(
        letter,
        style,
        _layout.PAGES[style.paper],
        _pdffonts.fonts_for(style.font, style.extra_fonts),
    )
    buffer = io.BytesIO()
    doc = _document(job, buffer, invariant)
    try:
        with _binary_streams():
            doc.build(_story(job))
    except (LayoutError, ValueError) as err:  # ValueError: reportlab's markup parser
        raise RenderError(
            f"cannot lay out the letter: {err}", format="pdf", recipient=letter.recipient.name
        ) from err
    if not allow_missing_glyphs:
        _refuse_broken_names(job)
    if warn:
        _warn(job)
    return buffer.getvalue(), doc.page


#: The fields whose every character must print: a misspelt name is the one
#: mistake a thank-you letter cannot afford.
NAME_FIELDS = ("recipient.name", "salutation", "sender.name", "signature")


def _refuse_broken_names(job: _Job) -> None:
    """Raise RenderError when a name field has characters that cannot be drawn right."""
    name = job.letter.recipient.name
    for where in NAME_FIELDS:
        chars = job.missing.by_field.get(where)
        if chars:
            points = ", ".join(f"U+{ord(c):04X}" for c in chars)
            raise RenderError(
                f"{where}: no font has {''.join(chars)} ({points}), so the name would print "
                "as empty boxes. Install a TrueType font for this script (Debian: "
                "fonts-noto-core for Arabic, Indic and Thai, fonts-wqy-zenhei for Chinese, "
                "Japanese and Korean), add one to style.extra_fonts, or pass "
                "allow_missing_glyphs=True (--allow-missing-glyphs)",
                format="pdf",
                recipient=name,
            )
        if where in job.missing.unshaped:
            raise RenderError(
                f"{where}: this name needs complex-script shaping to print correctly; "
                f"{_shaping.EXTRA_HINT}, or pass allow_missing_glyphs=True",
                format="pdf",
                recipient=name,
            )


@contextlib.contextmanager
def _binary_streams() -> Iterator[None]:
    """Write compressed streams as binary, not ASCII85 text, while a letter is built.

    reportlab's default (``rl_config.useA85``) wraps every compressed stream in
    ASCII85, a 7-bit transport encoding PDF has not needed for decades: it makes
    the file a quarter larger, and without reportlab's optional C accelerator
    it is encoded in pure Python, a seventh of a letter's time. The setting is
    global, so it is restored afterwards.
    """
    previous = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = previous


def _warn(job: _Job) -> None:
    if job.missing:
        found = "; ".join(
            f"{where}: {''.join(chars)} ({', '.join(f'U+{ord(c):04X}' for c in chars)})"
            for where, chars in job.missing.by_field.items()
        )
        warnings.warn(
            f"pdf for {job.letter.recipient.name}: no available font has these characters, "
            f"so they print as empty boxes: {found}. Add a TrueType font that has them "
            "to style.extra_fonts.",
            RenderWarning,
            stacklevel=4,
        )
    if job.window_dropped_title:
        warnings.warn(
            f"pdf for {job.letter.recipient.name}: recipient.title "
            f"({job.letter.recipient.title}) is left out of the address in the envelope "
            "window so that the address stays at body size",
            RenderWarning,
            stacklevel=4,
        )
    if job.window_overflow:
        warnings.warn(
            f"pdf for {job.letter.recipient.name}: recipient.address has too many lines for the "
            "envelope window, so the address runs below it; shorten the address or use "
            'layout = "block"',
            RenderWarning,
            stacklevel=4,
        )
    if job.missing.unshaped:
        warnings.warn(
            f"pdf for {job.letter.recipient.name}: {', '.join(job.missing.unshaped)} hold "
            "Arabic, Hebrew, Indic or Thai text that prints unjoined or out of order; "
            f"{_shaping.EXTRA_HINT}",
            RenderWarning,
            stacklevel=4,
        )


# --- document and page templates ---------------------------------------------------------------


def _document(job: _Job, buffer: io.BytesIO, invariant: bool) -> BaseDocTemplate:
    page, letter = job.page, job.letter
    doc = BaseDocTemplate(
        buffer,
        pagesize=(page.width, page.height),
        leftMargin=page.margin,
        rightMargin=page.margin,
        topMargin=page.margin,
        bottomMargin=page.margin,
        title=_meta(letter.subject),
        author=_meta(letter.sender.name),
        subject=_meta(_layout.document_subject(letter)),
        creator="thankyou",
        invariant=1 if invariant else 0,
        initialFontName=job.fonts.main,  # else every page names Helvetica (docs/design/hazards.md)
        initialFontSize=BODY_SIZE,
        initialLeading=BODY_LEADING,
    )
    later = PageTemplate(
        "later",
        [_frame(page, page.margin + SMALL_LEADING + 2 * PARAGRAPH_GAP)],
        onPage=_continuation_header(job),
    )
    first = PageTemplate(
        "first",
        [_frame(page, _first_top(job))],
        onPage=_first_page(job),
        autoNextPageTemplate="later",
    )
    doc.addPageTemplates([first, later])
    return doc


def _frame(page: Page, top: float) -> Frame:
    """The text frame from ``top`` (measured from the page top) to the bottom margin."""
    return Frame(
        page.margin,
        page.margin,
        page.width - 2 * page.margin,
        page.height - page.margin - top,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        showBoundary=0,
    )


def _meta(text: str) -> str:
    """Document metadata: one line, no control characters, at most 255 characters."""
    if text.isprintable() and len(text) <= 255:  # always, for text from the cleaning layer
        return text
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())[:255]


def _continuation_header(job: _Job) -> Callable[[Canvas, BaseDocTemplate], None]:
    """Later pages start with the recipient's name and the page number."""

    def draw(canvas: Canvas, doc: BaseDocTemplate) -> None:
        text = f"{job.letter.recipient.name} · page {canvas.getPageNumber()}"
        para = job.para(text, "recipient.name", SMALL_SIZE, SMALL_LEADING)
        _draw_at(canvas, para, job.page.margin, job.page.margin, job.width)

    return draw


def _draw_at(canvas: Canvas, flowable: Flowable, x: float, top: float, width: float) -> float:
    """Draw ``flowable`` with its top ``top`` points below the page top; return its height."""
    _, height = flowable.wrapOn(canvas, width, _pdfflow.TALL)
    page_height = canvas._pagesize[1]  # the page size the document template set
    flowable.drawOn(canvas, x, page_height - top - height)
    return float(height)


# --- the story ---------------------------------------------------------------------------------


def _story(job: _Job, *, balance: bool = True) -> list[Flowable]:
    letter = job.letter
    story: list[Flowable] = []
    if job.style.layout == "block":
        story += _head(job)
        story.append(
            Spacer(1, PARAGRAPH_GAP if job.style.letterhead is False else 2 * PARAGRAPH_GAP)
        )
        date = job.para(letter.date_line, "date", after=2 * PARAGRAPH_GAP, right=letter.date_right)
        date.thankyou_role = "date"  # found again by _balance
        story.append(date)
        story.append(job.lines(letter.recipient.block, "recipient", after=PARAGRAPH_GAP))
    else:
        story.append(
            job.para(letter.date_line, "date", after=PARAGRAPH_GAP, right=letter.date_right)
        )
    if letter.heading:  # DIN 5008: the subject in bold; French letters: "Objet :"
        story.append(_subject_line(job, letter.heading))
    story.append(job.para(letter.salutation, "salutation", after=PARAGRAPH_GAP))
    for i, text in enumerate(letter.paragraphs):
        parts = _paragraph(job, text, f"paragraphs[{i}]")
        parts[-1].thankyou_role = "body"  # found again by measure; holds the last line
        story += parts
    story.append(_pdfflow.Together(_sign_off(job)))
    if job.style.layout == "block" and balance:
        above, between = _balance(job, story)
        if above or between:
            date = next(i for i, f in enumerate(story) if _role(f) == "date")
            story.insert(date + 1, Spacer(1, between))
            story.insert(date, Spacer(1, above))
    return story


#: A paragraph with more line breaks or characters than this is set as several flowables,
#: cut at its line breaks: reportlab breaks the whole rest of a paragraph into lines again
#: at every page it splits it across, which makes a long one cost quadratic time.
_LINES_PER_FLOWABLE = 40
_CHARACTERS_PER_FLOWABLE = 2_000


def _paragraph(job: _Job, text: str, where: str) -> list[Flowable]:
    """One paragraph of the body; a long one in stretches that look the same, set in linear time."""
    breaks = text.count("\n")
    if breaks <= _LINES_PER_FLOWABLE and (len(text) <= _CHARACTERS_PER_FLOWABLE or not breaks):
        return [job.para(text, where, after=PARAGRAPH_GAP)]
    stretches = _stretches(text)
    return [
        job.para("\n".join(lines), where, after=blank * BODY_LEADING)
        for lines, blank in stretches[:-1]
    ] + [job.para("\n".join(stretches[-1][0]), where, after=PARAGRAPH_GAP)]


def _stretches(text: str) -> list[tuple[list[str], int]]:
    """Cut text into stretches of lines; blank lines at a cut become a count of them after."""
    stretches: list[tuple[list[str], int]] = []
    current: list[str] = []
    size = 0
    for line in text.strip("\n").split("\n"):
        if not line and not current:  # a blank line where a stretch would start
            lines, blank = stretches[-1]
            stretches[-1] = (lines, blank + 1)
            continue
        current.append(line)
        size += len(line)
        if len(current) >= _LINES_PER_FLOWABLE or size >= _CHARACTERS_PER_FLOWABLE:
            kept = len("\n".join(current).rstrip("\n").split("\n"))
            stretches.append((current[:kept], len(current) - kept))
            current, size = [], 0
    if current:
        stretches.append((current, 0))
    return stretches


def _role(flowable: Flowable) -> str:
    return str(getattr(flowable, "thankyou_role", ""))


def _balance(job: _Job, story: list[Flowable]) -> tuple[float, float]:
    """Extra space above and below the date that moves a short letter down the page."""
    page = job.page
    return _layout.balance(page.height - 2 * page.margin - _stack_height(story, job.width))


@dataclasses.dataclass(frozen=True)
class Measure:
    """Layout decisions of the PDF that the DOCX renderer copies, so both look alike."""

    #: Extra space above the date and between the date and the address (block layout).
    balance: tuple[float, float]
    #: For each body paragraph, how many points narrower than the column it is set
    #: to avoid a one-word last line (0: full width).
    narrower: tuple[float, ...]


def measure(letter: Letter, style: Style) -> Measure:
    """Lay out ``letter`` as the PDF would, without drawing it, and report its decisions.

    Raises:
        RenderError: when a font or image cannot be read.
    """
    if style != letter.style:
        letter = dataclasses.replace(letter, style=style)
    job = _Job(
        letter,
        style,
        _layout.PAGES[style.paper],
        _pdffonts.fonts_for(style.font, style.extra_fonts),
    )
    story = _story(job, balance=False)
    balance = _balance(job, story) if style.layout == "block" else (0.0, 0.0)
    narrower = []
    for flowable in story:
        if _role(flowable) == "body":
            flowable.wrap(job.width, _pdfflow.TALL)
            narrower.append(job.width - flowable.runt_free_width(job.width))
    return Measure(balance, tuple(narrower))


def _subject_line(job: _Job, heading: str) -> Paragraph:
    """The subject line, set as ``_layout.SUBJECT`` says (bold, one line of space after)."""
    line = SUBJECT
    return job.para(heading, "heading", line.size, line.leading, line.after, bold=line.bold)


def _sign_off(job: _Job) -> list[Flowable]:
    """Closing, signature space or image, typed name: never split across pages."""
    letter = job.letter
    closing, name = job.para(letter.closing, "closing"), job.para(letter.signature, "signature")
    if job.style.signature_image is None:
        return [closing, Spacer(1, _layout.SIGNATURE_SPACE), name]
    image = _image(job.style.signature_image, "style.signature", SIGNATURE_MAX_WIDTH,
                   SIGNATURE_HEIGHT, letter)  # fmt: skip
    # A little air so that the ink does not touch the closing or the typed name.
    return [closing, Spacer(1, SIGNATURE_PAD), image, Spacer(1, SIGNATURE_PAD), name]


def _head(
    job: _Job, compact: bool = False, max_height: float = LETTERHEAD_MAX_HEIGHT
) -> list[Flowable]:
    """The letterhead, or the plain sender block (one line each)."""
    head = job.style.letterhead
    if isinstance(head, Path):
        return [_image(head, "style.letterhead", job.width, max_height, job.letter)]
    if head is True or compact:
        return _letterhead(job)
    return [job.lines(job.letter.sender_block, "sender")]


def _letterhead(job: _Job) -> list[Flowable]:
    """Name about 16 pt, one 9 pt contact line joined by " · ", a 0.5 pt rule."""
    sender = job.letter.sender
    contact = " · ".join([*sender.address, *(c for c in (sender.phone, sender.email) if c)])
    parts: list[Flowable] = [
        job.para(sender.name, "sender.name", NAME_SIZE, NAME_LEADING, after=NAME_AFTER)
    ]
    if contact:
        parts.append(job.para(contact, "sender", SMALL_SIZE, SMALL_LEADING))
    parts.append(
        HRFlowable(
            width="100%",
            thickness=RULE_WIDTH,
            color=black,
            spaceBefore=RULE_SPACE,
            spaceAfter=0,
            hAlign="LEFT",
        )
    )
    return parts


def _image(path: Path, where: str, max_width: float, max_height: float, letter: Letter) -> Image:
    """An image scaled to fit ``max_width`` x ``max_height``, keeping its proportions."""
    iw, ih = _images.check(path, where, format="pdf", recipient=letter.recipient.name)
    scale = min(max_width / iw, max_height / ih)
    image = Image(str(path), width=iw * scale, height=ih * scale)
    image.hAlign = "LEFT"
    return image


# --- page 1 --------------------------------------------------------------------------------------


def _first_top(job: _Job) -> float:
    """Where the text frame of page 1 starts, from the page top."""
    if job.style.layout == "block":
        return job.page.margin
    window = job.page.window
    return window.top + window.height + BELOW_WINDOW


def _first_page(job: _Job) -> Callable[[Canvas, BaseDocTemplate], None]:
    """Page 1's absolutely placed parts: in the window layout the head, window and marks."""
    if job.style.layout == "block":
        return _nothing
    # Built now, not at draw time, so that font warnings are collected during the build.
    head = _window_head(job)
    window = _window_block(job)

    def draw(canvas: Canvas, doc: BaseDocTemplate) -> None:
        top, flowables = head
        for flowable in flowables:
            top += flowable.getSpaceBefore()
            top += (
                _draw_at(canvas, flowable, job.page.margin, top, job.width)
                + flowable.getSpaceAfter()
            )
        for x, y, width, flowable in window:
            _draw_at(canvas, flowable, x, y, width)
        _marks(canvas, job.page)

    return draw


def _nothing(canvas: Canvas, doc: BaseDocTemplate) -> None:
    return None


def _stack_height(flowables: Sequence[Flowable], width: float) -> float:
    tall = _pdfflow.TALL
    heights = (f.getSpaceBefore() + f.wrap(width, tall)[1] + f.getSpaceAfter() for f in flowables)
    return float(sum(heights))


def _window_head(job: _Job) -> tuple[float, list[Flowable]]:
    """The head above the window: at the top margin, moved up or compacted if it must.

    Nothing of it may show through the window, and it must not read as part of
    the address, so it ends two blank lines above the window.
    """
    page = job.page
    head = _head(job, max_height=min(LETTERHEAD_MAX_HEIGHT, _layout.head_room(page)))
    height = _stack_height(head, job.width)
    if not _layout.head_fits(page, height) and not isinstance(job.style.letterhead, Path):
        head = _head(job, compact=True)  # name and one contact line: always fits
        height = _stack_height(head, job.width)
    return _layout.head_top(page, height), head


def _window_block(job: _Job) -> list[tuple[float, float, float, Flowable]]:
    """The return line (A4) and the recipient block, placed inside the window.

    The block starts at the body's left margin: both standards put that inside
    the window (DIN 5008: field at 20 mm, text at 25 mm; #10: window at 7/8 in,
    block 1/8 in inside it at 1 in). It takes the largest size that fits.
    """
    window, inset = job.page.window, _layout.WINDOW_INSET
    x = max(window.left + inset, job.page.margin)
    width = window.left + window.width - inset - x
    placed: list[tuple[float, float, float, Flowable]] = []
    top = window.top + inset
    if window.return_line:
        placed.append((x, window.top + RETURN_OFFSET, width, _return_line(job, width)))
        top = window.top + window.return_line
    room = window.top + window.height - inset - top

    def fits(lines: tuple[str, ...], size: float, leading: float) -> bool:
        para = job.lines(lines, "recipient", size=size, leading=leading)
        return size + (_line_count(para, width) - 1) * leading + DESCENT * size <= room

    recipient = job.letter.recipient
    fit = _layout.fit_window(recipient.block, recipient.title, fits)
    job.window_overflow = not fit.fits
    job.window_dropped_title = fit.dropped_title
    para = job.lines(fit.lines, "recipient", size=fit.size, leading=fit.leading)
    placed.append((x, top, width, para))
    return placed


def _line_count(para: Paragraph, width: float) -> int:
    para.wrap(width, _pdfflow.TALL)
    return len(para.blPara.lines)


def _return_line(job: _Job, width: float) -> Paragraph:
    """The sender in one small line at the top of the DIN 5008 address field."""
    sender = job.letter.sender
    text = " · ".join([sender.name, *sender.address])
    return job.para(text, "sender", RETURN_SIZE, RETURN_LEADING)


def _marks(canvas: Canvas, page: Page) -> None:
    """DIN 5008 fold marks (105 mm, 210 mm) and the hole mark (148.5 mm)."""
    canvas.setLineWidth(MARK_WIDTH)
    canvas.setStrokeColor(black)
    marks = [(y, FOLD_MARK) for y in page.fold_marks]
    if page.hole_mark is not None:
        marks.append((page.hole_mark, HOLE_MARK))
    for y, length in marks:
        canvas.line(MARK_X, page.height - y, MARK_X + length, page.height - y)
