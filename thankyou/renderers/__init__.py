"""Renderers: a :class:`~thankyou.Letter` in, the bytes of one format out.

Each format lives in its own module exposing ``render(letter, style, **options)
-> bytes``. Modules are imported on first use, so ``import thankyou`` never
loads reportlab or python-docx (SPEC §4, §11).
"""

from __future__ import annotations

import importlib
from typing import Any, Literal, Protocol, get_args

from thankyou.errors import RenderError
from thankyou.letter import Letter
from thankyou.models import Style

__all__ = ["FORMATS", "Format", "Renderer", "render"]

Format = Literal["text", "email", "pdf", "docx", "envelope"]

#: Format name -> module that renders it.
_MODULES: dict[str, str] = {
    "text": "thankyou.renderers.text",
    "email": "thankyou.renderers.eml",
    "pdf": "thankyou.renderers.pdf",
    "docx": "thankyou.renderers.docx",
    "envelope": "thankyou.renderers.envelope",
}
FORMATS: tuple[str, ...] = get_args(Format)

#: File name extension for each format.
EXTENSIONS: dict[str, str] = {
    "text": "txt", "email": "eml", "pdf": "pdf", "docx": "docx", "envelope": "pdf",
}  # fmt: skip


class Renderer(Protocol):
    """The shape every renderer module's ``render`` function has."""

    def __call__(self, letter: Letter, style: Style, /, **options: Any) -> bytes:
        """Return the letter in one format."""
        ...


_loaded: dict[str, Renderer] = {}


def renderer_for(fmt: str) -> Renderer:
    """Return the render function for ``fmt``, importing its module on first use.

    Raises:
        ValueError: for a format name that does not exist.
    """
    try:
        return _loaded[fmt]
    except KeyError:
        pass
    if fmt not in _MODULES:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(sorted(_MODULES))}")
    module = importlib.import_module(_MODULES[fmt])
    _loaded[fmt] = module.render
    return _loaded[fmt]


def render(letter: Letter, fmt: str, *, style: Style | None = None, **options: Any) -> bytes:
    """Render one letter to the bytes of one format, touching no file.

    Args:
        letter: A letter from :func:`thankyou.compose`.
        fmt: ``"pdf"``, ``"docx"``, ``"email"``, ``"text"``, or ``"envelope"`` (the
            envelope of a letter that goes by post or by hand, a PDF).
        style: Paper, font and layout; defaults to the style the letter carries
            from its facts file.
        **options: Format options: ``invariant=True`` (pdf, docx, envelope) for
            byte-reproducible output; ``smtputf8=True`` (email) to allow a
            non-ASCII local part in an address.

    Returns:
        The document as bytes (UTF-8 for text, CRLF-terminated RFC 5322 for email).

    Raises:
        RenderError: when the letter cannot be produced in that format.
        ValueError: for an unknown format name (a programming error).
    """
    renderer = renderer_for(fmt)
    try:
        return renderer(letter, style or letter.style, **options)
    except RenderError:
        raise
    except (UnicodeError, OSError) as err:  # the last guard: never a foreign type for bad input
        raise RenderError(str(err), format=fmt, recipient=letter.recipient.name) from err
