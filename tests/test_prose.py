"""Values fitted to their frames, greetings by relationship, dates as a person writes them.

The rules of thankyou._prose one by one, then what they do to whole letters.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import thankyou
from thankyou import _prose
from thankyou.checks import check
from thankyou.facts import validate

TODAY = dt.date(2026, 11, 25)


def _facts(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "company": "Acme Robotics",
        "position": "Senior Data Engineer",
        "date": "2026-11-24T14:00:00-06:00",
        "candidate": {"name": "Alex Morgan", "email": "alex@example.com"},
        "panel": [
            {"name": "Priya Raman", "email": "priya@acme.example", "personal": "Hello there."},
            {
                "name": "Tomás O'Neill",
                "delivery": "post",
                "address": ["400 Industrial Way"],
                "personal": "Your runbooks were a model.",
            },
        ],
        "recruiter": {"name": "Jordan Lee", "email": "jordan@northside.example"},
        "references": [{"name": "Sam Ortiz", "email": "sam@brightline.example"}],
    }
    data.update(changes)
    return data


def _text(template: str, today: dt.date = TODAY, **changes: Any) -> list[str]:
    letters = thankyou.compose(validate(_facts(**changes)), template, today=today)
    return [letter.text for letter in letters]


# --- phrase or sentence, capital or name -----------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "fitted", "sentence"),
    [
        ("The onboarding redesign.", "the onboarding redesign", False),
        ("Modernising the batch pipelines", "modernising the batch pipelines", False),
        ("Kubernetes upgrades", "Kubernetes upgrades", False),
        ("API design reviews.", "API design reviews", False),
        ("iOS release trains", "iOS release trains", False),
        ("work with Acme Inc.", "work with Acme Inc.", False),
        ("a call,", "a call", False),
        ("They will call me next week.", "They will call me next week.", True),
        ("the panel will decide by Friday", "The panel will decide by Friday.", True),
        ("I have run Kubernetes only in staging", "I have run Kubernetes only in staging.", True),
        ("how the team is organised", "how the team is organised", False),
        ("Is there a second round?", "Is there a second round?", True),
    ],
)
def test_fit_decides_the_form(typed: str, fitted: str, sentence: bool) -> None:
    """Trailing stops go, sentence capitals go, names and acronyms keep theirs; sentences stay."""
    value = _prose.fit(typed)
    assert (value.text, value.sentence) == (fitted, sentence)
    assert str(value) == fitted


@pytest.mark.parametrize(
    ("phrase", "plural"),
    [
        ("a take-home exercise, then a final call with the VP", True),
        ("two more interviews", True),
        ("reference checks", True),
        ("a take-home exercise and a final call", True),
        ("a call with the VP and the CTO", False),
        ("a second interview with the operations lead", False),
        ("the final round", False),
        ("a process walkthrough", False),
    ],
)
def test_plural_detection(phrase: str, plural: bool) -> None:
    """Lists of steps, plural quantifiers and head nouns are plural; "with A and B" is not."""
    assert _prose.is_plural(phrase) is plural


@pytest.mark.parametrize(
    ("items", "joined"),
    [
        (["a"], "a"),
        (["a", "b"], "a and b"),
        (["a", "b", "c"], "a, b, and c"),
        (["testing, staging, and rollout", "hiring", "budgets"],
         "testing, staging, and rollout; hiring; and budgets"),
        (["the budget and the roadmap", "the on-call rota"],
         "the budget and the roadmap, as well as the on-call rota"),
    ],
)  # fmt: skip
def test_lists_stay_readable(items: list[str], joined: str) -> None:
    """Items holding commas are separated by semicolons; an "and" inside a pair is set off."""
    assert _prose.join_en(items) == joined


@pytest.mark.parametrize(
    ("typed", "reads"),
    [
        ("professor", "my professor"),
        ("Former manager at Brightline", "my former manager at Brightline"),
        ("my team lead for three years", "my team lead for three years"),
        ("a colleague on the platform team", "a colleague on the platform team"),
        ("Brightline colleague", "my Brightline colleague"),
    ],
)
def test_relationship_reads_after_a_name(typed: str, reads: str) -> None:
    """A reference's relationship, in any form people type it, follows a name as "my …"."""
    assert _prose.fit_relationship(typed).text == reads


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "read_now", "time", "words"),
    [
        (dt.date(2026, 11, 25), True, dt.time(14), "this afternoon"),
        (dt.date(2026, 11, 25), True, None, "today"),
        (dt.date(2026, 11, 24), True, dt.time(9, 30), "yesterday morning"),
        (dt.date(2026, 11, 24), True, dt.time(19), "yesterday evening"),
        (dt.date(2026, 11, 24), False, dt.time(14), "on Tuesday"),
        (dt.date(2026, 11, 20), True, None, "on Friday"),
        (dt.date(2026, 11, 16), True, None, "on Monday, November 16"),
    ],
)
def test_relative_day(day: dt.date, read_now: bool, time: dt.time | None, words: str) -> None:
    """Seen from November 25: today, yesterday, a weekday within the week, the date beyond."""
    ref = _prose.day_ref(day, TODAY, read_now=read_now, time=time)
    assert _prose.relative_day_en(ref) == words


@pytest.mark.parametrize(
    ("within", "due"),
    [(5, dt.date(2026, 11, 30)), (3, dt.date(2026, 11, 27)), (4, dt.date(2026, 11, 30))],
)
def test_decision_day_is_a_working_day(within: int, due: dt.date) -> None:
    """Five days from Tuesday is Sunday, so the decision falls due on Monday the 30th."""
    assert _prose.decision_day(dt.date(2026, 11, 24), within) == due


def test_letter_date_is_decided_at_compose_time() -> None:
    """A style given at render time changes the layout only, not the composed date line."""
    (letter, _) = thankyou.compose(validate(_facts()), "thank-you/formal", today=TODAY)
    a4 = thankyou.render(letter, "text", style=thankyou.Style(paper="a4")).decode()
    assert letter.date_line == "November 25, 2026"
    assert a4 == letter.text


# --- whole letters ------------------------------------------------------------------------------


def test_sentence_typed_as_next_steps_stands_alone() -> None:
    """'They will call me next week.' is not forced into a phrase frame; check says so."""
    facts = _facts(next_steps="They will call me next week.")
    for text in _text("thank-you/formal", **{"next_steps": facts["next_steps"]}):
        assert "They will call me next week. I look forward to hearing from you." in text
        assert "is They" not in text and "week.," not in text
    (finding,) = [f for f in check(validate(facts)) if f.code == "phrase-form"]
    assert finding.field == "next_steps" and '"They will call me next week."' in finding.message


def test_plural_next_steps_take_a_plural() -> None:
    """ "Two more interviews" are the next steps, in the thank-you and the follow-up alike."""
    (email, _) = _text("thank-you/email", next_steps="Two more interviews with the team.")
    assert "I look forward to the next steps: two more interviews with the team." in email
    (follow,) = _text("follow-up/status", next_steps="two more interviews")
    assert "I am ready for the next steps whenever" in follow


def test_title_with_a_comma_is_set_off() -> None:
    """A title such as "VP, Engineering" goes in brackets where a comma would be ambiguous."""
    panel = [{"name": "Anneke van der Berg", "title": "VP, Engineering", "email": "a@acme.example",
              "personal": "Thank you."}]  # fmt: skip
    (briefing,) = _text("references/briefing", panel=panel)
    assert "most likely from Anneke van der Berg (VP, Engineering), or from Jordan Lee" in briefing


@pytest.mark.parametrize(
    ("person", "template", "greeting"),
    [
        ({"honorific": "Dr.", "family_name": "Raman"}, "thank-you/email", "Dear Dr. Raman,"),
        ({"given_name": "Priya"}, "thank-you/email", "Dear Priya,"),
        ({"salutation": "Hello Priya!"}, "thank-you/email", "Hello Priya!"),
        ({}, "thank-you/email", "Dear Priya Raman,"),
        ({"honorific": "Dr."}, "thank-you/email", "Dear Priya Raman,"),
    ],
)
def test_panel_greeting(person: dict[str, str], template: str, greeting: str) -> None:
    """Salutation verbatim; honorific with family name; given name; else the full name."""
    data = _facts()
    data["panel"][0].update(person)
    letter = thankyou.compose(validate(data), template, today=TODAY)[0]
    assert letter.salutation == greeting


def test_first_name_greetings_for_recruiter_and_references() -> None:
    """With given_name the recruiter and references get "Hi Sam,"; without, the full name."""
    (plain,) = _text("references/briefing")
    assert plain.startswith("Dear Sam Ortiz,")
    refs = [{"name": "Sam Ortiz", "given_name": "Sam", "email": "sam@brightline.example",
             "relationship": "my manager at Brightline"}]  # fmt: skip
    (friendly,) = _text("references/briefing", references=refs)
    assert friendly.startswith("Hi Sam,")
    assert "As my manager" not in friendly and "my manager at Brightline" not in friendly
    rec = {"name": "Jordan Lee", "given_name": "Jordan", "email": "jordan@northside.example"}
    (debrief,) = _text("recruiter/debrief", recruiter=rec)
    assert debrief.startswith("Hi Jordan,")


def test_greeting_checks() -> None:
    """check warns about an unusable honorific, a name with its own, and a missing given_name."""
    data = _facts()
    data["panel"][0]["honorific"] = "Dr."
    data["panel"][1]["name"] = "Dr. Tomás O'Neill"
    found = {(f.code, f.field) for f in check(validate(data))}
    assert ("greeting", "panel[0].family_name") in found
    assert ("greeting", "panel[1].name") in found
    assert ("greeting", "recruiter.given_name") in found
    assert ("greeting", "references[0].given_name") in found


def test_concern_goes_only_to_who_raised_it() -> None:
    """A concern with raised_by reaches that member, in their terms, with the answer."""
    concern = {
        "topic": "My Kubernetes experience.",
        "raised_by": ["Priya Raman"],
        "answer": "so far it has been in staging, so I have started a managed cluster",
    }
    priya, tomas = _text("thank-you/email", concerns=[concern])
    assert (
        "You asked about my Kubernetes experience. So far it has been in staging, so I have "
        "started a managed cluster." in priya
    )
    assert "Kubernetes" not in tomas
    for text in _text("thank-you/warm", concerns=[concern]):
        assert "Kubernetes" not in text
    (debrief,) = _text("recruiter/debrief", concerns=[concern])
    assert "Priya Raman asked about my Kubernetes experience." in debrief


def test_concern_for_everyone_and_unanswered() -> None:
    """Without raised_by a concern goes to every member; without an answer check warns."""
    concern = {"topic": "the on-call load"}
    for text in _text("thank-you/formal", concerns=[concern]):
        assert "We also talked about the on-call load. I would be glad to say more" in text
    found = [
        f for f in check(validate(_facts(concerns=[concern]))) if f.code == "concern-unanswered"
    ]
    assert (
        found and found[0].field == "concerns[0].answer" and "the on-call load" in found[0].message
    )


def test_raised_by_must_name_the_panel() -> None:
    """A raised_by name that is not on the panel is an error at its path, listing the names."""
    concern = {"topic": "my notice period", "raised_by": ["Pryia"]}
    with pytest.raises(thankyou.FactsError) as caught:
        validate(_facts(concerns=[concern]))
    assert caught.value.field == "concerns[0].raised_by[0]"
    assert "Priya Raman" in str(caught.value)


def test_follow_up_before_and_after_the_decision_day() -> None:
    """Before the day a decision is due the follow-up does not ask as if it were missed."""
    (before,) = _text("follow-up/status", today=dt.date(2026, 11, 26), decision_within_days=5)
    assert "hope to reach a decision by Monday, November 30" in before
    assert "where the process stands" not in before
    (after,) = _text("follow-up/status", today=dt.date(2026, 12, 3), decision_within_days=5)
    assert "You had hoped to reach a decision by Monday, November 30" in after
    assert "where the process stands" in after


def test_briefing_uses_what_the_other_references_cover() -> None:
    """Each reference hears who else covers what, so that this one need not."""
    refs = [
        {"name": "Sam Ortiz", "given_name": "Sam", "email": "sam@b.example",
         "relationship": "Former manager at Brightline", "emphasise": ["The on-call redesign."]},
        {"name": "Dana Whitfield", "given_name": "Dana", "email": "dana@b.example",
         "relationship": "professor", "emphasise": ["my thesis"]},
    ]  # fmt: skip
    sam, dana = _text("references/briefing", references=refs)
    assert (
        "Dana Whitfield, my professor, will cover my thesis, so you can leave that to Dana." in sam
    )
    assert "Sam Ortiz, my former manager at Brightline, will cover the on-call redesign" in dana
    assert "It would help most if you could speak to the on-call redesign." in sam


def test_three_thank_yous_are_one_too_many() -> None:
    """A personal paragraph with two "Thank you" sentences gets a phrase-form warning."""
    data = _facts()
    data["panel"][0]["personal"] = "Thank you for the tour. Thank you also for the coffee."
    found = [f for f in check(validate(data)) if f.field == "panel[0].personal"]
    assert [f.code for f in found] == ["phrase-form"] and "Thank you" in found[0].message


@given(st.text(min_size=1, max_size=60).filter(lambda t: t.strip()))
def test_fit_never_empties_a_value(typed: str) -> None:
    """Whatever is typed, the fitted text is never empty and never ends in two stops."""
    value = _prose.fit(typed.strip())
    assert value.text.strip()
    assert not value.text.endswith((",.", ";.", ":."))


@pytest.mark.parametrize(
    ("typed", "reads"),
    [
        ("Four years of running Kafka at Brightline.",
         "The work draws on what I know best: four years of running Kafka at Brightline."),
        ("My four years running Kafka at Brightline match the streaming work you described.",
         "role. My four years running Kafka at Brightline match the streaming work you described."),
    ],
)  # fmt: skip
def test_fit_as_phrase_or_sentence(typed: str, reads: str) -> None:
    """`fit` typed as a phrase is framed; typed as a sentence it stands on its own."""
    for text in _text("thank-you/email", fit=typed):
        assert reads in text and "best: my" not in text
