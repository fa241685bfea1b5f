"""Sending a simulated feed: one persistent MLLP connection, re-opened when the listener restarts, and
moved to the next listener when several are given (two ingest services on one database)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import TextIO

from bedside_adapters.mllp.client import Address, FailoverClient, MllpError, ack_fields, asks_to_resend

log = logging.getLogger(__name__)
RETRY_SECONDS = 2.0
"""The wait before trying again when no listener answered."""
RESEND_SECONDS = 0.5
"""The wait before sending again a message answered "the database failed, resend" (ERR 207)."""
RESENDS = 60
"""Resends of one message after such answers before it is given up: ERR 207 also answers a frame
that failed inside ingest, whose resent copy is a duplicate answered the same again."""


class FeedSender:
    def __init__(
        self,
        host: str,
        port: int,
        stop: threading.Event,
        on_ack: Callable[[str, str], None] | None = None,
        also: Sequence[Address] = (),
        timeout: float = 15.0,
        ack_log: TextIO | None = None,
    ) -> None:
        """`also`: further listeners, tried in turn when the one in use refuses, closes or leaves
        a message unanswered for `timeout` s. `ack_log`: a line per ACK (control ID, code, the
        listener that answered), written as it comes, for a test to check against what was stored."""
        self._client = FailoverClient([(host, port), *also], timeout=timeout)
        self._stop = stop
        self._on_ack = on_ack
        self._ack_log = ack_log

    @property
    def failovers(self) -> int:
        return self._client.failovers

    def send(self, text: str) -> bool:
        """Send until answered (retrying every 2 s while no listener answers, and again after an
        answer asking to resend) or stopped; True when the answer was AA/CA."""
        resends = 0
        while not self._stop.is_set():
            try:
                reply = self._client.send(text)
            except MllpError as exc:
                log.warning("simulated feed: %s; retrying in %.0f s", exc, RETRY_SECONDS)
                self._stop.wait(RETRY_SECONDS)
                continue
            code, control = ack_fields(reply)
            self._log_ack(code, control)
            if asks_to_resend(reply) and resends < RESENDS:  # as a gateway does: the database was away
                log.warning(
                    "simulated feed: message %s answered %s (database failed); resending", control, code
                )
                resends += 1
                self._stop.wait(RESEND_SECONDS)
                continue
            if self._on_ack:
                self._on_ack(code, control)
            if code not in ("AA", "CA"):
                log.error("simulated feed: message %s answered %s", control, code)
            return code in ("AA", "CA")
        return False

    def _log_ack(self, code: str, control: str) -> None:
        if self._ack_log is not None:
            host, port = self._client.address
            self._ack_log.write(f"{control}\t{code}\t{host}:{port}\n")
            self._ack_log.flush()

    def close(self) -> None:
        self._client.close()
