"""The ward overview: every bed on one screen, the beds that need attention first.

What a central station shows a charge nurse or an intensivist: per bed the patient, where the dose
stands, the open problems by severity, the key numerics against their pre-dose baseline and whether
Bedside can see the bed at all. Filled by the database adapter (`BedFacts`), ranked and drawn
without Qt here, so the order the screen shows is the one the unit tests check.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bedside.alert_screen import problems as open_problems
from bedside.alert_screen import unacknowledged
from bedside.alerts import Alert
from bedside.feeds import FeedActivity, FeedState, FeedStatus, assess_feed
from bedside.i18n import _
from bedside.model import Patient
from bedside.numerics import NUMERICS, NumericReading, readings
from bedside.status import DoseInfo

POST_DOSE_WINDOW = 6 * 3600.0
"""The rules' close watch after a dose (W6: a feed that stops in it is an emergency of its own)."""
LATE_WINDOW = 24 * 3600.0
"""The late window: delayed reactions (cytokine release) still come within a day of a dose."""
ALERTING_STALE_AFTER = 10.0
"""The rule engine beats every few seconds; silent longer than this, it is not checking anyone."""
WARD_NUMERICS = tuple(s for s in NUMERICS if s.key in ("hr", "spo2", "abp_sys", "temp"))
"""What a tile shows: HR, SpO2, BP, temperature (the rest is one click away, on the bed's screen)."""
_COMPANIONS = ("abp_dia", "abp_mean", "nibp_dia", "nibp_mean")
WARD_PARAMETERS = (*(p for s in WARD_NUMERICS for p in s.parameters), *_COMPANIONS)


class DoseState(enum.Enum):
    INFUSING = "infusing"
    WINDOW_6H = "6 h window"
    WINDOW_24H = "24 h window"
    NONE = "none"


@dataclass(frozen=True)
class BedFacts:
    """What the database says about one bed's patient (read off the GUI thread)."""

    patient: Patient
    doses: tuple[DoseInfo, ...]
    alerts: tuple[Alert, ...]
    """Open alerts (raised or acknowledged), folded ones included."""
    latest: Mapping[str, tuple[float, float]]
    """Stored parameter → (time, value) of its newest value in the last 75 min."""
    feeds: tuple[FeedActivity, ...]
    """The device feeds bound to the patient's bed now."""
    manual: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class WardFacts:
    beds: tuple[BedFacts, ...]
    alerting_beat: float | None
    ruleset: str
    ingest_beat: float | None


@dataclass(frozen=True)
class Attention:
    rank: int
    """0 first. Beds of equal rank follow by severity, then by number of problems, then by bed."""
    reason: str
    """Why the bed sits where it does, in the nurse's words ('' for a bed with nothing pending)."""


@dataclass(frozen=True)
class BedView:
    patient: Patient
    dose_state: DoseState
    dose: DoseInfo | None
    """The running dose, else the latest ended one (None: no dose recorded)."""
    problems: tuple[Alert, ...]
    """Open problems: alerts not folded under a composite, highest severity first."""
    readings: tuple[NumericReading, ...]
    feeds: tuple[FeedStatus, ...]
    alerts: tuple[Alert, ...] = ()
    """Every open alert, those folded under a problem included (what the bed's Alerts list shows)."""

    @property
    def attention(self) -> Attention:
        return attention(self)

    def count(self, severity: str, unacknowledged: bool = False) -> int:
        return sum(
            1 for a in self.problems if a.severity == severity and (not unacknowledged or a.state == "raised")
        )

    @property
    def waiting(self) -> int:
        """Alerts to acknowledge, counted as the nurse's Alerts button counts them: one folded under
        an unacknowledged problem is acknowledged with it."""
        return len(unacknowledged(self.alerts))

    @property
    def escalated(self) -> bool:
        return any(a.escalated for a in self.problems)

    @property
    def stale_feeds(self) -> tuple[FeedStatus, ...]:
        return tuple(f for f in self.feeds if f.state is FeedState.STALE)

    @property
    def blind(self) -> bool:
        """Bedside cannot see this bed: no device feed bound to it, one of them silent, or neither
        HR nor SpO2 current (a feed that talks but sends old or no values shows nothing new)."""
        return bool(self.blind_reason)

    @property
    def blind_reason(self) -> str:
        if not self.feeds:
            return _("no device feed")
        if self.stale_feeds:
            return _("feed silent")
        vital = [r for r in self.readings if r.spec.key in ("hr", "spo2")]
        if vital and all(r.stale for r in vital):
            return _("no current HR or SpO2")
        return ""

    @property
    def in_dose_window(self) -> bool:
        return self.dose_state is not DoseState.NONE


@dataclass(frozen=True)
class WardView:
    now: float
    beds: tuple[BedView, ...]
    """Ranked: the beds that need attention first."""
    alerting_beat: float | None
    ruleset: str
    ingest_beat: float | None
    read_seconds: float = 0.0

    @property
    def alerting_live(self) -> bool:
        return self.alerting_beat is not None and self.now - self.alerting_beat <= ALERTING_STALE_AFTER


def dose_state(doses: Sequence[DoseInfo], now: float) -> tuple[DoseState, DoseInfo | None]:
    """Where the bed stands against its doses: infusing, within 6 h or 24 h of a dose's end, or none.
    An unconfirmed pump start counts as infusing: the rules already watch it."""
    started = [d for d in doses if d.start <= now]
    running = [d for d in started if d.running]
    if running:
        return DoseState.INFUSING, running[-1]
    ended = [d for d in started if d.end is not None]
    if not ended:
        return DoseState.NONE, None
    last = max(ended, key=lambda d: d.end or 0.0)
    since = now - (last.end or now)
    if since <= POST_DOSE_WINDOW:
        return DoseState.WINDOW_6H, last
    if since <= LATE_WINDOW:
        return DoseState.WINDOW_24H, last
    return DoseState.NONE, last


SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def attention(bed: BedView) -> Attention:
    """Why a bed needs looking at, most urgent first. A bed Bedside cannot see during a dose window
    ranks above a calm infusion: its calm is not known. A bed ranked for something else that
    Bedside cannot see says that too: an alert does not make its values current."""
    found = _attention(bed)
    if bed.blind and found.rank not in (2, 7):
        # Short, in the tile's corner: the tile's own line says why Bedside cannot see the bed.
        blind = _("no data")
        return Attention(found.rank, f"{found.reason} · {blind}" if found.reason else blind)
    return found


def _attention(bed: BedView) -> Attention:
    unacked_high = bed.count("high", unacknowledged=True)
    if unacked_high:
        return Attention(0, _("HIGH not acknowledged ({n})").format(n=unacked_high))
    if bed.escalated:
        return Attention(1, _("escalated"))
    if bed.blind and bed.in_dose_window:
        return Attention(2, _("no data during the dose window"))
    if bed.dose_state is DoseState.INFUSING:
        return Attention(3, _("infusing"))
    if any(a.state == "raised" for a in bed.problems):
        return Attention(4, _("alert not acknowledged"))
    if bed.problems:
        return Attention(5, _("open alert, acknowledged"))
    if bed.dose_state is DoseState.WINDOW_6H:
        return Attention(6, _("within 6 h of a dose"))
    if bed.blind:
        return Attention(7, _("no data"))
    if bed.dose_state is DoseState.WINDOW_24H:
        return Attention(8, _("within 24 h of a dose"))
    return Attention(9, "")


def rank_beds(beds: Sequence[BedView]) -> list[BedView]:
    """The beds in the order the overview shows them."""

    def key(b: BedView) -> tuple[int, int, int, int, str, str]:
        return (
            b.attention.rank,
            -b.count("high"),
            -b.count("medium"),
            -len(b.problems),
            b.patient.bed or "\uffff",  # beds without a location last among equals
            str(b.patient.ref),
        )

    return sorted(beds, key=key)


def bed_view(
    facts: BedFacts, now: float, stale_after: float, rule_signals: Mapping[str, frozenset[str]]
) -> BedView:
    state, dose = dose_state(facts.doses, now)
    # One reaction is one problem: alerts folded under an open composite are counted with it; one
    # whose composite has resolved is a problem of its own again, or the bed would read as quiet.
    problems = tuple(
        sorted(
            (a for a in open_problems(facts.alerts) if a.state != "resolved"),
            key=lambda a: (SEVERITY_ORDER.get(a.severity, 3), -a.fired_at),
        )
    )
    feeds = tuple(f for f in (assess_feed(a, now, stale_after) for a in facts.feeds) if f.continuous)
    # Numerics against the baseline of the dose that matters now (running, else the latest); what a
    # stopped feed left behind greyed with its age, whatever the bed's alerts.
    baselines = dose.baselines if dose is not None else {}
    open_alerts = tuple(a for a in facts.alerts if a.state != "resolved")
    shown = readings(
        facts.latest,
        baselines,
        open_alerts,
        rule_signals,
        now,
        specs=WARD_NUMERICS,
        manual=facts.manual,
        feeds=feeds,
    )
    return BedView(facts.patient, state, dose, problems, tuple(shown), feeds, open_alerts)


def ward_view(
    facts: WardFacts,
    now: float,
    stale_after: float,
    rule_signals: Mapping[str, frozenset[str]],
    read_seconds: float = 0.0,
) -> WardView:
    beds = rank_beds([bed_view(b, now, stale_after, rule_signals) for b in facts.beds])
    return WardView(now, tuple(beds), facts.alerting_beat, facts.ruleset, facts.ingest_beat, read_seconds)
