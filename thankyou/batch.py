"""Batch runs: many facts files in, letters out, in worker processes when asked.

Loading and composing cost about a fifth of a PDF batch. Done in the parent
while workers render, they would cap what ``-j`` can gain (SPEC §11 asks two
workers for 1.7x one), so with ``jobs > 1`` each facts file is read and
composed in a worker too, and the letters stream back in file order.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from thankyou.composer import compose_each
from thankyou.errors import FactsError, ThankYouError
from thankyou.facts import Loaded, load_many, parse
from thankyou.letter import Letter
from thankyou.output import worker_pool

if TYPE_CHECKING:
    from thankyou.checks import Finding

__all__ = ["Composed", "compose_files", "is_candidate_file", "read_files"]


@dataclass(frozen=True)
class Composed:
    """The letters of one interview, or why there are none.

    Errors travel as text: exceptions with keyword arguments do not survive the
    trip back from a worker process.
    """

    #: ``interview.toml``, or ``panel.csv:2-4`` for rows of a spreadsheet.
    source: str
    letters: tuple[Letter, ...] = ()
    #: One line per interview that failed, or per letter of it that failed.
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def is_candidate_file(path: Path) -> bool:
    """True for a file like ``examples/candidate.toml``: [candidate] and [style], no interview."""
    if path.suffix.lower() == ".csv":
        return False
    try:
        keys = set(parse(path))
    except FactsError:
        return False
    return "candidate" in keys and keys <= {"candidate", "style"}


def read_files(paths: Iterable[Path], *, candidate: Path | None = None) -> Iterator[Loaded]:
    """Yield every interview of every file, loaded or failed.

    A file holding only a candidate (for ``--candidate``) is skipped with a warning.
    """
    for path in paths:
        yield from _read(path, candidate)


def _read(path: Path, candidate: Path | None) -> list[Loaded]:
    found = []
    for loaded in load_many(path, candidate=candidate):
        if loaded.error is not None and is_candidate_file(path):
            note = f"{path}: holds only a candidate; skipped (use it with --candidate)"
            loaded = Loaded(loaded.source, warnings=(note,))
        found.append(loaded)
    return found


def compose_files(
    paths: Sequence[Path],
    template: str | None = None,
    *,
    candidate: Path | None = None,
    template_dirs: Sequence[str | Path] = (),
    today: dt.date | None = None,
    paper: str | None = None,
    jobs: int = 1,
) -> Iterator[Composed]:
    """Read and compose every interview of ``paths``, in file order.

    Args:
        paths: Facts files.
        template: As for :func:`thankyou.compose`.
        candidate: Candidate file for spreadsheets without ``candidate_*`` columns.
        template_dirs: As for :func:`thankyou.compose`.
        today: As for :func:`thankyou.compose`.
        paper: ``"letter"`` or ``"a4"`` instead of the facts' own; set before
            composing, because the paper also decides how dates read in the text.
        jobs: Worker processes; 1 works in this process.
    """
    work = functools.partial(
        _compose_file, candidate=candidate, template=template,
        template_dirs=tuple(template_dirs), today=today, paper=paper,
    )  # fmt: skip
    if jobs <= 1 or len(paths) < 2:
        for path in paths:
            yield from work(path)
        return
    with worker_pool(jobs) as pool:
        for composed in pool.map(work, paths, chunksize=max(1, min(16, len(paths) // (jobs * 8)))):
            yield from composed


def _compose_file(
    path: Path,
    *,
    candidate: Path | None,
    template: str | None,
    template_dirs: tuple[str | Path, ...],
    today: dt.date | None,
    paper: str | None,
) -> list[Composed]:
    results = []
    for loaded in _read(path, candidate):
        if loaded.interview is not None:
            composed = _compose_one(_on_paper(loaded, paper), template, template_dirs, today)
        else:
            errors = (str(loaded.error),) if loaded.error is not None else ()
            composed = Composed(loaded.source, errors=errors)
        results.append(replace(composed, warnings=(*loaded.warnings, *composed.warnings)))
    return results


def _on_paper(loaded: Loaded, paper: str | None) -> Loaded:
    interview = loaded.interview
    if paper is None or interview is None or interview.style.paper == paper:
        return loaded
    style = interview.style.model_copy(update={"paper": paper})
    return replace(loaded, interview=interview.model_copy(update={"style": style}))


def _compose_one(
    loaded: Loaded,
    template: str | None,
    template_dirs: tuple[str | Path, ...],
    today: dt.date | None,
) -> Composed:
    """Compose one interview; each letter that fails is an error of its own."""
    assert loaded.interview is not None
    letters, errors = [], []
    try:
        for name, result in compose_each(
            loaded.interview, template, template_dirs=template_dirs, today=today
        ):
            if isinstance(result, ThankYouError):
                errors.append(f"{loaded.source}: letter to {name}: {result}")
            else:
                letters.append(result)
    except ThankYouError as err:  # the template or its readers: nothing to write at all
        errors.append(f"{loaded.source}: {err}")
    return _checked(loaded, Composed(loaded.source, tuple(letters), tuple(errors)), today)


def _checked(loaded: Loaded, composed: Composed, today: dt.date | None) -> Composed:
    """Run the checks that concern the composed letters: errors stop them, warnings ride along.

    An error about the interview as a whole (a placeholder in ``company``)
    stops every letter, reported once; an error about one reader stops the
    letters to that reader. Lengths are not measured here: that would lay out
    every paper letter twice (``thankyou check`` measures them).
    """
    from thankyou.checks import check, concerning, letter_findings  # late: name tables

    assert loaded.interview is not None
    interview, source = loaded.interview, loaded.source
    # Letters dated `today` count as written at its start: no hour is known to be late.
    now = dt.datetime.combine(today, dt.time(0, 0)) if today is not None else None
    findings = concerning(check(interview, now=now, lengths=False), interview, composed.letters)
    findings += letter_findings(interview, composed.letters)
    errors = [f for f in findings if f.level == "error"]
    if any(not _about_reader(f) for f in errors):  # about the whole interview: no letter goes
        lines = "\n".join(f"{source}: {_say(f)}" for f in errors)
        return replace(composed, letters=(), errors=(*composed.errors, lines))
    letters, failed = [], list(composed.errors)
    for letter in composed.letters:
        own = concerning(errors, interview, [letter])
        if own:
            who = f"{source}: letter to {letter.recipient.name}"
            failed.append("\n".join(f"{who}: {_say(f)}" for f in own))
        else:
            letters.append(letter)
    warnings = [f"{source}: {_say(f)}" for f in findings if f.level == "warning"]
    return replace(composed, letters=tuple(letters), errors=tuple(failed), warnings=tuple(warnings))


def _about_reader(finding: Finding) -> bool:
    return finding.field.startswith(("panel[", "references[", "recruiter"))


def _say(finding: Finding) -> str:
    where = f"{finding.field}: " if finding.field else ""
    return f"{where}{finding.message} [{finding.code}]"
