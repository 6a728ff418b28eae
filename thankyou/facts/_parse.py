r"""Strict readers for facts files: bytes to text, JSON and YAML to plain data.

What the standard readers let through and this module refuses or keeps as text:

* a key given twice in one table (JSON and YAML; TOML refuses it already);
* YAML 1.1's surprises: ``1:30`` is not 90, ``yes``/``no``/``on``/``off`` are
  not booleans, ``010`` is not 8 (nor 10) and ``2026-11-24`` is not converted by the
  YAML reader. They are read as text, as YAML 1.2's core schema
  (https://yaml.org/spec/1.2.2/#1022-tag-resolution) reads them, and the
  field's own validation decides what they mean;
* a number too long for Python to convert (more than 4,300 digits,
  https://docs.python.org/3/library/stdtypes.html#int-max-str-digits);
* a value a YAML tag cannot build (``!!timestamp 2026-02-30``, ``!!int x``);
* text that is UTF-16 or UTF-32 rather than UTF-8, and strings holding a lone
  surrogate (``"\ud800"`` in JSON), which no file or message can encode.
"""

from __future__ import annotations

import codecs
import json
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from thankyou.errors import FactsError

__all__ = ["ParseProblem", "bad_text", "decode", "parse", "parse_json", "parse_yaml"]

#: Python refuses to convert longer digit strings (sys.get_int_max_str_digits()).
MAX_DIGITS = 4300


class ParseProblem(Exception):
    """A file that parses no further; ``line`` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


# --- bytes to text ----------------------------------------------------------------------------

_WIDE = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def decode(data: bytes, save_as: str = "UTF-8") -> str:
    """Decode a file's bytes as UTF-8 (a UTF-8 BOM is dropped).

    Raises:
        ParseProblem: the text is UTF-16/UTF-32 or otherwise not UTF-8.
    """
    wide = _wide_encoding(data)
    if wide is not None:
        raise ParseProblem(f"is {wide} text, not UTF-8; save it as {save_as}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise ParseProblem(f"is not UTF-8 text; save it as {save_as}", line) from None


def _wide_encoding(data: bytes) -> str | None:
    for bom, name in _WIDE:
        if data.startswith(bom):
            return name
    # Without a BOM, ASCII text in UTF-16 has a zero byte beside every letter.
    head = data[:200]
    if len(head) >= 4 and head.count(0) * 3 >= len(head):
        return "UTF-16"
    return None


# --- JSON -------------------------------------------------------------------------------------


def parse_json(text: str) -> Any:
    """Parse JSON, refusing repeated keys and numbers too long to convert.

    Raises:
        ParseProblem: for either; json.JSONDecodeError for broken syntax.
    """
    return json.loads(
        text,
        object_pairs_hook=_unique_pairs,
        parse_int=lambda digits: _int(digits, text),
        parse_float=lambda digits: _float(digits, text),
    )


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for key, value in pairs:
        if key in table:
            raise ParseProblem(f"the key {key!r} appears twice in one table; keep one")
        table[key] = value
    return table


def _int(digits: str, text: str) -> int:
    if len(digits.lstrip("+-")) > MAX_DIGITS:
        raise _too_long(digits, text)
    return int(digits)


def _float(digits: str, text: str) -> float:
    if len(digits) > MAX_DIGITS:
        raise _too_long(digits, text)
    return float(digits)


def _too_long(digits: str, text: str) -> ParseProblem:
    found = text.find(digits)
    line = text.count("\n", 0, found) + 1 if found >= 0 else None
    message = f"a number with {len(digits):,} digits is longer than any field takes"
    return ParseProblem(message, line)


# --- YAML -------------------------------------------------------------------------------------


def parse_yaml(text: str) -> Any:
    """Parse YAML with the core schema of YAML 1.2 and no repeated keys.

    Raises:
        yaml.YAMLError: broken syntax, a repeated key, a value its tag cannot build.
    """
    import yaml

    return yaml.load(text, Loader=_loader())  # a SafeLoader: builds plain data only


_LOADER: Any = None


def _loader() -> Any:
    """Build the loader class once, on first use (PyYAML is imported lazily)."""
    global _LOADER
    if _LOADER is None:
        _LOADER = _build_loader()
    return _LOADER


def _build_loader() -> Any:
    import yaml
    from yaml.constructor import ConstructorError

    class StrictLoader(yaml.SafeLoader):
        """SafeLoader with YAML 1.2 core resolvers, unique keys and errors with a line."""

        yaml_implicit_resolvers = {}  # noqa: RUF012 -- PyYAML's own class attribute

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            _refuse_repeated_keys(node, ConstructorError)
            return super().construct_mapping(node, deep=deep)

        def construct_object(self, node: Any, deep: bool = False) -> Any:
            try:
                return super().construct_object(node, deep=deep)
            except (ValueError, TypeError, AttributeError, OverflowError) as err:
                shown = str(getattr(node, "value", ""))[:40]
                tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
                raise ConstructorError(
                    None, None, f"cannot read {shown!r} as {tag}{_reason(err)}", node.start_mark
                ) from None

    for tag, pattern, first in _CORE_RESOLVERS:
        StrictLoader.add_implicit_resolver(tag, re.compile(pattern, re.X), list(first))
    StrictLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
    # "!!timestamp 2026-02-30" stays text; the date field says what is wrong with it.
    StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_text)
    return StrictLoader


def _reason(err: Exception) -> str:
    # Only a ValueError's words are meant for people; the others are PyYAML's insides.
    return f": {err}" if type(err) is ValueError and str(err) else ""


def _construct_text(loader: Any, node: Any) -> str:
    return str(loader.construct_scalar(node))


def _construct_int(loader: Any, node: Any) -> int:
    value = str(loader.construct_scalar(node)).replace("_", "")
    if len(value.lstrip("+-")) > MAX_DIGITS:
        raise ValueError(f"a number with {len(value):,} digits is longer than any field takes")
    return int(value, 0) if value.lstrip("+-")[:2].lower() in ("0x", "0o") else int(value)


# YAML 1.2 core schema: https://yaml.org/spec/1.2.2/#1022-tag-resolution
# (timestamps are left to the field that wants one: "2026-02-30" is then a clear
# error about the date field, not a crash inside the YAML reader).
_CORE_RESOLVERS = (
    ("tag:yaml.org,2002:null", r"^(?: ~ | null | Null | NULL | )$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", r"^(?: true | True | TRUE | false | False | FALSE )$", "tTfF"),
    (
        "tag:yaml.org,2002:int",
        # No leading zero: YAML 1.1 reads 010 as 8, YAML 1.2 as 10; as text it is neither.
        r"^(?: [-+]? (?: 0 | [1-9][0-9]* ) | 0o [0-7]+ | 0x [0-9a-fA-F]+ )$",
        "-+0123456789",
    ),
    (
        "tag:yaml.org,2002:float",
        r"""^(?: [-+]? (?: [0-9]* \.[0-9]+ | [0-9]+ \.[0-9]* ) (?: [eE][-+]?[0-9]+ )?
              | [-+]? [0-9]+ [eE][-+]?[0-9]+
              | [-+]? \.(?: inf | Inf | INF ) | \.(?: nan | NaN | NAN ) )$""",
        "-+0123456789.",
    ),
)


def _refuse_repeated_keys(node: Any, error: type[Exception]) -> None:
    seen: dict[Any, int] = {}
    for key, _ in node.value:
        if key.tag == "tag:yaml.org,2002:merge" or not hasattr(key, "value"):
            continue
        if not isinstance(key.value, str):
            continue
        ident = (key.tag, key.value)
        if ident in seen:
            raise error(
                None,
                None,
                f"the key {key.value!r} appears twice in one table (first on line "
                f"{seen[ident]}); keep one",
                key.start_mark,
            )
        seen[ident] = key.start_mark.line + 1


# --- text no file can hold --------------------------------------------------------------------

_SURROGATE = re.compile("[\ud800-\udfff]")
#: Below MAX_DIGITS decimal digits (log2(10) = 3.32 bits a digit): Python can print it.
_MAX_BITS = 14_000


#: More values than any facts file holds; a YAML alias "bomb" expands far beyond it.
MAX_VALUES = 100_000
#: Deeper than any facts file goes (``panel[0].address[1]`` is 4 levels).
MAX_DEPTH = 20

_Loc = tuple[str | int, ...]


def bad_text(data: Any) -> Iterator[tuple[_Loc, str]]:
    """Yield (location, problem) for each lone surrogate and each too-long number in ``data``.

    Neither can be shown in an error message: pydantic and Python fail to print them.
    A structure of more than :data:`MAX_VALUES` values (aliases repeating one list
    inside another, https://en.wikipedia.org/wiki/Billion_laughs_attack) is one
    problem too: nothing would finish reading it; and so is one nested deeper than
    :data:`MAX_DEPTH`, which would exhaust Python's recursion further on.
    """
    stack: list[tuple[Any, _Loc]] = [(data, ())]
    seen = 0
    while stack:
        value, loc = stack.pop()
        seen += 1
        if seen > MAX_VALUES:
            yield (), f"holds more than {MAX_VALUES:,} values; a facts file holds far fewer"
            return
        problem = _problem(value)
        if problem is not None:
            yield loc, problem
        elif len(loc) >= MAX_DEPTH and isinstance(value, dict | list | tuple):
            yield loc, f"is nested more than {MAX_DEPTH} levels deep; a facts file goes 4 at most"
        elif isinstance(value, dict):
            for key, item in reversed(value.items()):
                if isinstance(key, str) and _SURROGATE.search(key):
                    yield loc, "has a key holding an unpaired surrogate (U+D800 to U+DFFF)"
                else:
                    stack.append((item, (*loc, str(key))))
        elif isinstance(value, list | tuple):
            stack.extend((item, (*loc, index)) for index, item in reversed(list(enumerate(value))))


def _problem(value: Any) -> str | None:
    if isinstance(value, str) and (found := _SURROGATE.search(value)) is not None:
        return (
            f"contains the unpaired surrogate U+{ord(found[0]):04X} at position "
            f"{found.start() + 1}; remove it (it usually comes from copying out of another program)"
        )
    if isinstance(value, int) and value.bit_length() > _MAX_BITS:
        return f"is a number of more than {MAX_DIGITS:,} digits, longer than any field takes"
    return None


# --- parsing ----------------------------------------------------------------------------------


def parse(path: Path) -> dict[str, Any]:
    """Parse a TOML, JSON or YAML file into a dict, with the line of any syntax error.

    Raises:
        FactsError: the file is unreadable, malformed, or not a table at the top.
    """
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise FactsError(f"cannot read the file: {err.strerror}", source=source) from err
    try:
        text = decode(raw)
    except ParseProblem as err:
        raise FactsError(err.message, source=source, line=err.line) from None
    data = _parse_text(text, path.suffix.lower(), source)
    if not isinstance(data, dict):
        raise FactsError(
            "must hold a table of fields (company, position, ...) at the top", source=source
        )
    return data


def _parse_text(text: str, suffix: str, source: str) -> Any:
    import yaml  # only YAML files pay for PyYAML

    try:
        if suffix == ".toml":
            return tomllib.loads(text)
        if suffix == ".json":
            return parse_json(text)
        if suffix in (".yaml", ".yml"):
            return parse_yaml(text)
    except tomllib.TOMLDecodeError as err:
        line = _toml_line(err)
        message = f"invalid TOML: {err}{_toml_hint(text, line)}"
        raise FactsError(message, source=source, line=line) from err
    except json.JSONDecodeError as err:
        raise FactsError(f"invalid JSON: {err.msg}", source=source, line=err.lineno) from err
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(err, "problem", None) or str(err)
        raise FactsError(f"invalid YAML: {problem}", source=source, line=line) from err
    except RecursionError:  # "[[[[..." thousands deep: the parsers recurse per level
        raise FactsError("is nested too deeply to be a facts file", source=source) from None
    except ParseProblem as err:
        kind = suffix.lstrip(".").upper().replace("YML", "YAML")
        raise FactsError(f"invalid {kind}: {err.message}", source=source, line=err.line) from None
    except ValueError as err:  # tomllib: an integer of more than 4,300 digits
        raise FactsError(f"invalid TOML: {err}".split(";")[0], source=source) from None
    raise FactsError(f"unknown kind of facts file {suffix!r}", source=source)


def _toml_line(err: tomllib.TOMLDecodeError) -> int | None:
    # tomllib puts "(at line 3, column 7)" at the end of its message.
    text = str(err)
    marker = "(at line "
    if marker not in text:
        return None
    return int(text.split(marker, 1)[1].split(",", 1)[0])


_CURLY_QUOTES = frozenset("“”„‟‘’‚‛«»")
_UNPADDED_DATE = re.compile(r"=\s*(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
#: TOML 1.0 requires the seconds of a time: ``14:00`` must be ``14:00:00``.
_SHORT_TIME = re.compile(r"=\s*(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2})(?![:\d])(\S*)")
_BARE_TEXT = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*=\s*([^\s\"'\[{\d+\-].*)$")


def _toml_hint(text: str, line: int | None) -> str:
    """What usually causes a TOML syntax error on this line, as advice; else ""."""
    lines = text.splitlines()
    if line is None or not 0 < line <= len(lines):
        return ""
    source = lines[line - 1]
    if any(c in _CURLY_QUOTES for c in source):
        return (
            "; the line has curly quotes (“ ” or ‘ ’), as word processors write them: "
            'use straight double quotes " instead'
        )
    if (date := _UNPADDED_DATE.search(source)) and (len(date[2]) < 2 or len(date[3]) < 2):
        padded = f"{date[1]}-{int(date[2]):02d}-{int(date[3]):02d}"
        return f"; write dates with two-digit months and days: {padded}"
    if time := _SHORT_TIME.search(source):
        return f"; write times with seconds: {time[1]}:00{time[2]}"
    bare = _BARE_TEXT.match(source)
    if bare and bare[2].strip() not in ("true", "false", "inf", "nan"):
        return f'; put text in double quotes: {bare[1]} = "{bare[2].strip()}"'
    return ""
