"""thankyou: the letters a careful candidate sends after a job interview.

Map of the package (dependencies point down this list, never up):

- :mod:`thankyou.errors`      ThankYouError and its subclasses
- :mod:`thankyou.models`      the facts: Interview, Candidate, Interviewer, ...
- :mod:`thankyou.letter`      Letter, the format-neutral result of composing
- :mod:`thankyou.facts`       load(): TOML, JSON, YAML, CSV -> Interview
- :mod:`thankyou.templating`  the sandboxed Jinja2 environment and template catalogue
- :mod:`thankyou.compose`     compose(): Interview -> list[Letter]
- :mod:`thankyou.renderers`   render(): Letter -> bytes (text, email, pdf, docx)
- :mod:`thankyou.output`      write(): letters -> files, atomically
- :mod:`thankyou.checks`      check(): findings before anything is sent
- :mod:`thankyou.plan`        plan(): the dated follow-up steps, as iCalendar
- :mod:`thankyou.send`        SMTP delivery with a resumable log
- :mod:`thankyou.cli`         the ``thankyou`` command
"""

from __future__ import annotations

from thankyou.checks import Finding, check
from thankyou.compose import compose
from thankyou.errors import (
    FactsError,
    RenderError,
    RenderWarning,
    SendError,
    TemplateError,
    ThankYouError,
)
from thankyou.facts import load, load_many
from thankyou.letter import Letter, Recipient
from thankyou.models import (
    Candidate,
    Delivery,
    Interview,
    Interviewer,
    Recruiter,
    Reference,
    Style,
)
from thankyou.output import WriteReport, write
from thankyou.plan import Plan, Step, plan
from thankyou.renderers import render
from thankyou.renderers.eml import to_message

__all__ = [
    "Candidate",
    "Delivery",
    "FactsError",
    "Finding",
    "Interview",
    "Interviewer",
    "Letter",
    "Plan",
    "Recipient",
    "Recruiter",
    "Reference",
    "RenderError",
    "RenderWarning",
    "SendError",
    "Step",
    "Style",
    "TemplateError",
    "ThankYouError",
    "WriteReport",
    "check",
    "compose",
    "load",
    "load_many",
    "plan",
    "render",
    "to_message",
    "write",
]
