"""The facts models: validation rules and messages, the salutation rule, the cleaning layer."""

from __future__ import annotations

import copy
import datetime as dt
import re
import unicodedata
from typing import Any

import pytest

import thankyou
from thankyou.facts import validate
from thankyou.models import ascii_email

TODAY = dt.date(2026, 11, 25)


def _facts(**changes: Any) -> dict[str, Any]:
    """A complete, valid facts mapping with every optional table filled in."""
    data: dict[str, Any] = {
        "company": "Acme Robotics",
        "position": "Senior Data Engineer",
        "date": "2026-11-24T14:00:00-06:00",
        "location": "Springfield headquarters",
        "decision_within_days": 5,
        "highlights": ["streaming pipelines"],
        "concerns": [
            {
                "topic": "my Kubernetes experience",
                "answer": "I have started running a side project on a managed cluster.",
            }
        ],
        "next_steps": "a take-home exercise",
        "fit": "four years of streaming work",
        "template": "thank-you/formal",
        "candidate": {
            "name": "Alex Morgan",
            "email": "alex.morgan@example.com",
            "phone": "+1 555 010 0199",
            "address": ["12 Elm Street", "Springfield, IL 62701"],
        },
        "panel": [
            {
                "name": "Priya Raman",
                "honorific": "Dr.",
                "family_name": "Raman",
                "title": "Director of Data Platform",
                "email": "priya.raman@acme.example",
                "address": ["400 Industrial Way"],
                "personal": "Your question about late events stayed with me.",
            }
        ],
        "recruiter": {
            "name": "Jordan Lee",
            "agency": "Northside Talent",
            "phone": "+1 555 010 0142",
            "email": "jordan@northside.example",
        },
        "references": [
            {
                "name": "Sam Ortiz",
                "relationship": "my manager",
                "email": "sam@brightline.example",
                "phone": "+1 555 010 0100",
                "emphasise": ["the on-call redesign"],
            }
        ],
    }
    data.update(changes)
    return data


def _parts(path: str) -> list[str | int]:
    return [int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", path)]


def _with(path: str, value: Any) -> dict[str, Any]:
    """The valid facts with the field at ``path`` (e.g. ``panel[0].name``) set to ``value``."""
    data = _facts()
    node: Any = data
    *head, last = _parts(path)
    for part in head:
        node = node[part]
    node[last] = value
    return data


def _get(interview: thankyou.Interview, path: str) -> Any:
    node: Any = interview
    for part in _parts(path):
        node = node[part] if isinstance(part, int) else getattr(node, part)
    return node


def _load(path: str, value: Any) -> Any:
    """Validate the facts with one field changed and return that field's stored value."""
    return _get(validate(_with(path, value)), path)


def _problem(path: str, value: Any) -> str:
    """Validate the facts with one field changed and return the message reported for that field."""
    with pytest.raises(thankyou.FactsError) as caught:
        validate(_with(path, value))
    messages = [p.message for p in caught.value.problems if p.field == path]
    assert messages, f"no problem reported at {path}: {caught.value}"
    return messages[0]


#: Every single-line text field, with its length cap.
LINE_FIELDS = {
    "company": 200,
    "position": 200,
    "location": 200,
    "template": 200,
    "next_steps": 1000,
    "highlights[0]": 1000,
    "concerns[0].topic": 1000,
    "concerns[0].answer": 1000,
    "fit": 1000,
    "panel[0].given_name": 200,
    "panel[0].salutation": 200,
    "recruiter.given_name": 200,
    "recruiter.salutation": 200,
    "references[0].given_name": 200,
    "references[0].salutation": 200,
    "candidate.name": 200,
    "candidate.phone": 200,
    "candidate.address[1]": 200,
    "panel[0].name": 200,
    "panel[0].honorific": 200,
    "panel[0].family_name": 200,
    "panel[0].title": 200,
    "panel[0].address[0]": 200,
    "recruiter.name": 200,
    "recruiter.agency": 200,
    "recruiter.phone": 200,
    "references[0].name": 200,
    "references[0].relationship": 1000,
    "references[0].phone": 200,
    "references[0].emphasise[0]": 1000,
}
#: Every multi-line text field, with its length cap.
BLOCK_FIELDS = {"panel[0].personal": 20_000}
TEXT_FIELDS = {**LINE_FIELDS, **BLOCK_FIELDS}
REQUIRED_TEXT = [
    "company",
    "position",
    "candidate.name",
    "panel[0].name",
    "recruiter.name",
    "references[0].name",
]


def test_the_full_facts_are_valid() -> None:
    """The mapping the field tests start from passes validation unchanged."""
    interview = validate(_facts())
    assert interview.panel[0].personal == "Your question about late events stayed with me."


# --- the cleaning layer, for every text field -----------------------------------------------------


@pytest.mark.parametrize("path", sorted(TEXT_FIELDS))
def test_text_is_stored_in_nfc(path: str) -> None:
    """A decomposed José (e + combining acute) is stored composed, in every text field."""
    stored = _load(path, "Jose\u0301 Ali")
    assert stored == "Jos\u00e9 Ali"
    assert unicodedata.is_normalized("NFC", stored)


@pytest.mark.parametrize("path", sorted(TEXT_FIELDS))
def test_leading_bom_is_removed(path: str) -> None:
    """A byte-order mark at the start of a value (from Excel or Notepad) is dropped."""
    assert _load(path, "\ufeffAcme") == "Acme"


@pytest.mark.parametrize(
    "char",
    [
        "\x00",
        "\x07",
        "\x1b",
        "\x1f",
        "\x7f",
        "\x80",
        "\x9b",
        "\ud800",
        "\udfff",
        "\ufffe",
        "\uffff",
    ],
)
@pytest.mark.parametrize("path", sorted(TEXT_FIELDS))
def test_controls_surrogates_and_non_characters_are_rejected(path: str, char: str) -> None:
    """C0/C1 controls, lone surrogates, U+FFFE and U+FFFF are refused, naming the code point."""
    message = _problem(path, f"Ac{char}me")
    assert f"U+{ord(char):04X}" in message
    assert "position 3" in message


@pytest.mark.parametrize(
    "char", ["\r", "\n", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
)
@pytest.mark.parametrize("path", sorted(LINE_FIELDS))
def test_single_line_fields_reject_every_line_break(path: str, char: str) -> None:
    """A name, title, company or phrase with a line break of any kind is an error at that field."""
    assert "single line" in _problem(path, f"Acme{char}Robotics")


@pytest.mark.parametrize("path", sorted(LINE_FIELDS))
def test_single_line_fields_drop_bidi_overrides_but_keep_joiners(path: str) -> None:
    """Bidi overrides and isolates vanish from single-line fields; ZWJ and ZWNJ stay."""
    overrides = "".join(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
    stored = _load(
        path,
        f"{overrides}\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 \u0915\u094d\u200d\u0937",
    )
    assert stored == "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 \u0915\u094d\u200d\u0937"


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("one\r\ntwo", "one\ntwo"),
        ("one\rtwo", "one\ntwo"),
        ("one\u2028two", "one\ntwo"),
        ("one\x0btwo", "one\ntwo"),
        ("one\x0ctwo", "one\ntwo"),
        ("one\u2029two", "one\n\ntwo"),
        ("one\r\n\r\ntwo", "one\n\ntwo"),
    ],
)
def test_multi_line_fields_normalise_line_breaks(raw: str, stored: str) -> None:
    """In the personal paragraph every kind of line break becomes LF, and U+2029 a blank line."""
    assert _load("panel[0].personal", raw) == stored


@pytest.mark.parametrize(("path", "cap"), sorted(TEXT_FIELDS.items()))
def test_length_caps(path: str, cap: int) -> None:
    """Each text field takes exactly its cap in characters and refuses one more, saying so."""
    assert len(_load(path, "x" * cap)) == cap
    message = _problem(path, "x" * (cap + 1))
    assert f"limit is {cap:,}" in message
    assert len(message) < 200, "the message must not echo the whole value back"


@pytest.mark.parametrize("value", ["", "   ", "\u3000\t", "\ufeff", "\u202e\u202c"])
@pytest.mark.parametrize("path", REQUIRED_TEXT)
def test_blank_required_fields_are_rejected(path: str, value: str) -> None:
    """Empty or whitespace-only required text is an error, so no letter can start "Dear ,"."""
    assert "must not be empty" in _problem(path, value)


@pytest.mark.parametrize("value", [42, 3.5, True])
@pytest.mark.parametrize("path", sorted(TEXT_FIELDS))
def test_numbers_where_text_is_expected_are_rejected(path: str, value: Any) -> None:
    """A number or boolean in a text field is a mistake in the file, not text: it is refused."""
    assert "must be text" in _problem(path, value)


def test_inner_whitespace_and_case_are_kept() -> None:
    """Cleaning trims the ends only: inner spacing and letter case are the user's."""
    assert _load("panel[0].name", "  de  la Cruz  ") == "de  la Cruz"


# --- required fields and other rules --------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "company",
        "position",
        "date",
        "candidate",
        "panel",
        "candidate.name",
        "candidate.email",
        "panel[0].name",
    ],
)
def test_required_fields(path: str) -> None:
    """Leaving out a required field is reported as "is required" at its path."""
    data = _facts()
    node: Any = data
    *head, last = _parts(path)
    for part in head:
        node = node[part]
    del node[last]
    with pytest.raises(thankyou.FactsError) as caught:
        validate(data)
    assert any(
        p.field == path and p.message.startswith("is required") for p in caught.value.problems
    )


def test_empty_panel_is_rejected() -> None:
    """An interview needs at least one interviewer."""
    with pytest.raises(thankyou.FactsError) as caught:
        validate(_facts(panel=[]))
    assert caught.value.field == "panel"


def test_bad_date_message_quotes_the_value() -> None:
    """A date that does not parse is quoted back with the two forms that work."""
    message = _problem("date", "next tuesday")
    assert message.startswith("'next tuesday' is not a date")
    assert "2026-11-24" in message


@pytest.mark.parametrize("raw", ["2026-11-24", "2026-11-24T14:00:00-06:00", "2026-11-24T14:00:00Z"])
def test_dates_keep_their_kind(raw: str) -> None:
    """A date-only value stays a date, not midnight; a date-time keeps its offset."""
    date = validate(_facts(date=raw)).date
    if len(raw) == 10:
        assert type(date) is dt.date
    else:
        assert isinstance(date, dt.datetime) and date.utcoffset() is not None


@pytest.mark.parametrize("raw", [20261124, 1.5, True, None, "24/11/2026"])
def test_numbers_are_not_dates(raw: Any) -> None:
    """A number is refused as a date instead of becoming a Unix timestamp in 1970."""
    message = _problem("date", raw)
    assert "is not a date" in message
    with pytest.raises(thankyou.FactsError) as caught:
        validate(_facts(date=raw))
    assert len(caught.value.problems) == 1


def test_missing_letterhead_image_is_one_problem(tmp_path: Any) -> None:
    """A letterhead path that does not exist is one clear problem, not one per allowed type."""
    with pytest.raises(thankyou.FactsError) as caught:
        validate(_facts(style={"letterhead": "head.png"}), base_dir=tmp_path)
    assert [(p.field, p.message) for p in caught.value.problems] == [
        ("style.letterhead", f"no such file: {tmp_path / 'head.png'}")
    ]
    with pytest.raises(thankyou.FactsError, match="true, false or the path of an image"):
        validate(_facts(style={"letterhead": 3}))


@pytest.mark.parametrize("days", [-1, 366])
def test_decision_days_range(days: int) -> None:
    """decision_within_days must lie between 0 and 365."""
    _problem("decision_within_days", days)


def test_models_are_frozen() -> None:
    """A loaded interview is a value: assigning to a field raises."""
    interview = validate(_facts())
    with pytest.raises(ValueError, match="frozen"):
        interview.company = "Other"  # type: ignore[misc]


# --- salutation -----------------------------------------------------------------------------------


def _salutation(**member: Any) -> str:
    person = {"email": "someone@acme.example", **member}
    letters = thankyou.compose(validate(_facts(panel=[person], template=None)), today=TODAY)
    return letters[0].salutation


def test_salutation_uses_honorific_and_family_name() -> None:
    """With both honorific and family name the letter says "Dear Dr. Raman,"."""
    assert (
        _salutation(name="Priya Raman", honorific="Dr.", family_name="Raman") == "Dear Dr. Raman,"
    )


@pytest.mark.parametrize(
    "name",
    [
        "Nguyễn Thị Minh Khai",
        "Fiona MacDonald",
        "Anneke van der Berg",
        "Tomás O'Neill",
        "毛泽东",
        "bell hooks",
        "JOSÉ GARCÍA",
        "Mary-Jane d'Arcy",
    ],
)
def test_salutation_uses_the_full_name_exactly(name: str) -> None:
    """Without honorific and family name the salutation is the full name, never re-cased."""
    assert _salutation(name=name) == f"Dear {name},"


def test_family_name_first_is_respected() -> None:
    """A family name that comes first in the name is used as given, not guessed from word order."""
    got = _salutation(name="Nguyễn Thị Minh Khai", honorific="Ms.", family_name="Nguyễn")
    assert got == "Dear Ms. Nguyễn,"


@pytest.mark.parametrize("member", [{"honorific": "Dr."}, {"family_name": "Raman"}])
def test_salutation_needs_both_parts(member: dict[str, str]) -> None:
    """Honorific without family name, or the reverse, falls back to the full name."""
    assert _salutation(name="Priya Raman", **member) == "Dear Priya Raman,"


# --- email addresses ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["candidate.email", "panel[0].email", "recruiter.email", "references[0].email"]
)
def test_email_domain_is_lowered_and_local_part_kept(path: str) -> None:
    """Every address is normalised: the domain lower-cased, the local part left as typed."""
    assert _load(path, "Priya.Raman@ACME.Example") == "Priya.Raman@acme.example"


@pytest.mark.parametrize(
    "raw", ["priya@bücher.example", "priya@xn--bcher-kva.example", " priya@BÜCHER.example "]
)
def test_international_domain_is_stored_in_unicode(raw: str) -> None:
    """An internationalised domain is stored in Unicode whichever form it was typed in."""
    assert _load("panel[0].email", raw) == "priya@bücher.example"


def test_ascii_email_gives_punycode_for_headers() -> None:
    """ascii_email() turns a stored Unicode domain into the punycode mail headers need."""
    assert ascii_email("priya@bücher.example") == "priya@xn--bcher-kva.example"
    assert ascii_email("priya@acme.example") == "priya@acme.example"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("john@example.invalid", "special-use or reserved"),
        ("no-at-sign", "@-sign"),
        ("two@@signs.example", "not a valid email address"),
        ("a@b", "not a valid email address"),
    ],
)
def test_bad_addresses_are_rejected_clearly(raw: str, reason: str) -> None:
    """An invalid address is quoted back with email-validator's reason, at the field's path."""
    message = _problem("panel[0].email", raw)
    assert message.startswith(f"'{raw}' is not a valid email address")
    assert reason in message
    assert "{" not in message, "no unformatted placeholder may reach the user"


# --- delivery and the primary contact -------------------------------------------------------------


def test_default_delivery_is_email() -> None:
    """A panel member without a delivery setting is written to by email."""
    assert validate(_facts()).panel[0].delivery is thankyou.Delivery.email


def test_email_delivery_needs_an_email() -> None:
    """delivery = "email" without an address is reported at panel[i].email, with what to do."""
    panel = [{"name": "A", "delivery": "hand"}, {"name": "B"}]
    with pytest.raises(thankyou.FactsError) as caught:
        validate(_facts(panel=panel))
    assert [p.field for p in caught.value.problems] == ["panel[1].email"]
    assert "add their email address" in caught.value.problems[0].message


def test_post_delivery_needs_an_address() -> None:
    """delivery = "post" without address lines is reported at panel[i].address."""
    panel = [
        {"name": "A", "email": "a@acme.example"},
        {"name": "B", "delivery": "post", "email": "b@acme.example"},
    ]
    with pytest.raises(thankyou.FactsError) as caught:
        validate(_facts(panel=panel))
    assert [p.field for p in caught.value.problems] == ["panel[1].address"]
    assert "postal address" in caught.value.problems[0].message


def test_hand_delivery_needs_neither() -> None:
    """delivery = "hand" needs no email and no address."""
    member = validate(_facts(panel=[{"name": "A", "delivery": "hand"}])).panel[0]
    assert (member.email, member.address) == (None, [])


def test_every_delivery_problem_is_reported() -> None:
    """Several members missing their contact details are all reported in one error."""
    panel = [{"name": "A", "delivery": "post"}, {"name": "B"}, {"name": "C", "delivery": "hand"}]
    with pytest.raises(thankyou.FactsError) as caught:
        validate(_facts(panel=panel))
    assert [p.field for p in caught.value.problems] == ["panel[0].address", "panel[1].email"]


def test_unknown_delivery_is_rejected() -> None:
    """A delivery other than email, post or hand is an error naming the choices."""
    message = _problem("panel[0].delivery", "pigeon")
    assert "'email'" in message and "'post'" in message and "'hand'" in message


def test_two_primaries_are_rejected() -> None:
    """Only one panel member may be the primary contact; the error names both."""
    panel = [{"name": n, "delivery": "hand", "primary": True} for n in ("A", "B", "C")]
    with pytest.raises(thankyou.FactsError) as caught:
        validate(_facts(panel=panel))
    assert caught.value.field == "panel"
    assert "panel[0] and panel[1] are both primary" in str(caught.value)


def test_primary_defaults_to_the_first_member() -> None:
    """Without a primary mark, the first panel member is the hiring contact."""
    panel = [{"name": n, "delivery": "hand"} for n in ("A", "B")]
    assert validate(_facts(panel=panel)).primary.name == "A"
    panel[1]["primary"] = True
    assert validate(_facts(panel=panel)).primary.name == "B"


def test_unknown_key_in_a_dict_has_a_did_you_mean() -> None:
    """An unknown key in a nested table is named with its path and the closest real field."""
    data = _facts()
    data["panel"] = [
        copy.deepcopy(data["panel"][0]),
        {"name": "B", "delivery": "hand", "emial": "b@x.example"},
    ]
    with pytest.raises(thankyou.FactsError) as caught:
        validate(data)
    assert str(caught.value) == "panel[1] (B).emial: unknown field 'emial' (did you mean 'email'?)"
    assert caught.value.field == "panel[1].emial"


# -- Style.signature_image: the image, named apart from Letter.signature (the typed name) ------


def test_the_signature_image_keeps_its_facts_key(tmp_path) -> None:
    """``signature`` in facts and ``Style(signature=...)`` fill ``signature_image``."""
    image = tmp_path / "sig.png"
    image.write_bytes(b"not read here")
    assert thankyou.Style(signature=image).signature_image == image
    assert thankyou.Style(signature_image=image).signature_image == image
    loaded = validate({**_facts(), "style": {"signature": str(image)}})
    assert loaded.style.signature_image == image
    assert "signature" in thankyou.Style.model_json_schema(by_alias=True)["properties"]


def test_a_misspelt_signature_key_suggests_the_facts_key() -> None:
    """The hint names the key a facts file uses, not the Python attribute."""
    with pytest.raises(thankyou.FactsError) as caught:
        validate({**_facts(), "style": {"signatur": "sig.png"}})
    (problem,) = caught.value.problems
    assert problem.field == "style.signatur"
    assert "did you mean 'signature'?" in problem.message


def test_style_signature_still_reads_but_is_deprecated(tmp_path) -> None:
    """Code written against the old attribute keeps working, with a DeprecationWarning."""
    image = tmp_path / "sig.png"
    image.write_bytes(b"")
    with pytest.deprecated_call(match="signature_image"):
        assert thankyou.Style(signature=image).signature == image
