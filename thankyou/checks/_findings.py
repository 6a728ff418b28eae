"""The findings: every code with its level, and the words each says."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["error", "warning"]

#: Every code :func:`check` can return, with its level (docs/checks.md; ``invalid`` covers
#: any other validation error of a raw mapping).
CODES: dict[str, Level] = {
    "invalid": "error",
    "missing-contact": "error",
    "bad-email": "error",
    "name-spelling": "warning",
    "name-format": "warning",
    "duplicate-personal": "warning",
    "missing-personal": "warning",
    "late": "warning",
    "future-date": "warning",
    "look-alike-domain": "warning",
    "too-long": "warning",
    "unknown-template": "error",
    "neutral-greeting": "warning",
    "phrase-form": "warning",
    "greeting": "warning",
    "concern-unanswered": "warning",
    "placeholder": "error",
    "personal-punctuation": "warning",
    "old-date": "warning",
    "early-follow-up": "warning",
}

#: Codes that :func:`letter_findings` returns, about letters rather than facts.
LETTER_CODES = frozenset({"early-follow-up"})


@dataclass(frozen=True)
class Finding:
    """One thing to fix (error) or look at (warning) before sending."""

    #: ``"error"`` blocks sending; ``"warning"`` asks the user to look.
    level: Level
    #: A stable code from the table in docs/checks.md, e.g. ``name-spelling``.
    code: str
    #: The field path as docs/facts.md writes it, e.g. ``panel[1].name`` ("" for the interview).
    field: str
    #: A sentence saying what is wrong and what to do.
    message: str

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        return f"{where}{self.level} {self.code}: {self.message}"


#: What each finding says; the key is the code, or ``code/variant``.
_SAY = {
    # The first three say what `thankyou render` says of the same facts, word for word.
    "missing-contact": "is required for this delivery: {hint}.",
    "bad-email": "'{address}' is not a valid email address: {reason}",
    "invalid": "{msg}.",
    "name-spelling": (
        'The name "{name}" and the address {email} disagree ("{word}" against "{piece}"): '
        "check the spelling of the name or of the address, since the letter prints the "
        "name as written and goes to the address as written."
    ),
    "name-format/lower": (
        '"{name}" is all lower case: write it as the person does (ignore this if they write it so).'
    ),
    "name-format/upper": (
        '"{name}" is in all capitals: write it as the person does '
        "(ignore this if they write it so)."
    ),
    "name-format/spaces": '"{name}" has stray spaces: remove the extra space.',
    "name-format/invisible": (
        '"{name}" holds an invisible character, {char} at position {position}: remove it, '
        "since it changes how the name is matched and searched but not how it looks."
    ),
    "unknown-template": "There is no template {name!r}; choose one of {known}.",
    "duplicate-personal": (
        "{name} gets the same personalised paragraph as {first} ({first_field}): "
        "write one for each person, since panels compare letters."
    ),
    "missing-personal": (
        "{name} has no personalised paragraph: add one that recalls something you "
        "discussed with them."
    ),
    "late": (
        "The interview was {hours} hours ago, more than 24: send the thank-you letters "
        "today anyway, since a late thank-you beats none."
    ),
    "future-date": (
        "The interview is dated {days} days from now: check the date, since the letters and "
        "the plan count from it."
    ),
    "look-alike-domain": (
        "The domain of {email} ({ascii}) may imitate another: {reason}. "
        "Copy the address from a message the person sent you."
    ),
    "too-long/words": (
        "The thank-you email to {name} runs to {words} words: keep it to {limit} by "
        "shortening the personal paragraph or the highlights."
    ),
    "neutral-greeting/honorific": (
        'The {language} letter to {name} falls back to the neutral "{salutation}": '
        "set honorific to {hint} to greet them as a native letter would."
    ),
    "neutral-greeting/given": (
        'The {language} letter to {name} falls back to the neutral "{salutation}": '
        "add given_name if you are on first-name terms, else set honorific to {hint}."
    ),
    "neutral-greeting/family_name": (
        'The {language} letter to {name} falls back to the neutral "{salutation}": '
        "add their family_name, which the formal greeting needs."
    ),
    "phrase-form/sentence": (
        '"{value}" is a sentence where a phrase is wanted: the letters set it apart as a '
        'sentence of its own; a phrase reads better, for example "{example}".'
    ),
    "phrase-form/capital": (
        '"{value}" starts with a capital the letters keep, in case it is a name; '
        'if it is not, write "{better}".'
    ),
    "phrase-form/fragment": (
        '"{value}" is neither a phrase nor a sentence: write the topic ("my Scala '
        'experience") or a whole sentence ("I have not used Scala yet.").'
    ),
    "phrase-form/thanks": (
        '{count} sentences of the personal paragraph start with "Thank you", and the letter '
        "opens with one: say it once, and let the rest say what you took away."
    ),
    "phrase-form/answer": (
        '"{value}" reads as a phrase, but the letters set the answer as a sentence after '
        '"You asked about …": write it as one, for example "I have started running our '
        'side project on a managed cluster."'
    ),
    "phrase-form/non-answer": (
        '"{value}" only says it is not known yet: the letters leave it out. Remove it, or '
        'write what you know, for example "{example}".'
    ),
    "phrase-form/they": (
        '"{value}" speaks of the company\'s people as "they", but the letters go to those '
        'people: write, for example, "{better}".'
    ),
    "phrase-form/article": (
        '"{value}" reads like a note after "I look forward to the next step:": write "{better}".'
    ),
    "phrase-form/title": (
        'The title "{value}" is all in lower case, and prints so in the address and beside '
        'the name: write "{better}".'
    ),
    "phrase-form/relationship": (
        '"{value}" cannot follow the reference\'s name ("Sam Ortiz, …, will cover …"), so '
        'the letters leave it out: write a phrase, for example "{example}".'
    ),
    "greeting/honorific": (
        'The honorific "{honorific}" needs family_name to be used ("Dear {honorific} …,"); '
        'until then the letter says "Dear {name},". Add family_name.'
    ),
    "greeting/own-honorific": (
        '"{name}" seems to carry its own honorific: write it in honorific = "{prefix}", give '
        "family_name, and keep name as the person writes it without the honorific."
    ),
    "greeting/first-name": (
        'The letter to {name} opens "Dear {name},": if you are on first-name terms, add '
        'given_name (the name you call them by) for "Hi …,".'
    ),
    "concern-unanswered": (
        'The concern "{topic}" has no answer: add answer = "…", a sentence on what you are '
        "doing about it, so the letter does not raise it and leave it open (a concern in the "
        "concerns list becomes a [[concerns]] table with topic and answer)."
    ),
    "too-long/pages": (
        "The thank-you letter to {name} runs to {pages} pages: shorten the personal "
        "paragraph or the highlights so it fits on one."
    ),
    "placeholder": (
        '"{value}" is the example that `thankyou new` wrote: replace it with your own, '
        "or remove the line if it does not apply."
    ),
    "personal-punctuation": (
        'The personalised paragraph for {name} ends "…{end}" without a full stop, question '
        "or exclamation mark: finish its last sentence."
    ),
    "old-date": (
        "The interview is dated {date}, {days} days ago: check the year, since the letters "
        "and the plan count from this date."
    ),
    "early-follow-up": (
        "The follow-up to {name} is dated {date}, before {due}, the plan's day for it "
        "({after} days after the interview): too soon to ask again; write it on {due}."
    ),
}


def finding(key: str, field: str, **values: object) -> Finding:
    """The finding for ``key`` (a code, or ``code/variant``) at ``field``, its words filled in."""
    code = key.split("/", 1)[0]
    return Finding(CODES[code], code, field, _SAY[key].format(**values))
