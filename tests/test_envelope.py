"""Envelopes (-f envelope): every size measured against its postal standard with pdfplumber.

The numbers below are the standards' own, written out here rather than taken
from the renderer, so that a wrong constant there fails here:

* US #10, 4 1/8 x 9 1/2 in. USPS DMM 202.2.1 and Publication 28 A1: the OCR
  read area is 1/2 in from the left and right edges, 5/8 in to 2 3/4 in above
  the bottom edge; the barcode clear zone is the bottom 5/8 in of the rightmost
  4 3/4 in. The return address: upper left, top third, left half.
* DL 220 x 110, C6 162 x 114, C5 229 x 162 mm (DIN 678-1). The address field at
  the window position of DIN 678: 20 mm from the left, bottom 15 mm above the
  bottom edge, 45 mm high; the address lines start 17.7 mm below its top (DIN
  5008). Deutsche Post: franking zone 74 x 40 mm top right, coding zone the
  bottom 15 mm, address 15 mm from the right edge; sender within 40 mm of the top.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from click.testing import CliRunner

import thankyou
from thankyou.cli import cli
from thankyou.errors import RenderError, RenderWarning
from thankyou.letter import Letter, Recipient
from thankyou.models import Delivery, Style

INCH = 72.0
MM = 72 / 25.4


@dataclass(frozen=True)
class Rules:
    """One envelope's numbers, in points; ``top``/``bottom`` measured from the top edge."""

    width: float
    height: float
    #: The address area: left, right, top, bottom (from the top edge).
    area: tuple[float, float, float, float]
    #: Where the return address must end: right edge and bottom (from the top edge).
    return_limit: tuple[float, float]
    #: Boxes no character may touch: x0, top, x1, bottom (from the top edge).
    clear: tuple[tuple[float, float, float, float], ...]
    #: DIN: the first address line starts this far below the page top (None for USPS).
    first_line: float | None = None


def _us10() -> Rules:
    w, h = 9.5 * INCH, 4.125 * INCH
    return Rules(
        w, h,
        area=(0.5 * INCH, w - 0.5 * INCH, h - 2.75 * INCH, h - 0.625 * INCH),
        return_limit=(w / 2, h / 3),
        clear=((w - 4.75 * INCH, h - 0.625 * INCH, w, h),),
    )  # fmt: skip


def _din(width_mm: float, height_mm: float) -> Rules:
    w, h = width_mm * MM, height_mm * MM
    field_top = h - 60 * MM
    return Rules(
        w, h,
        area=(20 * MM, w - 15 * MM, max(field_top, 40 * MM), h - 15 * MM),
        return_limit=(w - 74 * MM, 40 * MM),
        clear=((w - 74 * MM, 0, w, 40 * MM), (0, h - 15 * MM, w, h)),
        first_line=field_top + 17.7 * MM,
    )  # fmt: skip


RULES = {"us10": _us10(), "dl": _din(220, 110), "c6": _din(162, 114), "c5": _din(229, 162)}
#: The paper each size goes with by default (None: only by [style] envelope).
STYLES = {
    "us10": Style(paper="letter"),
    "dl": Style(paper="a4"),
    "c6": Style(paper="a4", envelope="c6"),
    "c5": Style(paper="letter", envelope="c5", font="sans"),
}


def chars(data: bytes) -> tuple[list[dict[str, Any]], float, float]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        return list(page.chars), float(page.width), float(page.height)


def lines_of(found: list[dict[str, Any]]) -> list[str]:
    """Text lines in reading order, grouped by baseline."""
    rows: dict[int, list[dict[str, Any]]] = {}
    for c in found:
        rows.setdefault(round(c["bottom"]), []).append(c)
    return [
        "".join(c["text"] for c in sorted(r, key=lambda c: c["x0"]))
        for _, r in sorted(rows.items())
    ]


def split(found: list[dict[str, Any]], height: float) -> tuple[list[dict[str, Any]], ...]:
    """Return-address characters (top third of the page) and address characters (the rest)."""
    top = [c for c in found if c["bottom"] < height * 0.36]
    return top, [c for c in found if c["bottom"] >= height * 0.36]


def render(letter: Letter, style: Style) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("error", RenderWarning)  # a clean envelope renders without any
        return thankyou.render(letter, "envelope", style=style, invariant=True)


# -- every size against its standard ----------------------------------------------------------


@pytest.mark.parametrize("size", sorted(RULES))
def test_posted_envelope_meets_its_standard(make_letter: Callable[..., Letter], size: str) -> None:
    rules, style = RULES[size], STYLES[size]
    found, width, height = chars(render(make_letter(), style))
    assert (width, height) == pytest.approx((rules.width, rules.height), abs=0.05)

    sender, address = split(found, height)
    assert lines_of(sender) == ["Alex Morgan", "12 Elm Street", "Springfield, IL 62701"]
    assert lines_of(address) == [
        "Priya Raman", "Director of Data Platform", "Acme Robotics",
        "400 Industrial Way", "Springfield, IL 62704",
    ]  # fmt: skip

    left, right, top, bottom = rules.area
    assert min(c["x0"] for c in address) >= left - 0.01
    assert max(c["x1"] for c in address) <= right
    assert min(c["top"] for c in address) >= top
    assert max(c["bottom"] for c in address) <= bottom
    # One uniform left margin for the whole block.
    starts = {round(min(c["x0"] for c in address if round(c["bottom"]) == b), 1)
              for b in {round(c["bottom"]) for c in address}}  # fmt: skip
    assert len(starts) == 1

    return_right, return_bottom = rules.return_limit
    assert min(c["x0"] for c in sender) <= 1 * INCH  # the top left corner
    assert min(c["top"] for c in sender) <= 0.6 * INCH
    assert max(c["x1"] for c in sender) <= return_right
    assert max(c["bottom"] for c in sender) <= return_bottom

    for x0, y0, x1, y1 in rules.clear:
        assert not [c for c in found if c["x1"] > x0 and c["x0"] < x1 and c["bottom"] > y0
                    and c["top"] < y1], f"printing in a clear zone of {size}"  # fmt: skip

    sizes = {round(c["size"], 1) for c in address}
    assert sizes == {11.0}  # 10-12 pt: Deutsche Post; 8-12 pt: USPS Publication 25
    assert min(c["size"] for c in sender) >= 8  # DIN 5008's minimum
    family = "LiberationSans" if style.font == "sans" else "LiberationSerif"
    assert all(family in c["fontname"] for c in found)


@pytest.mark.parametrize("size", ["dl", "c6", "c5"])
def test_din_address_starts_under_the_note_zone(make_letter: Callable[..., Letter], size: str):
    """DIN 5008: the address zone begins 17.7 mm under the top of the 45 mm field."""
    rules = RULES[size]
    found, _, height = chars(render(make_letter(), STYLES[size]))
    _, address = split(found, height)
    first_top = min(c["top"] for c in address)
    assert rules.first_line is not None
    # The capitals' tops sit just under the line's top: within a quarter of the 11 pt size.
    assert rules.first_line <= first_top <= rules.first_line + 0.25 * 11
    assert min(c["x0"] for c in address) == pytest.approx(20 * MM, abs=0.3)


def test_us10_address_sits_mid_envelope_in_the_ocr_area(make_letter: Callable[..., Letter]):
    found, _, height = chars(render(make_letter(), STYLES["us10"]))
    _, address = split(found, height)
    left = min(c["x0"] for c in address)
    assert 3.5 * INCH <= left <= 4.5 * INCH  # the usual typing position, about 4 in
    middle = (min(c["top"] for c in address) + max(c["bottom"] for c in address)) / 2
    assert height * 0.45 <= middle <= height * 0.7  # on or a little under the middle


# -- by hand, by email ------------------------------------------------------------------------


@pytest.mark.parametrize("size", sorted(RULES))
def test_hand_delivery_has_name_title_company_and_by_hand(
    make_letter: Callable[..., Letter], size: str
) -> None:
    letter = make_letter(delivery=Delivery.hand)
    found, _, height = chars(render(letter, STYLES[size]))
    sender, address = split(found, height)
    assert lines_of(sender) == ["Alex Morgan"]  # no postal return address on a hand delivery
    assert lines_of(address) == ["By hand", "Priya Raman", "Director of Data Platform",
                                 "Acme Robotics"]  # fmt: skip
    note = [c for c in address if c["bottom"] < min(x["bottom"] for x in address) + 1]
    assert "Italic" in note[0]["fontname"]
    assert max(c["size"] for c in note) < 11  # discreet: smaller than the name
    left, right, top, bottom = RULES[size].area
    assert all(left - 0.01 <= c["x0"] and c["x1"] <= right and top <= c["top"]
               and c["bottom"] <= bottom for c in address)  # fmt: skip


def test_email_letter_has_no_envelope(make_letter: Callable[..., Letter]) -> None:
    with pytest.raises(RenderError, match="goes by email"):
        thankyou.render(make_letter(delivery=Delivery.email), "envelope")


# -- what is printed: every character, or a warning --------------------------------------------


def test_names_in_other_scripts_print_exactly(make_letter: Callable[..., Letter]) -> None:
    recipient = Recipient(
        name="Łukasz Żółć & <Αλέξης Παπαδόπουλος>", title="Инженер",
        address=("ул. Тверская, 7", "Москва 125009", "RUSSIA"),
    )  # fmt: skip
    found, _, height = chars(render(make_letter(recipient=recipient), STYLES["dl"]))
    _, address = split(found, height)
    assert lines_of(address) == ["Łukasz Żółć & <Αλέξης Παπαδόπουλος>", "Инженер",
                                 "ул. Тверская, 7", "Москва 125009", "RUSSIA"]  # fmt: skip


def test_a_name_no_font_can_print_is_refused(make_letter: Callable[..., Letter]) -> None:
    """As for the letter: a name must never print as empty boxes without being asked."""
    letter = make_letter(recipient=Recipient(name="Ann \ue000Lee", address=("1 Main Street",)))
    with pytest.raises(RenderError, match=r"recipient\.name: no font has .* \(U\+E000\)"):
        thankyou.render(letter, "envelope")
    with pytest.warns(RenderWarning, match="empty boxes: recipient.name: \ue000 \\(U\\+E000\\)"):
        thankyou.render(letter, "envelope", allow_missing_glyphs=True)


def test_other_characters_no_font_has_are_a_warning(make_letter: Callable[..., Letter]) -> None:
    letter = make_letter(recipient=replace(make_letter().recipient, address=("Suite \ue001",)))
    with pytest.warns(RenderWarning, match="empty boxes: recipient: \ue001"):
        thankyou.render(letter, "envelope")


def test_an_address_too_long_for_the_field_is_a_warning(make_letter: Callable[..., Letter]):
    lines = tuple(f"Building {n}" for n in range(10))
    letter = make_letter(recipient=Recipient(name="Priya Raman", title="Director",
                                             company="Acme", address=lines))  # fmt: skip
    with pytest.warns(RenderWarning, match="does not fit the DL envelope"):
        thankyou.render(letter, "envelope", style=STYLES["dl"])


def test_seven_lines_move_up_inside_the_din_field(make_letter: Callable[..., Letter]) -> None:
    """DIN 5008 lets a long address use the note zone; it still ends 15 mm above the edge."""
    address = ("Building 3 A", "Department 3 RT", "PO Box 12 34", "83334 Munich")
    letter = make_letter(recipient=replace(make_letter().recipient, address=address))
    found, _, height = chars(render(letter, STYLES["dl"]))
    _, block = split(found, height)
    assert len(lines_of(block)) == 7
    assert max(c["bottom"] for c in block) <= height - 15 * MM
    assert min(c["top"] for c in block) >= height - 60 * MM


def test_a_long_line_moves_the_us10_block_left_not_past_the_margin(make_letter):
    long = "Department of Very Long Names for Things, Building 7, Suite 1200, Floor 12"
    letter = make_letter(recipient=replace(make_letter().recipient, address=(long, "Springfield")))
    found, width, height = chars(render(letter, STYLES["us10"]))
    _, address = split(found, height)
    assert long in lines_of(address)
    assert max(c["x1"] for c in address) <= width - 0.5 * INCH


def test_invariant_envelopes_are_byte_identical(make_letter: Callable[..., Letter]) -> None:
    one = thankyou.render(make_letter(), "envelope", invariant=True)
    assert one == thankyou.render(make_letter(), "envelope", invariant=True)
    assert one.startswith(b"%PDF-")


def test_unknown_envelope_size_is_a_facts_error(tmp_path: Path) -> None:
    facts = tmp_path / "i.toml"
    facts.write_text(
        'company = "Acme"\nposition = "Engineer"\ndate = 2026-11-24\n'
        '[candidate]\nname = "Alex Morgan"\nemail = "alex@example.com"\n'
        '[[panel]]\nname = "Priya Raman"\nemail = "priya@acme.example"\n'
        '[style]\nenvelope = "c7"\n',
        encoding="utf-8",
    )
    with pytest.raises(thankyou.FactsError, match=r"style\.envelope"):
        thankyou.load(facts)


# -- the command line -------------------------------------------------------------------------


def test_render_envelope_writes_the_posted_and_the_handed_one(examples_dir: Path, tmp_path: Path):
    out = tmp_path / "out"
    args = ["render", str(examples_dir / "panel-interview.toml"), "-f", "envelope", "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == [
        "acme-robotics/mei-chen-envelope.pdf",
        "acme-robotics/tomas-oneill-envelope.pdf",
    ]
    assert "no envelope for Priya Raman: by email" in result.stderr
    assert "2 written, 0 skipped, 0 failed" in result.stderr
    found, _, height = chars((out / "acme-robotics/tomas-oneill-envelope.pdf").read_bytes())
    assert "Tomás O'Neill" in lines_of(split(found, height)[1])

    again = CliRunner().invoke(cli, args)  # nothing is overwritten without --force
    assert again.exit_code == 0
    assert "0 written, 2 skipped" in again.stderr


def test_auto_adds_envelopes_only_when_the_style_asks(examples_dir: Path, tmp_path: Path):
    facts = examples_dir / "panel-interview.toml"
    plain = tmp_path / "plain"
    assert CliRunner().invoke(cli, ["render", str(facts), "-o", str(plain)]).exit_code == 0
    assert not list(plain.rglob("*envelope*"))

    text = facts.read_text(encoding="utf-8").replace("[style]\n", "[style]\nenvelopes = true\n")
    facts.write_text(text, encoding="utf-8")
    asked = tmp_path / "asked"
    assert CliRunner().invoke(cli, ["render", str(facts), "-o", str(asked)]).exit_code == 0
    names = sorted(p.name for p in asked.rglob("*.*"))
    assert names == ["mei-chen-envelope.pdf", "mei-chen.pdf", "priya-raman.eml",
                     "tomas-oneill-envelope.pdf", "tomas-oneill.pdf"]  # fmt: skip


def test_write_api_skips_email_letters_for_envelopes(make_letter, tmp_path: Path) -> None:
    letters = [
        make_letter(),
        make_letter(
            delivery=Delivery.email, recipient=Recipient(name="Mei Chen", email="m@x.example")
        ),
    ]
    report = thankyou.write(letters, tmp_path, "pdf,envelope")
    assert sorted(i.path.name for i in report.written) == [
        "mei-chen.pdf",
        "priya-raman-envelope.pdf",
        "priya-raman.pdf",
    ]
    assert report.ok


def test_auto_prints_no_envelope_for_a_window_letter(make_letter, tmp_path: Path) -> None:
    """A window-layout letter shows its address through the window: nothing to print."""
    window = make_letter(style=Style(envelopes=True, layout="window"))
    block = make_letter(style=Style(envelopes=True), recipient=Recipient(name="Mei Chen"),
                        delivery=Delivery.hand)  # fmt: skip
    report = thankyou.write([window, block], tmp_path, "auto")
    assert sorted(i.path.name for i in report.written) == [
        "mei-chen-envelope.pdf",
        "mei-chen.pdf",
        "priya-raman.pdf",
    ]
    asked = thankyou.write([window], tmp_path / "asked", "envelope")  # asked for: printed
    assert [i.path.name for i in asked.written] == ["priya-raman-envelope.pdf"]
