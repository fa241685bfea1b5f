"""The serious adverse event listing the report and the review show: one row per serious event (its
latest version), with the ICH E2A criteria, the CTCAE grade, relatedness, expectedness against the
reference safety information, the derived SUSAR flag, outcome, when the team became aware, and when
it was reported to the sponsor (or the 24-hour clock while it is not). Events whose seriousness was
never assessed are counted, not silently left out."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bedside import adverse_events as ae
from bedside.i18n import N_, _

COLUMNS = (
    N_("Event"),
    N_("Onset"),
    N_("Seriousness (ICH E2A)"),
    N_("CTCAE grade"),
    N_("Relatedness"),
    N_("Expectedness"),
    N_("SUSAR"),
    N_("Outcome"),
    N_("Team aware"),
    N_("Reported to sponsor"),
    N_("Version"),
)


EXPECTEDNESS = {"expected": N_("expected"), "unexpected": N_("unexpected")}
OUTCOME_WORDS = {
    "recovered": N_("recovered"),
    "recovering": N_("recovering"),
    "not_recovered": N_("not recovered"),
    "recovered_with_sequelae": N_("recovered with sequelae"),
    "fatal": N_("fatal"),
    "unknown": N_("unknown"),
}
"""The event's outcome in a word or two for the listing's narrow column."""
OUTCOME_WORDS = {
    "recovered": N_("recovered"),
    "recovering": N_("recovering"),
    "not_recovered": N_("not recovered"),
    "recovered_with_sequelae": N_("recovered with sequelae"),
    "fatal": N_("fatal"),
    "unknown": N_("unknown"),
}
"""The event's outcome in a word or two for the listing's narrow column."""


@dataclass(frozen=True)
class SaeListing:
    rows: list[list[str]]
    not_assessed: int
    """Adverse events whose seriousness nobody has assessed yet (not listed)."""
    rsi: tuple[str, ...]
    """The reference safety information the listed events were judged against."""


def _susar_word(value: object, missing: Sequence[str] = ()) -> str:
    if value is True:
        return _("SUSAR")
    if value is False:
        return _("no")
    if not missing:
        return _("cannot be derived")
    names = _(" and ").join(_(ae.SUSAR_PARTS.get(m, m)) for m in missing)
    return _("cannot be derived: {missing} not assessed").format(missing=names)


def _susar(e: Mapping[str, Any]) -> str:
    now = _susar_word(e.get("susar"), e.get("susar_missing") or [])
    if e.get("sent_at") is not None and "susar_at_first_report" in e:
        first = e["susar_at_first_report"]
        if first != e.get("susar"):
            return (
                now
                + "\n"
                + _("changed after the first report (then: {then})").format(then=_susar_word(first))
            )
    return now


def _clock(e: Mapping[str, Any], now: float) -> ae.ReportClock:
    """From the earliest awareness any version recorded (a correction never makes a report timely)."""
    return ae.report_clock(
        e.get("seriousness"),
        e.get("clock_awareness", e.get("awareness")),
        e.get("sent_at"),
        now,
        e.get("follow_up_reports") or 0,
        e.get("grade"),
    )


def _reported(e: Mapping[str, Any], now: float, when: Callable[[float], str]) -> str:
    clock = _clock(e, now)
    if clock.state == "reported" and clock.reported_at is not None:
        return (
            when(clock.reported_at)
            + (" " + _("(after the 24 h)") if clock.late else "")
            + ae.follow_up_text(clock.follow_ups)
        )
    return _("not reported: {clock}").format(clock=ae.clock_text(clock, when))


def _provisional(e: Mapping[str, Any]) -> bool:
    """Grade 4-5 with seriousness not assessed: listed as an SAE until someone assesses it."""
    return e.get("seriousness") is None and int(e.get("grade") or 0) >= ae.PROVISIONALLY_SERIOUS_GRADE


def sae_listing(events: Sequence[Mapping[str, Any]], now: float, when: Callable[[float], str]) -> SaeListing:
    """`events`: the review's adverse events (the latest version of each, as dicts)."""
    rows = []
    for e in events:
        criteria = e.get("seriousness")
        provisional = _provisional(e)
        if not criteria and not provisional:
            continue
        term = f"#{e['id']} {ae.term_text(e['term'])}" + (
            " " + _("(special interest: {aesi})").format(aesi=ae.special_interest_text(e["aesi"]))
            if e.get("aesi")
            else ""
        )
        not_recorded = _("not recorded")
        outcome = e.get("outcome")
        rows.append(
            [
                term,
                not_recorded if e.get("onset") is None else when(e["onset"]),
                _("to be assessed (grade {grade})").format(grade=e["grade"])
                if provisional
                else "\n".join(ae.criterion_text(c) for c in criteria),
                str(e["grade"])
                if e.get("ctcae_version")
                else _("{grade} (term not CTCAE)").format(grade=e["grade"]),
                ae.relatedness_text(e["relatedness"]),
                _(EXPECTEDNESS[e["expectedness"]])
                if e.get("expectedness") in EXPECTEDNESS
                else (e.get("expectedness") or _("not assessed")),
                _susar(e),
                _(OUTCOME_WORDS[outcome])
                if outcome in OUTCOME_WORDS
                else (outcome or not_recorded).replace("_", " "),
                not_recorded if e.get("awareness") is None else when(e["awareness"]),
                _reported(e, now, when),
                _("{version} of {versions}").format(
                    version=e.get("version", 1), versions=e.get("versions", 1)
                ),
            ]
        )
    rsi = tuple(
        sorted({str(e["rsi"]) for e in events if (e.get("seriousness") or _provisional(e)) and e.get("rsi")})
    )
    not_assessed = sum(1 for e in events if e.get("seriousness") is None and not _provisional(e))
    return SaeListing(rows, not_assessed, rsi)
