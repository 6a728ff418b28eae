"""Which scripts a text holds: the one place the PDF, DOCX and envelope renderers ask.

Three questions change how a line is laid out:

* **CJK** (Chinese, Japanese, Korean): any character may end a line, so the
  PDF sets such paragraphs with reportlab's CJK line breaking and DOCX names
  an East Asian font for them.
* **Right to left** (Hebrew, Arabic, ...): the PDF puts such text in display
  order (Unicode Bidirectional Algorithm, UAX #9); DOCX marks the paragraph
  and its runs ``w:bidi``/``w:rtl`` and lets Word order them.
* **Complex scripts** (Arabic, the Indic scripts, Thai, ...): glyphs depend on
  their neighbours, so the PDF must shape them (HarfBuzz) and DOCX names a
  complex-script font.

Regular expressions over Unicode blocks, not a loop over characters: these run
on every paragraph. Nothing here imports a rendering library.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

__all__ = [
    "complex_words",
    "direction",
    "has_rtl",
    "is_cjk",
    "needs_shaping",
    "reads_rtl",
]

# Blocks where any character may end a line: Hangul Jamo, CJK radicals, CJK
# punctuation, Hiragana, Katakana, Bopomofo, Hangul compatibility Jamo, CJK
# Extension A, CJK Unified Ideographs, Hangul syllables, compatibility
# ideographs, half- and full-width forms, Extensions B-H.
_CJK = re.compile(
    "[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff]"
)
# Hebrew up to Arabic Extended-A, Syriac, Thaana, NKo, Samaritan, Mandaic, their
# presentation forms, and the right-to-left planes (Imperial Aramaic ... Adlam):
# the blocks holding the strong right-to-left letters (bidi classes R and AL).
_RTL = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
# Scripts whose glyphs depend on their neighbours: Hebrew (points), Arabic, Syriac,
# Thaana, NKo, Samaritan, Mandaic, the Indic scripts from Devanagari to Sinhala,
# Thai, Lao, Tibetan, Myanmar, Khmer, Mongolian, and the Arabic presentation forms.
_COMPLEX = re.compile(
    "[\u0590-\u08ff\u0900-\u0dff\u0e00-\u0fff\u1000-\u109f\u1780-\u18af"
    "\ua8e0-\ua8ff\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
# A complex-script word with the joiners (ZWNJ, ZWJ) that belong to it.
_COMPLEX_WORD = re.compile(f"(?:{_COMPLEX.pattern}|[\u200c\u200d])+")
# UAX #9 bidi classes that read right to left (AN: Arabic-Indic digits).
_RTL_CLASSES = frozenset({"R", "AL", "AN"})


def is_cjk(text: str) -> bool:
    """True when ``text`` contains Chinese, Japanese or Korean characters."""
    return _CJK.search(text) is not None


def has_rtl(text: str) -> bool:
    """True when ``text`` holds right-to-left letters (Hebrew, Arabic, ...)."""
    return _RTL.search(text) is not None


def needs_shaping(text: str) -> bool:
    """True when ``text`` holds letters of a script that must be shaped to be legible."""
    return _COMPLEX.search(text) is not None


def complex_words(text: str) -> Iterator[re.Match[str]]:
    """The words of ``text`` written in scripts that must be shaped (with their joiners)."""
    if not _COMPLEX.search(text):
        return iter(())
    return _COMPLEX_WORD.finditer(text)


def direction(char: str) -> bool | None:
    """True for a right-to-left character, False for a left-to-right letter, None for neutral."""
    kind = unicodedata.bidirectional(char)
    if kind in _RTL_CLASSES:
        return True
    return False if kind == "L" else None


def reads_rtl(text: str) -> bool:
    """Whether a paragraph reads right to left: its first strong letter decides (UAX #9 P2-P3)."""
    if not has_rtl(text):
        return False
    return next((d for d in map(direction, text) if d is not None), False)
