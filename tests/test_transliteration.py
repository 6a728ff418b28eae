"""name-spelling knows the usual ASCII spellings of accented names (German, Nordic, ...)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import thankyou
from thankyou._names import spelling_mismatch

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.mark.parametrize(
    ("name", "email"),
    [
        ("Jürgen Groß", "juergen.gross@nordlicht.example"),  # German digraphs
        ("Jürgen Groß", "jurgen.gross@nordlicht.example"),  # or the accent dropped
        ("Hanna Müller", "hmueller@acme.example"),
        ("Hanna Müller", "hanna.muller@acme.example"),
        ("Björn Öberg", "bjoern.oeberg@acme.example"),
        ("Käthe Bär", "kaethe.baer@acme.example"),
        ("Lea Straße", "lea.strasse@acme.example"),
        ("Søren Kierkegaard", "soeren.kierkegaard@acme.example"),  # Danish, Norwegian
        ("Søren Kierkegaard", "soren.k@acme.example"),
        ("Åsa Lindqvist", "aasa.lindqvist@acme.example"),
        ("Åsa Lindqvist", "asa.lindqvist@acme.example"),
        ("Ærøe Næss", "naess@acme.example"),
        ("François Lefèvre", "francois.lefevre@acme.example"),  # French
        ("José Núñez", "jose.nunez@acme.example"),  # Spanish
        ("José Núñez", "jose.nunyez@acme.example"),
        ("Łukasz Wiśniewski", "lukasz.wisniewski@acme.example"),  # Polish
        ("Antonín Dvořák", "antonin.dvorak@acme.example"),  # Czech
        ("Gülşen Çelik", "gulsen.celik@acme.example"),  # Turkish
        ("Pál Erdős", "pal.erdoes@acme.example"),  # Hungarian
    ],
)
def test_usual_ascii_spellings_are_silent(name, email):
    """Either the plain or the long (ü -> ue) ASCII spelling of a name is the name."""
    assert spelling_mismatch(name, email) is None


@pytest.mark.parametrize(
    ("name", "email", "expected"),
    [
        ("Jürgen Groß", "juergen.grosz@nordlicht.example", ("grosz", "Groß")),
        ("Hanna Müller", "hanna.mueler@acme.example", ("mueler", "Müller")),
        ("Søren Kierkegaard", "soeren.kirkegard@acme.example", ("kirkegard", "Kierkegaard")),
        ("Björn Öberg", "bjorm.oberg@acme.example", ("bjorm", "Björn")),
    ],
)
def test_a_slip_in_a_transliterated_name_still_warns(name, email, expected):
    """Knowing transliterations does not blind the check to real typos."""
    assert spelling_mismatch(name, email) == expected


def test_the_bundled_one_on_one_example_raises_no_name_spelling():
    """examples/one-on-one.json (Jürgen Groß at juergen.gross@) is clean of name-spelling."""
    interview = thankyou.load(EXAMPLES / "one-on-one.json")
    found = thankyou.check(interview, now=interview.when + dt.timedelta(hours=2))
    assert [f for f in found if f.code == "name-spelling"] == []


def test_the_advice_covers_the_name_and_the_address(tmp_path):
    """When name and address disagree, the sentence asks to check both."""
    data = json.loads((EXAMPLES / "one-on-one.json").read_text(encoding="utf-8"))
    data["panel"][0]["email"] = "juergen.grosz@nordlicht.example"
    interview = thankyou.Interview.model_validate(data)
    (finding,) = [
        f
        for f in thankyou.check(interview, now=interview.when + dt.timedelta(hours=2))
        if f.code == "name-spelling"
    ]
    assert finding.field == "panel[0].name"
    assert "the spelling of the name or of the address" in finding.message
    assert '"Groß" against "grosz"' in finding.message
