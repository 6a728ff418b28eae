"""A mail account and how to sign in to it: password or OAuth 2.0 token.

:class:`MailAccount` names a server and the credentials for it; the IMAP path
(:func:`thankyou.save_drafts`) takes one, and :meth:`MailAccount.smtp` turns it
into the :class:`~thankyou.send.SmtpSettings` that :func:`thankyou.send` takes.

Secrets come from the environment, the system keyring or a command the user
names (the way ``git`` credential helpers and msmtp's ``passwordeval`` work),
never from a command-line option, and never show in ``repr()``, a message or
an exception. This module imports nothing heavy: ``keyring`` and
``subprocess`` load only when asked for a secret.
"""

from __future__ import annotations

import os
import ssl
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from thankyou._auth import (
    LOOPBACK,
    OAuth2Token,
    Password,
    Security,
    oauthbearer_response,
    redact,
    secret_forms,
    token_forms,
    xoauth2_response,
)
from thankyou.errors import SendError

if TYPE_CHECKING:
    from thankyou._smtp import SmtpSettings

__all__ = [
    "OAUTH2_TOKEN_ENV",
    "MailAccount",
    "OAuth2Token",
    "Password",
    "Security",
    "keyring_password",
    "oauthbearer_response",
    "redact",
    "token_from_command",
    "xoauth2_response",
]

#: The environment variable an OAuth 2.0 access token is read from.
OAUTH2_TOKEN_ENV = "THANKYOU_OAUTH2_TOKEN"


@dataclass(frozen=True)
class MailAccount:
    """A mailbox on a server, and how to sign in to it.

    Example::

        MailAccount("imap.gmail.com", user="you@gmail.com",
                    auth=OAuth2Token(token))
    """

    host: str
    #: None: the protocol's usual port for the security chosen (993/143 for
    #: IMAP; 465/587/25 for SMTP).
    port: int | None = None
    user: str | None = None
    #: "ssl" (implicit TLS, RFC 8314, the default), "starttls" (RFC 2595 for
    #: IMAP, RFC 3207 for SMTP) or "plain" (no TLS: only to this machine).
    security: Security = "ssl"
    auth: Password | OAuth2Token | None = None
    timeout: float = 30.0
    #: Certificates to trust; by default the system's.
    tls_context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)

    def smtp(self, port: int | None = None) -> SmtpSettings:
        """The same account as settings for :func:`thankyou.send`.

        Args:
            port: The SMTP port, when it is not this account's ``port``.
        """
        from thankyou._smtp import SmtpSettings

        auth = self.auth
        return SmtpSettings(
            host=self.host,
            port=port if port is not None else self.port,
            user=self.user,
            password=auth.secret if isinstance(auth, Password) else None,
            security=self.security,
            timeout=self.timeout,
            tls_context=self.tls_context,
            oauth2=auth if isinstance(auth, OAuth2Token) else None,
        )


def secrets_of(account: MailAccount, port: int) -> tuple[str, ...]:
    """The account's secret and the forms it travels in (to ``port``), to keep out of messages."""
    auth, user = account.auth, account.user or ""
    if isinstance(auth, Password):
        return secret_forms(auth.secret, user)
    if isinstance(auth, OAuth2Token):
        return token_forms(auth.token, user, account.host, port)
    return ()


def refuse_cleartext(account: MailAccount) -> None:
    """Refuse to send a secret unencrypted to another machine."""
    if account.auth is not None and account.security == "plain" and account.host not in LOOPBACK:
        raise SendError(
            f"refusing to send the credentials for {account.user!r} unencrypted to "
            f"{account.host}; use TLS (--ssl, the default, or --starttls)"
        )


def token_from_command(command: str, *, timeout: float = 60.0) -> str:
    """Run the user's token command and return what it prints.

    The command is split like a shell would (``shlex.split``) but run without
    one; its standard output, stripped, is the token.

    Raises:
        SendError: when it cannot run, fails, times out or prints nothing; the
            message never holds what it printed on standard output.
    """
    import shlex
    import subprocess

    try:
        argv = shlex.split(command)
    except ValueError as err:
        raise SendError(f"--oauth2-token-command cannot be split into words: {err}") from None
    if not argv:
        raise SendError("--oauth2-token-command is empty")
    try:
        done = subprocess.run(argv, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise SendError(
            f"the token command {argv[0]!r} did not finish within {timeout:g} s"
        ) from None
    except OSError as err:
        raise SendError(
            f"cannot run the token command {argv[0]!r}: {err.strerror or err}"
        ) from None
    token = done.stdout.decode("utf-8", "replace").strip()
    if done.returncode != 0:
        raise SendError(
            f"the token command {argv[0]!r} failed (exit status {done.returncode})"
            + _stderr_tail(done.stderr, token)
        )
    if not token or any(c.isspace() for c in token):
        what = "printed nothing" if not token else "printed more than one word"
        raise SendError(
            f"the token command {argv[0]!r} {what}; it must print the access token alone"
        )
    return token


def _stderr_tail(stderr: bytes, token: str) -> str:
    """The last line the command wrote on standard error, without the token."""
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    if not lines:
        return ""
    last = lines[-1][:200]
    return f": {redact(last, (token,)) if token else last}"


def token_from_env() -> str | None:
    """The access token in ``THANKYOU_OAUTH2_TOKEN``, or None."""
    token = os.environ.get(OAUTH2_TOKEN_ENV, "").strip()
    return token or None


def keyring_password(host: str, user: str) -> str | None:
    """The password the system keyring holds for ``user`` at ``host``, or None.

    Stored with ``keyring set HOST USER``. None too when the optional
    ``keyring`` package is not installed or has no usable back end.
    """
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return None
    try:
        password = keyring.get_password(host, user)
    except (KeyringError, RuntimeError, OSError):
        return None
    return password if isinstance(password, str) else None
