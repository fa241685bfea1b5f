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
import math
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from bedside_adapters.alerting.loader import load_patient_data
from bedside_adapters.alerting.outbound import AlarmForwarder
from bedside_adapters.db import schema as t
from bedside_adapters.db.alert_store import alert_listing, apply_actions, count_open, load_alerts
from bedside_adapters.db.episode_store import load_episodes
from bedside_adapters.db.safety_store import append
from sqlalchemy import Engine, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from bedside.alerts import reconcile
from bedside.clock import from_ms, to_ms
from bedside.episodes import EpisodeState, InfusionEpisode
from bedside.rules.data import PatientData
from bedside.rules.engine import Evaluation, baselines_json, evaluate
from bedside.rules.ruleset import RuleSet

if TYPE_CHECKING:
    from bedside_adapters.alerting.pool import EvaluationPool

log = logging.getLogger("bedside.alerting")
HOUR = 3600.0
LEASE_SECONDS = 10.0
LATE_SECONDS = 120.0
EPISODES_FRESH = 1.0
"""Seconds the episode list serves evaluations after device values (other events read it again)."""
URGENT_AHEAD = 0.5
"""Seconds of waiting a patient on watch may overtake (the runner's triage)."""
TICK_YIELD = 3.0
"""Seconds the tick may be postponed while evaluations are queued."""
FULL_READ_EVERY = 600.0
"""Seconds between full re-reads of an episode's values (catches values later than LATE_SECONDS)."""
DELIVERING_SECONDS = 15.0
"""A feed whose newest value time moved within this many seconds is still delivering: behind the
clock, it is catching up a backlog, not silent. One that stops moving is judged on the clock again
(the screens' own stale-after default)."""
FEEDS_FRESH = 1.0
"""Seconds the feed table, as last read, serves the catching-up check."""


Pending = tuple[float, float | None, bool]
"""Per patient (or bed) waiting for evaluation: earliest commit, newest observation time, and whether
anything but device values arrived (a lab, an infusion event, ADT)."""


def add_notice(
    pending: dict[str | None, Pending], patient: str | None, observed: float | None, committed_at: float
) -> None:
    """Merge one commit's notice into `pending`: what the runner and the alerting process both keep."""
    first, latest, other = pending.get(patient, (committed_at, None, False))
    if observed is None:
        other = True
    elif latest is None or observed > latest:
        latest = observed
    pending[patient] = (first, latest, other)


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
        self._beds: dict[str, list[tuple[float, float, str | None]]] = {}
        self._evaluating = threading.RLock()
        """One evaluation at a time: two at once could both find no alert and both raise one."""
        self.forwarder: AlarmForwarder | None = None
        """Set when the site sends alerts to an alarm manager (IHE PCD-04)."""
        self._cache: dict[int, tuple[float, float, float, PatientData]] = {}
        self._baselines: dict[int, str] = {}
        """Per episode (lo, newest value read, full read at, data): the live engine reads only values
        from 2 min before the newest it has (LATE_SECONDS) on, and everything every 10 min."""
        """Seconds spent per stage (reported when the engine stops)."""
        self._open: dict[int, tuple[int, float]] = {}
        """Per episode: unresolved alerts after the last write, and when that was counted."""
        self._latencies: list[tuple[int, float]] = []
        self._latency_lock = threading.Lock()
        self._episodes: tuple[float, list[InfusionEpisode]] | None = None
        """The episode list as last read, and when (monotonic): reused for up to EPISODES_FRESH."""
        self.watching: set[str] = set()
        """Patients whose latest evaluation saw a rule's condition hold or a clinical finding active:
        the runner evaluates them first when many minutes close at once (triage)."""
        self._feeds: tuple[float, dict[str, tuple[float, float | None, float]]] | None = None
        """The feed table as last read (monotonic time, per device: last received, newest value time,
        and when that value time last moved)."""

    def horizon(self, ep: InfusionEpisode, now: float) -> float:
        """Until when an episode can still change its alerts: the longest window plus re-arming."""
        end = ep.end_or(now)
        longest = max(w.end.at(ep.start, end) for w in self.rules.windows.values())
        return longest + self.rules.rearm_minutes * 60.0

    def flush_latencies(self) -> None:
        """Store the latencies measured since the last call (diagnostics for the bench and the log)."""
        with self._latency_lock:
            pending, self._latencies = self._latencies, []
        if not pending:
            return
        with self.engine.begin() as conn:
            conn.execute(
                update(t.alert).where(t.alert.c.id == bindparam("aid")).values(latency_ms=bindparam("ms")),
                [{"aid": a, "ms": ms} for a, ms in pending],
            )

    def active_episodes(
        self, now: float, patient: str | None = None, fresh: bool = True
    ) -> list[tuple[InfusionEpisode, float | None]]:
        """(episode, next dose's start) for episodes whose windows are open at `now`. With `fresh`
        False, the list read by an earlier call within EPISODES_FRESH seconds may serve (the runner:
        the tick re-reads it every second, so a dose entered at a screen is seen within one)."""
        cached = self._episodes
        if not fresh and cached is not None and time.monotonic() - cached[0] < EPISODES_FRESH:
            episodes = [e for e in cached[1] if patient is None or e.patient == patient]
        else:
            with self.engine.connect() as conn:
                episodes = [e for e in load_episodes(conn, None) if e.state is not EpisodeState.CANCELLED]
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
            heard = self.heard_until(data, now)
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

    def heard_until(self, data: PatientData, now: float) -> float | None:
        """The newest value read of the patient's monitor feeds when they are catching up a backlog
        (still delivering, their values more than the stale limit behind the clock), else None.

        The newest value *read*, not the feed's newest value: while a backlog streams in, its value
        time runs hours ahead in the milliseconds between this read and a look at the feed table,
        and judging silence up to that later time found the just-arrived minutes silent.

        Never hides a real silence: a feed whose value time stops moving for DELIVERING_SECONDS is
        judged on the clock again, and while any of the patient's monitor feeds is delivering live
        values, silence is judged on the clock as always."""
        st = self.rules.stale
        if st is None:
            return None
        newest: dict[str, float] = {}
        for name in st.signals:
            for p in self.rules.signals[name].parameters:
                for s in data.parameters.get(p, []):
                    if len(s.times):
                        newest[s.device] = max(newest.get(s.device, -math.inf), float(s.times[-1]))
        feeds = self._read_feeds()
        behind = []
        for device, last in newest.items():
            feed = feeds.get(device)
            if feed is None or feed[1] is None or now - feed[2] > DELIVERING_SECONDS:
                continue  # not delivering: its silence is real
            received, observed, _moved = feed
            if received - observed <= st.after_seconds:
                return None  # a live monitor feed: the clock is the measure
            behind.append(last)
        return max(behind) if behind else None

    def _read_feeds(self) -> dict[str, tuple[float, float | None, float]]:
        cached = self._feeds
        if cached is not None and time.monotonic() - cached[0] < FEEDS_FRESH:
            return cached[1]
        f = t.feed.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(f.sender, f.last_received_ms, f.last_observed_ms)).all()
        before = cached[1] if cached is not None else {}
        feeds: dict[str, tuple[float, float | None, float]] = {}
        for sender, received_ms, observed_ms in rows:
            device = _device_of(sender)
            received = from_ms(received_ms)
            observed = from_ms(observed_ms) if observed_ms is not None else None
            old = before.get(device)
            # When its value time last moved: a sender that keeps sending messages without values
            # (alarms, keep-alives) is not delivering a backlog. Seen first: its last message.
            moved = old[2] if old is not None and old[1] == observed else received
            if device not in feeds or received > feeds[device][0]:
                feeds[device] = (received, observed, moved)
        self._feeds = (time.monotonic(), feeds)
        return feeds

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
        with self.engine.begin() as conn:
            existing = load_alerts(conn, ep.id)
            actions = reconcile(
                existing,
                evaluation.findings,
                now,
                self.rules.rearm_minutes * 60.0,
                self.rules.escalation_minutes,
                set(c.current_labs),
            )
            applied = apply_actions(conn, self.rules, ep, actions, now, on_import)
            if live:
                self._open[ep.id] = (count_open(conn, ep.id), began)
            if self._baselines.get(ep.id) != baselines:
                # Written when they change (until T0-5 min), so the screens show what the rules use.
                conn.execute(
                    update(t.infusion_episode)
                    .where(t.infusion_episode.c.id == ep.id)
                    .values(baselines=baselines)
                )
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
            for alert_id, phase in [(i, "start") for i in applied.raised] + [
                (i, "end") for i in applied.resolved
            ]:
                (alert,) = alert_listing(self.engine, alert_id=alert_id)
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
        self, patient: str | None, now: float, latency_from: float | None = None, events_changed: bool = True
    ) -> list[EpisodeResult]:
        # Device values only: the episode list of the last second serves. Anything else (an infusion
        # event, a lab, ADT) may have changed the episodes: read them again.
        return [
            self.evaluate_episode(ep, nxt, now, latency_from=latency_from, events_changed=events_changed)
            for ep, nxt in self.active_episodes(now, patient, fresh=events_changed)
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

    def patient_in_bed(self, bed: str, at: float) -> str | None:
        """Who ADT has in `bed` at `at`. Cached per bed as the stay found (or the gap between stays),
        so the many device messages of a stay cost one query; `forget_beds` after ADT news."""
        for lo, hi, who in self._beds.get(bed, ()):
            if lo <= at < hi:
                return who
        s = t.bed_stay.c
        at_ms = to_ms(at)
        with self.engine.connect() as conn:
            row = conn.execute(
                select(s.patient_ref, s.from_ms, s.to_ms)
                .where(s.bed == bed, s.cancelled.is_(False), s.from_ms <= at_ms)
                .where(s.to_ms.is_(None) | (s.to_ms > at_ms))
                .order_by(s.from_ms.desc())
                .limit(1)
            ).first()
        if row is None:
            who, lo, hi = None, at - 10.0, at + 10.0  # an empty bed: asked again ten seconds on
        else:
            who, lo = row[0], from_ms(row[1])
            hi = from_ms(row[2]) if row[2] is not None else float("inf")
        spans = self._beds.setdefault(bed, [])
        spans.append((lo, hi, who))
        del spans[:-8]  # a bed's few recent stays; backfills ask about older ones
        return who

    def forget_beds(self) -> None:
        self._beds.clear()

    def escalate_due(self, now: float) -> int:
        """Escalate raised, unacknowledged alerts past their severity's limit (checked every tick,
        without evaluating any data)."""
        a = t.alert.c
        n = 0
        for severity, minutes in self.rules.escalation_minutes.items():
            limit = to_ms(now - minutes * 60.0)
            with self.engine.begin() as conn:
                rows = conn.execute(
                    select(a.id, a.patient_ref, a.episode_id).where(
                        a.state == "raised",
                        a.severity == severity,
                        a.escalated_ms.is_(None),
                        a.folded_into.is_(None),  # a folded alert escalates with its problem
                        a.on_import.is_(False),
                        a.raised_ms <= limit,
                    )
                ).all()
                for r in rows:
                    conn.execute(update(t.alert).where(a.id == r.id).values(escalated_ms=to_ms(now)))
                    append(
                        conn,
                        "alert.escalated",
                        "bedside-rules",
                        {"after_minutes": minutes, "why": "not acknowledged in time"},
                        now,
                        r.patient_ref,
                        int(r.episode_id),
                        int(r.id),
                    )
                    log.warning("alert escalated event=alert id=%d patient=%s", r.id, r.patient_ref)
                    n += 1
        return n

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


def _device_of(sender: str) -> str:
    """The device a feed's sender names (MSH-3.2, the EUI-64 of an IHE PCD gateway's device): what a
    series' device is."""
    parts = sender.split(" @ ")[0].split("^")
    return parts[1] if len(parts) > 1 else parts[0]


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
        self.instance = instance or f"{socket.gethostname()}-{threading.get_native_id()}"
        self.tick = tick
        self.sweep = sweep
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._pending: dict[str | None, Pending] = {}
        self._minute: dict[str | None, int] = {}
        self._evaluated: dict[str | None, float] = {}
        self._thread = threading.Thread(target=self._run, name="bedside-alerting", daemon=True)
        self._ticker = threading.Thread(target=self._tick, name="bedside-alerting-tick", daemon=True)
        self.leader = False
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

    def start(self) -> None:
        # The lease first, so the first commits after a start are evaluated at once.
        try:
            self._hold_lease(self.service.clock())
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

    def notify(self, arrived: list[tuple[str | None, float | None]], committed_at: float) -> None:
        """After a commit: (patient, latest observation time or None) per stored message."""
        delay = time.time() - committed_at
        self.notify_delay_max = max(self.notify_delay_max, delay)
        self.notify_delay_sum += delay
        self.notifies += 1
        with self._lock:
            for patient, observed in arrived:
                add_notice(self._pending, patient, observed, committed_at)
        self._wake.set()

    def wake(self) -> None:
        """Something to do (an evaluation worker finished): the runner thread looks again."""
        self._wake.set()

    def _due(self, patient: str | None, latest: float | None, other: bool, now: float) -> bool:
        if other or patient is None:
            return True
        if latest is None:
            return False
        minute = int(latest // 60)
        if minute > self._minute.get(patient, -1):
            self._minute[patient] = minute
            return True
        return latest < (now // 60) * 60 - 60  # a value for a minute already closed (late data)

    def _run(self) -> None:
        """Evaluations after commits, the most urgent patient first: in this thread, or with a pool
        in its worker processes (this thread then records their results, one at a time, in the order
        they come). The tick's own work (lease, escalation) is on another thread."""
        queue: dict[str | None, Pending] = {}
        whose: dict[str | None, str | None] = {}  # queue key → the patient it concerns
        while not self._stop.is_set():
            if not self._actionable(queue, whose):
                self._wake.wait(timeout=self.tick)
            self._wake.clear()
            with self._lock:
                pending, self._pending = self._pending, {}
            if any(other for _, _, other in pending.values()):
                self.service.forget_beds()  # ADT may have moved someone: ask the database again
            for key, (first, latest, other) in pending.items():
                if key in queue:
                    f0, l0, o0 = queue[key]
                    newest = l0 if latest is None else latest if l0 is None else max(l0, latest)
                    queue[key] = (min(f0, first), newest, o0 or other)
                else:
                    queue[key] = (first, latest, other)
                whose[key] = self._patient_of(key, queue[key][1])
            if self.pool is not None:
                self._record_results(queue, whose)
            if not self.leader:
                queue.clear()
                whose.clear()
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

    def _actionable(self, queue: dict, whose: dict) -> bool:
        if self._pending or (self.pool is not None and not self.pool.results.empty()):
            return True
        if not queue:
            return False
        return self.pool is None or any(self.pool.free(self.pool.worker_of(whose[k])) for k in queue)

    def _pick(self, queue: dict, whose: dict, allowed: Callable[[str | None], bool] = lambda k: True):  # type: ignore[no-untyped-def]
        """Triage: when many beds close a minute at once (they share the wall clock), a bed whose
        last evaluation saw a rule's condition hold goes before calm ones that have waited less than
        URGENT_AHEAD longer; otherwise the longest waiting goes first, so a calm bed never starves."""
        watching = self.service.watching
        keys = [k for k in queue if allowed(k)]
        if not keys:
            return None
        return min(keys, key=lambda k: queue[k][0] - (URGENT_AHEAD if whose[k] in watching else 0.0))

    def _evaluate_next(self, queue: dict, whose: dict) -> None:
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

    def _dispatch(self, queue: dict, whose: dict) -> None:
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

    def _record_results(self, queue: dict, whose: dict) -> None:
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

    def _patient_of(self, key: str | None, latest: float | None) -> str | None:
        if key is not None and key.startswith("bed:"):
            at = latest if latest is not None else self.service.clock()
            return self.service.patient_in_bed(key[4:], at)
        return key

    def _tick(self) -> None:
        done = time.monotonic()
        while not self._stop.wait(self.tick):
            if self.backlog and time.monotonic() - done < TICK_YIELD:
                # Patients are waiting for evaluation (a burst of minute closes): the tick's lease
                # write, escalation and sweep would compete with them for the interpreter and the
                # write lock. They can wait a second or two; the lease lasts ten.
                continue
            done = time.monotonic()
            now = self.service.clock()
            try:
                if not self._hold_lease(now):
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
