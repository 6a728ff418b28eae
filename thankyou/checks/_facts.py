"""What the facts say beyond the people: an unknown template, wording, placeholders."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from thankyou import _lang
from thankyou._wording import wording_findings
from thankyou.checks._findings import Finding, finding
from thankyou.errors import ThankYouError
from thankyou.models import Interview


def template_findings(
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
        yield finding(
            "unknown-template", "template", name=interview.template, known=", ".join(known)
        )


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


def placeholder_findings(interview: Interview) -> Iterator[Finding]:
    """``placeholder``: an example value left from ``thankyou new``."""
    from thankyou._placeholders import placeholders  # late: reads the starter file

    for field, value in placeholders(interview.model_dump(mode="json")):
        shown = value if len(value) <= 60 else value[:59] + "…"
        yield finding("placeholder", field, value=shown.replace("\n", ", "))


def phrase_findings(interview: Interview) -> Iterator[Finding]:
    """``phrase-form`` and ``greeting``: the wording rules, each where it applies."""
    for key, field, values in wording_findings(interview):
        if _english_rule_applies(interview, key, field):
            yield finding(key, field, **values)
