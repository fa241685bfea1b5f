"""The read side: implements bedside.ports.SeriesStore over the same tables ingest writes."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from bedside_adapters.db import adverse_store, course_store, raw
from bedside_adapters.db import schema as t
from bedside_adapters.db.alert_store import alert_of
from bedside_adapters.db.dead_letters import undelivered_since
from bedside_adapters.db.death_sae_store import load_death_sae, reported_death
from bedside_adapters.db.episode_store import parse_targets
from bedside_adapters.db.feed_rows import feed_activity, select_feeds
from bedside_adapters.db.patient_match import ref_text
from bedside_adapters.db.streams import UNKNOWN, stream_of
from sqlalchemy import Connection, Engine, func, inspect, or_, select

from bedside.adt import attached_intervals
from bedside.alerts import Alert
from bedside.checks import Signature
from bedside.chunks import CHUNK_MS, CHUNK_SECONDS, chunk_start_ms, decode_grid, min_max_envelope, samples
from bedside.clock import from_ms, to_ms
from bedside.death_sae import covers_death
from bedside.feeds import FeedActivity
from bedside.model import Patient, PatientRef, Series, SeriesKey, SeriesWindow
from bedside.rules.engine import parse_baselines
from bedside.status import UNDELIVERED_SHOWN_FOR, DoseInfo, LabValue, PatientStatus
from bedside.users import SignedBy


class SqlSeriesStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @property
    def engine(self) -> Engine:
        return self._engine

    def schema_ready(self) -> bool:
        """False until ingest (or `bedside-cli db upgrade`) has created the tables."""
        return inspect(self._engine).has_table("series")

    def patients(self) -> Sequence[Patient]:
        stmt = select(
            t.patient.c.identifier,
            t.patient.c.authority,
            t.patient.c.family_name,
            t.patient.c.given_name,
            t.patient.c.bed,
        ).order_by(t.patient.c.updated_ms.desc(), t.patient.c.id.desc())
        with self._engine.connect() as conn:
            return [Patient(PatientRef(r[0], r[1]), r[2], r[3], r[4]) for r in conn.execute(stmt)]

    def series_for(self, patient: PatientRef, parameters: Sequence[str] | None = None) -> Sequence[Series]:
        """The patient's series: those stored for the patient (labs-like, imported), and the series
        of every device bound to a bed while the patient was in it, clipped to those intervals."""
        ref = str(patient)
        with self._engine.connect() as conn:
            attached = attached_devices(conn, patient)
            # DB-API: the alert engine reads every evaluated patient's series, so this is a hot path.
            where = "patient_ref = ?"
            params: list[object] = [ref]
            if attached:
                where = f"(patient_ref = ? OR (patient_ref = '' AND device IN ({_marks(len(attached))})))"
                params += list(attached)
            if parameters is not None:
                if not parameters:
                    return []
                where += f" AND parameter IN ({_marks(len(parameters))})"
                params += list(parameters)
            cur = raw.cursor(conn)
            cur.execute(
                raw.sql(
                    conn,
                    "SELECT id, patient_ref, parameter, unit, device, instance FROM series "
                    f"WHERE {where} ORDER BY id",
                ),
                params,
            )
            out = []
            for sid, owner, parameter, unit, device, instance in cur.fetchall():
                key = SeriesKey(patient, parameter, unit, device, instance)
                clip = None if owner == ref else tuple(attached[device])
                out.append(Series(int(sid), key, clip))
            return out

    def window(self, series: Series, start: float, end: float) -> SeriesWindow:
        return self.windows([series], start, end)[0]

    def windows(self, series: Sequence[Series], start: float, end: float) -> list[SeriesWindow]:
        """Values with start <= t <= end for several series in two queries.

        Rows are read before chunks: a compaction in between can then only make a value appear in
        both (harmless, it lands in the same slot), never in neither.
        """
        if not series:
            return []
        lo, hi = to_ms(start), to_ms(end)
        ids = [s.id for s in series]
        streams = sorted({UNKNOWN, *(stream_of(s.key.device[:120]) for s in series)})
        with self._engine.connect() as conn:
            hot = self._read_rows(conn, ids, streams, lo, hi)
            cur = raw.cursor(conn)
            cur.execute(
                raw.sql(
                    conn,
                    "SELECT series_id, start_ms, grid FROM series_chunk "
                    f"WHERE series_id IN ({_marks(len(ids))}) AND start_ms >= ? AND start_ms <= ?",
                ),
                (*ids, chunk_start_ms(lo), hi),
            )
            chunks = cur.fetchall()
        first = chunk_start_ms(lo)
        n_chunks = (chunk_start_ms(hi) - first) // CHUNK_MS + 1
        index = {sid: i for i, sid in enumerate(ids)}
        dense = np.full((len(ids), n_chunks * CHUNK_SECONDS), np.nan, dtype=np.float32)
        for sid, start_ms, grid in chunks:
            k = (int(start_ms) - first) // CHUNK_MS
            dense[index[int(sid)], k * CHUNK_SECONDS : (k + 1) * CHUNK_SECONDS] = decode_grid(bytes(grid))
        if hot:
            rows = np.array(hot, dtype=np.float64)
            slots = ((rows[:, 1].astype(np.int64) - first) // 1000).astype(np.int64)
            which = np.array([index[int(x)] for x in rows[:, 0]], dtype=np.int64)
            dense[which, slots] = rows[:, 2].astype(np.float32)  # in row order: the newest wins
        out = []
        for s in series:
            times, values = samples(first, dense[index[s.id]], lo, hi)
            if s.attached is not None:
                keep = s.clip(times)
                times, values = times[keep], values[keep]
            out.append(SeriesWindow(s, times, values))
        return out

    def _read_rows(self, conn: Connection, ids: list[int], streams: list[int], lo: int, hi: int) -> list:
        cur = raw.cursor(conn)
        cur.execute(
            raw.sql(
                conn,
                "SELECT series_id, observed_ms, value FROM observation "
                f"WHERE stream IN ({_marks(len(streams))}) AND observed_ms >= ? AND observed_ms <= ? "
                f"AND series_id IN ({_marks(len(ids))}) ORDER BY id",
            ),
            (*streams, lo, hi, *ids),
        )
        return cur.fetchall()

    def envelope(
        self, series: Series, start: float, end: float, bins: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Min/max per bin for zoomed-out views (two points per pixel column)."""
        w = self.window(series, start, end)
        return min_max_envelope(w.times, w.values, start, end, bins)

    def feed_activity(
        self, patient: PatientRef | None = None, now: float | None = None
    ) -> Sequence[FeedActivity]:
        """Every feed; with `patient`, without the devices bound to another patient's bed (a ward
        screen shows the feeds of the bed it shows, plus event feeds and devices bound to no bed)."""
        with self._engine.connect() as conn:
            rows = conn.execute(select_feeds()).all()
            hidden: set[str] = set()
            if patient is not None:
                at = now if now is not None else max((from_ms(r[1]) for r in rows), default=0.0)
                attached = attached_devices(conn, patient)
                mine = {d for d, spans in attached.items() if any(a <= at < b for a, b in spans)}
                # A device that left this patient (a discharge, a death) and has sent no value
                # observed since is still this patient's: shown stopped, with when it last sent,
                # never as if the patient had no device values at all. Observed, not received: a
                # history caught up after the death arrives after it, yet its values are from before.
                left = {d: max(b for _a, b in spans) for d, spans in attached.items() if d not in mine}
                mine |= {
                    _device_of(r[0])
                    for r in rows
                    if _device_of(r[0]) in left
                    and from_ms(r[2] if r[2] is not None else r[1]) <= left[_device_of(r[0])]
                }
                bound = {d for (d,) in conn.execute(select(t.device_binding.c.device).distinct())}
                hidden = bound - mine
        return [feed_activity(r) for r in rows if _device_of(r[0]) not in hidden]

    def patient_status(
        self, patient: PatientRef | None, now: float, labs_from: float | None = None
    ) -> PatientStatus:
        """Doses (with the baselines the rules use), open and recently resolved alerts, signed checks
        and lab results (from `labs_from`) of one patient, plus the rule engine's heartbeat."""
        a = t.alert.c
        with self._engine.connect() as conn:
            h = t.alerting_heartbeat.c
            beat = conn.execute(select(h.beat_ms, h.ruleset, h.instance)).first()
            beat_at, ruleset, holder = (None, "", "") if beat is None else (from_ms(beat[0]), *beat[1:])
            undelivered, undelivered_at = undelivered_since(conn, now - UNDELIVERED_SHOWN_FOR)
            if patient is None:
                return PatientStatus(
                    beat_at, ruleset, (), (), (), {}, {}, holder, undelivered, undelivered_at
                )
            # Lab results are kept under the reference as the feed sent it; the doses, alerts and
            # what clinicians recorded, under the reference the record resolved (`ref_text`).
            sent, ref = str(patient), ref_text(patient)
            doses = tuple(load_doses(conn, patient))
            since = to_ms(now - 24 * 3600.0)
            rows = conn.execute(
                select(t.alert)
                .where(
                    a.patient_ref == ref,
                    or_(a.state != "resolved", a.resolved_ms >= since),
                )
                .order_by(a.fired_ms.desc())
            ).all()
            signatures: dict[int, list[Signature]] = {}
            acknowledged: dict[int, SignedBy] = {}
            log = t.safety_log.c
            for r in conn.execute(
                select(log.kind, log.episode_id, log.alert_id, log.at_ms, log.actor, log.payload)
                .where(log.patient_ref == ref, log.kind.in_(("check.done", "alert.acknowledged")))
                .order_by(log.seq)
            ):
                payload = json.loads(r.payload)
                if r.kind == "alert.acknowledged":
                    signed = SignedBy.of(payload)
                    if signed is not None and r.alert_id is not None:
                        acknowledged[int(r.alert_id)] = signed
                    continue
                key = payload.get("check", "")
                signer = SignedBy.of(payload)
                signatures.setdefault(int(r.episode_id), []).append(
                    Signature(
                        key,
                        from_ms(r.at_ms),
                        r.actor,
                        signer.name if signer else "",
                        signer.role if signer else "",
                    )
                )
            labs: dict[str, list[LabValue]] = {}
            if labs_from is not None:
                c = t.lab_result.c
                for r in conn.execute(
                    select(c.analyte, c.observed_ms, c.value, c.unit, c.reference_range, c.status)
                    .where(
                        c.patient_ref == sent,
                        c.current.is_(True),
                        c.retracted.is_(False),
                        c.analyte.is_not(None),
                        c.value.is_not(None),
                        c.observed_ms >= to_ms(labs_from),
                    )
                    .order_by(c.observed_ms)
                ):
                    labs.setdefault(r.analyte, []).append(
                        LabValue(
                            r.analyte,
                            from_ms(r.observed_ms),
                            float(r.value),
                            r.unit,
                            r.reference_range,
                            r.status,
                        )
                    )
            adverse = tuple(v for v, _ in adverse_store.patient_events(conn, patient))
            deaths = course_store.death_times(conn, patient)
            fatal = [v.event_id for v in adverse if covers_death(v)]
            death_sae = load_death_sae(conn, patient, deaths[-1] if deaths else None, fatal)
            # A death ADT reported counts only once confirmed; until then the screens say it is there.
            reported = None if deaths else reported_death(conn, patient)
        alerts = [signed_alert(alert_of(r), acknowledged) for r in rows]
        rank = {"high": 0, "medium": 1, "low": 2}
        open_ = sorted(
            (x for x in alerts if x.state != "resolved"), key=lambda x: (rank.get(x.severity, 3), -x.fired_at)
        )
        recent = tuple(x for x in alerts if x.state == "resolved")
        return PatientStatus(
            beat_at,
            ruleset,
            tuple(open_),
            recent,
            doses,
            signatures,
            labs,
            holder,
            undelivered,
            undelivered_at,
            adverse_events=adverse,
            deceased_at=deaths[-1] if deaths else None,
            death_sae=death_sae,
            reported_death=None if reported is None else reported[0],
        )

    def last_ingest_heartbeat(self) -> float | None:
        with self._engine.connect() as conn:
            value = conn.execute(select(func.max(t.ingest_heartbeat.c.beat_ms))).scalar_one_or_none()
        return from_ms(value) if value is not None else None


def load_doses(conn: Connection, patient: PatientRef) -> list[DoseInfo]:
    """The patient's doses not entered in error, oldest first, with the baselines the rules use (the
    patient as the record resolved them, `ref_text`)."""
    e = t.infusion_episode.c
    return [
        DoseInfo(
            int(r.id),
            int(r.dose_number),
            from_ms(r.start_ms),
            None if r.end_ms is None else from_ms(r.end_ms),
            r.state,
            r.start_source,
            r.product,
            r.cells_per_kg,
            r.weight_kg,
            r.course_doses,
            r.confirmed_by,
            parse_baselines(r.baselines),
            dict(parse_targets(r.targets)),
        )
        for r in conn.execute(
            select(t.infusion_episode)
            .where(e.patient_ref == ref_text(patient), e.state != "cancelled")
            .order_by(e.start_ms)
        )
    ]


def _device_of(sender: str) -> str:
    """The device id a feed's sender carries (MSH-3.2, the EUI-64 of an IHE PCD gateway's device)."""
    app = sender.split(" @ ")[0]
    parts = app.split("^")
    return parts[1] if len(parts) > 1 else app


def signed_alert(info: Alert, acknowledged: dict[int, SignedBy]) -> Alert:
    """The alert with its acknowledger's signature as the log keeps it (the last acknowledgement)."""
    signed = acknowledged.get(info.id)
    return info if signed is None or not info.acked_by else replace(info, ack_signature=signed)


def attached_devices(conn: Connection, patient: PatientRef) -> dict[str, list[tuple[float, float]]]:
    """Per device, when its values were this patient's: device bound to a bed × patient in that bed
    (the bed stays are kept under the reference as ADT sent it, `str`)."""
    cur = raw.cursor(conn)
    cur.execute(
        raw.sql(conn, "SELECT bed, from_ms, to_ms FROM bed_stay WHERE patient_ref = ? AND cancelled = ?"),
        (str(patient), False),
    )
    stays = [(bed, from_ms(a), from_ms(b) if b is not None else math.inf) for bed, a, b in cur.fetchall()]
    if not stays:
        return {}
    beds = sorted({st[0] for st in stays})
    cur.execute(
        raw.sql(
            conn, f"SELECT device, bed, from_ms, to_ms FROM device_binding WHERE bed IN ({_marks(len(beds))})"
        ),
        beds,
    )
    bindings = [
        (device, bed, from_ms(a), from_ms(z) if z is not None else math.inf)
        for device, bed, a, z in cur.fetchall()
    ]
    return attached_intervals(stays, bindings)


def _marks(n: int) -> str:
    return ", ".join(["?"] * n)
