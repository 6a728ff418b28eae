"""SASL credentials and the client responses that carry them (no dependencies of ours).

The secret types of :mod:`thankyou.account`, kept apart so that the SMTP and
IMAP modules can use them without importing the account module.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "LOOPBACK",
    "Mechanism",
    "OAuth2Token",
    "Password",
    "Security",
    "host_port",
    "oauth2_responses",
    "oauthbearer_response",
    "redact",
    "secret_forms",
    "token_forms",
    "xoauth2_response",
]

Mechanism = Literal["XOAUTH2", "OAUTHBEARER"]
#: "plain" (no TLS), "starttls" (RFC 3207 for SMTP, RFC 2595 for IMAP) or "ssl" (implicit
#: TLS, RFC 8314).
Security = Literal["plain", "starttls", "ssl"]
#: The only hosts a secret may be sent to without TLS: this machine.
LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


@dataclass(frozen=True)
class Password:
    """Sign in with a user name and password (SASL PLAIN or LOGIN, UTF-8)."""

    secret: str = field(repr=False)


@dataclass(frozen=True)
class OAuth2Token:
    """Sign in with an OAuth 2.0 access token (RFC 6750 bearer token).

    ``XOAUTH2`` is what Gmail and Microsoft 365 accept; ``OAUTHBEARER`` is
    the standard form of the same (RFC 7628), which Gmail accepts too.
    """

    token: str = field(repr=False)
    mechanism: Mechanism = "XOAUTH2"


def secret_forms(password: str, user: str) -> tuple[str, ...]:
    """A password, and the base64 forms SASL PLAIN and LOGIN send it in (RFC 4616)."""
    if not password:
        return ()
    return (
        password,
        _b64(password),
        _b64(f"\0{user}\0{password}"),
    )


def token_forms(token: str, user: str, host: str, port: int) -> tuple[str, ...]:
    """A token, and the base64 forms XOAUTH2 and OAUTHBEARER send it in."""
    if not token:
        return ()
    return (
        token,
        _b64(token),
        _b64(xoauth2_response(user, token)),
        _b64(oauthbearer_response(user, token, host, port)),
    )


def host_port(host: str, port: int) -> str:
    """``host:port`` as the user would write it; an IPv6 address in brackets (RFC 3986 §3.2.2)."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def redact(text: str, secrets: tuple[str, ...]) -> str:
    """Replace every secret (longest first) in ``text`` with ``***``."""
    for secret in sorted(secrets, key=len, reverse=True):
        if secret:
            text = text.replace(secret, "***")
    return text


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def xoauth2_response(user: str, token: str) -> str:
    """The client response of SASL XOAUTH2 (as Google and Microsoft define it)."""
    return f"user={user}\x01auth=Bearer {token}\x01\x01"


def oauthbearer_response(user: str, token: str, host: str, port: int) -> str:
    """The client response of SASL OAUTHBEARER (RFC 7628 §3.1).

    The GS2 header names the user as authorization identity, with ``,`` and
    ``=`` escaped (RFC 5801 §4).
    """
    name = user.replace("=", "=3D").replace(",", "=2C")
    return f"n,a={name},\x01host={host}\x01port={port}\x01auth=Bearer {token}\x01\x01"


def oauth2_responses(auth: OAuth2Token, user: str, host: str, port: int) -> tuple[str, str]:
    r"""The client's first response for ``auth.mechanism``, and its reply to an error challenge.

    After a refused token the server sends an error as a challenge; XOAUTH2 ends
    the exchange with an empty reply, OAUTHBEARER with a single ``\x01``
    (RFC 7628 §3.2.3); the server then answers with its failure code.
    """
    if auth.mechanism == "XOAUTH2":
        return xoauth2_response(user, auth.token), ""
    return oauthbearer_response(user, auth.token, host, port), "\x01"
