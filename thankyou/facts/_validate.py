"""Validation: a parsed mapping in, an :class:`Interview` or a :class:`FactsError` out.

Every pydantic error is translated into a :class:`~thankyou.errors.FieldProblem`
with the field path as docs/facts.md writes it (``panel[1].emial``), the person
it is about and what to do, with every problem of a file reported at once.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic

from thankyou.errors import FactsError, FieldProblem
from thankyou.facts._parse import bad_text
from thankyou.models import (
    Candidate,
    Concern,
    Interview,
    Interviewer,
    Recruiter,
    Reference,
    Style,
)

#: Which model a nested table holds, for did-you-mean hints on unknown keys.
_SUBMODELS: dict[str, type[pydantic.BaseModel]] = {
    "candidate": Candidate,
    "concerns": Concern,
    "panel": Interviewer,
    "recruiter": Recruiter,
    "references": Reference,
    "style": Style,
}


@dataclass(frozen=True)
class Loaded:
    """One interview read from a file: the facts, or the error that stopped them."""

    #: Where it came from: ``interview.toml``, or ``panel.csv:2-4`` for rows of a spreadsheet.
    source: str
    interview: Interview | None = None
    error: FactsError | None = None
    #: Things worth telling the user that did not stop the interview.
    warnings: tuple[str, ...] = ()


# --- validation -------------------------------------------------------------------------------


def validate(
    data: Mapping[str, Any],
    *,
    source: str | None = None,
    base_dir: Path | None = None,
    lines: Mapping[str, int] | None = None,
) -> Interview:
    """Validate parsed facts into an :class:`Interview`.

    Args:
        data: The parsed file.
        source: The file name for messages.
        base_dir: Folder that relative paths in ``[style]`` are resolved against.
        lines: Source line per field path prefix (``panel[1]``), for spreadsheets.

    Raises:
        FactsError: listing every problem, each with its field path.
    """
    if not data:
        raise FactsError(EMPTY, source=source)
    _refuse_bad_text(data, source)
    try:
        return Interview.model_validate(data, context={"base_dir": base_dir})
    except pydantic.ValidationError as err:
        problems = tuple(
            _naming_the_person(field_problem(e, lines or {}), data) for e in err.errors()
        )
        raise FactsError(problems[0].message, source=source, problems=problems) from None


def _refuse_bad_text(data: Mapping[str, Any], source: str | None) -> None:
    """Refuse lone surrogates up front: no letter, message or error could carry them."""
    found = [FieldProblem(field_path(loc), msg) for loc, msg in bad_text(data)]
    if found:
        raise FactsError(found[0].message, source=source, problems=tuple(found))


#: The one problem of a file with no facts in it, instead of five "is required".
EMPTY = "holds no facts; run `thankyou new` for a commented file to fill in"


def person_path(field: str, data: Mapping[str, Any] | Interview) -> str:
    """A field path with the person it is about: ``panel[2] (Tomás O'Neill).emial``.

    Args:
        field: A path such as ``panel[2].emial``.
        data: The parsed file or the interview, where the names are.
    """
    if isinstance(data, Interview):
        data = {
            "panel": [{"name": m.name} for m in data.panel],
            "references": [{"name": r.name} for r in data.references],
        }
    return _naming_the_person(FieldProblem(field, ""), data).where


def _naming_the_person(problem: FieldProblem, data: Mapping[str, Any]) -> FieldProblem:
    """Name the person a ``panel[1]`` or ``references[0]`` path is about, when the file says."""
    match = re.match(r"(panel|references)\[(\d+)\]", problem.field)
    if match is None:
        return problem
    entries = data.get(match[1])
    index = int(match[2])
    if not isinstance(entries, list) or index >= len(entries):
        return problem
    name = entries[index].get("name") if isinstance(entries[index], dict) else None
    if not isinstance(name, str) or not name.strip():
        return problem
    return dataclasses.replace(problem, who=_shorten(name.strip(), 40))


def field_problem(error: Any, lines: Mapping[str, int]) -> FieldProblem:
    """Turn one pydantic error into a problem with a field path and a plain message."""
    loc = _clean_loc(error["loc"], unknown_key=error["type"] == "extra_forbidden")
    ctx = error.get("ctx") or {}
    if "field" in ctx:
        loc = (*loc, ctx["field"])
    path = field_path(loc)
    line = lines.get(path.split(".")[0]) or lines.get("")
    return FieldProblem(path, _message(error, loc), line)


def _clean_loc(loc: Sequence[Any], *, unknown_key: bool) -> tuple[str | int, ...]:
    """Walk the location through the models, dropping what pydantic adds for unions."""
    kept: list[str | int] = []
    model: type[pydantic.BaseModel] | None = Interview
    for index, part in enumerate(loc):
        if isinstance(part, int):
            kept.append(part)
        elif model is not None and part in _keys(model):
            kept.append(part)
            model = _SUBMODELS.get(part)
        elif unknown_key and index == len(loc) - 1:
            kept.append(part)
    return tuple(kept)


def _keys(model: type[pydantic.BaseModel]) -> list[str]:
    """The keys a facts file uses for a model's fields: a field's alias, else its name."""
    return [info.alias or name for name, info in model.model_fields.items()]


def field_path(loc: Sequence[str | int]) -> str:
    """Format a location as docs/facts.md writes it: ``panel[1].emial``."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def _message(error: Any, loc: Sequence[str | int]) -> str:
    kind = error["type"]
    if kind == "missing":
        return "is required" + _REQUIRED_HINTS.get(field_path(loc), "")
    if kind == "extra_forbidden":
        return _unknown_key(loc)
    if (plain := _plain_message(error, loc)) is not None:
        return plain
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind in (
        "missing_contact",
        "bad_email",
        "text_type",
        "path_missing",
        "bad_date",
        "two_primaries",
        "unknown_raiser",
        "bad_country",
    ):
        return message
    message = message[:1].lower() + message[1:]
    if "input" in error and not isinstance(error["input"], dict | list):
        message += f" (got {_shorten(repr(error['input']))})"
    return message


#: What to add when a table is missing altogether.
_REQUIRED_HINTS = {
    "candidate": ": add a [candidate] table with your name and email",
    "panel": ": add a [[panel]] table for each interviewer, with their name and email",
}
#: The tables that hold one entry per person, as TOML writes them.
_ARRAYS = {"panel": "interviewer", "references": "reference"}


def _plain_message(error: Any, loc: Sequence[str | int]) -> str | None:
    """Say what to do for the mistakes people make by hand, instead of pydantic's wording."""
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    name = str(loc[-1]) if loc else ""
    got = f" (got {_shorten(repr(value))})" if not isinstance(value, dict | list) else ""
    if kind == "list_type" and name in _ARRAYS and isinstance(value, dict):
        return (
            f"is a single table; write [[{name}]] with two brackets, one table per "
            f"{_ARRAYS[name]} (in JSON or YAML: a list)"
        )
    if kind == "list_type":
        return f'must be a list, e.g. {name} = ["first", "second"]{got}'
    if kind == "too_short" and name in _ARRAYS:
        return f"is empty; add a [[{name}]] table for each {_ARRAYS[name]}"
    if kind == "too_long":
        return f"has {ctx['actual_length']} entries; keep at most {ctx['max_length']}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"must be a whole number written in digits, e.g. {name} = 5{got}"
    if kind in ("bool_parsing", "bool_type"):
        return f"must be true or false, without quotes{got}"
    if kind in ("enum", "literal_error"):
        return _choice(str(ctx.get("expected", "")), value)
    if kind in ("model_type", "dict_type"):
        return f"must be a table, e.g. [{name}] with its fields on the lines below{got}"
    if kind in ("less_than_equal", "greater_than_equal"):
        return f"must be between 0 and {ctx.get('le', 365)}{got}"
    return None


def _choice(expected: str, value: Any) -> str:
    """``must be one of 'email', 'post', 'hand' (got 'mail'; did you mean 'email'?)``."""
    options = [part.strip(" '") for part in expected.replace(" or ", ", ").split(",")]
    close = difflib.get_close_matches(str(value).lower(), options, n=1, cutoff=0.5)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    listed = ", ".join(repr(option) for option in options)
    return f"must be one of {listed} (got {_shorten(repr(value))}{hint})"


def _shorten(text: str, limit: int = 60) -> str:
    """Keep an echoed value readable: a 20,000-character paragraph is not repeated back."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _unknown_key(loc: Sequence[str | int]) -> str:
    key = str(loc[-1])
    parent = next((p for p in reversed(loc[:-1]) if isinstance(p, str)), None)
    model = _SUBMODELS.get(parent, Interview) if parent else Interview
    close = difflib.get_close_matches(key, _keys(model), n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown field {key!r}{hint}"
