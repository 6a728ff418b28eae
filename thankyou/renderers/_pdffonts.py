"""Fonts for the PDF renderer: registration, coverage and per-run fallback markup.

ROBUSTNESS §2: the standard 14 PDF fonts print ``Łukasz Żółć`` as boxes, and a
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
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from thankyou.errors import RenderError

__all__ = ["Fonts", "MissingText", "fonts_for", "is_cjk", "is_rtl"]

#: Bundled families: Style.font -> file stem. Four static faces each (issue #3).
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
    be the surrogate pair ``<D83DDE00>``.
    """
    return _ASTRAL_ENTRY.sub(_utf16_entry, _reportlab_to_unicode_cmap(fontname, subset))


_reportlab_to_unicode_cmap = ttfonts.makeToUnicodeCMap
ttfonts.makeToUnicodeCMap = _to_unicode_cmap  # ttfonts looks the name up at call time


_lock = threading.Lock()
#: reportlab font name -> the characters its cmap maps to a real glyph.
_coverage: dict[str, frozenset[str]] = {}
#: Resolved path of a user font -> its registered name.
_extra_names: dict[Path, str] = {}


@dataclass(frozen=True)
class Fonts:
    """The fonts one letter is set in: the main face first, then the fallbacks in order."""

    #: Registered name of the main family's regular face (also the family name).
    main: str
    #: Registered names tried in order for a character the main font lacks.
    fallbacks: tuple[str, ...]

    @property
    def chain(self) -> tuple[str, ...]:
        """Every font, main first."""
        return (self.main, *self.fallbacks)


@dataclass
class MissingText:
    """Characters that no font covers, by the letter field they occur in."""

    by_field: dict[str, list[str]] = field(default_factory=dict)

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
    return Fonts(main=main, fallbacks=(_PREFIX + _FALLBACK, *extras))


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
            # staying regular (ROBUSTNESS §2). The regular face goes last: its
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
            except (TTFError, OSError) as err:
                raise RenderError(
                    f"style.extra_fonts[{index}]: cannot use {key.name} ({err}); "
                    "reportlab reads TrueType (.ttf) fonts only, not CFF-based .otf files",
                    format="pdf",
                ) from err
            _remember(font, name)
            pdfmetrics.registerFontFamily(name, normal=name)
            _extra_names[key] = name
    return _extra_names[key]


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


def runs(text: str, fonts: Fonts) -> list[tuple[int, str]]:
    """Split one line into (font index, text) runs; -1 marks text no font covers.

    A space stays in the run it follows when that font has a space glyph, so a
    fallback word does not split the spaces around it into runs of their own.
    """
    covers = [_coverage[name] for name in fonts.chain]
    result: list[tuple[int, str]] = []
    for cluster in _clusters(text):
        current = result[-1][0] if result else 0
        if cluster.isspace() and (current == -1 or cluster in covers[current]):
            index = current  # keep spaces in the run they follow: fewer, longer runs
        else:
            index = _font_index(cluster, covers)
        if result and result[-1][0] == index:
            result[-1] = (index, result[-1][1] + cluster)
        else:
            result.append((index, cluster))
    return result


def markup(text: str, fonts: Fonts, missing: MissingText, where: str) -> str:
    """Turn user text into safe reportlab Paragraph markup.

    Every value is escaped (``A & B <Co>`` and ``<img src=...>`` print
    literally and open nothing, ROBUSTNESS §2); a line feed becomes ``<br/>``;
    characters the main font lacks go into ``<font face=...>`` runs of the
    first fallback that has them. Characters no font has stay in the main font
    (they print as the font's missing-glyph box) and are recorded in
    ``missing`` under ``where`` so the caller can warn.
    """
    main = _coverage[fonts.main]
    if main.issuperset(text.replace("\n", "")):  # the common case: one font, no look-ups
        return escape(text).replace("\n", "<br/>")
    return "<br/>".join(_markup_line(line, fonts, missing, where) for line in text.split("\n"))


def _markup_line(line: str, fonts: Fonts, missing: MissingText, where: str) -> str:
    parts: list[str] = []
    covers = [_coverage[name] for name in fonts.chain]
    for index, run in runs(line, fonts):
        lost = [c for c in run if not c.isspace() and not any(c in cov for cov in covers)]
        if lost:
            missing.add(where, lost)
        if index <= 0:
            parts.append(escape(run))
        else:
            parts.append(f'<font face="{fonts.chain[index]}">{escape(run)}</font>')
    return "".join(parts)


# --- scripts the layout treats differently ---------------------------------------------------

# Blocks set with reportlab's CJK line breaking (any character may end a line):
# Hangul Jamo, CJK radicals, CJK punctuation, Hiragana, Katakana, Bopomofo,
# Hangul compatibility Jamo, CJK Extension A, CJK Unified Ideographs, Hangul
# syllables, compatibility ideographs, half- and full-width forms, Extensions B-H.
# Regular expressions, not a loop over characters: this runs on every paragraph.
_CJK = re.compile(
    "[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff]"
)
# Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic and their presentation
# forms: the strong right-to-left letters a letter is likely to contain.
_RTL = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff]"
)


_UNUSUAL = re.compile(f"{_CJK.pattern}|{_RTL.pattern}")


def is_unusual(text: str) -> bool:
    """True when ``text`` may need CJK line breaking or holds right-to-left letters."""
    return _UNUSUAL.search(text) is not None


def is_cjk(text: str) -> bool:
    """True when ``text`` contains Chinese, Japanese or Korean characters."""
    return _CJK.search(text) is not None


def is_rtl(text: str) -> bool:
    """True when ``text`` contains right-to-left letters (Hebrew, Arabic, ...)."""
    return _RTL.search(text) is not None
