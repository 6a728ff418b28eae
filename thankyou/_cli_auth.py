"""How ``send`` and ``drafts`` sign in: the options, and where each secret comes from.

A password comes from an environment variable, else the system keyring, else
a prompt without echo; an OAuth 2.0 token from ``--oauth2-token-command``,
else ``THANKYOU_OAUTH2_TOKEN``. Never from an option's value, which other
users of the machine can read in the process list.
"""

from __future__ import annotations

import getpass
import os
import sys
import warnings

import click

from thankyou.account import (
    OAUTH2_TOKEN_ENV,
    OAuth2Token,
    Password,
    keyring_password,
    token_from_command,
    token_from_env,
)
from thankyou.errors import SendError

__all__ = ["AUTH", "TOKEN_COMMAND", "credentials"]

AUTH = click.option(
    "--auth",
    "auth",
    type=click.Choice(["password", "xoauth2", "oauthbearer"], case_sensitive=False),
    help="How to sign in: password (default), or an OAuth 2.0 token with XOAUTH2 "
    "(Gmail, Microsoft 365) or OAUTHBEARER (RFC 7628). A token (command or "
    f"${OAUTH2_TOKEN_ENV}) implies xoauth2.",
)
TOKEN_COMMAND = click.option(
    "--oauth2-token-command",
    "token_command",
    metavar="COMMAND",
    help=f"Run COMMAND (no shell) and use what it prints as the OAuth 2.0 access token; "
    f"without it the token is read from ${OAUTH2_TOKEN_ENV}.",
)


def credentials(
    *,
    what: str,
    host: str,
    user: str | None,
    auth: str | None,
    token_command: str | None,
    password_env: str,
) -> Password | OAuth2Token | None:
    """The secret to sign in with, asked for only now (after a dry run, never).

    Args:
        what: "SMTP" or "IMAP", for the prompt.
        host: The server, the keyring's service name.
        user: The user name; None signs in with nothing (SMTP only).
        auth: The ``--auth`` choice; None means xoauth2 when there is a token
            (a token command, or ``THANKYOU_OAUTH2_TOKEN``), else password.
        token_command: ``--oauth2-token-command``.
        password_env: The environment variable holding the password.

    Raises:
        click.UsageError: for options that do not go together.
        SendError: when the token command fails, or no password can be had (no
            variable, no keyring entry, and nothing to read a prompt's answer from).
    """
    has_token = token_command is not None or token_from_env() is not None
    mechanism = (auth or ("xoauth2" if has_token else "password")).upper()
    if mechanism == "PASSWORD":
        if token_command is not None:
            raise click.UsageError("--oauth2-token-command needs --auth xoauth2 or oauthbearer")
        return _password(what, host, user, password_env) if user else None
    if not user:
        raise click.UsageError(f"--auth {mechanism.lower()} needs --user (your email address)")
    token = token_from_command(token_command) if token_command is not None else token_from_env()
    if token is None:
        raise click.UsageError(
            f"--auth {mechanism.lower()} needs a token: set ${OAUTH2_TOKEN_ENV} or give "
            "--oauth2-token-command"
        )
    return OAuth2Token(token, "XOAUTH2" if mechanism == "XOAUTH2" else "OAUTHBEARER")


def _password(what: str, host: str, user: str, password_env: str) -> Password:
    password = os.environ.get(password_env)
    if password is None:
        password = keyring_password(host, user)
    if password is None:
        password = _ask(what, host, user, password_env)
    return Password(password)


def _ask(what: str, host: str, user: str, password_env: str) -> str:
    """Prompt without echo; with nothing to read from, say where a password can come from."""
    try:
        with warnings.catch_warnings():  # getpass warns when stdin is not a terminal
            warnings.simplefilter("ignore", getpass.GetPassWarning)
            answer: str = click.prompt(f"{what} password for {user}", hide_input=True, err=True)
    except click.Abort:
        if sys.stdin is not None and sys.stdin.isatty():
            raise  # Ctrl-C at the prompt
        raise SendError(
            f"no {what} password for {user!r}: set ${password_env}, store it with "
            f"`keyring set {host} {user}`, or run the command in a terminal to be asked for it"
        ) from None
    return answer
