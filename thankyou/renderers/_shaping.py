"""Complex scripts in a PDF: shaping available or not, and right-to-left text in display order.

Which text needs shaping or holds right-to-left letters is decided in
:mod:`thankyou.renderers._scripts`, shared with the DOCX renderer.

Arabic letters join, Devanagari, Bengali and Tamil form conjuncts and move
vowel signs, Thai stacks its marks: a PDF must draw such text through
HarfBuzz (``uharfbuzz``), and text written right to left must be put in
display order with the Unicode Bidirectional Algorithm (UAX #9, here
``python-bidi``). Both come with the ``thankyou[shaping]`` extra; Word,
LibreOffice and mail readers do this themselves, so DOCX and email never
need it.

Nothing here imports reportlab; :mod:`thankyou.renderers._pdfshape` teaches
reportlab to use what this module decides.
"""

from __future__ import annotations

import functools
import re

from thankyou.renderers import _scripts

__all__ = [
    "EXTRA_HINT",
    "available",
    "base_is_rtl",
    "visual_runs",
]

EXTRA_HINT = "install the shaping extra: pip install 'thankyou[shaping]'"


@functools.cache
def available() -> bool:
    """Whether the shaping extra (uharfbuzz and python-bidi) is installed."""
    try:
        import bidi.algorithm  # noqa: F401
        import uharfbuzz  # noqa: F401
    except ImportError:
        return False
    return True


def visual_runs(line: str, base_rtl: bool | None = None) -> list[tuple[str, bool]]:
    """Split one line into runs in display order, left to right: (text, right_to_left).

    The embedding levels and their reordering (UAX #9 rules P2-L2) come from
    python-bidi. Each run's characters stay in logical order: HarfBuzz shapes
    a right-to-left run and lays its glyphs out right to left itself, which
    also mirrors brackets (UAX #9 L4). A right-to-left run is cut at spaces
    and its words put in display order, because reportlab sets a paragraph
    word by word. So "Dear محمد العلي," gives
    ``[("Dear ", False), ("العلي", True), (" ", True), ("محمد", True), (",", False)]``.

    ``base_rtl`` sets the paragraph direction (for the lines of a wrapped
    paragraph, which share it); by default the first strong letter decides.

    Raises:
        ImportError: when python-bidi is not installed (callers check :func:`available`).
    """
    if not _scripts.has_rtl(line) and not base_rtl:
        return [(line, False)]
    from bidi import algorithm

    storage = algorithm.get_empty_storage()
    storage["base_level"] = algorithm.get_base_level(line) if base_rtl is None else int(base_rtl)
    storage["base_dir"] = ("L", "R")[storage["base_level"]]
    algorithm.get_embedding_levels(line, storage)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index
    algorithm.explicit_embed_and_overrides(storage, False)
    algorithm.resolve_weak_types(storage, False)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    algorithm.reorder_resolved_levels(storage, False)
    return _runs(storage["chars"])


def base_is_rtl(text: str) -> bool:
    """Whether a paragraph reads right to left: its first strong letter decides (UAX #9 P2-P3)."""
    if not _scripts.has_rtl(text):
        return False
    from bidi import algorithm

    return bool(algorithm.get_base_level(text))


def _runs(chars: list[dict[str, object]]) -> list[tuple[str, bool]]:
    """Group display-ordered characters into runs, right-to-left runs back in logical order."""
    runs: list[tuple[list[str], bool]] = []
    for char in chars:
        rtl = bool(int(str(char["level"])) % 2)
        text = str(char["ch"])
        if runs and runs[-1][1] == rtl:
            runs[-1][0].append(text)
        else:
            runs.append(([text], rtl))
    display: list[tuple[str, bool]] = []
    for parts, rtl in runs:
        if not rtl:
            display.append(("".join(parts), False))
            continue
        words = _SPACES.split("".join(reversed(parts)))  # the run in logical order, cut at spaces
        display.extend((word, True) for word in reversed(words) if word)
    return display


_SPACES = re.compile(r"(\s+)")
