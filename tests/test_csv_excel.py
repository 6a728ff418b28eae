"""Spreadsheets exported from Excel work first time: headers, empty columns, reformatted dates."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from thankyou.cli import cli
from thankyou.facts import load_many

EXCEL_HEADER = "Company;Position;Date;Name;E-mail;Personal;Candidate Name; CANDIDATE_EMAIL ;;"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "export.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    return path


def test_an_excel_export_with_title_case_headers_and_empty_columns_loads(tmp_path):
    """Case, spaces and hyphens in headers do not matter; the trailing ';;' columns are ignored."""
    path = _write(
        tmp_path,
        f"{EXCEL_HEADER}\n"
        "Acme;Engineer;2026-11-24;Ann Lee;ann@acme.example;Thanks.;Alex Morgan;alex@example.com;;\n"
        "Acme;Engineer;2026-11-24;Bo Chen;bo@acme.example;Thanks.;Alex Morgan;alex@example.com;;\n",
    )
    (loaded,) = load_many(path)
    assert loaded.error is None, loaded.error
    assert loaded.warnings == ()
    assert [m.email for m in loaded.interview.panel] == ["ann@acme.example", "bo@acme.example"]
    assert loaded.interview.candidate.name == "Alex Morgan"


def test_every_header_problem_is_reported_in_one_run(tmp_path):
    """Three bad columns: three problems in one error, each naming line 1 and the column."""
    path = _write(
        tmp_path,
        "Company;Positon;Date;Name;Emial;Name;Personal\n"
        "Acme;Engineer;2026-11-24;Ann Lee;ann@acme.example;Ann;Thanks.\n",
    )
    (loaded,) = load_many(path)
    assert str(loaded.error).splitlines() == [
        f"{path}:1: Positon: unknown column 'Positon' (did you mean 'position'?)",
        f"{path}:1: Emial: unknown column 'Emial' (did you mean 'email'?)",
        f"{path}:1: Name: column 'Name' appears twice; keep one",
    ]


def test_check_lists_every_header_problem_at_once(tmp_path):
    """`thankyou check` on such a file shows all of them, so one edit fixes the file."""
    path = _write(tmp_path, "Company;Positon;Dat;Name\nAcme;Engineer;2026-11-24;Ann Lee\n")
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 1
    assert "unknown column 'Positon'" in result.stdout
    assert "unknown column 'Dat'" in result.stdout


def test_a_date_excel_reformatted_gets_a_hint(tmp_path):
    """03/12/2026 13:30 is not read as a guess: the message says what happened and what to do."""
    path = _write(
        tmp_path,
        "company,position,date,name,email,candidate_name,candidate_email\n"
        "Acme,Engineer,03/12/2026 13:30,Ann Lee,ann@acme.example,Alex Morgan,alex@example.com\n",
    )
    (loaded,) = load_many(path)
    message = str(loaded.error)
    assert message.startswith(f"{path}:2: date: '03/12/2026 13:30' is not a date")
    assert message.endswith(
        "a spreadsheet program has probably reformatted it in its own order: format the date "
        "column as Text and write 2026-12-03T13:30 or 2026-03-12T13:30, whichever you meant"
    )


def test_an_unambiguous_reformatted_date_gets_its_one_reading(tmp_path):
    """24.11.26 9:05 can only be 24 November: the hint gives that one ISO 8601 form."""
    path = _write(
        tmp_path,
        "company,position,date,name,email,candidate_name,candidate_email\n"
        "Acme,Engineer,24.11.26 9:05,Ann Lee,ann@acme.example,Alex Morgan,alex@example.com\n",
    )
    (loaded,) = load_many(path)
    assert str(loaded.error).endswith("format the date column as Text and write 2026-11-24T09:05")


def test_a_date_that_is_simply_wrong_gets_no_excel_hint(tmp_path):
    """The hint is for locale-formatted dates only."""
    path = _write(
        tmp_path,
        "company,position,date,name,email,candidate_name,candidate_email\n"
        "Acme,Engineer,next tuesday,Ann Lee,ann@acme.example,Alex Morgan,alex@example.com\n",
    )
    (loaded,) = load_many(path)
    assert "is not a date" in str(loaded.error)
    assert "spreadsheet program" not in str(loaded.error)


def test_values_under_a_column_without_a_name_are_reported_not_lost_silently(tmp_path):
    """A column with no header but with values in it: the file loads, with one warning."""
    path = _write(
        tmp_path,
        "company,position,date,name,email,candidate_name,candidate_email,\n"
        "Acme,Engineer,2026-11-24,Ann Lee,ann@acme.example,Alex Morgan,alex@example.com,oops\n"
        "Acme,Engineer,2026-11-24,Bo Chen,bo@acme.example,Alex Morgan,alex@example.com,again\n",
    )
    (loaded,) = load_many(path)
    assert loaded.error is None
    assert loaded.warnings == (
        f"{path}:2: a column without a name holds values; they are ignored "
        "(name the column, or delete it)",
    )
