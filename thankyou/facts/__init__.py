"""Facts files (TOML, JSON, YAML, CSV) in, validated :class:`Interview` out.

The package's parts, each with one job:

* this module: :func:`load`, :func:`load_many` and :func:`find_facts`;
* :mod:`thankyou.facts._parse`: bytes to a plain mapping, with the line of any
  syntax error;
* :mod:`thankyou.facts._validate`: a mapping to an :class:`Interview`, every
  validation error turned into a :class:`~thankyou.errors.FieldProblem` that
  names the field (``panel[1].emial``) and the person it is about;
* :mod:`thankyou.facts._csv`: spreadsheets, one interview per group of rows.

Every problem of a file is reported at once, in a
:class:`~thankyou.errors.FactsError` that names the file (see docs/facts.md).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from thankyou.errors import FactsError
from thankyou.facts._parse import parse
from thankyou.facts._validate import (
    EMPTY,
    Loaded,
    field_path,
    field_problem,
    person_path,
    validate,
)
from thankyou.models import Interview

__all__ = [
    "EMPTY",
    "FACTS_SUFFIXES",
    "Loaded",
    "field_path",
    "field_problem",
    "find_facts",
    "load",
    "load_many",
    "parse",
    "person_path",
    "validate",
]

FACTS_SUFFIXES = (".toml", ".json", ".yaml", ".yml", ".csv")


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
        from thankyou.facts import _csv  # the spreadsheet reader is only needed for spreadsheets

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
