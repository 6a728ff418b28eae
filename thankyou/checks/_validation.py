"""Validation errors of a raw mapping as findings, and the patch that lets the rest run."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from thankyou import facts
from thankyou.checks._findings import Finding, finding
from thankyou.facts import field_path
from thankyou.facts._parse import bad_text
from thankyou.models import Delivery, Interview

#: Stands in for an invalid address so the other checks can run.
_PLACEHOLDER_EMAIL = "placeholder@example.com"
#: Findings that would describe the patch rather than the user's facts, so they
#: are dropped for a patched person.
PATCH_BLIND = frozenset({"name-spelling", "look-alike-domain", "too-long"})


def validate(
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
    return finding("invalid", field_path(loc), msg=message[:1].upper() + message[1:])


def _error_finding(error: Any) -> Finding:
    loc, ctx = tuple(error["loc"]), error.get("ctx") or {}
    if error["type"] == "missing_contact":
        field = field_path((*loc, ctx["field"]))
        return finding("missing-contact", field, what=ctx["field"], hint=ctx["hint"])
    if error["type"] == "bad_email":
        return finding("bad-email", field_path(loc), address=ctx["address"], reason=ctx["reason"])
    # Anything else reads as `thankyou render` would report it (paths, "did you mean ...?").
    problem = facts.field_problem(error, {})
    # The same words as `thankyou render` prints, so the two commands read alike.
    return finding("invalid", problem.field, msg=problem.message)


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
