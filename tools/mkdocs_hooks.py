"""MkDocs hooks: pages generated from the code, so they cannot drift from it.

``<!-- facts-reference -->`` in a page becomes the reference of the facts file, one table
per section, read from the pydantic models in :mod:`thankyou.models`: field names, types,
defaults and the docstring under each field.
"""

from __future__ import annotations

import datetime as dt
import enum
import inspect
import re
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

MARKER = "<!-- facts-reference -->"


def _sections() -> list[tuple[str, type[BaseModel]]]:
    from thankyou import models

    found = [
        ("Top level", models.Interview),
        ("[candidate]", models.Candidate),
        ("[[panel]]", models.Interviewer),
        ("[recruiter]", models.Recruiter),
        ("[[references]]", models.Reference),
        ("[style]", models.Style),
    ]
    concern = getattr(models, "Concern", None)
    if concern is not None:
        found.insert(1, ("concerns = [{ … }]", concern))
    return found


def _type_name(annotation: Any) -> str:
    """A type as a person reads it: text, a whole number, a list of text."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _type_name(args[0])
    if origin in (typing.Union, types.UnionType):
        names = [_type_name(a) for a in args if a is not type(None)]
        return " or ".join(dict.fromkeys(names))
    if origin is list:
        return f"list of {_type_name(args[0])}" if args else "list"
    if origin is typing.Literal:
        return " \\| ".join(f'`"{a}"`' for a in args)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return " \\| ".join(f'`"{m.value}"`' for m in annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "table"
    return {
        str: "text",
        Path: "file path",
        dt.datetime: "date-time",
        dt.date: "date",
        int: "whole number",
        bool: "true/false",
        float: "number",
    }.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _default(info: FieldInfo) -> str:
    if info.is_required():
        return "**required**"
    default = info.get_default(call_default_factory=True)
    if default in (None, [], ()):
        return "optional"
    if isinstance(default, BaseModel):
        return "optional"
    if isinstance(default, enum.Enum):
        default = default.value
    if isinstance(default, bool):
        return f"`{str(default).lower()}`"
    return f'`"{default}"`' if isinstance(default, str) else f"`{default}`"


def _cell(text: str | None) -> str:
    return " ".join((text or "").replace("``", "`").split()).replace("|", "\\|")


def _field_comments(model: type[BaseModel]) -> dict[str, str]:
    """The ``#:`` comment above each field in the model's source (the Sphinx convention)."""
    comments: dict[str, str] = {}
    pending: list[str] = []
    for line in inspect.getsource(model).splitlines():
        stripped = line.strip()
        if stripped.startswith("#:"):
            pending.append(stripped[2:].strip())
        elif match := re.match(r"(\w+)\s*:", stripped):
            if pending:
                comments[match[1]] = " ".join(pending)
            pending = []
        else:
            pending = []
    return comments


def facts_reference() -> str:
    """The facts reference as Markdown, one table per section of the facts file."""
    out: list[str] = []
    for title, model in _sections():
        out += [f"### {title}", "", _cell(model.__doc__), ""]
        out += ["| field | type | | what it is |", "|---|---|---|---|"]
        comments = _field_comments(model)
        for name, info in model.model_fields.items():
            key = info.alias or name  # the key as the facts file spells it
            said = info.description or comments.get(name, "")
            row = (key, _type_name(info.annotation), _default(info), _cell(said))
            out.append("| `{}` | {} | {} | {} |".format(*row))
        out.append("")
    return "\n".join(out)


def on_page_markdown(markdown: str, **_: Any) -> str:
    """Fill the generated sections of a page."""
    if MARKER in markdown:
        markdown = markdown.replace(MARKER, facts_reference())
    return markdown
