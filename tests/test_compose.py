"""compose(): who gets a letter, what all letters share, and prose that reads right in any case."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import thankyou
from thankyou.facts import validate

TODAY = dt.date(2026, 11, 25)
THANK_YOU = ["thank-you/formal", "thank-you/email", "thank-you/warm"]
ALL_TEMPLATES = [*THANK_YOU, "follow-up/status", "references/briefing", "recruiter/debrief"]


@pytest.fixture
def panel(examples_dir: Path) -> thankyou.Interview:
    """The three-member panel example."""
    return thankyou.load(examples_dir / "panel-interview.toml")


def _facts(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "company": "Acme Robotics",
        "position": "Senior Data Engineer",
        "date": "2026-11-24T14:00:00-06:00",
        "candidate": {"name": "Alex Morgan", "email": "alex@example.com"},
        "panel": [
            {
                "name": "Priya Raman",
                "email": "priya@acme.example",
                "personal": "Your question stayed with me.",
            },
            {
                "name": "Tomás O'Neill",
                "delivery": "post",
                "address": ["400 Industrial Way"],
                "personal": "Your runbooks were a model.",
            },
        ],
        "recruiter": {
            "name": "Jordan Lee",
            "agency": "Northside Talent",
            "email": "jordan@northside.example",
        },
        "references": [
            {
                "name": "Sam Ortiz",
                "email": "sam@brightline.example",
                "relationship": "my manager",
                "emphasise": ["the on-call redesign", "mentoring"],
            }
        ],
    }
    data.update(changes)
    return data


# --- audiences ------------------------------------------------------------------------------------


@pytest.mark.parametrize("template", THANK_YOU)
def test_thank_you_goes_to_every_panel_member(template: str, panel: thankyou.Interview) -> None:
    """A thank-you template writes one letter to each panel member, in the order of the facts."""
    letters = thankyou.compose(panel, template, today=TODAY)
    assert [letter.recipient.name for letter in letters] == [m.name for m in panel.panel]
    assert [letter.delivery for letter in letters] == [m.delivery for m in panel.panel]


def test_follow_up_goes_to_the_primary(panel: thankyou.Interview) -> None:
    """The follow-up writes one letter, to the member marked primary."""
    panel = panel.model_copy(update={"panel": [panel.panel[1], panel.panel[2], panel.panel[0]]})
    (letter,) = thankyou.compose(panel, "follow-up/status", today=TODAY)
    assert letter.recipient.name == "Priya Raman"
    assert letter.salutation == "Dear Dr. Raman,"


def test_follow_up_without_primary_goes_to_the_first_member(panel: thankyou.Interview) -> None:
    """Without a primary mark the follow-up goes to the first panel member."""
    members = [m.model_copy(update={"primary": False}) for m in reversed(panel.panel)]
    (letter,) = thankyou.compose(
        panel.model_copy(update={"panel": members}), "follow-up/status", today=TODAY
    )
    assert letter.recipient.name == "Mei Chen"


def test_references_briefing_goes_to_each_reference(panel: thankyou.Interview) -> None:
    """The briefing writes one email to each reference, naming what that reference should stress."""
    letters = thankyou.compose(panel, "references/briefing", today=TODAY)
    assert [letter.recipient.name for letter in letters] == ["Sam Ortiz", "Dana Whitfield"]
    assert all(letter.delivery is thankyou.Delivery.email for letter in letters)
    ask = "It would help most if you could speak to "
    assert ask + "the on-call redesign I led and how I brought" in letters[0].text
    assert ask + "the streaming migration we shipped together." in letters[1].text
    # Each hears what the other covers, so that neither repeats it.
    assert (
        "Sam Ortiz, my manager at Brightline, will cover the on-call redesign I led"
        in letters[1].text
    )
    assert "so you can leave that to Dana." in letters[0].text


def test_recruiter_debrief_goes_to_the_recruiter(panel: thankyou.Interview) -> None:
    """The debrief writes one email to the recruiter, addressed with the agency."""
    (letter,) = thankyou.compose(panel, "recruiter/debrief", today=TODAY)
    assert (letter.recipient.name, letter.recipient.company) == ("Jordan Lee", "Northside Talent")
    assert letter.recipient.email == "jordan@northside.example"


@pytest.mark.parametrize(
    ("template", "drop", "field"),
    [
        ("references/briefing", "references", "references"),
        ("recruiter/debrief", "recruiter", "recruiter"),
    ],
)
def test_missing_audience_is_a_facts_error(template: str, drop: str, field: str) -> None:
    """A template whose readers the facts lack fails with a FactsError naming the missing table."""
    data = _facts()
    del data[drop]
    with pytest.raises(thankyou.FactsError) as caught:
        thankyou.compose(validate(data), template, today=TODAY)
    assert caught.value.field == field
    assert "add a" in str(caught.value)


def test_recruiter_without_email_is_a_facts_error() -> None:
    """The debrief is an email, so a recruiter without an address is an error at recruiter.email."""
    interview = validate(_facts(recruiter={"name": "Jordan Lee", "phone": "+1 555 010 0142"}))
    with pytest.raises(thankyou.FactsError) as caught:
        thankyou.compose(interview, "recruiter/debrief", today=TODAY)
    assert caught.value.field == "recruiter.email"
    assert "email address" in str(caught.value)


# --- what every panel letter shares ---------------------------------------------------------------


@pytest.mark.parametrize("template", THANK_YOU)
def test_panel_letters_share_everything_but_the_personal_paragraph(
    template: str, panel: thankyou.Interview
) -> None:
    """With one template, the three letters differ only in each member's own personal paragraph."""
    letters = thankyou.compose(panel, template, today=TODAY)
    assert len(letters) == 3
    for letter, member in zip(letters, panel.panel, strict=True):
        assert letter.personal == member.personal
        assert letter.paragraphs.count(letter.personal) == 1
    concern = "You asked about my Kubernetes experience. So far it has been in staging"
    # The day is worded for the channel: an email is read at once ("yesterday afternoon"),
    # a posted or handed letter later in the week ("on Tuesday"). Nothing else may differ.
    days = {"email": " yesterday afternoon ", "post": " on Tuesday ", "hand": " on Tuesday "}
    shared = [
        tuple(
            p.replace(days[letter.delivery.value], " <day> ")
            for p in letter.paragraphs
            if p != letter.personal and concern not in p
        )
        for letter in letters
    ]
    assert all(" <day> " in paragraphs[0] for paragraphs in shared)
    assert shared[0] == shared[1] == shared[2]
    assert len({letter.personal for letter in letters}) == 3
    assert len({(letter.subject, letter.closing, letter.signature) for letter in letters}) == 1


def test_default_letters_restate_the_same_essentials(panel: thankyou.Interview) -> None:
    """With default templates (one email, two on paper) the essentials are word for word equal."""
    letters = thankyou.compose(panel, today=TODAY)
    assert [letter.personal for letter in letters] == [m.personal for m in panel.panel]
    essentials = [
        "Our discussion of modernising the batch pipelines into streaming ones and the team's "
        "habit of blameless post-mortems left me even more enthusiastic about the role.",
        "The work draws on what I know best: four years of moving Brightline's nightly batch "
        "jobs to streaming.",
        "I look forward to the next steps: a take-home exercise, then a final call with the VP.",
    ]
    for letter in letters:
        body = " ".join(letter.paragraphs)
        assert all(sentence in body for sentence in essentials), letter.recipient.name


@pytest.mark.parametrize(
    ("delivery", "expected"),
    [("email", "thank-you/email"), ("post", "thank-you/formal"), ("hand", "thank-you/formal")],
)
def test_default_template_follows_delivery(
    delivery: str, expected: str, panel: thankyou.Interview
) -> None:
    """By default an emailed letter uses thank-you/email; posted or handed, thank-you/formal."""
    letters = thankyou.compose(panel, today=TODAY)
    (letter,) = [letter for letter in letters if letter.delivery.value == delivery]
    assert letter.template == expected


def test_facts_template_overrides_the_default(panel: thankyou.Interview) -> None:
    """A `template` in the facts is used for every panel member instead of the channel default."""
    letters = thankyou.compose(panel.model_copy(update={"template": "thank-you/warm"}), today=TODAY)
    assert [letter.template for letter in letters] == ["thank-you/warm"] * 3


def test_facts_template_of_another_family_keeps_its_audience(panel: thankyou.Interview) -> None:
    """A facts `template` of the follow-up family writes the one follow-up, not one per member."""
    letters = thankyou.compose(
        panel.model_copy(update={"template": "follow-up/status"}), today=TODAY
    )
    assert [(letter.template, letter.recipient.name) for letter in letters] == [
        ("follow-up/status", "Priya Raman")
    ]


def test_explicit_template_beats_the_facts(panel: thankyou.Interview) -> None:
    """compose(template=...) wins over the facts file's `template`."""
    letters = thankyou.compose(
        panel.model_copy(update={"template": "thank-you/warm"}), "thank-you/formal", today=TODAY
    )
    assert {letter.template for letter in letters} == {"thank-you/formal"}


# --- dates ----------------------------------------------------------------------------------------


def test_today_fixes_the_letter_date(panel: thankyou.Interview) -> None:
    """today= sets the date every letter carries and prints."""
    letters = thankyou.compose(panel, "thank-you/formal", today=dt.date(2027, 1, 5))
    assert {letter.date for letter in letters} == {dt.date(2027, 1, 5)}
    assert "January 5, 2027" in letters[1].text


def test_today_may_be_a_datetime(panel: thankyou.Interview) -> None:
    """A datetime as today= dates the letter by its day and still notices the interview day."""
    (letter, *_) = thankyou.compose(panel, "thank-you/formal", today=dt.datetime(2026, 11, 24, 18))
    assert type(letter.date) is dt.date and letter.date == dt.date(2026, 11, 24)
    assert "meeting with me this afternoon" in letter.paragraphs[0]


def test_date_defaults_to_today(panel: thankyou.Interview) -> None:
    """Without today= the letters are dated the day they are composed."""
    before = dt.date.today()
    (letter, *_) = thankyou.compose(panel)
    assert before <= letter.date <= dt.date.today()


def test_same_day_letter_says_today(panel: thankyou.Interview) -> None:
    """An email written on the day of an afternoon interview says "this afternoon"."""
    letters = thankyou.compose(panel, "thank-you/formal", today=dt.date(2026, 11, 24))
    assert (
        letters[0]
        .paragraphs[0]
        .startswith("Thank you for meeting with me this afternoon to discuss")
    )


def test_a4_letters_write_day_first(examples_dir: Path) -> None:
    """On A4 paper the interview day and the letter date are written day first (23 November)."""
    (letter,) = thankyou.compose(
        thankyou.load(examples_dir / "one-on-one.json"),
        "thank-you/formal",
        today=dt.date(2026, 12, 5),
    )
    assert "on Monday 23 November to discuss" in letter.paragraphs[0]
    assert letter.date_line == "5 December 2026"


# --- the example's words --------------------------------------------------------------------------


def test_thank_you_subject(panel: thankyou.Interview) -> None:
    """Thank-you letters carry the subject "Thank you — <position> interview"."""
    subjects = {
        letter.subject for t in THANK_YOU for letter in thankyou.compose(panel, t, today=TODAY)
    }
    assert subjects == {"Thank you — Senior Data Engineer interview"}


def test_thank_you_email_is_100_to_200_words(panel: thankyou.Interview) -> None:
    """The example's thank-you email, salutation to signature, is between 100 and 200 words."""
    (letter,) = [
        letter
        for letter in thankyou.compose(panel, today=TODAY)
        if letter.template == "thank-you/email"
    ]
    assert 100 <= len(letter.body.split()) <= 200


@pytest.mark.parametrize(
    ("today", "asks", "not_asked"),
    [
        (dt.date(2026, 11, 26), "I know you hope to reach a decision by Monday, November 30. "
         "Before then, is there anything more I can send you?", "where the process stands"),
        (dt.date(2026, 12, 2), "You had hoped to reach a decision by Monday, November 30. Could "
         "you let me know where the process stands", "Before then"),
    ],
)  # fmt: skip
def test_follow_up_asks_for_status_without_checking_in(
    panel: thankyou.Interview, today: dt.date, asks: str, not_asked: str
) -> None:
    """The follow-up thanks, restates interest and asks for the status, never "checking in";
    before the decision day it does not ask where things stand as if a deadline were missed."""
    (letter,) = thankyou.compose(panel, "follow-up/status", today=today)
    text = letter.text.lower()
    assert "checking in" not in text and "touch base" not in text
    assert "thank you again" in text
    assert "interest in the role" in text
    assert asks in letter.text and not_asked not in letter.text
    assert letter.subject == "Following up — Senior Data Engineer interview"
    assert len(letter.paragraphs) == 3, "thanks and interest; the question; the close"


@pytest.mark.parametrize("next_steps", ["a final call", None])
def test_debrief_mentions_the_decision_date(next_steps: str | None) -> None:
    """The recruiter debrief passes on when a decision is due, with or without a known next step."""
    interview = validate(_facts(next_steps=next_steps, decision_within_days=3))
    (letter,) = thankyou.compose(interview, "recruiter/debrief", today=TODAY)
    assert "decision" in letter.text and "by Friday, November 27" in letter.text
    assert letter.paragraphs[-1].endswith("let me know if the timing changes?")


def test_briefing_tells_the_reference_what_they_need(panel: thankyou.Interview) -> None:
    """The briefing names the job, the company, who will call and when, and what to emphasise."""
    letter = thankyou.compose(panel, "references/briefing", today=TODAY)[0]
    text = letter.text
    assert "Senior Data Engineer" in text and "Acme Robotics" in text
    assert "They hope to decide by Monday, November 30, so a call could come" in text
    assert "Priya Raman, Director of Data Platform, or from Jordan Lee" in text
    assert (
        "speak to the on-call redesign I led and how I brought two data teams onto one set of "
        "conventions." in text
    )


def test_paper_letter_text_has_sender_date_and_address(panel: thankyou.Interview) -> None:
    """A posted letter's text starts with the sender block, the date and the address block."""
    letter = thankyou.compose(panel, today=TODAY)[1]
    head = letter.text.split("\n\nDear ")[0].split("\n\n")
    assert head == [
        "Alex Morgan\n12 Elm Street\nSpringfield, IL 62701\n+1 555 010 0199\n"
        "alex.morgan@example.com",
        "November 25, 2026",
        "Tomás O'Neill\nStaff Engineer\nAcme Robotics\n400 Industrial Way\nSpringfield, IL 62704",
    ]


def test_email_text_is_the_body(panel: thankyou.Interview) -> None:
    """An emailed letter's text is salutation to signature, with no address blocks."""
    letter = thankyou.compose(panel, today=TODAY)[0]
    assert letter.text == letter.body
    assert letter.text.startswith("Dear Dr. Raman,\n\n")
    assert letter.text.endswith("\n\nBest regards,\nAlex Morgan\n")


# --- the grammar matrix ---------------------------------------------------------------------------

HIGHLIGHTS = {
    "none": [],
    "one": ["the streaming migration"],
    "two": ["the streaming migration", "blameless post-mortems"],
    "three": ["the streaming migration", "blameless post-mortems", "the on-call rota"],
}
CONCERNS = {
    "none": [],
    "one": ["I have run Kubernetes only in staging"],
    "two": ["I have run Kubernetes only in staging", "I have not managed people"],
}
OPTIONAL = {
    "next_steps": ["a take-home exercise", None],
    "location": ["Springfield headquarters", None],
    "decision_within_days": [None, 1, 3, 14],
}


def _variants() -> list[dict[str, Any]]:
    variants = []
    for (h, c), (steps, place, days) in zip(
        itertools.product(HIGHLIGHTS, CONCERNS),
        itertools.cycle(itertools.product(*OPTIONAL.values())),
        strict=False,
    ):
        variants.append(
            {
                "highlights": HIGHLIGHTS[h],
                "concerns": CONCERNS[c],
                "next_steps": steps,
                "location": place,
                "decision_within_days": days,
            }
        )
    # Every optional value must be seen at least once with highlights and concerns on and off.
    variants += [
        {
            "highlights": [],
            "concerns": [],
            "next_steps": None,
            "location": None,
            "decision_within_days": None,
        },
        {
            "highlights": HIGHLIGHTS["three"],
            "concerns": CONCERNS["two"],
            "next_steps": "a call",
            "location": "Video call",
            "decision_within_days": 14,
        },
    ]
    return variants


def _id(variant: dict[str, Any]) -> str:
    return "-".join(f"{k[:4]}={len(v) if isinstance(v, list) else v}" for k, v in variant.items())


def _check_prose(letter: thankyou.Letter) -> None:
    text = letter.text
    assert "Dear ," not in text and not letter.salutation.startswith("Dear  ")
    assert "None" not in text
    assert "  " not in text, "double space"
    assert ".." not in text and ",," not in text and ". ." not in text
    assert not re.search(r"\s[,.;:!?]", text), "space before punctuation"
    assert not re.search(r"[,;:][.,;:!?]", text), "stacked punctuation"
    assert not re.search(r"[.!?] [a-z]", text), "sentence starting in lower case"
    assert not re.search(r"[{}\x00-\x08\x0b-\x1f]", text), "template residue or control character"
    assert "\n\n\n" not in text, "empty paragraph"
    assert letter.subject and "\n" not in letter.subject
    assert re.fullmatch(r"Dear \S.*,", letter.salutation)
    for paragraph in letter.paragraphs:
        assert paragraph.strip() == paragraph and paragraph, "empty or padded paragraph"
        if paragraph == letter.personal:
            continue
        assert paragraph[0].isupper() or paragraph[0] == "–", paragraph
        prose = paragraph.split("\n– ")[0]
        ends = ":" if "\n– " in paragraph else ".?!"
        assert prose[-1] in ends, f"paragraph does not end a sentence: {paragraph!r}"


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("variant", _variants(), ids=_id)
def test_prose_is_grammatical_in_every_combination(variant: dict[str, Any], paper: str) -> None:
    """Every template writes clean sentences with any mix of highlights, concerns and options."""
    interview = validate(_facts(**variant, style={"paper": paper}))
    for template in ALL_TEMPLATES:
        for letter in thankyou.compose(interview, template, today=TODAY):
            _check_prose(letter)


@pytest.mark.parametrize("template", ALL_TEMPLATES)
def test_prose_on_the_interview_day(template: str) -> None:
    """Letters written on the interview day read cleanly too."""
    interview = validate(
        _facts(highlights=HIGHLIGHTS["two"], concerns=CONCERNS["one"], decision_within_days=1)
    )
    for letter in thankyou.compose(interview, template, today=dt.date(2026, 11, 24)):
        _check_prose(letter)


def test_company_ending_in_a_full_stop() -> None:
    """A company such as "Lumen & Co." never produces a doubled full stop in any template."""
    interview = validate(
        _facts(company="Lumen & Co.", highlights=HIGHLIGHTS["one"], next_steps="a call")
    )
    for template in ALL_TEMPLATES:
        for letter in thankyou.compose(interview, template, today=TODAY):
            assert "Co.." not in letter.text, template
            assert "Lumen & Co." in letter.text


@pytest.mark.parametrize(
    ("highlights", "phrase"),
    [
        (HIGHLIGHTS["one"], "Our discussion of the streaming migration left"),
        (
            HIGHLIGHTS["two"],
            "Our discussion of the streaming migration and blameless post-mortems left",
        ),
        (
            HIGHLIGHTS["three"],
            "the streaming migration, blameless post-mortems, and the on-call rota left",
        ),
        ([], "Our conversation left me even more enthusiastic"),
    ],
)
def test_highlights_are_joined_as_prose(highlights: list[str], phrase: str) -> None:
    """One, two or three highlights read as a list in a sentence; none says "our conversation"."""
    (letter, _) = thankyou.compose(
        validate(_facts(highlights=highlights)), "thank-you/formal", today=TODAY
    )
    assert phrase in letter.text


@pytest.mark.parametrize(
    ("concerns", "phrases"),
    [
        (CONCERNS["one"], ["I have run Kubernetes only in staging. I would be glad to say more"]),
        (
            CONCERNS["two"],
            [
                "I have run Kubernetes only in staging. I would be glad to say more about it.",
                "I have not managed people. I would be glad to say more about it.",
            ],
        ),
    ],
)
def test_concerns_agree_in_number(concerns: list[str], phrases: list[str]) -> None:
    """A concern typed as a sentence stands as its own paragraph, one per concern."""
    (letter, _) = thankyou.compose(
        validate(_facts(concerns=concerns)), "thank-you/email", today=TODAY
    )
    assert all(phrase in letter.text for phrase in phrases)
    (debrief,) = thankyou.compose(
        validate(_facts(concerns=concerns)), "recruiter/debrief", today=TODAY
    )
    pronoun = "it" if len(concerns) == 1 else "these"
    assert f"If the panel raises {pronoun} with you" in debrief.text


def test_no_concerns_no_concern_paragraph() -> None:
    """Without concerns no letter mentions returning to a point or a gap."""
    for template in ALL_TEMPLATES:
        for letter in thankyou.compose(validate(_facts()), template, today=TODAY):
            assert "gap" not in letter.text and "your read on" not in letter.text


def test_letter_without_personal_paragraph() -> None:
    """A panel member with no personal paragraph gets a letter whose personal is None."""
    data = _facts()
    del data["panel"][0]["personal"]
    (letter, other) = thankyou.compose(validate(data), "thank-you/email", today=TODAY)
    assert letter.personal is None
    assert len(letter.paragraphs) == len(other.paragraphs) - 1
    _check_prose(letter)


def test_personal_paragraph_keeps_its_line_breaks() -> None:
    """The user's own line breaks inside the personal paragraph survive composing."""
    data = _facts()
    data["panel"][0]["personal"] = "First line,\nsecond line."
    (letter, _) = thankyou.compose(validate(data), "thank-you/formal", today=TODAY)
    assert letter.personal == "First line,\nsecond line."
    assert "First line,\nsecond line." in letter.text


# --- the Letter object ----------------------------------------------------------------------------


def test_letter_is_immutable(make_letter: Callable[..., thankyou.Letter]) -> None:
    """A Letter and its parts cannot be changed after composing."""
    letter = make_letter()
    with pytest.raises(dataclasses.FrozenInstanceError):
        letter.subject = "Changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        letter.recipient.name = "Changed"  # type: ignore[misc]
    with pytest.raises(ValueError, match="frozen"):
        letter.sender.name = "Changed"  # type: ignore[misc]
    assert isinstance(letter.paragraphs, tuple) and isinstance(letter.recipient.address, tuple)


def test_letters_are_hashable_values(panel: thankyou.Interview) -> None:
    """Composing the same facts twice gives equal letters."""
    assert thankyou.compose(panel, today=TODAY) == thankyou.compose(panel, today=TODAY)


@pytest.mark.parametrize("template", ALL_TEMPLATES)
def test_render_text_is_the_letter_text(template: str, panel: thankyou.Interview) -> None:
    """render(letter, "text") is the letter's text as UTF-8."""
    for letter in thankyou.compose(panel, template, today=TODAY):
        assert thankyou.render(letter, "text") == letter.text.encode("utf-8")


def test_render_text_with_another_style_changes_only_the_date(
    make_letter: Callable[..., thankyou.Letter],
) -> None:
    """Rendering text with A4 style writes the date day first and changes nothing else."""
    letter = make_letter()
    a4 = thankyou.render(letter, "text", style=thankyou.Style(paper="a4")).decode()
    assert a4 == letter.text.replace("November 25, 2026", "25 November 2026")
    assert a4 != letter.text


def test_unknown_format_lists_the_valid_ones(make_letter: Callable[..., thankyou.Letter]) -> None:
    """An unknown format name is a ValueError that lists every valid one."""
    with pytest.raises(ValueError, match="unknown format 'odt'") as caught:
        thankyou.render(make_letter(), "odt")
    assert all(name in str(caught.value) for name in ("docx", "email", "pdf", "text"))


def test_today_only_for_letters_read_today(panel: thankyou.Interview) -> None:
    """On the interview day the email says "today"; posted and handed letters give the date."""
    letters = thankyou.compose(panel, today=dt.date(2026, 11, 24))
    opening = {letter.recipient.name: letter.paragraphs[0] for letter in letters}
    assert opening["Priya Raman"].startswith("Thank you for speaking with me this afternoon about")
    for name in ("Tomás O'Neill", "Mei Chen"):
        assert "today" not in opening[name] and "this afternoon" not in opening[name]
        assert opening[name].startswith("Thank you for meeting with me on Tuesday to discuss")
