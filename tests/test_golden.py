"""The example letters word for word: examples/ composed with every template, against golden/.

Set THANKYOU_REGEN_GOLDEN=1 to rewrite the golden files after a deliberate change
to the templates or the examples, then read the diff before committing it
(see tests/golden/README.md).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from slugify import slugify

import thankyou
from thankyou import templating

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
EXAMPLES = ("panel-interview.toml", "one-on-one.json", "one-on-one.yaml")
TODAY = dt.date(2026, 11, 25)
REGENERATE = os.environ.get("THANKYOU_REGEN_GOLDEN") == "1"


def _readable(letter: thankyou.Letter) -> str:
    """A letter as a person checks it: who it goes to and how, the subject, then the text."""
    how = (
        letter.recipient.email
        if letter.delivery is thankyou.Delivery.email
        else letter.delivery.value
    )
    return (
        f"Template: {letter.template}\n"
        f"To: {letter.recipient.name} ({how})\n"
        f"Subject: {letter.subject}\n"
        "\n"
        f"{letter.text}"
    )


def _letters() -> dict[str, str]:
    """Every golden file's relative path and text, from the examples and the built-in templates."""
    found: dict[str, str] = {}
    for example in EXAMPLES:
        interview = thankyou.load(ROOT / "examples" / example)
        for info in templating.catalogue():
            try:
                letters = thankyou.compose(interview, info.name, today=TODAY)
            except thankyou.FactsError:  # the example has no references or no recruiter
                continue
            for letter in letters:
                folder, template = example.replace(".", "-"), info.name.replace("/", "-")
                name = f"{folder}/{template}--{slugify(letter.recipient.name)}.txt"
                found[name] = _readable(letter)
    return found


LETTERS = _letters()


@pytest.mark.parametrize("name", sorted(LETTERS))
def test_letter_matches_golden(name: str) -> None:
    """Each example letter is exactly the reviewed text in tests/golden/."""
    path = GOLDEN / name
    if REGENERATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(LETTERS[name], encoding="utf-8", newline="\n")
    assert path.is_file(), f"no golden file {name}; run with THANKYOU_REGEN_GOLDEN=1 and review it"
    assert LETTERS[name] == path.read_text(encoding="utf-8")


def test_no_stale_golden_files() -> None:
    """Every file in tests/golden/ belongs to a letter the examples still produce."""
    if REGENERATE:
        for path in GOLDEN.rglob("*.txt"):
            if path.relative_to(GOLDEN).as_posix() not in LETTERS:
                path.unlink()
    on_disk = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.txt")}
    assert on_disk == set(LETTERS)


def test_every_example_and_template_is_covered() -> None:
    """The golden set covers all three examples and all six built-in templates."""
    assert {name.split("/")[0] for name in LETTERS} == {e.replace(".", "-") for e in EXAMPLES}
    templates = {name.split("/")[1].split("--")[0] for name in LETTERS}
    assert templates == {info.name.replace("/", "-") for info in templating.catalogue()}
