"""The alerting engine's own lookups, besides alerts, doses and the rules' patient data: who ADT has in
a bed at a time, the feed table (whether a monitor feed is catching up a backlog), and the lease in
`alerting_heartbeat` that lets one engine alert at a time per database."""

from __future__ import annotations

from bedside_adapters.db import schema as t
from bedside_adapters.db.patient_match import ref_of
from bedside_adapters.db.safety_store import record
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from bedside.clock import from_ms, to_ms
from bedside.log_entries import RulesetLoaded
from bedside.model import PatientRef


def stay_at(engine: Engine, bed: str, at: float) -> tuple[PatientRef, float, float | None] | None:
    """The stay in `bed` at `at` (not cancelled): (patient, from, to or None while it lasts); None
    for an empty bed."""
    s = t.bed_stay.c
    at_ms = to_ms(at)
    with engine.connect() as conn:
        row = conn.execute(
            select(s.patient_ref, s.from_ms, s.to_ms)
            .where(s.bed == bed, s.cancelled.is_(False), s.from_ms <= at_ms)
            .where(s.to_ms.is_(None) | (s.to_ms > at_ms))
            .order_by(s.from_ms.desc())
            .limit(1)
        ).first()
    if row is None:
        return None
    return ref_of(row[0]), from_ms(row[1]), from_ms(row[2]) if row[2] is not None else None


def feed_times(engine: Engine) -> list[tuple[str, float, float | None]]:
    """Per feed sender: when its last message arrived and the newest observation time it carried."""
    f = t.feed.c
    with engine.connect() as conn:
        rows = conn.execute(select(f.sender, f.last_received_ms, f.last_observed_ms)).all()
    return [
        (sender, from_ms(received), from_ms(observed) if observed is not None else None)
        for sender, received, observed in rows
    ]


def hold_lease(
    engine: Engine, instance: str, ruleset: str, now: float, lease_seconds: float, taken: RulesetLoaded | None
) -> bool:
    """Take or renew the lease for `instance` at `now`: renewed if it holds it, taken if nobody holds
    it or its holder has not renewed it for `lease_seconds`. Whether `instance` holds it now.
    `taken`: the entry to log, in the same transaction, when the lease is held (an engine that did
    not hold it before logs the rule set it alerts with)."""
    h = t.alerting_heartbeat.c
    now_ms = to_ms(now)
    values = {"instance": instance, "beat_ms": now_ms, "ruleset": ruleset[:120], "evaluated_ms": now_ms}
    try:
        with engine.begin() as conn:
            took = conn.execute(
                update(t.alerting_heartbeat)
                .where(h.name == "alerting")
                .where((h.instance == instance) | (h.beat_ms < now_ms - int(lease_seconds * 1000)))
                .values(**values)
            ).rowcount
            if not took:
                exists = conn.execute(select(h.name).where(h.name == "alerting")).first()
                if exists is None:
                    conn.execute(insert(t.alerting_heartbeat).values(name="alerting", **values))
                    took = 1
            if took and taken is not None:
                record(conn, taken, now)
    except IntegrityError:  # another engine inserted the lease first
        return False
    return bool(took)
