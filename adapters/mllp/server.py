"""An asyncio MLLP listener: persistent connections, pipelined frames, one answer per frame.

Frames on one connection are handled strictly in order (the ACKs go back in order, and a device's
values are stored in the order it sent them). The handler is awaited before the next frame is read
from the buffer: with a handler that commits before it returns, an ACK always means "stored".
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from adapters.mllp.framing import DEFAULT_MAX_FRAME, Frame, Garbage, MllpDecoder, Oversize, frame

log = logging.getLogger(__name__)

FrameHandler = Callable[[bytes, str], Awaitable[bytes]]
"""(payload, peer) → the reply payload (unframed). Must not raise: errors become AE/AR replies."""
OversizeHandler = Callable[[Oversize, str], Awaitable[bytes]]


@dataclass(eq=False)  # identity, not value: connections live in a set
class _Connection:
    peer: str
    task: asyncio.Task[None] | None = None
    busy: bool = False


@dataclass
class ListenerStats:
    connections_total: int = 0
    frames: int = 0
    garbage_bytes: int = 0
    oversize_frames: int = 0
    idle_closed: int = 0
    refused: int = 0
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


class MllpServer:
    def __init__(
        self,
        on_frame: FrameHandler,
        on_oversize: OversizeHandler,
        max_frame: int = DEFAULT_MAX_FRAME,
        idle_timeout: float = 600.0,
        max_connections: int = 256,
        allow: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = (),
    ) -> None:
        self._on_frame = on_frame
        self._on_oversize = on_oversize
        self._max_frame = max_frame
        self._idle_timeout = idle_timeout
        self._max_connections = max_connections
        self._allow = allow
        self._servers: list[asyncio.Server] = []
        self._connections: set[_Connection] = set()
        self._closing = False
        self.stats = ListenerStats()

    async def listen(self, host: str, port: int, tls: ssl.SSLContext | None = None) -> tuple[str, int]:
        """Start listening; returns the bound address (port 0 picks a free port). With `tls`, the
        port speaks MLLP inside TLS only: a plain MLLP sender fails the handshake and is closed."""
        server = await asyncio.start_server(
            self._accept, host, port, limit=2**20, ssl=tls, ssl_handshake_timeout=10 if tls else None
        )
        self._servers.append(server)
        sockname = server.sockets[0].getsockname()
        return sockname[0], sockname[1]

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        addr = writer.get_extra_info("peername") or ("?", 0)
        conn = _Connection(peer=f"{addr[0]}:{addr[1]}", task=asyncio.current_task())
        refusal = None
        if self._closing:
            refusal = "shutting down"
        elif len(self._connections) >= self._max_connections:
            refusal = "connection limit reached"
        elif self._allow and not _allowed(addr[0], self._allow):
            refusal = "address not in the allow-list"
        if refusal:
            self.stats.refused += 1
            log.warning("refused a connection from %s: %s", conn.peer, refusal)
            writer.close()
            return
        self._connections.add(conn)
        self.stats.connections_total += 1
        self.stats.open_connections.add(conn.peer)
        try:
            await self._serve(conn, reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            log.info("connection from %s lost", conn.peer)
        except asyncio.CancelledError:
            pass  # shutdown while idle between frames
        finally:
            self._connections.discard(conn)
            self.stats.open_connections.discard(conn.peer)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _serve(
        self, conn: _Connection, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        decoder = MllpDecoder(self._max_frame)
        while not self._closing:
            try:
                # asyncio.timeout, not wait_for: wait_for wrapped every read in a new Task (issue 5).
                async with asyncio.timeout(self._idle_timeout):
                    data = await reader.read(65536)
            except TimeoutError:
                self.stats.idle_closed += 1
                log.info(
                    "closing idle connection from %s (%d bytes of an unfinished frame dropped)",
                    conn.peer,
                    decoder.pending,
                )
                return
            if not data:
                if decoder.pending:
                    log.warning(
                        "%s closed the connection inside a frame (%d bytes)", conn.peer, decoder.pending
                    )
                return
            conn.busy = True
            try:
                for event in decoder.feed(data):
                    if isinstance(event, Frame):
                        self.stats.frames += 1
                        reply = await self._on_frame(event.payload, conn.peer)
                    elif isinstance(event, Oversize):
                        self.stats.oversize_frames += 1
                        reply = await self._on_oversize(event, conn.peer)
                    else:
                        assert isinstance(event, Garbage)
                        self.stats.garbage_bytes += len(event.data)
                        log.warning(
                            "skipped %d bytes outside any MLLP frame from %s: %r",
                            len(event.data),
                            conn.peer,
                            event.data[:40],
                        )
                        continue
                    writer.write(frame(reply))
                    await writer.drain()
            finally:
                conn.busy = False

    async def close(self, grace: float = 10.0) -> None:
        """Stop accepting; let frames being handled finish and their ACKs go out; close the rest."""
        self._closing = True
        for server in self._servers:
            server.close()
        for conn in list(self._connections):
            if not conn.busy and conn.task is not None:
                conn.task.cancel()
        tasks = [c.task for c in self._connections if c.task is not None]
        if tasks:
            _done, pending = await asyncio.wait(tasks, timeout=grace)
            for task in pending:
                task.cancel()
        for server in self._servers:
            with contextlib.suppress(Exception):
                await server.wait_closed()
