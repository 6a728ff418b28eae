"""No input gets a traceback, and the weak cases get clear answers (one test per class)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import thankyou
from thankyou.checks import check
from thankyou.cli import cli
from thankyou.errors import FactsError

YAML = """\
company: Acme Robotics
position: Data Engineer
date: {date}
candidate:
  name: Alex Morgan
  email: alex.morgan@example.com
panel:
  - name: {name}
    email: {email}
    personal: Your question about late events stayed with me.
"""


def yaml_facts(tmp_path: Path, extra: str = "", **fields: str) -> Path:
    values = {"date": "2026-11-24", "name": "Priya Raman", "email": "priya@acme.example"}
    path = tmp_path / "interview.yaml"
    path.write_text(YAML.format(**(values | fields)) + extra, encoding="utf-8")
    return path


def json_facts(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "interview.json"
    path.write_text(text, encoding="utf-8")
    return path


JSON = (
    '{{"company": "Acme", "position": "Engineer", "date": "{date}", {extra}'
    '"candidate": {{"name": "Alex Morgan", "email": "{email}"}}, '
    '"panel": [{{"name": "Priya Raman", "email": "priya@acme.example"}}]}}'
)


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def assert_clean_error(result, *expected: str) -> None:
    """Exit 1 with the expected words in the output (check: stdout; others: stderr)."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    for words in expected:
        assert words in result.output, result.output


# --- YAML dates the parser cannot convert -------------------------------------------------------


@pytest.mark.parametrize(
    "date",
    [
        "2026-02-30",
        "2026-11-24 23:59:60",
        "2026-11-24T10:00:00+99:00",
        "!!timestamp 2026-02-30",
        "!!timestamp hello",
        "0000-01-01",
    ],
)
@pytest.mark.parametrize("command", ["render", "check", "plan"])
def test_yaml_dates_python_cannot_hold_are_a_date_error(tmp_path, date, command):
    path = yaml_facts(tmp_path, date=date)
    args = ["-o", str(tmp_path / "out")] if command == "render" else []
    assert_clean_error(run(command, str(path), *args), "date")


def test_a_yaml_tag_that_cannot_build_its_value_names_the_line(tmp_path):
    path = yaml_facts(tmp_path, extra="decision_within_days: !!int twelve\n")
    with pytest.raises(FactsError, match=r"cannot read 'twelve' as !!int") as caught:
        thankyou.load(path)
    assert caught.value.line == 11


# --- numbers too long for Python to convert -----------------------------------------------------


@pytest.mark.parametrize("kind", ["json", "yaml", "toml"])
def test_a_5001_digit_number_is_an_error_not_a_traceback(tmp_path, kind):
    digits = "9" * 5001
    if kind == "json":
        extra = f'"decision_within_days": {digits}, '
        text = JSON.format(date="2026-11-24", email="a@example.com", extra=extra)
        path = json_facts(tmp_path, text)
    elif kind == "yaml":
        path = yaml_facts(tmp_path, extra=f"decision_within_days: {digits}\n")
    else:
        path = tmp_path / "i.toml"
        path.write_text(f'company = "Acme"\ndecision_within_days = {digits}\n', encoding="utf-8")
    result = run("check", str(path))
    assert_clean_error(result, "5,001 digits" if kind != "toml" else "4300 digits")
    assert "set_int_max_str_digits" not in result.stderr


@pytest.mark.parametrize("field", ["decision_within_days", "company"])
def test_a_5001_digit_number_through_the_api_is_a_facts_error(field):
    data = json.loads(JSON.format(date="2026-11-24", email="a@example.com", extra=""))
    data[field] = 10**5000
    with pytest.raises(FactsError, match="more than 4,300 digits") as caught:
        thankyou.facts.validate(data)
    assert caught.value.field == field
    assert [f.field for f in check(data)] == [field]


@pytest.mark.parametrize("cell", ["9" * 5001, "\u00b2"])
def test_a_number_cell_python_cannot_convert_fails_its_row(tmp_path, cell):
    """A 5,001-digit number, or a superscript two (a digit to isdigit(), not to int())."""
    text = "company,position,date,name,email,decision_within_days\n"
    text += f"Acme,Engineer,2026-11-24,Priya Raman,priya@acme.example,{cell}\n"
    text += "Birch,Engineer,2026-11-24,John Smith,john@birch.example,5\n"
    path, candidate = csv_facts(tmp_path, text)
    out = tmp_path / "out"
    result = run("render", str(path), "--candidate", str(candidate), "-o", str(out), "-f", "text")
    assert_clean_error(result, "panel.csv:2: decision_within_days")
    assert [p.name for p in out.rglob("*.txt")] == ["john-smith.txt"]


# --- lone surrogates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "email", "field"),
    [
        ("2026-11-24", "a\\ud800@example.com", "candidate.email"),
        ("2026-11-24\\udfff", "a@example.com", "date"),
    ],
)
@pytest.mark.parametrize("command", ["render", "check"])
def test_a_lone_surrogate_in_an_email_or_date_is_named(tmp_path, date, email, field, command):
    path = json_facts(tmp_path, JSON.format(date=date, email=email, extra=""))
    args = ["-o", str(tmp_path / "out")] if command == "render" else []
    assert_clean_error(run(command, str(path), *args), field, "unpaired surrogate U+D")


def test_a_lone_surrogate_through_the_api_is_a_facts_error():
    data = json.loads(JSON.format(date="2026-11-24", email="a\\ud800@example.com", extra=""))
    with pytest.raises(FactsError, match=r"unpaired surrogate U\+D800") as caught:
        thankyou.facts.validate(data)
    assert caught.value.field == "candidate.email"
    assert [f.code for f in check(data)] == ["invalid"]


# --- the calendar's edges -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "date",
    ["9999-12-31", "9999-12-31T23:00:00", "0001-01-01T00:30:00", "0001-01-01T00:30:00+05:00"],
)
@pytest.mark.parametrize("command", ["plan", "check"])
def test_dates_at_the_calendars_edges(tmp_path, date, command):
    """Year 9999 plus a week, or year 1 moved to a local zone, would leave the calendar."""
    assert_clean_error(
        run(command, str(yaml_facts(tmp_path, date=date))), "the year must be between 1900 and 2999"
    )


# --- CSV ------------------------------------------------------------------------------------------

CSV_HEADER = ["company", "position", "date", "name", "email", "personal"]
CANDIDATE = 'name = "Alex Morgan"\nemail = "alex.morgan@example.com"\n'


def csv_facts(tmp_path: Path, rows: list[list[str]] | str) -> tuple[Path, Path]:
    path = tmp_path / "panel.csv"
    if isinstance(rows, str):
        path.write_text(rows, encoding="utf-8")
    else:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows([CSV_HEADER, *rows])
        path.write_text(buffer.getvalue(), encoding="utf-8")
    candidate = tmp_path / "candidate.toml"
    candidate.write_text(CANDIDATE, encoding="utf-8")
    return path, candidate


def row(company: str, name: str, personal: str = "Thank you for the tour.") -> list[str]:
    email = name.split()[0].lower() + "@" + company.lower() + ".example"
    return [company, "Engineer", "2026-11-24", name, email, personal]


def test_a_csv_cell_over_131072_characters_fails_alone(tmp_path):
    path, candidate = csv_facts(
        tmp_path,
        [
            row("Acme", "Priya Raman", "x" * 140_000),
            row("Birch", "John Smith"),
            row("Cedar", "Mei Chen"),
        ],
    )
    out = tmp_path / "out"
    result = run("render", str(path), "--candidate", str(candidate), "-o", str(out), "-f", "text")
    assert_clean_error(result, "panel.csv:2: personal: is 140,000 characters long")
    assert sorted(p.name for p in out.rglob("*.txt")) == ["john-smith.txt", "mei-chen.txt"]


def test_a_csv_row_with_too_few_cells_is_reported_as_such(tmp_path):
    text = "company,position,date,name,email,personal\nAcme,Engineer,2026-11-24,Priya Raman\n"
    text += "Birch,Engineer,2026-11-24,John Smith,john@birch.example,Thanks.\n"
    path, candidate = csv_facts(tmp_path, text)
    result = run("check", str(path), "--candidate", str(candidate))
    assert_clean_error(result, "panel.csv:2", "has 4 cells but the header names 6 columns")


def test_an_unterminated_quote_is_reported_as_such(tmp_path):
    text = "company,position,date,name,email,personal\n"
    text += "Birch,Engineer,2026-11-24,John Smith,john@birch.example,Thanks.\n"
    text += 'Acme,Engineer,2026-11-24,Priya Raman,priya@acme.example,"Thank you\n'
    text += "Cedar,Engineer,2026-11-24,Mei Chen,mei@cedar.example,Thanks.\n"
    path, candidate = csv_facts(tmp_path, text)
    out = tmp_path / "out"
    result = run("render", str(path), "--candidate", str(candidate), "-o", str(out), "-f", "text")
    assert_clean_error(result, "panel.csv:3", "a quote opened in this row is never closed")
    assert [p.name for p in out.rglob("*.txt")] == ["john-smith.txt"]


def test_a_quote_closed_mid_cell_is_reported_as_such(tmp_path):
    text = "company,position,date,name,email,personal\n"
    text += 'Acme,Engineer,2026-11-24,"Priya" Raman,priya@acme.example,Thanks.\n'
    text += "Birch,Engineer,2026-11-24,John Smith,john@birch.example,Thanks.\n"
    path, candidate = csv_facts(tmp_path, text)
    result = run("check", str(path), "--candidate", str(candidate))
    assert_clean_error(result, "panel.csv:2\n", "line 2: cannot be split into cells")


# --- duplicate keys, YAML 1.1 surprises, encodings ----------------------------------------------


def test_a_key_twice_in_json_is_an_error(tmp_path):
    text = JSON.format(date="2026-11-24", email="a@example.com", extra='"company": "Other", ')
    assert_clean_error(run("check", str(json_facts(tmp_path, text))), "'company' appears twice")


def test_a_key_twice_in_yaml_is_an_error_with_both_lines(tmp_path):
    path = yaml_facts(tmp_path, extra="company: Other Robotics\n")
    result = run("check", str(path))
    assert_clean_error(result, "line 11: invalid YAML: the key 'company' appears twice")
    assert "(first on line 1)" in result.output


@pytest.mark.parametrize(
    ("written", "read"), [("1:30", "1:30"), ("yes", "yes"), ("off", "off"), ("010", "010")]
)
def test_yaml_1_1_surprises_are_read_as_text(tmp_path, written, read):
    interview = thankyou.load(yaml_facts(tmp_path, extra=f"location: {written}\n"))
    assert interview.location == read


def test_yaml_octal_looking_number_is_not_octal(tmp_path):
    """Read as the text "010", which the whole-number field then takes as ten."""
    interview = thankyou.load(yaml_facts(tmp_path, extra="decision_within_days: 010\n"))
    assert interview.decision_within_days == 10


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
@pytest.mark.parametrize("suffix", [".yaml", ".csv"])
def test_a_utf16_file_is_told_it_is_not_utf8(tmp_path, encoding, suffix):
    path = tmp_path / f"interview{suffix}"
    text = YAML.format(date="2026-11-24", name="Priya Raman", email="p@acme.example")
    if suffix == ".csv":
        text = "company,position,date,name,email\nAcme,Eng,2026-11-24,Priya Raman,p@acme.example\n"
    path.write_bytes(text.encode(encoding))
    expected = "UTF-32" if encoding == "utf-32" else "UTF-16"
    assert_clean_error(run("check", str(path)), f"is {expected} text, not UTF-8; save it as")


# --- addresses, templates, names ----------------------------------------------------------------


def test_an_email_local_part_over_64_octets_is_invalid(tmp_path):
    """RFC 5321 §4.5.3.1.1; 22 three-byte letters are 66 octets in 22 characters."""
    for local in ("a" * 65, "é" * 33):
        result = run("check", str(yaml_facts(tmp_path, email=f"{local}@acme.example")))
        assert_clean_error(
            result, "panel[0] (Priya Raman).email", "before the @ is", "the most", "64"
        )
    assert run("check", str(yaml_facts(tmp_path, email=f"{'a' * 64}@acme.example"))).exit_code == 0


def test_check_reports_an_unknown_template_as_an_error(tmp_path):
    result = run("check", str(yaml_facts(tmp_path, extra="template: thank-you/nonesuch\n")))
    assert_clean_error(result, "template", "no template 'thank-you/nonesuch'", "[unknown-template]")


@pytest.mark.parametrize("char", ["\u200b", "\u2060", "\ufeff", "\u00ad", "\u200c", "\u200d"])
def test_invisible_characters_in_a_latin_name_are_a_name_format_warning(tmp_path, char):
    findings = check(thankyou.load(yaml_facts(tmp_path, name=f"Pri{char}ya Raman")))
    found = [f for f in findings if f.code == "name-format"]
    assert len(found) == 1 and f"U+{ord(char):04X}" in found[0].message
    assert found[0].field == "panel[0].name" and "position 4" in found[0].message


@pytest.mark.parametrize(
    "name",
    [
        "\u0645\u06cc\u200c\u0634\u0648\u062f \u0631\u0636\u0627\u06cc\u06cc",  # Persian ZWNJ
        "\u0915\u094d\u200d\u0937 \u0936\u0930\u094d\u092e\u093e",  # Devanagari ZWJ
    ],
)
def test_joiners_that_a_script_needs_are_not_flagged(tmp_path, name):
    findings = check(thankyou.load(yaml_facts(tmp_path, name=name)))
    assert "invisible" not in " ".join(f.message for f in findings)


# --- output: symlinks and Ctrl-C ----------------------------------------------------------------


def test_a_dangling_symlink_is_kept_alike_by_dry_run_and_real_run(tmp_path, make_letter):
    letter = make_letter()
    out = tmp_path / "out"
    target = out / "acme-robotics" / "priya-raman.txt"
    target.parent.mkdir(parents=True)
    target.symlink_to(tmp_path / "nowhere")
    dry = thankyou.write([letter], out, "text", dry_run=True)
    real = thankyou.write([letter], out, "text")
    assert [i.status for i in dry.items] == [i.status for i in real.items] == ["skipped"]
    assert target.is_symlink() and not (tmp_path / "nowhere").exists()
    forced_dry = thankyou.write([letter], out, "text", dry_run=True, overwrite=True)
    assert forced_dry.items[0].messages == ("exists; would be overwritten",)


def test_ctrl_c_summary_counts_exactly_the_files_on_disk(tmp_path, make_letter):
    """Letters already with a worker are finished: the report must list every one of them."""
    from dataclasses import replace

    base = make_letter()
    letters = [
        replace(base, recipient=replace(base.recipient, name=f"Reader {n:02}")) for n in range(40)
    ]
    seen: list[str] = []

    def stop_after_first(item) -> None:
        seen.append(item.status)
        if len(seen) == 1:
            raise KeyboardInterrupt

    out = tmp_path / "out"
    report = thankyou.WriteReport()
    with pytest.raises(KeyboardInterrupt):
        thankyou.write(letters, out, "pdf", jobs=2, on_item=stop_after_first, report=report)
    on_disk = sorted(p for p in out.rglob("*") if p.is_file() and not p.name.startswith("."))
    assert sorted(item.path for item in report.written) == on_disk
    assert len(on_disk) < len(letters)  # it did stop
    assert len(seen) == len(report.items)  # and showed every file it counts


# --- a naive time inside a DST gap or overlap -------------------------------------------------


def _plan_for(tmp_path: Path, date: str, tz):
    from thankyou.planner import plan

    interview = thankyou.load(yaml_facts(tmp_path, date=date))
    now = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    return {step.key: step.due for step in plan(interview, now, tz=tz)}


NEW_YORK = "America/New_York"


def test_a_time_in_the_spring_gap_moves_forward(tmp_path):
    """02:30 on 8 March 2026 never happens in New York: it is 03:30 EDT."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(NEW_YORK)
    due = _plan_for(tmp_path, "2026-03-08T02:30:00", zone)["thank-you/panel[0]"]
    assert due == dt.datetime(2026, 3, 9, 3, 30, tzinfo=zone)
    assert due.utcoffset() == dt.timedelta(hours=-4)


def test_a_time_in_the_autumn_overlap_is_the_first_of_the_two(tmp_path):
    """01:30 on 1 November 2026 happens twice in New York: the first, still EDT (fold=0)."""
    from zoneinfo import ZoneInfo

    from thankyou._zones import attach_zone

    zone = ZoneInfo(NEW_YORK)
    start = attach_zone(dt.datetime(2026, 11, 1, 1, 30), zone)
    assert start.utcoffset() == dt.timedelta(hours=-4) and start.fold == 0
    assert start.astimezone(dt.UTC) == dt.datetime(2026, 11, 1, 5, 30, tzinfo=dt.UTC)


def test_the_machines_zone_resolves_the_gap_the_same_way(tmp_path, monkeypatch):
    """Without --tz the machine's zone applies, by the same rule."""
    import time

    monkeypatch.setenv("TZ", NEW_YORK)
    time.tzset()
    try:
        due = _plan_for(tmp_path, "2026-03-08T02:30:00", None)["thank-you/panel[0]"]
        late = [
            f.message
            for f in check(
                thankyou.load(yaml_facts(tmp_path, date="2026-03-08T02:30:00")),
                now=dt.datetime(2026, 3, 9, 12, 0, tzinfo=dt.UTC),  # 08:00 EDT
            )
            if f.code == "late"
        ]
    finally:
        monkeypatch.undo()
        time.tzset()
    assert (due.hour, due.minute, due.utcoffset()) == (3, 30, dt.timedelta(hours=-4))
    assert late and "28 hours ago" in late[0]  # from 03:30 EDT, not from a 02:30 that never was


def test_a_yaml_alias_bomb_is_refused_quickly(tmp_path):
    """Nine levels of nine aliases would be 387 million strings to walk."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    path = yaml_facts(tmp_path, extra="\n".join([*lines, "highlights: *a8"]) + "\n")
    with pytest.raises(FactsError, match="more than 100,000 values"):
        thankyou.load(path)


def test_facts_nested_deeper_than_the_recursion_limit_are_an_error(tmp_path):
    data = json.loads(JSON.format(date="2026-11-24", email="a@example.com", extra=""))
    deep: list = []
    data["highlights"] = deep
    for _ in range(5000):
        deep.append([])
        deep = deep[0]
    with pytest.raises(FactsError):
        thankyou.facts.validate(data)
    assert check(data)  # findings, not a RecursionError


def test_check_on_a_file_nested_900_deep_is_an_error_line(tmp_path):
    text = JSON.format(date="2026-11-24", email="a@example.com", extra="")
    text = text[:-1] + ', "highlights": ' + "[" * 900 + "]" * 900 + "}"
    result = run("check", str(json_facts(tmp_path, text)))
    assert_clean_error(result, "nested more than 20 levels deep")
