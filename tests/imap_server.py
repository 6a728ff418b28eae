"""A real Dovecot IMAP server on 127.0.0.1 for the drafts tests: TLS with a trustme
certificate, password users in a passwd-file, and OAuth 2.0 tokens checked by a
token-introspection endpoint (RFC 7662) served from this process."""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import trustme

HOST = "127.0.0.1"
#: The server binary (Debian's dovecot-core puts it in /usr/sbin, not on every PATH).
DOVECOT = shutil.which("dovecot") or shutil.which("dovecot", path="/usr/sbin:/sbin")
#: Created before the server starts (a user added later may not be seen at once).
USERS = [(f"alex{n}", f"s3cret-{n}") for n in range(1, 100)]
#: A user name and password beyond ASCII (RFC 6532, RFC 4616).
UTF8_USER = ("zoë", "pässwörd✓")


@dataclass
class Dovecot:
    """A running server: STARTTLS on ``imap_port``, implicit TLS on ``imaps_port``."""

    imap_port: int
    imaps_port: int
    root: Path
    ca_file: Path
    #: OAuth 2.0 access token -> the user it signs in.
    tokens: dict[str, str] = field(default_factory=dict)

    def user(self) -> tuple[str, str]:
        """A user of its own for one test (an empty mailbox), and the password."""
        return next(self._users)

    def __post_init__(self) -> None:
        self._users = iter(USERS)

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca_file))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _config(root: Path, imap: int, imaps: int, introspection: str) -> str:
    return (
        f"""
instance_name = thankyou-test-{imap}
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = {HOST}
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2 oauthbearer
auth_username_chars =
auth_failure_delay = 0
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {root}/oauth2.conf
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={root}/home/%u
}}
# No growing delay after a refused sign-in (the tests refuse a few on purpose).
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service imap-login {{
  inet_listener imap {{
    address = {HOST}
    port = {imap}
  }}
  inet_listener imaps {{
    address = {HOST}
    port = {imaps}
    ssl = yes
  }}
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Drafts {{
    special_use = \\Drafts
    auto = subscribe
  }}
}}
""",
        f"""introspection_mode = post
introspection_url = {introspection}
username_attribute = username
active_attribute = active
active_value = true
force_introspection = yes
""",
    )


@contextlib.contextmanager
def _introspection(tokens: dict[str, str]) -> Iterator[str]:
    """Serve RFC 7662 token introspection: active and the user for a known token."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
            token = urllib.parse.parse_qs(body).get("token", [""])[0]
            user = tokens.get(token)
            answer = {"active": True, "username": user} if user else {"active": False}
            data = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer((HOST, 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}/introspect"
    finally:
        server.shutdown()
        server.server_close()


def _wait_for(port: int, process: subprocess.Popen[bytes], deadline: float) -> bool:
    while time.monotonic() < deadline and process.poll() is None:
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=0.5):
            return True
        time.sleep(0.05)
    return False


@contextlib.contextmanager
def running() -> Iterator[Dovecot]:
    """Start Dovecot in a folder of its own; stop it and remove the folder after."""
    # pytest's tmp folders are private to root; the mail user `nobody` must traverse this one.
    root = Path(tempfile.mkdtemp(prefix="thankyou-dovecot-"))
    root.chmod(0o755)
    try:
        for name in ("run", "state", "mail", "home"):
            (root / name).mkdir()
        for name in ("mail", "home"):
            shutil.chown(root / name, "nobody", "nogroup")
        lines = [f"{name}:{{PLAIN}}{password}\n" for name, password in [*USERS, UTF8_USER]]
        (root / "users").write_text("".join(lines), encoding="utf-8")
        ca = trustme.CA()
        cert = ca.issue_cert(HOST)
        cert.private_key_pem.write_to_path(str(root / "key.pem"))
        cert.cert_chain_pems[0].write_to_path(str(root / "cert.pem"))
        ca.cert_pem.write_to_path(str(root / "ca.pem"))
        tokens: dict[str, str] = {}
        with _introspection(tokens) as url:
            yield from _start(root, url, tokens)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _start(root: Path, url: str, tokens: dict[str, str]) -> Iterator[Dovecot]:
    for _attempt in range(3):  # a free port may be taken between choosing and binding it
        imap, imaps = _free_port(), _free_port()
        config, oauth2 = _config(root, imap, imaps, url)
        (root / "dovecot.conf").write_text(config)
        (root / "oauth2.conf").write_text(oauth2)
        with (root / "stdout.log").open("wb") as out:
            process = subprocess.Popen(
                [DOVECOT or "dovecot", "-c", str(root / "dovecot.conf"), "-F"],
                stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "LANG": "C"},
            )  # fmt: skip
        deadline = time.monotonic() + 15
        if _wait_for(imap, process, deadline) and _wait_for(imaps, process, deadline):
            break
        process.terminate()
        process.wait(10)
    else:
        log = (root / "stdout.log").read_text(errors="replace")
        raise RuntimeError(f"Dovecot did not start:\n{log}")
    try:
        yield Dovecot(imap, imaps, root, root / "ca.pem", tokens)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
