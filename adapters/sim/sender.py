"""Sending a simulated feed: one persistent MLLP connection, re-opened when the listener restarts."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from bedside_adapters.mllp.client import MllpClient, MllpError, ack_fields

log = logging.getLogger(__name__)


class FeedSender:
    def __init__(
        self, host: str, port: int, stop: threading.Event, on_ack: Callable[[str, str], None] | None = None
    ) -> None:
        self._address = (host, port)
        self._stop = stop
        self._on_ack = on_ack
        self._client: MllpClient | None = None

    def send(self, text: str) -> bool:
        """Send until answered (retrying every 2 s while the listener is away) or stopped; True
        when the answer was AA/CA."""
        while not self._stop.is_set():
            try:
                if self._client is None:
                    self._client = MllpClient(*self._address, timeout=15).connect()
                code, control = ack_fields(self._client.send(text))
            except (OSError, MllpError) as exc:
                log.warning("simulated feed: %s; retrying in 2 s", exc)
                self.close()
                self._stop.wait(2.0)
                continue
            if self._on_ack:
                self._on_ack(code, control)
            if code not in ("AA", "CA"):
                log.error("simulated feed: message %s answered %s", control, code)
            return code in ("AA", "CA")
        return False

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
