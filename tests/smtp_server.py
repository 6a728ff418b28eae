"""The aiosmtpd controller the SMTP tests share: 127.0.0.1, at a port the system picks."""

from __future__ import annotations

from aiosmtpd.controller import Controller


class AnyPortController(Controller):
    """Bind port 0 and learn the port the system chose (no race with other test runs)."""

    def _trigger_server(self) -> None:
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()
