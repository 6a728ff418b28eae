"""Email: a :class:`~thankyou.Letter` as an RFC 5322 message that opens as a draft.

The message has From (the candidate), To (the recipient), Subject, Date,
Message-ID, MIME-Version and ``X-Unsent: 1`` (so Outlook and Thunderbird open
an ``.eml`` as an editable draft), and a ``multipart/alternative`` body: the
letter as ``text/plain`` and a small, self-contained ``text/html`` version.

Two stdlib bugs shape this module (docs/design/hazards.md, email):

- CVE-2024-6923: Python 3.11.7's header folder decodes an RFC 2047 encoded
  word found in a value (``=?UTF-8?Q?=0A?=``) into a raw line break, which
  adds a header. So every message is serialised, parsed back, and refused
  unless it holds exactly the expected headers with exactly the expected
  decoded values.
- gh-128110: the same version's parser adds a space between adjacent encoded
  words in an address's display name (RFC 2047 §6.2 says to drop it), so a
  long non-ASCII name reads back wrong. The check falls back to the stdlib's
  other RFC 2047 decoder (:func:`email.header.decode_header`) for that case.

Only the standard library and :mod:`thankyou` are imported here, so
``import thankyou`` stays light.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import html
import re
import secrets
from dataclasses import dataclass
from email import policy as email_policy
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.headerregistry import Address, BaseHeader, HeaderRegistry
from email.message import EmailMessage, Message, MIMEPart
from email.parser import Parser
from email.policy import EmailPolicy
from email.utils import format_datetime, getaddresses, make_msgid
from typing import Any

from thankyou.errors import RenderError
from thankyou.letter import Letter
from thankyou.models import Style, ascii_email

__all__ = ["render", "to_message"]

FORMAT = "email"

#: The top-level headers of every message, in the order they are written.
HEADERS = (
    "From", "To", "Subject", "Date", "Message-ID", "X-Unsent", "MIME-Version", "Content-Type",
)  # fmt: skip

#: RFC 5322 §2.1.1: no line may be longer than 998 characters before its CRLF.
MAX_LINE = 998
#: RFC 5322 §2.1.1: lines SHOULD be no longer than 78 characters.
_SHORT_LINE = 78

_FONTS = {"serif": "Georgia, 'Times New Roman', serif", "sans": "Arial, Helvetica, sans-serif"}
_UNFOLD = re.compile(r"\r\n(?=[ \t])")
_LINE_BREAK = re.compile(r"[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")  # what str.splitlines() splits on
# RFC 2045 §2.7: 7bit data is short lines of printable ASCII (tab allowed), no NUL or bare CR.
_NOT_7BIT = re.compile(r"[^\t\n\x20-\x7e]")
_ENCODED_WORD = re.compile(r"=\?[^?\s]*\?[bBqQ]\?[^?\s]*\?=")


class _HeaderClasses(HeaderRegistry):
    """A header registry that builds each header class once.

    The stdlib's registry creates a brand-new class with ``type()`` for every
    header it makes, which is about a quarter of the time spent building and
    re-reading a message. Caching by the registered class keeps the cache
    bounded whatever header names a parsed message holds.
    """

    def __init__(self) -> None:
        super().__init__()
        self._classes: dict[type, type[BaseHeader]] = {}

    def __getitem__(self, name: str) -> type[BaseHeader]:
        key = self.registry.get(name.lower(), self.default_class)
        try:
            return self._classes[key]
        except KeyError:
            made: type[BaseHeader] = super().__getitem__(name)
            return self._classes.setdefault(key, made)


_REGISTRY = _HeaderClasses()
# cte_type="7bit": bodies go out as 7bit, quoted-printable or base64, never raw
# 8-bit, so a server without 8BITMIME (RFC 6152) still carries them intact.
_ASCII_POLICY = email_policy.SMTP.clone(header_factory=_REGISTRY, cte_type="7bit")
# RFC 6531: with SMTPUTF8 the headers are UTF-8 and 8-bit bodies are fine.
_UTF8_POLICY = email_policy.SMTPUTF8.clone(header_factory=_REGISTRY)
_READ_POLICY = email_policy.default.clone(header_factory=_REGISTRY)


@dataclass(frozen=True, slots=True)
class _Expected:
    """What the serialised headers must read back as."""

    sender: Address
    recipient: Address
    subject: str
    date: dt.datetime
    message_id: str
    boundary: str


def to_message(
    letter: Letter,
    *,
    style: Style | None = None,
    smtputf8: bool = False,
    date: dt.datetime | None = None,
) -> EmailMessage:
    """Build the letter as an email message, checked against header injection.

    Args:
        letter: A letter whose recipient has an email address.
        style: Only the font is used (serif or sans for the HTML part);
            defaults to the letter's style.
        smtputf8: Allow an address with a non-ASCII local part (RFC 6531).
            The message is then built with :data:`email.policy.SMTPUTF8` and
            may only be sent to servers that announce SMTPUTF8.
        date: The Date header. By default it is the current time when the
            letter is dated today, else noon local time on the letter's date.

    Returns:
        The message (policy: SMTP, or SMTPUTF8 with ``smtputf8``), which has
        already been serialised and read back successfully.

    Raises:
        RenderError: when the recipient has no email address, an address
            needs SMTPUTF8 that was not allowed, or a name or the subject
            would not survive as a header (CVE-2024-6923).
    """
    message, _ = _build_checked(letter, style or letter.style, smtputf8, date)
    return message


def render(letter: Letter, style: Style, /, **options: Any) -> bytes:
    """Return the letter as the bytes of an ``.eml`` file (CRLF line ends).

    Options: ``smtputf8`` (see :func:`to_message`).
    """
    _, data = _build_checked(letter, style, bool(options.get("smtputf8", False)), None)
    return data


def _build_checked(
    letter: Letter, style: Style, smtputf8: bool, date: dt.datetime | None
) -> tuple[EmailMessage, bytes]:
    """Build, serialise and verify; return the message and its bytes."""
    _require_single_lines(letter)
    expected = _expected(letter, smtputf8, date)
    try:
        message = _build(letter, style, expected, smtputf8)
        data = message.as_bytes()
    except (ValueError, HeaderParseError) as err:  # the stdlib's refusals, never a traceback
        raise _error(letter, f"it cannot be written as an email: {err}") from err
    _verify(data, expected, letter, smtputf8)
    return message, data


def _require_single_lines(letter: Letter) -> None:
    """Refuse a line break in a header value (RFC 5322 §2.2: it would end the header).

    The cleaning layer already rejects them in facts files; this guards
    letters built by hand.
    """
    for field, value in _header_fields(letter).items():
        if found := _LINE_BREAK.search(value):
            raise _error(
                letter,
                f"{field} must be a single line; remove the U+{ord(found.group()):04X} in it",
            )


def _header_fields(letter: Letter) -> dict[str, str]:
    """The user's text that ends up in headers, by the name a person knows it by."""
    return {
        "the subject": letter.subject,
        "the recipient's name": letter.recipient.name,
        "the candidate's name": letter.sender.name,
    }


def _expected(letter: Letter, smtputf8: bool, date: dt.datetime | None) -> _Expected:
    recipient = letter.recipient
    if recipient.email is None:
        raise _error(letter, f"{recipient.name} has no email address; add `email` to their entry")
    sender = _address(letter, letter.sender.name, letter.sender.email, smtputf8)
    when = (date or _default_date(letter.date)).replace(microsecond=0)
    return _Expected(
        sender=sender,
        recipient=_address(letter, recipient.name, recipient.email, smtputf8),
        subject=letter.subject,
        date=when,
        # make_msgid() without a domain calls socket.getfqdn(): a DNS lookup.
        message_id=make_msgid(domain=sender.domain),
        # RFC 2046 §5.1.1: "=_" can occur in neither quoted-printable nor
        # base64, and 128 random bits cannot be guessed by the letter's author.
        boundary=f"=_{secrets.token_hex(16)}",
    )


def _default_date(day: dt.date) -> dt.datetime:
    now = dt.datetime.now().astimezone()
    if day == now.date():
        return now
    # Noon keeps the calendar date the same for a reader in any time zone.
    return dt.datetime.combine(day, dt.time(12, 0)).astimezone()


def _address(letter: Letter, name: str, email: str, smtputf8: bool) -> Address:
    """Return a header address: punycode domain, local part as validated."""
    try:
        local, _, domain = ascii_email(email).rpartition("@")
    except ValueError as err:  # email_validator.EmailNotValidError is a ValueError
        raise _error(letter, f"{email!r} is not a valid email address: {err}") from err
    if not local.isascii() and not smtputf8:
        raise _error(
            letter,
            f"{email!r} has non-ASCII characters before the @, which only mail servers "
            "with SMTPUTF8 (RFC 6531) can carry; use an ASCII address, or allow it with "
            "--smtputf8 (smtputf8=True in Python) if your mail server supports SMTPUTF8",
        )
    try:
        # Never a "Name <addr>" string: "Smith, John <j@x>" parses as two recipients.
        return Address(display_name=name, username=local, domain=domain)
    except (ValueError, HeaderParseError) as err:
        raise _error(letter, f"{email!r} cannot be written as a mail header: {err}") from err


def _build(letter: Letter, style: Style, expected: _Expected, smtputf8: bool) -> EmailMessage:
    policy = _UTF8_POLICY if smtputf8 else _ASCII_POLICY
    message = EmailMessage(policy)
    message["From"] = expected.sender
    message["To"] = expected.recipient
    message["Subject"] = expected.subject
    # Values we generate (ASCII, no user text) are stored as they are, the way a
    # parsed message holds them; it saves parsing each one only to fold it back.
    message.set_raw("Date", format_datetime(expected.date))
    message.set_raw("Message-ID", expected.message_id)
    message.set_raw("X-Unsent", "1")  # Outlook, Thunderbird: open as an editable draft
    message.set_raw("MIME-Version", "1.0")
    message["Content-Type"] = _content_type(expected.boundary)
    parts: list[Message | str] = [
        _part(policy, plain_text(letter), "plain"),
        _part(policy, html_text(letter, style), "html"),
    ]
    message.set_payload(parts)
    return message


def _part(policy: EmailPolicy[Any], text: str, subtype: str) -> MIMEPart:
    """Return one text part.

    A MIMEPart, not an EmailMessage, so it does not repeat MIME-Version
    (RFC 2045 §4); encoded here rather than by ``set_content``, which parses
    and rewrites its own Content-Type several times (half the build time).
    """
    encoding, payload = _transfer_encoded(text)
    part = MIMEPart(policy)
    part["Content-Type"] = _fixed_header("Content-Type", f'text/{subtype}; charset="utf-8"')
    part["Content-Transfer-Encoding"] = _fixed_header("Content-Transfer-Encoding", encoding)
    part.set_payload(payload)
    return part


@functools.cache
def _fixed_header(name: str, value: str) -> BaseHeader:
    """Parse a header that is the same in every message once, and share it.

    Header objects are immutable strings, so one can sit in many messages.
    """
    return _REGISTRY(name, value)


def _transfer_encoded(text: str) -> tuple[str, str]:
    """Choose the shortest 7-bit transfer encoding (RFC 2045 §6) and apply it.

    7bit when the text is ASCII in short lines; otherwise quoted-printable,
    which stays readable, unless so much is non-ASCII (CJK, Cyrillic) that
    base64 is shorter. All three keep lines within 78 characters.
    """
    if not _NOT_7BIT.search(text) and max(map(len, text.split("\n"))) <= _SHORT_LINE:
        return "7bit", text
    data = text.encode("utf-8")
    non_ascii = len(data) - len(text.encode("ascii", "ignore"))
    # quoted-printable costs about n + 2k characters for k non-ASCII bytes, base64 4n/3.
    if non_ascii * 6 > len(data):
        return "base64", base64.encodebytes(data).decode("ascii")
    return "quoted-printable", binascii.b2a_qp(data, istext=True).decode("ascii")


def _contact(letter: Letter) -> list[str]:
    """The lines under the typed name: phone and the address in its Unicode form."""
    return [line for line in (letter.sender.phone, letter.sender.email) if line]


def plain_text(letter: Letter) -> str:
    """Return the ``text/plain`` part: the letter's body and the candidate's contact lines."""
    return letter.body + "".join(f"{line}\n" for line in _contact(letter))


def html_text(letter: Letter, style: Style) -> str:
    """Return the ``text/html`` part: one ``<p>`` per paragraph, every value escaped.

    Self-contained (no remote resources) and accessible: a language, a title,
    and ``dir="auto"`` so a paragraph in a right-to-left script reads right.
    """
    closing = "\n".join([letter.closing, letter.signature, *_contact(letter)])
    blocks = [letter.salutation, *letter.paragraphs, closing]
    body = "\n".join(f'<p dir="auto">{_escape(block)}</p>' for block in blocks)
    return (
        f'<!DOCTYPE html>\n<html lang="{letter.language}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(letter.subject)}</title>\n</head>\n"
        f'<body style="font-family: {_FONTS[style.font]}">\n{body}\n</body>\n</html>\n'
    )


def _escape(block: str) -> str:
    return html.escape(block).replace("\n", "<br>\n")


def _verify(data: bytes, expected: _Expected, letter: Letter, smtputf8: bool) -> None:
    """Parse the bytes back and refuse them unless they say exactly what we wrote."""
    if problem := _line_problem(data):
        raise _error(letter, f"{problem}; {_hint(letter)}")
    # With CRLF as the only line break (checked above), the parser's header
    # block ends exactly at the first empty line, so only that part is parsed.
    head = data.partition(b"\r\n\r\n")[0] + b"\r\n\r\n"
    try:
        text = head.decode("utf-8" if smtputf8 else "ascii")
    except UnicodeDecodeError:
        raise _error(letter, "the message has 8-bit bytes where only ASCII is allowed") from None
    parsed = Parser(policy=_READ_POLICY).parsestr(text, headersonly=True)
    names = [name for name, _ in parsed.raw_items()]
    if names != list(HEADERS):
        raise _error(letter, _injection_hint(letter, names))
    if field := _mismatch(parsed, expected):
        raise _error(letter, f"the {field} would not read back as written; {_hint(letter)}")


def _line_problem(data: bytes) -> str | None:
    """Check RFC 5322 §2.1.1 and §2.3: CRLF only, no line over 998 characters."""
    if data.count(b"\n") != data.count(b"\r\n") or data.count(b"\r") != data.count(b"\r\n"):
        return "the message has a bare CR or LF (RFC 5322 §2.3)"
    if max(map(len, data.split(b"\r\n"))) > MAX_LINE:
        return f"the message has a line over {MAX_LINE} characters (RFC 5322 §2.1.1)"
    return None


def _mismatch(parsed: EmailMessage, expected: _Expected) -> str | None:
    """Return the first header whose value differs from what was set.

    The three headers that carry the user's text are decoded and compared;
    the others hold only ASCII we produced, so their raw text must match.
    """
    raw = {name: _UNFOLD.sub("", value).strip() for name, value in parsed.raw_items()}
    if raw["Date"] != format_datetime(expected.date) or raw["Message-ID"] != expected.message_id:
        return "date or Message-ID"
    if (raw["X-Unsent"], raw["MIME-Version"]) != ("1", "1.0"):
        return "X-Unsent or MIME-Version header"
    if raw["Content-Type"] != _content_type(expected.boundary):
        return "content type"
    if not _same_address(parsed, "From", expected.sender):
        return "candidate's name or address"
    if not _same_address(parsed, "To", expected.recipient):
        return "recipient's name or address"
    if str(parsed["Subject"]) != expected.subject:
        return "subject"
    return None


def _same_address(parsed: EmailMessage, name: str, want: Address) -> bool:
    addresses = parsed[name].addresses
    if len(addresses) != 1:
        return False
    got = addresses[0]
    if (got.username, got.domain) != (want.username, want.domain):
        return False
    return got.display_name == want.display_name or _rfc2047_name(parsed, name) == want.display_name


def _rfc2047_name(parsed: EmailMessage, name: str) -> str | None:
    """Decode a display name with RFC 2047 §6.2's rule (the gh-128110 workaround)."""
    raw = next(value for key, value in parsed.raw_items() if key == name)
    pairs = getaddresses([_UNFOLD.sub("", raw)])
    if len(pairs) != 1:
        return None
    return str(make_header(decode_header(pairs[0][0])))


def _content_type(boundary: str) -> str:
    return f'multipart/alternative; boundary="{boundary}"'


def _injection_hint(letter: Letter, names: list[str]) -> str:
    extra = sorted(set(names) - set(HEADERS)) or names
    found = ", ".join(extra)
    return f"writing it would produce the headers {found} (CVE-2024-6923); {_hint(letter)}"


def _hint(letter: Letter) -> str:
    """Point at the field that holds an encoded word, the usual cause."""
    for field, value in _header_fields(letter).items():
        if _ENCODED_WORD.search(value):
            return f"{field} contains an RFC 2047 encoded word ('=?…?='); remove it"
        if "\t" in value:
            return f"{field} contains a tab; use a space instead"
        if value != value.strip():
            return f"{field} starts or ends with a space; remove it"  # RFC 5322 §3.2.2
    return "remove unusual characters from the names and the subject"


def _error(letter: Letter, message: str) -> RenderError:
    return RenderError(message, format=FORMAT, recipient=letter.recipient.name)
