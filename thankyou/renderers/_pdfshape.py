"""Two fixes to reportlab's HarfBuzz shaping, so shaped names look and copy right.

reportlab shapes a paragraph word by word when its style says ``shaping=1``
(``uharfbuzz`` installed). Two things go wrong with the text of a letter:

1. A word set in two fonts ("محمد," with the comma in the letter's font) is
   shaped with the first font's glyph table throughout, so the second font
   draws wrong glyphs. :func:`shape_word` shapes each font's part on its own.
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

import threading
import unicodedata
from typing import Any

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.platypus import paragraph

__all__ = ["cluster_text", "install", "shape_word"]

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
    groups: list[list[Any]] = []
    for frag in word[1:]:
        name = getattr(frag[0], "fontName", None)
        if groups and getattr(groups[-1][0][0], "fontName", None) == name:
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


def _width(frags: list[Any]) -> float:
    return sum(  # type: ignore[no-any-return]
        pdfmetrics.stringWidth(text, frag.fontName, frag.fontSize)
        for frag, text in frags
        if not hasattr(frag, "cbDefn")
    )


def _shape_one(word: list[Any]) -> list[Any]:
    assert _reportlab_shape is not None  # install() patched nothing otherwise
    shaped = _reportlab_shape(word)
    if not isinstance(shaped, ttfonts.ShapedFragWord):
        return shaped  # type: ignore[no-any-return]
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

    A cluster whose glyphs already spell its characters (in either order, for
    right-to-left runs) keeps them: readers then space the text naturally.
    """
    starts = [i for i in range(len(text)) if _starts_cluster(text, i)] or [0]
    ends = dict(zip(starts, [*starts[1:], len(text)], strict=True))

    def cluster_of(index: int) -> int:
        return max((s for s in starts if s <= index), default=starts[0])

    spelt: dict[int, str] = {}
    for _frag, glyphs in shaped[1:]:
        if isinstance(glyphs, ttfonts.ShapedStr):
            for char, data in zip(glyphs, glyphs.__shapeData__, strict=True):
                start = cluster_of(data.cluster)
                spelt[start] = spelt.get(start, "") + char
    done: set[int] = set()
    result = shaped.__class__([shaped[0]])
    for frag, glyphs in shaped[1:]:
        if not isinstance(glyphs, ttfonts.ShapedStr):
            result.append((frag, glyphs))
            continue
        font = pdfmetrics.getFont(frag.fontName)
        chars = []
        for char, data in zip(glyphs, glyphs.__shapeData__, strict=True):
            start = cluster_of(data.cluster)
            cluster = text[start : ends[start]]
            if spelt[start] in (cluster, cluster[::-1]):
                chars.append(char)
                continue
            want = "" if start in done else cluster
            done.add(start)
            chars.append(char if char == want else chr(_code(font, char, want)))
        result.append((frag, ttfonts.ShapedStr("".join(chars), shapeData=glyphs.__shapeData__)))
    return result


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
