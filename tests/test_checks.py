"""Pre-send checks (README: Checks): each finding code fires on crafted facts, none on clean."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

import thankyou
from thankyou import checks
from thankyou._names import lookalike_reason, spelling_mismatch
from thankyou.checks import CODES, Finding, check
from thankyou.models import Interview

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CST = dt.timezone(dt.timedelta(hours=-6))
INTERVIEW_AT = dt.datetime(2026, 11, 24, 14, 0, tzinfo=CST)
#: Four hours after the interview: nothing is late yet.
NOW = INTERVIEW_AT + dt.timedelta(hours=4)

CLEAN: dict[str, Any] = {
    "company": "Acme Robotics",
    "position": "Senior Data Engineer",
    "date": INTERVIEW_AT.isoformat(),
    "decision_within_days": 5,
    "highlights": ["modernising the batch pipelines into streaming ones"],
    "candidate": {"name": "Alex Morgan", "email": "alex.morgan@example.com"},
    "panel": [
        {
            "name": "Priya Raman",
            "email": "priya.raman@acme.example",
            "primary": True,
            "personal": "Your question about backfilling late events has stayed with me.",
        },
        {
            "name": "Tomás O'Neill",
            "delivery": "post",
            "address": ["400 Industrial Way", "Springfield, IL 62704"],
            "personal": "Thank you for walking me through the on-call rotation.",
        },
        {
            "name": "José Núñez",
            "email": "jose.nunez@acme.example",
            "personal": "I enjoyed comparing notes on schema registries.",
        },
    ],
    "recruiter": {
        "name": "Jordan Lee",
        "given_name": "Jordan",
        "email": "jordan@northside.example",
    },
    "references": [
        {"name": "Sam Ortiz", "given_name": "Sam", "email": "sam.ortiz@brightline.example"}
    ],
}


def facts(**changes: Any) -> dict[str, Any]:
    """A deep copy of CLEAN; ``panel_1={...}`` updates panel[1], other keys replace."""
    data = copy.deepcopy(CLEAN)
    for key, value in changes.items():
        if key.startswith("panel_"):
            data["panel"][int(key.removeprefix("panel_"))].update(value)
        else:
            data[key] = value
    return data


def interview(**changes: Any) -> Interview:
    return Interview.model_validate(facts(**changes))


def codes(findings: list[Finding]) -> set[tuple[str, str]]:
    return {(f.code, f.field) for f in findings}


def test_clean_interview_has_no_findings():
    """A well-formed interview, checked soon after, gives nothing to fix."""
    assert check(interview(), now=NOW) == []


def test_clean_mapping_has_no_findings():
    """The raw mapping of a clean facts file checks the same as its model."""
    assert check(facts(), now=NOW) == []


@pytest.mark.skipif(
    not (EXAMPLES / "panel-interview.toml").exists(), reason="example not written yet"
)
def test_example_panel_is_clean():
    """examples/panel-interview.toml passes every check when checked the same afternoon."""
    example = thankyou.load(EXAMPLES / "panel-interview.toml")
    assert check(example, now=example.when + dt.timedelta(hours=2)) == []


# -- one crafted input per code ----------------------------------------------------------------

#: code -> (facts, field expected) — every code of CODES must appear here.
TRIGGERS: dict[str, tuple[dict[str, Any], str]] = {
    "invalid": (facts(panel_2={"emial": "x@acme.example"}), "panel[2].emial"),
    "missing-contact": (facts(panel_2={"email": None}), "panel[2].email"),
    "bad-email": (facts(panel_0={"email": "priya..raman@acme.example"}), "panel[0].email"),
    "name-spelling": (facts(panel_0={"name": "Pryia Raman"}), "panel[0].name"),
    "name-format": (facts(panel_0={"name": "priya raman"}), "panel[0].name"),
    "duplicate-personal": (
        facts(panel_2={"personal": CLEAN["panel"][0]["personal"]}),
        "panel[2].personal",
    ),
    "missing-personal": (facts(panel_1={"personal": None}), "panel[1].personal"),
    "late": (facts(date=(NOW - dt.timedelta(hours=30)).isoformat()), "date"),
    "future-date": (facts(date="2027-11-24T14:00:00-06:00"), "date"),
    "look-alike-domain": (
        facts(panel_0={"email": "priya.raman@\u0430cme.example"}),
        "panel[0].email",
    ),
    "too-long": (facts(panel_0={"personal": "Word " * 220}), "panel[0]"),
    "unknown-template": (facts(template="thank-you/nonesuch"), "template"),
    "neutral-greeting": (facts(language="de"), "panel[1].honorific"),
    "phrase-form": (facts(next_steps="They will call me next week."), "next_steps"),
    "greeting": (facts(panel_0={"honorific": "Dr."}), "panel[0].family_name"),
    "concern-unanswered": (facts(concerns=["my notice period"]), "concerns[0].answer"),
    "placeholder": (facts(company="Example Corp"), "company"),
    "personal-punctuation": (
        facts(panel_1={"personal": "Thank you for the tour"}),
        "panel[1].personal",
    ),
    "old-date": (facts(date=(NOW - dt.timedelta(days=70)).isoformat()), "date"),
}


def test_every_code_has_a_trigger():
    """The table below covers every code the checks can return."""
    assert set(TRIGGERS) == set(CODES) - checks.LETTER_CODES  # those come from letter_findings


@pytest.mark.parametrize("code", sorted(TRIGGERS))
def test_code_triggers(code):
    """Each crafted input yields its code, at its field, with the level README: Checks gives it."""
    data, field = TRIGGERS[code]
    found = check(data, now=NOW)
    assert (code, field) in codes(found)
    finding = next(f for f in found if f.code == code)
    assert finding.level == CODES[code]
    assert finding.message.endswith(".")


def test_finding_reads_like_a_compiler_message():
    """str(Finding) is 'field: level code: message'."""
    finding = Finding("warning", "name-spelling", "panel[1].name", "Check it.")
    assert str(finding) == "panel[1].name: warning name-spelling: Check it."
    assert str(Finding("warning", "late", "", "Send today.")) == "warning late: Send today."


def test_findings_are_sorted_errors_first_then_naturally_by_field():
    """Errors come before warnings, and panel[2] before panel[10]."""
    panel = [
        {"name": f"Member {i}", "email": f"member{i}@acme.example", "personal": f"Note {i}."}
        for i in range(11)
    ]
    panel[10]["personal"] = None
    panel[2]["personal"] = None
    panel[5]["email"] = "not-an-address"
    found = check(facts(panel=panel), now=NOW)
    assert [(f.code, f.field) for f in found] == [
        ("bad-email", "panel[5].email"),
        ("missing-personal", "panel[2].personal"),
        ("missing-personal", "panel[10].personal"),
    ]


# -- validation errors as findings -------------------------------------------------------------


def test_missing_address_for_post_is_an_error_finding():
    """delivery = "post" without an address is missing-contact at panel[1].address."""
    found = check(facts(panel_1={"address": []}), now=NOW)
    assert codes(found) == {("missing-contact", "panel[1].address")}
    assert found[0].level == "error"
    assert "delivery" in found[0].message


def test_contact_errors_do_not_hide_other_findings():
    """With a contact error patched over, the rest of the facts are still checked."""
    data = facts(panel_1={"address": [], "personal": None}, panel_0={"name": "priya raman"})
    assert codes(check(data, now=NOW)) == {
        ("missing-contact", "panel[1].address"),
        ("missing-personal", "panel[1].personal"),
        ("name-format", "panel[0].name"),
    }


def test_bad_email_is_not_also_checked_for_spelling():
    """The stand-in for an invalid address raises no name-spelling or look-alike finding."""
    found = check(
        facts(references=[{"name": "Sam Ortiz", "given_name": "Sam", "email": "sam ortiz"}]),
        now=NOW,
    )
    assert codes(found) == {("bad-email", "references[0].email")}


def test_an_unknown_key_is_invalid_and_the_other_checks_still_run():
    """A typo like `emial` is `invalid`, and does not hide a missing personal paragraph."""
    data = facts(panel_0={"emial": "x@acme.example", "personal": None})
    found = check(data, now=NOW)
    assert codes(found) == {
        ("invalid", "panel[0].emial"),
        ("missing-personal", "panel[0].personal"),
    }
    assert found[0].code == "invalid" and "did you mean 'email'" in found[0].message


def test_a_bad_required_field_stops_the_remaining_checks():
    """Without a valid company nothing else can be judged: only the error is reported."""
    data = facts(company="", panel_0={"personal": None})
    found = check(data, now=NOW)
    assert codes(found) == {("invalid", "company")}


def test_check_does_not_change_the_callers_mapping():
    """Patching happens on a copy."""
    data = facts(panel_1={"address": []})
    before = copy.deepcopy(data)
    check(data, now=NOW)
    assert data == before


def test_a_validated_interview_cannot_lack_contacts():
    """On a model, missing-contact cannot arise: the model refuses such facts."""
    with pytest.raises(Exception, match="delivery"):
        interview(panel_1={"address": []})


# -- name-spelling -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "email", "expected"),
    [
        ("Jon Smith", "john.smith@acme.example", ("john", "Jon")),
        ("Jon Smith", "johnsmith@acme.example", ("john", "Jon")),
        ("Katherine Jones", "kathryn@acme.example", ("kathryn", "Katherine")),
        ("Sarah Lee", "sara.lee@acme.example", ("sara", "Sarah")),
        ("Jon Smith", "jsmyth@acme.example", ("smyth", "Smith")),
        ("Priya Raman", "pryia.raman@acme.example", ("pryia", "Priya")),
        ("Catherine Jones", "katherine_jones@acme.example", ("katherine", "Catherine")),
    ],
)
def test_near_misses_warn(name, email, expected):
    """A piece of the address one slip away from a word of the name is reported."""
    assert spelling_mismatch(name, email) == expected


@pytest.mark.parametrize(
    ("name", "email"),
    [
        ("José Núñez", "jose.nunez@acme.example"),  # accents folded
        ("Jon Smith", "jon.smith@acme.example"),  # first.last
        ("Jon Smith", "jsmith@acme.example"),  # flast
        ("Jon Smith", "jons@acme.example"),  # firstl
        ("Jon Smith", "jon_smith@acme.example"),  # first_last
        ("Jon Smith", "jon@acme.example"),  # first
        ("Jon Smith", "smith@acme.example"),  # last
        ("Jon Smith", "smith.jon@acme.example"),  # family name first
        ("Jon Smith", "jon.smith2+jobs@acme.example"),  # digits and +tag ignored
        ("Priya Raman", "pr@acme.example"),  # initials
        ("Mary-Jane Smith", "maryjane.smith@acme.example"),
        ("Tomás O'Neill", "toneill@acme.example"),
        ("Nguyễn Văn An", "nguyen.an@acme.example"),
        ("Jon Smith", "careers@acme.example"),  # shared inboxes say nothing,
        ("José Núñez", "jobs@acme.example"),  # even where they look like a slip (jose/jobs 0.75)
        ("Talena Ruiz", "talent@acme.example"),
        ("Marco Teal", "team@acme.example"),
        ("Priya Raman", "dataplatform@acme.example"),  # unrelated: not a near miss
        ("William Smith", "bill.smith@acme.example"),  # a nickname, not a typo
        ("Michael Chen", "mike.chen@acme.example"),
        ("Tomás O'Neill", "tom.oneill@acme.example"),  # a short form
        ("王伟", "wang.wei@acme.example"),  # nothing Latin to compare
        ("Иван Петров", "ivan.petrov@acme.example"),
    ],
)
def test_matching_or_unrelated_addresses_are_silent(name, email):
    """Exact shapes, shared inboxes, nicknames and unrelated addresses give no finding."""
    assert spelling_mismatch(name, email) is None


@pytest.mark.parametrize(
    ("piece", "word", "warns"),
    [
        ("kathryn", "katherine", True),  # ratio exactly 0.75: the edge is inclusive
        ("katie", "katherine", False),  # 0.71
        ("chen", "cheng", True),  # one letter short is a slip...
        ("tom", "tomas", False),  # ...two letters short is a short form
        ("jo", "jon", False),  # pieces under three letters are never near misses
    ],
)
def test_near_miss_edges(piece, word, warns):
    """The threshold is a difflib ratio of 0.75, inclusive, for pieces of 3+ letters."""
    assert (
        spelling_mismatch(word.title() + " Zed", f"{piece}.zed@acme.example") is not None
    ) is warns


def test_name_spelling_covers_everyone_with_an_address():
    """Candidate, recruiter and references are compared too; a post-only member is not."""
    data = facts(
        candidate={"name": "Alex Morgan", "email": "alex.morgen@example.com"},
        recruiter={
            "name": "Jordan Lee",
            "given_name": "Jordan",
            "email": "jordon@northside.example",
        },
        references=[
            {"name": "Sam Ortiz", "given_name": "Sam", "email": "sam.ortis@brightline.example"}
        ],
    )
    found = codes(check(data, now=NOW))
    assert found == {
        ("name-spelling", "candidate.name"),
        ("name-spelling", "recruiter.name"),
        ("name-spelling", "references[0].name"),
    }


def test_name_spelling_message_quotes_both_spellings():
    """The sentence shows the name's word and the address's piece."""
    (finding,) = check(
        facts(panel_0={"name": "Jon Smith", "email": "john.smith@acme.example"}), now=NOW
    )
    assert '"Jon" against "john"' in finding.message


# -- name-format -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "warns"),
    [
        ("priya raman", True),
        ("PRIYA RAMAN", True),
        ("Priya  Raman", True),  # double space inside
        ("Priya\tRaman", True),
        ("Priya Raman", False),
        ("bell Hooks", False),  # mixed case is left alone
        ("王伟", False),  # no cased letters
        ("محمد علي", False),
        ("Ng", False),
        ("O", False),  # a single cased letter is neither
    ],
)
def test_name_format(name, warns):
    """All lower case, all capitals and stray spaces warn; caseless scripts do not."""
    found = check(facts(panel_0={"name": name, "email": "pr@acme.example"}), now=NOW)
    assert (("name-format", "panel[0].name") in codes(found)) is warns


def test_name_format_covers_family_name_and_references():
    """family_name and every other name are looked at too."""
    data = facts(
        panel_0={"honorific": "Dr.", "family_name": "RAMAN"},
        references=[
            {"name": "sam ortiz", "given_name": "sam", "email": "sam.ortiz@brightline.example"}
        ],
    )
    assert codes(check(data, now=NOW)) == {
        ("name-format", "panel[0].family_name"),
        ("name-format", "references[0].name"),
    }


# -- personal paragraphs -----------------------------------------------------------------------


def test_duplicate_personal_ignores_case_and_spacing_and_names_the_first():
    """A copy-pasted paragraph is caught on the later member, naming the earlier one."""
    copied = "  " + CLEAN["panel"][0]["personal"].upper().replace(" ", "  ")
    found = check(facts(panel_2={"personal": copied}), now=NOW)
    assert codes(found) == {("duplicate-personal", "panel[2].personal")}
    assert "Priya Raman" in found[0].message
    assert "panel[0]" in found[0].message


def test_missing_personal_names_the_member():
    """A member without a personalised paragraph is named."""
    (finding,) = check(facts(panel_1={"personal": None}), now=NOW)
    assert finding.code == "missing-personal"
    assert "Tomás O'Neill" in finding.message


def test_an_unanswered_plain_concern_says_how_to_give_it_an_answer():
    """A concern written as a plain string cannot take answer = directly: say to make it a table."""
    (finding,) = [f for f in check(facts(concerns=["my notice period"]), now=NOW)
                  if f.code == "concern-unanswered"]  # fmt: skip
    assert 'add answer = "…"' in finding.message
    assert "[[concerns]] table with topic and answer" in finding.message


# -- late --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("hours", "late"), [(23, False), (24, False), (25, True), (72, True)])
def test_late_after_24_hours(hours, late):
    """More than 24 hours after the interview the letters are late (but still to be sent)."""
    found = check(interview(), now=INTERVIEW_AT + dt.timedelta(hours=hours))
    assert (("late", "date") in codes(found)) is late
    if late:
        assert "today anyway" in found[0].message


@pytest.mark.parametrize(
    ("ahead", "warns"), [(dt.timedelta(hours=23), False), (dt.timedelta(days=3), True)]
)
def test_a_date_more_than_a_day_ahead_is_flagged(ahead, warns):
    """Facts filled in before an interview later today are fine; one dated days ahead is a typo."""
    found = check(facts(date=(NOW + ahead).isoformat()), now=NOW)
    assert (("future-date", "date") in codes(found)) is warns
    if warns:
        assert found[0].message.startswith("The interview is dated 3 days from now")


def test_late_compares_instants_across_zones():
    """now in UTC and the interview in -06:00 are compared as instants."""
    now_utc = (INTERVIEW_AT + dt.timedelta(hours=23)).astimezone(dt.UTC)
    assert check(interview(), now=now_utc) == []


def test_naive_interview_time_is_local_time():
    """A naive interview time is read in the given local zone (or the machine's)."""
    tokyo = dt.timezone(dt.timedelta(hours=9))
    data = facts(date="2026-11-24T14:00:00")
    now = dt.datetime(2026, 11, 25, 13, 0, tzinfo=tokyo)  # 23 h later in Tokyo
    assert check(data, now=now, tz=tokyo) == []
    assert codes(check(data, now=now, tz=dt.timezone(dt.timedelta(hours=12)))) == {("late", "date")}


def test_naive_now_is_local_time_too():
    """Naive interview and naive now compare as two local times."""
    data = facts(date="2026-11-24T14:00:00")
    assert check(data, now=dt.datetime(2026, 11, 25, 13, 0)) == []
    assert codes(check(data, now=dt.datetime(2026, 11, 25, 15, 0))) == {("late", "date")}


def test_date_only_interview_counts_from_nine():
    """A bare date counts as 09:00 local time."""
    data = facts(date="2026-11-24")
    assert check(data, now=dt.datetime(2026, 11, 25, 8, 59), tz=CST) == []
    assert codes(check(data, now=dt.datetime(2026, 11, 25, 9, 1), tz=CST)) == {("late", "date")}


# -- look-alike domains ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("a@\u0430pple.com", "mixes Cyrillic and Latin"),  # Cyrillic а in аpple
        ("a@\u0430\u0440\u0440\u04cf\u0435.com", "Cyrillic letters that look Latin"),  # аррӏе
        ("a@\u03bf\u03c1.example", "Greek letters that look Latin"),
    ],
)
def test_look_alike_domains(address, reason):
    """Mixed scripts, or a wholly foreign label that looks Latin, are suspicious."""
    assert reason in (lookalike_reason(address) or "")


@pytest.mark.parametrize(
    "address",
    ["a@apple.com", "a@münchen.de", "a@пример.рф", "a@пример.com", "a@例え.jp", "a@bücher.example"],
)
def test_honest_domains_are_silent(address):
    """ASCII domains and honest IDNs (one script that does not imitate Latin) pass."""
    assert lookalike_reason(address) is None


def test_look_alike_finding_shows_the_punycode():
    """The finding shows the ASCII form, where the trick becomes visible."""
    data, _ = TRIGGERS["look-alike-domain"]
    (finding,) = [f for f in check(data, now=NOW) if f.code == "look-alike-domain"]
    assert "xn--" in finding.message


# -- too-long ----------------------------------------------------------------------------------


def _too_long(letters):
    """The ``too-long`` findings `check` gives for these letters, as (code, field, message)."""
    found = check(interview(), now=NOW, letters=letters)
    return [(f.code, f.field, f.message) for f in found if f.code == "too-long"]


def test_email_over_200_words_is_too_long(make_letter):
    """The limit is on the body paragraphs: 200 words pass, 201 do not."""
    email = {"delivery": thankyou.Delivery.email, "template": "thank-you/email"}
    letters = [
        make_letter(**email, paragraphs=("word " * 200,), recipient=_to("Priya Raman")),
        make_letter(**email, paragraphs=("word " * 150, "word " * 51), recipient=_to("José Núñez")),
    ]
    ((code, field, message),) = _too_long(letters)
    assert (code, field) == ("too-long", "panel[2]")
    assert "201 words" in message


def test_paper_letter_over_one_page(make_letter):
    """A post or hand letter that lays out on two pages is too long; one page is not."""
    long = ("A sentence that goes on and on about the afternoon we spent. " * 60,)
    letters = [make_letter(paragraphs=long), make_letter(recipient=_to("Tomás O'Neill"))]
    ((code, field, message),) = _too_long(letters)  # both by post
    assert (code, field) == ("too-long", "panel[0]")
    assert "2 pages" in message


def test_given_letters_are_measured_instead_of_composed(make_letter):
    """With ``letters``, the lengths are those letters' and nothing is composed."""
    data = facts(panel_1={"personal": "A sentence that goes on. " * 120})
    assert ("too-long", "panel[1]") in codes(check(data, now=NOW))  # composed: two pages
    short = make_letter(recipient=_to("José Núñez"), paragraphs=("Thank you.",))
    for given in ([short], []):
        assert "too-long" not in {f.code for f in check(data, now=NOW, letters=given)}


def test_only_thank_you_letters_are_measured(make_letter):
    """Other families (a follow-up, say) are not judged by the thank-you limit."""
    letter = make_letter(
        template="follow-up/status", delivery=thankyou.Delivery.email, paragraphs=("w " * 500,)
    )
    assert _too_long([letter]) == []


def test_long_paper_letter_is_caught_end_to_end():
    """Through compose and the PDF renderer, a very long personal paragraph breaks the page."""
    found = check(facts(panel_1={"personal": "A sentence that goes on. " * 120}), now=NOW)
    assert ("too-long", "panel[1]") in codes(found)


def _to(name):
    return thankyou.Recipient(name=name, company="Acme Robotics")
