"""Alerts in the database: apply reconcile's actions, acknowledge, list. Each change is logged in the
safety log inside the same transaction, so the log and the alert table never disagree."""

from __future__ import annotations

import json
from dataclasses import dataclass

from bedside_adapters.db import raw
from bedside_adapters.db import schema as t
from bedside_adapters.db.safety_store import append
from sqlalchemy import Connection, Engine, select, update

from bedside.alerts import Action, Alert, AlertState, Annotate, Escalate, Raise, Resolve, Update, fold
from bedside.clock import from_ms, to_ms
from bedside.episodes import InfusionEpisode
from bedside.rules.engine import Finding
from bedside.rules.ruleset import RuleSet
from bedside.rules.technical import LABELS, is_technical

ENGINE_ACTOR = "bedside-rules"


class AlertError(ValueError):
    pass


_ALERT_COLUMNS = (
    "id, episode_id, rule_id, severity, state, onset_ms, fired_ms, last_true_ms, raised_ms, "
    "observations, escalated_ms, on_import, detail, acked_ms, folded_into"
)


def load_alerts(conn: Connection, episode_id: int) -> list[Alert]:
    cur = raw.cursor(conn)
    cur.execute(
        raw.sql(conn, f"SELECT {_ALERT_COLUMNS} FROM alert WHERE episode_id = ? ORDER BY id"), (episode_id,)
    )
    return [
        Alert(
            id=int(r[0]),
            episode_id=int(r[1]),
            rule_id=r[2],
            severity=r[3],
            state=AlertState(r[4]),
            onset=from_ms(r[5]),
            fired_at=from_ms(r[6]),
            last_true=from_ms(r[7]),
            raised_at=from_ms(r[8]),
            observations=tuple(json.loads(r[9])),
            escalated_at=None if r[10] is None else from_ms(r[10]),
            on_import=bool(r[11]),
            components=tuple(_detail(r[12]).get("components", ())),
            acked_at=None if r[13] is None else from_ms(r[13]),
            folded_into=None if r[14] is None else int(r[14]),
        )
        for r in cur.fetchall()
    ]


def _detail(text: str) -> dict:  # type: ignore[type-arg]
    try:
        d = json.loads(text or "{}")
    except ValueError:
        return {}
    return d if isinstance(d, dict) else {}


def _foldable(rules: RuleSet) -> set[str]:
    """Rules whose alerts belong to a reaction: everything but lab results and technical alerts."""
    return {r.id for r in rules.rules if r.kind not in ("lab", "pf")}


def apply_folding(conn: Connection, rules: RuleSet, episode: InfusionEpisode, now: float) -> None:
    """Persist `bedside.alerts.fold` for one episode; each change is logged."""
    alerts = load_alerts(conn, episode.id)
    parents = fold(alerts, _foldable(rules))
    for a in alerts:
        parent = parents[a.id]
        if a.folded_into is not None or parent is None:
            continue  # once folded, an alert stays where the nurse saw it
        conn.execute(update(t.alert).where(t.alert.c.id == a.id).values(folded_into=parent))
        append(
            conn,
            "alert.folded",
            ENGINE_ACTOR,
            {"into": parent, "rule": a.rule_id, "why": "part of the reaction the composite alert names"},
            now,
            episode.patient,
            episode.id,
            a.id,
        )


@dataclass
class Applied:
    raised: list[int]
    changed: int
    resolved: list[int]


def apply_actions(
    conn: Connection,
    rules: RuleSet,
    episode: InfusionEpisode,
    actions: list[Action],
    now: float,
    on_import: bool = False,
) -> Applied:
    applied = _apply(conn, rules, episode, actions, now, on_import)
    if any(isinstance(act, Raise | Update) for act in actions):
        apply_folding(conn, rules, episode, now)
    return applied


def _apply(
    conn: Connection,
    rules: RuleSet,
    episode: InfusionEpisode,
    actions: list[Action],
    now: float,
    on_import: bool,
) -> Applied:
    raised: list[int] = []
    resolved: list[int] = []
    a = t.alert.c
    for act in actions:
        if isinstance(act, Raise):
            f = act.finding
            alert_id = _raise(conn, rules, episode, f, now, on_import)
            raised.append(alert_id)
            if f.cleared:  # seen only after it was over (an import, an outage): raised, then resolved
                at = f.last_true + rules.rearm_minutes * 60.0 if on_import else now
                reason = "feed back" if f.rule_id == "STALE" else "condition cleared for the re-arm period"
                conn.execute(
                    update(t.alert)
                    .where(a.id == alert_id)
                    .values(state=AlertState.RESOLVED.value, resolved_ms=to_ms(at), resolved_reason=reason)
                )
                append(
                    conn,
                    "alert.resolved",
                    ENGINE_ACTOR,
                    {"reason": reason},
                    at,
                    episode.patient,
                    episode.id,
                    alert_id,
                )
        elif isinstance(act, Update):
            f = act.finding
            # The frequent action (every evaluation of an open alert's episode): plain DB-API.
            sets = "last_true_ms = ?, observations = ?, message = ?" + (
                ", severity = ?" if act.severity_rose else ""
            )
            params: list[object] = [
                to_ms(f.last_true),
                json.dumps(list(f.observations)),
                f.message + _suffix(episode),
            ]
            if act.severity_rose:
                params.append(f.severity)
            raw.cursor(conn).execute(
                raw.sql(conn, f"UPDATE alert SET {sets} WHERE id = ?"), (*params, act.alert_id)
            )
            if act.severity_rose:
                append(
                    conn,
                    "alert.severity",
                    ENGINE_ACTOR,
                    {
                        "rule": f.rule_id,
                        "severity": f.severity,
                        "at": f.severity_rose_at,
                        "message": f.message,
                    },
                    now,
                    episode.patient,
                    episode.id,
                    act.alert_id,
                )
        elif isinstance(act, Resolve):
            conn.execute(
                update(t.alert)
                .where(a.id == act.alert_id)
                .values(
                    state=AlertState.RESOLVED.value, resolved_ms=to_ms(now), resolved_reason=act.reason[:200]
                )
            )
            append(
                conn,
                "alert.resolved",
                ENGINE_ACTOR,
                {"reason": act.reason},
                now,
                episode.patient,
                episode.id,
                act.alert_id,
            )
        elif isinstance(act, Annotate):
            old = conn.execute(select(a.annotation).where(a.id == act.alert_id)).scalar_one()
            text = (old + "\n" if old else "") + act.text
            conn.execute(update(t.alert).where(a.id == act.alert_id).values(annotation=text))
            append(
                conn,
                "alert.annotated",
                ENGINE_ACTOR,
                {"text": act.text},
                now,
                episode.patient,
                episode.id,
                act.alert_id,
            )
        elif isinstance(act, Escalate):
            conn.execute(update(t.alert).where(a.id == act.alert_id).values(escalated_ms=to_ms(now)))
            append(
                conn,
                "alert.escalated",
                ENGINE_ACTOR,
                {"after_minutes": act.minutes, "why": "not acknowledged in time"},
                now,
                episode.patient,
                episode.id,
                act.alert_id,
            )
    return Applied(raised, len(actions), resolved)


def count_open(conn: Connection, episode_id: int) -> int:
    """Alerts of an episode not yet resolved (raised, acknowledged or escalated)."""
    cur = raw.cursor(conn)
    cur.execute(
        raw.sql(conn, "SELECT count(*) FROM alert WHERE episode_id = ? AND state <> ?"),
        (episode_id, AlertState.RESOLVED.value),
    )
    return int(cur.fetchone()[0])


def _suffix(episode: InfusionEpisode) -> str:
    return "" if episode.confirmed else " The dose start is not yet confirmed."


_INSERT_ALERT = (
    "INSERT INTO alert (episode_id, patient_ref, rule_id, ruleset, ruleset_digest, grading, severity, "
    "state, title, message, onset_ms, fired_ms, last_true_ms, raised_ms, start_unconfirmed, on_import, "
    "observations, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"
)


def _raise(
    conn: Connection, rules: RuleSet, episode: InfusionEpisode, f: Finding, now: float, on_import: bool
) -> int:
    detail = {
        "values": f.values,
        "notes": list(f.notes),
        "severity_rose_at": f.severity_rose_at,
        "components": list(f.components),
    }
    raised_at = f.fired_at if on_import else now
    cur = raw.cursor(conn)
    cur.execute(
        raw.sql(conn, _INSERT_ALERT),
        (
            episode.id,
            episode.patient,
            f.rule_id,
            rules.label[:120],
            rules.digest,
            rules.grading[:60],
            f.severity,
            AlertState.RAISED.value,
            alert_title(rules, f.rule_id)[:120],
            f.message + _suffix(episode),
            to_ms(f.onset),
            to_ms(f.fired_at),
            to_ms(f.last_true),
            to_ms(raised_at),
            not episode.confirmed,
            on_import,
            json.dumps(list(f.observations)),
            json.dumps(detail, default=str),
        ),
    )
    alert_id = int(cur.fetchone()[0])
    append(
        conn,
        "alert.raised",
        ENGINE_ACTOR + (" (import)" if on_import else ""),
        {
            "rule": f.rule_id,
            "ruleset": rules.label,
            "ruleset_digest": rules.digest,
            "grading": rules.grading,
            "severity": f.severity,
            "onset": f.onset,
            "fired_at": f.fired_at,
            "message": f.message,
            "observations": list(f.observations),
            "dose": episode.dose_number,
            "start_unconfirmed": not episode.confirmed,
        },
        raised_at,
        episode.patient,
        episode.id,
        alert_id,
    )
    return alert_id


def alert_title(rules: RuleSet, rule_id: str) -> str:
    if rule_id == "STALE":
        return "Feed stopped"
    if is_technical(rule_id):
        signal = rule_id.removeprefix("TECH_").lower()
        return f"Check the {LABELS.get(signal, signal)} sensor"
    return rules.rule(rule_id).title


def acknowledge(engine: Engine, alert_id: int, by: str, now: float, comment: str = "") -> dict:
    a = t.alert.c
    with engine.begin() as conn:
        row = conn.execute(select(t.alert).where(a.id == alert_id)).first()
        if row is None:
            raise AlertError(f"no alert {alert_id}")
        if row.state == AlertState.RESOLVED.value and row.acked_ms is not None:
            raise AlertError(f"alert {alert_id} was already acknowledged by {row.acked_by} and is resolved")
        values: dict[str, object] = {"acked_by": by[:120], "acked_ms": to_ms(now), "ack_comment": comment}
        if row.state == AlertState.RAISED.value:
            values["state"] = AlertState.ACKNOWLEDGED.value
        conn.execute(update(t.alert).where(a.id == alert_id).values(**values))
        append(
            conn,
            "alert.acknowledged",
            by,
            {"comment": comment, "rule": row.rule_id, "severity": row.severity},
            now,
            row.patient_ref,
            int(row.episode_id),
            alert_id,
        )
        # One problem, one acknowledgement: the alerts folded under it are acknowledged with it.
        folded = conn.execute(
            select(a.id, a.rule_id, a.severity).where(
                a.folded_into == alert_id, a.state == AlertState.RAISED.value
            )
        ).all()
        for child in folded:
            conn.execute(
                update(t.alert)
                .where(a.id == child.id)
                .values(
                    state=AlertState.ACKNOWLEDGED.value,
                    acked_by=by[:120],
                    acked_ms=to_ms(now),
                    ack_comment=f"acknowledged with alert {alert_id}",
                )
            )
            append(
                conn,
                "alert.acknowledged",
                by,
                {"comment": comment, "rule": child.rule_id, "severity": child.severity, "with": alert_id},
                now,
                row.patient_ref,
                int(row.episode_id),
                int(child.id),
            )
    return alert_listing(engine, alert_id=alert_id)[0]


def alert_listing(engine: Engine, patient: str | None = None, alert_id: int | None = None) -> list[dict]:
    a = t.alert.c
    e = t.infusion_episode.c
    stmt = (
        select(t.alert, e.dose_number)
        .join(t.infusion_episode, e.id == a.episode_id)
        .order_by(a.fired_ms, a.id)
    )
    if patient:
        stmt = stmt.where((a.patient_ref == patient) | a.patient_ref.like(f"{patient}^%"))
    if alert_id is not None:
        stmt = stmt.where(a.id == alert_id)
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    return [
        {
            "id": int(r.id),
            "patient": r.patient_ref,
            "episode_id": int(r.episode_id),
            "dose": int(r.dose_number),
            "rule_id": r.rule_id,
            "title": r.title,
            "ruleset": r.ruleset,
            "ruleset_digest": r.ruleset_digest,
            "grading": r.grading,
            "severity": r.severity,
            "state": r.state,
            "onset": from_ms(r.onset_ms),
            "fired_at": from_ms(r.fired_ms),
            "last_true": from_ms(r.last_true_ms),
            "raised_at": from_ms(r.raised_ms),
            "message": r.message,
            "start_unconfirmed": bool(r.start_unconfirmed),
            "raised_on_import": bool(r.on_import),
            "observations": json.loads(r.observations),
            "detail": json.loads(r.detail),
            "annotation": r.annotation or None,
            "acknowledged_by": r.acked_by or None,
            "acknowledged_at": None if r.acked_ms is None else from_ms(r.acked_ms),
            "ack_comment": r.ack_comment or None,
            "escalated_at": None if r.escalated_ms is None else from_ms(r.escalated_ms),
            "resolved_at": None if r.resolved_ms is None else from_ms(r.resolved_ms),
            "resolved_reason": r.resolved_reason or None,
            "latency_ms": r.latency_ms,
            "folded_into": None if r.folded_into is None else int(r.folded_into),
            "components": _detail(r.detail).get("components", []),
        }
        for r in rows
    ]
