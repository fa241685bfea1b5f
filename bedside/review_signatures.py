"""Signed records in words: who signed, in which role, what the signature meant, and what each
signed safety-log entry records, for the review's Signatures tab, the report and the command line
(21 CFR 11.50: a signed record shows the printed name, the time and the meaning of the signature)."""

from __future__ import annotations

from bedside import adverse_events
from bedside.alert_screen import severity_name
from bedside.checks import check_name_after_check
from bedside.commands import course_event_name
from bedside.ctcae import term_text
from bedside.i18n import N_, _, localize_number
from bedside.review_text import local_time
from bedside.units import display_unit
from bedside.users import SignedBy, meaning_text, role_name

SIGNATURE_COLUMNS = (N_("Logged"), N_("Record"), N_("Signed by"), N_("Role"), N_("Meaning"), N_("Signed at"))
"""In English; translated where shown (`_(column)`)."""


def signature_text(signed: SignedBy | None, meaning: bool = True) -> str:
    """'Ana Lopez (nurse) 14 Mar 10:32: Acknowledged: I have seen this alert': printed name, role,
    time and, unless left out, the meaning."""
    if signed is None:
        return ""
    text = f"{signed.name} ({role_name(signed.role)}) {local_time(signed.at)}"
    return f"{text}: {meaning_text(signed.meaning)}" if meaning and signed.meaning else text


def record_text(entry: dict) -> str:
    """What a signed log entry records, in words."""
    p, kind = entry["payload"], entry["kind"]
    n = p.get("dose")
    reason = f": {p['reason']}" if p.get("reason") else ""
    words = {
        "alert.acknowledged": lambda: (
            _("Alert {rule} {severity} acknowledged").format(
                rule=p.get("rule", ""), severity=severity_name(str(p.get("severity", "")))
            )
            + (f" ({p['comment']})" if p.get("comment") else "")
        ),
        "adverse_event.recorded": lambda: (
            _("Adverse event: {term} G{grade}, {relatedness}").format(
                term=term_text(str(p.get("term", ""))),
                grade=p.get("grade", ""),
                relatedness=adverse_events.relatedness_text(p.get("relatedness", "")),
            )
            + (
                " " + _("(#{event} version {version})").format(event=p["event"], version=p["version"])
                if p.get("version", 1) != 1
                else ""
            )
        ),
        "death.no_sae": lambda: _("No SAE report needed for the death {at}: {reason}").format(
            at=local_time(p.get("death_at")), reason=p.get("reason", "")
        ),
        "outcome.no_aesi": lambda: _(
            "No adverse event of special interest needed for the {outcome} {at}: {reason}"
        ).format(
            outcome=course_event_name(str(p.get("outcome", ""))),
            at=local_time(p.get("at")),
            reason=p.get("reason", ""),
        ),
        "adverse_event.reported": lambda: _(
            "Adverse event #{event} version {version} reported to the sponsor {at}"
        ).format(event=p.get("event", ""), version=p.get("version", ""), at=local_time(p.get("sent_at"))),
        "episode.confirm": lambda: (
            _("Start of dose {n} confirmed").format(n=n) if n is not None else _("Start of a dose confirmed")
        ),
        "episode.edit": lambda: (
            (_("Dose {n} edited").format(n=n) if n is not None else _("A dose edited")) + reason
        ),
        "episode.cancel": lambda: (
            (_("Dose {n} cancelled").format(n=n) if n is not None else _("A dose cancelled")) + reason
        ),
        "check.done": lambda: (
            _("Check {check} signed").format(
                check=check_name_after_check(str(p.get("check", "")), str(p.get("label") or ""))
            )
            + (f": {p['findings']}" if p.get("findings") else "")
        ),
        "course.event": lambda: (
            _("Course event: {kind} {at}").format(
                kind=course_event_name(str(p.get("kind", ""))), at=local_time(p.get("at"))
            )
            + (f" ({p['text']})" if p.get("text") else "")
        ),
        "medication.recorded": lambda: _("Co-medication: {drug} {dose} {unit} {route} {at}").format(
            drug=p.get("drug", ""),
            dose=localize_number(f"{p['dose']:g}") if isinstance(p.get("dose"), int | float) else "",
            unit=display_unit(str(p.get("unit", ""))),
            route=p.get("route", ""),
            at=local_time(p.get("start")),
        ),
    }
    said = words.get(kind)
    return said() if said is not None else kind


def signed_rows(log: list[dict]) -> list[list[str]]:
    """Every signed entry of a log listing, one row each in the order of SIGNATURE_COLUMNS."""
    rows = []
    for e in log:
        signed = SignedBy.of(e["payload"])
        if signed is not None:
            rows.append(
                [
                    local_time(e["at"]),
                    record_text(e),
                    signed.name,
                    role_name(signed.role),
                    meaning_text(signed.meaning),  # the statement signed, in the reader's language
                    local_time(signed.at),
                ]
            )
    return rows


def signatures_of(log: list[dict], kind: str, key: str) -> dict[int, SignedBy]:
    """The signatures of one kind of entry by the record they sign (`key`: the payload's field or
    the entry's column naming it); the last one where there are several."""
    out: dict[int, SignedBy] = {}
    for e in log:
        if e["kind"] != kind:
            continue
        signed = SignedBy.of(e["payload"])
        ident = e.get(key) if e.get(key) is not None else e["payload"].get(key)
        if signed is not None and ident is not None:
            out[int(ident)] = signed
    return out
