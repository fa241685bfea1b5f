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
from typing import Protocol

from bedside_adapters.mllp.connection import Connection, Received
from bedside_adapters.mllp.framing import (
    DEFAULT_MAX_FRAME,
    Unterminated,
)
from bedside_adapters.mllp.limits import ConnectionLimits, idle_to_replace, largest_holder
from bedside_adapters.mllp.listener_stats import ListenerStats
from bedside_adapters.mllp.refusals import RefusalLog
from bedside_adapters.mllp.tls_identity import TlsAcceptor

log = logging.getLogger(__name__)

Inbound = tuple[Received, str]
"""One of those and the peer it came from."""


class Gate(Protocol):
    """Optional: work done on frames between their arrival and their batch (the ingest service's
    read-ahead). A frame joins a batch only once the gate says it is ready; batches stay prefixes
    of the arrival order, so every connection's replies stay in order."""

    def on_ready(self, wake: Callable[[], None]) -> None: ...
    def arrived(self, event: Received, peer: str) -> None: ...
    def turn(self) -> None: ...
    def ready(self, event: Received) -> bool: ...


BatchHandler = Callable[[list[Inbound]], list[bytes]]
"""Frames in arrival order → one reply payload (unframed) each, in the same order. Called on the
event loop; it returns only once what it answers is stored. Must not raise: errors are replies.
The reply to an unfinished frame is stored with it but never sent: the sender never ended that
frame, so an answer would pair with its next frame and shift every later ACK by one."""

MAX_BATCH = 64
"""Frames answered by one handler call (one commit): bounds the time the loop does not read."""


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


class MllpServer:
    def __init__(
        self,
        on_batch: BatchHandler,
        max_frame: int = DEFAULT_MAX_FRAME,
        idle_timeout: float = 600.0,
        max_connections: int = 256,
        allow: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = (),
        gate: Gate | None = None,
        limits: ConnectionLimits | None = None,
    ) -> None:
        self._on_batch = on_batch
        self._gate = gate
        if gate is not None:
            gate.on_ready(self.wake)
        self.max_frame = max_frame
        self._idle_timeout = idle_timeout
        self._max_connections = max_connections
        self._allow = allow
        self.limits = limits or ConnectionLimits()
        self._per_host: dict[str, int] = {}
        self._refusals = RefusalLog(log, self.now)
        self._cuts = RefusalLog(log, self.now, what="frame")
        self._servers: list[asyncio.Server] = []
        self._tls = TlsAcceptor()
        self._connections: set[Connection] = set()
        self._queue: list[tuple[Connection, Received]] = []
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
        factory = lambda: Connection(self)  # noqa: E731
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
        if self._allow and not _allowed(host, self._allow):
            return "address not in the allow-list"
        per_address = self.limits.per_address
        if per_address and self._per_host.get(host, 0) >= per_address:
            return f"limit of {per_address} connections per address reached"
        if len(self._connections) >= self._max_connections and not self._make_room(host):
            return "connection limit reached"
        return None

    def _make_room(self, host: str) -> bool:
        """At the total limit: room for a sender holding few, in place of an idle connection."""
        victim = idle_to_replace(self._connections, self._per_host, host)
        if victim is None:
            return False
        self.stats.made_room += 1
        log.info("closing the idle connection from %s to make room for %s", victim.peer, host)
        self._refusals.refused(
            victim.host,
            f"its longest-idle connection closed at the total limit of {self._max_connections} "
            "for another address",
        )
        victim.open = False
        self.closed(victim)
        victim.cut()
        return True

    def refused(self, host: str, reason: str) -> None:
        self.stats.refused += 1
        if reason.endswith("per address reached"):
            self.stats.refused_per_address += 1
        self._refusals.refused(host, reason)

    def opened(self, conn: Connection) -> None:
        self._connections.add(conn)
        self._per_host[conn.host] = self._per_host.get(conn.host, 0) + 1
        self.stats.connections_total += 1
        self.stats.open_connections.add(conn.peer)

    def closed(self, conn: Connection) -> None:
        self._connections.discard(conn)
        left = self._per_host.get(conn.host, 0) - 1
        if left > 0:
            self._per_host[conn.host] = left
        else:
            self._per_host.pop(conn.host, None)
        self.stats.open_connections.discard(conn.peer)
        if self._all_closed is not None and not self._connections:
            self._all_closed.set()

    def enqueue(self, conn: Connection, event: Received) -> None:
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
        for (conn, event), reply in zip(batch, replies, strict=True):
            conn.reply(reply, send=not isinstance(event, Unterminated))
        for conn in {c for c, _ in batch}:
            if (self.closing or conn.eof) and conn.waiting == 0 and conn.transport is not None:
                conn.transport.close()  # after the replies just written have gone out
            else:
                conn.maybe_resume()

    def account(self, conn: Connection) -> None:
        """Count a connection's unfinished frame against the buffer budget; over it, close the
        connections of the address holding the most until under it again."""
        held = conn.decoder.held
        stats = self.stats
        stats.buffered += held - conn.held
        conn.held = held
        budget = self.limits.buffer_budget
        while budget and stats.buffered > budget:
            hog = largest_holder(self._connections)
            if hog is None:
                break
            stats.budget_closed += 1
            log.info(
                "closing the connection from %s: its unfinished frame of %d bytes took the frames being "
                "received to %d bytes, over the buffer budget",
                hog.peer,
                hog.held,
                stats.buffered,
            )
            self._cuts.refused(hog.host, f"unfinished frames over the buffer budget of {budget} bytes")
            hog.cut()
        # After each read: a read's own bytes (at most what one socket read returns) come on top.
        stats.buffered_peak = max(stats.buffered_peak, stats.buffered)

    def release(self, conn: Connection) -> None:
        """A connection's unfinished frame is dropped (it is being closed): its bytes leave the budget."""
        conn.decoder.discard()
        self.stats.buffered -= conn.held
        conn.held = 0

    def _sweep_interval(self) -> float:
        shortest = min(self._idle_timeout, self.limits.frame_deadline or self._idle_timeout)
        return min(1.0, max(0.05, shortest / 4))

    def _sweep(self) -> None:
        """Close connections silent for the idle timeout, and those that did not finish a frame
        within the frame deadline (none with frames still being answered, none we stopped
        reading). Sum up the refusals held for a minute."""
        now = self.now()
        deadline = self.limits.frame_deadline
        for conn in list(self._connections):
            started = conn.frame_started
            if (
                deadline
                and started is not None
                and conn.waiting == 0
                and not conn.paused
                and now - started >= deadline
            ):
                self.stats.deadline_closed += 1
                log.info(
                    "closing the connection from %s: a frame not finished within the frame deadline "
                    "(%d bytes received)",
                    conn.peer,
                    conn.decoder.pending,
                )
                self._cuts.refused(conn.host, f"frame not finished within the deadline of {deadline:g} s")
                conn.cut()
                continue
            if conn.waiting == 0 and now - conn.last_active >= self._idle_timeout:
                self.stats.idle_closed += 1
                log.info(
                    "closing idle connection from %s (%d bytes of an unfinished frame dropped)",
                    conn.peer,
                    conn.decoder.pending,
                )
                if conn.transport is not None:
                    conn.transport.close()
        self._refusals.tick()
        self._cuts.tick()
        self._tls.refusals.tick()  # refused handshakes summed up on the minute too, not at the next one
        if not self.closing:
            self._sweeper = asyncio.get_running_loop().call_later(self._sweep_interval(), self._sweep)

    async def close(self, grace: float = 10.0) -> None:
        """Stop accepting and reading; answer the frames already read (their ACKs go out); close."""
        self.closing = True
        if self._sweeper is not None:
            self._sweeper.cancel()
        self._refusals.flush()
        self._cuts.flush()
        for server in self._servers:
            server.close()
        self._tls.close()
        await self._tls.wait_closed()
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
