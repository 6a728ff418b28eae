"""load() and load_many(): TOML, JSON, YAML and CSV facts in, Interviews or clear errors out."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import pytest

import thankyou

TOML = """\
company  = "Nordlicht Energie GmbH"
position = "Product Designer"
date     = 2026-11-23T10:30:00+01:00
location = "Video call"
decision_within_days = 10
highlights = ["the meter-reading flow", "accessibility on one screen"]
concerns = ["little B2B experience"]
next_steps = "a portfolio review"

[candidate]
name    = "Zofia Wiśniewska"
email   = "zofia@example.com"
address = ["Gneisenaustraße 12", "10961 Berlin"]

[[panel]]
name        = "Jürgen Groß"
honorific   = "Herr"
family_name = "Groß"
email       = "juergen@nordlicht.example"
primary     = true
personal    = "Thank you for the tablet demo.\\nIt made the case."

[[panel]]
name     = "Nguyễn Thị Minh Khai"
delivery = "post"
address  = ["Nordlicht", "Berlin"]

[recruiter]
name  = "Jordan Lee"
email = "jordan@northside.example"

[[references]]
name      = "Sam Ortiz"
email     = "sam@brightline.example"
emphasise = ["the redesign"]

[style]
paper     = "a4"
font      = "sans"
signature = "sig.png"
"""

JSON = {
    "company": "Nordlicht Energie GmbH",
    "position": "Product Designer",
    "date": "2026-11-23T10:30:00+01:00",
    "location": "Video call",
    "decision_within_days": 10,
    "highlights": ["the meter-reading flow", "accessibility on one screen"],
    "concerns": ["little B2B experience"],
    "next_steps": "a portfolio review",
    "candidate": {
        "name": "Zofia Wiśniewska",
        "email": "zofia@example.com",
        "address": ["Gneisenaustraße 12", "10961 Berlin"],
    },
    "panel": [
        {
            "name": "Jürgen Groß",
            "honorific": "Herr",
            "family_name": "Groß",
            "email": "juergen@nordlicht.example",
            "primary": True,
            "personal": "Thank you for the tablet demo.\nIt made the case.",
        },
        {"name": "Nguyễn Thị Minh Khai", "delivery": "post", "address": ["Nordlicht", "Berlin"]},
    ],
    "recruiter": {"name": "Jordan Lee", "email": "jordan@northside.example"},
    "references": [
        {"name": "Sam Ortiz", "email": "sam@brightline.example", "emphasise": ["the redesign"]}
    ],
    "style": {"paper": "a4", "font": "sans", "signature": "sig.png"},
}

YAML = """\
company: Nordlicht Energie GmbH
position: Product Designer
date: 2026-11-23T10:30:00+01:00
location: Video call
decision_within_days: 10
highlights: [the meter-reading flow, accessibility on one screen]
concerns:
  - little B2B experience
next_steps: a portfolio review
candidate:
  name: Zofia Wiśniewska
  email: zofia@example.com
  address: [Gneisenaustraße 12, 10961 Berlin]
panel:
  - name: Jürgen Groß
    honorific: Herr
    family_name: Groß
    email: juergen@nordlicht.example
    primary: yes
    personal: |-
      Thank you for the tablet demo.
      It made the case.
  - name: Nguyễn Thị Minh Khai
    delivery: post
    address:
      - Nordlicht
      - Berlin
recruiter: {name: Jordan Lee, email: jordan@northside.example}
references:
  - name: Sam Ortiz
    email: sam@brightline.example
    emphasise: [the redesign]
style:
  paper: a4
  font: sans
  signature: sig.png
"""

MINIMAL = """\
company = "Acme"
position = "Engineer"
date = 2026-11-24
[candidate]
name = "Alex Morgan"
email = "alex@example.com"
[[panel]]
name = "Priya Raman"
email = "priya@acme.example"
"""


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --- parity ---------------------------------------------------------------------------------------


def test_toml_json_and_yaml_load_to_equal_interviews(tmp_path: Path) -> None:
    """The same facts written as TOML, JSON and YAML load to equal Interview objects."""
    (tmp_path / "sig.png").write_bytes(b"\x89PNG\r\n")
    toml = thankyou.load(_write(tmp_path, "a.toml", TOML))
    from_json = thankyou.load(_write(tmp_path, "a.json", json.dumps(JSON, ensure_ascii=False)))
    yaml = thankyou.load(_write(tmp_path, "a.yaml", YAML))
    assert toml == from_json == yaml
    assert toml.date == dt.datetime(2026, 11, 23, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert toml.panel[0].personal == "Thank you for the tablet demo.\nIt made the case."


@pytest.mark.parametrize("name", ["panel-interview.toml", "one-on-one.json", "one-on-one.yaml"])
def test_examples_load(name: str, examples_dir: Path) -> None:
    """Every example facts file loads without error."""
    interview = thankyou.load(examples_dir / name)
    assert interview.panel


def test_panel_example_has_what_the_issue_asks_for(examples_dir: Path) -> None:
    """The panel example has three members (email, post, hand), a primary, recruiter, references."""
    interview = thankyou.load(examples_dir / "panel-interview.toml")
    assert [m.delivery.value for m in interview.panel] == ["email", "post", "hand"]
    assert sum(m.primary for m in interview.panel) == 1
    assert interview.recruiter is not None
    assert len(interview.references) == 2
    assert interview.highlights and interview.concerns and interview.next_steps


def test_bom_and_crlf_in_a_facts_file_are_harmless(tmp_path: Path) -> None:
    """A facts file saved by Notepad (BOM, CRLF line ends) loads like any other."""
    path = tmp_path / "a.toml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.replace("\n", "\r\n").encode())
    assert thankyou.load(path).company == "Acme"


def test_yaml_date_only_stays_a_date(tmp_path: Path) -> None:
    """A YAML date without a time loads as a date, as it does from TOML and JSON."""
    interview = thankyou.load(
        _write(
            tmp_path,
            "a.yaml",
            YAML.replace("2026-11-23T10:30:00+01:00", "2026-11-23").replace(
                "signature: sig.png", ""
            ),
        )
    )
    assert interview.date == dt.date(2026, 11, 23)


# --- error messages -------------------------------------------------------------------------------


def test_unknown_field_is_reported_compiler_style(tmp_path: Path) -> None:
    """A misspelt key: `file: panel[1] (Mei Chen).emial: unknown field 'emial' (did you mean...`."""
    text = MINIMAL + '[[panel]]\nname = "Mei Chen"\ndelivery = "hand"\nemial = "mei@acme.example"\n'
    path = _write(tmp_path, "a.toml", text)
    with pytest.raises(thankyou.FactsError) as caught:
        thankyou.load(path)
    assert (
        str(caught.value)
        == f"{path}: panel[1] (Mei Chen).emial: unknown field 'emial' (did you mean 'email'?)"
    )
    assert caught.value.source == str(path)
    assert caught.value.field == "panel[1].emial"


def test_unknown_top_level_and_nested_keys_get_hints(tmp_path: Path) -> None:
    """Did-you-mean hints come from the right table: top level, candidate and style."""
    text = MINIMAL.replace("company", "compnay").replace('email = "alex', 'emali = "alex')
    text += '[style]\npaper = "a4"\nfnot = "sans"\n'
    with pytest.raises(thankyou.FactsError) as caught:
        thankyou.load(_write(tmp_path, "a.toml", text))
    messages = {p.field: p.message for p in caught.value.problems}
    assert messages["compnay"] == "unknown field 'compnay' (did you mean 'company'?)"
    assert messages["candidate.emali"] == "unknown field 'emali' (did you mean 'email'?)"
    assert messages["style.fnot"] == "unknown field 'fnot' (did you mean 'font'?)"


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    """Several bad fields in one file give one error listing each of them, one per line."""
    text = textwrap.dedent("""\
        company = ""
        position = 42
        date = "someday"
        decision_within_days = -3
        [candidate]
        name = "Alex Morgan"
        email = "alex@example.invalid"
        [[panel]]
        name = "Priya Raman"
        delivery = "pigeon"
        """)
    path = _write(tmp_path, "a.toml", text)
    with pytest.raises(thankyou.FactsError) as caught:
        thankyou.load(path)
    fields = [p.field for p in caught.value.problems]
    assert set(fields) == {
        "company",
        "position",
        "date",
        "decision_within_days",
        "candidate.email",
        "panel[0].delivery",
    }
    lines = str(caught.value).splitlines()
    assert len(lines) == len(fields)
    assert all(line.startswith(f"{path}: ") for line in lines)


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("a.toml", 'company = "A"\nposition = "B"\ndate = 2026-11-24\n[candidate\nname = "x"\n', 4),
        ("a.json", '{\n  "company": "A",\n  "position": "B",\n  "date": ,\n}\n', 4),
        ("a.yaml", "company: A\nposition: B\npanel:\n  - name: [unclosed\n    title: x\n", 5),
    ],
)
def test_syntax_errors_carry_the_line(name: str, text: str, line: int, tmp_path: Path) -> None:
    """A TOML, JSON or YAML syntax error names the file and the line, like a compiler."""
    path = _write(tmp_path, name, text)
    with pytest.raises(thankyou.FactsError) as caught:
        thankyou.load(path)
    assert caught.value.line == line
    assert str(caught.value).startswith(f"{path}:{line}: invalid ")


@pytest.mark.parametrize(
    ("name", "text"), [("a.json", "[1, 2]"), ("a.yaml", "- company: A\n"), ("a.yaml", "")]
)
def test_top_level_must_be_a_table(name: str, text: str, tmp_path: Path) -> None:
    """A file whose top level is a list (or nothing) is refused with what it should hold."""
    with pytest.raises(thankyou.FactsError, match="must hold a table of fields"):
        thankyou.load(_write(tmp_path, name, text))


def test_a_number_for_a_name_in_yaml_is_refused(tmp_path: Path) -> None:
    """YAML reads `name: 2026` as a number; it is refused instead of becoming the name "2026"."""
    text = "company: A\nposition: B\ndate: 2026-11-24\ncandidate: {name: C, email: c@example.com}\n"
    text += "panel:\n  - name: 2026\n    delivery: hand\n"
    with pytest.raises(thankyou.FactsError) as caught:
        thankyou.load(_write(tmp_path, "a.yaml", text))
    assert caught.value.field == "panel[0].name"
    assert "must be text (put it in quotes)" in str(caught.value)


# --- paths inside the facts -----------------------------------------------------------------------


def test_style_paths_resolve_against_the_facts_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """signature, letterhead and extra_fonts are found beside the facts file, from any folder."""
    folder = tmp_path / "interviews"
    folder.mkdir()
    for name in ("sig.png", "head.png", "Noto.ttf"):
        (folder / name).write_bytes(b"x")
    text = (
        MINIMAL
        + '[style]\nsignature = "sig.png"\nletterhead = "head.png"\nextra_fonts = ["Noto.ttf"]\n'
    )
    path = _write(folder, "a.toml", text)
    monkeypatch.chdir(tmp_path)
    style = thankyou.load(path).style
    assert style.signature_image == folder / "sig.png"
    assert style.letterhead == folder / "head.png"
    assert style.extra_fonts == [folder / "Noto.ttf"]


def test_missing_signature_names_style_signature(tmp_path: Path) -> None:
    """A signature image that does not exist is an error at style.signature showing the path."""
    path = _write(tmp_path, "a.toml", MINIMAL + '[style]\nsignature = "nope.png"\n')
    with pytest.raises(thankyou.FactsError) as caught:
        thankyou.load(path)
    assert caught.value.field == "style.signature"
    assert str(tmp_path / "nope.png") in str(caught.value)


# --- spreadsheets ---------------------------------------------------------------------------------

HEADER = "company,position,date,name,title,email,delivery,candidate_name,candidate_email"
ME = "Alex Morgan,alex@example.com"


def _csv(
    tmp_path: Path, *rows: str, header: str = HEADER, name: str = "panel.csv", bom: bool = False
) -> Path:
    path = tmp_path / name
    text = "\n".join([header, *rows]) + "\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())
    return path


ROW_A1 = "Acme,Engineer,2026-11-24,Priya Raman,Director,priya@acme.example,email," + ME
ROW_A2 = "Acme,Engineer,2026-11-24,Mei Chen,Manager,,hand," + ME
ROW_B1 = (
    "Lumen & Co.,Analyst,2026-11-25,Jo Park,,jo@lumen.example,email,Alex Morgan,alex@example.com"
)


def test_csv_rows_group_by_company_position_and_date(tmp_path: Path) -> None:
    """Rows sharing company, position and date are one interview; each interview names its lines."""
    path = _csv(tmp_path, ROW_A1, ROW_B1, ROW_A2)
    loaded = thankyou.load_many(path)
    assert [one.error for one in loaded] == [None, None]
    acme = next(one for one in loaded if one.interview and one.interview.company == "Acme")
    lumen = next(one for one in loaded if one.interview and one.interview.company == "Lumen & Co.")
    assert [m.name for m in acme.interview.panel] == ["Priya Raman", "Mei Chen"]  # type: ignore[union-attr]
    assert acme.source.startswith(f"{path}:2")
    assert lumen.source == f"{path}:3"
    assert acme.interview.candidate.name == "Alex Morgan"  # type: ignore[union-attr]


def test_csv_candidate_from_a_file(tmp_path: Path) -> None:
    """A spreadsheet without candidate_* columns takes the candidate from candidate=FILE."""
    header = "company,position,date,name,email"
    path = _csv(tmp_path, "Acme,Engineer,2026-11-24,Priya Raman,priya@acme.example", header=header)
    candidate = _write(
        tmp_path, "me.toml", '[candidate]\nname = "Alex Morgan"\nemail = "alex@example.com"\n'
    )
    (one,) = thankyou.load_many(path, candidate=candidate)
    assert one.interview is not None and one.interview.candidate.email == "alex@example.com"


def test_csv_without_a_candidate_says_how_to_add_one(tmp_path: Path) -> None:
    """A spreadsheet with no candidate at all fails with a hint naming both ways to give one."""
    path = _csv(
        tmp_path,
        "Acme,Engineer,2026-11-24,Priya Raman,priya@acme.example",
        header="company,position,date,name,email",
    )
    (one,) = thankyou.load_many(path)
    assert one.error is not None
    assert "candidate_name" in str(one.error) and "--candidate" in str(one.error)


def test_csv_bad_row_fails_alone_with_its_line(tmp_path: Path) -> None:
    """One row with a bad address fails on its own, naming its line; the other rows still load."""
    bad = ROW_A2.replace(",,hand,", ",not-an-address,email,")
    path = _csv(tmp_path, ROW_A1, ROW_B1, bad)
    loaded = thankyou.load_many(path)
    errors = [one.error for one in loaded if one.error is not None]
    good = [one.interview for one in loaded if one.interview is not None]
    assert len(errors) == 1
    assert errors[0].line == 4
    assert str(errors[0]).startswith(f"{path}:4: ")
    assert "not-an-address" in str(errors[0])
    assert sorted(m.name for i in good for m in i.panel) == ["Jo Park", "Priya Raman"]


def test_csv_with_bom_and_semicolons(tmp_path: Path) -> None:
    """Excel's CSV (BOM, semicolon delimiter, commas inside cells) reads like a plain one."""
    header = HEADER.replace(",", ";")
    row = "Acme;Engineer;2026-11-24;Priya Raman;Director, Data;priya@acme.example;email;"
    row += ME.replace(",", ";")
    (one,) = thankyou.load_many(_csv(tmp_path, row, header=header, bom=True))
    assert one.interview is not None
    assert one.interview.company == "Acme"
    assert one.interview.panel[0].title == "Director, Data"


def test_csv_header_with_stray_spaces_is_read(tmp_path: Path) -> None:
    """A column header with spaces around it is read as the column; nothing to warn about."""
    header = HEADER.replace(",title,", ", title ,")
    path = _csv(tmp_path, ROW_A1, header=header)
    (one,) = thankyou.load_many(path)
    assert one.interview is not None and one.interview.panel[0].title == "Director"
    assert one.warnings == ()


def test_csv_unknown_column_has_a_hint(tmp_path: Path) -> None:
    """An unknown column is reported at line 1 with the closest real column."""
    path = _csv(tmp_path, ROW_A1, header=HEADER.replace(",email,", ",emial,"))
    (one,) = thankyou.load_many(path)
    assert one.error is not None and one.error.line == 1
    assert "unknown column 'emial' (did you mean 'email'?)" in str(one.error)


def test_csv_list_cells_split_on_bars(tmp_path: Path) -> None:
    """A highlights cell holds several items separated by |."""
    header = HEADER + ",highlights"
    (one,) = thankyou.load_many(_csv(tmp_path, ROW_A1 + ",streaming | post-mortems", header=header))
    assert one.interview is not None and one.interview.highlights == ["streaming", "post-mortems"]


def test_load_reads_a_one_interview_csv_and_refuses_more(tmp_path: Path) -> None:
    """load() accepts a spreadsheet holding one interview and points to load_many() for several."""
    assert thankyou.load(_csv(tmp_path, ROW_A1, ROW_A2, name="one.csv")).company == "Acme"
    with pytest.raises(thankyou.FactsError, match="load_many"):
        thankyou.load(_csv(tmp_path, ROW_A1, ROW_B1, name="two.csv"))


def test_load_many_wraps_a_single_file(tmp_path: Path) -> None:
    """load_many() on a TOML file gives one entry, with the error instead of raising it."""
    (good,) = thankyou.load_many(_write(tmp_path, "good.toml", MINIMAL))
    (bad,) = thankyou.load_many(_write(tmp_path, "bad.toml", MINIMAL.replace("Acme", "")))
    assert good.interview is not None and good.error is None
    assert bad.interview is None and bad.error is not None and bad.error.field == "company"
