"""Messages written for people: each usual slip in a hand-typed facts file says what to do.

Both `thankyou check` and `thankyou render` are run on each file, and must use the
same words.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

import thankyou
from thankyou.cli import cli
from thankyou.facts import validate

HEAD = 'company = "Acme"\nposition = "Engineer"\ndate = 2026-11-24\n'
CANDIDATE = '[candidate]\nname = "Alex Morgan"\nemail = "alex@example.com"\n'
ANN = '[[panel]]\nname = "Ann Lee"\nemail = "ann@acme.example"\n'


def _both(tmp_path: Path, text: str) -> tuple[str, str]:
    """(check's stdout, render's stderr) for a facts file holding ``text``."""
    path = tmp_path / "interview.toml"
    path.write_text(text, encoding="utf-8")
    runner = CliRunner()
    check = runner.invoke(cli, ["check", str(path)])
    render = runner.invoke(cli, ["render", str(path), "-o", str(tmp_path / "out"), "--dry-run"])
    assert check.exit_code == 1 and render.exit_code == 1
    return check.stdout, render.stderr


@pytest.mark.parametrize(
    ("text", "field", "advice"),
    [
        (  # one [panel] instead of [[panel]]
            HEAD + CANDIDATE + '[panel]\nname = "Ann Lee"\nemail = "ann@acme.example"\n',
            "panel",
            "is a single table; write [[panel]] with two brackets, one table per interviewer",
        ),
        (HEAD + "panel = []\n" + CANDIDATE, "panel", "is empty; add a [[panel]] table"),
        (  # a number given as words
            HEAD + 'decision_within_days = "five"\n' + CANDIDATE + ANN,
            "decision_within_days",
            "must be a whole number written in digits, e.g. decision_within_days = 5 (got 'five')",
        ),
        (  # a choice in another case is fine; a wrong one gets a did-you-mean
            HEAD + CANDIDATE + ANN.replace("email = ", 'delivery = "mail"\nemail = '),
            "panel[0] (Ann Lee).delivery",
            "must be one of 'email', 'post', 'hand' (got 'mail'; did you mean 'email'?)",
        ),
        (
            HEAD + CANDIDATE + ANN + '[style]\npaper = "A5"\n',
            "style.paper",
            "must be one of 'letter', 'a4' (got 'a5'; did you mean 'a4'?)",
        ),
        (
            HEAD + CANDIDATE + ANN.replace("email = ", 'primary = "maybe"\nemail = '),
            "panel[0] (Ann Lee).primary",
            "must be true or false, without quotes (got 'maybe')",
        ),
        (HEAD + ANN, "candidate", "is required: add a [candidate] table with your name and email"),
    ],
)
def test_validation_slips_say_what_to_do_in_check_and_render_alike(tmp_path, text, field, advice):
    """The field (with the person's name) and the advice; the same words in both commands."""
    checked, rendered = _both(tmp_path, text)
    assert f"  error    {field}: {advice}" in checked
    assert f"interview.toml: {field}: {advice}" in rendered
    assert "Input should" not in checked + rendered and "pydantic" not in checked + rendered


def test_an_unknown_field_reads_the_same_in_check_and_render(tmp_path):
    """Lower-case "unknown field" and the person's name in both."""
    text = HEAD + CANDIDATE + ANN + '[[panel]]\nname = "Tomás O\'Neill"\nemial = "t@acme.example"\n'
    checked, rendered = _both(tmp_path, text)
    words = "panel[1] (Tomás O'Neill).emial: unknown field 'emial' (did you mean 'email'?)"
    assert f"  error    {words}." in checked
    assert f"interview.toml: {words}\n" in rendered


def test_an_empty_file_is_one_problem_with_the_way_out(tmp_path):
    """An empty file is not five "is required": it says to start from `thankyou new`."""
    checked, rendered = _both(tmp_path, "# nothing yet\n")
    advice = "holds no facts; run `thankyou new` for a commented file to fill in"
    assert checked.splitlines()[1:] == [f"  error    {advice}"]
    assert rendered.splitlines()[0] == f"error: {tmp_path / 'interview.toml'}: {advice}"


@pytest.mark.parametrize(
    ("line", "advice"),
    [
        (
            "company = “Acme”",
            "curly quotes (“ ” or ‘ ’), as word processors write them: "
            'use straight double quotes " instead',
        ),
        ("company = ‘Acme’", "curly quotes"),
        ("date = 2026-12-3", "write dates with two-digit months and days: 2026-12-03"),
        ("date = 2026-2-24T14:00:00", "write dates with two-digit months and days: 2026-02-24"),
        ("company = Acme Robotics", 'put text in double quotes: company = "Acme Robotics"'),
        ("date = 2026-11-24T14:00", "write times with seconds: 2026-11-24T14:00:00"),
        ("date = 2026-11-24T14:00-06:00", "write times with seconds: 2026-11-24T14:00:00-06:00"),
    ],
)
def test_toml_syntax_errors_get_a_hint_for_the_usual_causes(tmp_path, line, advice):
    """Pasted curly quotes, an unpadded date, unquoted text: the line and the fix."""
    try:  # TOML 1.1 (tomllib from Python 3.14) allows times without seconds
        tomllib.loads(line)
        pytest.skip(f"this Python's tomllib accepts {line!r}")
    except tomllib.TOMLDecodeError:
        pass
    path = tmp_path / "interview.toml"
    path.write_text(f'position = "Engineer"\n{line}\n', encoding="utf-8")
    with pytest.raises(thankyou.FactsError) as caught:
        thankyou.load(path)
    assert caught.value.line == 2
    assert str(caught.value).startswith(f"{path}:2: invalid TOML: ")
    assert advice in str(caught.value)


def test_a_toml_error_without_a_usual_cause_gets_no_made_up_hint(tmp_path):
    """An unclosed table header gets tomllib's words and no hint of ours."""
    path = tmp_path / "interview.toml"
    path.write_text('[candidate\nname = "A"\n', encoding="utf-8")
    with pytest.raises(thankyou.FactsError) as caught:
        thankyou.load(path)
    assert ";" not in str(caught.value).split("invalid TOML: ", 1)[1]


def test_the_field_keeps_its_path_for_programs():
    """FactsError.field stays the plain path; only the printed message names the person."""
    data = {
        "company": "Acme", "position": "Engineer", "date": "2026-11-24",
        "candidate": {"name": "Alex Morgan", "email": "alex@example.com"},
        "panel": [{"name": "Ann Lee", "emial": "ann@acme.example"}],
    }  # fmt: skip
    with pytest.raises(thankyou.FactsError) as caught:
        validate(data)
    assert caught.value.field == "panel[0].emial"
    assert caught.value.problems[0].who == "Ann Lee"
    assert str(caught.value).startswith("panel[0] (Ann Lee).emial: unknown field 'emial'")


def test_coded_errors_read_the_same_in_check_and_render(tmp_path):
    """missing-contact and bad-email: check adds its code, render its file; the words agree."""
    text = (
        HEAD + CANDIDATE + '[[panel]]\nname = "Ann Lee"\nemail = "ann@"\n'
        '[[panel]]\nname = "Bo Chen"\ndelivery = "Post"\n'
    )
    checked, rendered = _both(tmp_path, text)
    for words in (
        "panel[0] (Ann Lee).email: 'ann@' is not a valid email address: There must be something",
        "panel[1] (Bo Chen).address: is required for this delivery: add their postal address "
        'lines, or set delivery = "email" or "hand"',
    ):
        assert f"  error    {words}" in checked
        assert f"interview.toml: {words}" in rendered


def test_a_folder_without_facts_files_is_named(tmp_path: Path) -> None:
    """`render some-folder` that holds no facts file says which folder it searched."""
    folder = tmp_path / "interviews"
    folder.mkdir()
    (folder / "notes.txt").write_text("not facts", encoding="utf-8")
    result = CliRunner().invoke(cli, ["render", str(folder)])
    assert result.exit_code == 2
    assert f"no facts files (.toml, .json, .yaml, .yml, .csv) found in {folder}" in result.stderr
