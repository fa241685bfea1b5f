"""The serious adverse event listing the report and the review show: one row per serious event (its
latest version), with the ICH E2A criteria, the CTCAE grade, relatedness, expectedness against the
reference safety information, the derived SUSAR flag, outcome, when the team became aware, and when
it was reported to the sponsor (or the 24-hour clock while it is not). Events whose seriousness was
never assessed are counted, not silently left out; an event once assessed serious and later
reassessed as not serious stays listed with when, by whom, and where its report stood then."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bedside import adverse_events as ae
from bedside.adverse_event_listing import HistoryEntry, ListedAdverseEvent
from bedside.adverse_events import AdverseEventVersion
from bedside.ctcae import term_text
from bedside.i18n import N_, _
from bedside.sae_clock import (
    PROVISIONALLY_SERIOUS_GRADE,
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


def _susar(e: ListedAdverseEvent) -> str:
    flag = e.latest.susar
    now = _susar_word(flag.value, flag.missing)
    if e.latest.sent_at is not None and e.susar_at_first_report != flag.value:
        return (
            now
            + "\n"
            + _("changed after the first report (then: {then})").format(
                then=_susar_word(e.susar_at_first_report)
            )
        )
    return now


def _reported(e: ListedAdverseEvent, now: float, when: Callable[[float], str]) -> str:
    # From the earliest awareness any version recorded (a correction never makes a report timely).
    clock = e.latest.clock(now)
    if clock.state == "reported" and clock.reported_at is not None:
        return (
            when(clock.reported_at)
            + (" " + _("(after the 24 h)") if clock.late else "")
            + follow_up_text(clock.follow_ups)
        )
    return _("not reported: {clock}").format(clock=clock_text(clock, when))


def awareness_correction(e: ListedAdverseEvent) -> tuple[int, str] | None:
    """The latest version that moved the awareness time, and the reason it gave (None: none did)."""
    corrected = [(h.version, h.recorded.awareness_reason) for h in e.history if h.recorded.awareness_reason]
    if not corrected:
        return None
    version, reason = max(corrected, key=lambda vr: vr[0])
    return version, str(reason)


def _corrected(e: ListedAdverseEvent) -> str:
    found = awareness_correction(e)
    if found is None:
        return ""
    return "\n" + _("(corrected in version {version}: {reason})").format(version=found[0], reason=found[1])


def _aware(e: ListedAdverseEvent, when: Callable[[float], str]) -> str:
    """When the team became aware: the earliest time any version recorded, the one the 24 h clock
    runs from (ICH E2A), with a later correction beside it, never in its place."""
    latest = e.latest.awareness
    earliest = e.latest.clock_awareness
    if earliest is None:
        return _("not recorded")
    if e.latest.clock_from_first_record:
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
    version, reason = found if found is not None else (e.latest.version, "")
    return (
        when(earliest)
        + "\n"
        + _("(the 24 h clock runs from it; corrected to {at} in version {version}: {reason})").format(
            at=when(latest), version=version, reason=reason
        )
    )


def _causality_by(v: AdverseEventVersion) -> str:
    """Who assessed the causality, as what (SDTM AECAUSBY/AECAUSRL), under the relatedness."""
    if not v.assessed_by:
        return ""
    who = v.assessed_by
    if v.assessor_role:
        who = _("{by} ({role})").format(by=who, role=role_name(v.assessor_role))
    return "\n" + _("assessed by {who}").format(who=who)


def _provisional(v: AdverseEventVersion) -> bool:
    """Grade 4-5 with seriousness not assessed: listed as an SAE until someone assesses it."""
    return v.seriousness is None and v.grade >= PROVISIONALLY_SERIOUS_GRADE


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


def reassessment(e: ListedAdverseEvent) -> Reassessment | None:
    """For an event whose latest version is not serious after an earlier one was, or whose grade
    fell below 4 before anyone assessed the seriousness of a grade 4-5 version: what it was, and its
    report clock at the moment that changed."""
    return reassessment_of(e.history, e.latest.sent_at)


def reassessment_of(history: Sequence[HistoryEntry], sent: float | None) -> Reassessment | None:
    """`reassessment` from an event's versions (`sent`: when it was first reported to the sponsor)."""
    history = sorted(history, key=lambda h: h.version)
    if history and history[-1].recorded.seriousness is None and not _provisional(history[-1].recorded):
        return _lowered(history, sent)
    if not history or history[-1].recorded.seriousness != ():
        return None
    # A grade 4-5 version not yet assessed ran the same 24 h clock provisionally: assessing it not
    # serious later must leave the same trace as reassessing a serious one.
    serious_at = [i for i, h in enumerate(history) if h.recorded.seriousness or _provisional(h.recorded)]
    if not serious_at:
        return None
    last = serious_at[-1]
    susar_versions = [h.version for h in history[: last + 1] if h.recorded.susar.value is True]
    return _reassessed(history, last, sent, susar_versions[-1] if susar_versions else None, lowered=False)


def _lowered(history: Sequence[HistoryEntry], sent: float | None) -> Reassessment | None:
    """A grade 4-5 version not yet assessed ran the 24 h clock provisionally; a later version lowered
    the grade below 4 with the seriousness still not assessed, which ended it. Lowering the grade
    is not an assessment of seriousness (ICH E2A II.B judges the event's consequences, not its
    grade), so the listing keeps that the clock ran and how it ended."""
    ran = [i for i, h in enumerate(history) if _provisional(h.recorded)]
    if not ran:
        return None
    last = ran[-1]
    if any(h.recorded.seriousness is not None for h in history[last:]):
        return None
    return _reassessed(history, last, sent, None, lowered=True)


def _reassessed(
    history: Sequence[HistoryEntry],
    last: int,
    sent: float | None,
    susar_version: int | None,
    *,
    lowered: bool,
) -> Reassessment:
    """What version `last` (the last serious, or provisionally serious, one) was, and the report
    clock when the version after it ended that: by assessing it not serious, or (`lowered`) by
    lowering the grade below 4 with the seriousness still not assessed."""
    was, changed = history[last].recorded, history[last + 1]
    awareness = min(
        (h.recorded.awareness for h in history[: last + 2] if h.recorded.awareness is not None), default=None
    )
    provisional = _provisional(was)
    grade = was.grade if provisional else None
    clock = report_clock(
        was.seriousness,
        awareness,
        sent if sent is not None and sent <= changed.recorded_at else None,
        changed.recorded_at,
        grade=grade,
    )
    return Reassessment(
        serious_version=was.version,
        criteria=tuple(was.seriousness or ()),
        susar_version=susar_version,
        version=changed.version,
        at=changed.recorded_at,
        by=changed.by or "",
        role=changed.role,
        state=clock.state,
        due=clock.due,
        provisional=provisional,
        grade=grade,
        lowered_to=changed.recorded.grade if lowered else None,
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


def _end_action_treatment(v: AdverseEventVersion, when: Callable[[float], str]) -> str:
    """Under the outcome, one line each (the column wraps rather than the page widening): the end
    date (for an event that ended, or wherever one is recorded), the action taken with the product
    and the treatment given (CDISC SDTM AE AEENDTC, AEACN, AECONTRT)."""
    lines = []
    if v.end is not None:
        lines.append(_("ended {at}").format(at=when(v.end)))
    elif v.outcome in ENDED_OUTCOMES:
        lines.append(_("end: not recorded"))
    action = v.action_taken
    lines.append(
        _("action with the product: {action}").format(
            action=_(ae.ACTIONS_TAKEN[action]) if action in ae.ACTIONS_TAKEN else _("not recorded")
        )
    )
    treatment = " ".join(v.treatment.split())
    lines.append(
        _("treatment: {treatment}").format(treatment=treatment)
        if treatment
        else _("treatment: none recorded")
    )
    return "".join("\n" + line for line in lines)


def sae_listing(events: Sequence[ListedAdverseEvent], now: float, when: Callable[[float], str]) -> SaeListing:
    """`events`: the review's adverse events (the latest version of each, with its history)."""
    rows = []
    for e in events:
        v = e.latest
        criteria = v.seriousness
        provisional = _provisional(v)
        was = reassessment(e) if not criteria else None
        if not criteria and not provisional and was is None:
            continue
        term = f"#{e.id} {term_text(v.term)}" + (
            " " + _("(special interest: {aesi})").format(aesi=ae.special_interest_text(v.aesi))
            if v.aesi
            else ""
        )
        not_recorded = _("not recorded")
        outcome = v.outcome
        rows.append(
            [
                term,
                not_recorded if v.onset is None else when(v.onset),
                _("to be assessed (grade {grade})").format(grade=v.grade)
                if provisional
                else _("not assessed; its provisional clock ended in version {version}").format(
                    version=was.version
                )
                if was is not None and was.lowered_to is not None
                else _("not serious since version {version}").format(version=was.version)
                if was is not None
                else "\n".join(criterion_text(c) for c in criteria or ()),
                str(v.grade) if v.ctcae_version else _("{grade} (term not CTCAE)").format(grade=v.grade),
                ae.relatedness_text(v.relatedness) + _causality_by(v),
                _(EXPECTEDNESS[v.expectedness])
                if v.expectedness in EXPECTEDNESS
                else (v.expectedness or _("not assessed")),
                _susar(e)
                if was is None or was.susar_version is None
                else _susar(e) + "\n" + _("SUSAR in version {version}").format(version=was.susar_version),
                (
                    _(OUTCOME_WORDS[outcome])
                    if outcome in OUTCOME_WORDS
                    else (outcome or not_recorded).replace("_", " ")
                )
                + _end_action_treatment(v, when),
                _aware(e, when),
                _reported(e, now, when) if was is None else reassessment_text(was, when),
                _("{version} of {versions}").format(version=v.version, versions=e.versions),
            ]
        )
    rsi = tuple(
        sorted(
            {
                e.latest.rsi
                for e in events
                if (e.latest.seriousness or _provisional(e.latest) or reassessment(e)) and e.latest.rsi
            }
        )
    )
    not_assessed = sum(1 for e in events if e.latest.seriousness is None and not _provisional(e.latest))
    return SaeListing(rows, not_assessed, rsi)
