"""Pre-send checks (README: Checks): what to fix before a letter leaves.

:func:`check` returns :class:`Finding` objects, errors first. It takes a
validated :class:`~thankyou.Interview` or the raw mapping a facts file parses
to. Facts that fail validation cannot become an ``Interview``, so for a mapping
the validation errors themselves become findings (``missing-contact``,
``bad-email``, ``invalid``); in a copy, a bad contact is then given a stand-in
and any other bad value (an unknown key above all) is removed, so that every
other check still runs on the rest of the facts. Only a bad required field
stops them.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from thankyou import _lang, facts
from thankyou._names import lookalike_reason, spelling_mismatch
from thankyou._wording import wording_findings
from thankyou._zones import attach_zone
from thankyou.errors import ThankYouError
from thankyou.facts import field_path
from thankyou.facts._parse import bad_text
from thankyou.letter import Letter
from thankyou.models import Delivery, Interview, Style, ascii_email

__all__ = ["CODES", "Finding", "check", "concerning", "letter_findings"]

Level = Literal["error", "warning"]

#: Every code :func:`check` can return, with its level (README: Checks; ``invalid`` covers
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

#: A thank-you email over this many words is too long (README: Checks).
MAX_EMAIL_WORDS = 200
#: Thank-you letters go out within 24 hours (README: Checks).
SEND_WITHIN = dt.timedelta(hours=24)


@dataclass(frozen=True)
class Finding:
    """One thing to fix (error) or look at (warning) before sending."""

    #: ``"error"`` blocks sending; ``"warning"`` asks the user to look.
    level: Level
    #: A stable code from the table in README: Checks, e.g. ``name-spelling``.
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
        "doing about it, so the letter does not raise it and leave it open."
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


def _finding(key: str, field: str, **values: object) -> Finding:
    code = key.split("/", 1)[0]
    return Finding(CODES[code], code, field, _SAY[key].format(**values))


def check(
    interview: Interview | Mapping[str, Any],
    *,
    now: dt.datetime | None = None,
    tz: dt.tzinfo | None = None,
    base_dir: str | Path | None = None,
    template_dirs: Sequence[str | Path] = (),
    lengths: bool = True,
    letters: Sequence[Letter] | None = None,
) -> list[Finding]:
    """Return what should be fixed or looked at before the letters are sent.

    Args:
        interview: A validated interview, or the raw mapping from a facts file.
            Validation errors of a mapping come back as error findings instead
            of an exception.
        now: The moment to judge lateness against; defaults to the current time.
            A naive value is local time.
        tz: The zone of naive times (interview and ``now``); defaults to the
            machine's local zone.
        base_dir: For a mapping: the facts file's folder, against which relative
            paths (letterhead, signature, fonts) are resolved, as ``load`` does.
        template_dirs: Folders of user templates, searched before the built-ins
            when the letters are composed to measure their length.
        lengths: Measure the thank-you letters (``too-long``): count the words of
            the emails and lay out the paper ones to count their pages.
            ``thankyou render`` turns it off: it lays its letters out itself.
        letters: The letters already composed from ``interview`` (by
            :func:`thankyou.compose`), for the length checks to measure. When
            omitted, the panel's letters are composed with the default templates,
            dated ``now``; a template problem then gives no length finding
            (``thankyou render`` reports it with its template and line).

    Returns:
        Findings, errors first, then by field path (``panel[2]`` before ``panel[10]``).
    """
    model: Interview | None
    findings: list[Finding]
    patched: set[str]
    if isinstance(interview, Interview):
        model, findings, patched = interview, [], set()
    else:
        context = {"base_dir": base_dir} if base_dir is not None else None
        model, findings, patched = _validate(interview, context)
    if model is not None:
        moment = _aware(now, tz)
        found = list(_model_findings(model, moment, tz, template_dirs))
        if lengths:
            if letters is None:
                letters = _compose_default(model, moment.date(), template_dirs)
            found += _length_findings(model, letters)
        findings += [
            f for f in found if not (f.code in _PATCH_BLIND and _owner(f.field) in patched)
        ]
    return sorted(findings, key=_sort_key)


def _model_findings(
    interview: Interview,
    now: dt.datetime,
    tz: dt.tzinfo | None,
    template_dirs: Sequence[str | Path],
) -> Iterator[Finding]:
    yield from _name_findings(interview)
    yield from _personal_findings(interview)
    yield from _late(interview, now, tz)
    yield from _domain_findings(interview)
    yield from _template_findings(interview, template_dirs)
    yield from _greeting_findings(interview)
    for key, field, values in wording_findings(interview):
        if _english_rule_applies(interview, key, field):
            yield _finding(key, field, **values)
    yield from _placeholder_findings(interview)
    yield from _punctuation_findings(interview)
    yield from _old_date(interview, now, tz)


def _template_findings(
    interview: Interview, template_dirs: Sequence[str | Path]
) -> Iterator[Finding]:
    """``unknown-template``: the facts name a template the catalogue does not have."""
    if interview.template is None:
        return
    from thankyou.templating import catalogue

    try:
        known = [info.name for info in catalogue(template_dirs)]
    except ThankYouError:  # a broken --templates folder is reported by the command itself
        return
    if interview.template not in known:
        yield _finding(
            "unknown-template", "template", name=interview.template, known=", ".join(known)
        )


def _sort_key(finding: Finding) -> tuple[bool, list[tuple[str, int]]]:
    # Natural order for indices: panel[2] before panel[10].
    parts = [(text, int(num or -1)) for text, num in re.findall(r"(\D*)(\d*)", finding.field)]
    return finding.level != "error", parts


def _owner(field: str) -> str:
    """``panel[1].email`` -> ``panel[1]``: the person a field belongs to."""
    return field.rsplit(".", 1)[0] if "." in field else field


def _aware(moment: dt.datetime | None, tz: dt.tzinfo | None) -> dt.datetime:
    """Attach a zone to a naive time: ``tz`` if given, else local time with its DST rules."""
    if moment is None:
        return dt.datetime.now(dt.UTC)
    return attach_zone(moment, tz)  # DST gaps and overlaps: see thankyou._zones


# -- validation errors as findings ----------------------------------------------------------

#: Stands in for an invalid address so the other checks can run.
_PLACEHOLDER_EMAIL = "placeholder@example.com"
#: Findings that would describe the patch rather than the user's facts, so they
#: are dropped for a patched person.
_PATCH_BLIND = frozenset({"name-spelling", "look-alike-domain", "too-long"})


def _validate(
    data: Mapping[str, Any], context: dict[str, Any] | None
) -> tuple[Interview | None, list[Finding], set[str]]:
    """Validate a raw mapping; turn its errors into findings and, when possible, patch them."""
    if unusable := [_bad_text_finding(loc, msg) for loc, msg in bad_text(data)]:
        return None, unusable, set()  # pydantic cannot even describe such text
    try:
        return Interview.model_validate(data, context=context), [], set()
    except ValidationError as err:
        errors = err.errors()
    findings = [_error_finding(e) for e in errors]
    patched = copy.deepcopy(dict(data))
    try:
        owners = {_patch(patched, e) for e in errors}
    except (KeyError, IndexError, TypeError):  # a shape we did not foresee: report, don't patch
        return None, findings, set()
    try:
        return Interview.model_validate(patched, context=context), findings, owners
    except ValidationError:
        return None, findings, set()


def _bad_text_finding(loc: tuple[str | int, ...], message: str) -> Finding:
    return _finding("invalid", field_path(loc), msg=message[:1].upper() + message[1:])


def _error_finding(error: Any) -> Finding:
    loc, ctx = tuple(error["loc"]), error.get("ctx") or {}
    if error["type"] == "missing_contact":
        field = field_path((*loc, ctx["field"]))
        return _finding("missing-contact", field, what=ctx["field"], hint=ctx["hint"])
    if error["type"] == "bad_email":
        return _finding("bad-email", field_path(loc), address=ctx["address"], reason=ctx["reason"])
    # Anything else reads as `thankyou render` would report it (paths, "did you mean ...?").
    problem = facts.field_problem(error, {})
    # The same words as `thankyou render` prints, so the two commands read alike.
    return _finding("invalid", problem.field, msg=problem.message)


def _patch(data: dict[str, Any], error: Any) -> str:
    """Make one error valid in ``data``; return the owner path whose findings to drop.

    A contact error gets a stand-in (hand delivery, a placeholder address); any
    other bad value, an unknown key above all, is removed, so its field takes
    its default. A required field cannot be removed: validating the patched
    copy then fails, and only the error findings are reported.
    """
    loc = tuple(error["loc"])
    owner = loc if error["type"] == "missing_contact" else loc[:-1]
    node: Any = data
    for part in owner:
        node = node[part]
    if error["type"] == "missing_contact":
        node["delivery"] = Delivery.hand.value
    elif error["type"] == "bad_email":
        node["email"] = _PLACEHOLDER_EMAIL
    else:
        del node[loc[-1]]
    return field_path(owner)


# -- names: spelling against the address, and format -----------------------------------------


def _people(interview: Interview) -> Iterator[tuple[str, str, str | None]]:
    """Yield (path, name, email) for everyone the facts name."""
    yield "candidate", interview.candidate.name, interview.candidate.email
    for i, member in enumerate(interview.panel):
        yield f"panel[{i}]", member.name, member.email
    if interview.recruiter is not None:
        yield "recruiter", interview.recruiter.name, interview.recruiter.email
    for i, ref in enumerate(interview.references):
        yield f"references[{i}]", ref.name, ref.email


def _name_findings(interview: Interview) -> Iterator[Finding]:
    for path, name, email in _people(interview):
        yield from _name_format(f"{path}.name", name)
        if email is not None and (miss := spelling_mismatch(name, email)) is not None:
            piece, word = miss
            yield _finding(
                "name-spelling", f"{path}.name", name=name, email=email, word=word, piece=piece
            )
    for i, member in enumerate(interview.panel):
        if member.family_name is not None:
            yield from _name_format(f"panel[{i}].family_name", member.family_name)


_STRAY_SPACE = re.compile(r"^\s|\s$|\s{2}|\t|\s[,.]")


def _name_format(field: str, name: str) -> Iterator[Finding]:
    cased = sum(1 for c in name if c.islower() or c.isupper())
    # Scripts without case (CJK, Arabic, ...) can be neither "all lower" nor "all capitals".
    if cased >= 2 and name == name.lower():
        yield _finding("name-format/lower", field, name=name)
    elif cased >= 2 and name == name.upper():
        yield _finding("name-format/upper", field, name=name)
    if _STRAY_SPACE.search(name):
        yield _finding("name-format/spaces", field, name=name)
    if (found := invisible_character(name)) is not None:
        position, char = found
        yield _finding("name-format/invisible", field, name=name, char=char, position=position)


#: Characters that print as nothing (Unicode category Cf, and a few blank letters).
_BLANK_LETTERS = frozenset("\u034f\u115f\u1160\u3164\uffa0\u2800")
#: ZWNJ and ZWJ shape Arabic-script (Persian, Urdu...), Syriac and Indic names
#: (Unicode Standard §23.2); beside letters of those scripts they are part of the spelling.
_JOINERS = frozenset("\u200c\u200d")
_JOINING_SCRIPTS = (
    (0x0600, 0x08FF),  # Arabic, Syriac, Thaana, NKo, Arabic Extended
    (0x0900, 0x0DFF),  # Devanagari ... Sinhala
    (0x0F00, 0x0FFF),  # Tibetan
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x18AF),  # Khmer, Mongolian
    (0xA8E0, 0xA8FF),  # Devanagari Extended
    (0xFB50, 0xFDFF),  # Arabic Presentation Forms-A
    (0xFE70, 0xFEFE),  # Arabic Presentation Forms-B
)


def invisible_character(name: str) -> tuple[int, str] | None:
    """The first invisible character in a name as (1-based position, ``U+XXXX NAME``).

    ZWNJ and ZWJ count only where no neighbour belongs to a script that uses them.
    """
    import unicodedata

    for index, char in enumerate(name):
        if unicodedata.category(char) != "Cf" and char not in _BLANK_LETTERS:
            continue
        if char in _JOINERS and _joins(name[index - 1 : index] + name[index + 1 : index + 2]):
            continue
        label = unicodedata.name(char, "").title() or "an unnamed format character"
        return index + 1, f"U+{ord(char):04X} ({label})"
    return None


def _joins(neighbours: str) -> bool:
    return any(lo <= ord(c) <= hi for c in neighbours for lo, hi in _JOINING_SCRIPTS)


# -- personal paragraphs ----------------------------------------------------------------------


def _personal_findings(interview: Interview) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for i, member in enumerate(interview.panel):
        field = f"panel[{i}].personal"
        if member.personal is None:
            yield _finding("missing-personal", field, name=member.name)
            continue
        key = " ".join(member.personal.casefold().split())
        if key in seen:
            first, first_field = interview.panel[seen[key]].name, f"panel[{seen[key]}]"
            yield _finding(
                "duplicate-personal", field, name=member.name, first=first, first_field=first_field
            )
        else:
            seen[key] = i


# -- the 24-hour rule -------------------------------------------------------------------------


def _late(interview: Interview, now: dt.datetime, tz: dt.tzinfo | None) -> Iterator[Finding]:
    since = now - _aware(interview.when, tz)
    if since > SEND_WITHIN:
        yield _finding("late", "date", hours=int(since.total_seconds() // 3600))
    elif -since > SEND_WITHIN:  # a typo in the year or month, most likely
        yield _finding("future-date", "date", days=(-since).days)


# -- look-alike domains -----------------------------------------------------------------------


def _domain_findings(interview: Interview) -> Iterator[Finding]:
    for path, _name, email in _people(interview):
        if email is not None and (reason := lookalike_reason(email)) is not None:
            yield _finding(
                "look-alike-domain", f"{path}.email",
                email=email, ascii=ascii_email(email), reason=reason,
            )  # fmt: skip


# -- greetings in German, French and Spanish ------------------------------------------------

_LANGUAGE_NAMES = {"de": "German", "fr": "French", "es": "Spanish"}


def _english_rule_applies(interview: Interview, key: str, field: str) -> bool:
    """The English wording rules (phrase forms, "Dear …" greetings) judge English letters only.

    Phrase forms follow the interview's language; a greeting, its reader's. German,
    French and Spanish greetings have ``neutral-greeting`` instead.
    """
    if key.startswith("greeting/"):
        person: Any = interview
        found = re.match(r"(panel|references)\[(\d+)\]|recruiter", field)
        if found and found.group(1):
            person = getattr(interview, found.group(1))[int(found.group(2))]
        elif found:
            person = interview.recruiter
        return _lang.language_of(interview, person) == "en"
    if key.startswith("phrase-form/") and key != "phrase-form/thanks":
        return interview.language == "en"
    return True


def _greeting_findings(interview: Interview) -> Iterator[Finding]:
    """``neutral-greeting``: a de/fr/es letter that cannot greet its reader by name."""
    people: list[tuple[str, Any, bool]] = [
        (f"panel[{i}]", member, False) for i, member in enumerate(interview.panel)
    ]
    if interview.recruiter is not None:
        people.append(("recruiter", interview.recruiter, True))
    people += [(f"references[{i}]", ref, True) for i, ref in enumerate(interview.references)]
    for path, person, first_name_terms in people:
        language = _lang.language_of(interview, person)
        gap = _lang.greeting_gap(language, person, first_name_terms=first_name_terms)
        if gap is None:
            continue
        greeting = _lang.greeting(language, person, email=True, first_name_terms=first_name_terms)
        variant = "given" if gap == "honorific" and first_name_terms else gap
        yield _finding(
            f"neutral-greeting/{variant}",
            f"{path}.{gap}",
            language=_LANGUAGE_NAMES[language],
            name=person.name,
            salutation=greeting.salutation,
            hint=_lang.HONORIFIC_HINT[language],
        )


# -- length -----------------------------------------------------------------------------------


def _compose_default(
    interview: Interview, today: dt.date, template_dirs: Sequence[str | Path]
) -> list[Letter]:
    """The panel letters with the default templates, or [] when they cannot be composed.

    A template problem is reported by ``thankyou render`` with its template and
    line; a check that repeated it would only say it less well.
    """
    from thankyou.composer import compose  # late: composer imports this module's siblings

    try:
        return compose(interview, today=today, template_dirs=template_dirs)
    except ThankYouError:
        return []


def _page_counter() -> Callable[[Letter, Style], int]:
    from thankyou.renderers.pdf import count_pages  # reportlab loads only when a letter is paper

    return count_pages


def _length_findings(interview: Interview, letters: Sequence[Letter]) -> Iterator[Finding]:
    """``too-long``: a thank-you email over 200 words, or a paper letter over one page."""
    count_pages = None
    for i, letter in _panel_letters(interview, letters):
        if not letter.template.startswith("thank-you/"):
            continue
        name = letter.recipient.name
        if letter.delivery is Delivery.email:
            words = sum(len(p.split()) for p in letter.paragraphs)
            limit = _lang.MAX_EMAIL_WORDS.get(letter.language, MAX_EMAIL_WORDS)
            if words > limit:
                yield _finding("too-long/words", f"panel[{i}]", name=name, words=words, limit=limit)
            continue
        count_pages = count_pages or _page_counter()
        if (pages := count_pages(letter, letter.style)) > 1:
            yield _finding("too-long/pages", f"panel[{i}]", name=name, pages=pages)


def _panel_letters(interview: Interview, letters: Sequence[Letter]) -> Iterator[tuple[int, Letter]]:
    """Pair each letter with its panel index: by position, else by recipient name."""
    if len(letters) == len(interview.panel):
        yield from enumerate(letters)
        return
    index = {m.name: i for i, m in enumerate(interview.panel)}
    for letter in letters:
        if letter.recipient.name in index:
            yield index[letter.recipient.name], letter


# -- left from `thankyou new`, unfinished, in the wrong year, too early ---------------------------


def _placeholder_findings(interview: Interview) -> Iterator[Finding]:
    from thankyou._placeholders import placeholders  # late: reads the starter file

    for field, value in placeholders(interview.model_dump(mode="json")):
        shown = value if len(value) <= 60 else value[:59] + "…"
        yield _finding("placeholder", field, value=shown.replace("\n", ", "))


#: Sentence-final punctuation (Latin, CJK, Arabic, Devanagari, Ethiopic), and what may follow it.
_FINAL = ".!?…。！？؟।።"
_CLOSERS = "\"'”’»)]）」』"


def _punctuation_findings(interview: Interview) -> Iterator[Finding]:
    for i, member in enumerate(interview.panel):
        text = (member.personal or "").rstrip().rstrip(_CLOSERS)
        if text and text[-1] not in _FINAL:
            end = _ending(member.personal or "")
            yield _finding(
                "personal-punctuation", f"panel[{i}].personal", name=member.name, end=end
            )


def _ending(text: str, width: int = 20) -> str:
    """The last words of ``text``, about ``width`` characters, on one line."""
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    tail = flat[-width:]
    return tail.split(" ", 1)[-1] if not flat[-width - 1].isspace() else tail


#: An interview longer ago than this is most likely dated in the wrong year.
OLD_AFTER = dt.timedelta(days=60)


def _old_date(interview: Interview, now: dt.datetime, tz: dt.tzinfo | None) -> Iterator[Finding]:
    since = now - _aware(interview.when, tz)
    if since > OLD_AFTER:
        yield _finding("old-date", "date", date=interview.when.date().isoformat(), days=since.days)


def letter_findings(
    interview: Interview, letters: Sequence[Letter], *, tz: dt.tzinfo | None = None
) -> list[Finding]:
    """Findings about the letters themselves, for ``thankyou render``: a follow-up too early.

    A follow-up letter dated before the plan's follow-up day (``early-follow-up``)
    asks again before the candidate could have heard back. The plan and this
    check count the same day (:func:`thankyou.planner.followup_date`), so
    following the plan never draws the warning.
    """
    follow_ups = [letter for letter in letters if letter.template.startswith("follow-up/")]
    if not follow_ups:
        return []
    from thankyou.planner import followup_date  # late: the planner imports the composer

    due, _ = followup_date(interview, tz=tz)
    after = (due - _aware(interview.when, tz).date()).days
    return [
        _finding(
            "early-follow-up",
            "date",
            name=letter.recipient.name,
            date=_day(letter.date),
            due=_day(due),
            after=after,
        )
        for letter in follow_ups
        if letter.date < due
    ]


def _day(day: dt.date) -> str:
    return f"{day:%A}, {day:%B} {day.day}"


# -- which findings concern which letters (for `thankyou render`) -----------------------------

#: Findings that concern one family of letters only: the 24-hour rule and the personalised
#: paragraph are the thank-you letters'; the decision date is the follow-up's.
_ONLY_FOR = {
    "late": "thank-you",
    "missing-personal": "thank-you",
    "duplicate-personal": "thank-you",
    "personal-punctuation": "thank-you",
    "too-long": "thank-you",
    "early-follow-up": "follow-up",
}
_PERSON = re.compile(r"^(panel\[\d+\]|references\[\d+\]|recruiter)(?=$|[.\[])")


def concerning(
    findings: Sequence[Finding], interview: Interview, letters: Sequence[Letter]
) -> list[Finding]:
    """The findings that concern ``letters``: about the interview, or about one of their readers.

    A finding about a person (``panel[1].personal``) concerns only the letters
    to that person; some concern one family only (``late`` the thank-you
    letters, ``early-follow-up`` the follow-up).
    """
    readers = {path for letter in letters for path in _reader_paths(interview, letter)}
    families = {letter.template.split("/", 1)[0] for letter in letters}
    kept = []
    for finding in findings:
        family = _ONLY_FOR.get(finding.code)
        if family is not None and family not in families:
            continue
        person = _PERSON.match(finding.field)
        if person is None or person.group(1) in readers:
            kept.append(finding)
    return kept


def _reader_paths(interview: Interview, letter: Letter) -> Iterator[str]:
    name = letter.recipient.name
    yield from (f"panel[{i}]" for i, m in enumerate(interview.panel) if m.name == name)
    yield from (f"references[{i}]" for i, r in enumerate(interview.references) if r.name == name)
    if interview.recruiter is not None and interview.recruiter.name == name:
        yield "recruiter"
