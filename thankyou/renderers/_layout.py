"""Page geometry shared by the PDF and DOCX renderers, so the two look alike.

All numbers are in PostScript points (1/72 in). Nothing here imports a
rendering library.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from thankyou.letter import Letter

MM = 72 / 25.4
INCH = 72.0

#: Body text size and leading (docs/design/layout.md: 10.5-12 pt).
BODY_SIZE = 11.0
BODY_LEADING = 14.5
#: Space between paragraphs: one line of body text.
PARAGRAPH_GAP = 11.0
#: Room left under the closing for a handwritten signature or its image.
SIGNATURE_SPACE = 0.55 * INCH

#: The fonts DOCX names: metric twins of the bundled Liberation fonts the PDF embeds.
DOCX_FONTS = {"serif": "Times New Roman", "sans": "Arial"}

# --- the letterhead, signature and subject line (docs/design/layout.md, "Type") ------------

#: The letterhead built from the candidate: the name at 16 on 19 pt with 2 pt after it,
#: one 9 on 12 pt contact line, then a 0.5 pt rule 5 pt under it.
NAME_SIZE, NAME_LEADING, NAME_AFTER = 16.0, 19.0, 2.0
SMALL_SIZE, SMALL_LEADING = 9.0, 12.0
RULE_SPACE = 5.0
RULE_WIDTH = 0.5
#: Height of that letterhead down to its rule, with one line of name and contact.
LETTERHEAD_HEIGHT = NAME_LEADING + NAME_AFTER + SMALL_LEADING + RULE_SPACE + RULE_WIDTH
#: A letterhead image spans the text width but is never taller than this, so it
#: stays within the top margin band.
LETTERHEAD_MAX_HEIGHT = 30 * MM
#: A signature image: about the height of a handwritten signature (12-15 mm), at most
#: 60 mm wide, with 3 pt of air above and below so the ink touches neither the closing
#: nor the typed name.
SIGNATURE_HEIGHT = 15 * MM
SIGNATURE_MAX_WIDTH = 60 * MM
SIGNATURE_PAD = 3.0


@dataclass(frozen=True)
class Line:
    """How one kind of line is set: size and leading in points, space after, weight."""

    size: float
    leading: float
    after: float
    bold: bool = False


#: The subject line (``Letter.heading``) between the recipient block and the
#: salutation: body size, in bold, one blank line after it (DIN 5008:2020, "Betreff":
#: the subject without a "Betreff:" label, in bold; French letters write "Objet :").
SUBJECT = Line(size=BODY_SIZE, leading=BODY_LEADING, after=PARAGRAPH_GAP, bold=True)


def document_subject(letter: Letter) -> str:
    """The subject a PDF or DOCX file states in its properties, alike in both formats.

    Document managers list files by it: "Letter to Dr. Priya Raman, Acme Robotics:
    Senior Data Engineer". Not the subject line printed on the page (``Letter.heading``).
    """
    to = letter.recipient.name + (f", {letter.company}" if letter.company else "")
    return f"Letter to {to}" + (f": {letter.position}" if letter.position else "")


@dataclass(frozen=True)
class Window:
    """Where the recipient's address must sit for a window envelope.

    ``left``/``top`` are measured from the page's top-left corner.
    """

    left: float
    top: float
    width: float
    height: float
    #: Height of the one-line return address at the top of the field (0: none).
    return_line: float


@dataclass(frozen=True)
class Page:
    """One paper size with its margins, window and fold marks."""

    width: float
    height: float
    margin: float
    window: Window
    #: Fold marks and the hole-punch mark, distance from the top edge (DIN 5008 only).
    fold_marks: tuple[float, ...] = ()
    hole_mark: float | None = None


# A4, DIN 5008 Form B: the address field is 85 x 45 mm, its top-left corner 20 mm from
# the left edge and 45 mm from the top; its top 5 mm hold the one-line return address
# (DIN 5008:2020, "Anschriftfeld", with the 17.7 mm Zusatz- und Vermerkzone reduced to a
# return line because a private letter has no postal endorsements). Fold marks at
# 105 mm and 210 mm, the hole mark at 148.5 mm (half the page height).
A4 = Page(
    width=210 * MM,
    height=297 * MM,
    margin=25 * MM,
    window=Window(left=20 * MM, top=45 * MM, width=85 * MM, height=45 * MM, return_line=5 * MM),
    fold_marks=(105 * MM, 210 * MM),
    hole_mark=148.5 * MM,
)

# US Letter in a #10 envelope (4 1/8 x 9 1/2 in): the standard window is 4 1/2 x 1 1/8 in,
# 7/8 in from the envelope's left edge and 1/2 in above its bottom (USPS Publication 25,
# "Window envelopes"). A sheet tri-folded into thirds rests on the envelope's bottom, so
# the window shows the strip 2.04-3.17 in below the page top. The address block is kept
# 1/8 in inside the window on every side (WINDOW_INSET).
_LETTER_WINDOW_TOP = 2.04 * INCH
_LETTER_WINDOW_BOTTOM = 3.17 * INCH
LETTER = Page(
    width=8.5 * INCH,
    height=11 * INCH,
    margin=1 * INCH,
    window=Window(
        left=0.875 * INCH,
        top=_LETTER_WINDOW_TOP,
        width=4.5 * INCH,
        height=_LETTER_WINDOW_BOTTOM - _LETTER_WINDOW_TOP,
        return_line=0.0,
    ),
)

#: Inset of the address block inside the window, so no line touches its edge.
WINDOW_INSET = 0.125 * INCH
#: The DIN 5008 return line: 7 on 8.5 pt (7-8 pt is usual), its top 1 pt under the top of
#: the address field.
RETURN_SIZE, RETURN_LEADING, RETURN_OFFSET = 7.0, 8.5, 1.0
#: In the window layout the head (letterhead or sender block) may move up to this close
#: to the top edge, ending two blank lines above the window; any printer reaches 1/2 in.
WINDOW_MIN_TOP = 0.5 * INCH
#: DIN 5008 Form B starts the text 98.46 mm from the top, two 12 pt lines under the
#: address field (which ends at 90 mm); Letter gets the same two lines under its window.
BELOW_WINDOW = 24.0
#: DIN 5008 fold marks and the hole mark: short rules 4 mm from the left edge, the fold
#: marks 5 mm long, the hole mark 8 mm, drawn 0.3 pt thick (their heights are in ``A4``).
MARK_X, FOLD_MARK, HOLE_MARK = 4 * MM, 5 * MM, 8 * MM
MARK_WIDTH = 0.3
#: DOCX only: where the page header sits when it holds only the continuation line of
#: pages 2 and later, far enough from the edge for any printer.
HEADER_DISTANCE = 0.5 * INCH
#: Real glyph extent of Liberation (and its twins Times New Roman and Arial), in em:
#: descenders reach 0.216 em below the last baseline.
DESCENT = 0.22

PAGES = {"a4": A4, "letter": LETTER}


# --- the head above the window (docs/design/layout.md, "Paper") ---------------------------------
# In the window layout nothing of the head (letterhead or sender block) may show through the
# window, and it must not read as part of the address: it ends two blank lines above the
# window, starting at the top margin or higher, but never above WINDOW_MIN_TOP.


def head_room(page: Page) -> float:
    """The tallest head that fits above the window: from WINDOW_MIN_TOP to two lines above it."""
    return page.window.top - 2 * PARAGRAPH_GAP - WINDOW_MIN_TOP


def head_fits(page: Page, height: float) -> bool:
    """Whether a head ``height`` points tall fits above the window (else it is made compact)."""
    return height <= head_room(page)


def head_top(page: Page, height: float) -> float:
    """Where a head ``height`` points tall starts, from the page top: the margin, or higher."""
    return max(WINDOW_MIN_TOP, min(page.margin, page.window.top - 2 * PARAGRAPH_GAP - height))


#: Sizes tried, largest first, until the recipient block fits its window: body size
#: (at its own and at a tighter leading), then smaller.
WINDOW_SIZES = ((BODY_SIZE, BODY_LEADING), (BODY_SIZE, 13.0), (10.0, 12.0), (9.0, 10.5), (8.0, 9.5))
_AT_BODY_SIZE = 2


@dataclass(frozen=True)
class WindowFit:
    """How the recipient block is set in the envelope window."""

    lines: tuple[str, ...]
    size: float
    leading: float
    #: The title line was left out so that the block could stay larger.
    dropped_title: bool
    #: False when even the smallest size does not fit (the block then runs below the window).
    fits: bool


def fit_window(
    block: tuple[str, ...],
    title: str | None,
    measure: Callable[[tuple[str, ...], float, float], bool],
) -> WindowFit:
    """Choose the lines and size of the address in the window.

    A typesetter keeps the address at body size and shortens it before
    setting it smaller: the recipient's title (the second line) goes first,
    since the post needs only name, company and address. Only then is the
    text made smaller. ``measure(lines, size, leading)`` says whether lines fit.
    """
    short = tuple(line for i, line in enumerate(block) if not (title and i == 1 and line == title))
    tries = [block, short] if short != block else [block]
    for lines in tries:
        for size, leading in WINDOW_SIZES[:_AT_BODY_SIZE]:
            if measure(lines, size, leading):
                return WindowFit(lines, size, leading, lines != block, True)
    for size, leading in WINDOW_SIZES[_AT_BODY_SIZE:]:
        if measure(short, size, leading):
            return WindowFit(short, size, leading, short != block, True)
    return WindowFit(short, *WINDOW_SIZES[-1], dropped_title=short != block, fits=False)


#: A short letter is moved down the page by at most this much (six lines of body text) ...
BALANCE_MAX = 6 * BODY_LEADING
#: ... of which at most three lines open the space between the date and the address.
BALANCE_MID_MAX = 3 * BODY_LEADING


def balance(free: float) -> tuple[float, float]:
    """Extra space above the date and between the date and the address of a short letter.

    A letter that fills half a page looks abandoned at the top of it. As a
    typesetter would, half of the free space (up to six lines) moves the text
    down: two thirds of it open the gap between the date and the address,
    the rest goes above the date, so the block stays together and the letter
    ends nearer the foot of the page. ``free`` is the empty height under the
    letter, in points; nothing moves when it is not positive.
    """
    if free <= 0:
        return 0.0, 0.0
    extra = min(free / 2, BALANCE_MAX)
    mid = min(round(extra * 2 / 3), BALANCE_MID_MAX)
    return float(round(extra - mid)), float(mid)
