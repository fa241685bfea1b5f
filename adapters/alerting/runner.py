"""The rule engine at work: evaluate episodes, reconcile with stored alerts, write alerts and log.

`AlertingService` runs one evaluation of a patient or of everything active; it is what live ingest,
`bedside-cli import` and `bedside-cli rules replay` (dry run, writing nothing) share.
`AlertingRunner` is the live thread inside the ingest process: woken after each commit with the
patients whose data arrived, and on a 1 s tick for everything time-based (persistence completing,
stale feeds, re-arming, escalation, candidate starts waiting for confirmation). One engine alerts at a
time per database: it holds a lease in `alerting_heartbeat`, which is also what the screens read to
say "alerting live".
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from adapters.alerting.loader import load_patient_data
from adapters.db import schema as t
from adapters.db.alert_store import apply_actions, load_alerts
from adapters.db.episode_store import load_episodes
from adapters.db.safety_store import append
from bedside.alerts import reconcile
from bedside.clock import to_ms
from bedside.episodes import EpisodeState, InfusionEpisode
from bedside.rules.engine import Evaluation, evaluate
from bedside.rules.ruleset import RuleSet

log = logging.getLogger("bedside.alerting")
HOUR = 3600.0
LEASE_SECONDS = 10.0


@dataclass
class EpisodeResult:
    episode: InfusionEpisode
    evaluation: Evaluation
    raised: list[int]


class AlertingService:
    def __init__(self, engine: Engine, rules: RuleSet, clock: Callable[[], float] = time.time) -> None:
        self.engine = engine
        self.rules = rules
        self.clock = clock

    def horizon(self, ep: InfusionEpisode, now: float) -> float:
        """Until when an episode can still change its alerts: the longest window plus re-arming."""
        end = ep.end_or(now)
        longest = max(w.end.at(ep.start, end) for w in self.rules.windows.values())
        return longest + self.rules.rearm_minutes * 60.0

    def active_episodes(
        self, now: float, patient: str | None = None
    ) -> list[tuple[InfusionEpisode, float | None]]:
        """(episode, next dose's start) for episodes whose windows are open at `now`."""
        with self.engine.connect() as conn:
            episodes = [e for e in load_episodes(conn, patient) if e.state is not EpisodeState.CANCELLED]
        out = []
        for i, ep in enumerate(episodes):
            later = [e.start for e in episodes[i + 1 :] if e.patient == ep.patient and e.start > ep.start]
            if ep.start - HOUR <= now <= self.horizon(ep, now):
                out.append((ep, min(later) if later else None))
        return out

    def evaluate_episode(
        self,
        ep: InfusionEpisode,
        next_start: float | None,
        now: float | None = None,
        on_import: bool = False,
        dry_run: bool = False,
        latency_from: float | None = None,
    ) -> EpisodeResult:
        lo = ep.start - 2 * HOUR
        hi = now if now is not None else self.clock()
        data = load_patient_data(self.engine, self.rules, ep.patient, lo, min(hi, self.horizon(ep, hi)))
        if now is None:
            now = self.clock()
        if on_import:
            now = _data_time(data, ep) + 60.0  # the data's own clock: the course as it stood then
        evaluation = evaluate(self.rules, ep, data, now, next_start)
        if dry_run:
            return EpisodeResult(ep, evaluation, [])
        current_labs = {f"lab:{p.id}" for points in data.labs.values() for p in points}
        with self.engine.begin() as conn:
            existing = load_alerts(conn, ep.id)
            actions = reconcile(
                existing,
                evaluation.findings,
                now,
                self.rules.rearm_minutes * 60.0,
                self.rules.escalation_minutes,
                current_labs,
            )
            applied = apply_actions(conn, self.rules, ep, actions, now, on_import, latency_from, self.clock)
        for alert_id in applied.raised:
            log.warning(
                "alert raised event=alert id=%d patient=%s dose=%d", alert_id, ep.patient, ep.dose_number
            )
        return EpisodeResult(ep, evaluation, applied.raised)

    def evaluate_patient(
        self, patient: str | None, now: float, latency_from: float | None = None
    ) -> list[EpisodeResult]:
        return [
            self.evaluate_episode(ep, nxt, now, latency_from=latency_from)
            for ep, nxt in self.active_episodes(now, patient)
        ]

    def evaluate_import(self, patient: str | None = None) -> list[EpisodeResult]:
        """After `bedside-cli import`: every episode on its own data time, alerts marked as on import."""
        with self.engine.connect() as conn:
            episodes = [e for e in load_episodes(conn, patient) if e.state is not EpisodeState.CANCELLED]
        out = []
        for i, ep in enumerate(episodes):
            later = [e.start for e in episodes[i + 1 :] if e.patient == ep.patient and e.start > ep.start]
            out.append(self.evaluate_episode(ep, min(later) if later else None, on_import=True))
        return out

    def accept_overdue_candidates(self, now: float) -> int:
        """A device start nobody confirmed within the configured time stops being a candidate: it is
        accepted as the dose (alerts keep saying the start was not confirmed) and the log says so."""
        limit = self.rules.candidate_confirm_minutes * 60.0
        e = t.infusion_episode.c
        n = 0
        with self.engine.begin() as conn:
            for ep in load_episodes(conn):
                if ep.state is EpisodeState.CANDIDATE and now - ep.start > limit:
                    conn.execute(
                        update(t.infusion_episode)
                        .where(e.id == ep.id)
                        .values(state=EpisodeState.ACCEPTED.value, updated_ms=to_ms(now))
                    )
                    append(
                        conn,
                        "episode.accepted",
                        "bedside-rules",
                        {
                            "dose": ep.dose_number,
                            "start": ep.start,
                            "source": ep.start_source,
                            "why": f"not confirmed within {self.rules.candidate_confirm_minutes:g} min",
                        },
                        now,
                        ep.patient,
                        ep.id,
                    )
                    n += 1
        return n


def _data_time(data, ep: InfusionEpisode) -> float:  # type: ignore[no-untyped-def]
    latest = ep.end or ep.start
    for samples in data.parameters.values():
        for s in samples:
            if len(s.times):
                latest = max(latest, float(s.times[-1]))
    for points in data.labs.values():
        for p in points:
            latest = max(latest, p.at)
    return latest


class AlertingRunner:
    """The live engine thread in the ingest process."""

    def __init__(
        self,
        service: AlertingService,
        instance: str | None = None,
        tick: float = 1.0,
    ) -> None:
        self.service = service
        self.instance = instance or f"{socket.gethostname()}-{threading.get_native_id()}"
        self.tick = tick
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._pending: dict[str | None, float] = {}
        self._thread = threading.Thread(target=self._run, name="bedside-alerting", daemon=True)
        self.leader = False
        self.evaluations = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=30)

    def notify(self, patients: set[str | None], committed_at: float) -> None:
        """After a commit: these patients have new data (None: a message that named nobody)."""
        with self._lock:
            for p in patients:
                self._pending.setdefault(p, committed_at)
        self._wake.set()

    def _run(self) -> None:
        last_full = 0.0
        while not self._stop.is_set():
            self._wake.wait(timeout=self.tick)
            self._wake.clear()
            with self._lock:
                pending, self._pending = self._pending, {}
            now = self.service.clock()
            try:
                if not self._hold_lease(now):
                    continue
                if now - last_full >= self.tick:
                    self.service.accept_overdue_candidates(now)
                    self.service.evaluate_patient(None, now)
                    last_full = now
                    self.evaluations += 1
                    continue
                if None in pending:
                    self.service.evaluate_patient(None, now, latency_from=pending[None])
                else:
                    for patient, committed in pending.items():
                        self.service.evaluate_patient(patient, now, latency_from=committed)
                self.evaluations += 1
            except Exception:  # the engine must keep running; its heartbeat shows whether it does
                log.exception("rule evaluation failed")

    def _hold_lease(self, now: float) -> bool:
        h = t.alerting_heartbeat.c
        now_ms = to_ms(now)
        values = {
            "instance": self.instance,
            "beat_ms": now_ms,
            "ruleset": self.service.rules.label[:120],
            "evaluated_ms": now_ms,
        }
        try:
            with self.service.engine.begin() as conn:
                took = conn.execute(
                    update(t.alerting_heartbeat)
                    .where(h.name == "alerting")
                    .where((h.instance == self.instance) | (h.beat_ms < now_ms - int(LEASE_SECONDS * 1000)))
                    .values(**values)
                ).rowcount
                if not took:
                    exists = conn.execute(select(h.name).where(h.name == "alerting")).first()
                    if exists is None:
                        conn.execute(insert(t.alerting_heartbeat).values(name="alerting", **values))
                        took = 1
                if took and not self.leader:
                    append(
                        conn,
                        "ruleset.loaded",
                        "bedside-rules",
                        {
                            "ruleset": self.service.rules.label,
                            "digest": self.service.rules.digest,
                            "grading": self.service.rules.grading,
                            "path": self.service.rules.path,
                            "instance": self.instance,
                            "rearm_minutes": self.service.rules.rearm_minutes,
                            "escalation_minutes": self.service.rules.escalation_minutes,
                            "candidate_confirm_minutes": self.service.rules.candidate_confirm_minutes,
                        },
                        now,
                    )
        except IntegrityError:
            took = 0
        if bool(took) != self.leader:
            log.info(
                "alerting %s on this instance",
                "active" if took else "standing by (another engine holds the lease)",
            )
        self.leader = bool(took)
        return self.leader
