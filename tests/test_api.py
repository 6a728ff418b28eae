"""The public surface: what ``import thankyou`` offers, what it costs, and what it raises."""

from __future__ import annotations
import __future__

import dataclasses
import json
import subprocess
import sys
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import thankyou

HEAVY = ("reportlab", "docx", "click", "icalendar", "yaml")


def _public_names() -> set[str]:
    """Names a user can reach as ``thankyou.X``, minus submodules, dunders and __future__ flags."""
    return {
        name
        for name in dir(thankyou)
        if not name.startswith("_")
        and not isinstance(getattr(thankyou, name), types.ModuleType | type(__future__.annotations))
    }


def test_all_is_sorted() -> None:
    """thankyou.__all__ is kept in sorted order, so additions are easy to review."""
    assert list(thankyou.__all__) == sorted(thankyou.__all__)


def test_all_has_no_duplicates() -> None:
    """No name is listed twice in thankyou.__all__."""
    assert len(set(thankyou.__all__)) == len(thankyou.__all__)


def test_every_name_in_all_exists() -> None:
    """Every name in __all__ is an attribute of the package (no stale entries)."""
    missing = [name for name in thankyou.__all__ if not hasattr(thankyou, name)]
    assert missing == []


def test_every_public_name_is_in_all() -> None:
    """Every public non-module attribute of the package is exported through __all__."""
    assert _public_names() == set(thankyou.__all__)


@pytest.mark.parametrize(
    "name",
    [
        "load",
        "compose",
        "render",
        "write",
        "Interview",
        "Letter",
        "ThankYouError",
        "FactsError",
        "TemplateError",
        "RenderError",
        "Delivery",
        "Style",
    ],
)
def test_spec_names_are_exported(name: str) -> None:
    """The names SPEC §4 promises are importable from the package itself."""
    assert name in thankyou.__all__


def test_import_stays_light() -> None:
    """A fresh `import thankyou` loads none of reportlab, docx, click, icalendar or PyYAML."""
    code = (
        "import json, sys, thankyou; "
        f"print(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(result.stdout) == []


def test_exceptions_share_one_base() -> None:
    """FactsError, TemplateError, RenderError and SendError all derive from ThankYouError."""
    for error in (
        thankyou.FactsError,
        thankyou.TemplateError,
        thankyou.RenderError,
        thankyou.SendError,
    ):
        assert issubclass(error, thankyou.ThankYouError)


# --- no foreign exception escapes for bad input ---------------------------------------------------

_GOOD = """\
company = "Acme"
position = "Engineer"
date = 2026-11-24
[candidate]
name = "Alex Morgan"
email = "alex@example.com"
[[panel]]
name = "Priya Raman"
email = "priya@acme.example"
"""

#: (file name, contents) pairs that must each fail with a ThankYouError.
BAD_FILES: dict[str, tuple[str, bytes]] = {
    "toml syntax": ("a.toml", b"company = \n"),
    "json syntax": ("a.json", b'{"company": }'),
    "yaml syntax": ("a.yaml", b"company: [unclosed\n"),
    "not utf-8": ("a.toml", b'company = "\xff\xfe"\n'),
    "top-level list": ("a.json", b"[1, 2]"),
    "scalar yaml": ("a.yaml", b"just a sentence\n"),
    "empty file": ("a.toml", b""),
    "unknown suffix": ("a.txt", b"company = 'x'"),
    "deeply nested json": ("a.json", b"[" * 50_000),
    "deeply nested yaml": ("a.yaml", b"a: " + b"[" * 50_000),
    "lone surrogate": ("a.json", json.dumps({"company": "A\ud800"}).encode()),
    "null byte": ("a.toml", _GOOD.replace("Acme", "Ac\\u0000me").encode()),
    "number as name": ("a.toml", _GOOD.replace('"Priya Raman"', "42").encode()),
    "bad date": ("a.toml", _GOOD.replace("2026-11-24", '"next tuesday"').encode()),
    "huge text": ("a.toml", _GOOD.replace('"Acme"', '"' + "x" * 50_000 + '"').encode()),
    "bad email": ("a.toml", _GOOD.replace("priya@acme.example", "john@example.invalid").encode()),
    "wrong type for panel": ("a.toml", _GOOD.split("[[panel]]")[0].encode() + b"panel = 3\n"),
    "yaml python tag": ("a.yaml", b"company: !!python/object/apply:os.system ['true']\n"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_load_raises_only_facts_error(case: str, tmp_path: Path) -> None:
    """load() turns every kind of bad file into a FactsError naming the file."""
    name, content = BAD_FILES[case]
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(thankyou.FactsError) as caught:
        thankyou.load(path)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize("path", ["missing.toml", "."])
def test_load_of_missing_file_or_folder_raises_facts_error(path: str, tmp_path: Path) -> None:
    """load() reports a missing file or a folder as a FactsError, not an OSError."""
    with pytest.raises(thankyou.FactsError, match="cannot read"):
        thankyou.load(tmp_path / path)


@pytest.mark.parametrize("name", ["a\x00.toml", "a\x00.csv"])
@pytest.mark.parametrize("loader", [thankyou.load, thankyou.load_many])
def test_file_name_with_a_null_character(name: str, loader: Callable[[str], Any]) -> None:
    """A file name with a NUL in it is a FactsError, not the ValueError open() raises."""
    with pytest.raises(thankyou.FactsError, match="null character"):
        loader(name)


def _compose_with(template: str, tmp_path: Path) -> Callable[[], Any]:
    folder = tmp_path / "templates" / "thank-you"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mine.j2").write_text(template, encoding="utf-8")
    interview = thankyou.Interview.model_validate(
        {
            "company": "Acme",
            "position": "Engineer",
            "date": "2026-11-24",
            "candidate": {"name": "Alex Morgan", "email": "alex@example.com"},
            "panel": [{"name": "Priya Raman", "email": "priya@acme.example"}],
        }
    )
    return lambda: thankyou.compose(
        interview, "thank-you/mine", template_dirs=[tmp_path / "templates"]
    )


BAD_TEMPLATES = {
    "undefined variable": '{% extends "_base/letter.j2" %}{% block body %}{{ nope }}{% endblock %}',
    "syntax error": '{% extends "_base/letter.j2" %}{% block body %}{% if %}{% endblock %}',
    "sandbox escape": '{% extends "_base/letter.j2" %}{% block body %}{{ "".__class__ }}{% endblock %}',  # noqa: E501
    "no base": "Just text.",
    "empty body": '{% extends "_base/letter.j2" %}{% block body %}   {% endblock %}',
    "missing parent": '{% extends "_base/nope.j2" %}',
    "runtime error": '{% extends "_base/letter.j2" %}{% block body %}{{ 1 // 0 }}{% endblock %}',
    "huge output": '{% extends "_base/letter.j2" %}{% block body %}{{ "x" * 200000 }}{% endblock %}',  # noqa: E501
}


@pytest.mark.parametrize("case", sorted(BAD_TEMPLATES))
def test_compose_raises_only_template_error(case: str, tmp_path: Path) -> None:
    """compose() turns every kind of broken user template into a TemplateError naming it."""
    with pytest.raises(thankyou.TemplateError) as caught:
        _compose_with(BAD_TEMPLATES[case], tmp_path)()
    assert "thank-you/mine" in str(caught.value) or "_base/nope" in str(caught.value)


def test_compose_of_unknown_template_raises_template_error(tmp_path: Path) -> None:
    """compose() with a template name that does not exist raises TemplateError."""
    interview = thankyou.load(Path(__file__).parent.parent / "examples" / "panel-interview.toml")
    with pytest.raises(thankyou.TemplateError, match="no such template"):
        thankyou.compose(interview, "thank-you/nope")


def test_render_of_unknown_format_is_a_value_error(
    make_letter: Callable[..., thankyou.Letter],
) -> None:
    """render() with a format name that does not exist is a programming error: ValueError."""
    with pytest.raises(ValueError, match="unknown format"):
        thankyou.render(make_letter(), "odt")


_LONG = ("Your question about late events stayed with me. " * 400)[:20_000].strip()

#: (case, Letter changes) that every renderer must either render or refuse with a RenderError.
ODD_LETTERS: dict[str, dict[str, Any]] = {
    "no recipient email": {"recipient": thankyou.Recipient(name="Mei Chen")},
    "header injection in subject": {"subject": "Thanks\r\nBcc: someone@evil.example"},
    "longest personal paragraph": {"paragraphs": ("Thank you.", _LONG, "Best."), "personal": _LONG},
    "longest personal paragraph on A4": {
        "paragraphs": ("Thank you.", _LONG, "Best."),
        "personal": _LONG,
        "style": thankyou.Style(paper="a4"),
    },
    "longest personal paragraph, window layout": {
        "paragraphs": ("Thank you.", _LONG, "Best."),
        "personal": _LONG,
        "style": thankyou.Style(layout="window"),
    },
}


@pytest.mark.filterwarnings("ignore::thankyou.RenderWarning")
@pytest.mark.parametrize(
    ("case", "fmt"),
    [(case, fmt) for case in sorted(ODD_LETTERS) for fmt in ("text", "email", "pdf", "docx")],
)
def test_render_raises_only_render_error(
    case: str, fmt: str, make_letter: Callable[..., thankyou.Letter]
) -> None:
    """render() returns bytes or raises RenderError for odd but possible letters, any format."""
    letter = make_letter(**ODD_LETTERS[case])
    try:
        output = thankyou.render(letter, fmt)
    except thankyou.RenderError as err:
        assert err.format == fmt
    else:
        assert isinstance(output, bytes) and output


def test_public_functions_are_never_shadowed_by_submodules() -> None:
    """thankyou.compose, .plan and .check stay functions whatever was imported first."""
    code = (
        "import thankyou.planner, thankyou.composer, thankyou.checks, thankyou.cli, types\n"
        "import thankyou\n"
        "for name in ('compose', 'plan', 'check', 'render', 'write', 'load'):\n"
        "    value = getattr(thankyou, name)\n"
        "    assert callable(value) and not isinstance(value, types.ModuleType), name\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.stdout.strip() == "ok", done.stderr


def _thankyou_types(hint) -> set[type]:
    """The classes of this package that a type hint mentions, however deeply nested."""
    found = set()
    if isinstance(hint, type) and hint.__module__.startswith("thankyou"):
        found.add(hint)
    for arg in typing.get_args(hint):
        found |= _thankyou_types(arg)
    return found


def test_every_type_the_api_returns_is_exported() -> None:
    """A caller can name every type a public function returns or a public class holds."""
    reachable: set[type] = set()
    for name in thankyou.__all__:
        value = getattr(thankyou, name)
        if isinstance(value, type) and dataclasses.is_dataclass(value):
            hints = typing.get_type_hints(value)
        elif isinstance(value, type):
            continue  # models and errors: their fields are covered by the facts reference
        else:
            hints = {"return": typing.get_type_hints(value).get("return")}
        for hint in hints.values():
            reachable |= _thankyou_types(hint)
    exported = {getattr(thankyou, name) for name in thankyou.__all__}
    assert {t.__qualname__ for t in reachable - exported} == set()
