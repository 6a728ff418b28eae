"""Plain text: the letter as :attr:`Letter.text`, UTF-8 encoded."""

from __future__ import annotations

from typing import Any

from thankyou.letter import Letter
from thankyou.models import Style


def render(letter: Letter, style: Style, /, **options: Any) -> bytes:
    """Return the letter as UTF-8 plain text (``style`` changes only the date order)."""
    if style != letter.style:
        letter = _restyled(letter, style)
    return letter.text.encode("utf-8")


def _restyled(letter: Letter, style: Style) -> Letter:
    from dataclasses import replace

    return replace(letter, style=style)
