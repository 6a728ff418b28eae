"""Plain text: the letter as :attr:`Letter.text`, UTF-8 encoded."""

from __future__ import annotations

import dataclasses
from typing import Any

from thankyou.letter import Letter
from thankyou.models import Style


def render(letter: Letter, style: Style, /, **options: Any) -> bytes:
    """Return the letter as UTF-8 plain text (``style`` changes only the date line's order)."""
    if style != letter.style:
        letter = dataclasses.replace(letter, style=style)
    return letter.text.encode("utf-8")
