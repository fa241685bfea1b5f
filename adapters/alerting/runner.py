"""The live engine thread: decides when to evaluate whom, and keeps the time-based work going.

Woken after each commit with the patients whose data arrived (`notify`), it queues them, puts the most
urgent first (triage) and evaluates them in this thread or, with a pool, in worker processes. A 1 s
tick holds the lease (one engine alerts at a time per database), escalates, accepts candidate starts
nobody confirmed, and sweeps every active episode at least once a minute (persistence completing,
stale feeds, re-arming).
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable

from bedside_adapters.alerting.beds import BedOccupancy
from bedside_adapters.alerting.lease import Lease
from bedside_adapters.alerting.notices import (
    Bed,
    MinuteCloses,
    Pending,
    Whose,
    add_notice,
    merge,
)
from bedside_adapters.alerting.pool import EvaluationPool
from bedside_adapters.alerting.service import AlertingService
from bedside_adapters.db.safety_store import head_anchoring

from bedside.model import PatientRef

log = logging.getLogger("bedside.alerting")
URGENT_AHEAD = 0.5
"""Seconds of waiting a patient on watch may overtake (the runner's triage)."""
TICK_YIELD = 3.0
"""Seconds the tick may be postponed while evaluations are queued."""


class AlertingRunner:
    """The live engine thread in the ingest process.

    Rules look at closed 1-min medians, so a patient's findings can only change when a minute of their
    data closes (the first value of the next minute arrives), when a value lands in an already closed
    minute (backfill, late data), or when a non-numeric message arrives (a lab result, an infusion
    event). Only then is the patient evaluated, right after the commit; a 1 s tick handles the rest:
    escalation, candidate starts, and a sweep that evaluates every active episode at least once a
    minute (silent feeds, re-arming).
    """

    def __init__(
        self,
        service: AlertingService,
        instance: str | None = None,
        tick: float = 1.0,
        sweep: float = 60.0,
        pool: EvaluationPool | None = None,
    ) -> None:
        self.service = service
        self.lease = Lease(
            service.engine, service.rules, instance or f"{socket.gethostname()}-{threading.get_native_id()}"
        )
        self.beds = BedOccupancy(service.engine)
        self.anchoring = head_anchoring(service.engine)
        """The log's head, written outside the database every ten minutes by the lease holder."""
        self.tick = tick
        self.sweep = sweep
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._pending: dict[Whose, Pending] = {}
        self._minutes = MinuteCloses()
        self._evaluated: dict[PatientRef | None, float] = {}
        self._thread = threading.Thread(target=self._run, name="bedside-alerting", daemon=True)
        self._ticker = threading.Thread(target=self._tick, name="bedside-alerting-tick", daemon=True)
        self.pool: EvaluationPool | None = pool
        """Worker processes for reading and rule evaluation (None: evaluate in the runner thread)."""
        self._outstanding = 0
        self.backlog = 0
        """Patients queued for evaluation (read by the tick, which yields to them)."""
        self.evaluations = 0
        self.busy = 0.0
        self.notify_delay_max = 0.0
        self.notify_delay_sum = 0.0
        self.notifies = 0

    @property
    def instance(self) -> str:
        """Who holds the lease: the ingest service names its own instance here before start()."""
        return self.lease.instance

    @instance.setter
    def instance(self, name: str) -> None:
        self.lease.instance = name

    @property
    def leader(self) -> bool:
        return self.lease.held

    def start(self) -> None:
        # The lease first, so the first commits after a start are evaluated at once.
        try:
            self.lease.hold(self.service.clock())
        except Exception:
            log.exception("the alerting lease could not be taken yet")
        self._thread.start()
        self._ticker.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=30)
        self._ticker.join(timeout=30)
        try:
            self.service.flush_latencies()
        except Exception:  # diagnostics only: never fail a shutdown over them
            log.exception("could not store the last alert latencies")
        log.info(
            "alerting stopped: %d evaluations, %.1f s busy, %d notices (delay mean %.1f, max %.1f ms) (%s)",
            self.evaluations,
            self.busy,
            self.notifies,
            1000 * self.notify_delay_sum / max(1, self.notifies),
            1000 * self.notify_delay_max,
            ", ".join(f"{k} {v:.1f} s" for k, v in self.service.timing.items()),
        )

    def notify(self, arrived: list[tuple[Whose, float | None]], committed_at: float) -> None:
        """After a commit: (whose data, latest observation time or None) per stored message."""
        delay = time.time() - committed_at
        self.notify_delay_max = max(self.notify_delay_max, delay)
        self.notify_delay_sum += delay
        self.notifies += 1
        with self._lock:
            for whose, observed in arrived:
                add_notice(self._pending, whose, observed, committed_at)
        self._wake.set()

    def wake(self) -> None:
        """Something to do (an evaluation worker finished): the runner thread looks again."""
        self._wake.set()

    def _due(self, patient: PatientRef | None, latest: float | None, other: bool, now: float) -> bool:
        if other or patient is None:
            return True
        if latest is None:
            return False
        return self._minutes.closes(patient, latest, now)

    def _run(self) -> None:
        """Evaluations after commits, the most urgent patient first: in this thread, or with a pool
        in its worker processes (this thread then records their results, one at a time, in the order
        they come). The tick's own work (lease, escalation) is on another thread."""
        queue: dict[Whose, Pending] = {}
        whose: dict[Whose, PatientRef | None] = {}  # queue key → the patient it concerns
        while not self._stop.is_set():
            if not self._actionable(queue, whose):
                self._wake.wait(timeout=self.tick)
            self._wake.clear()
            with self._lock:
                pending, self._pending = self._pending, {}
            if any(other for _, _, other in pending.values()):
                self.beds.forget()  # ADT may have moved someone: ask the database again
            for key, notice in pending.items():
                merge(queue, key, notice)
                whose[key] = self._patient_of(key, queue[key][1])
            if self.pool is not None:
                self._record_results(queue, whose)
            if not self.leader:
                queue.clear()
                whose.clear()
                self.backlog = 0  # a standby's tick must not yield to a queue it dropped
                continue
            began = time.perf_counter()
            try:
                if self.pool is not None:
                    self._dispatch(queue, whose)
                elif queue:
                    self._evaluate_next(queue, whose)
            except Exception:  # the engine must keep running; its heartbeat shows whether it does
                log.exception("rule evaluation failed")
            self.backlog = len(queue) + self._outstanding
            self.busy += time.perf_counter() - began
            if not self.backlog and not self._pending:
                try:  # idle: store the latencies measured so far (diagnostics; the tick also does)
                    self.service.flush_latencies()
                except Exception:
                    log.exception("could not store alert latencies")

    def _actionable(self, queue: dict[Whose, Pending], whose: dict[Whose, PatientRef | None]) -> bool:
        if self._pending or (self.pool is not None and not self.pool.results.empty()):
            return True
        if not queue:
            return False
        return self.pool is None or any(self.pool.free(self.pool.worker_of(whose[k])) for k in queue)

    def _pick(
        self,
        queue: dict[Whose, Pending],
        whose: dict[Whose, PatientRef | None],
        allowed: Callable[[Whose], bool] = lambda k: True,
    ) -> Whose | None:
        """Triage: when many beds close a minute at once (they share the wall clock), a bed whose
        last evaluation saw a rule's condition hold goes before calm ones that have waited less than
        URGENT_AHEAD longer; otherwise the longest waiting goes first, so a calm bed never starves."""
        watching = self.service.watching
        keys = [k for k in queue if allowed(k)]
        if not keys:
            return None
        return min(keys, key=lambda k: queue[k][0] - (URGENT_AHEAD if whose[k] in watching else 0.0))

    def _evaluate_next(self, queue: dict[Whose, Pending], whose: dict[Whose, PatientRef | None]) -> None:
        now = self.service.clock()
        key = self._pick(queue, whose)
        committed, latest, other = queue.pop(key)
        patient = whose.pop(key)
        # Device data concerns the patient in that bed; an empty bed has nobody to alert for.
        if (key is None or patient is not None) and self._due(patient, latest, other, now):
            self.service.evaluate_patient(
                patient, now, latency_from=committed, events_changed=other or patient is None
            )
            self._evaluated[patient] = now
            self.evaluations += 1

    def _dispatch(self, queue: dict[Whose, Pending], whose: dict[Whose, PatientRef | None]) -> None:
        """Hand the most urgent patients to free workers (each patient to its own worker)."""
        pool = self.pool
        assert pool is not None
        while True:
            key = self._pick(queue, whose, lambda k: pool.free(pool.worker_of(whose[k])))
            if key is None:
                return
            now = self.service.clock()
            committed, latest, other = queue.pop(key)
            patient = whose.pop(key)
            if (key is None or patient is not None) and self._due(patient, latest, other, now):
                changed = other or patient is None
                episodes = self.service.active_episodes(now, patient, fresh=changed)
                if episodes:
                    pool.submit(patient, episodes, now, changed, committed)
                    self._outstanding += 1
                self._evaluated[patient] = now

    def _record_results(self, queue: dict[Whose, Pending], whose: dict[Whose, PatientRef | None]) -> None:
        """Write what the workers computed, in the order it arrived."""
        pool = self.pool
        assert pool is not None
        while True:
            try:
                done = pool.results.get_nowait()
            except Exception:  # queue.Empty
                return
            pool.finished(done)
            self._outstanding = max(0, self._outstanding - 1)
            job = done.job
            if done.error is not None:
                log.error("rule evaluation of %s failed: %s (queued again)", job.patient, done.error)
                if job.patient is not None and job.patient not in queue:
                    queue[job.patient] = (job.latency_from or time.time(), None, True)
                    whose[job.patient] = job.patient
                continue
            for (ep, _next), computed in zip(job.episodes, done.computed, strict=True):
                try:
                    self.service.record(ep, computed, latency_from=job.latency_from)
                    self.evaluations += 1
                except Exception:
                    log.exception("recording the evaluation of %s failed", ep.patient)

    def _patient_of(self, key: Whose, latest: float | None) -> PatientRef | None:
        if isinstance(key, Bed):
            at = latest if latest is not None else self.service.clock()
            return self.beds.patient_in(key.name, at)
        return key

    def _tick(self) -> None:
        done = time.monotonic()
        while not self._stop.wait(self.tick):
            if self.backlog and time.monotonic() - done < TICK_YIELD:
                # Patients are waiting for evaluation (a burst of minute closes): the tick's lease
                # write, escalation and sweep would compete with them for the interpreter and the
                # write lock. They can wait a second or two; the lease lasts longer (LEASE_SECONDS).
                continue
            done = time.monotonic()
            now = self.service.clock()
            try:
                if not self.lease.hold(now):
                    continue
                self.service.flush_latencies()
                self.service.accept_overdue_candidates(now)
                self.service.escalate_due(now)
                swept = {
                    ep.patient
                    for ep, _nxt in self.service.active_episodes(now)
                    if now - self._evaluated.get(ep.patient, 0.0) >= self.sweep
                }
                if swept:
                    # Through the runner's queue like any notice: a patient's evaluations stay in
                    # order, whichever thread or worker computes them.
                    with self._lock:
                        for patient in swept:
                            add_notice(self._pending, patient, None, time.time())
                    self._wake.set()
            except Exception:
                log.exception("the alerting tick failed")
                continue
            try:
                self.anchoring.maybe()
            except Exception:
                log.exception("the safety log head could not be anchored")
