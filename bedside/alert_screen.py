"""What the nurse's screen does with the open alerts, without Qt: which one the banner shows, how the
Alerts list is ordered and what can be acknowledged from it, and when the screen's sound cues.

Bedside is a secondary alarm system: the bedside monitor and the pump keep the primary alarms. Its
sound exists so that an infusion reaction nobody has acknowledged is not left to a silent screen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bedside.alerts import Alert
from bedside.i18n import N_, _, localize_number

RAISED = "raised"
SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2}
SEVERITY_NAMES = {"high": N_("high"), "medium": N_("medium"), "low": N_("low")}


def severity_name(severity: str) -> str:
    """A severity (as stored: "high") as the screen says it, in its language."""
    return _(SEVERITY_NAMES[severity]) if severity in SEVERITY_NAMES else severity


REPEAT_SECONDS = 30.0
"""An unacknowledged High or escalated alert cues again this often until acknowledged or muted."""
MUTE_SECONDS = 120.0
"""A mute is short on purpose: the nurse attends the patient, and the sound comes back on its own."""


def problems(alerts: Sequence[Alert]) -> list[Alert]:
    """One reaction, one problem: the alerts not shown under a composite that is in `alerts`."""
    ids = {a.id for a in alerts}
    return [a for a in alerts if a.folded_into is None or a.folded_into not in ids]


def unacknowledged(alerts: Sequence[Alert]) -> list[Alert]:
    """Open alerts still waiting for a nurse, most severe first then newest (the order of `alerts`).

    An alert folded under a composite that is itself unacknowledged is acknowledged with it, so only
    the composite counts; one folded in after its composite was acknowledged counts on its own, or
    it could never be acknowledged from the banner.
    """
    by_id = {a.id: a for a in alerts}
    out = []
    for a in alerts:
        if a.state != RAISED:
            continue
        parent = by_id.get(a.folded_into) if a.folded_into is not None else None
        if parent is not None and parent.state == RAISED:
            continue
        out.append(a)
    return sorted(out, key=lambda a: (SEVERITY_RANK.get(a.severity, 3), -a.fired_at))


def banner_alert(alerts: Sequence[Alert]) -> Alert | None:
    """The banner's alert: the most severe unacknowledged one; with every open alert acknowledged,
    the most severe open problem (it stays open until the values recover)."""
    waiting = unacknowledged(alerts)
    if waiting:
        return waiting[0]
    shown = problems(alerts)
    return shown[0] if shown else None


@dataclass(frozen=True)
class Row:
    alert: Alert
    depth: int
    """0 for a problem, 1 for an alert folded under the row above it."""
    escalated_with: Alert | None = None
    """The escalated problem this unacknowledged High alert is folded under: it waits as long as its
    problem did, so it is shown escalated with it (only the problem itself is escalated at rest)."""


def escalated_with(member: Alert, problem: Alert) -> Alert | None:
    """`problem` when it is escalated and `member`, folded under it, is a High alert nobody has
    acknowledged yet; else None."""
    if problem.escalated and member.state == RAISED and member.severity == "high" and not member.escalated:
        return problem
    return None


def list_rows(alerts: Sequence[Alert], recent: Sequence[Alert] = ()) -> list[Row]:
    """The Alerts list: each problem (open ones first, most severe first), then what is folded under
    it; then the ones resolved in the last 24 h, alike."""
    everything = [*alerts, *recent]
    ids = {a.id for a in everything}
    out: list[Row] = []
    for a in everything:
        if a.folded_into is None or a.folded_into not in ids:
            out.append(Row(a, 0))
            out += [Row(c, 1, escalated_with(c, a)) for c in everything if c.folded_into == a.id]
    return out


def row_escalation_text(row: Row, minutes: float | None) -> str:
    """The Escalated column: the alert's own escalation, else 'ESCALATED with C1' for an unacknowledged
    High alert folded under an escalated problem ('' for neither)."""
    if row.escalated_with is not None:
        return _("ESCALATED with {rule}").format(rule=row.escalated_with.rule_id)
    return escalation_text(row.alert, minutes)


def acknowledgeable(a: Alert) -> bool:
    """Nobody has acknowledged it yet (open, or resolved before anyone did)."""
    return a.acked_at is None and not a.acked_by


def ack_targets(selected: Iterable[int], alerts: Sequence[Alert]) -> list[int]:
    """What to acknowledge for a selection: the acknowledgeable alerts, less those folded under a
    selected open composite (the store acknowledges them with it, and one entry each is enough)."""
    by_id = {a.id: a for a in alerts}
    chosen = [by_id[i] for i in dict.fromkeys(selected) if i in by_id and acknowledgeable(by_id[i])]
    parents = {a.id for a in chosen if a.state == RAISED}
    return [a.id for a in chosen if a.folded_into not in parents]


def escalation_text(a: Alert, minutes: float | None) -> str:
    """How an escalated alert is named on screen and in the list ('' when it is not escalated)."""
    if not a.escalated:
        return ""
    if a.state == RAISED:
        if minutes:
            return _("ESCALATED: not acknowledged for {minutes} min").format(
                minutes=localize_number(f"{minutes:g}")
            )
        return _("ESCALATED: not acknowledged in time")
    if minutes:
        return _("escalated (was not acknowledged for {minutes} min)").format(
            minutes=localize_number(f"{minutes:g}")
        )
    return _("escalated (was not acknowledged in time)")


def alarming(alerts: Sequence[Alert]) -> list[Alert]:
    """What the screen sounds for until someone acknowledges it: a High alert, or an escalated one."""
    return [a for a in alerts if a.state == RAISED and (a.severity == "high" or a.escalated)]


@dataclass(frozen=True)
class Mute:
    by: str
    at: float
    until: float


class AlertSound:
    """When the screen gives its audible cue. High and escalated alerts sound by default, again every
    `repeat` seconds while unacknowledged; every other new alert only when the nurse turned that on.
    A mute silences the screen until it expires; nothing else ends it early but the nurse."""

    def __init__(self, repeat: float = REPEAT_SECONDS) -> None:
        self.repeat = repeat
        self.mute: Mute | None = None
        self._seen: set[int] | None = None
        self._loud: set[int] = set()
        self._last_cue: float | None = None

    def muted(self, now: float) -> bool:
        return self.mute is not None and now < self.mute.until

    def mute_for(self, by: str, now: float, seconds: float = MUTE_SECONDS) -> Mute:
        self.mute = Mute(by, now, now + seconds)
        return self.mute

    def unmute(self) -> None:
        self.mute = None
        self._last_cue = None  # what is still unacknowledged sounds at once

    def cue(self, alerts: Sequence[Alert], now: float, every_new: bool = False) -> bool:
        """Whether to cue now. Called on every refresh with the open alerts."""
        ids = {a.id for a in alerts}
        # Alerts already open when the screen opened are not "new"; the loud ones still sound.
        new = ids - self._seen if self._seen is not None else set()
        self._seen = ids | (self._seen or set())
        loud = {a.id for a in alarming(alerts)}
        newly_loud, self._loud = loud - self._loud, loud
        if self.mute is not None and not self.muted(now):
            self.mute = None
            self._last_cue = None  # the mute ran out: what is still unacknowledged sounds at once
        if self.muted(now):
            return False
        due = bool(loud) and (
            bool(newly_loud) or self._last_cue is None or now - self._last_cue >= self.repeat
        )
        if due or (every_new and new):
            self._last_cue = now
            return True
        return False


_ACKED_WITH = re.compile(r"acknowledged with alert (\d+)")


def ack_comment_text(comment: str | None) -> str:
    """An acknowledgement's comment as a person reads it: the one the engine writes for an alert
    acknowledged together with another ("acknowledged with alert 12", stored in English as part of
    the record) in the screen's language; a clinician's own comment as written."""
    if not comment:
        return ""
    found = _ACKED_WITH.fullmatch(comment)
    return _("acknowledged with alert {n}").format(n=found.group(1)) if found else comment
