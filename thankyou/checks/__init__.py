"""Pre-send checks (README: Checks): what to fix before a letter leaves.

:func:`check` returns :class:`Finding` objects, errors first. It takes a
validated :class:`~thankyou.Interview` or the raw mapping a facts file parses
to. Facts that fail validation cannot become an ``Interview``, so for a mapping
the validation errors themselves become findings (``missing-contact``,
``bad-email``, ``invalid``); in a copy, a bad contact is then given a stand-in
and any other bad value (an unknown key above all) is removed, so that every
other check still runs on the rest of the facts. Only a bad required field
stops them.

This module runs the checks; each family lives in a module of its own:
``_findings`` (the codes, their levels and words), ``_validation`` (validation
errors as findings), ``_people`` (names, addresses, personal paragraphs,
greetings), ``_dates`` (the 24-hour rule, the year, an early follow-up),
``_facts`` (the template, the wording, placeholders) and ``_letters`` (length,
and which findings concern which letters).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from thankyou.checks._dates import OLD_AFTER, SEND_WITHIN, aware, late, letter_findings, old_date
from thankyou.checks._facts import phrase_findings, placeholder_findings, template_findings
from thankyou.checks._findings import CODES, LETTER_CODES, Finding, Level
from thankyou.checks._letters import MAX_EMAIL_WORDS, compose_default, concerning, length_findings
from thankyou.checks._people import (
    domain_findings,
    greeting_findings,
    invisible_character,
    name_findings,
    personal_findings,
    punctuation_findings,
)
from thankyou.checks._validation import PATCH_BLIND, validate
from thankyou.letter import Letter
from thankyou.models import Interview

__all__ = [
    "CODES",
    "LETTER_CODES",
    "MAX_EMAIL_WORDS",
    "OLD_AFTER",
    "SEND_WITHIN",
    "Finding",
    "Level",
    "check",
    "concerning",
    "invisible_character",
    "letter_findings",
]


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
        model, findings, patched = validate(interview, context)
    if model is not None:
        moment = aware(now, tz)
        found = list(_model_findings(model, moment, tz, template_dirs))
        if lengths:
            if letters is None:
                letters = compose_default(model, moment.date(), template_dirs)
            found += length_findings(model, letters)
        findings += [f for f in found if not (f.code in PATCH_BLIND and _owner(f.field) in patched)]
    return sorted(findings, key=_sort_key)


def _model_findings(
    interview: Interview,
    now: dt.datetime,
    tz: dt.tzinfo | None,
    template_dirs: Sequence[str | Path],
) -> Iterator[Finding]:
    yield from name_findings(interview)
    yield from personal_findings(interview)
    yield from late(interview, now, tz)
    yield from domain_findings(interview)
    yield from template_findings(interview, template_dirs)
    yield from greeting_findings(interview)
    yield from phrase_findings(interview)
    yield from placeholder_findings(interview)
    yield from punctuation_findings(interview)
    yield from old_date(interview, now, tz)


def _sort_key(finding: Finding) -> tuple[bool, list[tuple[str, int]]]:
    # Natural order for indices: panel[2] before panel[10].
    parts = [(text, int(num or -1)) for text, num in re.findall(r"(\D*)(\d*)", finding.field)]
    return finding.level != "error", parts


def _owner(field: str) -> str:
    """``panel[1].email`` -> ``panel[1]``: the person a field belongs to."""
    return field.rsplit(".", 1)[0] if "." in field else field
