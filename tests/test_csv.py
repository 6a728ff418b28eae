"""Spreadsheets as facts (SPEC §3): BOM, sniffed delimiters, grouping, per-row failures."""

from __future__ import annotations

from pathlib import Path

import pytest

from thankyou.facts import load_many

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

HEADER = [
    "company",
    "position",
    "date",
    "name",
    "email",
    "personal",
    "candidate_name",
    "candidate_email",
]
ROWS = [
    [
        "Acme",
        "Engineer",
        "2026-11-24",
        "Ann Lee",
        "ann@acme.example",
        "Thanks; truly, thanks.",
        "Alex Morgan",
        "alex@example.com",
    ],
    [
        "Acme",
        "Engineer",
        "2026-11-24",
        "Bo Chen",
        "bo@acme.example",
        "The tour; the lunch.",
        "Alex Morgan",
        "alex@example.com",
    ],
    [
        "Lumen",
        "Analyst",
        "2026-11-25",
        "Cy Diaz",
        "cy@lumen.example",
        "",
        "Alex Morgan",
        "alex@example.com",
    ],
]


def _csv(tmp_path: Path, rows: list[list[str]], *, sep: str = ",", header: list[str] = HEADER,
         bom: bool = False, name: str = "panel.csv") -> Path:  # fmt: skip
    def quote(cell: str) -> str:
        return f'"{cell}"' if sep in cell or '"' in cell or "\n" in cell else cell

    lines = [sep.join(quote(c) for c in row) for row in [header, *rows]]
    path = tmp_path / name
    path.write_bytes(("\ufeff" if bom else "").encode() + "\r\n".join(lines).encode() + b"\r\n")
    return path


def _panels(loaded):
    return [[m.name for m in one.interview.panel] for one in loaded if one.interview is not None]


def _errors(loaded):
    return [str(one.error) for one in loaded if one.error is not None]


@pytest.mark.parametrize("sep", [",", ";", "\t"])
@pytest.mark.parametrize("bom", [False, True])
def test_delimiters_and_bom_read_alike(tmp_path, sep, bom):
    """Comma, semicolon and tab files, with or without a BOM, give the same interviews."""
    loaded = load_many(_csv(tmp_path, ROWS, sep=sep, bom=bom))
    assert _errors(loaded) == []
    assert _panels(loaded) == [["Ann Lee", "Bo Chen"], ["Cy Diaz"]]
    assert loaded[0].interview.company == "Acme"  # no BOM glued to the first column
    assert loaded[0].interview.panel[0].personal == "Thanks; truly, thanks."


def test_stray_header_spaces_are_trimmed_silently(tmp_path):
    """Header names with stray spaces are read trimmed; nothing to act on, so no warning."""
    header = [" company", "position ", *HEADER[2:]]
    loaded = load_many(_csv(tmp_path, ROWS, sep=";", header=header, bom=True))
    assert _errors(loaded) == []
    assert _panels(loaded) == [["Ann Lee", "Bo Chen"], ["Cy Diaz"]]
    assert [w for one in loaded for w in one.warnings] == []


def test_rows_group_by_company_position_and_date(tmp_path):
    """Rows with the same company, position and date form one interview, in file order."""
    rows = [ROWS[0], ROWS[2], ROWS[1], [*ROWS[1][:2], "2026-11-26", *ROWS[1][3:]]]
    loaded = load_many(_csv(tmp_path, rows))
    assert _panels(loaded) == [["Ann Lee", "Bo Chen"], ["Cy Diaz"], ["Bo Chen"]]
    assert [one.source.rsplit(":", 1)[1] for one in loaded] == ["2-4", "3", "5"]


def test_a_bad_row_fails_alone_and_names_its_line_and_column(tmp_path):
    """A bad email costs its own row only: the error reads file:line: column: problem."""
    rows = [ROWS[0], [*ROWS[1][:4], "bo@", *ROWS[1][5:]], ROWS[2]]
    path = _csv(tmp_path, rows)
    loaded = load_many(path)
    assert _panels(loaded) == [["Ann Lee"], ["Cy Diaz"]]
    [error] = _errors(loaded)
    assert error.startswith(f"{path}:3: email: 'bo@' is not a valid email address")


def test_a_row_with_too_many_cells_fails_alone(tmp_path):
    """An unquoted delimiter in a cell fails that row with a hint; the others load."""
    path = tmp_path / "panel.csv"
    good = ",".join(ROWS[0]).replace("Thanks; truly, thanks.", "Thanks")
    path.write_text(
        ",".join(HEADER)
        + "\n"
        + good
        + "\nAcme,Engineer,2026-11-24,Bo,bo@acme.example,a, b,Alex,alex@example.com\n"
    )
    loaded = load_many(path)
    assert _panels(loaded) == [["Ann Lee"]]
    assert _errors(loaded) == [
        f"{path}:3: has 9 cells but the header names 8 columns;"
        " quote cells that contain the delimiter"
    ]


def test_a_problem_shared_by_the_interview_fails_the_group(tmp_path):
    """A bad date belongs to the whole interview, so its rows fail together, named by line."""
    rows = [[*r[:2], "next Tuesday", *r[3:]] for r in ROWS[:2]] + [ROWS[2]]
    path = _csv(tmp_path, rows)
    loaded = load_many(path)
    assert _panels(loaded) == [["Cy Diaz"]]
    [error] = _errors(loaded)
    assert error.startswith(f"{path}:2: date:")
    assert loaded[0].source == f"{path}:2-3"


def test_candidate_comes_from_a_file(tmp_path):
    """Without candidate_* columns the candidate comes from --candidate FILE."""
    header = HEADER[:6]
    path = _csv(tmp_path, [r[:6] for r in ROWS])
    _csv(tmp_path, [r[:6] for r in ROWS], header=header)
    loaded = load_many(path, candidate=EXAMPLES / "candidate.toml")
    assert _errors(loaded) == []
    assert {one.interview.candidate.name for one in loaded} == {"Alex Morgan"}
    assert loaded[0].interview.style.paper == "letter"


def test_missing_candidate_says_how_to_add_one(tmp_path):
    """A spreadsheet with no candidate tells the user both ways to give one."""
    path = _csv(tmp_path, [r[:6] for r in ROWS[2:]], header=HEADER[:6])
    [error] = _errors(load_many(path))
    assert error == (
        f"{path}:2: candidate: is required;"
        " add candidate_name and candidate_email columns, or pass --candidate FILE"
    )


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ([*HEADER[:4], "emial", *HEADER[5:]], "unknown column 'emial' (did you mean 'email'?)"),
        ([*HEADER[:4], "name", *HEADER[5:]], "column 'name' appears twice; keep one"),
    ],
)
def test_bad_headers_fail_the_file(tmp_path, header, message):
    """A header the reader cannot trust fails the whole file, naming line 1 and the column."""
    path = _csv(tmp_path, ROWS, header=header)
    assert _errors(load_many(path)) == [f"{path}:1: {header[4]}: {message}"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", ":1: is empty; the first row must name the columns"),
        (b"company,position\n", ":2: has a header but no rows"),
        ("company\nAcmé\n".encode("cp1252"), ": is not UTF-8 text; save it as CSV UTF-8"),
    ],
)
def test_unreadable_files_fail_with_a_reason(tmp_path, content, message):
    """Empty, header-only and non-UTF-8 files each fail with a sentence saying why."""
    path = tmp_path / "panel.csv"
    path.write_bytes(content)
    assert _errors(load_many(path)) == [f"{path}{message}"]


def test_list_cells_split_on_bars_and_lines(tmp_path):
    """Highlights and address lines are split on | and on line breaks inside a quoted cell."""
    header = [*HEADER[:4], "delivery", "address", "highlights", *HEADER[6:]]
    row = [
        "Acme",
        "Engineer",
        "2026-11-24",
        "Ann Lee",
        "post",
        "1 Road|Town, ST 1",
        "streams\nbatch | tests",
        "Alex",
        "alex@example.com",
    ]
    [one] = load_many(_csv(tmp_path, [row], header=header))
    assert one.interview.panel[0].address == ["1 Road", "Town, ST 1"]
    assert one.interview.highlights == ["streams", "batch", "tests"]


def test_the_example_spreadsheet_holds_two_interviews():
    """examples/panel.csv loads as two interviews with candidate columns, and no warnings."""
    loaded = load_many(EXAMPLES / "panel.csv")
    assert _errors(loaded) == []
    assert _panels(loaded) == [["Olusegun Adeyemi", "Marie-Claire Dubois"], ["Sunita Rao"]]
    assert [w for one in loaded for w in one.warnings] == []
