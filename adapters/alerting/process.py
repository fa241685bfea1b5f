"""The rule engine in a child process of the ingest service.

Rule evaluation is CPU work in Python; in the ingest process it would share one interpreter lock with
the listener and the database writer and slow both, evaluations many times over and ingest by half.
In its own process it costs ingest almost nothing. The ingest service hands it (patient, latest
observation time) per committed message through a pipe, gathered over a few milliseconds of commits;
the child coalesces them and evaluates (`bedside_adapters.alerting.notices`). It exits when the pipe
says so, or when its parent has gone (SIGKILL leaves no orphan).

The pipe is written by the ingest thread itself, non-blocking, one record of at most PIPE_BUF bytes
per write (so a write is whole or refused, never torn). A multiprocessing.Queue's feeder thread woke
for every commit and fought the listener for the interpreter lock, slowing ingest by a fifth. When
the child is slow and the pipe full, notices wait in memory, merged per patient, and go with the next
write or the next second's flush: never lost, never blocking ingest.
"""

from __future__ import annotations

import json
import logging
import multiprocessing as mp
import os
import sys
import threading
import time
from typing import TYPE_CHECKING, Any

from bedside_adapters.alerting.notices import (
    MinuteCloses,
    Pending,
    Whose,
    add_notice,
    parse_whose,
    whose_text,
)

if TYPE_CHECKING:
    from bedside_adapters.alerting.outbound import AlarmManagerLink

log = logging.getLogger("bedside.alerting")
RESTART_EVERY = 10.0
"""Seconds between restarts of a child that keeps dying (a broken rule file must not spawn per message)."""
RECORD_MAX = 3800
"""Bytes of one notice record: under PIPE_BUF (4096 on Linux) with multiprocessing's 4-byte header."""
STOP = b"stop"


def _child(
    url: str,
    rules_file: str | None,
    instance: str,
    inbox: Any,
    parent: int,
    level: int,
    alarm_manager: AlarmManagerLink | None,
    workers: int = 0,
) -> None:
    from pathlib import Path

    from bedside_adapters.alerting.runner import AlertingRunner
    from bedside_adapters.alerting.service import AlertingService
    from bedside_adapters.db.engine import make_engine

    from bedside.rules.ruleset import RuleSet

    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # The thread reading notices must get the interpreter within a millisecond of their arrival,
    # not after the evaluating thread's default slice: triage can only put a reacting bed first
    # if its notice is already queued when the next patient is picked.
    sys.setswitchinterval(0.0005)
    engine = make_engine(url)
    rules = RuleSet.load(Path(rules_file) if rules_file else None)
    service = AlertingService(engine, rules)
    if alarm_manager is not None:
        service.forwarder = alarm_manager.forwarder(engine)
        service.forwarder.start()
    runner = AlertingRunner(service, instance)
    if workers > 0:
        from bedside_adapters.alerting.pool import EvaluationPool

        runner.pool = EvaluationPool(url, rules_file, workers, runner.wake)
    runner.start()
    try:
        while True:
            try:
                if not inbox.poll(1.0):
                    if os.getppid() != parent:
                        log.warning("ingest process gone: alerting stops")
                        return
                    continue
                record = inbox.recv_bytes()
            except (EOFError, OSError):
                log.warning("ingest process closed the notice pipe: alerting stops")
                return
            if record == STOP:
                return
            committed_at, arrived = json.loads(record)
            runner.notify([(parse_whose(p), o) for p, o in arrived], committed_at)
    finally:
        runner.stop()
        if runner.pool is not None:
            runner.pool.stop()
        if service.forwarder is not None:
            service.forwarder.stop()
        engine.dispose()


class AlertingProcess:
    """The child's handle in the ingest process. A child that died is started again (and logged): a
    stalled engine also shows on every screen through its heartbeat, but it should not stay stalled."""

    def __init__(
        self,
        url: str,
        rules_file: str | None,
        instance: str,
        alarm_manager: AlarmManagerLink | None = None,
        workers: int = 0,
    ) -> None:
        self._ctx = mp.get_context("spawn")  # no fork of a process holding sockets, threads and a database
        self._args = (url, rules_file, instance)
        self._alarm_manager = alarm_manager
        self._workers = workers
        self._lock = threading.Lock()  # notify() and flush() may come from different threads
        self._backlog: dict[Whose, Pending] = {}
        self._inbox, self._outbox = self._ctx.Pipe(duplex=False)
        os.set_blocking(self._outbox.fileno(), False)
        self._proc = self._new()
        self.restarts = 0
        self._restarted = 0.0
        self._checked = 0.0
        self._minutes = MinuteCloses()
        self.skipped = 0
        """Device-value notices not sent because the engine would not act on them (same minute)."""
        self.deferred = 0
        """Notices that found the pipe full and waited for a later write (for the log and tests)."""

    def _new(self):  # type: ignore[no-untyped-def]
        url, rules_file, instance = self._args
        level = logging.getLogger().getEffectiveLevel()
        return self._ctx.Process(
            target=_child,
            args=(
                url,
                rules_file,
                instance,
                self._inbox,
                os.getpid(),
                level,
                self._alarm_manager,
                self._workers,
            ),
            name="bedside-alerting",
            # Not a daemon: it starts evaluation workers of its own, which daemons may not. It still
            # never outlives ingest: stop() ends it, and it exits when its parent is gone.
            daemon=False,
        )

    def start(self) -> None:
        self._proc.start()

    def _check_alive(self) -> None:
        now = time.monotonic()
        if now - self._checked < 1.0:
            return
        self._checked = now
        if not self._proc.is_alive() and now - self._restarted >= RESTART_EVERY:
            log.error("the alerting process exited with code %s: starting it again", self._proc.exitcode)
            self.restarts += 1
            self._restarted = now
            self._proc = self._new()
            self._proc.start()

    def notify(
        self, arrived: list[tuple[Whose, float | None]], committed_at: float, send: bool = True
    ) -> None:
        """After a commit, with whose data arrived (made text only for the pipe, by `whose_text`, and
        read back by `parse_whose` in the child); never blocks. With `send` False the notices wait
        for flush(): the ingest service sends what a few milliseconds of commits brought in one
        write, since a write per commit woke the child for every message."""
        self._check_alive()
        with self._lock:
            for whose, observed in arrived:
                if self._same_minute(whose, observed, committed_at):
                    self.skipped += 1
                    continue
                add_notice(self._backlog, whose, observed, committed_at)
            if send:
                self._send()

    def _same_minute(self, whose: Whose, observed: float | None, now: float) -> bool:
        """True for device values that close no minute (the runner's own rule): the engine would
        not act on them, so such a notice would only wake the child to do nothing. Saves the
        child's wake-ups that competed with ingest for the two cores."""
        if whose is None or observed is None:
            return False
        return not self._minutes.closes(whose, observed, now)

    def flush(self) -> None:
        """Send what a full pipe held back (the ingest service calls this every second)."""
        self._check_alive()
        with self._lock:
            self._send()

    def _send(self) -> None:
        """Write the backlog as records of whole notices; stop at the first refused write."""
        while self._backlog:
            committed_at = min(v[0] for v in self._backlog.values())
            items: list[list[Any]] = []
            sent: list[Whose] = []
            size = 40
            for whose, (_first, latest, other) in self._backlog.items():
                text = whose_text(whose)
                entries = ([[text, None]] if other else []) + ([[text, latest]] if latest is not None else [])
                size += sum(len(json.dumps(e)) + 2 for e in entries)
                if items and size > RECORD_MAX:
                    break
                items.extend(entries)
                sent.append(whose)
            record = json.dumps([committed_at, items]).encode()
            try:
                self._outbox.send_bytes(record)
            except BlockingIOError:
                self.deferred += 1
                return
            except OSError:  # the child is gone; the restart check brings a new one
                return
            for whose in sent:
                self._backlog.pop(whose, None)

    def stop(self) -> None:
        with self._lock:
            self._backlog.clear()
        try:
            self._outbox.send_bytes(STOP)
            self._proc.join(timeout=30)
        except OSError:  # a full pipe (a stuck child) or a dead one: no polite way to stop it
            self._proc.join(timeout=1)
        if self._proc.is_alive():
            self._proc.terminate()
            self._proc.join(timeout=5)
        self._outbox.close()
        self._inbox.close()
