"""write(): safe names, paths inside the output folder, atomic no-clobber writes, -j order."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from thankyou.letter import Recipient
from thankyou.models import Delivery
from thankyou.output import (
    atomic_write,
    formats_for,
    remove_stale_temporaries,
    safe_name,
    write,
)
from thankyou.renderers import render

HOSTILE = [
    "../../etc/passwd",
    "/etc/passwd",
    "..",
    ".",
    "CON",
    "con.txt",
    "NUL",
    "aux",
    "COM1",
    "a/../../b",
    "C:\\Windows\\System32",
    "~root",
    "-rf",
    " ",
    "🙂🙂",
    "Ł" * 300,
]


def _tmp_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.name.endswith(".tmp"))


def _dead_pid() -> int:
    """The id of a process that has exited (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.mark.parametrize("name", HOSTILE, ids=range(len(HOSTILE)))
def test_safe_name_is_a_plain_ascii_slug(name):
    """A hostile name becomes a short ASCII slug that is no path, dot-name or reserved name."""
    slug = safe_name(name)
    assert slug.isascii()
    assert slug and "/" not in slug and "\\" not in slug
    assert not slug.startswith(".")
    assert len(slug.encode()) <= 120
    assert slug.split(".")[0].lower() not in {"con", "nul", "aux", "com1", "prn"}


def test_safe_name_keeps_readable_names():
    """Ordinary names become readable slugs, accents folded and apostrophes dropped."""
    assert safe_name("Tomás O'Neill") == "tomas-oneill"
    assert safe_name("Łukasz Żółć") == "lukasz-zolc"
    assert safe_name("CON") == "_con"


@pytest.mark.parametrize("company", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("recipient", ["../../../x", "/tmp/evil", "..", "CON"])
def test_hostile_names_stay_inside_the_output_folder(make_letter, tmp_path, company, recipient):
    """Whatever company and recipient say, every file lands inside the output folder."""
    out = tmp_path / "out"
    letter = make_letter(company=company, recipient=Recipient(name=recipient, company=company))
    report = write([letter], out, "text")
    assert [item.status for item in report.items] == ["written"]
    path = report.items[0].path
    assert path.resolve().is_relative_to(out.resolve())
    assert path.read_bytes() == render(letter, "text")
    assert list(tmp_path.iterdir()) == [out]


def test_same_names_get_numbered(make_letter, tmp_path):
    """Two "Ann Lee" at one company get ann-lee and ann-lee-2, in letter order."""
    first = make_letter(recipient=Recipient(name="Ann Lee"))
    second = make_letter(recipient=Recipient(name="Ann  Lee"), personal="Another paragraph.")
    report = write([first, second], tmp_path, "text")
    names = [item.path.relative_to(tmp_path).as_posix() for item in report.written]
    assert names == ["acme-robotics/ann-lee.txt", "acme-robotics/ann-lee-2.txt"]
    assert report.written[1].path.read_bytes() == render(second, "text")


def test_other_families_carry_their_name(make_letter, tmp_path):
    """A reference briefing is named after its family, so it never takes the thank-you's name."""
    thanks = make_letter()
    briefing = make_letter(template="references/briefing")
    report = write([thanks, briefing], tmp_path, "text")
    assert [p.path.name for p in report.written] == [
        "priya-raman.txt",
        "priya-raman-references.txt",
    ]


def test_auto_follows_delivery(make_letter):
    """auto gives email for email delivery and pdf for post and hand; lists keep their order."""
    assert formats_for(make_letter(delivery=Delivery.email), "auto") == ("email",)
    assert formats_for(make_letter(delivery=Delivery.post), "auto") == ("pdf",)
    assert formats_for(make_letter(delivery=Delivery.hand), "auto") == ("pdf",)
    assert formats_for(make_letter(), "docx, pdf,docx") == ("docx", "pdf")
    with pytest.raises(ValueError, match="unknown format 'odt'"):
        formats_for(make_letter(), "odt")


def test_existing_files_are_kept_without_overwrite(make_letter, tmp_path):
    """An existing file keeps its contents and is reported as skipped; overwrite replaces it."""
    path = tmp_path / "acme-robotics" / "priya-raman.txt"
    path.parent.mkdir()
    path.write_bytes(b"my own edits")
    report = write([make_letter()], tmp_path, "text")
    assert [(i.status, i.messages) for i in report.items] == [
        ("skipped", ("exists; use --force to overwrite",))
    ]
    assert path.read_bytes() == b"my own edits"
    report = write([make_letter()], tmp_path, "text", overwrite=True)
    assert [i.status for i in report.items] == ["written"]
    assert path.read_bytes() == render(make_letter(), "text")
    assert _tmp_files(tmp_path) == []


def test_a_symlink_is_never_written_through(make_letter, tmp_path):
    """A symlink in the output folder is replaced with --force, never followed."""
    target = tmp_path / "precious.txt"
    target.write_bytes(b"precious")
    out = tmp_path / "out" / "acme-robotics"
    out.mkdir(parents=True)
    (out / "priya-raman.txt").symlink_to(target)
    assert write([make_letter()], tmp_path / "out", "text").items[0].status == "skipped"
    assert (
        write([make_letter()], tmp_path / "out", "text", overwrite=True).items[0].status
        == "written"
    )
    assert target.read_bytes() == b"precious"
    assert not (out / "priya-raman.txt").is_symlink()


def test_one_failure_does_not_stop_the_batch(make_letter, tmp_path):
    """A letter that cannot be rendered fails alone; letters after it are written."""
    # A non-ASCII local part cannot go into an .eml without smtputf8 (RFC 6531).
    unsendable = make_letter(recipient=Recipient(name="Mei Chen", email="meï@acme.example"))
    report = write([unsendable, make_letter()], tmp_path, "email")
    assert [i.status for i in report.items] == ["failed", "written"]
    assert "Mei Chen" in report.items[0].messages[0]
    assert not report.ok


def test_an_email_for_a_reader_without_an_address_is_left_out_with_a_note(make_letter, tmp_path):
    """An .eml for someone without an address is no failure: no file, one note in the report."""
    no_email = make_letter(recipient=Recipient(name="Mei Chen"))
    report = write([no_email, make_letter()], tmp_path, "email,text")
    assert [(i.path.name, i.status) for i in report.items] == [
        ("mei-chen.txt", "written"), ("priya-raman.eml", "written"), ("priya-raman.txt", "written")
    ]  # fmt: skip
    assert report.unreachable == ["Mei Chen has no email address (goes by post): no .eml written"]
    assert report.ok and report.warnings == []


def test_a_blocked_folder_fails_only_its_letters(make_letter, tmp_path):
    """A file where a company folder should be fails that company's letters, not the batch."""
    (tmp_path / "acme-robotics").write_text("in the way")
    other = make_letter(company="Lumen", recipient=Recipient(name="Ann Lee"))
    report = write([make_letter(), other], tmp_path, "text")
    assert [i.status for i in report.items] == ["failed", "written"]
    assert report.items[0].messages[0].startswith("cannot write")


def test_dry_run_writes_nothing(make_letter, tmp_path):
    """A dry run plans every path, marks existing ones as kept, and creates nothing."""
    existing = tmp_path / "acme-robotics" / "priya-raman.txt"
    existing.parent.mkdir()
    existing.write_bytes(b"old")
    letters = [make_letter(), make_letter(recipient=Recipient(name="Mei Chen"))]
    report = write(letters, tmp_path, "text", dry_run=True)
    assert [(i.path.name, i.status) for i in report.items] == [
        ("priya-raman.txt", "skipped"),
        ("mei-chen.txt", "planned"),
    ]
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["acme-robotics", "priya-raman.txt"]
    assert existing.read_bytes() == b"old"


def test_jobs_keep_files_and_order(make_letter, tmp_path):
    """Two worker processes write the same bytes to the same paths, reported in the same order."""
    letters = [
        make_letter(
            recipient=Recipient(name=f"Person {n}"), company=f"Company {n % 3}", delivery=delivery
        )
        for n, delivery in zip(
            range(12), [Delivery.email, Delivery.post, Delivery.hand] * 4, strict=True
        )
    ]
    one = write(letters, tmp_path / "one", "text,email", jobs=1)
    two = write(letters, tmp_path / "two", "text,email", jobs=2)
    assert [(i.path.relative_to(tmp_path / "one"), i.status) for i in one.items] == [
        (i.path.relative_to(tmp_path / "two"), i.status) for i in two.items
    ]
    for a, b in zip(one.written, two.written, strict=True):
        assert a.path.read_bytes() == b.path.read_bytes()


def test_atomic_write_refuses_to_clobber(tmp_path):
    """atomic_write keeps an existing file unless told to overwrite, and leaves no temporary."""
    path = tmp_path / "sub" / "plan.ics"
    assert atomic_write(path, b"one") is True
    assert atomic_write(path, b"two") is False
    assert path.read_bytes() == b"one"
    assert atomic_write(path, b"two", overwrite=True) is True
    assert path.read_bytes() == b"two"
    assert _tmp_files(tmp_path) == []


def test_stale_temporaries_of_dead_runs_are_removed(tmp_path):
    """Temporaries of a process that is gone are removed; a live run's and other files stay."""
    dead = tmp_path / f".ann-lee.pdf.{_dead_pid()}-abc123.tmp"
    live = tmp_path / f".ann-lee.pdf.{os.getpid()}-def456.tmp"
    mine = [
        tmp_path / ".hidden",
        tmp_path / "notes.tmp",
        tmp_path / ".x.tmp",
        tmp_path / "ann-lee.pdf",
    ]
    for path in (dead, live, *mine):
        path.write_bytes(b"partial")
    assert remove_stale_temporaries(tmp_path) == [dead]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in (live, *mine))


def test_day_old_temporaries_are_removed_whoever_made_them(tmp_path):
    """A temporary older than a day is stale even if its pid now belongs to a live process."""
    old = tmp_path / f".ann-lee.pdf.{os.getppid()}-abc123.tmp"
    old.write_bytes(b"partial")
    a_day_ago = time.time() - 25 * 3600
    os.utime(old, (a_day_ago, a_day_ago))
    assert remove_stale_temporaries(tmp_path) == [old]


def test_write_cleans_the_folders_it_writes_to(make_letter, tmp_path):
    """A run removes what a killed run left in its folders and says so in the report."""
    folder = tmp_path / "acme-robotics"
    folder.mkdir()
    stale = folder / f".priya-raman.txt.{_dead_pid()}-zz9.tmp"
    stale.write_bytes(b"half a lett")
    report = write([replace(make_letter())], tmp_path, "text")
    assert report.cleaned == [stale]
    assert _tmp_files(tmp_path) == []
    assert remove_stale_temporaries(tmp_path / "missing") == []


def test_files_get_the_usual_permissions(make_letter, tmp_path):
    """Letters are created with the mode the umask gives new files, not the 0600 of temporaries."""
    mask = os.umask(0o022)
    os.umask(mask)
    report = write([make_letter()], tmp_path, "text")
    assert report.written[0].path.stat().st_mode & 0o777 == 0o666 & ~mask


def test_a_company_folder_linked_elsewhere_is_refused(make_letter, tmp_path):
    """If a company folder is a symlink out of the output folder, its letters fail instead."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "acme-robotics").symlink_to(elsewhere)
    report = write([make_letter()], tmp_path / "out", "text")
    assert [(i.status, i.messages) for i in report.items] == [
        ("failed", ("path leaves the output folder",))
    ]
    assert list(elsewhere.iterdir()) == []
