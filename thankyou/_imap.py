"""The IMAP connection for :mod:`thankyou.drafts`: TLS, sign-in, the Drafts folder.

Built on ``imapclient`` (imported when a connection opens). The secret never
shows in a message or an exception: every error is reworded here, with the
server's own words passed through :func:`thankyou.account.redact`.
"""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from thankyou._auth import host_port, oauth2_responses
from thankyou.account import (
    MailAccount,
    OAuth2Token,
    Password,
    redact,
    refuse_cleartext,
    secrets_of,
)
from thankyou.errors import SendError

if TYPE_CHECKING:
    from imapclient import IMAPClient

__all__ = ["DRAFT_NAMES", "address", "append", "drafts_folder", "find", "session"]

_DEFAULT_PORTS = {"ssl": 993, "starttls": 143, "plain": 143}

#: Names a Drafts folder has where the server does not mark it (RFC 6154): the
#: usual English ones, Gmail's, Courier's "INBOX." form, and a few languages.
DRAFT_NAMES = (
    "Drafts",
    "Draft",
    "[Gmail]/Drafts",
    "INBOX/Drafts",
    "INBOX.Drafts",
    "Entwürfe",
    "Brouillons",
    "Borradores",
    "Bozze",
    "Concepten",
)


def address(account: MailAccount) -> str:
    """``host:port`` as the user would write it."""
    return host_port(account.host, _port(account))


def _port(account: MailAccount) -> int:
    return account.port or _DEFAULT_PORTS[account.security]


@contextlib.contextmanager
def session(account: MailAccount) -> Iterator[IMAPClient]:
    """Connect, secure and sign in; log out however the block ends.

    Raises:
        SendError: for a connection, TLS or sign-in that fails.
    """
    refuse_cleartext(account)
    client = _open(account)
    try:
        with _reworded(account, "sign-in"):
            _secure(client, account)
            _sign_in(client, account)
        yield client
    finally:
        with contextlib.suppress(Exception):
            client.logout()
        with contextlib.suppress(Exception):
            client.shutdown()


def _open(account: MailAccount) -> IMAPClient:
    from imapclient import IMAPClient

    with _reworded(account, "connection"):
        return IMAPClient(
            account.host,
            port=_port(account),
            ssl=account.security == "ssl",
            ssl_context=_context(account),
            timeout=account.timeout,
        )


def _context(account: MailAccount) -> ssl.SSLContext:
    return account.tls_context or ssl.create_default_context()


def _secure(client: IMAPClient, account: MailAccount) -> None:
    if account.security == "starttls":
        if b"STARTTLS" not in client.capabilities():
            raise SendError(f"{address(account)} does not offer STARTTLS; try --ssl (port 993)")
        client.starttls(_context(account))


def _sign_in(client: IMAPClient, account: MailAccount) -> None:
    auth, user = account.auth, account.user or ""
    if isinstance(auth, OAuth2Token):
        _authenticate(client, account, auth.mechanism, _oauth2_responder(account, auth))
    elif isinstance(auth, Password):
        offered = client.capabilities()
        if b"AUTH=PLAIN" in offered:
            # RFC 4616: UTF-8, so any user name and password (LOGIN is ASCII-only in imaplib).
            text = f"\0{user}\0{auth.secret}"
            _authenticate(client, account, "PLAIN", lambda _challenge: text)
        elif (user + auth.secret).isascii() and b"LOGINDISABLED" not in offered:
            client.login(user, auth.secret)
        else:
            raise SendError(
                f"{address(account)} offers no sign-in that can carry this user name and "
                "password (it lacks AUTH=PLAIN)"
            )
    else:
        raise SendError(f"{address(account)}: no password or token to sign in with")


def _oauth2_responder(account: MailAccount, auth: OAuth2Token) -> Callable[[bytes], str]:
    first, after_error = oauth2_responses(auth, account.user or "", account.host, _port(account))
    sent: list[bool] = []

    def respond(challenge: bytes) -> str:
        if sent:  # a second challenge is the server's error report: end the exchange
            return after_error
        sent.append(True)
        return first

    return respond


def _authenticate(
    client: IMAPClient, account: MailAccount, mechanism: str, respond: Callable[[bytes], str]
) -> None:
    if f"AUTH={mechanism}".encode() not in client.capabilities():
        raise SendError(f"{address(account)} does not offer {mechanism} sign-in")
    from imapclient.exceptions import IMAPClientError, LoginError

    try:
        # imapclient has no public call for a SASL exchange of our own; imaplib's
        # sends the responses as UTF-8.
        client._imap.authenticate(mechanism, respond)
    except IMAPClientError as err:
        raise LoginError(str(err)) from None


def drafts_folder(client: IMAPClient, account: MailAccount, named: str | None) -> str:
    r"""The folder to save drafts in: ``named``, else the one marked ``\Drafts``.

    Without a name: the folder the server marks ``\Drafts`` (RFC 6154), else
    one of :data:`DRAFT_NAMES` that exists.

    Raises:
        SendError: when the named folder does not exist, or none is found.
    """
    with _reworded(account, "folder list"):
        folders = client.list_folders()
    names = {name for _flags, _sep, name in folders}
    if named is not None:
        if named not in names:
            raise SendError(
                f"{address(account)} has no folder {named!r}; it has: {', '.join(sorted(names))}"
            )
        return named
    for flags, _sep, name in folders:
        if b"\\Drafts" in flags:
            return str(name)
    for name in DRAFT_NAMES:
        if name in names:
            return name
    raise SendError(
        f"{address(account)} marks no folder as Drafts and none has a usual name; "
        "name it with --folder"
    )


def find(client: IMAPClient, account: MailAccount, folder: str, message_id: str) -> list[int]:
    """The UIDs of the messages in ``folder`` whose Message-ID is ``message_id``."""
    with _reworded(account, "search"):
        client.select_folder(folder)
        found = client.search(["HEADER", "Message-ID", message_id])
    return [int(uid) for uid in found]


def append(client: IMAPClient, account: MailAccount, folder: str, data: bytes) -> None:
    r"""Store a message in ``folder`` flagged ``\Draft`` and ``\Seen`` (RFC 3501 §6.3.11).

    Raises:
        SendError: when the server does not answer OK.
    """
    with _reworded(account, "append"):
        client.append(folder, data, flags=[b"\\Draft", b"\\Seen"])


@contextlib.contextmanager
def _reworded(account: MailAccount, step: str) -> Iterator[None]:
    """Turn imapclient's, ssl's and socket's errors into a SendError without secrets."""
    from imapclient.exceptions import IMAPClientError, LoginError

    where = address(account)
    try:
        yield
    except SendError:
        raise
    except ssl.SSLCertVerificationError as err:
        raise SendError(
            f"TLS with {where} failed: the server's certificate is not trusted "
            f"({err.verify_message})"
        ) from None
    except ssl.SSLError as err:
        hint = (
            "; if this port expects STARTTLS (usually 143), use --starttls"
            if account.security == "ssl"
            else ""
        )
        raise SendError(f"TLS with {where} failed: {err.reason or err}{hint}") from None
    except LoginError as err:
        raise SendError(
            f"{where} refused the sign-in for {account.user!r}: {_said(err, account)}"
            + _hint(account)
        ) from None
    except (IMAPClientError, OSError) as err:
        raise SendError(
            f"{where}: {step} failed: {_said(err, account)}{_silence_hint(err, account)}"
        ) from None
    except UnicodeError:  # its message would quote a character of the secret
        raise SendError(f"{where}: the user name or password cannot be sent") from None


def _said(err: BaseException, account: MailAccount) -> str:
    text = getattr(err, "strerror", None) or str(err) or type(err).__name__
    return redact(text, secrets_of(account, _port(account)))


def _silence_hint(err: BaseException, account: MailAccount) -> str:
    """A STARTTLS client waits for a greeting that an implicit-TLS port never sends."""
    if isinstance(err, TimeoutError) and account.security == "starttls":
        return "; if this port expects TLS from the start (usually 993), leave out --starttls"
    return ""


def _hint(account: MailAccount) -> str:
    if isinstance(account.auth, OAuth2Token):
        return "; the token may have expired or lack the mail scope: fetch a new one"
    return ""
