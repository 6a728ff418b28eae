"""Exceptions raised by thankyou.

Every problem caused by the user's input (facts, templates, text a format cannot
hold) is reported through one of these, so a caller only ever needs to catch
:class:`ThankYouError`::

    ThankYouError
    ├── FactsError      bad facts: a file that does not parse or a field that is wrong
    ├── TemplateError   a missing or broken template, or an undefined variable
    ├── RenderError     a letter that cannot be produced in the asked-for format
    └── SendError       an SMTP delivery that failed

This module imports nothing from the rest of the package.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class ThankYouError(Exception):
    """Base of everything thankyou raises for bad input."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        #: A sentence a person can act on.
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickle rebuilds an exception by calling its class with ``args`` alone, which loses
        # the keyword-only attributes (template, format, ...) or fails outright. Restoring
        # the instance's state instead lets a worker process hand an error back whole.
        return (_restore, (type(self), self.args, self.__dict__.copy()))


def _restore(cls: type[ThankYouError], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    error = cls.__new__(cls, *args)
    error.args = args
    error.__dict__.update(state)
    return error


@dataclass(frozen=True)
class FieldProblem:
    """One problem with one field of a facts file."""

    #: The field path in SPEC form, e.g. ``panel[1].emial`` ("" for the whole file).
    field: str
    #: What is wrong and what to do about it.
    message: str
    #: Line in the source file, when the parser tells us.
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class FactsError(ThankYouError, ValueError):
    """Raised when interview facts cannot be read or break a rule.

    It subclasses :class:`ValueError` too, so generic callers that catch
    ``ValueError`` around parsing keep working.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        field: str = "",
        line: int | None = None,
        problems: tuple[FieldProblem, ...] = (),
    ) -> None:
        #: Every problem found, so the user can fix the file in one pass.
        self.problems = problems or (FieldProblem(field, message, line),)
        #: The file the facts came from, or None for a dict.
        self.source = source
        #: The first problem's field path (SPEC form).
        self.field = self.problems[0].field
        #: The first problem's line in the source file, when known.
        self.line = self.problems[0].line
        super().__init__(message)

    def __str__(self) -> str:
        return "\n".join(self._where(p) + str(p) for p in self.problems)

    def _where(self, problem: FieldProblem) -> str:
        if self.source is None:
            return ""
        if problem.line is not None:
            return f"{self.source}:{problem.line}: "
        return f"{self.source}: "


class TemplateError(ThankYouError):
    """Raised for a missing or broken template, or one that uses an undefined variable."""

    def __init__(
        self,
        message: str,
        *,
        template: str,
        lineno: int | None = None,
        variable: str | None = None,
    ) -> None:
        super().__init__(message)
        #: The catalogue name, e.g. ``thank-you/formal``.
        self.template = template
        #: Line in the template file, when known.
        self.lineno = lineno
        #: The undefined variable, when that is the problem.
        self.variable = variable

    def __str__(self) -> str:
        where = self.template if self.lineno is None else f"{self.template}:{self.lineno}"
        return f"template {where}: {self.message}"


class RenderError(ThankYouError):
    """Raised when a letter cannot be produced in the asked-for format."""

    def __init__(self, message: str, *, format: str, recipient: str | None = None) -> None:
        super().__init__(message)
        #: The format name, e.g. ``pdf``.
        self.format = format
        #: The recipient's name, when the problem belongs to one letter.
        self.recipient = recipient

    def __str__(self) -> str:
        who = f" for {self.recipient}" if self.recipient else ""
        return f"{self.format}{who}: {self.message}"


class SendError(ThankYouError):
    """Raised when an SMTP server refuses a message or cannot be reached."""

    def __init__(self, message: str, *, recipient: str | None = None) -> None:
        super().__init__(message)
        #: The recipient whose message failed, when known.
        self.recipient = recipient


class RenderWarning(UserWarning):
    """Issued when a letter renders but something may not look as the user expects.

    For example a name in a script that no available font covers: the letter is
    written, and the warning names the field and the characters.
    """
