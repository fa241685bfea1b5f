"""The records the screens show, checked against the safety log that says how they came to be.

The alert, adverse-event (and its reports to the sponsor), dose and account tables are mutable (an
acknowledgement updates its alert), so an edit there leaves the log intact. Replaying the log's
entries gives what each record must hold: the alert's rule, severity, state, acknowledger,
acknowledgement comment and folding; the adverse event as documented (each version, with what
expedited reporting records) and its report's time; the dose's number, state, confirmer, times and
targets; the account's name, role, active flag and the digest of its password hash (a hash
replaced, an account re-enabled or promoted by SQL); a vital sign entered by hand's parameter, unit
and value at its series and time (`log_vitals`). Every record the log names must be there and
match, and every record there must have been logged. The first record at fault is named, with the
entry that disagrees with it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bedside_adapters.db import schema as t
from bedside_adapters.db.log_vitals import VITALS_KIND, said_and_stored
from sqlalchemy import Connection, select

from bedside.clock import to_ms
from bedside.i18n import N_, _
from bedside.log_entries import password_digest
from bedside.safety_log import SafetyLogEntry

ALERT_KINDS = frozenset(
    {
        "alert.raised",
        "alert.severity",
        "alert.escalated",
        "alert.folded",
        "alert.acknowledged",
        "alert.annotated",
        "alert.resolved",
    }
)
EPISODE_KINDS = frozenset(
    {
        "episode.candidate",
        "episode.start",
        "episode.stop",
        "episode.confirm",
        "episode.edit",
        "episode.targets",
        "episode.cancel",
        "episode.accepted",
    }
)
ADVERSE_KIND = "adverse_event.recorded"
ADVERSE_REPORT_KIND = "adverse_event.reported"
USER_KINDS = frozenset({"user.added", "user.disabled", "user.password_changed"})
COURSE_KIND = "course.event"
MEDICATION_KIND = "medication.recorded"
MIRRORED = (
    ALERT_KINDS
    | EPISODE_KINDS
    | {ADVERSE_KIND, ADVERSE_REPORT_KIND, COURSE_KIND, MEDICATION_KIND, VITALS_KIND}
    | USER_KINDS
)
"""The kinds of entry that say what a record holds."""


@dataclass(frozen=True)
class RecordFault:
    record: str
    """`alert 3`, `adverse event 2`, `dose 5` (a dose by its episode id), `user ana`."""
    entry: int | None
    """The entry that disagrees with it (None: the log has none about it)."""
    reason: str
    checked: int


@dataclass
class _Said:
    """What the log says a record holds, with the entry that said each field last."""

    first: int
    fields: dict[str, Any] = field(default_factory=dict)
    by: dict[str, int] = field(default_factory=dict)
    created: bool = False

    def set(self, name: str, value: Any, seq: int) -> None:
        self.fields[name] = value
        self.by[name] = seq


def check_records(conn: Connection, logged: Sequence[SafetyLogEntry]) -> int | RecordFault:
    """The number of records checked, or the first at fault. `logged`: the entries of MIRRORED kinds,
    in sequence order, from a chain already verified."""
    alerts: dict[int, _Said] = {}
    episodes: dict[int, _Said] = {}
    adverse: dict[int, _Said] = {}
    reports: dict[int, _Said] = {}
    users: dict[str, _Said] = {}
    course: dict[int, _Said] = {}
    medication: dict[int, _Said] = {}
    for e in logged:
        payload = json.loads(e.payload)
        if e.kind in ALERT_KINDS and e.alert_id is not None:
            _alert(alerts.setdefault(e.alert_id, _Said(e.seq)), e, payload)
        elif e.kind in EPISODE_KINDS and e.episode_id is not None:
            _episode(episodes.setdefault(e.episode_id, _Said(e.seq)), e, payload)
        elif e.kind == ADVERSE_KIND and isinstance(payload.get("id"), int):
            _adverse(adverse.setdefault(payload["id"], _Said(e.seq)), e, payload)
        elif e.kind == ADVERSE_REPORT_KIND and isinstance(payload.get("id"), int):
            _report(reports.setdefault(payload["id"], _Said(e.seq)), e, payload)
        elif e.kind in USER_KINDS and isinstance(payload.get("username"), str):
            _user(users.setdefault(payload["username"], _Said(e.seq)), e, payload)
        elif e.kind == COURSE_KIND and isinstance(payload.get("id"), int):
            _course(course.setdefault(payload["id"], _Said(e.seq)), e, payload)
        elif e.kind == MEDICATION_KIND and isinstance(payload.get("id"), int):
            _medication(medication.setdefault(payload["id"], _Said(e.seq)), e, payload)
    checked = 0
    for name, said, rows in (
        (N_("dose"), episodes, _episode_rows(conn)),
        (N_("alert"), alerts, _alert_rows(conn)),
        (N_("adverse event"), adverse, _adverse_rows(conn)),
        (N_("adverse event report"), reports, _report_rows(conn)),
        (N_("user"), users, _user_rows(conn)),
        (N_("course event"), course, _course_rows(conn)),
        (N_("co-medication"), medication, _medication_rows(conn, set(medication))),
        (N_("vital sign entered by hand"), *_vitals(conn, logged)),
    ):
        fault = _compare(name, said, rows, checked)
        if isinstance(fault, RecordFault):
            return fault
        checked = fault
    return checked


def _vitals(
    conn: Connection, logged: Sequence[SafetyLogEntry]
) -> tuple[dict[str, _Said], dict[str, dict[str, Any]]]:
    """Hand-entered vital signs (value, unit, parameter, time) as their entries say them."""
    told, rows = said_and_stored(conn, logged)
    said = {}
    for ref, (first, fields, by) in told.items():
        said[ref] = _Said(first, dict(fields), dict(by), created=True)
    return said, rows


def _compare(
    name: str, said: dict[Any, _Said], rows: dict[Any, dict[str, Any]], checked: int
) -> int | RecordFault:
    faults: list[tuple[int, RecordFault]] = []
    name = _(name)  # a person reads the fault: the record's kind in the language
    for rid, s in said.items():
        row = rows.get(rid)
        if row is None:
            reason = _(
                "the log names it (entry {seq}) but the {record} table has no such row (deleted)"
            ).format(seq=s.first, record=name)
            faults.append((s.first, RecordFault(f"{name} {rid}", s.first, reason, checked)))
            continue
        if not s.created:
            reason = _("the log never recorded its creation (first entry about it: {seq})").format(
                seq=s.first
            )
            faults.append((s.first, RecordFault(f"{name} {rid}", s.first, reason, checked)))
            continue
        for fld, value in s.fields.items():
            if row.get(fld) != value:
                seq = s.by[fld]
                reason = _("its {field} is {stored}, the log says {logged} (entry {seq})").format(
                    field=fld, stored=repr(row.get(fld)), logged=repr(value), seq=seq
                )
                faults.append((seq, RecordFault(f"{name} {rid}", seq, reason, checked)))
                break
    for rid in sorted(set(rows) - set(said)):
        reason = _(
            "the {record} table holds it but no log entry names it: it was added outside Bedside"
        ).format(record=name)
        faults.append((1 << 62, RecordFault(f"{name} {rid}", None, reason, checked)))
    if faults:
        return min(faults, key=lambda f: f[0])[1]
    return checked + len(rows)


def _alert(s: _Said, e: SafetyLogEntry, p: dict[str, Any]) -> None:
    if e.kind == "alert.raised":
        s.created = True
        s.set("rule_id", p.get("rule"), e.seq)
        s.set("patient_ref", e.patient_ref, e.seq)
        s.set("episode_id", e.episode_id, e.seq)
        s.set("severity", p.get("severity"), e.seq)
        s.set("state", "raised", e.seq)
        s.set("acked_by", "", e.seq)
        s.set("acked_ms", None, e.seq)
        s.set("ack_comment", "", e.seq)
        s.set("escalated", False, e.seq)
        s.set("folded_into", None, e.seq)
    elif e.kind == "alert.severity":
        s.set("severity", p.get("severity"), e.seq)
    elif e.kind == "alert.acknowledged":
        s.set("acked_by", e.actor, e.seq)
        s.set("acked_ms", e.at_ms, e.seq)
        # An alert acknowledged with the one it was folded under keeps a comment naming that alert;
        # the entry keeps the comment typed and that alert's id.
        with_alert = p.get("with")
        comment = p.get("comment") if with_alert is None else f"acknowledged with alert {with_alert}"
        s.set("ack_comment", comment, e.seq)
        if s.fields.get("state") != "resolved":
            s.set("state", "acknowledged", e.seq)
    elif e.kind == "alert.resolved":
        s.set("state", "resolved", e.seq)
    elif e.kind == "alert.escalated":
        s.set("escalated", True, e.seq)
    elif e.kind == "alert.folded":
        s.set("folded_into", p.get("into"), e.seq)


def _alert_rows(conn: Connection) -> dict[int, dict[str, Any]]:
    a = t.alert.c
    cols = (a.id, a.rule_id, a.patient_ref, a.episode_id, a.severity, a.state, a.acked_by, a.acked_ms)
    out = {}
    for r in conn.execute(select(*cols, a.ack_comment, a.escalated_ms, a.folded_into)):
        row = dict(r._mapping)
        row["escalated"] = row.pop("escalated_ms") is not None
        out[int(row["id"])] = row
    return out


def _episode(s: _Said, e: SafetyLogEntry, p: dict[str, Any]) -> None:
    kind = e.kind
    s.set("patient_ref", e.patient_ref, e.seq)
    if isinstance(p.get("dose"), int):
        s.set("dose_number", p["dose"], e.seq)
    if kind in ("episode.candidate", "episode.start"):
        # A dose is created with no cell dose or dosing weight unless its entry gives them: a value
        # that no entry set (cells/kg written by SQL on a pump's dose) is a finding, never unchecked.
        for column in _AMOUNTS:
            s.set(column, None, e.seq)
    if isinstance(p.get("given"), dict):
        # The product and cell dose a clinician's start stored.
        given = p["given"]
        s.set("product", given.get("product") or "", e.seq)
        for name, column in (
            ("cells", "cells"),
            ("weight_kg", "weight_kg"),
            ("cells_per_kg_entered", "cells_per_kg"),
        ):
            s.set(column, given.get(name), e.seq)
    if kind == "episode.candidate":
        s.created = True
        s.set("state", "candidate", e.seq)
        s.set("product", (p.get("product") or "")[:200], e.seq)
        s.set("start_ms", _ms(p.get("start")), e.seq)
        s.set("end_ms", None, e.seq)
        s.set("confirmed_by", "", e.seq)
        s.set("targets", {}, e.seq)
    elif kind == "episode.start":
        s.created = True
        s.set("state", p.get("state", "confirmed"), e.seq)
        s.set("start_ms", _ms(p.get("start")), e.seq)
        s.set("end_ms", _ms(p.get("end")), e.seq)
        s.set("confirmed_by", e.actor, e.seq)
        s.set("targets", {}, e.seq)
    elif kind == "episode.confirm":
        s.set("state", "confirmed", e.seq)
        s.set("start_ms", _ms(p.get("start")), e.seq)
        s.set("confirmed_by", e.actor, e.seq)
    elif kind == "episode.accepted":
        s.set("state", "accepted", e.seq)
    elif kind == "episode.cancel":
        s.set("state", "cancelled", e.seq)
    elif kind == "episode.edit":
        for name, column in (("start", "start_ms"), ("end", "end_ms")):
            if isinstance(p.get(name), dict):
                s.set(column, _ms(p[name].get("to")), e.seq)
    elif kind == "episode.stop":
        s.set("end_ms", _ms(p.get("end")), e.seq)
    elif kind == "episode.targets":
        s.set("targets", p.get("to"), e.seq)


_AMOUNTS = ("cells", "weight_kg", "cells_per_kg")
"""A dose's amounts as stored: each must be what the last entry that set it says, or NULL."""


def _episode_rows(conn: Connection) -> dict[int, dict[str, Any]]:
    c = t.infusion_episode.c
    cols = (
        c.id,
        c.patient_ref,
        c.dose_number,
        c.state,
        c.start_ms,
        c.end_ms,
        c.confirmed_by,
        c.targets,
        c.product,
        c.cells,
        c.weight_kg,
        c.cells_per_kg,
    )
    out = {}
    for r in conn.execute(select(*cols)):
        row = dict(r._mapping)
        row["targets"] = json.loads(row["targets"] or "{}")
        out[int(row["id"])] = row
    return out


def _adverse(s: _Said, e: SafetyLogEntry, p: dict[str, Any]) -> None:
    s.created = True
    s.set("patient_ref", e.patient_ref, e.seq)
    for name in ("episode_id", "term", "grade", "relatedness", "notes", "reported_by", "alert_ids"):
        s.set(name, p.get(name), e.seq)
    s.set("onset_ms", _ms(p.get("onset")), e.seq)
    if "version" in p:
        # What expedited reporting added: an entry written before it says nothing of these columns.
        s.set("event_id", None if p.get("event") == p.get("id") else p.get("event"), e.seq)
        for name in _REPORTING:
            s.set(name, p.get(name), e.seq)
        s.set("special_interest", p.get("aesi"), e.seq)
        s.set("end_ms", _ms(p.get("end")), e.seq)
        s.set("awareness_ms", _ms(p.get("awareness")), e.seq)


_REPORTING = (
    "version",
    "seriousness",
    "expectedness",
    "rsi",
    "ctcae_term",
    "ctcae_version",
    "meddra_code",
    "outcome",
    "action_taken",
    "treatment",
    "assessed_by",
    "assessor_role",
    "awareness_reason",
)


def _adverse_rows(conn: Connection) -> dict[int, dict[str, Any]]:
    c = t.adverse_event.c
    cols = (c.id, c.patient_ref, c.episode_id, c.term, c.grade, c.relatedness, c.notes, c.reported_by)
    more = (c.event_id, c.special_interest, c.end_ms, c.awareness_ms, *(c[n] for n in _REPORTING))
    out = {}
    for r in conn.execute(select(*cols, c.onset_ms, c.alert_ids, *more)):
        row = dict(r._mapping)
        row["alert_ids"] = json.loads(row["alert_ids"] or "[]")
        row["seriousness"] = None if row["seriousness"] is None else json.loads(row["seriousness"])
        out[int(row["id"])] = row
    return out


def _report(s: _Said, e: SafetyLogEntry, p: dict[str, Any]) -> None:
    s.created = True
    s.set("patient_ref", e.patient_ref, e.seq)
    s.set("event_id", p.get("event"), e.seq)
    s.set("version", p.get("version"), e.seq)
    s.set("sent_ms", _ms(p.get("sent_at")), e.seq)


def _report_rows(conn: Connection) -> dict[int, dict[str, Any]]:
    c = t.adverse_event_report.c
    rows = conn.execute(select(c.id, c.patient_ref, c.event_id, c.version, c.sent_ms))
    return {int(r.id): dict(r._mapping) for r in rows}


def _user(s: _Said, e: SafetyLogEntry, p: dict[str, Any]) -> None:
    """An account as its latest entry says. An entry written before the entries carried the role,
    the active flag and the password digest says only what it carries."""
    if e.kind == "user.added":
        s.created = True
        s.set("full_name", p.get("full_name"), e.seq)
        s.set("role", p.get("role"), e.seq)
        s.set("active", bool(p.get("active", True)), e.seq)
    elif e.kind == "user.disabled":
        s.set("active", False, e.seq)
    elif e.kind == "user.password_changed" and "active" in p:
        s.set("active", bool(p["active"]), e.seq)
    if p.get("role") and e.kind != "user.added":
        s.set("role", p["role"], e.seq)
    if p.get("password_digest"):
        s.set("password_digest", p["password_digest"], e.seq)
    elif e.kind == "user.password_changed":
        # A new hash the entry does not describe: nothing to compare it with.
        s.fields.pop("password_digest", None)


def _user_rows(conn: Connection) -> dict[str, dict[str, Any]]:
    c = t.app_user.c
    out = {}
    for r in conn.execute(select(c.username, c.full_name, c.role, c.active, c.password_hash)):
        row = dict(r._mapping)
        row["active"] = bool(row["active"])
        row["password_digest"] = password_digest(row.pop("password_hash"))
        out[str(row.pop("username"))] = row
    return out


def _course(s: _Said, e: SafetyLogEntry, p: dict[str, Any]) -> None:
    """A course event (intubation, death …) as entered: rows are never updated, so the one entry
    that created it says all it holds."""
    s.created = True
    s.set("patient_ref", e.patient_ref, e.seq)
    s.set("kind", p.get("kind"), e.seq)
    s.set("at_ms", _ms(p.get("at")), e.seq)
    s.set("text", p.get("text"), e.seq)
    s.set("source", p.get("source"), e.seq)
    s.set("entered_by", (e.actor or "").strip()[:120], e.seq)


def _course_rows(conn: Connection) -> dict[int, dict[str, Any]]:
    c = t.course_event.c
    rows = conn.execute(select(c.id, c.patient_ref, c.kind, c.at_ms, c.text, c.source, c.entered_by))
    return {int(r.id): dict(r._mapping) for r in rows}


def _medication(s: _Said, e: SafetyLogEntry, p: dict[str, Any]) -> None:
    """A co-medication a clinician entered, as the entry says; rows are never updated."""
    s.created = True
    s.set("patient_ref", e.patient_ref, e.seq)
    s.set("drug", str(p.get("drug") or "")[:200], e.seq)
    s.set("drug_class", p.get("class"), e.seq)
    s.set("dose", None if p.get("dose") is None else float(p["dose"]), e.seq)
    s.set("unit", p.get("unit"), e.seq)
    s.set("route", p.get("route"), e.seq)
    s.set("start_ms", _ms(p.get("start")), e.seq)
    s.set("end_ms", _ms(p.get("end")), e.seq)
    s.set("source", "entered", e.seq)
    s.set("entered_by", (e.actor or "").strip()[:120], e.seq)


def _medication_rows(conn: Connection, logged: set[int]) -> dict[int, dict[str, Any]]:
    """The rows a clinician entered, and those the log names whatever they now say. Rows from the
    eMAR (RAS/RDE messages) have no entry of their own: they are evidence as their messages are."""
    c = t.co_medication.c
    cols = (c.id, c.patient_ref, c.drug, c.drug_class, c.dose, c.unit, c.route, c.start_ms, c.end_ms)
    out = {}
    for r in conn.execute(select(*cols, c.source, c.entered_by)):
        row = dict(r._mapping)
        rid = int(row.pop("id"))
        if rid in logged or row["source"] == "entered":
            row["dose"] = None if row["dose"] is None else float(row["dose"])
            out[rid] = row
    return out


def _ms(value: object) -> int | None:
    return None if value is None else to_ms(float(value))  # type: ignore[arg-type]
