"""preview(): one self-contained HTML page to look over a whole run before sending.

Every letter is shown as its reader will see it (the email with its headers, the
paper letter with its address blocks), with the personal paragraph marked. The
essentials (the paragraphs the letters share) are listed once per interview,
and a letter whose other paragraphs differ from them says so. Each finding of
:func:`thankyou.check` sits beside the letter it concerns, and the plan comes
as a dated list.

The page needs no network and no script: styles are inline, links are
anchors within the page. Every value passes through Jinja2's autoescaping, so
facts holding markup (``<script>`` in a name) show as text.

The module is not called ``preview`` so that importing it never replaces the
function :func:`thankyou.preview` on the package with the module.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from thankyou.errors import FactsError, ThankYouError
from thankyou.facts import Loaded, load_many
from thankyou.letter import Letter
from thankyou.models import Delivery, Interview

if TYPE_CHECKING:
    from thankyou.checks import Finding
    from thankyou.planner import Step

__all__ = ["GENERATOR", "preview"]

#: The page's ``<meta name="generator">``: marks a file as a preview thankyou may replace.
GENERATOR = "thankyou preview"

#: The page's Jinja2 template, beside this module.
_PAGE = "review.html.j2"
#: What can be previewed: interviews, files, or what :func:`thankyou.facts.load_many` returns.
Source = Interview | Loaded | str | Path


@dataclass(frozen=True)
class _Paragraph:
    text: str
    #: ``personal``, ``essential`` (shared with the other letters) or ``own`` (this letter only).
    kind: str


@dataclass(frozen=True)
class _Card:
    anchor: str
    letter: Letter
    how: str
    paragraphs: tuple[_Paragraph, ...]
    #: Essentials this letter leaves out.
    missing: tuple[str, ...]
    findings: tuple[Finding, ...]
    #: Lines under the signature: an email carries the candidate's phone and address there.
    contact: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Section:
    anchor: str
    source: str
    title: str = ""
    when: str = ""
    error: str = ""
    #: Per template: its name and the paragraphs its letters share. Letters from different
    #: templates word the same facts differently, so each is compared with its own kind only.
    essentials: tuple[tuple[str, tuple[str, ...]], ...] = ()
    cards: tuple[_Card, ...] = ()
    #: Findings that concern no one letter (the date, the candidate, a reference...).
    general: tuple[Finding, ...] = ()
    steps: tuple[Step, ...] = ()
    #: Keys of the steps already due when the page was made.
    overdue: frozenset[str] = frozenset()
    counts: Counter[str] = field(default_factory=Counter)


def preview(
    facts: Source | Iterable[Source],
    *,
    template: str | None = None,
    template_dirs: Sequence[str | Path] = (),
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> str:
    """Return one HTML page showing every letter of a run, its findings and the plan.

    Args:
        facts: An interview, a facts file, or several of either; also the
            :class:`~thankyou.facts.Loaded` results of ``load_many``, whose
            errors are shown on the page.
        template: Template for every letter (default: each reader's own).
        template_dirs: Folders searched before the built-in templates.
        today: The date the letters carry (default: today).
        now: The moment findings and the plan are judged against (default: now).

    Returns:
        A complete HTML document (UTF-8 text) that needs no network and no script.
    """
    sections = [
        _section(i, one, template, template_dirs, today, now)
        for i, one in enumerate(_loaded(facts), start=1)
    ]
    return _page(sections, now or dt.datetime.now(dt.UTC))


def _loaded(facts: Source | Iterable[Source]) -> list[Loaded]:
    items: Iterable[Source] = (
        [facts] if isinstance(facts, Interview | Loaded | str | Path) else facts
    )
    loaded: list[Loaded] = []
    for item in items:
        if isinstance(item, Interview):
            loaded.append(Loaded("", interview=item))
        elif isinstance(item, Loaded):
            loaded.append(item)
        else:
            try:
                loaded += load_many(item)
            except FactsError as err:
                loaded.append(Loaded(str(item), error=err))
    # A file that held only warnings (a candidate file in a folder) has nothing to show.
    return [one for one in loaded if one.interview is not None or one.error is not None]


def _section(
    number: int,
    loaded: Loaded,
    template: str | None,
    template_dirs: Sequence[str | Path],
    today: dt.date | None,
    now: dt.datetime | None,
) -> _Section:
    anchor = f"interview-{number}"
    if loaded.interview is None:
        return _Section(anchor, loaded.source, error=str(loaded.error))
    interview = loaded.interview
    import thankyou

    try:
        letters = thankyou.compose(interview, template, template_dirs=template_dirs, today=today)
        findings = _findings(interview, letters, now, template_dirs)
    except ThankYouError as err:
        return _Section(anchor, loaded.source, title=_title(interview), error=str(err))
    by_template: dict[str, list[Letter]] = {}
    for letter in letters:
        by_template.setdefault(letter.template, []).append(letter)
    essentials = {
        name: _essentials([(letter.paragraphs, letter.personal) for letter in group])
        for name, group in by_template.items()
    }
    owners = _owners(interview)
    cards = tuple(
        _card(f"{anchor}-letter-{i}", letter, essentials[letter.template], findings, owners)
        for i, letter in enumerate(letters, start=1)
    )
    placed = {id(f) for card in cards for f in card.findings}
    the_plan = thankyou.plan(interview, now)
    return _Section(
        anchor,
        loaded.source,
        title=_title(interview),
        when=_when(interview.when),
        # A template one letter uses has nothing to share: its card says it all.
        essentials=tuple((n, e) for n, e in essentials.items() if len(by_template[n]) > 1),
        cards=cards,
        general=tuple(f for f in findings if id(f) not in placed),
        steps=the_plan.steps,
        overdue=frozenset(s.key for s in the_plan if s.due < the_plan.created),
        counts=Counter(f.level for f in findings),
    )


def _findings(
    interview: Interview,
    letters: Sequence[Letter],
    now: dt.datetime | None,
    template_dirs: Sequence[str | Path],
) -> list[Finding]:
    """What `check` finds and `render` would report for these letters, and nothing else.

    A finding about a reader with no letter in the run, or for another family of
    letters (``late`` for a follow-up run), is left out, as ``render`` leaves it.
    """
    from thankyou.checks import check, concerning, letter_findings

    found = check(interview, now=now, template_dirs=template_dirs, letters=letters)
    found += letter_findings(interview, letters)
    return concerning(found, interview, letters)


def _title(interview: Interview) -> str:
    return f"{interview.position} at {interview.company}"


def _when(moment: dt.datetime | dt.date) -> str:
    """``Tue 24 Nov 2026, 14:00 -06:00``: the weekday matters when planning."""
    if not isinstance(moment, dt.datetime):
        return moment.strftime("%a %d %b %Y")
    text = moment.strftime("%a %d %b %Y, %H:%M")
    if moment.tzinfo is not None:
        offset = moment.strftime("%z")
        text += f" {offset[:3]}:{offset[3:]}"
    return text


def _key(paragraph: str) -> str:
    """Paragraphs compare without regard to spacing and line breaks."""
    return " ".join(paragraph.split())


def _essentials(letters: Sequence[tuple[Sequence[str], str | None]]) -> tuple[str, ...]:
    """The paragraphs the letters share, in the order of the letter that has most of them.

    A paragraph is an essential when at least two letters carry it; a run of
    one letter has its every paragraph but the personal one as essentials.
    """
    bodies = [[p for p in paragraphs if p != personal] for paragraphs, personal in letters]
    counts: Counter[str] = Counter(key for body in bodies for key in {_key(p) for p in body})
    least = 1 if len(letters) == 1 else 2
    shared = [[p for p in body if counts[_key(p)] >= least] for body in bodies]
    order = max(shared, key=len, default=[])  # max() keeps the first of equals
    found = {_key(p) for p in order}
    rest = [p for body in shared for p in body if _key(p) not in found]
    return tuple(dict.fromkeys([*order, *rest]))


def _owners(interview: Interview) -> dict[str, str]:
    """Field path prefix -> the name of the person it concerns (``panel[1]`` -> ``Tomás``)."""
    owners = {f"panel[{i}]": m.name for i, m in enumerate(interview.panel)}
    owners |= {f"references[{i}]": r.name for i, r in enumerate(interview.references)}
    if interview.recruiter is not None:
        owners["recruiter"] = interview.recruiter.name
    return owners


_OWNER = re.compile(r"^(panel\[\d+\]|references\[\d+\]|recruiter)")


def _card(
    anchor: str,
    letter: Letter,
    essentials: tuple[str, ...],
    findings: Sequence[Finding],
    owners: dict[str, str],
) -> _Card:
    shared = {_key(p) for p in essentials}
    paragraphs = tuple(
        _Paragraph(
            p,
            "personal"
            if letter.personal is not None and p == letter.personal
            else "essential"
            if _key(p) in shared
            else "own",
        )
        for p in letter.paragraphs
    )
    present = {_key(p) for p in letter.paragraphs}
    mine = tuple(f for f in findings if _concerns(f, letter.recipient.name, owners))
    return _Card(
        anchor=anchor,
        letter=letter,
        how={Delivery.email: "email", Delivery.post: "post", Delivery.hand: "by hand"}[
            letter.delivery
        ],
        paragraphs=paragraphs,
        missing=tuple(p for p in essentials if _key(p) not in present),
        findings=mine,
        contact=_contact(letter),
    )


def _contact(letter: Letter) -> tuple[str, ...]:
    """What the email's text/plain part puts under the signature (nothing on paper)."""
    if letter.delivery is not Delivery.email:
        return ()
    return tuple(line for line in (letter.sender.phone, letter.sender.email) if line)


def _concerns(finding: Finding, name: str, owners: dict[str, str]) -> bool:
    match = _OWNER.match(finding.field)
    return match is not None and owners.get(match[1]) == name


def _page(sections: list[_Section], now: dt.datetime) -> str:
    from jinja2 import Environment

    # An environment of its own: the letter templates' environment renders plain text.
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["when"] = _when
    source = resources.files("thankyou").joinpath(_PAGE).read_text(encoding="utf-8")
    page = env.from_string(source)
    letters = sum(len(s.cards) for s in sections)
    counts: Counter[str] = sum((s.counts for s in sections), Counter())
    return page.render(
        sections=sections,
        generator=GENERATOR,
        letters=letters,
        errors=counts["error"] + sum(1 for s in sections if s.error),
        warnings=counts["warning"],
        made=_when(now.astimezone()),
    )
