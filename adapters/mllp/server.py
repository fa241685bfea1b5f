"""An asyncio MLLP listener: persistent connections, pipelined frames, one answer per frame, in order.

Frames from every connection gather while the event loop reads what the sockets hold; then one
synchronous call of the batch handler answers them all (the ingest service stores and commits them
in one transaction there) and the replies are written. Nothing is read while a batch is handled, so
with a handler that commits before it returns, an ACK always means "stored".

Why not a writer thread behind StreamReader/StreamWriter (what this listener once was): handing each
frame to a thread and its answer back, plus the stream and task machinery, cost more per message than
reading it, and one connection ran markedly slower that way than with the same pipeline on protocol
callbacks (`make bench`, docs/performance.md). SQLite has one writer anyway, so the thread only
bought reading ahead while a commit ran, and a sender waits for its ACK either way. What it costs:
while the database is locked by another writer (up to the busy timeout), this loop reads nothing and
accepts nobody; the kernel holds their bytes and connections meanwhile, and each waiting frame then
gets AE/CE.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from bedside_adapters.mllp.framing import DEFAULT_MAX_FRAME, Frame, Garbage, MllpDecoder, Oversize, frame
from bedside_adapters.mllp.tls_identity import TlsAcceptor, peer_of

log = logging.getLogger(__name__)

Inbound = tuple[Frame | Oversize, str]
"""A frame (or a refused oversize frame) and the peer it came from."""


class Gate(Protocol):
    """Optional: work done on frames between their arrival and their batch (the ingest service's
    read-ahead). A frame joins a batch only once the gate says it is ready; batches stay prefixes
    of the arrival order, so every connection's replies stay in order."""

    def on_ready(self, wake: Callable[[], None]) -> None: ...
    def arrived(self, event: Frame | Oversize, peer: str) -> None: ...
    def turn(self) -> None: ...
    def ready(self, event: Frame | Oversize) -> bool: ...


BatchHandler = Callable[[list[Inbound]], list[bytes]]
"""Frames in arrival order → one reply payload (unframed) each, in the same order. Called on the
event loop; it returns only once what it answers is stored. Must not raise: errors are replies."""

MAX_BATCH = 64
"""Frames answered by one handler call (one commit): bounds the time the loop does not read."""
PAUSE_AT = 64
"""A connection with this many frames waiting (a sender pipelining without reading its ACKs) is not
read from until it is under RESUME_AT again: memory stays bounded whatever a sender does."""
RESUME_AT = 16


@dataclass
class ListenerStats:
    connections_total: int = 0
    frames: int = 0
    garbage_bytes: int = 0
    oversize_frames: int = 0
    idle_closed: int = 0
    refused: int = 0
    batches: int = 0
    largest_batch: int = 0
    open_connections: set[str] = field(default_factory=set)


def _allowed(host: str, allow: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address in net for net in allow)


def server_tls_context(cert: str, key: str, client_ca: str | None = None) -> ssl.SSLContext:
    """TLS 1.2 or newer with the site's certificate; client certificates required when a CA is given."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(cert, key)
    if client_ca:
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(client_ca)
    return ctx


class _Connection(asyncio.Protocol):
    """One sender's connection: frames out of its bytes, replies back in order."""

    def __init__(self, server: MllpServer) -> None:
        self._server = server
        self.transport: asyncio.Transport | None = None
        self.peer = "?"
        self.decoder = MllpDecoder(server.max_frame)
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
        refusal = self._server.refusal(addr[0])
        if refusal:
            self._server.stats.refused += 1
            log.warning("refused a connection from %s: %s", self.peer, refusal)
            transport.close()
            return
        self.open = True
        self._server.opened(self)

    def data_received(self, data: bytes) -> None:
        if not self.open:
            return
        self.last_active = self._server.now()
        stats = self._server.stats
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
            else:
                stats.oversize_frames += 1
            self.waiting += 1
            self._server.enqueue(self, event)
        if self.waiting >= PAUSE_AT:
            self.pause()

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

    def reply(self, payload: bytes) -> None:
        self.waiting -= 1
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(frame(payload))
        # A connection whose frame was being stored when the connection went still had it stored;
        # its answer has nowhere to go and the sender will resend it (and get the stored ACK).

    def maybe_resume(self) -> None:
        if not self._paused_reading or self.waiting >= RESUME_AT or self._paused_writing:
            return
        if self.transport is not None and not self.transport.is_closing() and not self._server.closing:
            self.transport.resume_reading()
            self._paused_reading = False

    def pause(self) -> None:
        if not self._paused_reading and self.transport is not None and not self.transport.is_closing():
            self.transport.pause_reading()
            self._paused_reading = True


class MllpServer:
    def __init__(
        self,
        on_batch: BatchHandler,
        max_frame: int = DEFAULT_MAX_FRAME,
        idle_timeout: float = 600.0,
        max_connections: int = 256,
        allow: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = (),
        gate: Gate | None = None,
    ) -> None:
        self._on_batch = on_batch
        self._gate = gate
        if gate is not None:
            gate.on_ready(self.wake)
        self.max_frame = max_frame
        self._idle_timeout = idle_timeout
        self._max_connections = max_connections
        self._allow = allow
        self._servers: list[asyncio.Server] = []
        self._tls = TlsAcceptor()
        self._connections: set[_Connection] = set()
        self._queue: list[tuple[_Connection, Frame | Oversize]] = []
        self._flush_scheduled = False
        self._sweeper: asyncio.TimerHandle | None = None
        self._all_closed: asyncio.Event | None = None
        self.closing = False
        self.stats = ListenerStats()

    def now(self) -> float:
        return asyncio.get_running_loop().time()

    async def listen(self, host: str, port: int, tls: ssl.SSLContext | None = None) -> tuple[str, int]:
        """Start listening; returns the bound address (port 0 picks a free port). With `tls`, the
        port speaks MLLP inside TLS only: a plain MLLP sender fails the handshake and is closed."""
        loop = asyncio.get_running_loop()
        factory = lambda: _Connection(self)  # noqa: E731
        if tls is not None:  # the handshake is ours, so that a refused one is logged
            factory = self._tls.factory(factory, tls)
        server = await loop.create_server(factory, host, port)
        self._servers.append(server)
        if self._sweeper is None:
            self._sweeper = loop.call_later(self._sweep_interval(), self._sweep)
        sockname = server.sockets[0].getsockname()
        return sockname[0], sockname[1]

    def refusal(self, host: str) -> str | None:
        if self.closing:
            return "shutting down"
        if len(self._connections) >= self._max_connections:
            return "connection limit reached"
        if self._allow and not _allowed(host, self._allow):
            return "address not in the allow-list"
        return None

    def opened(self, conn: _Connection) -> None:
        self._connections.add(conn)
        self.stats.connections_total += 1
        self.stats.open_connections.add(conn.peer)

    def closed(self, conn: _Connection) -> None:
        self._connections.discard(conn)
        self.stats.open_connections.discard(conn.peer)
        if self._all_closed is not None and not self._connections:
            self._all_closed.set()

    def enqueue(self, conn: _Connection, event: Frame | Oversize) -> None:
        self._queue.append((conn, event))
        if self._gate is not None:
            self._gate.arrived(event, conn.peer)
        self.wake()

    def wake(self) -> None:
        if not self._flush_scheduled:
            # Answered on the loop's next turn: frames that other connections' reads bring in this
            # turn join the same batch, so sixteen busy senders share one commit.
            self._flush_scheduled = True
            asyncio.get_running_loop().call_soon(self._flush)

    def _ready_count(self) -> int:
        limit = min(len(self._queue), MAX_BATCH)
        if self._gate is None:
            return limit
        n = 0
        while n < limit and self._gate.ready(self._queue[n][1]):
            n += 1
        return n

    def _flush(self) -> None:
        self._flush_scheduled = False
        if self._gate is not None:
            self._gate.turn()
        n = self._ready_count()
        if n == 0:
            return  # the gate wakes us when the first frame is ready
        batch = self._queue[:n]
        del self._queue[:n]
        if self._ready_count():
            self.wake()
        self.stats.batches += 1
        self.stats.largest_batch = max(self.stats.largest_batch, len(batch))
        try:
            replies = self._on_batch([(event, conn.peer) for conn, event in batch])
        except Exception:  # a bug in the handler: the senders get no answer and will resend
            log.exception("answering %d frames failed; closing their connections", len(batch))
            for conn, _ in batch:
                conn.waiting -= 1
                if conn.transport is not None:
                    conn.transport.close()
            return
        for (conn, _), reply in zip(batch, replies, strict=True):
            conn.reply(reply)
        for conn in {c for c, _ in batch}:
            if (self.closing or conn.eof) and conn.waiting == 0 and conn.transport is not None:
                conn.transport.close()  # after the replies just written have gone out
            else:
                conn.maybe_resume()

    def _sweep_interval(self) -> float:
        return min(1.0, max(0.05, self._idle_timeout / 4))

    def _sweep(self) -> None:
        """Close connections silent for the idle timeout (none with frames still being answered)."""
        now = self.now()
        for conn in list(self._connections):
            if conn.waiting == 0 and now - conn.last_active >= self._idle_timeout:
                self.stats.idle_closed += 1
                log.info(
                    "closing idle connection from %s (%d bytes of an unfinished frame dropped)",
                    conn.peer,
                    conn.decoder.pending,
                )
                if conn.transport is not None:
                    conn.transport.close()
        if not self.closing:
            self._sweeper = asyncio.get_running_loop().call_later(self._sweep_interval(), self._sweep)

    async def close(self, grace: float = 10.0) -> None:
        """Stop accepting and reading; answer the frames already read (their ACKs go out); close."""
        self.closing = True
        if self._sweeper is not None:
            self._sweeper.cancel()
        for server in self._servers:
            server.close()
        self._tls.close()
        self._all_closed = asyncio.Event()
        for conn in list(self._connections):
            conn.pause()
            if conn.waiting == 0 and conn.transport is not None:
                conn.transport.close()
        if self._connections:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(grace):
                    await self._all_closed.wait()
        for conn in list(self._connections):
            if conn.transport is not None:
                conn.transport.abort()
        for server in self._servers:
            with contextlib.suppress(Exception):
                await server.wait_closed()
