"""thankyou: the letters a careful candidate sends after a job interview.

Map of the package (dependencies point down this list, never up):

- :mod:`thankyou.errors`      ThankYouError and its subclasses
- :mod:`thankyou.models`      the facts: Interview, Candidate, Interviewer, ...
- :mod:`thankyou.letter`      Letter, the format-neutral result of composing
- :mod:`thankyou.facts`       load(): TOML, JSON, YAML, CSV -> Interview
- :mod:`thankyou.templating`  the sandboxed Jinja2 environment and template catalogue
- :mod:`thankyou.composer`    compose(): Interview -> list[Letter]
- :mod:`thankyou.renderers`   render(): Letter -> bytes (text, email, pdf, docx, envelope)
- :mod:`thankyou.output`      write(): letters -> files, atomically
- :mod:`thankyou.checks`      check(): findings before anything is sent
- :mod:`thankyou.planner`    plan(): the dated follow-up steps, as iCalendar
- :mod:`thankyou.batch`       many facts files at once, in worker processes
- :mod:`thankyou.send`        SMTP delivery with a resumable log
- :mod:`thankyou.cli`         the ``thankyou`` command

Every public name is importable from here. Only the exceptions load with the
package; the rest load on first use (PEP 562), so ``import thankyou`` costs
little more than Python's own start (SPEC §11) and never loads reportlab,
python-docx, click or icalendar.
"""

from __future__ import annotations

import importlib
import typing

from thankyou.errors import (
    FactsError,
    RenderError,
    RenderWarning,
    SendError,
    TemplateError,
    ThankYouError,
)

if typing.TYPE_CHECKING:  # what type checkers and IDEs see; at run time __getattr__ serves these
    from thankyou.checks import Finding, check
    from thankyou.composer import compose
    from thankyou.errors import FieldProblem
    from thankyou.facts import Loaded, load, load_many
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
    from thankyou.output import Item, WriteReport, write
    from thankyou.planner import Plan, Step, plan
    from thankyou.renderers import render
    from thankyou.renderers.eml import to_message

#: Public name -> the module that defines it.
_LAZY = {
    "Finding": "thankyou.checks",
    "check": "thankyou.checks",
    "compose": "thankyou.composer",
    "FieldProblem": "thankyou.errors",
    "Loaded": "thankyou.facts",
    "load": "thankyou.facts",
    "load_many": "thankyou.facts",
    "Letter": "thankyou.letter",
    "Recipient": "thankyou.letter",
    "Candidate": "thankyou.models",
    "Delivery": "thankyou.models",
    "Interview": "thankyou.models",
    "Interviewer": "thankyou.models",
    "Recruiter": "thankyou.models",
    "Reference": "thankyou.models",
    "Style": "thankyou.models",
    "Item": "thankyou.output",
    "WriteReport": "thankyou.output",
    "write": "thankyou.output",
    "Plan": "thankyou.planner",
    "Step": "thankyou.planner",
    "plan": "thankyou.planner",
    "render": "thankyou.renderers",
    "to_message": "thankyou.renderers.eml",
}

__all__ = [
    "Candidate",
    "Delivery",
    "FactsError",
    "FieldProblem",
    "Finding",
    "Interview",
    "Interviewer",
    "Item",
    "Letter",
    "Loaded",
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


def __getattr__(name: str) -> typing.Any:
    """Load a public name on first use and keep it (PEP 562)."""
    if name == "__version__":
        from importlib.metadata import version

        return version("thankyou")
    try:
        module = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'thankyou' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
