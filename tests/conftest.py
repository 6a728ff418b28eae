"""Shared fixtures: letters and interviews built in code, the examples folder, a CLI runner."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from thankyou.letter import Letter, Recipient
from thankyou.models import Candidate, Delivery, Style

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DATA = Path(__file__).resolve().parent / "data"

#: A fixed "today" so letter dates are reproducible.
TODAY = dt.date(2026, 11, 25)


def _letter(**changes: Any) -> Letter:
    letter = Letter(
        template="thank-you/formal",
        sender=Candidate(
            name="Alex Morgan",
            email="alex.morgan@example.com",
            phone="+1 555 010 0199",
            address=["12 Elm Street", "Springfield, IL 62701"],
        ),
        recipient=Recipient(
            name="Priya Raman",
            title="Director of Data Platform",
            company="Acme Robotics",
            address=("400 Industrial Way", "Springfield, IL 62704"),
            email="priya.raman@acme.example",
        ),
        delivery=Delivery.post,
        date=TODAY,
        subject="Thank you — Senior Data Engineer interview",
        salutation="Dear Dr. Raman,",
        paragraphs=(
            "Thank you for meeting with me on Tuesday to discuss the Senior Data Engineer "
            "position at Acme Robotics.",
            "Your question about backfilling late events has stayed with me.",
            "Thank you again for your time.",
        ),
        personal="Your question about backfilling late events has stayed with me.",
        closing="Sincerely,",
        signature="Alex Morgan",
        company="Acme Robotics",
        position="Senior Data Engineer",
        style=Style(),
    )
    return replace(letter, **changes) if changes else letter


@pytest.fixture
def make_letter() -> Callable[..., Letter]:
    """Build a Letter in code; keyword arguments replace its fields."""
    return _letter


@pytest.fixture
def examples_dir(tmp_path: Path) -> Path:
    """A private copy of examples/, so tests may write beside the facts."""
    target = tmp_path / "examples"
    shutil.copytree(EXAMPLES, target)
    return target
