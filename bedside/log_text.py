"""A safety-log entry as a person reads it (the report's extract, `bedside-cli log`): its kind named
in the reader's language beside its code as logged (the code is what `bedside-cli verify-log`
names), and what the entry says in words of that language. A clinician's own words (a comment, a
reason, a note) and a device's codes are quoted as written: they are the record, never translated.
The log itself keeps the codes and English, the same in every language."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from bedside import i18n
from bedside.alert_screen import severity_name
from bedside.checks import check_name_after_check
from bedside.co_medication import ROUTE_LABELS
from bedside.commands import RELATEDNESS_NAMES, course_event_name
from bedside.ctcae import term_text
from bedside.i18n import N_, _, localize_number
from bedside.rules.messages import technical_title
from bedside.rules.technical import is_technical
from bedside.units import display_unit
from bedside.users import User, role_name
from bedside.vitals import reading_text

KINDS: Mapping[str, str] = {
    "action.refused": N_("action refused"),
    "adverse_event.recorded": N_("adverse event recorded"),
    "adverse_event.reported": N_("adverse event reported to the sponsor"),
    "alert.acknowledged": N_("alert acknowledged"),
    "alert.annotated": N_("alert annotated"),
    "alert.escalated": N_("alert escalated"),
    "alert.folded": N_("alert grouped under another"),
    "alert.raised": N_("alert raised"),
    "alert.resolved": N_("alert resolved"),
    "alert.severity": N_("alert severity changed"),
    "alerts.muted": N_("alert sound muted"),
    "check.done": N_("check done"),
    "course.event": N_("course event"),
    "datasets.exported": N_("datasets exported"),
    "death.no_sae": N_("no SAE report needed for the death"),
    "outcome.no_aesi": N_("no adverse event of special interest needed for an outcome"),
    "episode.accepted": N_("dose accepted"),
    "episode.cancel": N_("dose cancelled"),
    "episode.candidate": N_("dose detected by a device"),
    "episode.confirm": N_("dose confirmed"),
    "episode.edit": N_("dose corrected"),
    "episode.start": N_("dose started"),
    "episode.stop": N_("dose stopped"),
    "episode.targets": N_("dose targets set"),
    "ingest.started": N_("data reception started"),
    "medication.recorded": N_("co-medication recorded"),
    "report.exported": N_("report exported"),
    "tables.exported": N_("tables exported (CSV)"),
    "ruleset.loaded": N_("rule set loaded"),
    "session.locked": N_("screen locked"),
    "session.refused": N_("sign-in refused"),
    "session.signed_in": N_("signed in"),
    "user.added": N_("user added"),
    "user.disabled": N_("user disabled"),
    "user.password_changed": N_("password changed"),
    "vitals.recorded": N_("vital signs recorded"),
}
"""Each safety-log entry's kind (as logged) as a person reads it."""

ENGINE_REASONS: Mapping[str, str] = {
    "condition cleared for the re-arm period": N_("condition cleared for the re-arm period"),
    "feed back": N_("the signal came back"),
    "condition cleared (re-armed)": N_("condition cleared (re-armed)"),
    "corrected result no longer meets the rule": N_("corrected result no longer meets the rule"),
    "not supported on re-evaluation": N_("not supported on re-evaluation"),
    "no longer met on re-evaluation (start time or data changed)": N_(
        "no longer met on re-evaluation (start time or data changed)"
    ),
    "re-evaluated after a lab correction (OBX-11 C): no longer meets the rule": N_(
        "re-evaluated after a lab correction (OBX-11 C): no longer meets the rule"
    ),
}
"""The alert engine's own reasons, stored in English as part of the record."""

SESSION_REASONS: Mapping[str, str] = {
    "locked": N_("locked by its user"),
    "switch user": N_("switch of user"),
    "idle": N_("no activity"),
    "wrong passwords": N_("wrong passwords"),
}
"""Why a screen locked, as the safety log stores it (a code of bedside_ui.screen_lock): in words."""

DEVICE_REASONS: Mapping[str, str] = {
    "pump-stopped-not-specified": N_("the pump stopped, giving no reason"),
    "keep vein open": N_("keep vein open"),
    "delivery settings changed": N_("delivery settings changed"),
    "program cleared": N_("program cleared"),
    "auto-program cleared": N_("auto-program cleared"),
}
"""The reasons Bedside itself keeps with a pump's delivery event (bedside_adapters.hl7.pcd10_terms);
a reason the pump sent is its own code, quoted as sent."""


ENGINE_ACTOR = "bedside-rules"
"""The alert engine's name as the log's sender (bedside.log_entries.base)."""

DEVICE_SOURCES: Mapping[str, str] = {
    "pcd10": N_("the infusion pump's delivery events (PCD-10)"),
    "pcd01-status": N_("the infusion pump's status reports (PCD-01)"),
    "ras": N_("the eMAR (RAS)"),
    "manual": N_("an entry by hand"),
}
"""Where a device's entry came from (`ingest:<source>`, bedside.infusion.EventSource)."""


def people_of(entries: Iterable[Mapping[str, Any]]) -> dict[str, tuple[str, str]]:
    """Each account's printed name and role, as the log gives them: its own signatures, its sign-ins
    and the entry that added it (a service account is left out: the engine and the feeds are named
    in words by `who_text`). An entry the account made unsigned (an export) so names it as a signed
    one does."""
    people: dict[str, tuple[str, str]] = {}
    for e in entries:
        payload = e.get("payload", {})
        signed = payload.get("signature")
        if isinstance(signed, Mapping) and signed.get("name"):
            people[str(e.get("actor"))] = (str(signed["name"]), str(signed.get("role", "")))
        elif e.get("kind") == "session.signed_in" and payload.get("name"):
            people.setdefault(str(e.get("actor")), (str(payload["name"]), str(payload.get("role", ""))))
        elif e.get("kind") == "user.added" and payload.get("full_name") and payload.get("role") != "service":
            people.setdefault(str(payload.get("username")), (str(payload["full_name"]), str(payload["role"])))
    return people


def people_with(people: Mapping[str, tuple[str, str]], users: Iterable[User]) -> dict[str, tuple[str, str]]:
    """`people` (as the log gives them) with the accounts `users` name that it does not: what an
    account that never signed an entry of a patient's is called beside that patient's entries."""
    known = {
        u.username: (u.full_name, u.role.value) for u in users if u.role.value != "service" and u.full_name
    }
    return {**known, **people}


def person_name(account: str, people: Mapping[str, tuple[str, str]]) -> str:
    """An account's printed name as its signatures give it; the account as stored where it never
    signed (what is stored keeps the account either way)."""
    return people[account][0] if account in people else account


def who_text(actor: str, people: Mapping[str, tuple[str, str]]) -> str:
    """Who sent an entry as a person reads it: a clinician by printed name and role (as signed),
    the alert engine and a device feed in words; an account that never signed as logged."""
    if actor in people:
        name, role = people[actor]
        return f"{name} ({role_name(role)})" if role else name
    if actor == ENGINE_ACTOR:
        return _("the alert engine")
    if actor == ENGINE_ACTOR + " (import)":  # the engine run over imported data (data time, not live)
        return _("the alert engine (on import)")
    if actor.startswith("ingest:"):
        source = actor.removeprefix("ingest:")
        return (
            _(DEVICE_SOURCES[source])
            if source in DEVICE_SOURCES
            else _("device feed {source}").format(source=source)
        )
    return actor


def kind_name(kind: str) -> str:
    """The kind's name in the reader's language; an unknown kind as logged."""
    return _(KINDS[kind]) if kind in KINDS else kind


def _local(at: float) -> str:
    return i18n.strftime(datetime.fromtimestamp(at).astimezone(), "%d %b %H:%M")


def _quoted(text: str) -> str:
    return f"“{text}”"


def medication_text(payload: Mapping[str, Any]) -> str:
    """A co-medication as a clinician writes it: drug, dose with its unit, route ('Adrenalina 0,5 mg
    IM'); a route with no common abbreviation ('other') in words."""
    dose = payload.get("dose")
    amount = (
        f"{localize_number(f'{dose:g}')} {display_unit(str(payload.get('unit') or ''))}".strip()
        if isinstance(dose, int | float)
        else _("dose not stated")
    )
    route = route_text(str(payload.get("route") or ""))
    return " ".join(part for part in (str(payload.get("drug") or ""), amount, route) if part)


def route_text(route: str) -> str:
    """A route as clinicians write it: its abbreviation (IV, IM: the same in Spanish), or in words
    where it has none ('other')."""
    return _(ROUTE_LABELS[route]) if route == "other" else route


def what_text(payload: Mapping[str, Any]) -> str:
    """What an entry says, in the reader's language; what a person or a device wrote, quoted."""
    parts: list[str] = []
    if payload.get("drug"):
        # A co-medication entry: its dose is an amount of a drug, never an infusion's number.
        return medication_text(payload)
    if isinstance(payload.get("values"), Mapping) and "mean_computed" in payload:
        # Vital signs: the log keeps its English line; the reader gets the values in words.
        return reading_text(payload["values"], payload.get("temp_site"), bool(payload.get("mean_computed")))
    if payload.get("rule"):
        rule = str(payload["rule"])
        # Bedside's own technical checks by their title (a code such as STALE says nothing to a reader).
        parts.append(_("rule {rule}").format(rule=technical_title(rule) if is_technical(rule) else rule))
    if payload.get("check") and "label" in payload:
        # A signed check: which one, what the nurse saw and found.
        parts.append(
            _("check {check}").format(
                check=check_name_after_check(str(payload["check"]), str(payload["label"] or ""))
            )
        )
        if payload.get("values"):
            parts.append(_("values {values}").format(values=localize_number(str(payload["values"]))))
        if payload.get("findings"):
            parts.append(_("findings {findings}").format(findings=_quoted(str(payload["findings"]))))
    if payload.get("severity"):
        parts.append(_("severity {severity}").format(severity=severity_name(str(payload["severity"]))))
    if payload.get("dose") not in (None, ""):
        parts.append(_("dose {dose}").format(dose=payload["dose"]))
    if payload.get("term"):
        parts.append(term_text(str(payload["term"])))
    if payload.get("grade") not in (None, ""):
        parts.append(_("grade {grade}").format(grade=payload["grade"]))
    relatedness = payload.get("relatedness")
    if relatedness:
        name = RELATEDNESS_NAMES.get(relatedness)
        parts.append(
            _("relatedness {relatedness}").format(
                relatedness=i18n._(name) if name else _quoted(str(relatedness))
            )
        )
    if payload.get("comment"):
        parts.append(_("comment {comment}").format(comment=_quoted(str(payload["comment"]))))
    reason = payload.get("reason")
    if reason:
        reason = str(reason)
        known = ENGINE_REASONS.get(reason) or DEVICE_REASONS.get(reason) or SESSION_REASONS.get(reason)
        said = _(known) if known else _quoted(reason)
        parts.append(_("reason {reason}").format(reason=said))
    if payload.get("kind"):
        parts.append(course_event_name(str(payload["kind"])))
    if payload.get("text"):
        text = str(payload["text"])
        # The engine's own annotations in words of the language; a person's, quoted as written.
        parts.append(_(ENGINE_REASONS[text]) if text in ENGINE_REASONS else _quoted(text))
    if payload.get("source"):
        source = str(payload["source"])
        said = _(DEVICE_SOURCES[source]) if source in DEVICE_SOURCES else source
        parts.append(_("source {source}").format(source=said))
    if isinstance(payload.get("event"), int) and payload.get("sent_at") is not None:
        parts.append(
            _("adverse event {event} version {version} reported to the sponsor {at}").format(
                event=payload["event"], version=payload.get("version", "—"), at=_local(payload["sent_at"])
            )
        )
    return ", ".join(parts)
