"""Spreadsheets as facts (docs/facts.md): one row per panel member, interview columns repeated.

Rows that share company, position and date form one interview. The candidate
comes from ``candidate_*`` columns or from a separate file. List cells
(highlights, concerns, address lines) hold one item per line or items
separated by ``|``. Each interview succeeds or fails on its own, and its
problems are reported as ``file:line: field: problem``.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import difflib
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from thankyou.errors import FactsError, FieldProblem
from thankyou.facts import _parse
from thankyou.facts._validate import Loaded, validate
from thankyou.models import Candidate, Interview, Interviewer, Recruiter, Style

_INTERVIEW = ("company", "position", "date", "location", "decision_within_days",
              "highlights", "concerns", "next_steps", "template", "country", "fit")  # fmt: skip
_LISTS = frozenset({"highlights", "concerns", "address"})
_PREFIXED: dict[str, tuple[str, ...]] = {
    "candidate": tuple(Candidate.model_fields),
    "recruiter": tuple(Recruiter.model_fields),
    "style": tuple(  # the facts keys: style_signature, not the attribute signature_image
        info.alias or f for f, info in Style.model_fields.items() if f != "extra_fonts"
    ),
}
_COLUMNS = frozenset(
    [*_INTERVIEW, *Interviewer.model_fields]
    + [f"{prefix}_{field}" for prefix, fields in _PREFIXED.items() for field in fields]
)
_KEY = ("company", "position", "date")
#: Each column without its underscores, for headers written with other separators or none.
_SQUASHED = {column.replace("_", ""): column for column in _COLUMNS}


def read(path: Path, extra: Mapping[str, Any]) -> list[Loaded]:
    """Read every interview in a spreadsheet; ``extra`` holds a candidate file's tables."""
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        return [
            Loaded(
                source,
                error=FactsError(f"cannot read the file: {err.strerror or err}", source=source),
            )
        ]
    try:
        text = _parse.decode(raw, save_as="CSV UTF-8")  # Excel writes a BOM; it is dropped
    except _parse.ParseProblem as err:
        return [Loaded(source, error=FactsError(err.message, source=source))]
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
    # strict: a quote that is never closed, or closed mid-cell, is an error, not a
    # cell that swallows the rows after it.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    header = next(_records(reader, text), None)
    if isinstance(header, str):  # the header row itself cannot be split
        raise FactsError(f"cannot read the header row: {header}", source=source, line=1)
    if not header or not any(cell.strip() for cell in header):
        raise FactsError("is empty; the first row must name the columns", source=source, line=1)
    names = [_column_name(name) for name in header]
    warnings: tuple[str, ...] = ()
    _check_columns(header, names, source)
    rows: list[_Row] = []
    bad: list[Loaded] = []
    start = reader.line_num + 1
    for cells in _records(reader, text):
        message = cells if isinstance(cells, str) else _cell_count_problem(cells, len(names))
        if message is not None:
            bad.append(
                Loaded(f"{source}:{start}", error=FactsError(message, source=source, line=start))
            )
        elif any(cell.strip() for cell in cells):
            rows.append((start, {n: c for n, c in zip(names, cells, strict=False) if c.strip()}))
            if "" in rows[-1][1]:
                warnings = _unnamed(source, start, warnings)
        start = reader.line_num + 1
    return rows, bad, warnings


@contextlib.contextmanager
def _cells_as_long_as(text: str) -> Iterator[None]:
    """Let the csv module read a cell as long as the file (131,072 characters by default).

    A cell beyond the default limit is then refused by the field it fills, with
    the field's own length limit, and the rows after it are read as usual.
    """
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, len(text) + 1))
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _records(reader: Any, text: str) -> Iterator[list[str] | str]:
    """The reader's rows; a row the csv module cannot split is its problem, as a string."""
    while True:
        try:
            with _cells_as_long_as(text):
                cells = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            yield _quote_problem(err)
            continue
        yield cells


def _quote_problem(err: csv.Error) -> str:
    if "unexpected end of data" in str(err):
        return (
            "a quote opened in this row is never closed, so the rest of the file would be "
            "one cell; add the closing quote"
        )
    return (
        f"cannot be split into cells ({err}); a quoted cell must end with a quote "
        "followed by the delimiter or the end of the line, and a quote inside it is doubled"
    )


def _cell_count_problem(cells: list[str], columns: int) -> str | None:
    """Cells beyond the header, or missing ones, mean a delimiter or a quote went astray."""
    if len(cells) > columns and any(cell.strip() for cell in cells[columns:]):
        return (
            f"has {len(cells)} cells but the header names {columns} columns; "
            "quote cells that contain the delimiter"
        )
    if 1 < len(cells) < columns:  # one cell: an empty line, or a note in the first column
        return (
            f"has {len(cells)} cells but the header names {columns} columns; "
            "a cell or a delimiter is missing"
        )
    return None


def _delimiter(text: str) -> str:
    """The delimiter of the header row: whichever of comma, semicolon and tab it uses most.

    The header holds column names from a fixed list that contains none of them,
    so it is a surer guide than :class:`csv.Sniffer`, which counts through cells
    of prose that may be full of commas and semicolons.
    """
    header = text.split("\n", 1)[0]
    counts = {delimiter: header.count(delimiter) for delimiter in ",;\t"}
    return max(counts, key=lambda d: counts[d])  # ties (a one-column file) fall to the comma


def _column_name(header: str) -> str:
    """The column a header cell names: ``" Candidate Name"`` -> ``candidate_name``.

    Case, surrounding spaces and the spaces, hyphens or underscores between words do
    not matter, as Excel users write headers (``E-mail``, ``Candidate Name``).
    """
    name = re.sub(r"[\s\-]+", "_", header.strip()).lower()
    return _SQUASHED.get(name.replace("_", ""), name)


def _check_columns(header: list[str], names: list[str], source: str) -> None:
    """Report every problem of the header row at once: unknown and repeated columns.

    A column without a name (the empty trailing columns a spreadsheet program
    leaves, ``a;b;;``) is no problem; its cells are ignored.
    """
    problems: list[FieldProblem] = []
    seen: set[str] = set()
    for raw, name in zip(header, names, strict=True):
        if not name:
            continue
        if name in seen:
            message = f"column {raw.strip()!r} appears twice; keep one"
        elif name not in _COLUMNS:
            close = difflib.get_close_matches(name, sorted(_COLUMNS), n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            message = f"unknown column {raw.strip()!r}{hint}"
        else:
            seen.add(name)
            continue
        problems.append(FieldProblem(raw.strip(), message, 1))
    if problems:
        raise FactsError(problems[0].message, source=source, problems=tuple(problems))


def _unnamed(source: str, line: int, warnings: tuple[str, ...]) -> tuple[str, ...]:
    """Warn once per file that a column without a name holds values, which are ignored."""
    if any(": a column without a name" in w for w in warnings):
        return warnings
    return (
        *warnings,
        f"{source}:{line}: a column without a name holds values; they are ignored "
        "(name the column, or delete it)",
    )


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
    # The line names the row, so the field needs no person's name beside it.
    problems = tuple(
        _excel_date(replace(p, field=_column(p.field), who=None)) for p in err.problems
    )
    if "candidate" not in extra:
        hint = "add candidate_name and candidate_email columns, or pass --candidate FILE"
        problems = tuple(
            replace(p, message=f"is required; {hint}") if p.field == "candidate" else p
            for p in problems
        )
    return FactsError(problems[0].message, source=str(path), problems=problems)


#: A date as Excel shows it in the user's locale: 03/12/2026, 3.12.26 13:30.
_LOCALE_DATE = re.compile(r"'(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})(?:[ T]+(\d{1,2}:\d{2}))?")


def _excel_date(problem: FieldProblem) -> FieldProblem:
    """Add a hint when a date cell looks reformatted by a spreadsheet program.

    The order of day and month cannot be known (03/12 is 3 December in Europe,
    12 March in the US), so the hint gives both ISO 8601 readings to choose from.
    """
    found = _LOCALE_DATE.search(problem.message)
    if problem.field != "date" or found is None:
        return problem
    first, second, year, time = found.groups()
    year = year if len(year) == 4 else f"20{year}"
    clock = f"T{int(time.split(':')[0]):02d}:{time.split(':')[1]}" if time else ""
    readings = dict.fromkeys(
        f"{year}-{int(month):02d}-{int(day):02d}{clock}"
        for day, month in ((first, second), (second, first))
        if 1 <= int(month) <= 12 and 1 <= int(day) <= 31
    )
    choose = " or ".join(readings) if readings else "YYYY-MM-DD"
    hint = (
        "; a spreadsheet program has probably reformatted it in its own order: format the "
        f"date column as Text and write {choose}"
        + (", whichever you meant" if len(readings) > 1 else "")
    )
    return replace(problem, message=problem.message + hint)


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
        digits = value.strip()  # "²" is a digit to isdigit() but not to int()
        return int(digits) if digits.isdecimal() and len(digits) <= _parse.MAX_DIGITS else value
    if name == "letterhead" and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return value
