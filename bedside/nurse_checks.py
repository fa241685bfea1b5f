"""The nurse's screen's check rows, decided without Qt: the checks of the running dose's schedule,
which of them may be signed, and why none is due once the patient is recorded as deceased or while
the feeds catch up. The checks view (bedside_ui) lays these out."""

from __future__ import annotations

from dataclasses import dataclass

from bedside.checks import (
    CheckState,
    CheckStatus,
    check_label,
    check_statuses,
    on_screen,
    preselect,
    schedule,
    state_name,
)
from bedside.i18n import _
from bedside.nurse_screen import arriving, local, signer
from bedside.status import DoseInfo, PatientStatus

CHECK_MARK = {
    CheckState.DONE: "✓",
    CheckState.DUE: "●",
    CheckState.OVERDUE: "●",
    CheckState.MISSED: "●",
    CheckState.UPCOMING: "○",
    CheckState.LATER: "○",
    CheckState.WAITING: "○",
}
SIGNABLE = (CheckState.DUE, CheckState.OVERDUE, CheckState.MISSED, CheckState.UPCOMING)


@dataclass(frozen=True)
class CheckRow:
    state: CheckState
    mark: str
    label: str
    detail: str


@dataclass(frozen=True)
class Checks:
    dose: int | None
    """The dose the schedule belongs to; None: no dose recorded, no schedule."""
    rows: tuple[CheckRow, ...] = ()
    more_missed: int = 0
    """Missed checks the line has no room for."""
    signable: tuple[tuple[str, str], ...] = ()
    """(check key, what the Sign check list shows) of the checks open to signing."""
    due: str | None = None
    """The check the Sign check dialog preselects: the one due or overdue now."""
    labels: tuple[tuple[str, str], ...] = ()
    """(check key, its English name) of the signable checks: what the signed record stores, in
    every screen language (a screen shows it translated, `checks.stored_check_label`)."""


def start_dose_tip(status: PatientStatus) -> str:
    """Why Start dose… is disabled after a recorded death ("" while a dose may start)."""
    if status.deceased_at is None:
        return ""
    return _("No dose can be started: this patient is recorded as deceased at {time}").format(
        time=local(status.deceased_at)
    )


def _after_death(dose: DoseInfo, statuses: list[CheckStatus], died: float, reported: bool = False) -> Checks:
    """Once the patient is recorded as deceased no check is due, missed or signable: the checks
    signed stay listed, and one line says why nothing else is. A death only an ADT message reported
    (`reported`) is said as the message says it, never as the patient's death."""
    rows = [
        CheckRow(
            s.state,
            CHECK_MARK[s.state],
            check_label(s.check),
            _("{due} signed {who} {time}").format(
                due="" if s.check.due is None else local(s.check.due, "%H:%M"),
                who=signer(s.signed),
                time=local(s.signed.at, "%H:%M"),
            ),
        )
        for s in statuses
        if s.state is CheckState.DONE and s.signed is not None
    ][-2:]
    rows.append(
        CheckRow(
            CheckState.LATER,
            "—",
            _("No check is due"),
            (
                _("ADT reports death {time}, not confirmed").format(time=local(died))
                if reported
                else _("the patient died {time}").format(time=local(died))
            ),
        )
    )
    return Checks(dose.dose, tuple(rows))


def _while_arriving(dose: DoseInfo, behind: float) -> Checks:
    """While the feeds catch up a backlog, the schedule measured against the clock would call every
    check of the hours not yet arrived missed: one line says the data are still arriving instead."""
    return Checks(
        dose.dose,
        (
            CheckRow(
                CheckState.LATER,
                "…",
                _("Checks shown once the data have caught up"),
                arriving(behind),
            ),
        ),
    )


def checks(status: PatientStatus, dose: DoseInfo | None, now: float, behind: float | None = None) -> Checks:
    """`behind`: as for `dose_line`."""
    if dose is None:
        return Checks(None)
    highs = tuple(
        a for a in [*status.alerts, *status.recent] if a.severity == "high" and a.episode_id == dose.id
    )
    statuses = check_statuses(
        schedule(dose.start, dose.end, now, highs), status.signatures.get(dose.id, []), now
    )
    if status.deceased_at is not None:
        return _after_death(dose, statuses, status.deceased_at)
    if status.reported_death is not None:
        return _after_death(dose, statuses, status.reported_death, reported=True)
    if behind is not None:
        return _while_arriving(dose, behind)
    shown = on_screen(statuses)
    rows = []
    for s in shown:
        c = s.check
        when = "" if c.due is None else local(c.due, "%H:%M")
        if s.state is CheckState.DONE and s.signed is not None:
            detail = _("{due} signed {who} {time}").format(
                due=when, who=signer(s.signed), time=local(s.signed.at, "%H:%M")
            )
        elif s.state is CheckState.WAITING:
            detail = _("after the end")
        else:
            detail = f"{state_name(s.state)} {when}"
        rows.append(CheckRow(s.state, CHECK_MARK[s.state], check_label(c), detail))
    missed = sum(1 for s in statuses if s.state is CheckState.MISSED) - sum(
        1 for s in shown if s.state is CheckState.MISSED
    )
    signable = tuple(
        (s.check.key, f"{check_label(s.check)} ({state_name(s.state)})")
        for s in statuses
        if s.state in SIGNABLE
    )
    labels = tuple((s.check.key, s.check.label) for s in statuses if s.state in SIGNABLE)
    return Checks(dose.dose, tuple(rows), max(0, missed), signable, preselect(statuses, now), labels)
