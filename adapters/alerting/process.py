"""The rule engine in a child process of the ingest service.

Rule evaluation is CPU work in Python; in the ingest process it would share one interpreter lock with
the listener and the database writer and slow both (measured: 250 ms per evaluation instead of 9 ms,
ingest 48 % slower). In its own process it costs ingest almost nothing. The writer thread hands it
(patient, latest observation time) per committed message through a queue; the child coalesces them
and evaluates. It exits when the queue says so, or when its parent has gone (SIGKILL leaves no orphan).
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import queue
import time
from typing import Any

log = logging.getLogger("bedside.alerting")
RESTART_EVERY = 10.0
"""Seconds between restarts of a child that keeps dying (a broken rule file must not spawn per message)."""


def _child(
    url: str,
    rules_file: str | None,
    instance: str,
    inbox: Any,
    parent: int,
    level: int,
    alarm_manager: tuple[str, int] | None,
) -> None:
    from pathlib import Path

    from adapters.alerting.runner import AlertingRunner, AlertingService
    from adapters.db.engine import make_engine
    from bedside.rules.ruleset import RuleSet

    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    engine = make_engine(url)
    rules = RuleSet.load(Path(rules_file) if rules_file else None)
    service = AlertingService(engine, rules)
    if alarm_manager is not None:
        from adapters.alerting.outbound import AlarmForwarder

        service.forwarder = AlarmForwarder(*alarm_manager)
        service.forwarder.start()
    runner = AlertingRunner(service, instance)
    runner.start()
    try:
        while True:
            try:
                item = inbox.get(timeout=1.0)
            except queue.Empty:
                if os.getppid() != parent:
                    log.warning("ingest process gone: alerting stops")
                    return
                continue
            if item is None:
                return
            arrived, committed_at = item
            runner.notify(arrived, committed_at)
    finally:
        runner.stop()
        if service.forwarder is not None:
            service.forwarder.stop()
        engine.dispose()


class AlertingProcess:
    """The child's handle in the ingest process. A child that died is started again (and logged): a
    stalled engine also shows on every screen through its heartbeat, but it should not stay stalled."""

    def __init__(
        self, url: str, rules_file: str | None, instance: str, alarm_manager: tuple[str, int] | None = None
    ) -> None:
        self._ctx = mp.get_context("spawn")  # no fork of a process holding sockets, threads and a database
        self._args = (url, rules_file, instance)
        self._alarm_manager = alarm_manager
        self._inbox = self._ctx.Queue()
        self._proc = self._new()
        self.restarts = 0
        self._restarted = 0.0

    def _new(self):  # type: ignore[no-untyped-def]
        url, rules_file, instance = self._args
        level = logging.getLogger().getEffectiveLevel()
        return self._ctx.Process(
            target=_child,
            args=(url, rules_file, instance, self._inbox, os.getpid(), level, self._alarm_manager),
            name="bedside-alerting",
            daemon=True,
        )

    def start(self) -> None:
        self._proc.start()

    def notify(self, arrived: list[tuple[str | None, float | None]], committed_at: float) -> None:
        if not self._proc.is_alive() and time.monotonic() - self._restarted >= RESTART_EVERY:
            log.error("the alerting process exited with code %s: starting it again", self._proc.exitcode)
            self.restarts += 1
            self._restarted = time.monotonic()
            self._proc = self._new()
            self._proc.start()
        self._inbox.put((arrived, committed_at))

    def stop(self) -> None:
        self._inbox.put(None)
        self._proc.join(timeout=30)
        if self._proc.is_alive():
            self._proc.terminate()
            self._proc.join(timeout=5)
        self._inbox.close()
        self._inbox.join_thread()
