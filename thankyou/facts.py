"""load(): facts files (TOML, JSON, YAML, CSV) in, validated :class:`Interview` out.

Every parser and validation error is translated here into a
:class:`~thankyou.errors.FactsError` that names the file, the field path in
SPEC form (``panel[1].emial``) and what to do, with every problem of a file
reported at once.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic

from thankyou import _parsers
from thankyou.errors import FactsError, FieldProblem
from thankyou.models import (
    Candidate,
    Concern,
    Interview,
    Interviewer,
    Recruiter,
    Reference,
    Style,
)

__all__ = [
    "FACTS_SUFFIXES",
    "Loaded",
    "field_problem",
    "find_facts",
    "load",
    "load_many",
    "parse",
    "person_path",
    "validate",
]

FACTS_SUFFIXES = (".toml", ".json", ".yaml", ".yml", ".csv")

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


def load(path: str | Path) -> Interview:
    """Read one interview from a TOML, JSON, YAML or single-interview CSV file.

    Relative paths inside the file (letterhead, signature, fonts) are resolved
    against the file's folder.

    Raises:
        FactsError: the file cannot be read or parsed, or breaks a rule; the
            error lists every problem found.
    """
    path = _checked_path(path)
    if path.suffix.lower() == ".csv":
        loaded = load_many(path)
        if len(loaded) != 1:
            raise FactsError(
                f"holds {len(loaded)} interviews; use thankyou.facts.load_many()", source=str(path)
            )
        if loaded[0].error is not None:
            raise loaded[0].error
        assert loaded[0].interview is not None
        return loaded[0].interview
    return validate(parse(path), source=str(path), base_dir=path.parent)


def load_many(path: str | Path, *, candidate: str | Path | None = None) -> list[Loaded]:
    """Read every interview in one file, each succeeding or failing on its own.

    A TOML, JSON or YAML file holds one interview; a CSV file one per group of
    rows that share company, position and date.

    Args:
        path: The facts file.
        candidate: A TOML/JSON/YAML file with the candidate (and optionally the
            style) for spreadsheets without ``candidate_*`` columns.
    """
    path = _checked_path(path)
    if path.suffix.lower() == ".csv":
        from thankyou import _csv  # the spreadsheet reader is only needed for spreadsheets

        extra = _candidate_file(candidate) if candidate is not None else {}
        return _csv.read(path, extra)
    try:
        return [Loaded(str(path), interview=load(path))]
    except FactsError as err:
        return [Loaded(str(path), error=err)]


def _checked_path(path: str | Path) -> Path:
    # open() raises ValueError, not OSError, for a name with a NUL in it.
    if "\x00" in str(path):
        raise FactsError(
            "is not a usable file name: it contains a null character", source=repr(str(path))
        )
    return Path(path)


def find_facts(paths: Sequence[str | Path]) -> Iterator[Path]:
    """Yield facts files from files and folders (folders searched recursively, sorted).

    Raises:
        FactsError: a path does not exist, or is a file of an unknown kind.
    """
    for given in map(Path, paths):
        if given.is_dir():
            yield from sorted(
                p for p in given.rglob("*")
                if p.suffix.lower() in FACTS_SUFFIXES and p.is_file()
                and not p.name.startswith(".") and not p.name.endswith(".sent.jsonl")
            )  # fmt: skip
        elif given.is_file():
            if given.suffix.lower() not in FACTS_SUFFIXES:
                raise FactsError(
                    f"is not a facts file; use one of {', '.join(FACTS_SUFFIXES)}",
                    source=str(given),
                )
            yield given
        else:
            raise FactsError("no such file or folder", source=str(given))


# --- parsing ----------------------------------------------------------------------------------


def parse(path: Path) -> dict[str, Any]:
    """Parse a TOML, JSON or YAML file into a dict, with the line of any syntax error.

    Raises:
        FactsError: the file is unreadable, malformed, or not a table at the top.
    """
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise FactsError(f"cannot read the file: {err.strerror}", source=source) from err
    try:
        text = _parsers.decode(raw)
    except _parsers.ParseProblem as err:
        raise FactsError(err.message, source=source, line=err.line) from None
    data = _parse_text(text, path.suffix.lower(), source)
    if not isinstance(data, dict):
        raise FactsError(
            "must hold a table of fields (company, position, ...) at the top", source=source
        )
    return data


def _parse_text(text: str, suffix: str, source: str) -> Any:
    import yaml  # only YAML files pay for PyYAML

    try:
        if suffix == ".toml":
            return tomllib.loads(text)
        if suffix == ".json":
            return _parsers.parse_json(text)
        if suffix in (".yaml", ".yml"):
            return _parsers.parse_yaml(text)
    except tomllib.TOMLDecodeError as err:
        line = _toml_line(err)
        message = f"invalid TOML: {err}{_toml_hint(text, line)}"
        raise FactsError(message, source=source, line=line) from err
    except json.JSONDecodeError as err:
        raise FactsError(f"invalid JSON: {err.msg}", source=source, line=err.lineno) from err
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(err, "problem", None) or str(err)
        raise FactsError(f"invalid YAML: {problem}", source=source, line=line) from err
    except RecursionError:  # "[[[[..." thousands deep: the parsers recurse per level
        raise FactsError("is nested too deeply to be a facts file", source=source) from None
    except _parsers.ParseProblem as err:
        kind = suffix.lstrip(".").upper().replace("YML", "YAML")
        raise FactsError(f"invalid {kind}: {err.message}", source=source, line=err.line) from None
    except ValueError as err:  # tomllib: an integer of more than 4,300 digits
        raise FactsError(f"invalid TOML: {err}".split(";")[0], source=source) from None
    raise FactsError(f"unknown kind of facts file {suffix!r}", source=source)


def _toml_line(err: tomllib.TOMLDecodeError) -> int | None:
    # tomllib puts "(at line 3, column 7)" at the end of its message.
    text = str(err)
    marker = "(at line "
    if marker not in text:
        return None
    return int(text.split(marker, 1)[1].split(",", 1)[0])


_CURLY_QUOTES = frozenset("“”„‟‘’‚‛«»")
_UNPADDED_DATE = re.compile(r"=\s*(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_BARE_TEXT = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*=\s*([^\s\"'\[{\d+\-].*)$")


def _toml_hint(text: str, line: int | None) -> str:
    """What usually causes a TOML syntax error on this line, as advice; else ""."""
    lines = text.splitlines()
    if line is None or not 0 < line <= len(lines):
        return ""
    source = lines[line - 1]
    if any(c in _CURLY_QUOTES for c in source):
        return (
            "; the line has curly quotes (“ ” or ‘ ’), as word processors write them: "
            'use straight double quotes " instead'
        )
    if (date := _UNPADDED_DATE.search(source)) and (len(date[2]) < 2 or len(date[3]) < 2):
        padded = f"{date[1]}-{int(date[2]):02d}-{int(date[3]):02d}"
        return f"; write dates with two-digit months and days: {padded}"
    bare = _BARE_TEXT.match(source)
    if bare and bare[2].strip() not in ("true", "false", "inf", "nan"):
        return f'; put text in double quotes: {bare[1]} = "{bare[2].strip()}"'
    return ""


def _candidate_file(path: str | Path) -> dict[str, Any]:
    data = parse(Path(path))
    if "candidate" not in data:
        data = {"candidate": data}
    unknown = set(data) - {"candidate", "style"}
    if unknown:
        raise FactsError(
            "a candidate file holds [candidate] and [style] only, "
            f"not {', '.join(sorted(unknown))}",
            source=str(path),
        )
    return data


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
    found = [FieldProblem(field_path(loc), msg) for loc, msg in _parsers.bad_text(data)]
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
    """Turn one pydantic error into a problem with a SPEC field path and a plain message."""
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
        elif model is not None and part in model.model_fields:
            kept.append(part)
            model = _SUBMODELS.get(part)
        elif unknown_key and index == len(loc) - 1:
            kept.append(part)
    return tuple(kept)


def field_path(loc: Sequence[str | int]) -> str:
    """Format a location as SPEC writes it: ``panel[1].emial``."""
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
    close = difflib.get_close_matches(key, list(model.model_fields), n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown field {key!r}{hint}"
