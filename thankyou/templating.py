"""The one Jinja2 environment, the template catalogue and the letter parts a template yields.

Templates are text: autoescape is off here, and the email renderer escapes
what it puts into HTML. They run in Jinja2's immutable sandbox with
``StrictUndefined``, so a stranger's template cannot reach Python internals and
a misspelt variable fails loudly instead of printing "Dear ,".

A template produces four sections (subject, salutation, body, closing) from
the blocks of ``_base/letter.j2``; the body's paragraphs are separated by blank
lines, and the personalised paragraph is wrapped by the ``personal`` filter so
the composer knows which one it is. The markers are control characters, which
the cleaning layer never lets into user data.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import traceback
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
import jinja2.nodes

from thankyou import _prose, _sandbox
from thankyou._typography import SmartQuotes
from thankyou.errors import TemplateError

__all__ = [
    "Parts",
    "TemplateInfo",
    "builtin_root",
    "catalogue",
    "family_audience",
    "localised",
    "render_parts",
    "template_info",
    "variables",
]

SECTION = "\x1d"
PERSONAL_START = "\x1e"
PERSONAL_END = "\x1f"
BREAK = "\x0b"
SUFFIX = ".j2"
#: A user template may not produce more than this; rendering stops as soon as it does.
MAX_OUTPUT = 100_000
#: Paragraphs plus line breaks in one letter; with MAX_OUTPUT this keeps layout under a second.
MAX_LINES = 1_000

#: Who a family of templates writes to (docs/templates.md); a template's header may say otherwise.
FAMILY_AUDIENCE = {
    "thank-you": "panel",
    "follow-up": "primary",
    "references": "references",
    "recruiter": "recruiter",
}
AUDIENCES = frozenset(FAMILY_AUDIENCE.values())


@dataclass(frozen=True)
class Parts:
    """What one rendered template yields: the words of a letter."""

    subject: str
    salutation: str
    paragraphs: tuple[str, ...]
    personal: str | None
    closing: str


@dataclass(frozen=True)
class TemplateInfo:
    """One template in the catalogue."""

    #: Catalogue name, e.g. ``thank-you/formal``.
    name: str
    #: ``panel``, ``primary``, ``references`` or ``recruiter``.
    audience: str
    #: The one-line description from the template's header comment.
    description: str
    #: Where the file is (a built-in or a user folder).
    path: Path
    #: True for the templates shipped with thankyou.
    builtin: bool


def builtin_root() -> Path:
    """Return the folder of the built-in templates.

    In an installed wheel they sit inside the package (``thankyou/templates``,
    force-included by the build). In a checkout, and in hatchling's editable
    install, which serves the package from the checkout, they sit in the
    top-level ``templates/`` beside the package.
    """
    packaged = Path(str(importlib.resources.files("thankyou") / "templates"))
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "templates"


def family_audience(name: str) -> str | None:
    """Return the audience a template name implies by its family, if any."""
    return FAMILY_AUDIENCE.get(name.split("/", 1)[0])


# --- the environment --------------------------------------------------------------------------


def _join_and(items: Iterable[Any]) -> str:
    """Join phrases as prose: "a", "a and b", "a, b, and c"."""
    words = [str(item) for item in items]
    if len(words) <= 2:
        return " and ".join(words)
    return ", ".join(words[:-1]) + ", and " + words[-1]


_NUMBER_WORDS = (
    "no",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
)


def _number_word(value: int) -> str:
    return _NUMBER_WORDS[value] if 0 <= value < len(_NUMBER_WORDS) else str(value)


def _personal(value: Any) -> str:
    return "" if value is None else f"{PERSONAL_START}{value}{PERSONAL_END}"


def _name_title(person: Any) -> str:
    """'Priya Raman (Director of Data Platform)', or just the name when there is no title."""
    title = getattr(person, "title", None)
    return f"{person.name} ({title})" if title else str(person.name)


def _stop(value: Any) -> str:
    """End a sentence with a full stop, unless the value already ends one ("Lumen & Co.")."""
    text = str(value)
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def _finalize(value: Any) -> Any:
    return "" if value is None else value


#: Every folder a loader reads from, to name the file an error happened in.
_ROOTS: set[Path] = set()


class _Loader(jinja2.FileSystemLoader):
    """A folder of templates whose files must be UTF-8 text and stay inside the folder.

    A symbolic link out of the folder is not followed: a stranger's folder of
    templates could otherwise print any file of yours into a letter.
    """

    def __init__(self, folder: str) -> None:
        super().__init__(folder)
        _ROOTS.add(Path(folder).resolve())

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        root = Path(self.searchpath[0]).resolve()
        if (root / template).is_dir():
            raise TemplateError(
                f"{root / template} is a folder, not a template file",
                template=template.removesuffix(SUFFIX),
            )
        try:
            source, filename, uptodate = super().get_source(environment, template)
        except jinja2.TemplateNotFound:
            raise
        except UnicodeDecodeError as err:
            file = root / template
            raise TemplateError(
                f"{file} is not UTF-8 text (byte {err.start + 1} is 0x{err.object[err.start]:02X});"
                " save it as UTF-8",
                template=template.removesuffix(SUFFIX),
            ) from None
        except OSError as err:
            raise TemplateError(
                f"cannot read {root / template}: {err.strerror or err}",
                template=template.removesuffix(SUFFIX),
            ) from None
        if not Path(filename).resolve().is_relative_to(root):
            raise jinja2.TemplateNotFound(template)
        return source, filename, uptodate


@functools.lru_cache(maxsize=16)
def _environment(user_dirs: tuple[str, ...]) -> _sandbox.LetterSandbox:
    loaders: list[jinja2.BaseLoader] = [_Loader(d) for d in user_dirs]
    loaders.append(_Loader(str(builtin_root())))
    env = _sandbox.LetterSandbox(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # letters are text; the email renderer escapes its HTML part
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize,
        extensions=[SmartQuotes],  # ’ “ ” in the templates' own prose, never in values
    )
    env.filters.update(
        join_and=_join_and,
        number_word=_number_word,
        personal=_personal,
        name_title=_name_title,
        stop=_stop,
    )
    env.filters.update(_prose.FILTERS)  # fitting values to sentences: lists, dates, titles
    env.globals.update(BR=BREAK, SECTION=SECTION)
    return env


def _dirs(template_dirs: Sequence[str | Path]) -> tuple[str, ...]:
    """Resolve the user's folders; a misspelt one must not silently fall back to the built-ins."""
    folders = tuple(Path(d).expanduser().resolve() for d in template_dirs)
    for folder in folders:
        if not folder.is_dir():
            raise TemplateError("no such folder of templates", template=str(folder))
    return tuple(map(str, folders))


# --- rendering ----------------------------------------------------------------------------------


def render_parts(
    name: str, context: Mapping[str, Any], template_dirs: Sequence[str | Path] = ()
) -> Parts:
    """Render template ``name`` with ``context`` and split it into letter parts.

    Raises:
        TemplateError: the template is missing, broken, uses an undefined
            variable, tries something the sandbox forbids, or yields no body.
    """
    env = _environment(_dirs(template_dirs))
    try:
        with _sandbox.budget():
            output = _render(env, name, context)
    except TemplateError:
        raise
    except jinja2.TemplateNotFound:
        raise _not_found(name, template_dirs) from None
    except jinja2.TemplateSyntaxError as err:  # err.name: the broken file may be a parent
        broken = (err.name or name).removesuffix(SUFFIX)
        raise TemplateError(
            err.message or "syntax error", template=broken, lineno=err.lineno
        ) from err
    except jinja2.UndefinedError as err:
        raise _undefined(name, err) from err
    except _sandbox.OverBudget as err:
        raise TemplateError(f"over its budget: {err}", **_where(err, name)) from err
    except jinja2.exceptions.SecurityError as err:
        raise TemplateError(f"not allowed in a template: {err}", **_where(err, name)) from err
    except jinja2.TemplateError as err:
        raise TemplateError(str(err), **_where(err, name)) from err
    except Exception as err:  # a user template runs code: 1 // 0, "a" + 1, range(10**9)
        message = f"failed while rendering: {type(err).__name__}: {err}"
        raise TemplateError(message, **_where(err, name)) from err
    return _split(name, output)


def _render(env: jinja2.Environment, name: str, context: Mapping[str, Any]) -> str:
    """Render, stopping as soon as the output passes :data:`MAX_OUTPUT`."""
    chunks: list[str] = []
    size = 0
    stream = env.get_template(name + SUFFIX).generate(context)
    assert isinstance(stream, Generator)
    try:
        for chunk in stream:
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise TemplateError(
                    f"produced more than {MAX_OUTPUT:,} characters, the limit", template=name
                )
            chunks.append(chunk)
    finally:
        stream.close()
    return "".join(chunks)


def _not_found(name: str, template_dirs: Sequence[str | Path]) -> TemplateError:
    known = ", ".join(info.name for info in catalogue(template_dirs))
    return TemplateError(f"no such template; available: {known}", template=name)


_UNDEFINED_NAME = re.compile(r"'([^']+)' is undefined|has no attribute '([^']+)'")


def _undefined(name: str, err: jinja2.UndefinedError) -> TemplateError:
    found = _UNDEFINED_NAME.search(str(err))
    variable = next((g for g in found.groups() if g), None) if found else None
    message = f"uses {variable!r}, which the facts do not define" if variable else str(err)
    return TemplateError(message, variable=variable, **_where(err, name))


def _where(err: BaseException, name: str) -> dict[str, Any]:
    """The template file and line where ``err`` happened: ``name``, or a file it builds on.

    Jinja rewrites tracebacks so that template frames carry the template's file
    and line; a line is only given with the file it belongs to.
    """
    frames = [f for f in traceback.extract_tb(err.__traceback__) if f.filename.endswith(SUFFIX)]
    if not frames:
        return {"template": name, "lineno": None}
    return {"template": _template_name(frames[-1].filename) or name, "lineno": frames[-1].lineno}


def _template_name(filename: str) -> str | None:
    """The name of a template file, e.g. ``_base/essentials``, from the loader that read it."""
    path = Path(filename).resolve()
    roots = [root for root in _ROOTS if path.is_relative_to(root)]
    if not roots:
        return None
    return path.relative_to(max(roots, key=lambda r: len(r.parts))).as_posix().removesuffix(SUFFIX)


_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")
_SOFT_BREAK = re.compile(r"[ \t]*\n[ \t]*")
_HARD_BREAK = re.compile(f"[ \t]*{BREAK}")


def _split(name: str, output: str) -> Parts:
    sections = output.split(SECTION)
    if len(sections) != 4:
        raise TemplateError(
            'must extend "_base/letter.j2" and fill its blocks '
            "(subject, salutation, body, closing)",
            template=name,
        )
    subject, salutation, body, closing = sections
    paragraphs, personal = _paragraphs(body)
    if not paragraphs:
        raise TemplateError("the body block is empty", template=name)
    lines = len(paragraphs) + sum(p.count("\n") for p in paragraphs)
    if lines > MAX_LINES:
        raise TemplateError(
            f"produced {lines:,} paragraphs and line breaks; the limit is {MAX_LINES:,}",
            template=name,
        )
    return Parts(_flow(subject), _flow(salutation), paragraphs, personal, _flow(closing))


def _flow(text: str) -> str:
    """Join a template's wrapped source lines into one line; ``{{ BR }}`` is a real break."""
    return _HARD_BREAK.sub("\n", _SOFT_BREAK.sub(" ", text.strip())).strip()


def _paragraphs(body: str) -> tuple[tuple[str, ...], str | None]:
    paragraphs: list[str] = []
    personal = None
    # Split out the personal paragraph first: its own line breaks are the user's and stay.
    for index, chunk in enumerate(re.split(f"[{PERSONAL_START}{PERSONAL_END}]", body)):
        if index % 2:
            personal = chunk
            paragraphs.append(chunk)
        else:
            paragraphs.extend(p for p in map(_flow, _BLANK_LINES.split(chunk)) if p)
    return tuple(paragraphs), personal


def localised(name: str, language: str, template_dirs: Sequence[str | Path] = ()) -> str:
    """The file to render for template ``name`` in ``language`` (``de``, ``fr``, ``es``).

    A user's template wins over a built-in one: first the user's ``de/thank-you/formal``,
    then the user's own ``thank-you/formal``, then the built-in German one, and the
    built-in English one last (a template no language has yet).
    """
    for folder in _dirs(template_dirs):
        for candidate in (f"{language}/{name}", name):
            if (Path(folder) / (candidate + SUFFIX)).is_file():
                return candidate
    if (builtin_root() / language / (name + SUFFIX)).is_file():
        return f"{language}/{name}"
    return name


#: Folders of templates in another language; their files are versions, not templates.
_LANGUAGE_FOLDERS = frozenset({"de", "fr", "es"})

# --- the catalogue ----------------------------------------------------------------------------

_HEADER = re.compile(r"\A\{#(.*?)#\}", re.DOTALL)


def _header(path: Path) -> dict[str, str]:
    try:
        found = _HEADER.match(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):  # listed all the same; rendering it says what is wrong
        return {"description": "(cannot be read as UTF-8 text)"}
    fields: dict[str, str] = {}
    for line in (found.group(1) if found else "").splitlines():
        key, sep, value = line.partition(":")
        if sep:
            fields[key.strip().lower()] = value.strip()
    return fields


def catalogue(template_dirs: Sequence[str | Path] = ()) -> list[TemplateInfo]:
    """List every template: user folders first, built-ins last; a user template hides a built-in.

    Files and folders whose names start with ``_`` are building blocks, not letters.
    """
    return list(_catalogue(_dirs(template_dirs)))


@functools.lru_cache(maxsize=16)
def _catalogue(user_dirs: tuple[str, ...]) -> tuple[TemplateInfo, ...]:
    found: dict[str, TemplateInfo] = {}
    roots = [(Path(d), False) for d in user_dirs] + [(builtin_root(), True)]
    for root, builtin in roots:
        for path in sorted(root.rglob("*" + SUFFIX)):
            rel = path.relative_to(root).as_posix()
            if any(part.startswith("_") for part in rel.split("/")):
                continue
            if rel.split("/", 1)[0] in _LANGUAGE_FOLDERS:
                continue
            name = rel.removesuffix(SUFFIX)
            header = _header(path)
            audience = header.get("audience") or family_audience(name) or "panel"
            info = TemplateInfo(name, audience, header.get("description", ""), path, builtin)
            found.setdefault(name, info)
    return tuple(sorted(found.values(), key=lambda info: info.name))


def template_info(name: str, template_dirs: Sequence[str | Path] = ()) -> TemplateInfo:
    """Return the catalogue entry for ``name``.

    Raises:
        TemplateError: there is no template of that name.
    """
    for info in catalogue(template_dirs):
        if info.name == name:
            if info.audience not in AUDIENCES:
                raise TemplateError(
                    f"audience {info.audience!r} is not one of {', '.join(sorted(AUDIENCES))}",
                    template=name,
                )
            return info
    raise _not_found(name, template_dirs)


def variables(name: str, template_dirs: Sequence[str | Path] = ()) -> frozenset[str]:
    """Return the top-level variables a template (with its parents) needs.

    Raises:
        TemplateError: the template, or one it builds on, is missing or broken.
    """
    env = _environment(_dirs(template_dirs))
    needed: set[str] = set()
    pending, seen = [name + SUFFIX], set()
    while pending:
        file = pending.pop()
        seen.add(file)
        try:
            source = env.loader.get_source(env, file)[0]  # type: ignore[union-attr]
            tree = env.parse(source)
        except jinja2.TemplateNotFound:
            raise _not_found(file.removesuffix(SUFFIX), template_dirs) from None
        except jinja2.TemplateSyntaxError as err:
            raise TemplateError(
                err.message or "syntax error", template=file.removesuffix(SUFFIX), lineno=err.lineno
            ) from err
        needed |= jinja2.meta.find_undeclared_variables(tree)
        needed -= {node.target for node in tree.find_all(jinja2.nodes.Import)}
        pending += [r for r in jinja2.meta.find_referenced_templates(tree) if r and r not in seen]
    return frozenset(needed - set(env.globals))
