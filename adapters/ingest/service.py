"""The ingest composition root: database, pipeline, listeners, heartbeat. Built once per process."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
import socket
import uuid
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path

from bedside_adapters.alerting.outbound import AlarmManagerLink
from bedside_adapters.alerting.pool import default_workers
from bedside_adapters.alerting.process import AlertingProcess
from bedside_adapters.alerting.runner import AlertingRunner
from bedside_adapters.alerting.service import AlertingService
from bedside_adapters.db.checkpointer import WalCheckpointer
from bedside_adapters.db.compaction import compact, prune
from bedside_adapters.db.engine import Engine
from bedside_adapters.db.ingest_heartbeat import write_heartbeat
from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.db.raw_retention import prune_raw
from bedside_adapters.db.raw_training import RawTrainer
from bedside_adapters.ingest.batch import GroupCommit
from bedside_adapters.ingest.diagnosis import diagnose_quarantine
from bedside_adapters.ingest.pipeline import IngestPipeline, IngestResult
from bedside_adapters.ingest.read_ahead import ReadAhead, reader_settings
from bedside_adapters.ingest.sender_bindings import SenderBindings
from bedside_adapters.mllp.framing import DEFAULT_MAX_FRAME
from bedside_adapters.mllp.limits import ConnectionLimits
from bedside_adapters.mllp.server import MllpServer, server_tls_context

from bedside.clock import Clock, system_clock, to_ms
from bedside.clock_window import ClockWindow
from bedside.labs import LabCatalog
from bedside.parameters import ParameterCatalog
from bedside.rules.ruleset import RuleSet

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 5.0
TICK_SECONDS = 1.0
PRUNE_EVERY_SECONDS = 3600.0
NOTICE_DELAY = 0.005
"""Seconds the rule engine's notices of commits gather before one write to its process: a small
part of the alert latency target (100 ms), and one wake-up of that process for many commits."""


DEFAULT_CLOCK_WINDOW = ClockWindow()
"""24 h ahead of the receive time, a year behind (`bedside-ingest --clock-ahead/--clock-behind`)."""


@dataclass(frozen=True)
class IngestSettings:
    listen: tuple[tuple[str, int], ...] = (("127.0.0.1", 2575),)
    tls_listen: tuple[tuple[str, int], ...] = ()
    tls_cert: str | None = None
    tls_key: str | None = None
    tls_client_ca: str | None = None
    """With a CA file, TLS clients must present a certificate it signed."""
    tls_senders: str | None = None
    """A TOML file binding client certificates to the senders they may speak for
    (adapters/ingest/sender_bindings.py); needs tls_client_ca."""
    allow: tuple[str, ...] = ()
    """Sender addresses or networks (CIDR) allowed to connect; empty: any."""
    sender_codecs: tuple[tuple[str, str], ...] = ()
    lab_codes: str | None = None
    """A TOML file of per-sender local lab codes → LOINC (see resources/labs.toml)."""
    """(MSH-3.1, codec) pairs: the charset of senders that omit or misstate MSH-18."""
    max_frame: int = DEFAULT_MAX_FRAME
    idle_timeout: float = 600.0
    max_connections: int = 256
    limits: ConnectionLimits = field(default_factory=ConnectionLimits)
    """Per-address connections, the frame deadline and the buffer budget (adapters/mllp/limits.py)."""
    sender_zone: tzinfo | None = None
    fallback_codec: str = "utf-8"
    compact_every: float = 10.0
    """Seconds between compactions of observation rows into hour chunks."""
    retention_days: float | None = None
    """Drop numeric chunks older than this (None: keep everything). Never messages or the safety log."""
    raw_retention_days: float | None = None
    """Drop the received bytes of vital-sign frames older than this (None: keep them all), apart from
    the numerics' retention. Quarantined frames and those of labs, ADT, pumps and alarms are kept."""
    alerting: str = "thread"
    """Where the infusion-reaction rules run after each commit: "process" (a child process:
    what `bedside-ingest` uses), "thread" (in this process: tests), or "off"."""
    alarm_manager: AlarmManagerLink | None = None
    """Also send each alert raised or resolved to this alarm manager as IHE PCD-04 (optional)."""
    rules_file: str | None = None
    """A rule set other than the shipped resources/rules/infusion-reaction.toml."""
    alerting_workers: int | None = None
    """Processes that read data and evaluate rules in parallel for the alerting process (None: two
    from four cores up, else none; 0: evaluate in the alerting process itself)."""
    read_ahead: bool = False
    """Read and map frames in a second process while the listener stores (adapters/ingest/
    read_ahead.py). `bedside-ingest --read-ahead auto` decides by cores and alerting (main.py)."""
    clock_window: ClockWindow | None = DEFAULT_CLOCK_WINDOW
    """Messages setting a time further than this from their receive time are quarantined as clock
    faults (None: every time is believed)."""


class IngestService:
    def __init__(self, engine: Engine, settings: IngestSettings, clock: Clock = system_clock) -> None:
        self._engine = engine
        self._settings = settings
        self._clock = clock
        zone = settings.sender_zone
        if zone is None:
            from datetime import datetime

            zone = datetime.now().astimezone().tzinfo
        assert zone is not None
        self.pipeline = IngestPipeline(
            IngestStore(engine, hold_connection=True),
            ParameterCatalog.load(),
            clock,
            zone,
            settings.fallback_codec,
            dict(settings.sender_codecs),
            LabCatalog.load().with_local_codes(Path(settings.lab_codes)) if settings.lab_codes else None,
            settings.clock_window,
        )
        self.alerting: AlertingRunner | AlertingProcess | None = None
        rules = RuleSet.load(Path(settings.rules_file) if settings.rules_file else None)  # fail early
        if settings.alerting == "thread":
            service = AlertingService(engine, rules, clock)
            if settings.alarm_manager is not None:
                service.forwarder = settings.alarm_manager.forwarder(engine)
            self.alerting = AlertingRunner(service)
        # Frames from many connections share one commit, on the event loop: SQLite has one writer
        # anyway, and a hop to a writer thread cost more than it saved (adapters/mllp/server.py).
        self.read_ahead = (
            ReadAhead(
                reader_settings(
                    zone,
                    settings.fallback_codec,
                    dict(settings.sender_codecs),
                    settings.lab_codes,
                    settings.clock_window,
                ),
                clock,
            )
            if settings.read_ahead
            else None
        )
        self.group_commit = GroupCommit(
            self.pipeline, settings.max_frame, on_committed=self._committed, read_ahead=self.read_ahead
        )
        self.group_commit.senders = SenderBindings.for_site(settings.tls_senders, settings.tls_client_ca)
        self.server = MllpServer(
            self.group_commit,
            max_frame=settings.max_frame,
            idle_timeout=settings.idle_timeout,
            max_connections=settings.max_connections,
            limits=settings.limits,
            allow=tuple(ipaddress.ip_network(a, strict=False) for a in settings.allow),
            gate=self.read_ahead,
        )
        self._notice_timer: asyncio.TimerHandle | None = None
        self.checkpointer: WalCheckpointer | None = None
        self.raw_trainer: RawTrainer | None = None
        self._raw_after = 0
        """Where the last raw-retention walk stopped: the next one starts there."""
        self.instance = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.addresses: list[tuple[str, int]] = []
        self.tls_addresses: list[tuple[str, int]] = []
        self._started_ms = to_ms(clock())

    def _committed(self, results: list[IngestResult]) -> None:
        """Right after a commit: wake the rule engine for whose data arrived."""
        if self.alerting is None:
            return
        arrived = [
            (r.whose, r.observed_until) for r in results if r.message_id is not None and not r.duplicate
        ]
        if not arrived:
            return
        if not isinstance(self.alerting, AlertingProcess):
            self.alerting.notify(arrived, self._clock())
            return
        self.alerting.notify(arrived, self._clock(), send=False)
        if self._notice_timer is None:
            self._notice_timer = asyncio.get_running_loop().call_later(NOTICE_DELAY, self._send_notices)

    def _send_notices(self) -> None:
        self._notice_timer = None
        if isinstance(self.alerting, AlertingProcess):
            self.alerting.flush()

    async def start(self) -> list[tuple[str, int]]:
        if self._settings.alerting == "process":
            url = self._engine.url.render_as_string(hide_password=False)
            workers = self._settings.alerting_workers
            self.alerting = AlertingProcess(
                url,
                self._settings.rules_file,
                self.instance,
                self._settings.alarm_manager,
                default_workers() if workers is None else workers,
            )
        elif isinstance(self.alerting, AlertingRunner):
            self.alerting.instance = self.instance
            if self.alerting.service.forwarder is not None:
                self.alerting.service.forwarder.start()
        if self.read_ahead is not None:
            await self.read_ahead.start()
        for host, port in self._settings.listen:
            self.addresses.append(await self.server.listen(host, port))
        if self._settings.tls_listen:
            if not (self._settings.tls_cert and self._settings.tls_key):
                raise ValueError("TLS listen addresses need --tls-cert and --tls-key")
            tls = server_tls_context(
                self._settings.tls_cert, self._settings.tls_key, self._settings.tls_client_ca
            )
            for host, port in self._settings.tls_listen:
                self.tls_addresses.append(await self.server.listen(host, port, tls))
        if self._engine.dialect.name == "sqlite" and self._engine.url.database not in (None, "", ":memory:"):
            self.checkpointer = WalCheckpointer(self._engine).start()
        # Each sender's dictionary is trained on a thread of its own: never on the way to an ACK.
        self.raw_trainer = RawTrainer(self._engine, self.pipeline.store.raw, self._clock).start()
        # Alerting starts once the ports are ours: a listener that cannot bind exits at once and
        # leaves no alerting process behind. Notices of the first commits wait in its pipe.
        if self.alerting is not None:
            self.alerting.start()
        self._beat()
        return self.addresses

    def _write_heartbeat(self) -> None:
        # A TLS-only service has no plain address: its TLS ones say where it listens.
        listen = " ".join(
            [f"{h}:{p}" for h, p in self.addresses] + [f"{h}:{p}/tls" for h, p in self.tls_addresses]
        )
        write_heartbeat(
            self._engine,
            self.instance,
            socket.gethostname(),
            os.getpid(),
            listen,
            self._started_ms,
            to_ms(self._clock()),
        )

    def _beat(self) -> None:
        try:
            self._write_heartbeat()
        except Exception:  # a failing heartbeat must never stop ingest; the screen shows it as silence
            log.exception("could not write the ingest heartbeat")

    def _in_db(self, what: str, fn, *args):  # type: ignore[no-untyped-def]
        # On the event loop, between batches: this process never has two writers.
        try:
            return fn(*args)
        except Exception:  # housekeeping must never stop ingest; the next tick tries again
            log.exception("%s failed", what)
            return None

    def _compact(self) -> None:
        result = compact(self._engine, to_ms(self._clock()))
        if result.rows:
            log.debug("compacted %d rows into %d chunks", result.rows, result.chunks)

    def _prune(self) -> None:
        days = self._settings.retention_days
        if days is not None:
            removed = prune(self._engine, to_ms(self._clock() - days * 86400.0))
            if removed:
                log.info("retention: removed %d hour chunks older than %g days", removed, days)
        raw_days = self._settings.raw_retention_days
        if raw_days is not None:
            raw = prune_raw(self._engine, to_ms(self._clock() - raw_days * 86400.0), self._raw_after)
            self._raw_after = raw.after
            if raw.frames:
                log.info("raw retention: dropped %d frames older than %g days", raw.frames, raw_days)

    async def run_until(self, stop: asyncio.Event) -> None:
        """The housekeeping tick: heartbeat, compaction, retention (later: stale feeds, timed rules)."""
        loop = asyncio.get_running_loop()
        due = {
            "beat": loop.time() + HEARTBEAT_SECONDS,
            "compact": loop.time() + self._settings.compact_every,
            "prune": loop.time(),
        }
        while not stop.is_set():
            waiter = asyncio.create_task(stop.wait())
            done, _ = await asyncio.wait({waiter}, timeout=TICK_SECONDS)
            if done:
                break
            waiter.cancel()
            now = loop.time()
            if now >= due["beat"]:
                due["beat"] = now + HEARTBEAT_SECONDS
                self._beat()
            if now >= due["compact"]:
                due["compact"] = now + self._settings.compact_every
                self._in_db("compaction", self._compact)
            if isinstance(self.alerting, AlertingProcess):
                self.alerting.flush()
            self._in_db("diagnosis", diagnose_quarantine, self._engine)
            if now >= due["prune"]:
                due["prune"] = now + PRUNE_EVERY_SECONDS
                self._in_db("retention", self._prune)

    async def close(self) -> None:
        await self.server.close()
        if self.read_ahead is not None:
            await self.read_ahead.close()
        self.pipeline.store.close()
        if self.checkpointer is not None:
            self.checkpointer.stop()
        if self.raw_trainer is not None:
            self.raw_trainer.stop()
        if self._notice_timer is not None:
            self._notice_timer.cancel()
        if self.alerting is not None:
            self.alerting.stop()
            if isinstance(self.alerting, AlertingRunner) and self.alerting.service.forwarder is not None:
                self.alerting.service.forwarder.stop()
