"""Two fixes to reportlab's HarfBuzz shaping, so shaped names look and copy right.

reportlab shapes a paragraph word by word when its style says ``shaping=1``
(``uharfbuzz`` installed). Two things go wrong with the text of a letter:

1. A word set in two fonts ("محمد," with the comma in the letter's font) is
   shaped with the first font's glyph table throughout, so the second font
   draws wrong glyphs; and a word of two directions ("שרה,") is shaped right
   to left throughout, so its comma lands on the wrong side.
   :func:`shape_word` shapes each font's and direction's part on its own.
2. A glyph that no character maps to (a Devanagari conjunct, an Arabic
   ligature, a reph) is given a private-use code point, so copying the name
   out of the PDF gives private-use characters. Here each glyph cluster's
   first glyph is given a code whose ToUnicode entry (ISO 32000-1 §9.10.3)
   is the cluster's characters in logical order, and its other glyphs a code
   with no entry, so a reader extracts "क्ष" for the conjunct it shows.

:func:`install` applies both, once; only :mod:`thankyou.renderers._pdffonts`
calls it.
"""

from __future__ import annotations

import functools
import operator
import threading
import unicodedata
from typing import Any

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.platypus import paragraph

from thankyou.renderers import _scripts

__all__ = ["cluster_text", "install", "shape_run", "shape_word"]

#: Code point -> the characters its glyph stands for ("" for none). The codes
#: come from Supplementary Private Use Area-A, which no font's cmap uses.
_texts: dict[int, str] = {}
#: (font name, glyph id, characters) -> the code point given to them.
_codes: dict[tuple[str, int, str], int] = {}
_next_code = [0xF0000]
_lock = threading.Lock()

_reportlab_shape = getattr(paragraph, "shapeFragWord", None)


def install() -> None:
    """Route reportlab's paragraph shaping through :func:`shape_word` (idempotent).

    A reportlab without shaping (before 4.0.5) is left alone: the shaping
    extra's message tells the user what to install.
    """
    if _reportlab_shape is not None:
        paragraph.shapeFragWord = shape_word


def cluster_text(code: int) -> str | None:
    """The characters a code made by this module stands for ("" for none), else None."""
    return _texts.get(code)


def shape_word(word: list[Any]) -> list[Any]:
    """Shape one reportlab frag word, each font's part on its own (see module docs)."""
    if isinstance(word, ttfonts.ShapedFragWord):  # wrapped again (a split, a measurement)
        return word  # type: ignore[no-any-return]
    groups: list[list[Any]] = []
    for frag in word[1:]:
        if groups and _key(groups[-1][0]) == _key(frag):
            groups[-1].append(frag)
        else:
            groups.append([frag])
    if len(groups) < 2:
        return _shape_one(word)
    parts = [_shape_one(word.__class__([_width(group), *group])) for group in groups]
    if not any(isinstance(part, ttfonts.ShapedFragWord) for part in parts):
        return word
    shaped = ttfonts.makeShapedFragWord(word)([sum(part[0] for part in parts)])
    for part in parts:
        shaped.extend(part[1:])
    return shaped  # type: ignore[no-any-return]


def shape_run(text: str, font_name: str, size: float) -> tuple[str, float]:
    """One run of one font and direction, shaped for ``canvas.drawString``, and its width.

    For renderers that draw lines themselves (an envelope): the result copies
    out of the PDF like shaped paragraph text.
    """
    width = pdfmetrics.stringWidth(text, font_name, size)
    word = [width, (_Frag(font_name, size), text)]
    shaped = shape_word(word)
    if shaped is word:
        return text, width
    pieces = [glyphs for _frag, glyphs in shaped[1:]]
    return functools.reduce(operator.add, pieces), float(shaped[0])  # ShapedStr keeps positions


class _Frag:
    """The two attributes of a reportlab paragraph fragment that shaping reads."""

    def __init__(self, font_name: str, size: float) -> None:
        self.fontName = font_name
        self.fontSize = size


def _key(frag: tuple[Any, str]) -> tuple[str | None, bool]:
    """Font and direction of one frag: a right-to-left run is a frag of its own (_pdffonts)."""
    return getattr(frag[0], "fontName", None), _scripts.has_rtl(frag[1])


def _width(frags: list[Any]) -> float:
    return sum(  # type: ignore[no-any-return]
        pdfmetrics.stringWidth(text, frag.fontName, frag.fontSize)
        for frag, text in frags
        if not hasattr(frag, "cbDefn")
    )


def _shape_one(word: list[Any]) -> list[Any]:
    assert _reportlab_shape is not None  # install() patched nothing otherwise
    shaped = _reportlab_shape(word)
    if shaped is word or not isinstance(shaped, ttfonts.ShapedFragWord):
        return word
    text = "".join(text for frag, text in word[1:] if not hasattr(frag, "cbDefn"))
    return _with_cluster_codes(shaped, text)


def _starts_cluster(text: str, index: int) -> bool:
    """Whether a user would select from ``index`` on: not a mark, joiner or post-virama letter."""
    char = text[index]
    if unicodedata.category(char) in ("Mn", "Mc", "Me") or char in "\u200c\u200d":
        return False
    return index == 0 or unicodedata.combining(text[index - 1]) != 9  # 9: virama


def _with_cluster_codes(shaped: list[Any], text: str) -> list[Any]:
    """Give glyphs codes whose ToUnicode entries spell their clusters' characters.

    A cluster whose glyphs already spell its characters (in display order)
    keeps them. Otherwise its characters, in logical order, are dealt out to
    its glyphs in display order, one each and the rest to the last: a reader
    extracting the text left to right then gets the characters in order and
    no gap between them (a glyph that stood for nothing would read as a space).
    """
    rtl = _scripts.has_rtl(text)
    # HarfBuzz's clusters (a ligature such as lam-alef is one), merged further so that
    # marks and the letter after a virama stay with their cluster.
    clusters: set[int] = {d.cluster for _f, glyphs in shaped[1:] for d in _shape_data(glyphs)}
    starts = sorted(c for c in clusters if _starts_cluster(text, c)) or [min(clusters, default=0)]
    ends = dict(zip(starts, [*starts[1:], len(text)], strict=True))

    def cluster_of(index: int) -> int:
        return max((s for s in starts if s <= index), default=starts[0])

    glyphs_of: dict[int, list[str]] = {}
    for _frag, glyphs in shaped[1:]:
        if isinstance(glyphs, ttfonts.ShapedStr):
            for char, data in zip(glyphs, glyphs.__shapeData__, strict=True):
                glyphs_of.setdefault(cluster_of(data.cluster), []).append(char)
    wanted = {
        start: _deal(text[start : ends[start]], chars, rtl) for start, chars in glyphs_of.items()
    }
    result = shaped.__class__([shaped[0]])
    for frag, glyphs in shaped[1:]:
        if not isinstance(glyphs, ttfonts.ShapedStr):
            result.append((frag, glyphs))
            continue
        font = pdfmetrics.getFont(frag.fontName)
        chars = []
        for char, data in zip(glyphs, glyphs.__shapeData__, strict=True):
            want = wanted[cluster_of(data.cluster)].pop(0)
            chars.append(char if char == want else chr(_code(font, char, want)))
        result.append((frag, ttfonts.ShapedStr("".join(chars), shapeData=glyphs.__shapeData__)))
    return result


def _shape_data(glyphs: Any) -> list[Any]:
    return list(glyphs.__shapeData__) if isinstance(glyphs, ttfonts.ShapedStr) else []


def _deal(cluster: str, glyphs: list[str], rtl: bool) -> list[str]:
    """What each glyph of a cluster (in display order) stands for."""
    spelt = "".join(glyphs)
    if spelt == cluster or (rtl and spelt == cluster[::-1]):
        return list(glyphs)
    chars = list(cluster[::-1] if rtl else cluster)
    dealt = [chars.pop(0) if chars and i < len(glyphs) - 1 else "" for i in range(len(glyphs))]
    dealt[-1] = "".join(chars)
    if rtl:  # the reader reverses right-to-left text, so each piece is stored reversed too
        dealt = [piece[::-1] for piece in dealt]
    return dealt


def _code(font: Any, char: str, text: str) -> int:
    """The code point for ``char``'s glyph standing for ``text`` in ``font`` (made once)."""
    face = font.face
    gid = face.charToGlyph[ord(char)]
    key = (font.fontName, gid, text)
    with _lock:
        if key not in _codes:
            code = _next_code[0]
            _next_code[0] += 1
            face.charToGlyph[code] = gid
            face.glyphToChar.setdefault(gid, []).append(code)
            face.charWidths[code] = face.charWidths.get(ord(char), 0)
            _texts[code] = text
            _codes[key] = code
    return _codes[key]
