"""reportlab building blocks for the PDF renderer: cached styles and two small flowables.

Split from :mod:`thankyou.renderers.pdf`, to keep each module short.
Styles are built once per process: a letter reuses them rather than creating
its own (the speed target of docs/design/performance.md).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from reportlab.lib.colors import black
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Paragraph

from thankyou.renderers import _pdffonts, _pdfshape, _scripts, _shaping

__all__ = [
    "TALL",
    "BidiParagraph",
    "BlockParagraph",
    "Together",
    "UnruntedParagraph",
    "spaced",
    "style",
    "style_for",
]

#: The height offered to a flowable when measuring it: "unbounded", for the PDF letters
#: and the envelopes alike.
TALL = 10_000.0


# --- styles: built once per process ------------------------------------------------------------


@functools.cache
def style(
    font: str, size: float, leading: float, cjk: bool = False, shaping: bool = False
) -> ParagraphStyle:
    """Return the paragraph style for one font, size and leading (cached for the process).

    ``shaping`` sets the text through HarfBuzz (Arabic, Indic, Thai...); it is
    off for other text because it costs time on every word.
    """
    return ParagraphStyle(
        name=f"{font}-{size}-{leading}{'-cjk' if cjk else ''}{'-shaped' if shaping else ''}",
        shaping=1 if shaping else 0,
        fontName=font,
        fontSize=size,
        leading=leading,
        textColor=black,
        splitLongWords=1,  # a 300-character URL wraps inside the margins (docs/design/hazards.md)
        # No squeezing of spaces to fit one more word (reportlab's default allows 5%):
        # Word and LibreOffice never do it in flush-left text, so the DOCX of a letter
        # breaks its lines where the PDF does.
        spaceShrinkage=0,
        wordWrap="CJK" if cjk else None,
        allowWidows=0,  # no lone first or last line of a paragraph across a page break
        allowOrphans=0,
    )


class UnruntedParagraph(Paragraph):  # type: ignore[misc]  # reportlab has no type hints
    """A Paragraph that avoids a last line of one word (a "runt").

    The text is ragged right, so setting the paragraph a few points narrower
    is invisible except that it carries a second word down to the last line.
    The characters are never changed (no non-breaking spaces).
    """

    #: availWidth -> the narrower width that avoids the runt (the same when none does).
    _chosen: dict[float, float]
    #: The width the current line breaks (``blPara``) were made for.
    _broken_at: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        chosen = self.__dict__.setdefault("_chosen", {})
        if availWidth not in chosen:
            chosen[availWidth] = self._runt_free_width(availWidth, availHeight)
        elif self._broken_at != chosen[availWidth] or "blPara" not in self.__dict__:
            # reportlab drops blPara when it splits a paragraph across pages.
            super().wrap(chosen[availWidth], availHeight)
        # Frames and KeepTogether wrap one paragraph several times at one width;
        # line breaks do not depend on the height, so they are made only once.
        self._broken_at = chosen[availWidth]
        self.width = availWidth
        return (availWidth, self.height)

    def runt_free_width(self, availWidth: float) -> float:
        """The width the paragraph is set at inside ``availWidth`` (after :meth:`wrap`)."""
        return self.__dict__.get("_chosen", {}).get(availWidth, availWidth)  # type: ignore[no-any-return]

    def _runt_free_width(self, availWidth: float, availHeight: float) -> float:
        super().wrap(availWidth, availHeight)
        count = len(self.blPara.lines)
        last = self.blPara.lines[-1]
        if count < 2 or _words(last) != 1 or getattr(self.blPara.lines[-2], "lineBreak", False):
            return availWidth  # no runt, or a one-word line the author asked for with "\n"
        for shrink in (0.96, 0.92, 0.88):
            super().wrap(availWidth * shrink, availHeight)
            if len(self.blPara.lines) == count and _words(self.blPara.lines[-1]) > 1:
                return availWidth * shrink
        super().wrap(availWidth, availHeight)
        return availWidth


class BlockParagraph(UnruntedParagraph):
    """Lines set as given (an address block): line breaks made once per width, no runt check."""

    def _runt_free_width(self, availWidth: float, availHeight: float) -> float:
        Paragraph.wrap(self, availWidth, availHeight)
        return availWidth


def _words(line: object) -> int:
    if isinstance(line, tuple):  # one-font paragraph: (extra space, [words])
        return len(line[1])
    return int(getattr(line, "wordCount", 2))


class Together(Flowable):  # type: ignore[misc]
    """Flowables drawn as one block that moves to the next page whole.

    Used for the sign-off (closing, signature, typed name). reportlab's
    KeepTogether does the same but deep-copies its content on every wrap; this
    is the cheap version for a block that is always far shorter than a page.
    """

    def __init__(self, parts: Sequence[Flowable]) -> None:
        super().__init__()
        self.parts = list(parts)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.heights = [p.wrap(availWidth, availHeight)[1] for p in self.parts]
        self.width = availWidth
        self.height = sum(self.heights)
        return (availWidth, self.height)

    def draw(self) -> None:
        y = self.height
        for part, height in zip(self.parts, self.heights, strict=True):
            y -= height
            part.drawOn(self.canv, 0, y)


def style_for(text: str, font: str, size: float, leading: float) -> ParagraphStyle:
    """The style for a paragraph of ``text``: CJK line breaking and shaping where it needs them.

    Renderers building Paragraphs from :func:`_pdffonts.markup` use this, so
    Arabic, Indic and Thai text is shaped (with the ``shaping`` extra).
    """
    cjk = shaping = False
    if not text.isascii():  # one scan for almost every paragraph
        cjk = _scripts.is_cjk(text)
        shaping = _scripts.needs_shaping(text) and _shaping.available()
    return style(font, size, leading, cjk, shaping)


@functools.cache
def spaced(style: ParagraphStyle, after: float) -> ParagraphStyle:
    """``style`` with ``after`` points of space after each paragraph (cached)."""
    return ParagraphStyle(f"{style.name}+{after}", parent=style, spaceAfter=after)


# --- right-to-left text that wraps ----------------------------------------------------------------


class BidiParagraph(Flowable):  # type: ignore[misc]
    """A paragraph with right-to-left text that may take several lines.

    The Unicode Bidirectional Algorithm reorders each *line* (UAX #9, rule
    L2), after the text is broken into lines in reading order. reportlab
    breaks the text it is given from left to right, so reordering the whole
    paragraph first would put its last words on the first line. Here the
    text is broken greedily at the width first, each line is put in display
    order with the paragraph's direction, and an inner Paragraph sets the
    lines as given. A right-to-left paragraph is set flush right.
    """

    def __init__(
        self,
        text: str,
        fonts: _pdffonts.Fonts,
        missing: _pdffonts.MissingText,
        where: str,
        style: ParagraphStyle,
    ) -> None:
        super().__init__()
        self.text, self.fonts, self.missing, self.where = text, fonts, missing, where
        self.rtl = _shaping.base_is_rtl(text)
        self.style = _flush_right(style) if self.rtl else style
        self._inner: Paragraph | None = None
        self._width: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        width, height = self._paragraph(availWidth).wrap(availWidth, availHeight)
        self.width, self.height = width, height
        return (width, height)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return list(self._paragraph(availWidth).split(availWidth, availHeight))

    def draw(self) -> None:
        assert self._inner is not None  # wrap comes first
        self._inner.drawOn(self.canv, 0, 0)

    def getSpaceBefore(self) -> float:
        return float(self.style.spaceBefore)

    def getSpaceAfter(self) -> float:
        return float(self.style.spaceAfter)

    def runt_free_width(self, availWidth: float) -> float:
        """The full width: lines are broken here, never narrowed."""
        return availWidth

    def _paragraph(self, width: float) -> Paragraph:
        if self._inner is None or self._width != width:
            lines = [
                _pdffonts.markup_line(line, self.fonts, self.missing, self.where, self.rtl)
                for line in self._lines(width)
            ]
            self._inner, self._width = Paragraph("<br/>".join(lines), self.style), width
        return self._inner

    def _lines(self, width: float) -> list[str]:
        """The text broken greedily into lines of at most ``width`` points, in reading order."""
        lines: list[str] = []
        for logical in self.text.split("\n"):
            current, used = "", 0.0
            for token in _TOKENS.findall(logical):
                advance = self._measure(token)
                if token.isspace():
                    if current:  # spaces at the start of a line are dropped, as reportlab does
                        current, used = current + token, used + advance
                elif current and used + advance > width:
                    lines.append(current.rstrip())
                    current, used = token, advance
                else:
                    current, used = current + token, used + advance
            lines.append(current.rstrip())
        return lines

    def _measure(self, token: str) -> float:
        size = self.style.fontSize
        shaping = _shaping.available()
        total = 0.0
        for run in _pdffonts.display_runs(token, self.fonts, self.missing, self.where, self.rtl):
            if shaping and _scripts.needs_shaping(run.text):
                total += _pdfshape.shape_run(run.text, run.font, size)[1]
            else:
                total += pdfmetrics.stringWidth(run.text, run.font, size)
        return total


_TOKENS = re.compile(r"\s+|\S+")


@functools.cache
def _flush_right(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}-right", parent=style, alignment=TA_RIGHT)
