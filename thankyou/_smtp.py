"""The SMTP connection for :mod:`thankyou.send`: settings, TLS, login, and what went out.

Only this module and :mod:`thankyou.send` open sockets. The password never
shows in ``repr()``, a message or an exception.
"""

from __future__ import annotations

import base64
import contextlib
import smtplib
import socket
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from thankyou.errors import SendError

__all__ = ["Client", "Security", "SmtpSettings", "redact", "session"]

Security = Literal["plain", "starttls", "ssl"]

_DEFAULT_PORTS: dict[str, int] = {"plain": 25, "starttls": 587, "ssl": 465}
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to connect. The password never shows in ``repr()``."""

    host: str
    #: None: 25 for plain, 587 for STARTTLS, 465 for SSL.
    port: int | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    #: "plain" (no TLS), "starttls" (RFC 3207) or "ssl" (implicit TLS, RFC 8314).
    security: Security = "plain"
    timeout: float = 30.0
    #: Certificates to trust; by default the system's (ssl.create_default_context()).
    tls_context: ssl.SSLContext | None = field(default=None, repr=False)

    @property
    def address(self) -> str:
        """``host:port`` as the user would write it."""
        return f"{self.host}:{self.port or _DEFAULT_PORTS[self.security]}"


class Client(smtplib.SMTP):
    """An SMTP client that notes when a message has gone out in full.

    smtplib sends the whole DATA payload, ending in CRLF.CRLF, in one ``send``
    call; a failure after it is the one case where the server may have the
    message (RFC 5321 §4.1.1.4).
    """

    payload_sent = False

    def getreply(self) -> tuple[int, bytes]:
        """Read one reply, all of it within ``timeout`` seconds.

        The socket timeout bounds each read, not the reply: a server that
        trickles its greeting a byte at a time could hold the client for ever.
        A timer closes the socket at the deadline instead.
        """
        sock, limit = self.sock, self.timeout
        if sock is None or not isinstance(limit, int | float):
            return super().getreply()
        fired = threading.Event()
        timer = threading.Timer(limit, _cut, args=(sock, fired))
        timer.start()
        try:
            reply = super().getreply()
        except (smtplib.SMTPServerDisconnected, OSError):
            if not fired.is_set():
                raise
            reply = (-1, b"")
        finally:
            timer.cancel()
        if fired.is_set():  # a reply cut short can look whole ("220 hel"): never trust it
            self.close()
            raise TimeoutError(f"no complete reply within {limit:g} s")
        return reply

    def send(self, s: Any) -> None:
        """Send raw data, and note whether it was a message's end."""
        super().send(s)
        if isinstance(s, bytes) and s.endswith(b"\r\n.\r\n"):
            self.payload_sent = True


def _cut(sock: socket.socket, fired: threading.Event) -> None:
    fired.set()
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class SSLClient(Client, smtplib.SMTP_SSL):
    """The same over implicit TLS (RFC 8314)."""


@contextlib.contextmanager
def session(settings: SmtpSettings) -> Iterator[Client]:
    """Connect, secure and log in; close the connection however the block ends."""
    _refuse_cleartext_password(settings)
    client = _open(settings)
    try:
        _secure_and_login(client, settings)
        yield client
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            client.quit()
        client.close()


def _refuse_cleartext_password(settings: SmtpSettings) -> None:
    if settings.user and settings.security == "plain" and settings.host not in _LOOPBACK:
        raise SendError(
            f"refusing to send the password for {settings.user!r} unencrypted to "
            f"{settings.host}; use --starttls or --ssl"
        )


def _open(settings: SmtpSettings) -> Client:
    port = settings.port or _DEFAULT_PORTS[settings.security]
    try:
        if settings.security == "ssl":
            context = _context(settings)
            return SSLClient(settings.host, port, timeout=settings.timeout, context=context)
        return Client(settings.host, port, timeout=settings.timeout)
    except ssl.SSLError as err:
        raise SendError(f"TLS with {settings.address} failed: {_tls_reason(err)}") from None
    except (smtplib.SMTPException, OSError) as err:
        raise SendError(f"cannot connect to {settings.address}: {os_reason(err)}") from None


def _secure_and_login(client: Client, settings: SmtpSettings) -> None:
    try:
        if settings.security == "starttls":
            client.ehlo()
            client.starttls(context=_context(settings))
            client.ehlo()
        if settings.user:
            client.login(settings.user, settings.password or "")
    except smtplib.SMTPNotSupportedError as err:
        hint = "; try --starttls or --ssl" if settings.security == "plain" else ""
        reason = redact(str(err), settings).rstrip(".")
        raise SendError(f"{settings.address}: {reason}{hint}") from None
    except smtplib.SMTPAuthenticationError as err:
        refusal = redact(reply(err), settings)
        raise SendError(
            f"{settings.address} refused the login for {settings.user!r}: {refusal}"
        ) from None
    except ssl.SSLError as err:
        raise SendError(f"TLS with {settings.address} failed: {_tls_reason(err)}") from None
    except (smtplib.SMTPException, OSError) as err:
        raise SendError(f"{settings.address}: {redact(os_reason(err), settings)}") from None


def _context(settings: SmtpSettings) -> ssl.SSLContext:
    return settings.tls_context or ssl.create_default_context()


def _tls_reason(err: ssl.SSLError) -> str:
    if isinstance(err, ssl.SSLCertVerificationError):
        return f"the server's certificate is not trusted ({err.verify_message})"
    return err.reason or str(err)


def os_reason(err: BaseException) -> str:
    if isinstance(err, smtplib.SMTPResponseException):
        return reply(err)
    return getattr(err, "strerror", None) or str(err) or type(err).__name__


def redact(text: str, settings: SmtpSettings) -> str:
    """Remove the password, and the forms AUTH PLAIN and LOGIN send it in, from ``text``."""
    password = settings.password
    if not password:
        return text
    user = settings.user or ""
    for secret in (
        password,
        base64.b64encode(password.encode()).decode(),
        base64.b64encode(f"\0{user}\0{password}".encode()).decode(),
    ):
        text = text.replace(secret, "***")
    return text


def reply(err: smtplib.SMTPResponseException) -> str:
    """The server's reply as "550 text", for messages."""
    text = (
        err.smtp_error.decode("utf-8", "replace")
        if isinstance(err.smtp_error, bytes)
        else str(err.smtp_error)
    )
    return f"{err.smtp_code} {text}"
