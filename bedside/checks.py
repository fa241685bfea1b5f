"""The nurse's check schedule around one dose (the monitoring table in docs/clinical-safety.md).

A "check" is a documented set (T, HR, BP, RR, SpO2, FiO2, PEEP, Ppeak, skin and line look, symptoms)
that the nurse signs; the screen shows each one as upcoming, due, overdue or done. Pure functions of the
dose's times, the signatures in the safety log and the clock, so the schedule is the same on every screen.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from dataclasses import dataclass

from bedside.alerts import Alert
from bedside.i18n import N_, _

MINUTE = 60.0
HOUR = 3600.0
UPCOMING_BEFORE = 15 * MINUTE
"""A check shows as upcoming from 15 min before its window opens, so the nurse can plan for it."""


class CheckState(enum.Enum):
    LATER = "later"
    UPCOMING = "upcoming"
    DUE = "due"
    OVERDUE = "overdue"
    """Past its tolerance: amber."""
    MISSED = "missed"
    """Past twice its tolerance: red."""
    DONE = "done"
    WAITING = "waiting"
    """Anchored on the end of an infusion that has not ended yet."""


@dataclass(frozen=True)
class ScheduledCheck:
    key: str
    """Stable within a dose ("during+30", "post+60"): what a signature names."""
    group: str
    label: str
    due: float | None
    """Epoch s; None while it hangs on an end time not known yet."""
    before: float
    after: float
    """Tolerance in s before and after `due` (after it, overdue)."""
    what: str = "vital signs set"
    """`label` and `what` are English, as the safety log names a check; a screen shows
    `check_label` and `check_what`."""


@dataclass(frozen=True)
class Signature:
    key: str
    at: float
    by: str
    """The signer's username (the safety log entry's actor)."""
    name: str = ""
    """The signer's printed name and role as the signature holds them ("" on an unsigned entry)."""
    role: str = ""


@dataclass(frozen=True)
class CheckStatus:
    check: ScheduledCheck
    state: CheckState
    signed: Signature | None = None


def _c(
    key: str, group: str, label: str, due: float | None, before: float, after: float, what: str = ""
) -> ScheduledCheck:
    return ScheduledCheck(key, group, label, due, before, after, what or N_("vital signs set"))


def schedule(
    start: float,
    end: float | None,
    now: float,
    high_alerts: Sequence[Alert] = (),
) -> list[ScheduledCheck]:
    """Every check of one dose started at `start` (ended at `end`, or still running at `now`).

    `high_alerts` are the High alerts of this dose: each adds an unscheduled check (one per cluster).
    """
    m = MINUTE
    out = [
        _c(
            "baseline", "Before", N_("baseline set, pre-dose labs, ABG"), start, HOUR, 0.0, N_("baseline set")
        ),
        _c("start", "Start", N_("start"), start, 5 * m, 5 * m),
    ]
    # During the infusion every 15 min until its end; while it runs, up to the next one ahead of now.
    last = end if end is not None else max(now, start) + 15 * m
    k = 1
    while start + k * 15 * m < last:
        out.append(_c(f"during+{15 * k}", "During", f"+{15 * k} min", start + k * 15 * m, 5 * m, 5 * m))
        k += 1
    e = end
    out.append(_c("end", "End", N_("end of infusion"), e, 0.0, 10 * m))
    post = [
        ("post+15", "Early post", N_("end +15 min"), 15 * m, 5 * m, 5 * m, ""),
        ("post+30", "Early post", N_("end +30 min"), 30 * m, 5 * m, 5 * m, ""),
        ("post+60", "Early post", N_("end +60 min"), 60 * m, 10 * m, 10 * m, ""),
        ("abg+1h", "ABG", N_("ABG at end +1 h"), HOUR, 30 * m, 30 * m, N_("arterial blood gas")),
        ("review+1h", "Review", N_("intensivist review +1 h"), HOUR, 0.0, 2 * HOUR, N_("intensivist review")),
    ]
    post += [(f"hourly+{h}h", "Hourly", f"end +{h} h", h * HOUR, 15 * m, 15 * m, "") for h in range(2, 7)]
    post += [
        ("abg+6h", "ABG", N_("ABG at end +6 h"), 6 * HOUR, 30 * m, 30 * m, N_("arterial blood gas")),
        (
            "review+6h",
            "Review",
            N_("intensivist review +6 h"),
            6 * HOUR,
            0.0,
            2 * HOUR,
            N_("intensivist review"),
        ),
    ]
    post += [
        (f"4h+{h}h", "4-hourly", f"end +{h} h", h * HOUR, 30 * m, 30 * m, "") for h in (10, 14, 18, 22, 24)
    ]
    post += [
        (
            "labs+24h",
            "Labs",
            N_("post-dose labs +24 h"),
            24 * HOUR,
            4 * HOUR,
            4 * HOUR,
            N_("laboratory panel"),
        ),
        (
            "review+24h",
            "Review",
            N_("intensivist review +24 h"),
            24 * HOUR,
            0.0,
            2 * HOUR,
            N_("intensivist review"),
        ),
        (
            "labs+72h",
            "Labs",
            N_("labs before the next dose (+72 h)"),
            72 * HOUR,
            4 * HOUR,
            4 * HOUR,
            N_("laboratory panel"),
        ),
        ("labs+7d", "Labs", N_("labs day 7"), 7 * 24 * HOUR, 4 * HOUR, 4 * HOUR, N_("laboratory panel")),
    ]
    for key, group, label, offset, before, after, what in post:
        out.append(_c(key, group, label, None if e is None else e + offset, before, after, what))
    last = -math.inf
    for alert_id, fired in sorted(((a.id, a.fired_at) for a in high_alerts), key=lambda a: a[1]):
        # High alerts often come in a cluster (a reaction trips several rules): one check covers the
        # ones within 15 min of the check before.
        if fired - last >= 15 * m:
            out.append(
                _c(f"alert{alert_id}", "Unscheduled", N_("check after a HIGH alert"), fired, 0.0, 15 * m)
            )
            last = fired
    return sorted(out, key=lambda c: (c.due is None, c.due or 0.0))


STATE_NAMES = {
    CheckState.LATER: N_("later"),
    CheckState.UPCOMING: N_("upcoming"),
    CheckState.DUE: N_("due"),
    CheckState.OVERDUE: N_("overdue"),
    CheckState.MISSED: N_("missed"),
    CheckState.DONE: N_("done"),
    CheckState.WAITING: N_("waiting"),
}


def state_name(state: CheckState) -> str:
    """A check's state as the screen says it, in its language."""
    return _(STATE_NAMES[state])


def check_label(check: ScheduledCheck) -> str:
    """A check's name as the screen shows it, in its language."""
    if check.key.startswith("during+"):
        return during_offset(int(check.key.removeprefix("during+")))
    if check.key.startswith(("hourly+", "4h+")):
        return _("end +{hours} h").format(hours=check.key.partition("+")[2].removesuffix("h"))
    return _(check.label)


def during_offset(minutes: int) -> str:
    """How far into the infusion a check falls: "+45 min" up to two hours, then in hours ("+2 h 15
    min", "+30 h") and from two days in days ("+14 d", "+14 d 12 h"), never thousands of minutes."""
    if minutes <= 120:
        return _("+{minutes} min").format(minutes=minutes)
    hours, rest = divmod(minutes, 60)
    if hours < 48:
        if rest:
            return _("+{hours} h {minutes} min").format(hours=hours, minutes=f"{rest:02d}")
        return _("+{hours} h").format(hours=hours)
    days, hours = divmod(hours, 24)
    if hours:
        return _("+{days} d {hours} h").format(days=days, hours=hours)
    return _("+{days} d").format(days=days)


def stored_check_label(key: str, label: str) -> str:
    """A signed check's name as stored (English, `ScheduledCheck.label`) in the reader's language;
    a name stored otherwise (an older record) as it was stored."""
    return check_label(ScheduledCheck(key, "", label, None, 0.0, 0.0)) if label else key


def check_name_after_check(key: str, label: str) -> str:
    """A check's name where a sentence has already said "check" ("Check … signed", "the check … of
    dose 1"): the check after a HIGH alert is named by what it follows, so the word is not doubled.
    Its name alone (the list on the screen) is `check_label`."""
    if key.startswith("alert"):
        return _("after a HIGH alert")
    return stored_check_label(key, label)


def check_what(check: ScheduledCheck) -> str:
    """What a check documents, in the screen's language."""
    return _(check.what)


def state_of(check: ScheduledCheck, now: float, signed: Signature | None) -> CheckState:
    if signed is not None:
        return CheckState.DONE
    if check.due is None:
        return CheckState.WAITING
    opens = check.due - check.before
    if now < opens - UPCOMING_BEFORE:
        return CheckState.LATER
    if now < opens:
        return CheckState.UPCOMING
    tolerance = check.after or 5 * MINUTE
    if now <= check.due + tolerance:
        return CheckState.DUE
    if now <= check.due + 2 * tolerance:
        return CheckState.OVERDUE
    return CheckState.MISSED


def check_statuses(
    checks: list[ScheduledCheck], signatures: list[Signature], now: float
) -> list[CheckStatus]:
    signed = {s.key: s for s in sorted(signatures, key=lambda s: s.at)}
    return [CheckStatus(c, state_of(c, now, signed.get(c.key)), signed.get(c.key)) for c in checks]


def on_screen(
    statuses: list[CheckStatus], upcoming: int = 2, done: int = 2, pending: int = 4
) -> list[CheckStatus]:
    """What the nurse needs now: the last few signed, the newest due or overdue ones, the next few
    ahead (the caller says how many more are missed)."""
    open_now = {CheckState.DUE, CheckState.OVERDUE, CheckState.MISSED}
    ahead = {CheckState.UPCOMING, CheckState.LATER, CheckState.WAITING}
    signed = [s for s in statuses if s.state is CheckState.DONE][-done:]
    due = [s for s in statuses if s.state in open_now][-pending:]
    later = [s for s in statuses if s.state in ahead][:upcoming]
    return signed + due + later


def pre_dose_gaps(
    now: float,
    vitals: dict[str, float | None],
    lab_times: list[float],
    abg_times: list[float],
) -> list[str]:
    """What the "baseline set + pre-dose labs + ABG" check is missing at a start now: vital signs
    in the last 60 min, labs in the last 24 h, a blood gas in the last 6 h. The nurse is warned, never
    stopped: a reaction may not wait for paperwork."""
    gaps = [
        _("no {name} in the last 60 min").format(name=name)
        for name, at in vitals.items()
        if at is None or now - at > HOUR
    ]
    if not any(0 <= now - t <= 24 * HOUR for t in lab_times):
        gaps.append(_("no laboratory result in the last 24 h"))
    if not any(0 <= now - t <= 6 * HOUR for t in abg_times):
        gaps.append(_("no arterial blood gas in the last 6 h"))
    return gaps


def preselect(statuses: list[CheckStatus], now: float) -> str | None:
    """The check a nurse signing now most likely means: one whose window is open (due), else one past
    its tolerance (overdue), each the nearest to now (on a tie the later in the schedule: at the
    start, the start rather than the baseline); else the next upcoming one; else the latest missed.
    Never an earlier check just because the schedule lists it first: signing the pre-dose baseline
    55 min into a dose would record the wrong check."""
    for state in (CheckState.DUE, CheckState.OVERDUE, CheckState.UPCOMING):
        found = [(i, s.check) for i, s in enumerate(statuses) if s.state is state and s.check.due is not None]
        if found:
            return min(found, key=lambda ic: (abs((ic[1].due or 0.0) - now), -ic[0]))[1].key
    missed = [s.check for s in statuses if s.state is CheckState.MISSED and s.check.due is not None]
    return max(missed, key=lambda c: c.due or 0.0).key if missed else None
