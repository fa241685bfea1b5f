"""One sender's MLLP connection as an asyncio protocol: frames out of its bytes, replies back in
order, and its reading paused while too many of its frames wait for their answers.

What it needs from the listener that owns it (admission, the batch queue, the buffer budget, the
counters) is the `ConnectionOwner` protocol, which `bedside_adapters.mllp.server.MllpServer` is.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

from bedside_adapters.mllp.framing import Frame, Garbage, MllpDecoder, Oversize, Unterminated, frame
from bedside_adapters.mllp.listener_stats import ListenerStats
from bedside_adapters.mllp.tls_identity import peer_of

# Logged under the listener's name: a site's logging settings for the listener cover its connections.
log = logging.getLogger("bedside_adapters.mllp.server")

Received = Frame | Oversize | Unterminated
"""What the batch handler stores: a frame, a refused oversize frame, or an unfinished frame."""
PAUSE_AT = 64
"""A connection with this many frames waiting (a sender pipelining without reading its ACKs) is not
read from until it is under RESUME_AT again: memory stays bounded whatever a sender does."""
RESUME_AT = 16


class ConnectionOwner(Protocol):
    """The listener as its connections see it."""

    max_frame: int
    closing: bool
    stats: ListenerStats

    def now(self) -> float: ...
    def refusal(self, host: str) -> str | None: ...
    def refused(self, host: str, reason: str) -> None: ...
    def opened(self, conn: Connection) -> None: ...
    def closed(self, conn: Connection) -> None: ...
    def enqueue(self, conn: Connection, event: Received) -> None: ...
    def account(self, conn: Connection) -> None: ...
    def release(self, conn: Connection) -> None: ...


class Connection(asyncio.Protocol):
    """One sender's connection: frames out of its bytes, replies back in order."""

    def __init__(self, server: ConnectionOwner) -> None:
        self._server = server
        self.transport: asyncio.Transport | None = None
        self.peer = "?"
        self.host = "?"
        self.decoder = MllpDecoder(server.max_frame)
        self.held = 0
        """Bytes of an unfinished frame counted against the listener's buffer budget."""
        self.frame_started: float | None = None
        """When the unfinished frame began (the frame deadline runs from here)."""
        self.waiting = 0
        """Frames of this connection queued and not yet answered."""
        self.last_active = 0.0
        self.eof = False
        """The sender has shut down its side; ours closes after its last ACK."""
        self.open = False
        self._paused_reading = False
        self._paused_writing = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        addr = transport.get_extra_info("peername") or ("?", 0)
        self.peer = peer_of(transport)  # over TLS, it carries the client certificate's identity
        self.last_active = self._server.now()
        self.host = str(addr[0])
        refusal = self._server.refusal(self.host)
        if refusal:
            self._server.refused(self.host, refusal)
            transport.close()
            return
        self.open = True
        self._server.opened(self)

    def data_received(self, data: bytes) -> None:
        if not self.open or self.transport is None or self.transport.is_closing():
            return
        stats = self._server.stats
        framed = False
        for event in self.decoder.feed(data):
            if isinstance(event, Garbage):
                stats.garbage_bytes += len(event.data)
                log.warning(
                    "skipped %d bytes outside any MLLP frame from %s: %r",
                    len(event.data),
                    self.peer,
                    event.data[:40],
                )
                continue
            if isinstance(event, Frame):
                stats.frames += 1
            elif isinstance(event, Oversize):
                stats.oversize_frames += 1
            else:
                stats.unterminated_frames += 1
                log.warning(
                    "%s began a new frame before ending the last one: its %d bytes are kept as unterminated",
                    self.peer,
                    event.size,
                )
            framed = True
            self.waiting += 1
            self._server.enqueue(self, event)
        self._progress(framed)
        if self.waiting >= PAUSE_AT:
            self.pause()

    def _progress(self, framed: bool) -> None:
        """After a read: the idle clock, the frame deadline's clock and the buffer budget. Bytes
        outside any frame (line ends, garbage) keep neither clock going: a sender trickling them
        is idle, and one trickling a frame is held to the deadline from the frame's first byte."""
        now = self._server.now()
        pending = self.decoder.pending
        if framed or pending:
            self.last_active = now
        if not pending:
            self.frame_started = None
        elif framed or self.frame_started is None:
            self.frame_started = now  # a new frame began in this read
        self._server.account(self)

    def eof_received(self) -> bool | None:
        if self.decoder.pending:
            log.warning("%s closed the connection inside a frame (%d bytes)", self.peer, self.decoder.pending)
        tls = self.transport is not None and self.transport.get_extra_info("sslcontext") is not None
        if self.waiting and not self._server.closing and not tls:
            # A sender that sent its frames and then shut down its side still waits for the ACKs:
            # keep our side open until the last one is written (plain TCP; TLS cannot half-close).
            self.eof = True
            return True
        return False  # close our side too (after the replies already written have gone out)

    def connection_lost(self, exc: Exception | None) -> None:
        if exc is not None:
            log.info("connection from %s lost: %s", self.peer, exc)
        self._server.release(self)
        if self.open:
            self.open = False
            self._server.closed(self)

    def pause_writing(self) -> None:
        # The sender does not read its ACKs: stop reading its frames until it does.
        self._paused_writing = True
        self.pause()

    def resume_writing(self) -> None:
        self._paused_writing = False
        self.maybe_resume()

    def reply(self, payload: bytes, send: bool = True) -> None:
        self.waiting -= 1
        if send and self.transport is not None and not self.transport.is_closing():
            self.transport.write(frame(payload))
        # A connection whose frame was being stored when the connection went still had it stored;
        # its answer has nowhere to go and the sender will resend it (and get the stored ACK).

    def maybe_resume(self) -> None:
        if not self._paused_reading or self.waiting >= RESUME_AT or self._paused_writing:
            return
        if self.transport is not None and not self.transport.is_closing() and not self._server.closing:
            self.transport.resume_reading()
            self._paused_reading = False
            if self.frame_started is not None:  # the time it was not read is not the sender's
                self.frame_started = self._server.now()

    def cut(self) -> None:
        """Close now, dropping the unfinished frame (its bytes were never answered: the sender
        resends). Replies already written still go out."""
        self._server.release(self)
        if self.transport is not None:
            self.transport.close()

    @property
    def paused(self) -> bool:
        return self._paused_reading

    @property
    def busy(self) -> bool:
        """A frame in progress or an answer pending: never closed to make room."""
        return self.waiting > 0 or self.decoder.pending > 0

    def pause(self) -> None:
        if not self._paused_reading and self.transport is not None and not self.transport.is_closing():
            self.transport.pause_reading()
            self._paused_reading = True
