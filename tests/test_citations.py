"""Comments cite pages of this repository, RFCs and standards, never documents outside it.

A maintainer who reads "see SPEC §7" has nowhere to look: the rules live under docs/ (and, for
checks and the plan, in README.md), so a citation of anything else fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Where code, templates and their comments live.
SCANNED = ("thankyou", "templates", "tests", "bench", "tools", ".ci")
SUFFIXES = frozenset({".py", ".j2", ".md", ".toml", ".txt", ".sh", ".cfg", ".ini", ""})
SKIPPED_DIRS = frozenset({"node_modules", "fonts", "__pycache__"})

# Written in pieces so that this file does not cite what it forbids.
_OUTSIDE = re.compile(
    r"\b" + "SP" + r"EC\b"  # the specification by its file name
    r"|\b" + "ROBUST" + r"NESS\b"
    r"|\b" + "WRIT" + r"ING\.md\b"
    r"|\b" + "STY" + r"LE(\.md)? ?§"
    r"|\b" + "RECI" + r"PES\.md\b"
    r"|(?i:\bissue\s*#?\d+)"
)


def outside_citations(root: Path) -> list[str]:
    """``path:line: text`` for every line under ``root`` that cites a document not in the repo."""
    found = []
    for top in SCANNED:
        base = root / top
        paths = [base] if base.is_file() else sorted(base.rglob("*")) if base.is_dir() else []
        for path in paths:
            if not _scanned(path, root):
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError):
                continue
            for number, line in enumerate(text.splitlines(), 1):
                if _OUTSIDE.search(line):
                    found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    return found


def _scanned(path: Path, root: Path) -> bool:
    parts = path.relative_to(root).parts
    return (
        path.is_file()
        and path.suffix in SUFFIXES
        and not SKIPPED_DIRS.intersection(parts)
        and path.resolve() != Path(__file__).resolve()
    )


def test_no_comment_cites_a_document_outside_the_repository() -> None:
    found = outside_citations(ROOT)
    assert not found, "cite a page under docs/, an RFC or a standard instead:\n" + "\n".join(found)


def test_the_scan_finds_a_citation_that_comes_back(tmp_path: Path) -> None:
    """The scan is not blind: each kind of outside citation is caught, standards are not."""
    package = tmp_path / "thankyou"
    package.mkdir()
    outside = [
        "# see " + "SP" + "EC §7",
        "#: The field path in " + "SP" + "EC form",
        "# " + "ROBUST" + "NESS §2: fonts",
        '"""Read aloud against ' + "WRIT" + 'ING.md."""',
        "# " + "STY" + "LE §8",
        "# (issue #3 §5)",
        "# DOCX (Issue 4)",
    ]
    allowed = [
        "# RFC 5322 §2.1.1: lines of 998 characters at most",
        "# DIN 5008 form B (docs/design/layout.md)",
        "# the specification says",
    ]
    (package / "mod.py").write_text("\n".join(outside + allowed) + "\n", encoding="utf-8")
    found = outside_citations(tmp_path)
    assert [line.split(": ", 1)[1] for line in found] == outside
