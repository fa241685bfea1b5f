"""Alerts in the database: read them (one shape, `bedside.alerts.Alert`), write the changes
`bedside.alert_changes` decides, store acknowledgements, list. Each change is logged in the safety log
inside the same transaction, so the log and the alert table never disagree."""

from __future__ import annotations

import json
from collections import namedtuple
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from bedside_adapters.db import raw
from bedside_adapters.db import schema as t
from bedside_adapters.db.patient_match import OF_PATIENT_SQL, of_patient_params, ref_of, ref_text
from bedside_adapters.db.safety_store import record
from sqlalchemy import Connection, Engine, bindparam, select, update

from bedside.alert_changes import (
    AlertChange,
    Annotated,
    Escalated,
    Folded,
    Logged,
    RaiseAlert,
    Refreshed,
    Resolved,
)
from bedside.alerts import Alert, AlertState
from bedside.clock import from_ms, to_ms
from bedside.model import PatientRef
from bedside.unit_of_work import alert_changed

_COLUMNS = (
    "id",
    "episode_id",
    "patient_ref",
    "rule_id",
    "title",
    "ruleset",
    "ruleset_digest",
    "grading",
    "severity",
    "state",
    "message",
    "onset_ms",
    "fired_ms",
    "last_true_ms",
    "raised_ms",
    "start_unconfirmed",
    "on_import",
    "observations",
    "detail",
    "annotation",
    "acked_by",
    "acked_ms",
    "ack_comment",
    "escalated_ms",
    "resolved_ms",
    "resolved_reason",
    "latency_ms",
    "folded_into",
)
_Row = namedtuple("_Row", (*_COLUMNS, "dose_number"))
_SELECT = (
    "SELECT "
    + ", ".join(f"alert.{c}" for c in _COLUMNS)
    + ", infusion_episode.dose_number FROM alert"
    + " JOIN infusion_episode ON infusion_episode.id = alert.episode_id"
)


def alert_of(r: Any) -> Alert:
    """The one reading of an alert row (with its episode's `dose_number` when the query joined it)."""
    detail = _detail(r.detail)
    return Alert(
        id=int(r.id),
        episode_id=int(r.episode_id),
        rule_id=r.rule_id,
        severity=r.severity,
        state=AlertState(r.state),
        onset=from_ms(r.onset_ms),
        fired_at=from_ms(r.fired_ms),
        last_true=from_ms(r.last_true_ms),
        raised_at=from_ms(r.raised_ms),
        observations=tuple(json.loads(r.observations)),
        escalated_at=None if r.escalated_ms is None else from_ms(r.escalated_ms),
        on_import=bool(r.on_import),
        components=tuple(detail.get("components", ())),
        acked_at=None if r.acked_ms is None else from_ms(r.acked_ms),
        folded_into=None if r.folded_into is None else int(r.folded_into),
        acked_by=r.acked_by or "",
        patient=ref_of(r.patient_ref),
        dose=int(getattr(r, "dose_number", 0) or 0),
        title=r.title,
        message=r.message,
        ruleset=r.ruleset,
        ruleset_digest=r.ruleset_digest,
        grading=r.grading,
        start_unconfirmed=bool(r.start_unconfirmed),
        detail=detail,
        annotation=r.annotation or "",
        ack_comment=r.ack_comment or "",
        resolved_at=None if r.resolved_ms is None else from_ms(r.resolved_ms),
        resolved_reason=r.resolved_reason or "",
        latency_ms=r.latency_ms,
    )


def _read(conn: Connection, where: str, params: Sequence[object]) -> list[Alert]:
    # The engine reads an episode's alerts at every evaluation that writes: plain DB-API.
    cur = raw.cursor(conn)
    cur.execute(raw.sql(conn, f"{_SELECT} WHERE {where}"), tuple(params))
    return [alert_of(_Row(*r)) for r in cur.fetchall()]


def load_alerts(conn: Connection, episode_id: int) -> list[Alert]:
    return _read(conn, "alert.episode_id = ? ORDER BY alert.id", (episode_id,))


def awaiting_acknowledgement(conn: Connection) -> list[Alert]:
    """Raised alerts nobody acknowledged and not escalated yet: what the tick's escalation looks at."""
    return _read(
        conn,
        "alert.state = ? AND alert.escalated_ms IS NULL ORDER BY alert.id",
        (AlertState.RAISED.value,),
    )


def alerts(engine: Engine, patient: PatientRef | None = None, alert_id: int | None = None) -> list[Alert]:
    """Alerts in the order they fired: of a patient (under their authority, or, named by the MRN
    alone, under any), one alert, or all."""
    where, params = ["1 = 1"], []
    if patient is not None:
        where.append(OF_PATIENT_SQL.format(column="alert.patient_ref"))
        params += of_patient_params(str(patient))
    if alert_id is not None:
        where.append("alert.id = ?")
        params.append(alert_id)
    with engine.connect() as conn:
        return _read(conn, " AND ".join(where) + " ORDER BY alert.fired_ms, alert.id", params)


def _detail(text: str) -> dict:  # type: ignore[type-arg]
    try:
        d = json.loads(text or "{}")
    except ValueError:
        return {}
    return d if isinstance(d, dict) else {}


@dataclass
class Applied:
    raised: list[int]
    """Alerts stored new, in order (also those stored resolved at once)."""
    changed: int
    resolved: list[int]
    """Alerts resolved, in order: those resolved now and those stored resolved at once (in `raised`
    too: an alarm manager told of them must hear them start, then end)."""


def persist(conn: Connection, changes: Sequence[AlertChange]) -> Applied:
    """Write each change and its log entries, in order, inside the caller's transaction."""
    raised: list[int] = []
    resolved: list[int] = []
    a = t.alert.c
    for ch in changes:
        if isinstance(ch, RaiseAlert):
            alert_id = _insert(conn, ch.alert)
            raised.append(alert_id)
            if ch.resolved is not None:
                at, reason = ch.resolved
                conn.execute(
                    update(t.alert)
                    .where(a.id == alert_id)
                    .values(state=AlertState.RESOLVED.value, resolved_ms=to_ms(at), resolved_reason=reason)
                )
                resolved.append(alert_id)
            _log(conn, ch.log, alert_id)
        elif isinstance(ch, Refreshed):
            # The frequent change (every evaluation of an open alert's episode): plain DB-API.
            sets = "last_true_ms = ?, observations = ?, message = ?" + (
                ", severity = ?" if ch.severity is not None else ""
            )
            params: list[object] = [to_ms(ch.last_true), json.dumps(list(ch.observations)), ch.message]
            if ch.severity is not None:
                params.append(ch.severity)
            raw.cursor(conn).execute(
                raw.sql(conn, f"UPDATE alert SET {sets} WHERE id = ?"), (*params, ch.alert_id)
            )
            _log(conn, ch.log)
        elif isinstance(ch, Resolved):
            conn.execute(
                update(t.alert)
                .where(a.id == ch.alert_id)
                .values(
                    state=AlertState.RESOLVED.value, resolved_ms=to_ms(ch.at), resolved_reason=ch.reason[:200]
                )
            )
            resolved.append(ch.alert_id)
            _log(conn, ch.log)
        elif isinstance(ch, Annotated):
            old = conn.execute(select(a.annotation).where(a.id == ch.alert_id)).scalar_one()
            text = (old + "\n" if old else "") + ch.text
            conn.execute(update(t.alert).where(a.id == ch.alert_id).values(annotation=text))
            _log(conn, ch.log)
        elif isinstance(ch, Escalated):
            # Only an alert still unacknowledged: one acknowledged since the tick read it is not
            # escalated (nor logged as escalated).
            done = conn.execute(
                update(t.alert)
                .where(a.id == ch.alert_id, a.acked_ms.is_(None))
                .values(escalated_ms=to_ms(ch.at))
            )
            if done.rowcount == 1:
                _log(conn, ch.log)
        elif isinstance(ch, Folded):
            conn.execute(update(t.alert).where(a.id == ch.alert_id).values(folded_into=ch.into))
            _log(conn, ch.log)
    return Applied(raised, len(changes), resolved)


def _log(conn: Connection, log: Sequence[Logged], alert_id: int | None = None) -> None:
    for item in log:
        entry = item.entry if alert_id is None else replace(item.entry, alert_id=alert_id)
        record(conn, entry, item.at)


def store_latencies(engine: Engine, latencies: Sequence[tuple[int, float]]) -> None:
    """Per alert id: milliseconds from the commit of the message that raised it to its log entry."""
    with engine.begin() as conn:
        conn.execute(
            update(t.alert).where(t.alert.c.id == bindparam("aid")).values(latency_ms=bindparam("ms")),
            [{"aid": a, "ms": ms} for a, ms in latencies],
        )


def count_open(conn: Connection, episode_id: int) -> int:
    """Alerts of an episode not yet resolved (raised, acknowledged or escalated)."""
    cur = raw.cursor(conn)
    cur.execute(
        raw.sql(conn, "SELECT count(*) FROM alert WHERE episode_id = ? AND state <> ?"),
        (episode_id, AlertState.RESOLVED.value),
    )
    return int(cur.fetchone()[0])


_INSERT_ALERT = (
    "INSERT INTO alert (episode_id, patient_ref, rule_id, ruleset, ruleset_digest, grading, severity, "
    "state, title, message, onset_ms, fired_ms, last_true_ms, raised_ms, start_unconfirmed, on_import, "
    "observations, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"
)


def _insert(conn: Connection, n: Alert) -> int:
    cur = raw.cursor(conn)
    cur.execute(
        raw.sql(conn, _INSERT_ALERT),
        (
            n.episode_id,
            ref_text(n.patient) if n.patient is not None else "",
            n.rule_id,
            n.ruleset[:120],
            n.ruleset_digest,
            n.grading[:60],
            n.severity,
            n.state.value,
            n.title[:120],
            n.message,
            to_ms(n.onset),
            to_ms(n.fired_at),
            to_ms(n.last_true),
            to_ms(n.raised_at),
            n.start_unconfirmed,
            n.on_import,
            json.dumps(list(n.observations)),
            json.dumps(n.detail, default=str),
        ),
    )
    return int(cur.fetchone()[0])


def load_alert(conn: Connection, alert_id: int) -> Alert | None:
    found = _read(conn, "alert.id = ?", (alert_id,))
    return found[0] if found else None


def folded_under(conn: Connection, alert_id: int) -> list[Alert]:
    return _read(conn, "alert.folded_into = ? ORDER BY alert.id", (alert_id,))


def store_acknowledgement(
    conn: Connection,
    alert_id: int,
    expected: AlertState,
    state: AlertState,
    by: str,
    at: float,
    comment: str,
) -> None:
    """Who acknowledged the alert, when, with what comment (the decision is `bedside.handlers`').

    Written only over the state the decision was made on: the alerting process may resolve the
    alert, or another screen acknowledge it, between the handler's read and this write. The
    condition is in the UPDATE itself, which PostgreSQL re-checks on the row as last committed and
    SQLite runs under its one writer's lock, so no row matching means it changed: ChangedMeanwhile,
    and the resolution (or the first acknowledgement) stands."""
    a = t.alert.c
    done = conn.execute(
        update(t.alert)
        .where(a.id == alert_id, a.state == expected.value, a.acked_ms.is_(None))
        .values(state=state.value, acked_by=by[:120], acked_ms=to_ms(at), ack_comment=comment)
    )
    if done.rowcount != 1:
        raise alert_changed(alert_id)
