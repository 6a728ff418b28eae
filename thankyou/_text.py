r"""The one cleaning step every piece of user text goes through (docs/design/hazards.md, Cleaning).

Renderers rely on what this guarantees: NFC text, ``\n`` as the only line
break, no control characters, no bidi overrides, nothing over its length cap.
Problems raise :class:`ValueError` with a sentence that names the code point;
pydantic attaches the field path.
"""

from __future__ import annotations

import re
import unicodedata

#: Caps that keep layout time bounded (a 100,000-word paragraph takes minutes in reportlab).
LINE_MAX = 200
PHRASE_MAX = 1_000
PARAGRAPH_MAX = 20_000
#: Line breaks in one block of text: more would make a letter of hundreds of pages.
BREAKS_MAX = 200

_NEWLINES = re.compile(r"\r\n|\r|[\x0b\x0c\x1c\x1d\x1e\x85\u2028]")
_BIDI_OVERRIDES = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
# C0 and C1 controls (tab and line feed are allowed where line breaks are), DEL,
# lone surrogates and the two non-characters U+FFFE/U+FFFF.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def _forbidden_error(text: str) -> ValueError | None:
    found = _FORBIDDEN.search(text)
    if found is None:
        return None
    code = ord(found.group())
    if 0xD800 <= code <= 0xDFFF:
        kind = "the unpaired surrogate"
    elif code in (0xFFFE, 0xFFFF):
        kind = "the non-character"
    else:
        kind = "the control character"
    return ValueError(
        f"contains {kind} U+{code:04X} at position {found.start() + 1}; "
        "remove it (it usually comes from copying out of another program)"
    )


def clean_block(value: str, *, max_length: int = PARAGRAPH_MAX) -> str:
    """Clean multi-line text: NFC, one kind of line break, no controls.

    Raises:
        ValueError: for control characters, blank text, text over ``max_length``
            or with more than :data:`BREAKS_MAX` line breaks.
    """
    text = value.removeprefix("\ufeff")
    text = text.replace("\u2029", "\n\n")
    text = _NEWLINES.sub("\n", text)
    if error := _forbidden_error(text):
        raise error
    text = unicodedata.normalize("NFC", text).strip()
    if (breaks := text.count("\n")) > BREAKS_MAX:
        raise ValueError(
            f"has {breaks:,} line breaks; the limit is {BREAKS_MAX:,} (a letter, not a book)"
        )
    return _checked(text, max_length)


def clean_line(value: str, *, max_length: int = LINE_MAX) -> str:
    """Clean single-line text: as :func:`clean_block`, and no line breaks at all.

    Bidi override and isolate characters are dropped (they can make a name read
    differently from how it is stored); ZWJ and ZWNJ are kept because Persian
    and Indic names need them.

    Raises:
        ValueError: for line breaks, control characters, blank or over-long text.
    """
    text = value.removeprefix("\ufeff")
    if any(char in _LINE_BREAKS for char in text):
        raise ValueError("must be a single line; remove the line break")
    if error := _forbidden_error(text):
        raise error
    text = unicodedata.normalize("NFC", text.translate(_BIDI_OVERRIDES)).strip()
    return _checked(text, max_length)


def _checked(text: str, max_length: int) -> str:
    if not text:
        raise ValueError("must not be empty")
    if len(text) > max_length:
        raise ValueError(f"is {len(text):,} characters long; the limit is {max_length:,}")
    return text


def possessive(name: str) -> str:
    """The possessive of a name: ``"Bluefin Analytics"`` -> ``"Bluefin Analytics'"``.

    A name ending in *s* takes the apostrophe alone, as the plural forms most
    company names end in do ("Bluefin Analytics' reception"); any other name takes
    *'s* (``"Acme"`` -> ``"Acme's"``). The name itself is never changed.
    """
    return f"{name}'" if name[-1:] in ("s", "S") else f"{name}'s"
