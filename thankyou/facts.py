"""load(): facts files (TOML, JSON, YAML, CSV) in, validated :class:`Interview` out.

Every parser and validation error is translated here into a
:class:`~thankyou.errors.FactsError` that names the file, the field path in
SPEC form (``panel[1].emial``) and what to do, with every problem of a file
reported at once.
"""

from __future__ import annotations

import difflib
import json
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic

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
        text = path.read_text(encoding="utf-8-sig")
    except OSError as err:
        raise FactsError(f"cannot read the file: {err.strerror}", source=source) from err
    except UnicodeDecodeError as err:
        raise FactsError("is not UTF-8 text; save it as UTF-8", source=source) from err
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
            return json.loads(text)
        if suffix in (".yaml", ".yml"):
            return yaml.safe_load(text)
    except tomllib.TOMLDecodeError as err:
        raise FactsError(f"invalid TOML: {err}", source=source, line=_toml_line(err)) from err
    except json.JSONDecodeError as err:
        raise FactsError(f"invalid JSON: {err.msg}", source=source, line=err.lineno) from err
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(err, "problem", None) or str(err)
        raise FactsError(f"invalid YAML: {problem}", source=source, line=line) from err
    except RecursionError:  # "[[[[..." thousands deep: the parsers recurse per level
        raise FactsError("is nested too deeply to be a facts file", source=source) from None
    raise FactsError(f"unknown kind of facts file {suffix!r}", source=source)


def _toml_line(err: tomllib.TOMLDecodeError) -> int | None:
    # tomllib puts "(at line 3, column 7)" at the end of its message.
    text = str(err)
    marker = "(at line "
    if marker not in text:
        return None
    return int(text.split(marker, 1)[1].split(",", 1)[0])


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
    try:
        return Interview.model_validate(data, context={"base_dir": base_dir})
    except pydantic.ValidationError as err:
        problems = tuple(field_problem(e, lines or {}) for e in err.errors())
        raise FactsError(problems[0].message, source=source, problems=problems) from None


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
        return "is required"
    if kind == "extra_forbidden":
        return _unknown_key(loc)
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind in (
        "missing_contact",
        "bad_email",
        "text_type",
        "path_missing",
        "bad_date",
        "two_primaries",
        "unknown_raiser",
    ):
        return message
    message = message[:1].lower() + message[1:]
    if "input" in error and not isinstance(error["input"], dict | list):
        message += f" (got {_shorten(repr(error['input']))})"
    return message


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
