"""Who is at the other end of an MLLP-over-TLS connection, and the handshakes that were refused.

The listener names every connection by its address ("host:port"). A TLS connection whose client
presented a certificate is named the same way, by a `TlsPeer`: the same text, carrying what the
certificate proved (its subject, its common names and DNS names). Everything that reads the peer as
text keeps working; ingest checks the carried identity against the senders the certificate may
speak for (bedside_adapters.ingest.sender_bindings) and stores its subject with the message.

asyncio's own TLS server reports a failed handshake only in debug mode, and never to the protocol:
a sender with an expired or foreign certificate would be turned away without a trace. So a TLS
port accepts plain TCP and runs the handshake itself (`loop.start_tls`), logging a refusal once
per address per minute (the listener's RefusalLog: a sender retrying every second must not flood
the log).
"""

from __future__ import annotations

import asyncio
import logging
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bedside_adapters.mllp.refusals import RefusalLog

log = logging.getLogger(__name__)

HANDSHAKE_TIMEOUT = 10.0
"""Seconds a client has to finish the TLS handshake."""

_SHORT_NAMES = {
    "commonName": "CN",
    "organizationName": "O",
    "organizationalUnitName": "OU",
    "countryName": "C",
    "stateOrProvinceName": "ST",
    "localityName": "L",
    "domainComponent": "DC",
    "serialNumber": "serialNumber",
    "emailAddress": "emailAddress",
}


@dataclass(frozen=True, slots=True)
class CertificateIdentity:
    """What a verified client certificate says about its holder."""

    subject: str
    """The subject as one line, most specific first: `CN=monitor-gw-01,O=General Hospital`."""
    names: tuple[str, ...]
    """Its common names and DNS names (subjectAltName), lower case: what a site binds to senders."""


def identity_of(peercert: dict[str, Any] | None) -> CertificateIdentity | None:
    """The identity in `ssl.SSLSocket.getpeercert()`'s dictionary (None: no certificate)."""
    if not peercert:
        return None
    parts: list[str] = []
    names: list[str] = []
    for rdn in peercert.get("subject", ()):
        for key, value in rdn:
            parts.append(f"{_SHORT_NAMES.get(key, key)}={value}")
            if key == "commonName":
                names.append(value.lower())
    for kind, value in peercert.get("subjectAltName", ()):
        if kind == "DNS" and value.lower() not in names:
            names.append(value.lower())
    # getpeercert() lists the subject from the root of the name down (C, O, …, CN); RFC 4514 and
    # most tools print it the other way round, which is what an operator will search for.
    return CertificateIdentity(",".join(reversed(parts)), tuple(names))


class TlsPeer(str):
    """A connection's address ("host:port") that also carries its client certificate's identity."""

    identity: CertificateIdentity | None

    def __new__(cls, address: str, identity: CertificateIdentity | None) -> TlsPeer:
        peer = super().__new__(cls, address)
        peer.identity = identity
        return peer


def peer_of(transport: asyncio.BaseTransport) -> str:
    """How the listener names a connection: its address; over TLS, with the certificate's identity."""
    addr = transport.get_extra_info("peername") or ("?", 0)
    address = f"{addr[0]}:{addr[1]}"
    if transport.get_extra_info("sslcontext") is None:
        return address
    return TlsPeer(address, identity_of(transport.get_extra_info("peercert")))


def certificate_subject(peer: str) -> str | None:
    """The subject of the certificate the peer presented (None: plain TCP, or no certificate)."""
    identity = getattr(peer, "identity", None)
    return identity.subject if identity is not None else None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"certificate not accepted: {exc.verify_message or exc.reason}"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error: {exc.reason or exc}"
    if isinstance(exc, TimeoutError):
        return "the handshake did not finish in time"
    return f"{type(exc).__name__}: {exc}"


class TlsAcceptor:
    """A listener's TLS ports: handshakes in progress and the refusals' log."""

    def __init__(
        self, timeout: float = HANDSHAKE_TIMEOUT, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.timeout = timeout
        self.refusals = RefusalLog(log, clock, what="TLS handshake")
        self._clock = clock
        self._ticked = clock()
        self.pending: set[asyncio.Task[None]] = set()
        """Handshakes in progress, held: a task nobody references may be collected mid-handshake."""

    def factory(
        self, inner: Callable[[], asyncio.Protocol], context: ssl.SSLContext
    ) -> Callable[[], asyncio.Protocol]:
        """The protocol factory for a TLS port whose connections `inner` serves once secured."""
        return lambda: _TlsHandshake(self, inner, context)

    def refused(self, host: str, exc: BaseException) -> None:
        now = self._clock()
        if now - self._ticked >= 1.0:  # sum up the windows that have passed, not on every refusal
            self._ticked = now
            self.refusals.tick()
        self.refusals.refused(host, _reason(exc))

    def close(self) -> None:
        """Stop the handshakes in progress (the listener is closing); log what is held."""
        for task in list(self.pending):
            task.cancel()
        self.refusals.flush()

    async def wait_closed(self) -> None:
        """Until the handshakes stopped by `close` have ended and closed their connections."""
        if self.pending:
            await asyncio.gather(*self.pending, return_exceptions=True)


class _TlsHandshake(asyncio.Protocol):
    """The first protocol of a connection to a TLS port: runs the handshake, then hands the TLS
    transport to the listener's own protocol; a handshake that fails is logged and closed."""

    def __init__(
        self, acceptor: TlsAcceptor, inner: Callable[[], asyncio.Protocol], context: ssl.SSLContext
    ) -> None:
        self._acceptor = acceptor
        self._inner = inner
        self._context = context

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        transport.pause_reading()  # the first bytes are the client's hello: they are start_tls's
        task = asyncio.get_running_loop().create_task(self._handshake(transport))
        self._acceptor.pending.add(task)
        task.add_done_callback(self._acceptor.pending.discard)

        # A task cancelled before its first step never runs its body (nor its except clause): the
        # connection is closed here, or it stays open until the loop is gone.
        def abort_if_cancelled(done: asyncio.Task[None]) -> None:
            if done.cancelled():
                transport.abort()

        task.add_done_callback(abort_if_cancelled)

    async def _handshake(self, transport: asyncio.Transport) -> None:
        addr = transport.get_extra_info("peername") or ("?", 0)
        early = _Early()
        try:
            tls = await asyncio.get_running_loop().start_tls(
                transport,
                early,
                self._context,
                server_side=True,
                ssl_handshake_timeout=self._acceptor.timeout,
            )
        except asyncio.CancelledError:
            transport.abort()
            raise
        except Exception as exc:  # every failure is the client's: log it, close, carry on
            self._acceptor.refused(str(addr[0]), exc)
            transport.abort()
            return
        if tls is None or early.lost:  # the connection went as the handshake ended
            transport.abort()
            return
        protocol = self._inner()
        protocol.connection_made(tls)
        tls.set_protocol(protocol)
        for data in early.data:
            protocol.data_received(data)
        if early.eof:
            protocol.eof_received()  # TLS closes after a close_notify whatever this answers

    def data_received(self, data: bytes) -> None:
        pass  # reading is paused until start_tls takes the connection over

    def connection_lost(self, exc: Exception | None) -> None:
        pass  # before the handshake: start_tls reports it


class _Early(asyncio.Protocol):
    """Holds what arrives between the end of the handshake and the listener's protocol taking the
    connection over: a client may send its first frame with its last handshake message."""

    def __init__(self) -> None:
        self.data: list[bytes] = []
        self.eof = False
        self.lost = False

    def data_received(self, data: bytes) -> None:
        self.data.append(data)

    def eof_received(self) -> bool | None:
        self.eof = True
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
