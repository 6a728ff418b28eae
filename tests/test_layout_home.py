"""The layout numbers and the script detection each live in one module (docs/design/layout.md).

``renderers/_layout.py`` holds the page geometry the PDF and DOCX renderers share;
``renderers/_scripts.py`` decides which text is CJK, right to left or needs shaping.
A renderer that defines its own copy of one of these drifts from the other format
the first time someone changes a number in one place only.
"""

from __future__ import annotations

import ast
import io
from pathlib import Path

import docx
import pdfplumber
import pytest
from docx.shared import Pt

import thankyou
from thankyou.renderers import _layout, _scripts

RENDERERS = Path(_layout.__file__).parent


def assigned_names(source: str) -> dict[str, int]:
    """Names bound at module level by ``=`` or an annotated assignment, with their line."""
    names: dict[str, int] = {}
    for node in ast.parse(source).body:
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            elements = target.elts if isinstance(target, ast.Tuple) else [target]
            for element in elements:
                if isinstance(element, ast.Name):
                    names[element.id] = node.lineno
    return names


def shared_numbers() -> set[str]:
    """The public constants of ``_layout`` (upper-case names)."""
    source = (RENDERERS / "_layout.py").read_text(encoding="utf-8")
    return {name for name in assigned_names(source) if name.isupper() and not name.startswith("_")}


def copies_in(source: str, shared: set[str]) -> list[str]:
    """Names in ``source`` that redefine a shared constant (with or without a leading ``_``)."""
    return sorted(name for name in assigned_names(source) if name.lstrip("_") in shared)


def test_layout_holds_the_numbers_both_renderers_place_blocks_by() -> None:
    expected = {
        "SIGNATURE_HEIGHT", "LETTERHEAD_MAX_HEIGHT", "WINDOW_MIN_TOP", "FOLD_MARK", "HOLE_MARK",
        "MARK_X", "BELOW_WINDOW", "RETURN_SIZE", "SUBJECT", "DESCENT", "HEADER_DISTANCE",
    }  # fmt: skip
    assert expected <= shared_numbers()


def test_no_renderer_defines_its_own_copy_of_a_layout_number() -> None:
    shared = shared_numbers()
    found = {
        path.name: copies
        for path in sorted(RENDERERS.glob("*.py"))
        if path.name != "_layout.py"
        and (copies := copies_in(path.read_text(encoding="utf-8"), shared))
    }
    assert found == {}, f"define these once in renderers/_layout.py and import them: {found}"


def test_the_scan_finds_a_copy_under_any_spelling() -> None:
    source = (
        "from thankyou.renderers._layout import MM\n"
        "_SIGNATURE_HEIGHT = 15 * MM\n"
        "_MARK_X, _FOLD_MARK, _HOLE_MARK = 4 * MM, 5 * MM, 8 * MM\n"
        "BELOW_WINDOW: float = 24.0\n"
        "_TALL = 10_000.0\n"
    )
    assert copies_in(source, shared_numbers()) == [
        "BELOW_WINDOW",
        "_FOLD_MARK",
        "_HOLE_MARK",
        "_MARK_X",
        "_SIGNATURE_HEIGHT",
    ]


# --- script detection ----------------------------------------------------------------------------

#: The first character of the Hebrew block (right-to-left) and of the CJK Unified Ideographs,
#: as they are spelt in a regular expression's source.
RANGE_STARTS = ("\\u0590", "\\u4e00")


def test_script_ranges_are_written_in_one_module() -> None:
    home = (RENDERERS / "_scripts.py").read_text(encoding="utf-8")
    assert all(start in home for start in RANGE_STARTS)
    elsewhere = {
        path.name: [start for start in RANGE_STARTS if start in path.read_text(encoding="utf-8")]
        for path in sorted(RENDERERS.glob("*.py"))
        if path.name != "_scripts.py"
    }
    assert {name: starts for name, starts in elsewhere.items() if starts} == {}


@pytest.mark.parametrize(
    ("text", "cjk", "rtl", "reads_rtl", "shaping"),
    [
        ("Dear Dr. Raman,", False, False, False, False),
        ("王小明", True, False, False, False),
        ("김민준", True, False, False, False),
        ("Dear דוד לוי,", False, True, False, True),
        ("שלום David", False, True, True, True),
        ("محمد العلي", False, True, True, True),
        ("नमस्ते", False, False, False, True),
        ("\ufeffDear", False, False, False, True),  # a byte-order mark is no right-to-left letter
    ],
)
def test_scripts_classify_text(
    text: str, cjk: bool, rtl: bool, reads_rtl: bool, shaping: bool
) -> None:
    assert _scripts.is_cjk(text) is cjk
    assert _scripts.has_rtl(text) is rtl
    assert _scripts.reads_rtl(text) is reads_rtl
    assert _scripts.needs_shaping(text) is shaping


# --- the subject line, set alike in both formats -------------------------------------------------


def test_subject_line_is_bold_with_one_line_after_it_in_pdf_and_docx(make_letter) -> None:
    letter = make_letter(language="de", subject="Unser Gespräch zur Stelle")
    assert letter.heading == "Unser Gespräch zur Stelle"
    with pdfplumber.open(io.BytesIO(thankyou.render(letter, "pdf"))) as pdf:
        page = pdf.pages[0]
        words = page.extract_words(extra_attrs=["fontname"])
        lines = page.extract_text_lines()
    heading = next(line for line in lines if line["text"] == letter.heading)
    salutation = next(line for line in lines if line["text"] == letter.salutation)
    assert "Bold" in next(w for w in words if w["text"] == "Unser")["fontname"]
    # One body line for the heading, then the space after it: the salutation's line follows.
    gap = salutation["top"] - heading["top"]
    assert gap == pytest.approx(_layout.SUBJECT.leading + _layout.SUBJECT.after, abs=0.6)

    document = docx.Document(io.BytesIO(thankyou.render(letter, "docx")))
    paragraph = next(p for p in document.paragraphs if p.text == letter.heading)
    assert paragraph.style.font.bold is True
    assert paragraph.style.paragraph_format.space_after == Pt(_layout.SUBJECT.after)
