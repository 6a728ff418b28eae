"""A stranger's template reaches no file, runs no model method, exhausts no time or memory."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

import thankyou
from thankyou import templating
from thankyou.cli import cli

TODAY = "2026-11-25"
ESCAPE = '{{ interview.style.model_validate({"signature": "%s"}).signature_image.read_text() }}'


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file the template must never read."""
    path = tmp_path / "secret.txt"
    path.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    return path


@pytest.fixture
def interview(examples_dir: Path, secret: Path) -> thankyou.Interview:
    """The panel example with a signature and an extra font (its last table is [style])."""
    facts = examples_dir / "panel-interview.toml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(
        text + f'signature = "{secret}"\nextra_fonts = ["{secret}"]\n', encoding="utf-8"
    )
    return thankyou.load(facts)


@pytest.fixture
def mine(tmp_path: Path) -> Callable[[str], Path]:
    """Write a user template thank-you/mine whose body is ``source``; return its folder."""

    def write(source: str) -> Path:
        folder = tmp_path / "mine"
        (folder / "thank-you").mkdir(parents=True, exist_ok=True)
        (folder / "thank-you" / "mine.j2").write_text(
            '{% extends "_base/letter.j2" %}\n{% block body %}\n'
            + source
            + "\n\n{{ recipient.personal | personal }}\n{% endblock %}\n"
            "{% block subject %}Thank you{% endblock %}\n"
            "{% block salutation %}Dear {{ recipient.name }},{% endblock %}\n",
            encoding="utf-8",
        )
        return folder

    return write


def _compose(interview: thankyou.Interview, folder: Path) -> list[thankyou.Letter]:
    return thankyou.compose(interview, "thank-you/mine", template_dirs=[folder])


FILE_ESCAPES = [
    ESCAPE,
    '{{ interview.style.model_validate({"signature": "%s"}).signature_image.write_text("x") }}',
    '{{ interview.model_construct(style={"signature": "%s"}).style.signature.read_text() }}',
    '{{ interview.style.model_copy(update={"signature_image": "%s"})'
    ".signature_image.read_text() }}",
    "{{ interview.style.signature_image.read_text() }}  {# %s #}",
    "{{ interview.style.extra_fonts[0].read_bytes() }}  {# %s #}",
    "{{ interview.style.signature_image.parent.iterdir() | list }}  {# %s #}",
    "{{ interview.style.signature_image.open().read() }}  {# %s #}",
    '{{ (interview.style | attr("model_validate"))({"signature": "%s"})'
    ".signature_image.read_text() }}",
    '{{ interview.style["model_validate"]({"signature": "%s"}).signature_image.read_text() }}',
    '{{ interview.style.signature_image.with_name("secret.txt").read_text() }}  {# %s #}',
    '{{ interview.style.signature_image.__class__("%s").read_text() }}',
    '{{ recipient.model_validate({"name": "%s"}) }}',
    "{{ recipient.model_dump() }}  {# %s #}",
    "{{ recipient.model_dump_json() }}  {# %s #}",
    "{{ interview.model_fields }}  {# %s #}",
    '{{ interview.style.signature_image | attr("read_text") }}  {# %s #}',
    "{% for f in interview.style.extra_fonts %}{{ f.read_text() }}{% endfor %}  {# %s #}",
    '{{ interview.panel[0].__class__.model_validate({"name": "%s"}) }}',
]


def _model_context(interview: thankyou.Interview) -> dict[str, object]:
    """A context that hands templates the pydantic models themselves, as composer.py once did."""
    return {"interview": interview, "recipient": interview.panel[0], "panel": interview.panel}


@pytest.mark.parametrize("source", FILE_ESCAPES)
def test_no_template_reaches_a_file_even_given_the_models(
    source: str, interview: thankyou.Interview, mine: Callable[[str], Path], secret: Path
) -> None:
    """Model methods and path methods are refused by the sandbox itself, whatever the context."""
    folder = mine(source.replace("%s", str(secret)))
    with pytest.raises(thankyou.TemplateError, match="not allowed in a template") as caught:
        templating.render_parts("thank-you/mine", _model_context(interview), [folder])
    assert caught.value.template == "thank-you/mine" and caught.value.lineno == 3
    assert "TOP-SECRET" not in str(caught.value)
    assert secret.read_text(encoding="utf-8") == "TOP-SECRET-CONTENT"


@pytest.mark.parametrize("source", FILE_ESCAPES)
def test_no_template_reaches_a_file_through_the_api(
    source: str, interview: thankyou.Interview, mine: Callable[[str], Path], secret: Path
) -> None:
    """Through compose(), the same templates are a TemplateError; the file is untouched."""
    folder = mine(source.replace("%s", str(secret)))
    with pytest.raises(thankyou.TemplateError) as caught:
        _compose(interview, folder)
    assert caught.value.template == "thank-you/mine"
    assert "TOP-SECRET" not in str(caught.value)
    assert secret.read_text(encoding="utf-8") == "TOP-SECRET-CONTENT"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ recipient.salutation_name }}", "Dr. Raman"),
        ("{{ recipient.delivery.value }}/{{ recipient.delivery == 'email' }}", "email/True"),
        ("{{ interview.when.strftime('%B') }} {{ interview.when.date().year }}", "November 2026"),
        ("{{ interview.style.signature_image.name }}", "secret.txt"),
        ("{{ panel | map(attribute='name') | join(', ') }}", "Priya Raman, Tomás O'Neill"),
    ],
)
def test_model_fields_and_properties_stay_readable(
    source: str, expected: str, interview: thankyou.Interview, mine: Callable[[str], Path]
) -> None:
    """Given the models, a template still reads their fields and our computed properties."""
    parts = templating.render_parts("thank-you/mine", _model_context(interview), [mine(source)])
    assert expected in parts.paragraphs[0]


def test_no_template_reaches_a_file_through_the_cli(
    interview: thankyou.Interview, examples_dir: Path, mine: Callable[[str], Path], secret: Path
) -> None:
    """The escape from the review, through --templates: an error line, nothing written with it."""
    folder = mine(ESCAPE % secret)
    out = examples_dir.parent / "out"
    facts = examples_dir / "panel-interview.toml"
    args = ["render", str(facts), "-t", "thank-you/mine", "--templates", str(folder)]
    result = CliRunner().invoke(cli, [*args, "-f", "text", "-o", str(out), "--today", TODAY])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "template thank-you/mine:3: " in result.stderr
    written = [p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file()]
    assert not any("TOP-SECRET" in text for text in written)


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ lipsum.__globals__ }}",
        "{{ cycler.__init__.__globals__.os }}",
        "{{ joiner.__init__.__globals__ }}",
        "{{ namespace.__init__.__globals__ }}",
        "{{ cycler.next }}",
        "{{ range(10**10) | list }}",
        "{{ '{0.__class__}'.format(recipient) }}",
        "{{ '{0:>999999999}'.format(1) }}",
        "{{ '{:{}}'.format(1, 999999999) }}",
        "{{ ''.format_map }}",
        "{{ recipient | attr('__class__') }}",
        "{{ ''|attr('__class__') }}",
        "{{ self._TemplateReference__context }}",
        "{{ highlights.append('x') }}",
        "{{ dict.fromkeys(range(3)) }}",
        "{{ namespace(x=1).__class__ }}",
        "{{ loop.__class__ }}",
    ],
)
def test_classic_escapes_are_refused(
    source: str, interview: thankyou.Interview, mine: Callable[[str], Path]
) -> None:
    """The usual ways out of a Jinja sandbox, each a TemplateError naming the template."""
    with pytest.raises(thankyou.TemplateError) as caught:
        _compose(interview, mine(source))
    assert caught.value.template == "thank-you/mine"


BIG = [
    '{{ "x" * 1000000000 }}',
    "{{ [1] * 1000000000 }}",
    '{{ ("x" * 1000) * 1000000 }}',
    "{{ 2 ** 100000000 }}",
    "{{ (10 ** 1000) * (10 ** 1000) * (10 ** 1000) * (10 ** 1000) }}",
    '{{ "%0999999999d" % 1 }}',
    '{{ "%*d" % (999999999, 1) }}',
    '{{ "%0999999999d" | format(1) }}',
    '{{ "x" | center(999999999) }}',
    '{{ "a b" | wordwrap(1) | indent(999999999) }}',
    '{{ "x" | wordwrap(1, wrapstring="y" * 1000000) }}',
    '{{ ("x" * 1000000) | replace("x", "yyyyyyyyyy") }}',
    '{{ ["x" * 1000000, "y"] | join("z" * 1000000) }}',
    '{{ [1] | batch(999999999, "x") | list }}',
    "{{ [1] | slice(999999999) | list }}",
    "{{ lipsum(999999999) }}",
    "{% set a = ['x' * 1000] * 1000 %}{% set b = [a, a, a, a] %}{{ b }}",
    "{% set a = ['x' * 1000] * 1000 %}{% set b = [a, a, a, a] %}{{ b | tojson }}",
    "{% set a = ['x' * 1000] * 1000 %}{% set b = [a, a, a, a] %}{{ '%s' % (b,) }}",
    "{% set a = ['x' * 1000] * 1000 %}{% set b = [a, a, a, a] %}{{ 'x' ~ b }}",
    "{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}"
    "{% endfor %}{{ ns.s | length }}",
    "{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s + ns.s %}"
    "{% endfor %}{{ ns.s | length }}",
    "{% macro m() %}{% for i in range(100000) %}{{ 'x' * 1000000 }}{% endfor %}{% endmacro %}"
    "{% set x = m() %}",
    "{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}",
    "{{ [[1] * 100000] * 10 | sum(start=[]) }}",
]


SLOW = [
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% else %}x{% endif %}{% endmacro %}"
    "{{ f(60) | length }}",
    "{{ range(100000) | map('center', 1000) | join }}",
]


@pytest.mark.parametrize("source", SLOW)
def test_a_template_cannot_loop_for_hours(
    source: str, interview: thankyou.Interview, mine: Callable[[str], Path]
) -> None:
    """Loops and calls share one budget: a runaway template stops within seconds."""
    folder = mine(source)
    started = time.perf_counter()
    with pytest.raises(thankyou.TemplateError, match="over its budget") as caught:
        _compose(interview, folder)
    assert time.perf_counter() - started < 3
    assert caught.value.template == "thank-you/mine" and caught.value.lineno == 3


@pytest.mark.parametrize("source", BIG)
def test_a_template_cannot_ask_for_gigabytes_or_hours(
    source: str, interview: thankyou.Interview, mine: Callable[[str], Path]
) -> None:
    """Over-budget templates stop fast, in little memory, with a TemplateError naming it."""
    folder = mine(source)
    started = time.perf_counter()
    tracemalloc.start()
    try:
        with pytest.raises(thankyou.TemplateError) as caught:
            _compose(interview, folder)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 3
    assert peak < 100_000_000
    assert caught.value.template == "thank-you/mine"
    if caught.value.lineno is not None:  # a line, when given, is the line of the template
        assert caught.value.lineno == 3


def test_output_cap_stops_while_rendering(
    interview: thankyou.Interview, mine: Callable[[str], Path]
) -> None:
    """Output over the cap ends the rendering with the limit named and no made-up line number."""
    folder = mine("{% for i in range(2000) %}{{ 'x' * 100 }}{% endfor %}")
    with pytest.raises(thankyou.TemplateError, match="more than 100,000 characters") as caught:
        _compose(interview, folder)
    assert caught.value.template == "thank-you/mine" and caught.value.lineno is None


def test_an_error_in_a_building_block_names_that_file(
    interview: thankyou.Interview, tmp_path: Path
) -> None:
    """A refusal inside an imported macro names the macro's file and its line, not the letter's."""
    folder = tmp_path / "mine"
    (folder / "thank-you").mkdir(parents=True)
    (folder / "_parts.j2").write_text(
        "{% macro bad() %}\n{{ recipient.model_dump() }}\n{% endmacro %}\n", encoding="utf-8"
    )
    (folder / "thank-you" / "mine.j2").write_text(
        '{% extends "_base/thank-you.j2" %}\n{% import "_parts.j2" as parts with context %}\n'
        "{% block body %}\nHello.\n{{ parts.bad() }}\n{% endblock %}\n",
        encoding="utf-8",
    )
    with pytest.raises(thankyou.TemplateError) as caught:
        _compose(interview, folder)
    assert (caught.value.template, caught.value.lineno) == ("_parts", 2)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ recipient.name | upper }}", "PRIYA RAMAN"),
        ("{{ recipient.salutation_name }}", "Dr. Raman"),
        ("{{ interview.date.strftime('%B') }} {{ interview.date.date().year }}", "November 2026"),
        ("{% for m in panel %}{{ loop.index }}{{ m.name[0] }}{% endfor %}", "1P2T3M"),
        ("{{ panel | map(attribute='name') | join(', ') }}", "Priya Raman, Tomás O'Neill"),
        ("{{ '%s & %s' | format(company, position) }}", "Acme Robotics & Senior"),
        ("{{ '%s, %d' % (company, 3) }}", "Acme Robotics, 3"),
        ("{{ company ~ '!' * 3 }}", "Acme Robotics!!!"),
        ("{{ company.split(' ')[0].lower() }}", "acme"),
        ("{% set c = cycler('a', 'b') %}{{ c.next() }}{{ c.next() }}", "ab"),
        ("{% set j = joiner('+') %}{{ j() }}x{{ j() }}y", "x+y"),
        ("{% set ns = namespace(n=1) %}{% set ns.n = ns.n * 6 %}{{ ns.n }}", "6"),
        ("{{ dict(a=1).items() | list }}", "[('a', 1)]"),
        ("{{ highlights | length }} {{ 2 ** 10 }} {{ range(3) | sum }}", "2 1024 3"),
    ],
)
def test_ordinary_template_code_still_works(
    source: str, expected: str, interview: thankyou.Interview, mine: Callable[[str], Path]
) -> None:
    """The allow-list keeps what a letter template needs: fields, properties, text and loops."""
    letter = _compose(interview, mine(source))[0]
    assert expected in letter.paragraphs[0]


def test_a_symlink_out_of_the_folder_is_not_followed(
    interview: thankyou.Interview, tmp_path: Path, secret: Path, mine: Callable[[str], Path]
) -> None:
    """{% include %} of a link to a file outside the template folder is refused."""
    folder = mine('{% include "_leak.j2" %}')
    (folder / "_leak.j2").symlink_to(secret)
    with pytest.raises(thankyou.TemplateError) as caught:
        _compose(interview, folder)
    assert "TOP-SECRET" not in str(caught.value)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{# é #}".encode("latin-1"), r"is not UTF-8 text \(byte 4 is 0xE9\)"),
        (None, "is a folder, not a template file"),
    ],
)
def test_an_unreadable_template_names_the_file(
    content: bytes | None,
    expected: str,
    interview: thankyou.Interview,
    examples_dir: Path,
    tmp_path: Path,
) -> None:
    """A Latin-1 or unreadable .j2 in --templates is an error line naming the file."""
    folder = tmp_path / "mine" / "thank-you"
    folder.mkdir(parents=True)
    bad = folder / "mine.j2"
    if content is None:
        bad.mkdir()  # a folder where the file should be: reading it fails like a locked file
    else:
        bad.write_bytes(content)
    with pytest.raises(thankyou.TemplateError, match=expected) as caught:
        _compose(interview, folder.parent)
    assert str(bad) in str(caught.value)
    args = ["render", str(examples_dir / "panel-interview.toml"), "-t", "thank-you/mine"]
    result = CliRunner().invoke(cli, [*args, "--templates", str(folder.parent), "-f", "text"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert str(bad) in result.stderr
