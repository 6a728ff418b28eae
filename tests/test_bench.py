"""The benchmark of docs/design/performance.md still runs: a smoke run, no timing assertions."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_benchmark_smoke_run_reports_every_comparison() -> None:
    """`python bench/run.py --smoke` finishes and prints a row for each performance target."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--smoke"],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    for row in ("PDF, one letter", "DOCX, one letter", "email, one message", "import thankyou",
                "-j 1 vs -j 2", "peak RSS"):  # fmt: skip
        assert row in done.stdout
    assert "Heavy modules loaded by `import thankyou`: none" in done.stdout
