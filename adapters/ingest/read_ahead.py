"""Read-ahead: frames read and mapped in a second process while the listener stores the last batch.

On a busy listener its one thread does three things per message: read and map it, store and
commit it, and the socket work. Storing must stay on that thread (one writer, commit before ACK);
reading need not. Under load, the frames that arrived in one turn of
the event loop go to the read worker (adapters/ingest/read_worker.py) as one record, and are stored
in a later turn, when their results are back; meanwhile the listener commits the batch before. A
lone frame with nothing else in flight is read on the listener as before: one sender waiting for
its ACK gains nothing from a hop to another process and would pay its latency.

Nothing depends on the worker: the listener keeps every frame until it is answered, and a frame the
worker failed on, or every frame in flight when it died, is read on the listener instead (and a
failure there is quarantined as always). A dead worker is restarted after RESTART_AFTER seconds.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import marshal
import pickle
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo

from bedside_adapters.ingest import prepared_codec
from bedside_adapters.ingest.pipeline import Prepared
from bedside_adapters.ingest.read_worker import FAILED, READY
from bedside_adapters.mllp.framing import Frame, Oversize

from bedside.clock_window import ClockWindow

log = logging.getLogger(__name__)

RESTART_AFTER = 5.0
"""Seconds between a worker's death and the start of the next one (a crash loop stays slow)."""
START_TIMEOUT = 60.0
"""Seconds a new worker may take to load (imports, catalogues) before it is given up on."""
STALL_AFTER = 5.0
"""A worker that has not answered a batch for this long is taken for hung: it is killed and its
frames are read on the listener (reading the largest frame allowed takes well under a second)."""


@dataclass(frozen=True, slots=True)
class ReaderSettings:
    """What the worker needs to read exactly as the listener would."""

    zone: tzinfo
    fallback_codec: str
    sender_codecs: dict[str, str]
    lab_codes: str | None
    log_level: int
    clock_window: ClockWindow | None = None


@dataclass
class ReadAheadStats:
    read_ahead: int = 0
    """Frames read by the worker and used."""
    read_here: int = 0
    """Frames the listener read itself: alone in their turn, worker busy starting, or failed over."""
    worker_failures: int = 0
    """Frames the worker could not read (read here, then quarantined if reading fails here too)."""
    worker_restarts: int = 0


class _Entry:
    __slots__ = ("done", "frame", "result", "sent_at")

    def __init__(self, frame: Frame, sent_at: float) -> None:
        self.frame = frame
        self.sent_at = sent_at
        self.result: Prepared | None = None
        self.done = False


class _WorkerProtocol(asyncio.SubprocessProtocol):
    def __init__(self, owner: ReadAhead) -> None:
        self._owner = owner
        self.exited = asyncio.get_running_loop().create_future()

    def pipe_data_received(self, fd: int, data: bytes) -> None:
        if fd == 1:
            self._owner.received(data)

    def pipe_connection_lost(self, fd: int, exc: Exception | None) -> None:
        if fd == 1:
            self._owner.lost("its output closed")

    def process_exited(self) -> None:
        self._owner.lost("it exited")
        if not self.exited.done():
            self.exited.set_result(None)


class ReadAhead:
    """The listener's side: implements the server's gate (arrived, turn, ready) and hands the
    batch handler the results (take)."""

    def __init__(self, settings: ReaderSettings, clock: Callable[[], float] = time.time) -> None:
        self._settings = pickle.dumps(
            (
                settings.zone,
                settings.fallback_codec,
                settings.sender_codecs,
                settings.lab_codes,
                settings.log_level,
                settings.clock_window,
            )
        )
        self._clock = clock
        self._wake: Callable[[], None] = lambda: None
        self._transport: asyncio.SubprocessTransport | None = None
        self._protocol: _WorkerProtocol | None = None
        self._writer: asyncio.WriteTransport | None = None
        self._alive = False
        self._starting = False
        self._died_at: float | None = None
        self._tickets = itertools.count()
        self._entries: dict[int, _Entry] = {}
        """id(frame) → its entry, for frames sent to the worker and not yet taken."""
        self._by_ticket: dict[int, _Entry] = {}
        self._new: list[tuple[Frame, str, float]] = []
        self._watchdog: asyncio.TimerHandle | None = None
        self._loaded: asyncio.Future[None] | None = None
        """Pending while a new worker loads: done when it says it is ready."""
        self._buffer = bytearray()
        self.stats = ReadAheadStats()

    @property
    def alive(self) -> bool:
        return self._alive

    def on_ready(self, wake: Callable[[], None]) -> None:
        """`wake` is called when results arrive (or the worker dies): the server flushes then."""
        self._wake = wake

    async def start(self) -> None:
        """Start the worker and wait until it has loaded what it reads with: the listener then opens
        its ports with the worker ready (and a worker still importing does not compete with the
        first senders for the CPU). If it cannot start, the listener reads frames itself."""
        if self._alive or self._starting:
            return
        self._starting = True
        loop = asyncio.get_running_loop()
        transport: asyncio.SubprocessTransport | None = None
        try:
            transport, protocol = await loop.subprocess_exec(
                lambda: _WorkerProtocol(self),
                sys.executable,
                "-m",
                "bedside_adapters.ingest.read_worker",
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=None,  # its log lines go where ours go
            )
            writer = transport.get_pipe_transport(0)
            assert isinstance(writer, asyncio.WriteTransport)
            self._transport, self._protocol, self._writer = transport, protocol, writer
            self._buffer.clear()
            self._loaded = loop.create_future()
            writer.write(len(self._settings).to_bytes(4, "big") + self._settings)
            async with asyncio.timeout(START_TIMEOUT):
                await self._loaded
        except Exception as exc:
            log.error("the read-ahead process did not start (%s); the listener reads frames itself", exc)
            self._transport = self._protocol = self._writer = None
            if transport is not None:
                transport.close()
            self._died_at = self._clock()
            return
        finally:
            self._starting = False
            self._loaded = None
        self._alive = True

    @property
    def worker_pid(self) -> int | None:
        return self._transport.get_pid() if self._alive and self._transport is not None else None

    async def close(self, timeout: float = 5.0) -> None:
        """Stop the worker (its input closes; it exits). Frames in flight are read here."""
        st = self.stats
        log.info(
            "read-ahead: %d frames read ahead, %d read here, %d the worker could not read, %d restarts",
            st.read_ahead,
            st.read_here,
            st.worker_failures,
            st.worker_restarts,
        )
        self._fail_over("the listener is stopping", restart=False)
        transport, protocol = self._transport, self._protocol
        self._transport = self._protocol = None
        if transport is None or protocol is None:
            return
        if self._writer is not None:
            self._writer.close()  # end of input: the worker finishes its batch and exits
        try:
            async with asyncio.timeout(timeout):
                await asyncio.shield(protocol.exited)
        except TimeoutError:
            log.warning("the read-ahead process did not exit; killing it")
        transport.close()  # kills it if it is still running

    # The server's gate ------------------------------------------------------------------------

    def arrived(self, event: Frame | Oversize, peer: str) -> None:
        if isinstance(event, Frame):
            self._new.append((event, str(peer), self._clock()))  # plain text: it is marshalled

    def turn(self) -> None:
        """At the start of a flush: the frames that arrived since the last one go to the worker,
        unless one frame is all there is (then the listener reads it: no hop for a lone sender)."""
        new, self._new = self._new, []
        if not self._alive:
            if (
                not self._starting
                and self._died_at is not None
                and self._clock() - self._died_at >= RESTART_AFTER
            ):
                self._died_at = None
                self.stats.worker_restarts += 1
                asyncio.get_running_loop().create_task(self.start())
            return
        if not new or (len(new) == 1 and not self._by_ticket):
            return
        items = []
        loop = asyncio.get_running_loop()
        sent_at = loop.time()
        for frame, peer, received_at in new:
            entry = _Entry(frame, sent_at)
            ticket = next(self._tickets)
            self._entries[id(frame)] = entry
            self._by_ticket[ticket] = entry
            items.append((ticket, frame.payload, peer, received_at))
        record = marshal.dumps(items)
        assert self._writer is not None
        self._writer.write(len(record).to_bytes(4, "big") + record)
        if self._watchdog is None:
            self._watchdog = loop.call_later(STALL_AFTER, self._check_stall)

    def _check_stall(self) -> None:
        """Senders wait for the frames in flight: a hung worker must not hold them."""
        self._watchdog = None
        if not self._by_ticket:
            return
        loop = asyncio.get_running_loop()
        oldest = next(iter(self._by_ticket.values())).sent_at
        if loop.time() - oldest < STALL_AFTER:
            self._watchdog = loop.call_later(STALL_AFTER - (loop.time() - oldest), self._check_stall)
            return
        self.lost(f"no answer for {loop.time() - oldest:.1f} s: taken for hung and killed")

    def ready(self, event: Frame | Oversize) -> bool:
        entry = self._entries.get(id(event))
        return entry is None or entry.done

    def take(self, event: Frame | Oversize) -> Prepared | None:
        """The worker's reading of this frame, or None: read it on the listener."""
        entry = self._entries.pop(id(event), None)
        if entry is None or entry.result is None:
            self.stats.read_here += 1
            return None
        self.stats.read_ahead += 1
        return entry.result

    # The worker's side ------------------------------------------------------------------------

    def received(self, data: bytes) -> None:
        self._buffer += data
        answered = False
        while len(self._buffer) >= 4:
            size = int.from_bytes(self._buffer[:4], "big")
            if len(self._buffer) < 4 + size:
                break
            record = bytes(self._buffer[4 : 4 + size])
            del self._buffer[: 4 + size]
            answers = marshal.loads(record)
            if answers == READY:
                if self._loaded is not None and not self._loaded.done():
                    self._loaded.set_result(None)
                continue
            for ticket, kind, payload in answers:
                entry = self._by_ticket.pop(ticket, None)
                if entry is None:
                    continue
                entry.done = True
                answered = True  # done either way: with a result, or to be read on the listener
                if kind == FAILED:
                    self.stats.worker_failures += 1
                    log.warning(
                        "the read-ahead process could not read a frame (%s); reading it here", payload
                    )
                    continue
                try:
                    entry.result = prepared_codec.decode(kind, payload, entry.frame.payload)
                except Exception:  # a codec bug: read the frame here rather than lose it
                    log.exception("could not decode the read-ahead result; reading the frame here")
        if answered:
            self._wake()

    def lost(self, why: str) -> None:
        if self._loaded is not None and not self._loaded.done():
            self._loaded.set_exception(RuntimeError(why))  # died while loading: start() says so
        if not self._alive:
            return  # stopped by us, or already handled
        log.error("the read-ahead process stopped (%s); the listener reads frames itself", why)
        self._fail_over(why, restart=True)
        transport = self._transport
        self._transport = self._protocol = self._writer = None
        if transport is not None:
            transport.close()

    def _fail_over(self, why: str, restart: bool) -> None:
        self._alive = False
        if self._watchdog is not None:
            self._watchdog.cancel()
            self._watchdog = None
        self._died_at = self._clock() if restart else None
        pending = list(self._by_ticket.values())
        self._by_ticket.clear()
        for entry in pending:
            entry.done = True  # no result: read on the listener
        if pending:
            log.info(
                "%d frames in flight when the read-ahead process stopped (%s) are read here",
                len(pending),
                why,
            )
        self._wake()


def reader_settings(
    zone: tzinfo,
    fallback: str,
    codecs: dict[str, str],
    lab_codes: str | None,
    clock_window: ClockWindow | None = None,
) -> ReaderSettings:
    level = logging.getLogger().getEffectiveLevel()
    return ReaderSettings(zone, fallback, dict(codecs), lab_codes, level, clock_window)
