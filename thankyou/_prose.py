"""Fitting the user's words to the sentences of a letter.

A facts file holds phrases ("the move to streaming pipelines") and sentences
("They will call me next week."), typed the way people type: with a capital at
the start, a full stop at the end, a sentence where a phrase was asked for. The
functions here decide what form a value has and fit it to its frame, so that a
template can write "Our discussion of {{ phrase }} left me…" and still parse.

Pure functions of strings and dates. The word lists are English and named so;
a template in another language brings its own lists through the same
functions (``lowerable=``, ``subjects=``, ``verbs=``) and its own wording of
:class:`DayRef` and of lists.

The rules, in brief:

* **A leading capital** is lowered only when the first word is a common word
  that cannot be a name: a closed-class English word ("The", "Our", "How"), or
  a gerund followed by a determiner ("Modernising the…"). A word with a
  capital inside it or in all capitals (API, GraphQL, McKinsey) is a name.
  Anything else keeps its capital, and :func:`doubtful_capital` lets ``check``
  ask the user.
* **A sentence in a phrase field** is a value that ends with "?" or "!", holds
  more than one sentence, starts with a subject pronoun ("I", "They"), or has a
  finite verb among its first words ("The panel will decide…", "Priya is…")
  after a first word that does not open a clause ("how", "what", "whether").
* **Plural**: a phrase that lists steps ("…, then …", "… and …"), starts with
  a number above one or a plural quantifier ("two", "several", "further"), or
  whose head noun (the last word before a preposition or comma) ends in a
  plural "-s".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

__all__ = [
    "EN_LOWERABLE",
    "DayRef",
    "Value",
    "as_sentence",
    "date_en",
    "day_ref",
    "decision_day",
    "doubtful_capital",
    "ends_sentence",
    "fit",
    "fit_relationship",
    "is_plural",
    "is_sentence",
    "join_en",
    "lower_initial",
    "relative_day_en",
    "strip_stop",
]


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


#: Words that end in a full stop which belongs to them, not to a sentence.
EN_ABBREVIATIONS = _set(
    "inc ltd co corp llc plc gmbh ag sa bv jr sr st etc al vs dept univ assn bros "
    "a.m p.m e.g i.e u.s u.k"
)

#: Closed-class English words: a capital on one of these starts a sentence, never a name.
EN_CLOSED = _set("""
    a an the this that these those our my your their his her its some any each every both
    either neither all no another other such what which whose whom who how why when where
    whether while if once about after before during in on at for with without from to by of
    into onto over under between among through across around behind beyond since until via
    per and or but so then also we you they he she it there one two three four five six
    seven eight nine ten several few many more most further final next first second third
    last same new old
    """)

#: Words that open a reference's relationship: roles, not names.
EN_ROLES = _set("""
    former previous current longtime long-time direct manager supervisor colleague coworker
    co-worker professor teacher lecturer tutor mentor adviser advisor boss lead team tech
    technical engineering product project senior principal friend client customer partner
    peer student classmate director head chair line hiring thesis phd doctoral research
    """)

#: Every word whose leading capital :func:`lower_initial` may lower (English).
EN_LOWERABLE = EN_CLOSED | EN_ROLES

EN_DETERMINERS = _set(
    "a an the this that these those our my your their his her its some any each every "
    "two three four five several"
)
EN_SUBJECTS = _set("i we they you he she it there someone nobody everyone")
EN_VERBS = _set("""
    will would should shall can could may might must is are was were has have had said says
    asked wants expects plans hopes did does do am 'll 'd
    """)
EN_RELATIVE = _set("i we you they that which who")
#: Verbs that make a sentence of a ``fit`` ("My four years at Brightline match the work").
EN_FIT_VERBS = _set(
    "match matches mirror mirrors suit suits mean means give gives help helps cover covers "
    "make makes prepared taught"
)
EN_CLAUSE_OPENERS = _set("how what why when where whether which who that if while once")
EN_PLURAL_STARTS = _set(
    "two three four five six seven eight nine ten several few some more further both "
    "multiple various"
)
EN_PREPOSITIONS = _set(
    "of with for at on in by to from about after before during into onto over under"
)

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_STOPS = (".", "!", "?", "…")
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Value:
    """A user's value, fitted: its text and the form it has.

    ``str(value)`` is the text, so a template that writes ``{{ value }}`` keeps
    working whatever the form.
    """

    #: The text as it goes into the letter: a phrase without its capital or
    #: full stop, or a whole sentence with its final punctuation.
    text: str
    #: True when the user typed a sentence (it must stand on its own).
    sentence: bool = False
    #: True when the phrase names more than one thing ("the next steps are").
    plural: bool = False
    #: The value exactly as the user typed it.
    raw: str = ""

    def __str__(self) -> str:
        return self.text


# --- forms -------------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends with sentence punctuation (closing quotes aside)."""
    return text.rstrip("\"'”’)").endswith(_STOPS)


def _abbreviated(text: str) -> bool:
    last = text.rsplit(None, 1)[-1].rstrip(".").lower()
    return last in EN_ABBREVIATIONS or bool(re.fullmatch(r"(?:\w\.)+\w", last))


def strip_stop(text: str) -> str:
    """Drop punctuation that would end the sentence a phrase is set into.

    One trailing full stop, comma, semicolon or colon goes; a full stop that
    belongs to an abbreviation ("Acme Inc.", "e.g.") stays.
    """
    text = text.strip()
    if text.endswith((",", ";", ":")):
        return text[:-1].rstrip()
    if text.endswith(".") and not text.endswith("...") and not _abbreviated(text):
        return text[:-1].rstrip()
    return text


def _is_name_like(word: str) -> bool:
    """A capital inside a word, or capitals throughout, make a name: API, iOS, McKinsey."""
    inner = word[1:]
    return any(c.isupper() for c in inner) or (len(word) > 1 and word.isupper())


def lower_initial(text: str, lowerable: Collection[str] = EN_LOWERABLE) -> str:
    """Lower the leading capital when it cannot belong to a name (see the module's rules)."""
    words = _words(text)
    if not words or not text[:1].isupper() or not text.startswith(words[0]):
        return text
    first = words[0]
    if first == "I" or first.startswith(("I'", "I’")) or _is_name_like(first):
        return text
    gerund = (
        first.lower().endswith("ing")
        and len(first) > 5
        and len(words) > 1
        and words[1].lower() in EN_DETERMINERS
    )
    if first.lower() in lowerable or gerund:
        return text[0].lower() + text[1:]
    return text


def doubtful_capital(text: str, lowerable: Collection[str] = EN_LOWERABLE) -> bool:
    """True when a phrase starts with a capital that may or may not be a name.

    ``check`` asks about these: "Kubernetes upgrades" is right, "Modernising
    pipelines" is not, and only the user knows which.
    """
    words = _words(text)
    if not words or not text[:1].isupper() or not text.startswith(words[0]):
        return False
    if lower_initial(text, lowerable) != text:
        return False
    first = words[0]
    return first != "I" and not _is_name_like(first) and len(words) > 1


def is_sentence(
    text: str,
    *,
    subjects: Collection[str] = EN_SUBJECTS,
    verbs: Collection[str] = EN_VERBS,
    openers: Collection[str] = EN_CLAUSE_OPENERS,
    window: int = 4,
) -> bool:
    """True when ``text`` is a sentence rather than a phrase (see the module's rules)."""
    text = text.strip()
    if text.rstrip("\"'”’)").endswith(("?", "!")):
        return True
    if re.search(r"[.!?]\s+[A-Z]", text):
        return True
    words = [w.lower() for w in re.findall(r"[\w'’-]+", text)]
    if len(words) < 2:
        return False
    if words[0] in subjects or (words[0] in ("no", "not", "never") and text[:1].isupper()):
        return True  # "No experience with Scala" is a (verbless) statement, not a topic
    if words[0] in openers:
        return False
    # A verb right after "I", "we", "that"… belongs to a relative clause ("the redesign I led").
    return any(
        w in verbs and words[i - 1] not in EN_RELATIVE
        for i, w in enumerate(words[1:window], start=1)
    )


def is_plural(text: str) -> bool:
    """True when a phrase names more than one thing (see the module's rules)."""
    if re.search(r"(,\s*|\s)(then|followed by)\s", f" {text.lower()} "):
        return True
    words = [w.lower() for w in re.findall(r"[\w'’-]+", re.split(r"[,;(]", text)[0])]
    if not words:
        return False
    if words[0] in EN_PLURAL_STARTS or (words[0].isdecimal() and int(words[0]) > 1):
        return True
    head = words[: next((i for i, w in enumerate(words) if w in EN_PREPOSITIONS), len(words))]
    if "and" in head or "or" in head:
        return "and" in head
    noun = head[-1] if head else ""
    singular_s = ("ss", "us", "is", "'s", "’s")
    return len(noun) > 3 and noun.endswith("s") and not noun.endswith(singular_s)


def as_sentence(text: str) -> str:
    """Make a typed value one sentence: a capital first, final punctuation last."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if ends_sentence(text) else text + "."


def fit(
    text: str,
    lowerable: Collection[str] = EN_LOWERABLE,
    *,
    verbs: Collection[str] = EN_VERBS,
    window: int = 4,
) -> Value:
    """Fit a value typed for a phrase frame.

    A phrase loses its leading capital (unless it may be a name) and its full
    stop; a sentence is kept whole, as a sentence of its own.
    """
    if is_sentence(text, verbs=verbs, window=window):
        return Value(as_sentence(text), sentence=True, plural=False, raw=text)
    phrase = lower_initial(strip_stop(text) or text, lowerable)
    return Value(phrase, sentence=False, plural=is_plural(phrase), raw=text)


def fit_relationship(text: str) -> Value:
    """A reference's relationship as it follows their name: "Sam Ortiz, my manager at Brightline".

    "professor", "Former manager at Brightline" and "my team lead for three
    years" all come out with a determiner: "my professor", "my former manager
    at Brightline", "my team lead for three years".
    """
    phrase = lower_initial(strip_stop(text) or text)
    first = (_words(phrase) or [""])[0].lower()
    if first not in EN_DETERMINERS and first not in ("a", "an"):
        phrase = "my " + phrase
    return Value(phrase, raw=text)


# --- lists -------------------------------------------------------------------------------------


def join_en(items: Iterable[object], conjunction: str = "and") -> str:
    """Join phrases as English prose, readable whatever the items hold.

    "a", "a and b", "a, b, and c"; items that contain commas are separated by
    semicolons ("a, b; c; and d"), and two items of which one already holds
    "and" are joined with "as well as" so the reader sees where one ends.
    """
    words = [str(item) for item in items]
    if len(words) <= 1:
        return "".join(words)
    if len(words) == 2:
        if any(f" {conjunction} " in w for w in words) and conjunction == "and":
            return f"{words[0]}, as well as {words[1]}"
        return f"{words[0]} {conjunction} {words[1]}"
    # A comma inside brackets ("Anneke (VP, Engineering)") does not blur where an item ends.
    sep = "; " if any("," in re.sub(r"\([^)]*\)", "", w) for w in words) else ", "
    return sep.join(words[:-1]) + f"{sep}{conjunction} " + words[-1]


# --- dates -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DayRef:
    """A day as seen from the letter's own date: what a person would call it."""

    #: The day itself.
    day: dt.date
    #: Days from the letter's date to ``day``: 1 is yesterday, -1 tomorrow.
    days_ago: int
    #: True when the reader reads it the day it is written (an email), so that
    #: "today" and "yesterday" hold; a posted letter says "on Tuesday" instead.
    read_now: bool
    #: 0 morning, 1 afternoon, 2 evening; None when no time of day is known.
    part: int | None = None
    #: Month before day ("November 24") on US Letter paper, else day first.
    us_order: bool = True


def day_ref(
    day: dt.date,
    letter_date: dt.date,
    *,
    read_now: bool,
    time: dt.time | None = None,
    us_order: bool = True,
) -> DayRef:
    """Describe ``day`` relative to ``letter_date``; ``time`` adds morning/afternoon/evening."""
    part = None if time is None else (0 if time.hour < 12 else 1 if time.hour < 17 else 2)
    return DayRef(day, (letter_date - day).days, read_now, part, us_order)


def decision_day(interview_day: dt.date, within_days: int) -> dt.date:
    """The day a decision "within N days" falls due, moved off a weekend to the Monday."""
    due = interview_day + dt.timedelta(days=within_days)
    return due + dt.timedelta(days=(7 - due.weekday()) % 7 if due.weekday() >= 5 else 0)


def date_en(ref: DayRef, *, weekday: bool = True, year: bool = False) -> str:
    """Write a day as "Monday, November 30" on Letter paper, "Monday 30 November" on A4."""
    day = ref.day
    month = _MONTHS[day.month - 1]
    text = f"{month} {day.day}" if ref.us_order else f"{day.day} {month}"
    if year:
        text += f", {day.year}" if ref.us_order else f" {day.year}"
    if weekday:
        text = f"{_WEEKDAYS[day.weekday()]}{',' if ref.us_order else ''} {text}"
    return text


def relative_day_en(ref: DayRef, *, mid: bool = False) -> str:
    """A past day as a person writes it (English).

    "today", "this afternoon", "yesterday afternoon", "on Tuesday", "on Tuesday, November 17".
    With ``mid=True`` (the words go on after it) a US full date takes its closing comma.

    "Today" and "yesterday" only when the letter is read the day it is written;
    a weekday alone within the last six days; the full date beyond.
    """
    parts = ("morning", "afternoon", "evening")
    if ref.read_now and ref.days_ago == 0:
        return "this " + parts[ref.part] if ref.part is not None else "today"
    if ref.read_now and ref.days_ago == 1:
        return "yesterday" + (f" {parts[ref.part]}" if ref.part is not None else "")
    if 0 <= ref.days_ago < 7:
        return "on " + _WEEKDAYS[ref.day.weekday()]
    # US style sets a full date off with commas inside a sentence ("on Monday, November 16, I").
    return "on " + date_en(ref) + ("," if mid and ref.us_order else "")


def upcoming_day_en(ref: DayRef) -> str:
    """A coming day the reader can check: "Monday, November 30" (English)."""
    return date_en(ref)


# --- template filters --------------------------------------------------------------------------


def _with_title(person: object) -> str:
    """'Priya Raman, Director of Data Platform'; a title with a comma goes in brackets."""
    name, title = str(getattr(person, "name", person)), getattr(person, "title", None)
    if not title:
        return name
    return f"{name} ({title})" if "," in title else f"{name}, {title}"


def _relative_day(ref: DayRef, mid: bool = True) -> str:
    return relative_day_en(ref, mid=mid)


def _day_date(ref: DayRef) -> str:
    return date_en(ref)


def _sentence(value: object) -> str:
    return as_sentence(str(value))


def _capital(value: object) -> str:
    text = str(value)
    return text[:1].upper() + text[1:]


#: The prose filters every template can use, registered with the Jinja environment.
FILTERS = {
    "join_and": join_en,
    "relative_day": _relative_day,
    "day_date": _day_date,
    "sentence": _sentence,
    "capital": _capital,
    "with_title": _with_title,
}
