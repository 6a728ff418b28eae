"""The ``thankyou`` command (docs/cli.md), through CliRunner and the installed console script."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import os
import pty
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import thankyou
from thankyou.cli import cli

TODAY = "2026-11-25"
#: The console script, as a user runs it.
SCRIPT = shutil.which("thankyou") or "thankyou"


@pytest.fixture
def runner() -> CliRunner:
    """A CliRunner; click 8.2+ keeps stdout and stderr apart."""
    return CliRunner()


def _member(name: str, **more: object) -> dict[str, object]:
    slug = "".join(c for c in name.lower() if c.isalnum()) or "someone"
    return {
        "name": name,
        "title": "Engineer",
        "email": f"{slug}@acme.example",
        "personal": f"Thank you, {name}.",
        **more,
    }


def _facts(
    company: str = "Acme Robotics", panel: list[dict[str, object]] | None = None, **more: object
) -> dict[str, object]:
    return {
        "company": company,
        "position": "Data Engineer",
        "date": "2026-11-24T14:00:00-06:00",
        "highlights": ["streaming pipelines"],
        "candidate": {"name": "Alex Morgan", "email": "alex.morgan@example.com"},
        "panel": panel
        if panel is not None
        else [_member("Priya Raman"), _member("Mei Chen", delivery="hand")],
        **more,
    }


def _write(path: Path, data: dict[str, object]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _batch(folder: Path, count: int, *, members: int = 1, broken: int | None = None) -> Path:
    """A folder of ``count`` interviews; the one numbered ``broken`` has a misspelt key."""
    for n in range(count):
        panel = [_member(f"Person {n} {m}") for m in range(members)]
        if n == broken:
            panel[0] = {**panel[0], "emial": "oops@acme.example"}
        _write(folder / f"interview-{n:03d}.json", _facts(f"Company {n:03d}", panel))
    return folder


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _run(*args: str | Path, cwd: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SCRIPT, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=60, **kwargs
    )


# --- the command group ------------------------------------------------------------------------


def test_version(runner):
    """--version prints the installed version, from the package metadata, on stdout."""
    from importlib.metadata import version

    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"thankyou, version {version('thankyou')}\n"


@pytest.mark.parametrize("command", [[], *([name] for name in sorted(cli.commands))])
def test_help_everywhere(runner, command):
    """Every command answers --help with its usage on stdout and nothing on stderr."""
    result = runner.invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: thankyou {' '.join(command)}".rstrip())
    assert result.stderr == ""


def test_the_commands_of_the_spec_exist():
    """render, check, plan, new and templates are there (send comes with send.py)."""
    assert {"render", "check", "plan", "new", "templates"} <= set(cli.commands)


# --- render -----------------------------------------------------------------------------------


def test_render_writes_one_file_per_reader(runner, examples_dir, tmp_path):
    """Paths go to stdout, the summary to stderr, and each file holds its letter."""
    out = tmp_path / "out"
    result = runner.invoke(
        cli,
        [
            "render",
            str(examples_dir / "panel-interview.toml"),
            "-f",
            "text",
            "-o",
            str(out),
            "--today",
            TODAY,
        ],
    )
    assert result.exit_code == 0, result.stderr
    names = ["priya-raman", "tomas-oneill", "mei-chen"]
    assert result.stdout.splitlines() == [str(out / "acme-robotics" / f"{n}.txt") for n in names]
    assert result.stderr == "3 written, 0 skipped, 0 failed, 0 warnings.\n"
    letters = thankyou.compose(
        thankyou.load(examples_dir / "panel-interview.toml"), today=dt.date(2026, 11, 25)
    )
    assert [(out / "acme-robotics" / f"{n}.txt").read_bytes() for n in names] == [
        thankyou.render(x, "text") for x in letters
    ]


def test_auto_renders_each_reader_for_their_delivery(runner, examples_dir, tmp_path):
    """-f auto writes .eml for email delivery and .pdf for post and hand, both readable."""
    from pypdf import PdfReader

    out = tmp_path / "out"
    result = runner.invoke(
        cli,
        ["render", str(examples_dir / "panel-interview.toml"), "-o", str(out), "--today", TODAY],
    )
    assert result.exit_code == 0, result.stderr
    assert sorted(_files(out)) == [
        "acme-robotics/mei-chen.pdf",
        "acme-robotics/priya-raman.eml",
        "acme-robotics/tomas-oneill.pdf",
    ]
    message = email.message_from_bytes(
        (out / "acme-robotics/priya-raman.eml").read_bytes(), policy=email.policy.default
    )
    assert message["To"].addresses[0].addr_spec == "priya.raman@acme.example"
    text = PdfReader(out / "acme-robotics/tomas-oneill.pdf").pages[0].extract_text()
    assert "Tomás O'Neill" in text


def test_several_formats_at_once(runner, examples_dir, tmp_path):
    """-f pdf,docx writes both files for every reader, pdf first."""
    out = tmp_path / "out"
    result = runner.invoke(
        cli, ["render", str(examples_dir / "one-on-one.yaml"), "-f", "pdf,docx", "-o", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    assert [Path(p).name for p in result.stdout.splitlines()] == [
        "nguyen-thi-minh-khai.pdf",
        "nguyen-thi-minh-khai.docx",
    ]


def test_existing_files_are_kept_unless_force(runner, examples_dir, tmp_path):
    """A second run skips existing files and leaves their contents alone; --force replaces them."""
    facts, out = examples_dir / "panel-interview.toml", tmp_path / "out"
    args = ["render", str(facts), "-f", "text", "-o", str(out), "--today", TODAY]
    assert runner.invoke(cli, args).exit_code == 0
    edited = out / "acme-robotics" / "priya-raman.txt"
    edited.write_text("my own edits")
    before = _files(out)

    again = runner.invoke(cli, args)
    assert again.exit_code == 0
    assert again.stdout == ""
    assert f"skipped: {edited}: exists; use --force to overwrite\n" in again.stderr
    assert again.stderr.endswith(
        "0 written, 3 skipped, 0 failed, 0 warnings.\n"
        "Existing files were kept; use --force to overwrite them.\n"
    )
    assert _files(out) == before

    forced = runner.invoke(cli, [*args, "--force"])
    assert forced.exit_code == 0
    assert forced.stderr == "3 written, 0 skipped, 0 failed, 0 warnings.\n"
    letters = thankyou.compose(thankyou.load(facts), today=dt.date(2026, 11, 25))
    assert edited.read_bytes() == thankyou.render(letters[0], "text")


def test_dry_run_lists_and_writes_nothing(runner, examples_dir, tmp_path):
    """--dry-run prints the paths it would write and creates no file or folder."""
    out = tmp_path / "out"
    result = runner.invoke(
        cli,
        # render reports lateness: judge it the day after the interview
        [
            "render",
            str(examples_dir / "panel-interview.toml"),
            "-o",
            str(out),
            "--dry-run",
            "--today",
            TODAY,
        ],
    )
    assert result.exit_code == 0
    assert [Path(p).name for p in result.stdout.splitlines()] == [
        "priya-raman.eml",
        "tomas-oneill.pdf",
        "mei-chen.pdf",
    ]
    assert (
        result.stderr == "Dry run: 3 to write, 0 kept, 0 failed, 0 warnings; nothing was written.\n"
    )
    assert not out.exists()


def test_same_names_are_numbered(runner, tmp_path):
    """Two readers called Ann Lee get ann-lee.txt and ann-lee-2.txt, in facts order."""
    facts = _write(
        tmp_path / "f.json",
        _facts(panel=[_member("Ann Lee"), _member("Ann Lee", personal="Other.")]),
    )
    result = runner.invoke(cli, ["render", str(facts), "-f", "text", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0
    assert [Path(p).name for p in result.stdout.splitlines()] == ["ann-lee.txt", "ann-lee-2.txt"]
    assert "Other." in (tmp_path / "out/acme-robotics/ann-lee-2.txt").read_text()


@pytest.mark.parametrize("company", ["../../evil", "/etc", "..", "CON", "a/../../b", "."])
def test_hostile_names_stay_inside_the_output_folder(runner, tmp_path, company):
    """Company and reader names with ../, /, .. or reserved names never leave -o."""
    names = ["../../../escape", "/etc/passwd", "..", "CON", "NUL", "~"]
    facts = _write(
        tmp_path / "facts" / "f.json", _facts(company, [_member(n, delivery="hand") for n in names])
    )
    out = tmp_path / "out"
    result = runner.invoke(cli, ["render", str(facts), "-f", "text,pdf", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    written = [Path(p) for p in result.stdout.splitlines()]
    assert len(written) == 12
    assert all(p.resolve().is_relative_to(out.resolve()) and p.is_file() for p in written)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["facts", "out"]
    assert all(p.isascii() and not p.startswith(".") for p in _files(out))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-f", "odt"], "'odt' is not a format"),
        (["-f", "pdf,pfd"], "'pfd' is not a format (did you mean 'pdf'?)"),
        (["-t", "thank-you/nope"], "no template 'thank-you/nope'"),
        (["-j", "-1"], "-1 is not in the range"),
        (["--paper", "a5"], "'a5' is not one of"),
    ],
)
def test_bad_usage_exits_2(runner, examples_dir, tmp_path, args, message):
    """Bad options stop before any work with exit 2 and say what is wrong."""
    result = runner.invoke(
        cli,
        ["render", str(examples_dir / "panel-interview.toml"), "-o", str(tmp_path / "o"), *args],
    )
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "o").exists()


def test_missing_facts_path_exits_2(runner, tmp_path):
    """A path that does not exist is bad usage, named in the message."""
    result = runner.invoke(cli, ["render", str(tmp_path / "nope.toml")])
    assert result.exit_code == 2
    assert f"{tmp_path / 'nope.toml'}: no such file or folder" in result.stderr


def test_a_bad_file_fails_alone(runner, examples_dir, tmp_path):
    """One broken facts file is named with its field; the others are written and the exit is 1."""
    broken = _write(
        examples_dir / "broken.json", _facts(panel=[{**_member("Ann Lee"), "emial": "x@y.example"}])
    )
    out = tmp_path / "out"
    result = runner.invoke(cli, ["render", str(examples_dir), "-f", "text", "-o", str(out)])
    assert result.exit_code == 1
    assert (
        f"error: {broken}: panel[0] (Ann Lee).emial: unknown field 'emial'"
        " (did you mean 'email'?)\n" in result.stderr
    )
    assert "8 written, 0 skipped, 1 failed" in result.stderr
    assert len(result.stdout.splitlines()) == 8 == len(_files(out))


def test_own_templates_and_paper(runner, examples_dir, tmp_path):
    """--templates adds a user's template for -t, and --paper a4 reaches the PDF."""
    from pypdf import PdfReader

    mine = tmp_path / "mine" / "thank-you"
    mine.mkdir(parents=True)
    (mine / "short.j2").write_text(
        "{#\ndescription: Two lines.\naudience: panel\n#}\n"
        '{% extends "_base/thank-you.j2" %}\n'
        "{% block body %}\nThanks for {{ position }} talk.\n\n{{ recipient.personal | personal }}\n"
        "{% endblock %}\n"
    )
    facts, out = examples_dir / "one-on-one.yaml", tmp_path / "out"
    args = ["render", str(facts), "-t", "thank-you/short", "--templates", str(mine.parent)]
    result = runner.invoke(cli, [*args, "-f", "text,pdf", "--paper", "a4", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert (
        "Thanks for Operations Analyst talk."
        in (out / "lumen-co/nguyen-thi-minh-khai.txt").read_text()
    )
    box = PdfReader(out / "lumen-co/nguyen-thi-minh-khai.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_a_broken_template_fails_only_the_letters_that_use_it(runner, examples_dir, tmp_path):
    """A broken thank-you/formal costs the posted letters; the email letter is still written."""
    broken = tmp_path / "mine" / "thank-you"
    broken.mkdir(parents=True)
    (broken / "formal.j2").write_text(
        '{% extends "_base/thank-you.j2" %}\n{% block body %}{{ }}{% endblock %}\n'
    )
    args = ["render", str(examples_dir / "panel-interview.toml"), "-f", "text", "--today", TODAY]
    result = runner.invoke(
        cli, [*args, "--templates", str(broken.parent), "-o", str(tmp_path / "out")]
    )
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [str(tmp_path / "out/acme-robotics/priya-raman.txt")]
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 2
    assert "letter to Tomás O'Neill: template thank-you/formal:2:" in errors[0]
    assert "letter to Mei Chen: template thank-you/formal:2:" in errors[1]
    assert result.stderr.endswith("1 written, 0 skipped, 2 failed, 0 warnings.\n")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_smtputf8_lets_render_write_a_non_ascii_address(runner, tmp_path, jobs):
    """An address with non-ASCII before the @ fails alone, and --smtputf8 writes its draft."""
    facts = _write(
        tmp_path / "f.json", _facts(panel=[_member("José Núñez", email="josé.núñez@acme.example")])
    )
    args = ["render", str(facts), "-f", "email", "-j", jobs, "--today", TODAY]
    refused = runner.invoke(cli, [*args, "-o", str(tmp_path / "a")])
    assert refused.exit_code == 1
    assert "--smtputf8" in refused.stderr
    allowed = runner.invoke(cli, [*args, "-o", str(tmp_path / "b"), "--smtputf8"])
    assert allowed.exit_code == 0, allowed.stderr
    (path,) = (tmp_path / "b").rglob("*.eml")
    # SMTPUTF8 headers are raw UTF-8 (RFC 6532), so the message is read as UTF-8 text.
    text = path.read_bytes().decode("utf-8")
    message = email.message_from_string(text, policy=email.policy.default)
    assert message["To"].addresses[0].addr_spec == "josé.núñez@acme.example"


def test_paper_a4_writes_dates_day_first_in_the_text_too(runner, examples_dir, tmp_path):
    """--paper a4 reaches the words as well as the page: no "November 25," left in the text."""
    facts = examples_dir / "one-on-one.yaml"
    args = ["render", str(facts), "-f", "text", "--paper", "a4", "--today", TODAY]
    result = runner.invoke(cli, [*args, "-o", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "lumen-co/nguyen-thi-minh-khai.txt").read_text()
    assert "25 November 2026" in text and "today to discuss" in text  # dated that day
    assert "November 25" not in text


def test_a_file_named_twice_is_read_once(runner, examples_dir, tmp_path):
    """A file given on its own and inside a given folder yields its letters once, not -2 copies."""
    facts = examples_dir / "panel-interview.toml"
    args = ["render", str(facts), str(examples_dir), str(facts), "-f", "text", "-o", str(tmp_path)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 8
    assert not [name for name in _files(tmp_path) if name.endswith("-2.txt")]


def test_a_candidate_file_beside_interviews_is_skipped(runner, examples_dir, tmp_path):
    """examples/candidate.toml in a folder is not an interview: it is skipped with a hint."""
    result = runner.invoke(
        cli, ["render", str(examples_dir), "-f", "text", "-o", str(tmp_path / "out")]
    )
    assert result.exit_code == 0, result.stderr
    hint = "holds only a candidate; skipped (use it with --candidate)"
    assert f"warning: {examples_dir / 'candidate.toml'}: {hint}\n" in result.stderr


def test_spreadsheet_with_bom_semicolons_and_stray_spaces(runner, tmp_path):
    """An Excel-style CSV (BOM, semicolons, spaced names) renders, with nothing to report."""
    header = " company ;position;date; name;email;delivery;personal"
    rows = [
        "Acme;Engineer;2026-11-24;Ann Lee;ann@acme.example;email;Thanks, truly.",
        'Acme;Engineer;2026-11-24;Bo Chen;bo@acme.example;hand;"The tour; the lunch."',
    ]
    path = tmp_path / "panel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join([header, *rows]).encode() + b"\r\n")
    candidate = _write(
        tmp_path / "me.json", {"candidate": {"name": "Alex Morgan", "email": "alex@example.com"}}
    )
    out = tmp_path / "out"
    result = runner.invoke(
        cli,
        [
            "render",
            str(path),
            "--candidate",
            str(candidate),
            "-f",
            "text",
            "-o",
            str(out),
            "--today",
            TODAY,
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == ["2 written, 0 skipped, 0 failed, 0 warnings."]
    assert sorted(_files(out)) == ["acme/ann-lee.txt", "acme/bo-chen.txt"]


def test_a_bad_spreadsheet_row_fails_alone(runner, tmp_path):
    """A bad email in one row names file:line: column and costs only that letter."""
    path = tmp_path / "panel.csv"
    path.write_text(
        "company,position,date,name,email,candidate_name,candidate_email\n"
        "Acme,Engineer,2026-11-24,Ann Lee,ann@acme.example,Alex,alex@example.com\n"
        "Acme,Engineer,2026-11-24,Bo Chen,bo@,Alex,alex@example.com\n"
    )
    out = tmp_path / "out"
    result = runner.invoke(
        cli, ["render", str(path), "-f", "text", "-o", str(out), "--today", TODAY]
    )
    assert result.exit_code == 1
    # The good row renders, with the check that concerns it (no personal column).
    assert result.stderr.startswith(
        f"warning: {path}:2: panel[0] (Ann Lee).personal: Ann Lee has no"
    )
    assert f"error: {path}:3: email: 'bo@' is not a valid email address" in result.stderr
    assert result.stderr.endswith("1 written, 0 skipped, 1 failed, 1 warning.\n")
    assert result.stdout == f"{tmp_path / 'out/acme/ann-lee.txt'}\n"


def test_two_jobs_write_the_same_files_in_the_same_order(runner, tmp_path):
    """-j 2 gives byte-identical files and the same stdout order as -j 1."""
    facts = _batch(tmp_path / "facts", 12, members=2)
    runs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        result = runner.invoke(
            cli,
            [
                "render",
                str(facts),
                "-f",
                "text,email",
                "-o",
                str(out),
                "-j",
                jobs,
                "--today",
                TODAY,
            ],
        )
        assert result.exit_code == 0, result.stderr
        runs[jobs] = (result.stdout.replace(str(out), "OUT"), _files(out))
    assert len(runs["1"][1]) == 48
    assert runs["1"][0] == runs["2"][0]
    assert {k: v for k, v in runs["1"][1].items() if k.endswith(".txt")} == {
        k: v for k, v in runs["2"][1].items() if k.endswith(".txt")
    }
    assert runs["1"][1].keys() == runs["2"][1].keys()


def test_no_progress_bar_when_stderr_is_not_a_terminal(runner, tmp_path):
    """With stderr captured, a long batch prints no bar: only the summary."""
    facts = _batch(tmp_path / "facts", 40)
    out = tmp_path / "out"
    result = runner.invoke(
        cli, ["render", str(facts), "-f", "text", "-o", str(out), "--today", TODAY]
    )
    assert result.exit_code == 0
    assert result.stderr == "40 written, 0 skipped, 0 failed, 0 warnings.\n"


@pytest.mark.slow
def test_progress_bar_only_on_a_terminal(tmp_path):
    """The console script draws a bar on a terminal stderr, and none when stderr is a pipe."""
    facts = _batch(tmp_path / "facts", 40)
    primary, secondary = pty.openpty()
    with subprocess.Popen(
        [SCRIPT, "render", str(facts), "-f", "text", "-o", str(tmp_path / "tty"), "--today", TODAY],
        stdout=subprocess.PIPE, stderr=secondary, cwd=tmp_path,
    ) as proc:  # fmt: skip
        os.close(secondary)
        seen = _read_all(primary)
        stdout = proc.stdout.read() if proc.stdout else b""
    assert proc.returncode == 0
    assert b"Writing" in seen and b"40/40" in seen
    assert len(stdout.splitlines()) == 40  # results still on stdout, one per line
    piped = _run(
        "render", facts, "-f", "text", "-o", tmp_path / "pipe", "--today", TODAY, cwd=tmp_path
    )
    assert piped.stderr == "40 written, 0 skipped, 0 failed, 0 warnings.\n"


def _read_all(fd: int) -> bytes:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the other side closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks)


# --- check ------------------------------------------------------------------------------------


def test_check_groups_findings_by_file(runner, examples_dir):
    """Findings are listed under their file; warnings alone exit 0."""
    yaml, toml = examples_dir / "one-on-one.yaml", examples_dir / "panel-interview.toml"
    result = runner.invoke(
        cli, ["check", str(yaml), str(toml), "--now", "2026-11-30T12:00:00-06:00"]
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == str(yaml)
    assert lines[1].startswith("  warning  date: The interview was") and lines[1].endswith("[late]")
    assert lines[2] == str(toml)
    assert result.stderr == f"2 interviews checked: 0 errors, {len(lines) - 2} warnings.\n"


def test_check_reports_facts_that_do_not_load_as_coded_errors(runner, tmp_path):
    """A file that fails validation gives bad-email and missing-contact errors, and exits 1."""
    panel = [_member("Ann Lee", email="ann@"), _member("Bo Chen", delivery="post")]
    facts = _write(tmp_path / "f.json", _facts(panel=panel))
    result = runner.invoke(cli, ["check", str(facts)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == str(facts)
    assert lines[1].startswith("  error    panel[0] (Ann Lee).email: ") and "ann@" in lines[1]
    assert lines[1].endswith("[bad-email]")
    assert lines[2].startswith("  error    panel[1] (Bo Chen).address: ")
    assert lines[2].endswith("[missing-contact]")
    assert all(not line.startswith("  error") for line in lines[3:])
    assert result.stderr.startswith("1 interview checked: 2 errors, ")


def test_check_still_warns_about_the_rest_of_facts_that_do_not_load(runner, tmp_path):
    """A missing address does not hide a misspelt name elsewhere in the same file."""
    panel = [
        _member("Jon Smith", email="john.smith@acme.example"),
        _member("Bo Chen", delivery="post"),
    ]
    facts = _write(tmp_path / "f.json", _facts(panel=panel))
    result = runner.invoke(cli, ["check", str(facts)])
    assert result.exit_code == 1
    assert "  error    panel[1] (Bo Chen).address: " in result.stdout
    assert "[name-spelling]" in result.stdout and "panel[0] (Jon Smith).name: " in result.stdout


def test_check_measures_the_letters_render_would_write(runner, tmp_path):
    """`check` composes the default letters once and measures them: words by mail, pages by hand."""
    long = "We talked about the backfill, and the way you paged through it. " * 40
    panel = [_member("Priya Raman", personal=long), _member("Mei Chen", delivery="hand")]
    panel[1]["personal"] = long * 2
    facts = _write(tmp_path / "f.json", _facts(panel=panel))
    result = runner.invoke(cli, ["check", "--now", "2026-11-24T18:00:00-06:00", str(facts)])
    assert result.exit_code == 0, result.output
    too_long = [line for line in result.stdout.splitlines() if line.endswith("[too-long]")]
    assert len(too_long) == 2
    assert too_long[0].startswith("  warning  panel[0] (Priya Raman): The thank-you email")
    assert " words: keep it to 200 " in too_long[0]
    assert too_long[1].startswith("  warning  panel[1] (Mei Chen): The thank-you letter")
    assert "runs to 2 pages" in too_long[1] or "runs to 3 pages" in too_long[1]


def test_check_gives_syntax_errors_their_line(runner, tmp_path):
    """A TOML syntax error is an error finding with its line number."""
    facts = tmp_path / "f.toml"
    facts.write_text('company = "Acme"\nposition = \n')
    result = runner.invoke(cli, ["check", str(facts)])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1].startswith("  error    line 2: invalid TOML")


# --- plan -------------------------------------------------------------------------------------


def test_plan_prints_the_table_and_writes_a_calendar_once(runner, examples_dir, tmp_path):
    """plan prints the steps; --ics writes a calendar and won't overwrite it without --force."""
    import icalendar

    facts, ics = examples_dir / "panel-interview.toml", tmp_path / "plan.ics"
    args = ["plan", str(facts), "--now", "2026-11-24T16:00:00-06:00"]
    result = runner.invoke(cli, [*args, "--ics", str(ics)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Plan for Senior Data Engineer at Acme Robotics\n")
    assert "Follow up on the decision" in result.stdout
    # The example names no country: one note says only weekends are skipped.
    assert result.stderr.count("note: no country") == 1
    assert result.stderr.endswith(f"Wrote {ics}; import it into your calendar.\n")
    events = icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert len(events) == len(result.stdout.splitlines()) - 3

    ics.write_bytes(b"mine")
    refused = runner.invoke(cli, [*args, "--ics", str(ics)])
    assert refused.exit_code == 1
    assert refused.stderr.endswith(f"error: {ics} exists; use --force to overwrite it\n")
    assert ics.read_bytes() == b"mine"
    assert runner.invoke(cli, [*args, "--ics", str(ics), "--force"]).exit_code == 0
    assert ics.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["examples", "plan.ics"]  # no temporaries


def test_plan_of_a_spreadsheet_shows_each_interview(runner, examples_dir, tmp_path):
    """A spreadsheet of two interviews gives two tables; --ics, which holds one, is bad usage."""
    facts = str(examples_dir / "panel.csv")
    result = runner.invoke(cli, ["plan", facts])
    assert result.exit_code == 0, result.stderr
    titles = [line for line in result.stdout.splitlines() if line.startswith("Plan for ")]
    assert titles == [
        "Plan for Data Analyst at Brightwater Health",
        "Plan for Junior Data Engineer at Kestrel & Finch",
    ]
    assert "\n\nPlan for Junior" in result.stdout
    refused = runner.invoke(cli, ["plan", facts, "--ics", str(tmp_path / "p.ics")])
    assert refused.exit_code == 2
    assert "holds 2 interviews; --ics takes a file with one" in refused.stderr
    assert not (tmp_path / "p.ics").exists()


def test_plan_of_a_broken_file_exits_1(runner, tmp_path):
    """plan names the problem of facts that do not load, on stderr, and exits 1."""
    facts = _write(tmp_path / "f.json", _facts(panel=[]))
    result = runner.invoke(cli, ["plan", str(facts)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {facts}: panel:")


# --- templates and new --------------------------------------------------------------------------


def test_templates_lists_the_catalogue(runner):
    """templates shows each built-in with its audience and the variables it uses."""
    result = runner.invoke(cli, ["templates"])
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert {
        "thank-you/formal",
        "thank-you/email",
        "thank-you/warm",
        "follow-up/status",
        "references/briefing",
        "recruiter/debrief",
    } <= set(names)
    assert result.stdout.count("uses: ") == len(names)


def test_new_refuses_to_overwrite(runner, tmp_path):
    """new writes the starter once; a second time it keeps the file and exits 1."""
    path = tmp_path / "interview.toml"
    first = runner.invoke(cli, ["new", str(path)])
    assert first.exit_code == 0
    assert first.stdout == f"{path}\n"
    path.write_text("# mine")
    second = runner.invoke(cli, ["new", str(path)])
    assert second.exit_code == 1
    assert second.stderr == f"error: {path} exists; use --force to overwrite it\n"
    assert path.read_text() == "# mine"


@pytest.mark.slow
def test_new_check_render_end_to_end(tmp_path):
    """As a new user: new, edit, check, render gives one right file per interviewer."""
    from pypdf import PdfReader

    assert _run("new", cwd=tmp_path).returncode == 0
    facts = tmp_path / "interview.toml"
    untouched = _run("check", "interview.toml", cwd=tmp_path)
    assert untouched.returncode == 1 and "[placeholder]" in untouched.stdout
    text = facts.read_text(encoding="utf-8")
    for example, own in {  # the user replaces the starter's examples with their own facts
        "Example Corp": "Lumen & Co",
        "Your Name": "Ada Park",
        "your.name@example.com": "ada.park@example.org",
        "+1 555 010 0100": "+1 555 010 0111",
        "1 Main Street": "8 Harbour Road",
        "the move to a shared project calendar": "the shared release calendar",
        "how the team plans its quarterly releases": "quarterly planning",
        "I have not yet managed a budget of this size": "my budgets so far were smaller",
        "a second interview with the operations lead": "a call with the operations lead",
        "Jordan Smith": "Jordan Blake",
        "jordan.smith@example.com": "jordan.blake@lumen.example",
        "Thank you for showing me the planning board.": "I enjoyed the planning board.",
    }.items():
        assert example in text, example
        text = text.replace(example, own)
    facts.write_text(text, encoding="utf-8")
    with facts.open("a", encoding="utf-8") as handle:  # the user adds a second interviewer
        handle.write(
            '\n[[panel]]\nname = "Łucja Wróbel"\ntitle = "CFO"\ndelivery = "post"\n'
            'address = ["1 Main Street", "Springfield"]\npersonal = "Thank you for the tour."\n'
        )
    checked = _run("check", "interview.toml", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.startswith("interview.toml\n")
    rendered = _run("render", "interview.toml", cwd=tmp_path)
    assert rendered.returncode == 0, rendered.stderr
    assert rendered.stdout.splitlines() == [
        "letters/lumen-co/jordan-blake.eml",
        "letters/lumen-co/lucja-wrobel.pdf",
    ]
    assert (
        "Łucja Wróbel"
        in PdfReader(tmp_path / "letters/lumen-co/lucja-wrobel.pdf").pages[0].extract_text()
    )
    planned = _run("plan", "interview.toml", cwd=tmp_path)
    assert planned.returncode == 0 and "Łucja Wróbel" in planned.stdout


# --- batches through the console script ---------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_200_interviews_with_one_broken(tmp_path, jobs):
    """199 letters are written, the broken file is named with its field, and the exit is 1."""
    facts = _batch(tmp_path / "facts", 200, broken=137)
    result = _run(
        "render", "facts", "-f", "text", "-o", "out", "-j", jobs, "--today", TODAY, cwd=tmp_path
    )
    assert result.returncode == 1
    assert len(result.stdout.splitlines()) == 199 == len(_files(tmp_path / "out"))
    assert result.stderr.splitlines() == [
        "error: facts/interview-137.json: panel[0] (Person 137 0).emial: unknown field 'emial'"
        " (did you mean 'email'?)",
        "199 written, 0 skipped, 1 failed, 0 warnings.",
    ]
    assert not (tmp_path / "out" / "company-137").exists()
    assert facts.is_dir()


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to find the workers")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_killed_run_leaves_only_whole_files(tmp_path, jobs):
    """After SIGKILL mid-batch every file is whole, and the next run leaves no temporaries."""
    _batch(tmp_path / "facts", 300, members=3)
    reference = _run("render", "facts", "-f", "text", "-o", "ref", "--today", TODAY, cwd=tmp_path)
    assert reference.returncode == 0
    expected = _files(tmp_path / "ref")
    assert len(expected) == 900

    out = tmp_path / "out"
    args = [SCRIPT, "render", "facts", "-f", "text", "-o", "out", "--today", TODAY, "-j", jobs]
    with subprocess.Popen(
        args, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    ) as proc:
        deadline = time.monotonic() + 30
        while not any(out.rglob("*.txt")) and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.002)
        workers = _children(proc.pid)
        proc.send_signal(signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL
    written = {k: v for k, v in _files(out).items() if not k.endswith(".tmp")}
    assert 0 < len(written) < 900, "the run was not killed mid-batch"
    assert all(expected[name] == data for name, data in written.items())  # no partial file
    _wait_gone(workers)

    again = _run("render", "facts", "-f", "text", "-o", "out", "--today", TODAY, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert _files(out) == expected  # every letter whole, and no temporaries left anywhere
    assert not [p for p in out.rglob(".*")]


@pytest.mark.slow
def test_ctrl_c_ends_with_the_summary(tmp_path):
    """Ctrl-C (SIGINT to the group, workers too) ends with the summary, exit 130, whole files."""
    _batch(tmp_path / "facts", 300, members=3)
    assert (
        _run(
            "render", "facts", "-f", "text", "-o", "ref", "--today", TODAY, cwd=tmp_path
        ).returncode
        == 0
    )
    out = tmp_path / "out"
    args = [SCRIPT, "render", "facts", "-f", "text", "-o", "out", "--today", TODAY, "-j", "2"]
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
    with subprocess.Popen(args, cwd=tmp_path, start_new_session=True, **pipes) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.readline()  # one file is written and listed: now press Ctrl-C
        os.killpg(proc.pid, signal.SIGINT)
        # Read through the same buffered files: communicate() would skip what readline() buffered.
        stdout, stderr = proc.stdout.read(), proc.stderr.read()  # stderr holds a few lines only
        proc.wait(timeout=30)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    listed = [first.rstrip("\n"), *stdout.splitlines()]
    assert 0 < len(listed) < 900
    assert stderr.endswith(
        f"{len(listed)} written, 0 skipped, 0 failed, 0 warnings.\n"
        "Interrupted: every file written is complete; run the same command again to finish.\n"
    )
    expected, on_disk = _files(tmp_path / "ref"), _files(out)
    assert {f"out/{name}" for name in on_disk} >= set(listed)
    assert all(expected[name] == data for name, data in on_disk.items())  # whole, no temporaries


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _wait_gone(pids: list[int]) -> None:
    """Worker processes end on their own once their parent was killed."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        alive = [p for p in pids if _running(p)]
        if not alive:
            return
        time.sleep(0.05)
    pytest.fail(f"worker processes {alive} outlived the killed run")


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def test_send_composes_as_render_does_so_a_broken_template_fails_the_same_letters(
    runner, examples_dir, tmp_path
):
    """send reads and composes through render's path: the same letters fail, the rest go."""
    broken = tmp_path / "mine" / "thank-you"
    broken.mkdir(parents=True)
    (broken / "formal.j2").write_text(
        '{% extends "_base/thank-you.j2" %}\n{% block body %}{{ }}{% endblock %}\n'
    )
    common = [str(examples_dir / "panel-interview.toml"), "--templates", str(broken.parent)]
    rendered = runner.invoke(cli, ["render", *common, "-f", "text", "-o", str(tmp_path / "out")])
    sent = runner.invoke(cli, ["send", *common])
    assert (rendered.exit_code, sent.exit_code) == (1, 1)
    errors = [line for line in sent.stderr.splitlines() if line.startswith("error: ")]
    assert errors == [line for line in rendered.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 2 and "letter to Tomás O'Neill: template thank-you/formal:2:" in errors[0]
    # The email letter is still listed (a dry run), as render still wrote it.
    assert sent.stdout.splitlines()[0].startswith("would send      Priya Raman <priya")
    assert "1 to send, 0 already sent, 0 not by email" in sent.stderr
