"""Spreadsheets as facts (SPEC §3): one row per panel member, interview columns repeated.

Rows that share company, position and date form one interview. The candidate
comes from ``candidate_*`` columns or from a separate file. List cells
(highlights, concerns, address lines) hold one item per line or items
separated by ``|``. Each interview succeeds or fails on its own, and its
problems are reported as ``file:line: field: problem``.
"""

from __future__ import annotations

import copy
import csv
import difflib
import io
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from thankyou.errors import FactsError
from thankyou.facts import Loaded, validate
from thankyou.models import Candidate, Interview, Interviewer, Recruiter, Style

_INTERVIEW = ("company", "position", "date", "location", "decision_within_days",
              "highlights", "concerns", "next_steps", "template", "country", "fit")  # fmt: skip
_LISTS = frozenset({"highlights", "concerns", "address"})
_PREFIXED: dict[str, tuple[str, ...]] = {
    "candidate": tuple(Candidate.model_fields),
    "recruiter": tuple(Recruiter.model_fields),
    "style": tuple(f for f in Style.model_fields if f != "extra_fonts"),
}
_COLUMNS = frozenset(
    [*_INTERVIEW, *Interviewer.model_fields]
    + [f"{prefix}_{field}" for prefix, fields in _PREFIXED.items() for field in fields]
)
_KEY = ("company", "position", "date")


def read(path: Path, extra: Mapping[str, Any]) -> list[Loaded]:
    """Read every interview in a spreadsheet; ``extra`` holds a candidate file's tables."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # -sig: Excel writes a BOM
    except OSError as err:
        return [
            Loaded(
                source,
                error=FactsError(f"cannot read the file: {err.strerror or err}", source=source),
            )
        ]
    except UnicodeDecodeError:
        return [
            Loaded(
                source, error=FactsError("is not UTF-8 text; save it as CSV UTF-8", source=source)
            )
        ]
    try:
        rows, bad, warnings = _rows(text, source)
    except FactsError as err:
        return [Loaded(source, error=err)]
    if not rows and not bad:
        return [
            Loaded(
                source,
                error=FactsError("has a header but no rows", source=source, line=2),
                warnings=warnings,
            )
        ]
    groups: dict[tuple[str, ...], list[_Row]] = {}
    for line, row in rows:
        groups.setdefault(tuple(row.get(k, "").strip() for k in _KEY), []).append((line, row))
    loaded = [*bad, *(one for group in groups.values() for one in _interview(path, group, extra))]
    loaded.sort(key=_first_line)
    # Header warnings belong to the file: tell them once, with its first interview.
    return [replace(loaded[0], warnings=warnings), *loaded[1:]]


_Row = tuple[int, dict[str, str]]


def _first_line(loaded: Loaded) -> int:
    return int(loaded.source.rsplit(":", 1)[1].split("-")[0])


def _rows(text: str, source: str) -> tuple[list[_Row], list[Loaded], tuple[str, ...]]:
    """Split the text into rows (with their first line) and rows too broken to read."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        raise FactsError("is empty; the first row must name the columns", source=source, line=1)
    names = [name.strip() for name in header]
    warnings = tuple(
        f"{source}:1: column {raw!r} has stray spaces; read as {name!r}"
        for raw, name in zip(header, names, strict=True) if raw != name
    )  # fmt: skip
    _check_columns(names, source)
    rows: list[_Row] = []
    bad: list[Loaded] = []
    start = reader.line_num + 1
    for cells in reader:
        if len(cells) > len(names) and any(cell.strip() for cell in cells[len(names) :]):
            message = (
                f"has {len(cells)} cells but the header names {len(names)} columns; "
                "quote cells that contain the delimiter"
            )
            bad.append(
                Loaded(f"{source}:{start}", error=FactsError(message, source=source, line=start))
            )
        elif any(cell.strip() for cell in cells):
            rows.append((start, {n: c for n, c in zip(names, cells, strict=False) if c.strip()}))
        start = reader.line_num + 1
    return rows, bad, warnings


def _delimiter(text: str) -> str:
    """The delimiter of the header row: whichever of comma, semicolon and tab it uses most.

    The header holds column names from a fixed list that contains none of them,
    so it is a surer guide than :class:`csv.Sniffer`, which counts through cells
    of prose that may be full of commas and semicolons.
    """
    header = text.split("\n", 1)[0]
    counts = {delimiter: header.count(delimiter) for delimiter in ",;\t"}
    return max(counts, key=lambda d: counts[d])  # ties (a one-column file) fall to the comma


def _check_columns(names: list[str], source: str) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise FactsError(
                f"column {name!r} appears twice; keep one", source=source, line=1, field=name
            )
        seen.add(name)
        if name not in _COLUMNS:
            close = difflib.get_close_matches(name, sorted(_COLUMNS), n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise FactsError(f"unknown column {name!r}{hint}", source=source, line=1, field=name)


def _interview(path: Path, group: list[_Row], extra: Mapping[str, Any]) -> list[Loaded]:
    """Validate one group of rows; rows whose own cells are wrong fail alone.

    When every problem lies in the panel member of some row, those rows are
    reported and the interview is validated again without them, so one bad row
    costs one letter, not the whole panel.
    """
    try:
        return [Loaded(_label(path, group), interview=_validate(path, group, extra))]
    except FactsError as err:
        error = err
    failed = _rows_at_fault(error, group)
    if not failed or len(failed) == len(group):
        return [Loaded(_label(path, group), error=_for_spreadsheet(error, path, extra))]
    bad = [
        Loaded(f"{path}:{group[i][0]}", error=_for_spreadsheet(_only(error, i), path, extra))
        for i in sorted(failed)
    ]
    return bad + _interview(path, [row for i, row in enumerate(group) if i not in failed], extra)


def _label(path: Path, group: list[_Row]) -> str:
    return f"{path}:{group[0][0]}" + (f"-{group[-1][0]}" if len(group) > 1 else "")


def _validate(path: Path, group: list[_Row], extra: Mapping[str, Any]) -> Interview:
    data: dict[str, Any] = {k: copy.deepcopy(v) for k, v in extra.items()}
    for _, row in group:  # the first non-empty value wins
        for column in _INTERVIEW:
            if column in row:
                data.setdefault(column, _cell(column, row[column]))
        for prefix in _PREFIXED:
            table = {
                col.removeprefix(prefix + "_"): _cell(col, row[col])
                for col in row
                if col.startswith(prefix + "_")
            }
            if table:
                data.setdefault(prefix, {}).update(
                    {k: v for k, v in table.items() if k not in data[prefix]}
                )
    data["panel"] = [_member(row) for _, row in group]
    lines = {"": group[0][0]} | {f"panel[{i}]": line for i, (line, _) in enumerate(group)}
    return validate(data, source=str(path), base_dir=path.parent, lines=lines)


_MEMBER = re.compile(r"^panel\[(\d+)\]\.")


def _rows_at_fault(err: FactsError, group: list[_Row]) -> set[int]:
    """Rows whose panel member carries every problem, or an empty set if any problem is shared."""
    rows = set()
    for problem in err.problems:
        match = _MEMBER.match(problem.field)
        if match is None or int(match[1]) >= len(group):
            return set()
        rows.add(int(match[1]))
    return rows


def _only(err: FactsError, index: int) -> FactsError:
    problems = tuple(p for p in err.problems if p.field.startswith(f"panel[{index}]."))
    return FactsError(problems[0].message, source=err.source, problems=problems)


def _for_spreadsheet(err: FactsError, path: Path, extra: Mapping[str, Any]) -> FactsError:
    """Name columns, not model paths: ``panel[2].email`` is the ``email`` cell of its line."""
    problems = tuple(replace(p, field=_column(p.field)) for p in err.problems)
    if "candidate" not in extra:
        hint = "add candidate_name and candidate_email columns, or pass --candidate FILE"
        problems = tuple(
            replace(p, message=f"{p.message}; {hint}") if p.field == "candidate" else p
            for p in problems
        )
    return FactsError(problems[0].message, source=str(path), problems=problems)


def _column(field: str) -> str:
    field = _MEMBER.sub("", field)
    field = re.sub(r"\[\d+\]", "", field)  # address[1] is a line of the address cell
    head, _, rest = field.partition(".")
    if head in _PREFIXED and rest:
        return f"{head}_{rest.split('.')[0]}"
    return field


def _member(row: Mapping[str, str]) -> dict[str, Any]:
    member = {k: _cell(k, v) for k, v in row.items() if k in Interviewer.model_fields}
    if "primary" in member:
        member["primary"] = member["primary"].strip().lower() in ("true", "yes", "y", "1", "x")
    return member


def _cell(column: str, value: str) -> Any:
    name = (
        column.split("_", 1)[1] if column.startswith(tuple(p + "_" for p in _PREFIXED)) else column
    )
    if name in _LISTS:
        items = [item.strip() for line in value.splitlines() for item in line.split("|")]
        return [item for item in items if item]
    if name == "decision_within_days":
        return int(value) if value.strip().isdigit() else value
    if name == "letterhead" and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return value
