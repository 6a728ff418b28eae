"""Values left unchanged from the starter file that ``thankyou new`` writes.

The starter's own values are the reference: they are read from
``templates/_starter.toml`` (with its commented-out tables uncommented), so
this follows the starter whenever its examples change. Only fields that name
or describe the candidate's own situation count; a value such as a job title or
``delivery = "email"`` may well be true of the user too.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterator
from typing import Any

__all__ = ["placeholders"]

#: Field kinds (``panel[]`` for any index) whose starter value is only an example.
_KINDS = (
    "company",
    "highlights[]",
    "concerns[]",
    "concerns[].topic",
    "concerns[].answer",
    "fit",
    "next_steps",
    "candidate.name",
    "candidate.email",
    "candidate.phone",
    "candidate.address",
    "panel[].name",
    "panel[].email",
    "panel[].personal",
    "recruiter.name",
    "recruiter.agency",
    "recruiter.phone",
    "recruiter.email",
    "references[].name",
    "references[].email",
    "references[].emphasise[]",
)
#: A commented-out key or table header: ``# name = "..."``, ``# [recruiter]``.
_COMMENTED = re.compile(r"^# ?(?=\[|[a-z_]+ +=)", re.MULTILINE)


def _normal(value: str) -> str:
    return " ".join(value.split()).casefold()


def _walk(data: Any, path: str) -> Iterator[tuple[str, str, Any]]:
    """Yield (path, kind, value) for every value; ``kind`` has its indices blanked."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _walk(value, f"{path}.{key}" if path else key)
    elif isinstance(data, list) and not all(isinstance(v, str) for v in data):
        for i, value in enumerate(data):
            yield from _walk(value, f"{path}[{i}]")
    elif isinstance(data, list):
        yield path, re.sub(r"\[\d+\]", "[]", path), "\n".join(data)
        for i, value in enumerate(data):
            yield f"{path}[{i}]", re.sub(r"\[\d+\]", "[]", f"{path}[{i}]"), value
    else:
        yield path, re.sub(r"\[\d+\]", "[]", path), data


@functools.cache
def _starter_values() -> dict[str, frozenset[str]]:
    from thankyou.templating import builtin_root  # late: loads Jinja2

    try:
        text = (builtin_root() / "_starter.toml").read_text(encoding="utf-8")
    except OSError:  # a broken installation: no starter, so nothing can be left from it
        return {}
    found: dict[str, set[str]] = {}
    for source in (text, _COMMENTED.sub("", text)):
        try:
            data = tomllib.loads(source)
        except tomllib.TOMLDecodeError:  # the uncommented copy may not parse; the plain one does
            continue
        for _, kind, value in _walk(data, ""):
            if kind in _KINDS and isinstance(value, str):
                found.setdefault(kind, set()).add(_normal(value))
            if kind == "concerns[]" and isinstance(value, str):  # loaded as a table's topic
                found.setdefault("concerns[].topic", set()).add(_normal(value))
    return {kind: frozenset(values) for kind, values in found.items()}


def placeholders(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Return ``(field path, value)`` for each value still as ``thankyou new`` wrote it.

    Args:
        data: The facts as plain data (``Interview.model_dump(mode="json")``).
    """
    starter = _starter_values()
    return [
        (path, value)
        for path, kind, value in _walk(data, "")
        if isinstance(value, str) and _normal(value) in starter.get(kind, ())
    ]
