"""Spreadsheets as facts (SPEC §3): one row per panel member, interview columns repeated.

Rows that share company, position and date form one interview. The candidate
comes from ``candidate_*`` columns or from a separate file. List cells
(highlights, concerns, address lines) hold one item per line or items
separated by ``|``. Each interview succeeds or fails on its own, and its
problems are reported as ``file:line: field: problem``.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from thankyou.errors import FactsError
from thankyou.facts import Loaded, validate
from thankyou.models import Candidate, Interviewer, Recruiter, Style

_INTERVIEW = ("company", "position", "date", "location", "decision_within_days",
              "highlights", "concerns", "next_steps", "template")  # fmt: skip
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
    except (OSError, UnicodeDecodeError) as err:
        return [Loaded(source, error=FactsError(f"cannot read the file as UTF-8 text: {err}", source=source))]
    try:
        rows, warnings = _rows(text, source)
    except FactsError as err:
        return [Loaded(source, error=err)]
    groups: dict[tuple[str, ...], list[tuple[int, dict[str, str]]]] = {}
    for line, row in rows:
        groups.setdefault(tuple(row.get(k, "") for k in _KEY), []).append((line, row))
    return [_interview(path, group, extra, warnings) for group in groups.values()]


def _rows(text: str, source: str) -> tuple[list[tuple[int, dict[str, str]]], tuple[str, ...]]:
    reader = csv.reader(io.StringIO(text, newline=""), dialect=_dialect(text))
    header = next(reader, None)
    if not header:
        raise FactsError("is empty; the first row must name the columns", source=source, line=1)
    names = [name.strip() for name in header]
    warnings = tuple(
        f"{source}:1: column {raw!r} has stray spaces; read as {name!r}"
        for raw, name in zip(header, names, strict=True) if raw != name
    )  # fmt: skip
    _check_columns(names, source)
    rows, start = [], reader.line_num + 1
    for cells in reader:
        if any(cell.strip() for cell in cells):
            if len(cells) > len(names):
                raise FactsError(f"has {len(cells)} cells but the header names {len(names)} columns", source=source, line=start)
            rows.append((start, {n: c for n, c in zip(names, cells, strict=False) if c.strip()}))
        start = reader.line_num + 1
    return rows, warnings


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _check_columns(names: list[str], source: str) -> None:
    for name in names:
        if name not in _COLUMNS:
            close = difflib.get_close_matches(name, sorted(_COLUMNS), n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise FactsError(f"unknown column {name!r}{hint}", source=source, line=1, field=name)


def _interview(
    path: Path,
    group: list[tuple[int, dict[str, str]]],
    extra: Mapping[str, Any],
    warnings: tuple[str, ...],
) -> Loaded:
    first_line = group[0][0]
    label = f"{path}:{first_line}" + (f"-{group[-1][0]}" if len(group) > 1 else "")
    data: dict[str, Any] = {k: v for k, v in extra.items()}
    for line, row in group:  # the first non-empty value wins
        for column in _INTERVIEW:
            if column in row:
                data.setdefault(column, _cell(column, row[column]))
        for prefix in _PREFIXED:
            table = {col.removeprefix(prefix + "_"): _cell(col, row[col]) for col in row if col.startswith(prefix + "_")}
            if table:
                data.setdefault(prefix, {}).update({k: v for k, v in table.items() if k not in data[prefix]})
    data["panel"] = [_member(row) for _, row in group]
    lines = {"": first_line} | {f"panel[{i}]": line for i, (line, _) in enumerate(group)}
    try:
        interview = validate(data, source=str(path), base_dir=path.parent, lines=lines)
    except FactsError as err:
        if "candidate" not in data:
            err = _with_candidate_hint(err)
        return Loaded(label, error=err, warnings=warnings)
    return Loaded(label, interview=interview, warnings=warnings)


def _member(row: Mapping[str, str]) -> dict[str, Any]:
    member = {k: _cell(k, v) for k, v in row.items() if k in Interviewer.model_fields}
    if "primary" in member:
        member["primary"] = member["primary"].strip().lower() in ("true", "yes", "y", "1", "x")
    return member


def _cell(column: str, value: str) -> Any:
    name = column.split("_", 1)[1] if column.startswith(tuple(p + "_" for p in _PREFIXED)) else column
    if name in _LISTS:
        items = [item.strip() for line in value.splitlines() for item in line.split("|")]
        return [item for item in items if item]
    if name == "decision_within_days":
        return int(value) if value.strip().isdigit() else value
    if name == "letterhead" and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return value


def _with_candidate_hint(err: FactsError) -> FactsError:
    hint = "add candidate_name and candidate_email columns, or pass --candidate FILE"
    problems = tuple(
        type(p)(p.field, f"{p.message}; {hint}", p.line) if p.field == "candidate" else p
        for p in err.problems
    )
    return FactsError(problems[0].message, source=err.source, problems=problems)
