"""README's sample letter and the docs/ pictures are made from the current templates.

scripts/regen_docs.py writes them; these tests fail when a template, the
example or a renderer changed the letter since, so run the script again.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("regen_docs", ROOT / "scripts" / "regen_docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_sample_is_the_current_letter() -> None:
    """README's sample letter is word for word the example email the templates write today."""
    regen = _script()
    email, _ = regen.letters()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert regen.sample_block(email) in readme, "README is stale: run python scripts/regen_docs.py"
    assert " ".join(email.personal.split()[:8]) in " ".join(readme.split())


def test_pictures_were_made_from_the_current_letter() -> None:
    """docs/letter-pdf.png and letter-docx.png record the hash of the letter text they show."""
    regen = _script()
    _, posted = regen.letters()
    manifest = json.loads((ROOT / "docs" / "pictures.json").read_text(encoding="utf-8"))
    for name in ("letter-pdf.png", "letter-docx.png"):
        entry = manifest[name]
        assert entry["letter_sha256"] == regen.digest(posted.text), (
            f"docs/{name} is stale: run python scripts/regen_docs.py"
        )
        assert entry["png_sha256"] == regen.digest((ROOT / "docs" / name).read_bytes())
    assert regen.stale() == []


def test_every_facts_field_is_described_in_the_reference() -> None:
    """The generated facts reference says what each field is: a new field needs its #: comment."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("hooks", ROOT / "tools" / "mkdocs_hooks.py")
    assert spec is not None and spec.loader is not None
    hooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hooks)
    rows = [line for line in hooks.facts_reference().splitlines() if line.startswith("| `")]
    assert len(rows) > 50
    assert [row for row in rows if row.endswith("|  |")] == []


def test_every_finding_code_is_in_the_checks_table() -> None:
    """docs/checks.md lists each code `check` can print, with its level."""
    import re

    from thankyou.checks import CODES

    text = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([a-z-]+)` \| (error|warning) \|", text, re.MULTILINE))
    assert rows == CODES
