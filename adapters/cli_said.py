"""What a command that records says when it is done: one sentence in the reader's language (its
numbers and dates as the language writes them). `--json` prints the record instead, the same in every
language, for scripts."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bedside.alerts import Alert
from bedside.commands import RELATEDNESS_NAMES, course_event_name
from bedside.ctcae import term_text
from bedside.i18n import N_, _, format_datetime, localize_number
from bedside.log_entries import AdverseEventRecorded, AdverseEventReported
from bedside.model import PatientRef
from bedside.seriousness import criteria_text
from bedside.units import product_text
from bedside.users import role_name

DOSE_DONE = {
    "start": N_("{patient}: dose {dose} entered, started {start}"),
    "stop": N_("{patient}: dose {dose} stopped {end}"),
    "confirm": N_("{patient}: dose {dose} confirmed, started {start}"),
    "edit": N_("{patient}: dose {dose} corrected, {start} → {end}"),
    "cancel": N_("{patient}: dose {dose} cancelled"),
    "targets": N_("{patient}: dose {dose}'s targets set"),
}
"""What each `episode` action did, as the sentence that says so begins."""
EPISODE_STATES = {
    "candidate": N_("candidate"),
    "confirmed": N_("confirmed"),
    "accepted": N_("accepted"),
    "cancelled": N_("cancelled"),
}
"""A dose's state as stored, as a person reads it (--json keeps the stored word)."""


def signer_text(name: str, role: str) -> str:
    """Who signed, as a signature shows them: printed name and role ("Ana García (nurse)"); the
    username alone says too little to a reader who does not know the accounts."""
    return _("{name} ({role})").format(name=name, role=role_name(role)) if role else name


def _when(at: float | None) -> str:
    return _("running") if at is None else format_datetime(datetime.fromtimestamp(at).astimezone())


def dose_said(action: str, ep: Mapping[str, Any]) -> str:
    """`ep`: the dose as `episode_json` gives it."""
    text = _(DOSE_DONE.get(action, DOSE_DONE["edit"])).format(
        patient=ep["patient"], dose=ep["dose"], start=_when(ep["start"]), end=_when(ep["end"])
    )
    product = product_text(ep["dose"], ep.get("product") or "", ep.get("cells_per_kg"))
    if product:
        text += f" ({product})"
    state = _(EPISODE_STATES[ep["state"]]) if ep["state"] in EPISODE_STATES else ep["state"]
    text += "; " + _("state: {state}").format(state=state)
    if ep.get("targets"):
        targets = ", ".join(f"{name} ≥ {value:g}" for name, value in sorted(ep["targets"].items()))
        text += "; " + _("targets: {targets}").format(targets=localize_number(targets))
    return text + "."


def ack_said(alert: Alert, signed_by: str) -> str:
    """`alert`: as stored after the acknowledgement; `signed_by`: who acknowledged it, as a
    signature shows."""
    return _("Alert #{alert} (dose {dose}) acknowledged by {user} at {when}.").format(
        alert=alert.id, dose=alert.dose, user=signed_by, when=_when(alert.acked_at)
    )


def adverse_said(entry: AdverseEventRecorded, patient: PatientRef, signed_by: str) -> str:
    """`entry`: the handler's `adverse_event.recorded` entry."""
    reporting = entry.reporting or {}
    related = (
        _(RELATEDNESS_NAMES[entry.relatedness])
        if entry.relatedness in RELATEDNESS_NAMES
        else entry.relatedness
    )
    return _(
        "Adverse event #{event} (version {version}) recorded for {patient} by {user}: {term}, grade "
        "{grade}, relatedness {relatedness}, onset {onset}; {seriousness}."
    ).format(
        event=reporting.get("event", entry.id),
        version=reporting.get("version", 1),
        patient=patient,
        user=signed_by,
        term=term_text(entry.term),
        grade=entry.grade,
        relatedness=related,
        onset=_when(entry.onset),
        seriousness=criteria_text(reporting.get("seriousness")),
    )


def report_said(entry: AdverseEventReported, patient: PatientRef, signed_by: str) -> str:
    """`entry`: the handler's `adverse_event.reported` entry."""
    return _(
        "Adverse event #{event} (version {version}) of {patient}: reported to the sponsor at {when}, "
        "recorded by {user}."
    ).format(
        event=entry.event,
        version=entry.version,
        patient=patient,
        user=signed_by,
        when=_when(entry.sent_at),
    )


def course_event_said(kind: str, at: float, patient: PatientRef, signed_by: str) -> str:
    """A course event recorded (`course-event`), as its kind reads in the language."""
    return _("{patient}: course event recorded ({event}) for {at}, signed by {user}.").format(
        patient=patient, event=course_event_name(kind), at=_when(at), user=signed_by
    )


def nothing_recorded(problem: object) -> str:
    """A refusal as the last line of a command that records: the problem, then that nothing was
    recorded, said once (many refusals already end by saying so themselves)."""
    said = str(problem).rstrip(" .")
    if _("nothing was recorded").casefold() in said.casefold():
        return said
    return _("{problem}; nothing was recorded").format(problem=said)
