"""The serious adverse event listing the report and the review show: one row per serious event (its
latest version), with the ICH E2A criteria, the CTCAE grade, relatedness, expectedness against the
reference safety information, the derived SUSAR flag, outcome, when the team became aware, and when
it was reported to the sponsor (or the 24-hour clock while it is not). Events whose seriousness was
never assessed are counted, not silently left out; an event once assessed serious and later
reassessed as not serious stays listed with when, by whom, and where its report stood then."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bedside import adverse_events as ae
from bedside.ctcae import term_text
from bedside.i18n import N_, _
from bedside.sae_clock import (
    PROVISIONALLY_SERIOUS_GRADE,
    ReportClock,
    clock_text,
    follow_up_text,
    report_clock,
)
from bedside.seriousness import criterion_text
from bedside.users import role_name

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


def _clock(e: Mapping[str, Any], now: float) -> ReportClock:
    """From the earliest awareness any version recorded (a correction never makes a report timely)."""
    return report_clock(
        e.get("seriousness"),
        e.get("clock_awareness", e.get("awareness")),
        e.get("sent_at"),
        now,
        e.get("follow_up_reports") or 0,
        e.get("grade"),
        from_first_record=bool(e.get("clock_from_first_record")),
    )


def _reported(e: Mapping[str, Any], now: float, when: Callable[[float], str]) -> str:
    clock = _clock(e, now)
    if clock.state == "reported" and clock.reported_at is not None:
        return (
            when(clock.reported_at)
            + (" " + _("(after the 24 h)") if clock.late else "")
            + follow_up_text(clock.follow_ups)
        )
    return _("not reported: {clock}").format(clock=clock_text(clock, when))


def awareness_correction(e: Mapping[str, Any]) -> tuple[int, str] | None:
    """The latest version that moved the awareness time, and the reason it gave (None: none did)."""
    corrected = [h for h in e.get("history") or [] if h.get("awareness_reason")]
    if not corrected:
        return None
    last = max(corrected, key=lambda h: int(h.get("version") or 1))
    return int(last.get("version") or 1), str(last["awareness_reason"])


def _corrected(e: Mapping[str, Any]) -> str:
    found = awareness_correction(e)
    if found is None:
        return ""
    return "\n" + _("(corrected in version {version}: {reason})").format(version=found[0], reason=found[1])


def _aware(e: Mapping[str, Any], when: Callable[[float], str]) -> str:
    """When the team became aware: the earliest time any version recorded, the one the 24 h clock
    runs from (ICH E2A), with a later correction beside it, never in its place."""
    latest = e.get("awareness")
    earliest = e.get("clock_awareness", latest)
    if earliest is None:
        return _("not recorded")
    if e.get("clock_from_first_record"):
        # Day 0 is the site's first knowledge (ICH E2A): recording the event is knowing of it.
        note = (
            _("(the first record: no awareness time was given)")
            if latest is None
            else _("(the first record; the awareness time given, {at}, is later and was not used)").format(
                at=when(latest)
            )
        )
        return when(earliest) + "\n" + note
    if latest is None or latest == earliest:
        return when(earliest) + _corrected(e)
    found = awareness_correction(e)
    version, reason = found if found is not None else (e.get("version", 1), "")
    return (
        when(earliest)
        + "\n"
        + _("(the 24 h clock runs from it; corrected to {at} in version {version}: {reason})").format(
            at=when(latest), version=version, reason=reason
        )
    )


def _causality_by(e: Mapping[str, Any]) -> str:
    """Who assessed the causality, as what (SDTM AECAUSBY/AECAUSRL), under the relatedness."""
    if not e.get("assessed_by"):
        return ""
    who = str(e["assessed_by"])
    if e.get("assessor_role"):
        who = _("{by} ({role})").format(by=who, role=role_name(str(e["assessor_role"])))
    return "\n" + _("assessed by {who}").format(who=who)


def _provisional(e: Mapping[str, Any]) -> bool:
    """Grade 4-5 with seriousness not assessed: listed as an SAE until someone assesses it."""
    return e.get("seriousness") is None and int(e.get("grade") or 0) >= PROVISIONALLY_SERIOUS_GRADE


@dataclass(frozen=True)
class Reassessment:
    """A serious event a later version reassessed as not serious. It stays in the listing: what was
    once assessed serious (and may have been a SUSAR with its report clock running) must leave a trace
    a monitor can follow, with when and by whom it was reassessed and whether its report was overdue
    by then (ICH E2A: the expedited-report clock runs from the team's first awareness)."""

    serious_version: int
    """The last version assessed serious before the reassessment."""
    criteria: tuple[str, ...]
    """That version's ICH E2A criteria."""
    susar_version: int | None
    """The last version before the reassessment that derived a SUSAR (None: never one)."""
    version: int
    """The version that reassessed it as not serious."""
    at: float
    by: str
    role: str | None
    """The role of who reassessed it, as their signature says (None: the version was not signed)."""
    state: str
    """The report clock when it was reassessed: "overdue", "due", "reported", "no awareness time"."""
    due: float | None
    provisional: bool = False
    """The earlier version was not assessed serious but ran the clock provisionally (grade 4-5,
    seriousness not yet assessed): `criteria` is empty and `serious_version` is that version."""
    grade: int | None = None
    """The grade of the version that ran the clock provisionally."""
    lowered_to: int | None = None
    """The clock ran provisionally and ended when a later version lowered the grade below 4, its
    seriousness still not assessed: that version's grade (None: it was assessed not serious)."""


def reassessment(e: Mapping[str, Any]) -> Reassessment | None:
    """For an event (the review's dict, with its `history`) whose latest version is not serious
    after an earlier one was, or whose grade fell below 4 before anyone assessed the seriousness
    of a grade 4-5 version: what it was, and its report clock at the moment that changed."""
    history = sorted(e.get("history") or [], key=lambda h: int(h.get("version") or 1))
    if history and history[-1].get("seriousness") is None and not _provisional(history[-1]):
        return _lowered(history, e.get("sent_at"))
    if not history or history[-1].get("seriousness") != []:
        return None
    # A grade 4-5 version not yet assessed ran the same 24 h clock provisionally: assessing it not
    # serious later must leave the same trace as reassessing a serious one.
    serious_at = [i for i, h in enumerate(history) if h.get("seriousness") or _provisional(h)]
    if not serious_at:
        return None
    last = serious_at[-1]
    changed = history[last + 1]
    awareness = min(
        (h["awareness"] for h in history[: last + 2] if h.get("awareness") is not None), default=None
    )
    sent = e.get("sent_at")
    provisional = _provisional(history[last])
    clock = report_clock(
        history[last]["seriousness"],
        awareness,
        sent if sent is not None and sent <= changed["recorded_at"] else None,
        changed["recorded_at"],
        grade=int(history[last].get("grade") or 0) if provisional else None,
    )
    susar_versions = [int(h["version"]) for h in history[: last + 1] if h.get("susar") is True]
    return Reassessment(
        serious_version=int(history[last]["version"]),
        criteria=tuple(history[last]["seriousness"] or ()),
        susar_version=susar_versions[-1] if susar_versions else None,
        version=int(changed["version"]),
        at=float(changed["recorded_at"]),
        by=str(changed.get("by") or ""),
        role=changed.get("role"),
        state=clock.state,
        due=clock.due,
        provisional=provisional,
        grade=int(history[last].get("grade") or 0) if provisional else None,
    )


def _lowered(history: Sequence[Mapping[str, Any]], sent: float | None) -> Reassessment | None:
    """A grade 4-5 version not yet assessed ran the 24 h clock provisionally; a later version lowered
    the grade below 4 with the seriousness still not assessed, which ended it. Lowering the grade
    is not an assessment of seriousness (ICH E2A II.B judges the event's consequences, not its
    grade), so the listing keeps that the clock ran and how it ended."""
    ran = [i for i, h in enumerate(history) if _provisional(h)]
    if not ran:
        return None
    last = ran[-1]
    if any(h.get("seriousness") is not None for h in history[last:]):
        return None
    changed = history[last + 1]
    awareness = min(
        (h["awareness"] for h in history[: last + 2] if h.get("awareness") is not None), default=None
    )
    grade = int(history[last].get("grade") or 0)
    clock = report_clock(
        None,
        awareness,
        sent if sent is not None and sent <= changed["recorded_at"] else None,
        changed["recorded_at"],
        grade=grade,
    )
    return Reassessment(
        serious_version=int(history[last]["version"]),
        criteria=(),
        susar_version=None,
        version=int(changed["version"]),
        at=float(changed["recorded_at"]),
        by=str(changed.get("by") or ""),
        role=changed.get("role"),
        state=clock.state,
        due=clock.due,
        provisional=True,
        grade=grade,
        lowered_to=int(changed.get("grade") or 0),
    )


def reassessment_text(r: Reassessment, when: Callable[[float], str]) -> str:
    """One sentence: what it was, who reassessed it and when, and where its report stood then."""
    was = (
        _(
            "grade {grade} not yet assessed for seriousness in version {version}, its 24 h clock "
            "running provisionally"
        ).format(grade=r.grade, version=r.serious_version)
        if r.provisional
        else _("assessed serious ({criteria}) and a SUSAR in version {version}").format(
            criteria=", ".join(criterion_text(c) for c in r.criteria), version=r.susar_version
        )
        if r.susar_version is not None
        else _("assessed serious ({criteria}) in version {version}").format(
            criteria=", ".join(criterion_text(c) for c in r.criteria), version=r.serious_version
        )
    )
    who = r.by if not r.role else _("{by} ({role})").format(by=r.by, role=role_name(r.role))
    then = {
        "overdue": _("its 24 h report was overdue then (due {due}), not sent by then"),
        "due": _("its 24 h report was still due then (due {due})"),
        "reported": _("it had been reported to the sponsor by then"),
        "no awareness time": _("no awareness time was recorded, so its report clock never ran"),
    }.get(r.state, "")
    done = (
        _(
            "{was}; grade lowered to {grade} in version {version} at {at} by {who}, which ended that "
            "clock; seriousness still not assessed"
        )
        if r.lowered_to is not None
        else _("{was}; assessed not serious in version {version} at {at} by {who}")
        if r.provisional
        else _("{was}; reassessed not serious in version {version} at {at} by {who}")
    )
    return done.format(was=was, version=r.version, at=when(r.at), who=who, grade=r.lowered_to) + (
        f"; {then.format(due=when(r.due) if r.due is not None else '')}" if then else ""
    )


ENDED_OUTCOMES = ("recovered", "recovered_with_sequelae", "fatal")
"""Outcomes of an event that has ended, so its end date is expected."""


def _end_action_treatment(e: Mapping[str, Any], when: Callable[[float], str]) -> str:
    """Under the outcome, one line each (the column wraps rather than the page widening): the end
    date (for an event that ended, or wherever one is recorded), the action taken with the product
    and the treatment given (CDISC SDTM AE AEENDTC, AEACN, AECONTRT)."""
    lines = []
    if e.get("end") is not None:
        lines.append(_("ended {at}").format(at=when(e["end"])))
    elif e.get("outcome") in ENDED_OUTCOMES:
        lines.append(_("end: not recorded"))
    action = e.get("action_taken")
    lines.append(
        _("action with the product: {action}").format(
            action=_(ae.ACTIONS_TAKEN[action]) if action in ae.ACTIONS_TAKEN else _("not recorded")
        )
    )
    treatment = " ".join(str(e.get("treatment") or "").split())
    lines.append(
        _("treatment: {treatment}").format(treatment=treatment)
        if treatment
        else _("treatment: none recorded")
    )
    return "".join("\n" + line for line in lines)


def sae_listing(events: Sequence[Mapping[str, Any]], now: float, when: Callable[[float], str]) -> SaeListing:
    """`events`: the review's adverse events (the latest version of each, as dicts)."""
    rows = []
    for e in events:
        criteria = e.get("seriousness")
        provisional = _provisional(e)
        was = reassessment(e) if not criteria else None
        if not criteria and not provisional and was is None:
            continue
        term = f"#{e['id']} {term_text(e['term'])}" + (
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
                else _("not assessed; its provisional clock ended in version {version}").format(
                    version=was.version
                )
                if was is not None and was.lowered_to is not None
                else _("not serious since version {version}").format(version=was.version)
                if was is not None
                else "\n".join(criterion_text(c) for c in criteria),
                str(e["grade"])
                if e.get("ctcae_version")
                else _("{grade} (term not CTCAE)").format(grade=e["grade"]),
                ae.relatedness_text(e["relatedness"]) + _causality_by(e),
                _(EXPECTEDNESS[e["expectedness"]])
                if e.get("expectedness") in EXPECTEDNESS
                else (e.get("expectedness") or _("not assessed")),
                _susar(e)
                if was is None or was.susar_version is None
                else _susar(e) + "\n" + _("SUSAR in version {version}").format(version=was.susar_version),
                (
                    _(OUTCOME_WORDS[outcome])
                    if outcome in OUTCOME_WORDS
                    else (outcome or not_recorded).replace("_", " ")
                )
                + _end_action_treatment(e, when),
                _aware(e, when),
                _reported(e, now, when) if was is None else reassessment_text(was, when),
                _("{version} of {versions}").format(
                    version=e.get("version", 1), versions=e.get("versions", 1)
                ),
            ]
        )
    rsi = tuple(
        sorted(
            {
                str(e["rsi"])
                for e in events
                if (e.get("seriousness") or _provisional(e) or reassessment(e)) and e.get("rsi")
            }
        )
    )
    not_assessed = sum(1 for e in events if e.get("seriousness") is None and not _provisional(e))
    return SaeListing(rows, not_assessed, rsi)
