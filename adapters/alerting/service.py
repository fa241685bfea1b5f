"""The rule engine at work: evaluate episodes, reconcile with stored alerts, write alerts and log.

`AlertingService` runs one evaluation of a patient or of everything active; it is what live ingest,
`bedside-cli import` and `bedside-cli rules replay` (dry run, writing nothing) share. An evaluation is
computed (read and run the rules, no writes: an evaluation worker may do this) and then recorded
(reconciled with the stored alerts and written, one at a time). The live thread that decides when to
evaluate whom is `bedside_adapters.alerting.runner`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from bedside_adapters.alerting.feeds import FeedWatch
from bedside_adapters.alerting.loader import load_patient_data
from bedside_adapters.alerting.outbound import AlarmForwarder
from bedside_adapters.db.alert_store import alerts, store_latencies
from bedside_adapters.db.alerting_unit import AlertingUnit
from bedside_adapters.db.engine import Engine
from bedside_adapters.db.episode_store import episodes_of

from bedside.alert_changes import changes, escalations_due, folds, refolds
from bedside.alerts import reconcile
from bedside.episodes import EpisodeState, InfusionEpisode
from bedside.model import PatientRef
from bedside.rules.data import PatientData
from bedside.rules.engine import Evaluation, baselines_json, evaluate
from bedside.rules.ruleset import RuleSet

log = logging.getLogger("bedside.alerting")
HOUR = 3600.0
LATE_SECONDS = 120.0
EPISODES_FRESH = 1.0
"""Seconds the episode list serves evaluations after device values (other events read it again)."""
FULL_READ_EVERY = 600.0
"""Seconds between full re-reads of an episode's values (catches values later than LATE_SECONDS)."""


@dataclass(frozen=True)
class Computed:
    """An evaluation computed and not yet recorded (what an evaluation worker sends back)."""

    evaluation: Evaluation
    current_labs: frozenset[str]
    now: float
    started: float
    """Wall clock when the computation began (the end of the wait in front of it)."""
    load_s: float
    evaluate_s: float


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
        self.timing = {"load": 0.0, "evaluate": 0.0, "write": 0.0}
        """Seconds spent per stage (reported when the engine stops)."""
        self._evaluating = threading.RLock()
        """One evaluation at a time: two at once could both find no alert and both raise one."""
        self.forwarder: AlarmForwarder | None = None
        """Set when the site sends alerts to an alarm manager (IHE PCD-04)."""
        self._cache: dict[int, tuple[float, float, float, PatientData]] = {}
        """Per episode (lo, newest value read, full read at, data): the live engine reads only values
        from 2 min before the newest it has (LATE_SECONDS) on, and everything every 10 min."""
        self._baselines: dict[int, str] = {}
        """Per episode: the baselines as last written."""
        self._open: dict[int, tuple[int, float]] = {}
        """Per episode: unresolved alerts after the last write, and when that was counted."""
        self._latencies: list[tuple[int, float]] = []
        self._latency_lock = threading.Lock()
        self._episodes: tuple[float, list[InfusionEpisode]] | None = None
        """The episode list as last read, and when (monotonic): reused for up to EPISODES_FRESH."""
        self.watching: set[PatientRef] = set()
        """Patients whose latest evaluation saw a rule's condition hold or a clinical finding active:
        the runner evaluates them first when many minutes close at once (triage)."""
        self.feeds = FeedWatch(engine, rules)
        """Whether monitor feeds are catching up a backlog (silence is then judged on what was read)."""

    def horizon(self, ep: InfusionEpisode, now: float) -> float:
        """Until when an episode can still change its alerts: the longest window plus re-arming."""
        end = ep.end_or(now)
        longest = max(w.end.at(ep.start, end) for w in self.rules.windows.values())
        return longest + self.rules.rearm_minutes * 60.0

    def flush_latencies(self) -> None:
        """Store the latencies measured since the last call (diagnostics for the bench and the log)."""
        with self._latency_lock:
            pending, self._latencies = self._latencies, []
        if pending:
            store_latencies(self.engine, pending)

    def active_episodes(
        self, now: float, patient: PatientRef | None = None, fresh: bool = True
    ) -> list[tuple[InfusionEpisode, float | None]]:
        """(episode, next dose's start) for episodes whose windows are open at `now`. With `fresh`
        False, the list read by an earlier call within EPISODES_FRESH seconds may serve (the runner:
        the tick re-reads it every second, so a dose entered at a screen is seen within one)."""
        cached = self._episodes
        if not fresh and cached is not None and time.monotonic() - cached[0] < EPISODES_FRESH:
            episodes = [e for e in cached[1] if patient is None or e.patient == patient]
        else:
            episodes = [e for e in episodes_of(self.engine) if e.state is not EpisodeState.CANCELLED]
            self._episodes = (time.monotonic(), episodes)
            if patient is not None:
                episodes = [e for e in episodes if e.patient == patient]
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
        events_changed: bool = True,
    ) -> EpisodeResult:
        with self._evaluating:  # reentrant: record() takes it again
            return self._evaluate_episode(
                ep, next_start, now, on_import, dry_run, latency_from, events_changed
            )

    def _evaluate_episode(
        self,
        ep: InfusionEpisode,
        next_start: float | None,
        now: float | None,
        on_import: bool,
        dry_run: bool,
        latency_from: float | None,
        events_changed: bool,
    ) -> EpisodeResult:
        computed = self.compute(ep, next_start, now, on_import, dry_run, events_changed)
        if dry_run:
            return EpisodeResult(ep, computed.evaluation, [])
        return self.record(ep, computed, on_import, latency_from)

    def compute(
        self,
        ep: InfusionEpisode,
        next_start: float | None,
        now: float | None,
        on_import: bool = False,
        dry_run: bool = False,
        events_changed: bool = True,
    ) -> Computed:
        """Read the episode's data and run the rules: no writes (an evaluation worker runs this)."""
        started = time.time()
        lo = ep.start - 2 * HOUR
        hi = now if now is not None else self.clock()
        began = time.perf_counter()
        until = min(hi, self.horizon(ep, hi))
        cached = None
        hit = self._cache.get(ep.id)
        live = not on_import and not dry_run
        if live and hit is not None and hit[0] == lo and began - hit[2] < FULL_READ_EVERY:
            cached = (hit[1] - LATE_SECONDS, hit[3])  # values up to 2 min late are still read again
        data = load_patient_data(self.engine, self.rules, ep.patient, lo, until, cached, events_changed)
        if live:
            # Cached up to the newest value read, not the clock: history sent late (a backfill, a
            # gateway catching up) lands after it and is read next time.
            newest = max(
                (float(x.times[-1]) for parts in data.parameters.values() for x in parts if len(x.times)),
                default=lo,
            )
            self._cache[ep.id] = (lo, newest, hit[2] if cached is not None and hit else began, data)
        loaded = time.perf_counter()
        if now is None:
            now = self.clock()
        if on_import:
            now = _data_time(data, ep) + 60.0  # the data's own clock: the course as it stood then
        elif live:
            heard = self.feeds.heard_until(data, now)
            if heard is not None:
                # Technical silence only up to what the catching-up feed has sent: the minutes it
                # has not sent yet are not silent (the import of the same course raises nothing).
                data = replace(data, heard_until=heard)
        evaluation = evaluate(self.rules, ep, data, now, next_start)
        evaluated = time.perf_counter()
        self.timing["load"] += loaded - began
        self.timing["evaluate"] += evaluated - loaded
        current_labs = frozenset(f"lab:{p.id}" for points in data.labs.values() for p in points)
        return Computed(evaluation, current_labs, now, started, loaded - began, evaluated - loaded)

    def record(
        self, ep: InfusionEpisode, c: Computed, on_import: bool = False, latency_from: float | None = None
    ) -> EpisodeResult:
        """Reconcile a computed evaluation with the stored alerts and write what changed: one at a
        time (two at once could both find no alert and both raise one)."""
        with self._evaluating:
            return self._record(ep, c, on_import, latency_from)

    def _record(
        self, ep: InfusionEpisode, c: Computed, on_import: bool, latency_from: float | None
    ) -> EpisodeResult:
        evaluation, now = c.evaluation, c.now
        began = time.monotonic()
        written = time.perf_counter()
        # Commit of the triggering message → the start of this evaluation: the queue in front of it.
        waited = None if latency_from is None else c.started - latency_from
        live = not on_import
        baselines = baselines_json(evaluation.baselines)
        open_alerts, counted = self._open.get(ep.id, (-1, 0.0))
        if live:
            # Urgent: a rule's condition held in the last closed minute, or a clinical finding is
            # still active, as of this evaluation (not merely "has findings": a long-cleared one
            # stays in every evaluation of the episode; nor a STALE feed, which every bed shows
            # during a backfill: either made every bed urgent, and triage ordered nothing).
            active = any(
                not f.cleared and f.rule_id != "STALE" and now - f.last_true < 180.0
                for f in evaluation.findings
            )
            if evaluation.watch or active:
                self.watching.add(ep.patient)
            else:
                self.watching.discard(ep.patient)
        if (
            live
            and not evaluation.findings
            and open_alerts == 0
            and began - counted < 60.0
            and self._baselines.get(ep.id) == baselines
        ):
            # Nothing found, nothing open (counted by this engine within the minute), nothing to
            # store: no write transaction. A burst of minute closes is mostly such patients.
            self.timing["write"] += time.perf_counter() - written
            return EpisodeResult(ep, evaluation, [])
        with AlertingUnit(self.engine) as unit:
            existing = unit.alerts_of(ep.id)
            actions = reconcile(
                existing,
                evaluation.findings,
                now,
                self.rules.rearm_minutes * 60.0,
                self.rules.escalation_minutes,
                set(c.current_labs),
            )
            applied = unit.persist(changes(actions, ep, self.rules, now, on_import))
            if refolds(actions):
                unit.persist(folds(unit.alerts_of(ep.id), ep, self.rules, now))
            if live:
                self._open[ep.id] = (unit.count_open(ep.id), began)
            if self._baselines.get(ep.id) != baselines:
                # Written when they change (until T0-5 min), so the screens show what the rules use.
                unit.store_baselines(ep.id, baselines)
                self._baselines[ep.id] = baselines
        if applied.raised and latency_from is not None:
            # Commit of the triggering message → this alert's safety-log entry committed. Stored later
            # (flush_latencies: by the tick, or when the runner is idle), not here: a second
            # transaction per raising patient delayed the next patient's evaluation in a burst.
            latency = (self.clock() - latency_from) * 1000.0
            with self._latency_lock:
                self._latencies.extend((alert_id, latency) for alert_id in applied.raised)
        write_s = time.perf_counter() - written
        self.timing["write"] += write_s
        if self.forwarder is not None and not on_import:
            # Every start before any end: an alert raised and resolved in this one evaluation (a
            # course caught up at once) is in both lists, and the alarm manager must hear it start,
            # then end (the forwarder keeps one alert's messages in the order given here).
            for alert_id, phase in [(i, "start") for i in applied.raised] + [
                (i, "end") for i in applied.resolved
            ]:
                (alert,) = alerts(self.engine, alert_id=alert_id)
                self.forwarder.forward(alert, phase)
        timings = (
            "-" if waited is None else f"{waited * 1000:.0f}",
            c.load_s * 1000,
            c.evaluate_s * 1000,
            write_s * 1000,
        )
        log.debug(
            "evaluated patient=%s dose=%d raised=%d (waited %s ms, load %.1f, evaluate %.1f, write %.1f ms)",
            ep.patient,
            ep.dose_number,
            len(applied.raised),
            *timings,
        )
        for alert_id in applied.raised:
            log.warning(
                "alert raised event=alert id=%d patient=%s dose=%d "
                "(waited %s ms, load %.1f, evaluate %.1f, write %.1f ms)",
                alert_id,
                ep.patient,
                ep.dose_number,
                *timings,
            )
        return EpisodeResult(ep, evaluation, applied.raised)

    def evaluate_patient(
        self,
        patient: PatientRef | None,
        now: float,
        latency_from: float | None = None,
        events_changed: bool = True,
    ) -> list[EpisodeResult]:
        """Evaluate a patient's active doses (None: every patient's)."""
        # Device values only: the episode list of the last second serves. Anything else (an infusion
        # event, a lab, ADT) may have changed the episodes: read them again.
        return [
            self.evaluate_episode(ep, nxt, now, latency_from=latency_from, events_changed=events_changed)
            for ep, nxt in self.active_episodes(now, patient, fresh=events_changed)
        ]

    def evaluate_import(self, patient: PatientRef | None = None) -> list[EpisodeResult]:
        """After `bedside-cli import`: every episode on its own data time, alerts marked as on import."""
        episodes = [e for e in episodes_of(self.engine, patient) if e.state is not EpisodeState.CANCELLED]
        out = []
        for i, ep in enumerate(episodes):
            later = [e.start for e in episodes[i + 1 :] if e.patient == ep.patient and e.start > ep.start]
            out.append(self.evaluate_episode(ep, min(later) if later else None, on_import=True))
        return out

    def escalate_due(self, now: float) -> int:
        """Escalate raised, unacknowledged alerts past their severity's limit (checked every tick,
        without evaluating any data; the decision is `bedside.alerts.escalations`, as in an
        evaluation)."""
        with AlertingUnit(self.engine) as unit:
            due = escalations_due(unit.awaiting_acknowledgement(), now, self.rules.escalation_minutes)
            unit.persist(due)
        for ch in due:
            (logged,) = ch.log
            log.warning("alert escalated event=alert id=%d patient=%s", ch.alert_id, logged.entry.patient_ref)
        return len(due)

    def accept_overdue_candidates(self, now: float) -> int:
        """A device start nobody confirmed within the configured time stops being a candidate: it is
        accepted as the dose (alerts keep saying the start was not confirmed) and the log says so."""
        with AlertingUnit(self.engine) as unit:
            return unit.accept_overdue_candidates(now, self.rules.candidate_confirm_minutes)


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
