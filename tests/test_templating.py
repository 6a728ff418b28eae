"""Templates: where the built-ins are found, user folders first, the sandbox and StrictUndefined."""

from __future__ import annotations

import datetime as dt
import importlib.resources
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import thankyou
from thankyou import templating

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 25)
BUILTINS = {
    "thank-you/formal",
    "thank-you/email",
    "thank-you/warm",
    "follow-up/status",
    "references/briefing",
    "recruiter/debrief",
}


@pytest.fixture
def interview(examples_dir: Path) -> thankyou.Interview:
    """The panel example, loaded."""
    return thankyou.load(examples_dir / "panel-interview.toml")


@pytest.fixture
def user_templates(tmp_path: Path) -> Callable[..., Path]:
    """Write user templates ({name: source}) into a fresh folder and return the folder."""

    def write(**templates: str) -> Path:
        folder = tmp_path / "my-templates"
        for name, source in templates.items():
            path = folder / f"{name.replace('__', '/')}.j2"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(source, encoding="utf-8")
        return folder

    return write


def _body(source: str) -> str:
    """A user template that extends the base and fills the body with ``source``."""
    return '{% extends "_base/thank-you.j2" %}\n{% block body %}\n' + source + "\n{% endblock %}\n"


# --- where the built-ins are ----------------------------------------------------------------------


def test_builtin_root_in_a_checkout_is_the_top_level_templates_folder() -> None:
    """In this editable install (no thankyou/templates) the built-ins come from templates/."""
    assert not (ROOT / "thankyou" / "templates").exists()
    assert templating.builtin_root() == ROOT / "templates"


def test_builtin_root_prefers_the_packaged_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the package holds templates/ (an installed wheel), builtin_root() returns it."""
    (tmp_path / "templates").mkdir()
    monkeypatch.setattr(importlib.resources, "files", lambda package: tmp_path)
    assert templating.builtin_root() == tmp_path / "templates"


def test_builtin_root_falls_back_when_the_package_has_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without templates/ inside the package, builtin_root() falls back to the checkout's folder."""
    monkeypatch.setattr(importlib.resources, "files", lambda package: tmp_path / "missing")
    root = templating.builtin_root()
    assert root == ROOT / "templates"
    assert (root / "thank-you" / "formal.j2").is_file()


_IN_WHEEL = """\
import datetime as dt, json, sys
import thankyou
from thankyou import templating
letters = thankyou.compose(thankyou.load(sys.argv[1]), today=dt.date(2026, 11, 25))
print(json.dumps({
    "package": thankyou.__file__,
    "root": str(templating.builtin_root()),
    "texts": [thankyou.render(letter, "text").decode() for letter in letters],
    "templates": [info.name for info in templating.catalogue()],
}))
"""


@pytest.mark.slow
def test_installed_wheel_finds_its_templates_from_another_folder(
    tmp_path: Path, examples_dir: Path, interview: thankyou.Interview
) -> None:
    """A wheel installed elsewhere and used from an unrelated folder composes with its templates."""
    wheels, target, elsewhere = tmp_path / "wheels", tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(
        [
            *pip,
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    (wheel,) = wheels.glob("thankyou-*.whl")
    subprocess.run(
        [*pip, "install", "--no-deps", "--no-index", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [sys.executable, "-c", _IN_WHEEL, str(examples_dir / "panel-interview.toml")],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    found = json.loads(result.stdout)
    assert Path(found["package"]).is_relative_to(target / "thankyou")
    assert Path(found["root"]) == target / "thankyou" / "templates"
    assert set(found["templates"]) >= BUILTINS
    expected = [letter.text for letter in thankyou.compose(interview, today=TODAY)]
    assert found["texts"] == expected


# --- the catalogue --------------------------------------------------------------------------------


def test_catalogue_lists_the_builtins_with_audience_and_description() -> None:
    """catalogue() lists the six built-in letters with their audience and a description."""
    infos = {info.name: info for info in templating.catalogue()}
    assert set(infos) == BUILTINS
    assert {name: info.audience for name, info in infos.items()} == {
        "thank-you/formal": "panel",
        "thank-you/email": "panel",
        "thank-you/warm": "panel",
        "follow-up/status": "primary",
        "references/briefing": "references",
        "recruiter/debrief": "recruiter",
    }
    assert all(info.description and info.builtin and info.path.is_file() for info in infos.values())


def test_catalogue_hides_building_blocks() -> None:
    """Files and folders starting with _ (the base templates) are not letters and are not listed."""
    names = [info.name for info in templating.catalogue()]
    assert not [name for name in names if any(part.startswith("_") for part in name.split("/"))]
    assert (templating.builtin_root() / "_base" / "letter.j2").is_file()


def test_variables_names_what_a_template_needs() -> None:
    """variables() lists the top-level names a template and its parents use, not the globals."""
    needed = templating.variables("thank-you/formal")
    assert {
        "position",
        "company",
        "recipient",
        "remarks",
        "concerns",
        "next_steps",
        "topics",
        "when",
        "fit",
    } <= needed
    assert "SECTION" not in needed and "BR" not in needed


def test_variables_of_a_missing_template_is_a_template_error() -> None:
    """variables() for a name that does not exist raises TemplateError, not a Jinja exception."""
    with pytest.raises(thankyou.TemplateError, match="no such template"):
        templating.variables("thank-you/nope")


# --- user folders ---------------------------------------------------------------------------------


def test_user_folder_overrides_a_builtin(
    interview: thankyou.Interview, user_templates: Callable[..., Path]
) -> None:
    """A user's thank-you/formal replaces the built-in one, for the catalogue and for compose."""
    folder = user_templates(
        **{"thank-you__formal": "{# description: mine #}\n" + _body("Overridden.")}
    )
    letters = thankyou.compose(interview, "thank-you/formal", template_dirs=[folder], today=TODAY)
    assert [letter.paragraphs for letter in letters] == [("Overridden.",)] * 3
    info = next(i for i in templating.catalogue([folder]) if i.name == "thank-you/formal")
    assert (info.builtin, info.description, info.path.parent.parent) == (False, "mine", folder)


def test_user_folder_adds_a_template(
    interview: thankyou.Interview, user_templates: Callable[..., Path]
) -> None:
    """A user's thank-you/mine joins the built-ins in the catalogue and writes to the panel."""
    folder = user_templates(**{"thank-you__mine": _body("Thanks, {{ recipient.name }}.")})
    names = {info.name for info in templating.catalogue([folder])}
    assert names == BUILTINS | {"thank-you/mine"}
    letters = thankyou.compose(interview, "thank-you/mine", template_dirs=[folder], today=TODAY)
    assert [letter.paragraphs[0] for letter in letters] == [
        "Thanks, Priya Raman.",
        "Thanks, Tomás O'Neill.",
        "Thanks, Mei Chen.",
    ]
    assert {letter.template for letter in letters} == {"thank-you/mine"}


def test_user_folder_can_reuse_the_essentials(
    interview: thankyou.Interview, user_templates: Callable[..., Path]
) -> None:
    """A user template can import the shared essentials and get the built-ins' sentences."""
    source = '{% import "_base/essentials.j2" as essentials with context %}\n' + _body(
        "{{ essentials.discussed(capital=true) }} stays with me.\n\n{{ essentials.concern() }}"
    )
    folder = user_templates(**{"thank-you__mine": source})
    (priya, tomas, _) = thankyou.compose(
        interview, "thank-you/mine", template_dirs=[folder], today=TODAY
    )
    assert priya.paragraphs[0].startswith("Our discussion of modernising the batch pipelines")
    assert priya.paragraphs[1].startswith("You asked about my Kubernetes experience. So far")
    assert tomas.paragraphs == priya.paragraphs[:1], "the concern goes only to who raised it"


# --- StrictUndefined and broken templates ---------------------------------------------------------


def test_undefined_variable_names_template_line_and_variable(
    interview: thankyou.Interview, user_templates: Callable[..., Path]
) -> None:
    """A template that uses a name the facts lack fails with its name, the line and the variable."""
    folder = user_templates(
        **{"thank-you__mine": _body("Hello.\n\nDear {{ recipient.nickname }},")}
    )
    with pytest.raises(thankyou.TemplateError) as caught:
        thankyou.compose(interview, "thank-you/mine", template_dirs=[folder])
    error = caught.value
    assert (error.template, error.lineno, error.variable) == ("thank-you/mine", 5, "nickname")
    assert str(error) == "template thank-you/mine:5: uses 'nickname', which the facts do not define"


def test_undefined_top_level_name(
    interview: thankyou.Interview, user_templates: Callable[..., Path]
) -> None:
    """An undefined top-level variable is named too, instead of printing an empty string."""
    folder = user_templates(**{"thank-you__mine": _body("{{ salary }}")})
    with pytest.raises(thankyou.TemplateError) as caught:
        thankyou.compose(interview, "thank-you/mine", template_dirs=[folder])
    assert (caught.value.variable, caught.value.lineno) == ("salary", 3)


def test_syntax_error_names_the_line(
    interview: thankyou.Interview, user_templates: Callable[..., Path]
) -> None:
    """A template with a syntax error fails with a TemplateError carrying its line."""
    folder = user_templates(**{"thank-you__mine": _body("Fine.\n{% if recipient.name %}\nno end")})
    with pytest.raises(thankyou.TemplateError) as caught:
        thankyou.compose(interview, "thank-you/mine", template_dirs=[folder])
    assert caught.value.template == "thank-you/mine"
    assert caught.value.lineno == 6


def test_missing_template_lists_the_available_ones(interview: thankyou.Interview) -> None:
    """Asking for a template that does not exist lists every name that does."""
    with pytest.raises(thankyou.TemplateError) as caught:
        thankyou.compose(interview, "thank-you/formall")
    message = str(caught.value)
    assert message.startswith("template thank-you/formall: no such template; available: ")
    assert all(name in message for name in BUILTINS)


def test_template_without_the_base_is_explained(
    interview: thankyou.Interview, user_templates: Callable[..., Path]
) -> None:
    """A template that does not extend the base says which blocks it must fill."""
    folder = user_templates(**{"thank-you__mine": "Dear you, thanks."})
    with pytest.raises(thankyou.TemplateError, match=r"_base/letter\.j2"):
        thankyou.compose(interview, "thank-you/mine", template_dirs=[folder])


def test_user_templates_cannot_escape_the_folders(
    interview: thankyou.Interview, user_templates: Callable[..., Path]
) -> None:
    """A template name with ../ is refused instead of reading files outside the template folders."""
    folder = user_templates(**{"thank-you__mine": _body("x")})
    with pytest.raises(thankyou.TemplateError):
        thankyou.compose(interview, "../../etc/passwd", template_dirs=[folder])


# --- the sandbox ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "expression",
    [
        "''.__class__.__mro__",
        "lipsum.__globals__",
        "recipient.__class__.__init__.__globals__",
        "cycler.__init__.__globals__.os",
        "self._TemplateReference__context",
        "highlights.append('x')",
        "''.format.__self__",
        "range.__self__",
    ],
)
def test_sandbox_blocks_python_internals(
    expression: str, interview: thankyou.Interview, user_templates: Callable[..., Path]
) -> None:
    """Known sandbox escapes and mutations in a stranger's template fail with a TemplateError."""
    folder = user_templates(**{"thank-you__mine": _body("{{ " + expression + " }}")})
    with pytest.raises(thankyou.TemplateError) as caught:
        thankyou.compose(interview, "thank-you/mine", template_dirs=[folder])
    assert caught.value.template == "thank-you/mine"


def test_sandbox_errors_say_what_was_refused(
    interview: thankyou.Interview, user_templates: Callable[..., Path]
) -> None:
    """The sandbox refusal names the unsafe attribute and the line."""
    folder = user_templates(**{"thank-you__mine": _body("{{ ''.__class__ }}")})
    with pytest.raises(thankyou.TemplateError) as caught:
        thankyou.compose(interview, "thank-you/mine", template_dirs=[folder])
    assert "__class__" in str(caught.value) and "unsafe" in str(caught.value)
    assert caught.value.lineno == 3


@pytest.mark.parametrize(
    "personal",
    [
        "{{ 7*7 }} and {{ recipient.name }}",
        "{% raw %}{{ x }}{% endraw %}",
        "{% for x in range(3) %}{{ x }}{% endfor %}",
        "{# not a comment #} {{ BR }}",
        "{% extends 'x' %}",
    ],
)
def test_user_data_is_never_compiled(personal: str, examples_dir: Path) -> None:
    """Template syntax inside a personal paragraph is printed literally, never run."""
    interview = thankyou.load(examples_dir / "panel-interview.toml")
    member = interview.panel[0].model_copy(update={"personal": personal})
    interview = interview.model_copy(update={"panel": [member]})
    (letter,) = thankyou.compose(interview, "thank-you/formal", today=TODAY)
    assert letter.personal == personal
    assert personal in letter.text


@pytest.mark.parametrize("template", [None, "thank-you/formal"])
def test_missing_user_folder_is_an_error(
    template: str | None, interview: thankyou.Interview, tmp_path: Path
) -> None:
    """A template folder that does not exist is a TemplateError, not a silent fall-back."""
    with pytest.raises(thankyou.TemplateError, match="no such folder of templates"):
        thankyou.compose(interview, template, template_dirs=[tmp_path / "typo"])
    with pytest.raises(thankyou.TemplateError):
        templating.catalogue([tmp_path / "typo"])
