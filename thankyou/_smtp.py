"""The SMTP connection for :mod:`thankyou.send`: settings, TLS, login, and what went out.

Only this module and :mod:`thankyou.send` open sockets. The password never
shows in ``repr()``, a message or an exception.
"""

from __future__ import annotations

import base64
import contextlib
import hmac
import smtplib
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from thankyou._auth import (
    LOOPBACK,
    OAuth2Token,
    Security,
    host_port,
    oauth2_responses,
    secret_forms,
    token_forms,
)
from thankyou._auth import redact as redact_all
from thankyou.errors import SendError

__all__ = ["Client", "Security", "SmtpSettings", "redact", "session"]

_DEFAULT_PORTS: dict[str, int] = {"plain": 25, "starttls": 587, "ssl": 465}


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
    #: Sign in with this OAuth 2.0 token (SASL XOAUTH2 or OAUTHBEARER) instead
    #: of the password.
    oauth2: OAuth2Token | None = field(default=None, repr=False)

    @property
    def address(self) -> str:
        """``host:port`` as the user would write it."""
        return host_port(self.host, self.port or _DEFAULT_PORTS[self.security])


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
            raise TimeoutError(f"timed out: no complete reply within {limit:g} s")
        return reply

    def send(self, s: Any) -> None:
        """Send raw data, and note whether it was a message's end."""
        super().send(s)
        if isinstance(s, bytes) and s.endswith(b"\r\n.\r\n"):
            self.payload_sent = True

    def auth(
        self,
        mechanism: str,
        authobject: Callable[..., str | None],
        *,
        initial_response_ok: bool = True,
    ) -> tuple[int, bytes]:
        """Run one SASL exchange, encoding the responses as UTF-8.

        smtplib encodes them as ASCII, so a user name or password with any
        other character failed with an error quoting that character. SASL
        PLAIN is UTF-8 (RFC 4616 §2, as RFC 4954 §4 uses it, and RFC 6532 for
        addresses as user names); LOGIN and CRAM-MD5 follow the same rule.
        """
        mechanism = mechanism.upper()
        initial = authobject() if initial_response_ok else None
        # smtplib's auth_login() tells the user name from the password by this count.
        if initial is not None:
            code, resp = self.docmd("AUTH", f"{mechanism} {_b64(initial)}")
            self._auth_challenge_count = 1
        else:
            code, resp = self.docmd("AUTH", mechanism)
            self._auth_challenge_count = 0
        while code == 334:
            self._auth_challenge_count += 1
            if self._auth_challenge_count > _MAX_CHALLENGES:
                raise smtplib.SMTPException("the server's sign-in never ended")
            challenge = base64.decodebytes(resp)
            code, resp = self.docmd(_b64(authobject(challenge) or ""))
        if code in (235, 503):
            return code, resp
        raise smtplib.SMTPAuthenticationError(code, resp)

    def auth_cram_md5(self, challenge: bytes | None = None) -> str | None:  # type: ignore[override]
        """CRAM-MD5 (RFC 2195) with the password as UTF-8."""
        if challenge is None:
            return None
        digest = hmac.HMAC(self.password.encode(), challenge, "md5").hexdigest()
        return f"{self.user} {digest}"


_MAX_CHALLENGES = 5


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode("ascii")


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
    secret = settings.user or settings.oauth2
    if secret and settings.security == "plain" and settings.host not in LOOPBACK:
        raise SendError(
            f"refusing to send the {'token' if settings.oauth2 else 'password'} for "
            f"{settings.user!r} unencrypted to "
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
        hint = (
            "; if this port expects TLS from the start (usually 465), use --ssl, not --starttls"
            if settings.security == "starttls" and _timed_out(err)
            else ""
        )
        raise SendError(f"cannot connect to {settings.address}: {os_reason(err)}{hint}") from None


def _timed_out(err: BaseException) -> bool:
    """True for a read that timed out (smtplib rewords it as a disconnection)."""
    return isinstance(err, TimeoutError) or isinstance(err.__context__, TimeoutError)


def _secure_and_login(client: Client, settings: SmtpSettings) -> None:
    try:
        if settings.security == "starttls":
            client.ehlo()
            client.starttls(context=_context(settings))
            client.ehlo()
        if settings.oauth2 is not None:
            _oauth2_login(client, settings, settings.oauth2)
        elif settings.user:
            client.login(settings.user, settings.password or "")
    except smtplib.SMTPNotSupportedError as err:
        hint = "; try --starttls or --ssl" if settings.security == "plain" else ""
        reason = redact(str(err), settings).rstrip(".")
        raise SendError(f"{settings.address}: {reason}{hint}") from None
    except smtplib.SMTPAuthenticationError as err:
        refusal = redact(reply(err), settings)
        hint = "; the token may have expired or lack the mail scope" if settings.oauth2 else ""
        raise SendError(
            f"{settings.address} refused the login for {settings.user!r}: {refusal}{hint}"
        ) from None
    except ssl.SSLError as err:
        raise SendError(f"TLS with {settings.address} failed: {_tls_reason(err)}") from None
    except (smtplib.SMTPException, OSError) as err:
        raise SendError(f"{settings.address}: {redact(os_reason(err), settings)}") from None
    except UnicodeError:  # its message would quote a character of the secret
        raise SendError(
            f"{settings.address}: the user name or password cannot be sent to this server"
        ) from None


def _oauth2_login(client: Client, settings: SmtpSettings, oauth2: OAuth2Token) -> None:
    """Sign in with SASL XOAUTH2 or OAUTHBEARER (RFC 7628) and a bearer token."""
    client.ehlo_or_helo_if_needed()
    offered = client.esmtp_features.get("auth", "").upper().split()
    if oauth2.mechanism not in offered:
        raise SendError(
            f"{settings.address} does not offer {oauth2.mechanism} sign-in "
            f"(it offers: {', '.join(offered) or 'no AUTH at all'})"
        )
    port = settings.port or _DEFAULT_PORTS[settings.security]
    first, after_error = oauth2_responses(oauth2, settings.user or "", settings.host, port)

    def respond(challenge: bytes | None = None) -> str:
        return first if challenge is None else after_error

    client.auth(oauth2.mechanism, respond)


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
    """Remove the password or token, and the forms SASL sends them in, from ``text``."""
    user = settings.user or ""
    secrets = secret_forms(settings.password or "", user)
    if settings.oauth2 is not None:
        port = settings.port or _DEFAULT_PORTS[settings.security]
        secrets += token_forms(settings.oauth2.token, user, settings.host, port)
    return redact_all(text, secrets)


def reply(err: smtplib.SMTPResponseException) -> str:
    """The server's reply as "550 text", for messages."""
    text = (
        err.smtp_error.decode("utf-8", "replace")
        if isinstance(err.smtp_error, bytes)
        else str(err.smtp_error)
    )
    return f"{err.smtp_code} {text}"
