"""The ward overview's read: every bed's patient, doses, open alerts, newest key numerics and the
device feeds bound to the bed, in a handful of queries per bed (SQLite or PostgreSQL alike)."""

from __future__ import annotations

from bedside_adapters.db import schema as t
from bedside_adapters.db.alert_store import alert_of
from bedside_adapters.db.feed_rows import feed_activity, select_feeds
from bedside_adapters.db.patient_match import ref_text
from bedside_adapters.db.read_store import (
    SqlSeriesStore,
    _device_of,
    attached_devices,
    load_doses,
)
from sqlalchemy import select

from bedside.clock import from_ms
from bedside.model import Patient, SeriesWindow
from bedside.vitals import MANUAL_DEVICE
from bedside.ward import WARD_PARAMETERS, BedFacts, WardFacts

RECENT_WINDOW = 75 * 60.0
"""As the nurse's screen: a cuff cycles up to hourly, so its value stays current that long."""
SHORT_WINDOW = 5 * 60.0
"""A monitor reports every few seconds: its newest value is in the last minutes. Only series with
nothing there are read over RECENT_WINDOW, so a ward of 1 Hz monitors is not read 75 min a second."""


def ward_patients(patients: list[Patient]) -> list[Patient]:
    """The patients in a bed now (ADT), else everyone known (a database without ADT)."""
    return [p for p in patients if p.bed] or patients


def read_ward(store: SqlSeriesStore, now: float) -> WardFacts:
    patients = ward_patients(list(store.patients()))
    series = {str(p.ref): list(store.series_for(p.ref, WARD_PARAMETERS)) for p in patients}
    everything = [s for ss in series.values() for s in ss]
    recent = store.windows(everything, now - SHORT_WINDOW, now)
    missing = [w.series for w in recent if not len(w)]
    older = store.windows(missing, now - RECENT_WINDOW, now) if missing else []
    by_series: dict[int, SeriesWindow] = {w.series.id: w for w in recent if len(w)}
    by_series.update({w.series.id: w for w in older if len(w)})

    a, log = t.alert.c, t.alerting_heartbeat.c
    with store.engine.connect() as conn:
        beat = conn.execute(select(log.beat_ms, log.ruleset)).first()
        open_alerts = conn.execute(
            select(t.alert).where(a.state != "resolved").order_by(a.fired_ms.desc())
        ).all()
        feed_rows = conn.execute(select_feeds()).all()
        beds = []
        for p in patients:
            ref = str(p.ref)
            # The devices bound to the patient's bed now: this bed's feeds, not the neighbours'.
            mine = {
                d for d, spans in attached_devices(conn, p.ref).items() if any(x <= now < y for x, y in spans)
            }
            feeds = tuple(feed_activity(r) for r in feed_rows if _device_of(r[0]) in mine)
            latest, manual = _latest([by_series[s.id] for s in series[ref] if s.id in by_series])
            beds.append(
                BedFacts(
                    p,
                    tuple(load_doses(conn, p.ref)),
                    tuple(alert_of(r) for r in open_alerts if r.patient_ref == ref_text(p.ref)),
                    latest,
                    feeds,
                    manual,
                )
            )
    return WardFacts(
        tuple(beds),
        None if beat is None else from_ms(beat[0]),
        "" if beat is None else beat[1],
        store.last_ingest_heartbeat(),
    )


def _latest(windows: list[SeriesWindow]) -> tuple[dict[str, tuple[float, float]], dict[str, str]]:
    """Per parameter the newest value of any instance, and which were entered by hand (their site):
    the same choice as the nurse's screen makes, so a tile and the bed's screen agree."""
    latest: dict[str, tuple[float, float]] = {}
    manual: dict[str, str] = {}
    for w in windows:
        key = w.series.key.parameter
        if key not in latest or w.times[-1] > latest[key][0]:
            latest[key] = (float(w.times[-1]), float(w.values[-1]))
            if w.series.key.device == MANUAL_DEVICE:
                manual[key] = w.series.key.instance
            else:
                manual.pop(key, None)
    return latest, manual
