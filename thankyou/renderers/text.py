"""Plain text: the letter as :attr:`Letter.text`, UTF-8 encoded.

An email letter's ``.txt`` is the ``text/plain`` part of its ``.eml``, so it carries
the same lines under the signature (the candidate's phone and address).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from thankyou.letter import Letter
from thankyou.models import Delivery, Style


def render(letter: Letter, style: Style, /, **options: Any) -> bytes:
    """Return the letter as UTF-8 plain text (``style`` changes only the date line's order)."""
    if style != letter.style:
        letter = dataclasses.replace(letter, style=style)
    if letter.delivery is Delivery.email:
        from thankyou.renderers.eml import plain_text

        return plain_text(letter).encode("utf-8")
    return letter.text.encode("utf-8")
