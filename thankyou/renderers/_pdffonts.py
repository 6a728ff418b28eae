"""Fonts for the PDF renderer: registration, coverage and per-run fallback markup.

docs/design/hazards.md (reportlab): the standard 14 PDF fonts print ``Łukasz Żółć`` as boxes, and a
TrueType font draws a character it lacks as an empty box, silently. So the
renderer uses only the TrueType fonts bundled in ``thankyou/fonts`` (Liberation
Serif/Sans, DejaVu Sans; see ``thankyou/fonts/README.md``) plus the user's
``Style.extra_fonts``, checks every character against each font's ``cmap``
before drawing, switches font per run of characters, and reports what no font
covers so that the caller can warn instead of printing boxes.

Fonts are registered with reportlab once per process, under names prefixed
``thankyou-`` so they never clash with fonts an application registers itself.
Only this module and :mod:`thankyou.renderers.pdf` import reportlab.
"""

from __future__ import annotations

import io
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from thankyou.errors import RenderError
from thankyou.renderers import _pdfshape, _scripts, _shaping, _sysfonts

__all__ = [
    "Fonts",
    "MissingText",
    "Run",
    "display_runs",
    "draw_line",
    "fonts_for",
]

#: Bundled families: Style.font -> file stem. Four static faces each.
_FAMILIES = {"serif": "LiberationSerif", "sans": "LiberationSans"}
_FACES = {"normal": "Regular", "bold": "Bold", "italic": "Italic", "boldItalic": "BoldItalic"}
#: The fallback for what Liberation lacks (arrows, check marks, Armenian, Georgian, ...).
_FALLBACK = "DejaVuSans"
_PREFIX = "thankyou-"

# --- a reportlab fix: the text layer of characters beyond U+FFFF -----------------------------

_ASTRAL_ENTRY = re.compile(r"^(<[0-9A-F]{2}>) <([0-9A-F]{5,6})>$", re.MULTILINE)


def _utf16_entry(found: re.Match[str]) -> str:
    encoded = chr(int(found.group(2), 16)).encode("utf-16-be").hex().upper()
    return f"{found.group(1)} <{encoded}>"


def _to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """The ToUnicode CMap of reportlab, with characters beyond U+FFFF written correctly.

    reportlab writes such a character as ``<1F600>``: an odd-length hex string
    that readers reject or misread, so an emoji in a name copies out as another
    character. ToUnicode targets are UTF-16BE (ISO 32000-1 §9.10.3), so it must
    be the surrogate pair ``<D83DDE00>``. Shaped glyphs (``_pdfshape``) map to
    the characters of their cluster, or to nothing.
    """
    cmap = _reportlab_to_unicode_cmap(fontname, subset)
    if subset and max(subset) >= 0xF0000:  # shaped glyphs' codes live in plane 15 only
        cmap = _CMAP_ENTRY.sub(lambda found: _cluster_entry(found, subset), cmap)
        cmap = _BFCHAR.sub(_recount, cmap)
    return _ASTRAL_ENTRY.sub(_utf16_entry, cmap)


_CMAP_ENTRY = re.compile(r"^<([0-9A-F]{2})> <[0-9A-F]+>\n", re.MULTILINE)
_BFCHAR = re.compile(r"^\d+ beginbfchar\n(.*?)endbfchar", re.MULTILINE | re.DOTALL)


def _cluster_entry(found: re.Match[str], subset: Sequence[int]) -> str:
    text = _pdfshape.cluster_text(subset[int(found.group(1), 16)])
    if text is None:
        return found.group(0)
    if not text:  # the second glyph of a cluster: the first one carries the characters
        return ""
    return f"<{found.group(1)}> <{text.encode('utf-16-be').hex().upper()}>\n"


def _recount(found: re.Match[str]) -> str:
    entries = found.group(1)
    return f"{entries.count(chr(10))} beginbfchar\n{entries}endbfchar"


_reportlab_to_unicode_cmap = ttfonts.makeToUnicodeCMap
ttfonts.makeToUnicodeCMap = _to_unicode_cmap  # ttfonts looks the name up at call time
_pdfshape.install()  # shaped words: one font at a time, copyable text (see _pdfshape)


_lock = threading.Lock()
#: reportlab font name -> the characters its cmap maps to a real glyph.
_coverage: dict[str, frozenset[str]] = {}
#: Resolved path of a user font -> its registered name.
_extra_names: dict[Path, str] = {}
#: Installed fonts found for characters no other font has, in the order found, by
#: serif (True) or sans (False) letters; and (path, face index) -> registered name.
_system: dict[bool, list[str]] = {True: [], False: []}
_system_names: dict[tuple[Path, int], str] = {}


@dataclass(frozen=True)
class Fonts:
    """The fonts one letter is set in: the main face first, then the fallbacks in order."""

    #: Registered name of the main family's regular face (also the family name).
    main: str
    #: Registered names tried in order for a character the main font lacks.
    fallbacks: tuple[str, ...]
    #: Whether the letter is set in a serif face (installed fonts are chosen to match).
    serif: bool = True

    @property
    def chain(self) -> tuple[str, ...]:
        """Every font, main first, then the fallbacks and the installed fonts found so far."""
        found = _system[self.serif] if _sysfonts.enabled() else ()
        return (self.main, *self.fallbacks, *found)


@dataclass
class MissingText:
    """Characters that no font covers, by the letter field they occur in."""

    by_field: dict[str, list[str]] = field(default_factory=dict)
    #: Fields holding complex-script text while the shaping extra is not installed.
    unshaped: list[str] = field(default_factory=list)

    def add(self, where: str, chars: Iterable[str]) -> None:
        """Record ``chars`` as uncovered in field ``where`` (order kept, no repeats)."""
        seen = self.by_field.setdefault(where, [])
        seen.extend(c for c in chars if c not in seen)

    def __bool__(self) -> bool:
        return bool(self.by_field)


def fonts_for(family: str, extra_fonts: Sequence[Path] = ()) -> Fonts:
    """Return the registered fonts for ``Style.font`` plus the user's extra fonts.

    Registration happens once per process; later calls are dictionary look-ups.

    Raises:
        RenderError: when an extra font cannot be read as TrueType.
    """
    main = _register_bundled(family)
    extras = tuple(_register_extra(path, index) for index, path in enumerate(extra_fonts))
    return Fonts(main=main, fallbacks=(_PREFIX + _FALLBACK, *extras), serif=family == "serif")


def _register_bundled(family: str) -> str:
    stem = _FAMILIES[family]
    name = _PREFIX + stem
    if name in _coverage:
        return name
    with _lock:
        if name not in _coverage:
            fallback = _PREFIX + _FALLBACK
            if fallback not in _coverage:
                # Bundled in its regular face only: bold text in a fallback script stays regular.
                pdfmetrics.registerFontFamily(fallback, normal=_load(f"{_FALLBACK}.ttf", fallback))
            faces = {
                key: _load(f"{stem}-{suffix}.ttf", f"{name}-{suffix}")
                for key, suffix in _FACES.items()
                if key != "normal"
            }
            # The family is named after its regular face, so <b>/<i> in template
            # markup pick the real bold and italic faces instead of silently
            # staying regular (docs/design/hazards.md, reportlab). The regular face goes last: its
            # coverage entry is what tells other threads the family is ready.
            pdfmetrics.registerFontFamily(name, normal=name, **faces)
            _load(f"{stem}-Regular.ttf", name)
            # registerFont() maps a TrueType face's bold and italic to itself, which
            # undid the family above for the regular face: <b> stayed regular.
            pdfmetrics.registerFontFamily(name, normal=name, **faces)
    return name


def _load(filename: str, name: str) -> str:
    """Register one bundled TrueType file under ``name`` and record its coverage."""
    resource = resources.files("thankyou") / "fonts" / filename
    data = io.BytesIO(resource.read_bytes())  # works from a wheel, a zip or a checkout
    data.name = filename  # reportlab names the font stream after it
    _remember(TTFont(name, data), name)
    return name


def _remember(font: TTFont, name: str) -> None:
    pdfmetrics.registerFont(font)
    # A cmap entry pointing at glyph 0 (.notdef) is a box, not coverage.
    cmap = font.face.charToGlyph
    _coverage[name] = frozenset(chr(code) for code, glyph in cmap.items() if glyph)


def _register_extra(path: Path, index: int) -> str:
    key = Path(path).resolve()
    with _lock:
        if key not in _extra_names:
            name = f"{_PREFIX}extra{len(_extra_names) + 1}"
            try:
                font = TTFont(name, str(key))
            except Exception as err:  # TTFError, OSError, and struct.error on a damaged file
                raise RenderError(
                    f"style.extra_fonts[{index}]: cannot use {key.name} ({err}); "
                    "reportlab reads TrueType (.ttf) fonts only, not CFF-based .otf files",
                    format="pdf",
                ) from err
            _remember(font, name)
            pdfmetrics.registerFontFamily(name, normal=name)
            _extra_names[key] = name
    return _extra_names[key]


def _discover(line: str, fonts: Fonts) -> None:
    """Register installed fonts for characters no font of ``fonts`` has yet.

    For a word of a joining or combining script, a font with all its letters
    is looked for first (see :func:`runs`).
    """
    words = [_drawn(word.group()) for word in _scripts.complex_words(line)]
    for letters in ["".join(words), *words] if len(words) > 1 else words:
        if not any(_coverage[name].issuperset(letters) for name in fonts.chain):
            found = _sysfonts.find(letters, fonts.serif)
            if found is not None:
                _register_system(found, fonts.serif)
    for char in line:
        if char.isspace() or any(char in _coverage[name] for name in fonts.chain):
            continue
        found = _sysfonts.find(char, fonts.serif)
        if found is not None:
            _register_system(found, fonts.serif)


def _register_system(found: _sysfonts.SystemFont, serif: bool) -> None:
    key = (found.path, found.index)
    with _lock:
        if key not in _system_names:
            name = f"{_PREFIX}system{len(_system_names) + 1}"
            try:
                font = TTFont(name, str(found.path), subfontIndex=found.index)
            except (TTFError, OSError):
                return  # fontconfig called it TrueType but reportlab cannot read it: skip
            _remember(font, name)
            pdfmetrics.registerFontFamily(name, normal=name)
            _system_names[key] = name
        name = _system_names[key]
        if name not in _system[serif]:
            _system[serif].append(name)


# --- runs -----------------------------------------------------------------------------------


def _joins_previous(char: str) -> bool:
    """True for characters that belong to the cluster before them.

    Combining marks, ZWJ/ZWNJ and variation selectors must be drawn by the
    font that draws their base letter, or the mark floats away from it.
    """
    return (
        unicodedata.category(char) in ("Mn", "Mc", "Me")
        or char in "\u200c\u200d"
        or "\ufe00" <= char <= "\ufe0f"
    )


def _clusters(text: str) -> list[str]:
    clusters: list[str] = []
    for char in text:
        if clusters and _joins_previous(char) and not clusters[-1].isspace():
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


def _font_index(cluster: str, covers: Sequence[frozenset[str]]) -> int:
    """Index of the first font that draws the whole cluster, else the one with its base, else -1."""
    for index, cov in enumerate(covers):
        if cov.issuperset(cluster):
            return index
    for index, cov in enumerate(covers):
        if cluster[0] in cov:
            return index
    return -1


def runs(text: str, fonts: Fonts, prefer: int | None = None) -> list[tuple[int, str]]:
    """Split one line into (font index, text) runs; -1 marks text no font covers.

    A word of a script whose letters join or combine (Arabic, Devanagari,
    Thai...) is set in one font when a font has all its letters: split
    between two fonts, its letters could not join. A space stays in the run
    it follows when that font has a space glyph, so a fallback word does not
    split the spaces around it into runs of their own. ``prefer`` is the index
    of a font to use for such words when it has their letters (see
    :func:`shared_font`), so that the words of one name share a font.
    """
    covers = [_coverage[name] for name in fonts.chain]
    result: list[tuple[int, str]] = []
    start = 0
    for word in _scripts.complex_words(text):
        _cluster_runs(text[start : word.start()], covers, result)
        letters = _drawn(word.group())
        index = next((i for i, cov in enumerate(covers) if cov.issuperset(letters)), None)
        if prefer is not None and covers[prefer].issuperset(letters):
            index = prefer
        if index is None:
            _cluster_runs(word.group(), covers, result)
        else:
            _append(result, index, word.group())
        start = word.end()
    _cluster_runs(text[start:], covers, result)
    return result


def shared_font(line: str, fonts: Fonts) -> int | None:
    """Index of the first font with every letter of the line's joining-script words, if any."""
    letters = _drawn("".join(word.group() for word in _scripts.complex_words(line)))
    if not letters:
        return None
    return next(
        (i for i, name in enumerate(fonts.chain) if _coverage[name].issuperset(letters)), None
    )


def _drawn(word: str) -> str:
    """The characters of ``word`` a font must have (joiners are not drawn)."""
    return word.replace("\u200c", "").replace("\u200d", "")


def _cluster_runs(
    text: str, covers: Sequence[frozenset[str]], result: list[tuple[int, str]]
) -> None:
    for cluster in _clusters(text):
        current = result[-1][0] if result else 0
        if cluster.isspace() and (current == -1 or cluster in covers[current]):
            index = current  # keep spaces in the run they follow: fewer, longer runs
        else:
            index = _font_index(cluster, covers)
        _append(result, index, cluster)


def _append(result: list[tuple[int, str]], index: int, text: str) -> None:
    if result and result[-1][0] == index:
        result[-1] = (index, result[-1][1] + text)
    else:
        result.append((index, text))


def markup(text: str, fonts: Fonts, missing: MissingText, where: str) -> str:
    """Turn user text into safe reportlab Paragraph markup.

    Every value is escaped (``A & B <Co>`` and ``<img src=...>`` print
    literally and open nothing, docs/design/hazards.md); a line feed becomes ``<br/>``;
    characters the main font lacks go into ``<font face=...>`` runs of the
    first fallback that has them, looking for an installed font when none
    has. Right-to-left text is put in display order (:func:`display_runs`).
    Characters no font has stay in the main font (they print as the font's
    missing-glyph box) and are recorded in ``missing`` under ``where`` so the
    caller can warn or refuse.
    """
    main = _coverage[fonts.main]
    flat = text.replace("\n", "")
    if main.issuperset(flat) and not _scripts.has_rtl(flat):  # the common case: one font
        return escape(text).replace("\n", "<br/>")
    if _scripts.needs_shaping(flat) and not _shaping.available() and where not in missing.unshaped:
        missing.unshaped.append(where)
    return "<br/>".join(markup_line(line, fonts, missing, where) for line in text.split("\n"))


def markup_line(
    line: str, fonts: Fonts, missing: MissingText, where: str, base_rtl: bool | None = None
) -> str:
    """Paragraph markup for one line of user text (see :func:`markup`), in display order."""
    if _coverage[fonts.main].issuperset(line) and not _scripts.has_rtl(line):
        return escape(line)
    parts = []
    bidi = _scripts.has_rtl(line)
    for run in display_runs(line, fonts, missing, where, base_rtl):
        # With bidi, every run is a frag of its own, so that a word such as
        # "שרה," is shaped as two runs, right to left and left to right.
        if run.font == fonts.main and not bidi:
            parts.append(escape(run.text))
        else:
            parts.append(f'<font face="{run.font}">{escape(run.text)}</font>')
    return "".join(parts)


@dataclass(frozen=True)
class Run:
    """A piece of one line drawn in one font and one direction."""

    text: str
    #: Registered reportlab font name.
    font: str
    #: Whether HarfBuzz must lay the run out right to left.
    rtl: bool = False


def display_runs(
    line: str, fonts: Fonts, missing: MissingText, where: str, base_rtl: bool | None = None
) -> list[Run]:
    """Split one line into runs of one font and one direction, in display order.

    This is what a renderer needs to draw a line itself (:func:`draw_line`)
    or to build Paragraph markup (:func:`markup_line`). Installed
    fonts are looked up for characters no font of ``fonts`` has; characters
    still without a font are recorded in ``missing`` under ``where`` and
    their run uses the main font.
    """
    _discover(line, fonts)
    chain = fonts.chain
    covers = [_coverage[name] for name in chain]
    if _scripts.has_rtl(line) and _shaping.available():
        pieces = _shaping.visual_runs(line, base_rtl)
    else:
        pieces = [(line, False)]
    prefer = shared_font(line, fonts)
    result: list[Run] = []
    for piece, rtl in pieces:
        for index, text in runs(piece, fonts, prefer):
            lost = [c for c in text if not c.isspace() and not any(c in cov for cov in covers)]
            if lost:
                missing.add(where, lost)
            result.append(Run(text, chain[max(index, 0)], rtl))
    return result


def draw_line(
    canvas: Any,
    x: float,
    y: float,
    line: str,
    fonts: Fonts,
    size: float,
    missing: MissingText,
    where: str,
) -> float:
    """Draw one line of user text with its left end at ``x`` on baseline ``y``; return its width.

    For renderers that place text on a canvas themselves (an envelope, a
    label): fonts are chosen per run as in paragraphs, right-to-left runs are
    put in display order, complex scripts are shaped, and the text copies out
    of the PDF as typed. Uncovered characters are recorded in ``missing``.
    """
    start = x
    shaping = _scripts.needs_shaping(line) and _shaping.available()
    if _scripts.needs_shaping(line) and not shaping and where not in missing.unshaped:
        missing.unshaped.append(where)
    for run in display_runs(line, fonts, missing, where):
        if shaping:
            text, width = _pdfshape.shape_run(run.text, run.font, size)
        else:
            text, width = run.text, pdfmetrics.stringWidth(run.text, run.font, size)
        canvas.setFont(run.font, size)
        canvas.drawString(x, y, text)
        x += width
    return x - start
