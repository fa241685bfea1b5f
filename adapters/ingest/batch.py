"""Group commit: the frames one turn of the event loop read, from every connection, answered together.

Each frame is read and mapped, all of them are stored in ONE transaction and committed, and only
then does each get its ACK. With one busy sender a batch is one frame; with sixteen, one commit
serves many, which is where a durable listener's time goes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from bedside_adapters.ingest.pipeline import IngestPipeline, IngestResult, Prepared
from bedside_adapters.ingest.read_ahead import ReadAhead
from bedside_adapters.ingest.sender_bindings import SenderBindings, secured
from bedside_adapters.mllp.framing import Frame, Oversize
from bedside_adapters.mllp.server import Inbound, Received
from bedside_adapters.mllp.tls_identity import TlsPeer

log = logging.getLogger(__name__)


class GroupCommit:
    def __init__(
        self,
        pipeline: IngestPipeline,
        max_frame: int,
        on_committed: Callable[[list[IngestResult]], None] | None = None,
        read_ahead: ReadAhead | None = None,
    ) -> None:
        self._pipeline = pipeline
        self._max_frame = max_frame
        self._on_committed = on_committed
        self._read_ahead = read_ahead
        self.senders: SenderBindings | None = None
        """The senders each client certificate may speak for (None: TLS messages are not checked)."""

    def __call__(self, batch: list[Inbound]) -> list[bytes]:
        return [r.ack for r in self.answer(batch)]

    def answer(self, batch: list[Inbound]) -> list[IngestResult]:
        prepared = [self._secured(self._prepare(event, peer), peer) for event, peer in batch]
        ready = [p for p in prepared if p is not None]
        stored = iter(self._pipeline.commit_many(ready)) if ready else iter(())
        # A frame that could not even be quarantined (a bug) still gets an answer: AE with ERR 207.
        results = [next(stored) if p is not None else self._pipeline.internal_error() for p in prepared]
        if self._on_committed is not None:
            try:  # the rule engine hears of the commit; it never delays or fails an ACK
                self._on_committed(results)
            except Exception:
                log.exception("notifying the rule engine failed")
        return results

    def _secured(self, prepared: Prepared | None, peer: str) -> Prepared | None:
        """Over TLS: the certificate's subject kept with the message, and its sender checked."""
        if prepared is None or not isinstance(peer, TlsPeer):
            return prepared
        return secured(prepared, peer.identity, self.senders)

    def _prepare(self, event: Received, peer: str) -> Prepared | None:
        raw = event.payload if isinstance(event, Frame) else event.head
        if self._read_ahead is not None:
            done = self._read_ahead.take(event)
            if done is not None:
                return done
        try:
            if isinstance(event, Frame):
                return self._pipeline.prepare(raw, peer)
            if isinstance(event, Oversize):
                return self._pipeline.prepare_oversize(raw, event.size, self._max_frame, peer)
            return self._pipeline.prepare_unterminated(raw, event.size, peer)
        except Exception as exc:  # a bug in reading: keep the bytes, never leave a sender unanswered
            log.exception("reading a frame from %s failed; it is kept in quarantine", peer)
            try:
                return self._pipeline.prepare_unreadable(raw, peer, exc)
            except Exception:
                log.exception("quarantining it failed too")
                return None
