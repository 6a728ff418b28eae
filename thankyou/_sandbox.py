"""The sandbox a letter template runs in: an allow-list, and a budget for time and memory.

Jinja2's own sandbox refuses Python internals (``__class__``, ``__globals__``)
but lets a template call any public method it reaches. Our facts are pydantic
models whose methods build new models (``model_validate``), and a model's
validation builds :class:`pathlib.Path` objects whose methods read and write
files. So this sandbox allows by type and name, never by default:

* the fields of a model or dataclass and the properties our own classes define, and the
  methods one of our classes lists in ``TEMPLATE_METHODS`` (the language helpers);
* a short list of side-effect-free methods of ``str``, ``dict``, ``list``,
  ``tuple`` and the date types (``str.format`` is not one of them);
* Jinja's own helpers (``loop``, ``cycler``, ``joiner``, ``namespace``, macros).

Nothing a template reaches may be a class, and no method of a model or a path
may be called.

A template is also a program, and a short one can ask for gigabytes
(``"x" * 10**9``, ``"%0999999999d" % 1``) or loop for hours. Every operation that
can make a value larger than its inputs is checked *before* it runs: repetition
and concatenation, ``%``-formatting, powers, the filters that take a width or a
count, and every value turned into text. Loop iterations and calls share one
step budget, and everything written (also inside macros) one output budget.
Budgets are per rendering; going over raises :class:`OverBudget`.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import datetime as dt
import enum
import functools
import inspect
import re
import types
from collections.abc import Callable, Iterator, Mapping
from pathlib import PurePath
from typing import Any

import jinja2
import jinja2.nodes as n
import jinja2.runtime
import jinja2.sandbox
import jinja2.utils
from jinja2.visitor import NodeTransformer
from pydantic import BaseModel

__all__ = ["MAX_STEPS", "MAX_VALUE", "LetterSandbox", "OverBudget", "budget"]

#: The largest value (characters of text, or items of a structure) a template may build.
#: Well above the largest context a valid facts file gives (50 panel members with
#: 20,000-character paragraphs each), far below what would strain memory.
MAX_VALUE = 2_000_000
#: Loop iterations plus calls in one rendering (a letter needs a few hundred).
MAX_STEPS = 20_000
#: Characters written in one rendering, counting what macros and ``{% set %}`` blocks write.
MAX_WRITTEN = 4_000_000
#: The largest integer a template may compute, in bits (Python prints at most 4,300 digits).
MAX_INT_BITS = 10_000
#: The largest width, precision or count a filter or ``%``-format may ask for.
MAX_WIDTH = 1_000

_MISSING = object()


class OverBudget(jinja2.exceptions.SecurityError):
    """Raised when a template asks for more time or memory than a letter can need."""


@dataclasses.dataclass
class _Budget:
    steps: int = 0
    written: int = 0

    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise OverBudget(f"more than {MAX_STEPS:,} loop iterations and calls")

    def write(self, size: int) -> None:
        self.written += size
        if self.written > MAX_WRITTEN:
            raise OverBudget(f"wrote more than {MAX_WRITTEN:,} characters")


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("budget", default=None)


@contextlib.contextmanager
def budget() -> Iterator[None]:
    """Give the renderings inside the ``with`` block one fresh budget."""
    token = _BUDGET.set(_Budget())
    try:
        yield
    finally:
        _BUDGET.reset(token)


def _current() -> _Budget:
    # Outside budget() (a template compiled at import, say) the limits still hold per call.
    return _BUDGET.get() or _Budget()


# --- sizes ----------------------------------------------------------------------------------------


def _size(value: Any, memo: dict[int, int], limit: int) -> int:
    """Characters of text plus items of structure, counting shared parts each time they appear."""
    key = id(value)
    if key in memo:
        return memo[key]
    if isinstance(value, str | bytes):
        size = len(value)
    elif isinstance(value, Mapping):
        size = 1 + sum(_size(k, memo, limit) + _size(v, memo, limit) for k, v in value.items())
    elif isinstance(value, list | tuple | set | frozenset):
        size = 1
        for item in value:
            size += _size(item, memo, limit)
            if size > limit:
                break
    else:
        size = 1
    memo[key] = size
    return size


def _check_size(*values: Any, limit: int = MAX_VALUE) -> int:
    """Raise OverBudget when the values together are larger than ``limit``."""
    memo: dict[int, int] = {}
    try:
        total = sum(_size(value, memo, limit) for value in values)
    except RecursionError:
        raise OverBudget("a value is nested too deeply") from None
    if total > limit:
        raise OverBudget(f"a value of more than {limit:,} characters or items")
    return total


def _check_count(name: str, value: Any, limit: int = MAX_WIDTH) -> None:
    if isinstance(value, int) and value > limit:
        raise OverBudget(f"{name} {value:,} is over the limit of {limit:,}")
    if isinstance(value, str) and len(value) > limit:
        raise OverBudget(f"{name} of {len(value):,} characters is over the limit of {limit:,}")


# --- operators ------------------------------------------------------------------------------------

_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0 +\-]*(\*|\d*)(?:\.(\*|\d*))?[hlL]?(.)", re.DOTALL)


def _check_repeat(left: Any, right: Any) -> None:
    if isinstance(left, int) and not isinstance(right, int):
        left, right = right, left
    if isinstance(left, int) and isinstance(right, int):
        if left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise OverBudget(f"a number of more than {MAX_INT_BITS:,} bits")
        return
    times = right if isinstance(right, int) else 0
    if isinstance(left, str | list | tuple) and times > 1 and _check_size(left) * times > MAX_VALUE:
        raise OverBudget(f"a repetition of more than {MAX_VALUE:,} characters or items")


def _check_power(base: Any, exponent: Any) -> None:
    ints = isinstance(base, int) and isinstance(exponent, int)
    if (
        ints
        and exponent > 0
        and abs(base) > 1
        and (base.bit_length() - 1 or 1) * exponent > MAX_INT_BITS
    ):
        raise OverBudget(f"a number of more than {MAX_INT_BITS:,} bits")


def _check_percent(form: str, args: Any) -> None:
    specs = [m for m in _PERCENT_SPEC.finditer(form) if m.group(3) != "%"]
    for spec in specs:
        for number in spec.group(1, 2):
            if number == "*":
                raise OverBudget("a '*' width in a %-format")
            _check_count("the width", int(number) if number else 0)
    _check_size(form, *[args] * max(len(specs), 1))


def _check_binop(operator: str, left: Any, right: Any) -> None:
    if operator == "*":
        _check_repeat(left, right)
    elif operator == "**":
        _check_power(left, right)
    elif operator == "+" and not isinstance(left, int | float):
        _check_size(left, right)
    elif operator == "%" and isinstance(left, str):
        _check_percent(left, right)


# --- filters --------------------------------------------------------------------------------------

#: Arguments that set a width or a count, by filter: (keyword, position after the value).
_COUNTS = {
    "center": (("width", 0),),
    "indent": (("width", 0),),
    "wordwrap": (("width", 0), ("wrapstring", 2)),
    "batch": (("linecount", 0),),
    "slice": (("slices", 0),),
}
#: Filters whose result can be the size of their value times the size of their arguments.
_MULTIPLYING = frozenset({"center", "format", "indent", "join", "replace", "urlize", "wordwrap"})


def _bounded(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a filter so that its arguments are checked before it runs."""
    counts = _COUNTS.get(name, ())
    skip = 0 if getattr(func, "jinja_pass_arg", None) is None else 1  # context/environment

    @functools.wraps(func)
    def checked(*args: Any, **kwargs: Any) -> Any:
        values = [_materialize(v) for v in args[skip:]]
        kwargs = {key: _materialize(v) for key, v in kwargs.items()}
        _check_size(*values, *kwargs.values())
        for keyword, position in counts:
            given = kwargs.get(keyword, _MISSING)
            if given is _MISSING and len(values) > position + 1:
                given = values[position + 1]
            _check_count(keyword, given)
        if name in _MULTIPLYING and values:
            _check_product(values[0], [*values[1:], *kwargs.values()])
        if name == "format" and values:
            _check_percent(str(values[0]), (values[1:], kwargs))
        if name == "sum":
            start = kwargs.get("start", values[2] if len(values) > 2 else 0)
            if not isinstance(start, int | float):
                raise OverBudget("sum() only adds numbers in a template")
        return func(*args[:skip], *values, **kwargs)

    return checked


def _materialize(value: Any) -> Any:
    """Turn an iterator (``map``, ``select``...) into a list, one budget step per item."""
    if not isinstance(value, Iterator):
        return value
    account = _current()
    items = []
    for item in value:
        account.step()
        items.append(item)
    return items


def _check_product(value: Any, arguments: list[Any]) -> None:
    if _check_size(value) * (1 + _check_size(*arguments)) > 4 * MAX_VALUE:
        raise OverBudget(f"a result of more than {4 * MAX_VALUE:,} characters")


def _bounded_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    _check_count("n", n, 100)
    _check_count("max", max)
    return str(jinja2.utils.generate_lorem_ipsum(n, html, min, max))


@jinja2.pass_context
def _iterate(context: jinja2.runtime.Context, iterable: Any) -> Iterator[Any]:
    """What every ``{% for %}`` loops over: the iterable, one budgeted step per item."""
    account = _current()

    def steps() -> Iterator[Any]:
        for item in iterable:
            account.step()
            yield item

    return steps()


@jinja2.pass_context
def _write(context: jinja2.runtime.Context, value: Any) -> Any:
    """What every output goes through: counted against the rendering's budget."""
    account = _current()
    if isinstance(value, str):
        account.write(len(value))
    else:
        account.write(_check_size(value))
    return value


@jinja2.pass_eval_context
def _concat(eval_ctx: jinja2.nodes.EvalContext, pieces: list[Any]) -> str:
    """The ``~`` operator, with the size of the result checked before it is built."""
    _check_size(*pieces)
    join = jinja2.runtime.markup_join if eval_ctx.autoescape else jinja2.runtime.str_join
    return str(join(pieces))


_HOOKS: dict[str, Callable[..., Any]] = {
    "thankyou_iterate": _iterate,
    "thankyou_write": _write,
    "thankyou_concat": _concat,
}


def _filter(node: n.Node, name: str) -> n.Filter:
    return n.Filter(node, name, [], [], None, None, lineno=node.lineno)


class _Budgeted(NodeTransformer):
    """Route loops, output and ``~`` through the budget hooks."""

    def visit_For(self, node: n.For) -> n.Node:
        self.generic_visit(node)
        node.iter = _filter(node.iter, "thankyou_iterate")
        return node

    def visit_Output(self, node: n.Output) -> n.Node:
        self.generic_visit(node)
        node.nodes = [_filter(child, "thankyou_write") for child in node.nodes]
        return node

    def visit_Concat(self, node: n.Concat) -> n.Node:
        self.generic_visit(node)
        return _filter(n.List(node.nodes, lineno=node.lineno), "thankyou_concat")


# --- the allow-list -------------------------------------------------------------------------------

_STR_METHODS = frozenset(
    [
        "capitalize",
        "casefold",
        "count",
        "endswith",
        "find",
        "isalnum",
        "isalpha",
        "isascii",
        "isdecimal",
        "isdigit",
        "islower",
        "isnumeric",
        "isspace",
        "istitle",
        "isupper",
        "lower",
        "lstrip",
        "partition",
        "removeprefix",
        "removesuffix",
        "rfind",
        "rpartition",
        "rsplit",
        "rstrip",
        "split",
        "splitlines",
        "startswith",
        "strip",
        "swapcase",
        "title",
        "upper",
    ]
)
_MAPPING_METHODS = frozenset({"get", "items", "keys", "values"})
_SEQUENCE_METHODS = frozenset({"count", "index"})
_DATE_ATTRIBUTES = frozenset(
    [
        "year",
        "month",
        "day",
        "hour",
        "minute",
        "second",
        "microsecond",
        "tzinfo",
        "fold",
        "days",
        "seconds",
        "microseconds",
        "weekday",
        "isoweekday",
        "isoformat",
        "date",
        "time",
        "strftime",
    ]
)
_PATH_ATTRIBUTES = frozenset({"name", "stem", "suffix"})
_LOOP_ATTRIBUTES = frozenset(
    [
        "index",
        "index0",
        "revindex",
        "revindex0",
        "first",
        "last",
        "length",
        "depth",
        "depth0",
        "previtem",
        "nextitem",
        "cycle",
        "changed",
    ]
)
_CYCLER_ATTRIBUTES = frozenset({"current", "next", "reset"})
_JINJA_OWN = (jinja2.utils.Namespace, jinja2.environment.TemplateModule)
_JINJA_CALLABLES = (
    jinja2.runtime.Macro,
    jinja2.runtime.BlockReference,
    jinja2.runtime.LoopContext,
    jinja2.utils.Joiner,
)


def _ours(cls: type) -> bool:
    return cls.__module__.split(".", 1)[0] == "thankyou"


def _own_property(cls: type, attr: str) -> bool:
    """A property that one of our own classes defines (they compute from fields, nothing more)."""
    if attr.startswith("model_"):
        return False
    found = inspect.getattr_static(cls, attr, None)
    if not isinstance(found, property | functools.cached_property):
        return False
    owner = next((c for c in cls.__mro__ if attr in vars(c)), cls)
    return _ours(owner)


def readable(obj: Any, attr: str) -> bool:
    """Whether a template may read ``obj.attr``: decided by type and name, before anything runs."""
    if attr.startswith("_") or isinstance(obj, type):
        return False
    if isinstance(obj, _JINJA_OWN):
        return True
    if isinstance(obj, BaseModel):
        return attr in type(obj).model_fields or _own_property(type(obj), attr)
    if isinstance(obj, enum.Enum) and attr in ("name", "value"):
        return True
    return _readable_plain(obj, attr)


def _readable_plain(obj: Any, attr: str) -> bool:
    checks: tuple[tuple[Any, frozenset[str]], ...] = (
        (str, _STR_METHODS),
        (Mapping, _MAPPING_METHODS),
        ((list, tuple), _SEQUENCE_METHODS),
        ((dt.date, dt.time, dt.timedelta), _DATE_ATTRIBUTES),
        (PurePath, _PATH_ATTRIBUTES),
        (jinja2.runtime.LoopContext, _LOOP_ATTRIBUTES),
        (jinja2.utils.Cycler, _CYCLER_ATTRIBUTES),
    )
    for kind, names in checks:
        if isinstance(obj, kind):
            return attr in names or _tuple_field(obj, attr)
    if isinstance(obj, types.SimpleNamespace):
        return attr in vars(obj)
    if dataclasses.is_dataclass(obj):
        return (
            attr in {f.name for f in dataclasses.fields(obj)}
            or _own_property(type(obj), attr)
            or _own_template_method(type(obj), attr)
        )
    return _own_property(type(obj), attr)


def _own_template_method(cls: type, attr: str) -> bool:
    """A method one of our own classes lists in ``TEMPLATE_METHODS`` (pure text helpers)."""
    return _ours(cls) and attr in getattr(cls, "TEMPLATE_METHODS", frozenset())


def _tuple_field(obj: Any, attr: str) -> bool:
    return isinstance(obj, tuple) and attr in getattr(type(obj), "_fields", ())


class LetterSandbox(jinja2.sandbox.ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox with an allow-list and a budget (see the module docstring)."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals["lipsum"] = _bounded_lipsum
        self.filters.update(_HOOKS)
        self._wrapped: set[str] = set(_HOOKS)
        self._safe_functions = (jinja2.sandbox.safe_range, _bounded_lipsum)
        self._safe_classes = (jinja2.utils.Cycler, jinja2.utils.Joiner, jinja2.utils.Namespace)

    def _parse(self, source: str, name: str | None, filename: str | None) -> n.Template:
        self._bound_filters()  # here, so that filters added after __init__ are bounded too
        tree = super()._parse(source, name, filename)
        result = _Budgeted().visit(tree)
        assert isinstance(result, n.Template)
        return result

    def _bound_filters(self) -> None:
        for name, func in list(self.filters.items()):
            if name not in self._wrapped:
                self.filters[name] = _bounded(name, func)
                self._wrapped.add(name)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Allow only what :func:`readable` allows, and never a class."""
        return readable(obj, attr) and not isinstance(value, type)

    def is_safe_callable(self, obj: Any) -> bool:
        """Allow macros, Jinja's helpers and the methods the allow-list reaches; nothing else."""
        if isinstance(obj, type):
            return obj in self._safe_classes or obj is dict
        if isinstance(obj, _JINJA_CALLABLES):
            return True
        if isinstance(obj, types.BuiltinMethodType | types.MethodType):
            owner = obj.__self__
            return not isinstance(owner, type | BaseModel | PurePath) and readable(
                owner, obj.__name__
            )
        if isinstance(obj, types.FunctionType):
            return obj in self._safe_functions or _ours_function(obj)
        return False

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Look up ``obj.attribute`` only when the allow-list permits; else a key, else refuse."""
        if readable(obj, attribute):
            return super().getattr(obj, attribute)
        with contextlib.suppress(TypeError, LookupError):
            return obj[attribute]
        if inspect.getattr_static(obj, attribute, _MISSING) is _MISSING:
            return self.undefined(obj=obj, name=attribute)
        return self.unsafe_undefined(obj, attribute)

    def wrap_str_format(self, value: Any) -> None:
        """Never hand out ``str.format``: widths in its fields can ask for gigabytes."""
        return None

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Call ``__obj`` from a template: one step of the budget, and only if allowed."""
        _current().step()
        if isinstance(__obj, jinja2.Undefined):  # say why it is undefined: "... is unsafe"
            __obj._fail_with_undefined_error()
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """Refuse an operation whose result would be too large, before computing it."""
        _check_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)


def _ours_function(func: types.FunctionType) -> bool:
    return str(getattr(func, "__module__", "")).split(".", 1)[0] == "thankyou"
