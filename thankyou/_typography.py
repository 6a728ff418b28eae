"""Typographic quotes and apostrophes in a template's own prose.

A letter set with straight quotes (``I'm``, ``"streaming"``) reads as typed
into a form; typesetters use ’ “ ”. :class:`SmartQuotes` is a Jinja2
extension that passes the literal text of every template through
``smartypants`` (quotes only, as Unicode characters) when the template is
compiled, so it costs nothing per letter. Values the template prints (names,
the personal paragraph, highlights) are never touched: a name is printed
exactly as the user typed it (``O'Neill`` stays ``O'Neill``).

smartypants decides between ‘ and ’ from the characters around a quote. A
piece of template text next to a printed value (``{{ name }}'s``) is
converted with a stand-in letter where the value will be, so the apostrophe
is read as following a word.
"""

from __future__ import annotations

from collections.abc import Iterator

import jinja2.ext
from jinja2.lexer import Token, TokenStream

__all__ = ["SmartQuotes", "smart_quotes"]

#: Stands in for a printed value next to template text (a letter: "x's" reads as a word's).
_VALUE = "x"


def smart_quotes(text: str, *, after_value: bool = False, before_value: bool = False) -> str:
    """``text`` with typographic quotes and apostrophes; nothing else changes.

    Args:
        text: Literal template text.
        after_value: A printed value stands right before ``text``.
        before_value: A printed value follows right after ``text``.
    """
    if "'" not in text and '"' not in text:
        return text
    import smartypants  # a runtime dependency, imported when a template is first compiled

    # smartypants reads backslash escapes and HTML tags; keep both literal.
    guarded = text.replace("\\", "\ue000").replace("<", "\ue001")
    prefix, suffix = (_VALUE if after_value else ""), (_VALUE if before_value else "")
    done = smartypants.smartypants(
        prefix + guarded + suffix, smartypants.Attr.q | smartypants.Attr.u
    )
    done = done[len(prefix) : len(done) - len(suffix)]
    return str(done).replace("\ue000", "\\").replace("\ue001", "<")


class SmartQuotes(jinja2.ext.Extension):
    """Jinja2 extension: typographic quotes in templates' literal text (see module docs)."""

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        """Rewrite each ``data`` token; everything else passes through unchanged."""
        previous: Token | None = None
        pending: Token | None = None
        for token in stream:
            if pending is not None:
                yield self._convert(pending, previous, token)
                previous, pending = pending, None
            if token.type == "data":
                pending = token
                continue
            yield token
            previous = token
        if pending is not None:
            yield self._convert(pending, previous, None)

    @staticmethod
    def _convert(token: Token, previous: Token | None, following: Token | None) -> Token:
        text = smart_quotes(
            token.value,
            after_value=previous is not None and previous.type == "variable_end",
            before_value=following is not None and following.type == "variable_begin",
        )
        return Token(token.lineno, token.type, text)
