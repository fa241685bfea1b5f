"""The 24-hour clock of a serious adverse event's first report to the sponsor: due 24 h after the
team became aware (ICH E6(R2) 4.11.1; EU Regulation 536/2014 Article 41(2)), run provisionally for a
grade 4-5 event whose seriousness is not yet assessed, and how it reads in a list."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bedside.i18n import _, ngettext
from bedside.seriousness import serious

REPORT_WINDOW = 24 * 3600.0
"""A serious adverse event is reported to the sponsor within 24 h of the team becoming aware."""

PROVISIONALLY_SERIOUS_GRADE = 4
"""CTCAE v5.0 grade 4 is life-threatening and grade 5 is death, both ICH E2A II.B criteria: an event
of such a grade whose seriousness nobody has assessed yet runs the 24-hour clock provisionally, so
the assessment pending never lets the report's time pass unseen."""


@dataclass(frozen=True)
class ReportClock:
    """The 24-hour clock of a serious adverse event's first report to the sponsor."""

    state: str
    """"not serious", "not assessed", "no awareness time", "due", "overdue" or "reported"."""
    due: float | None = None
    reported_at: float | None = None
    left: float | None = None
    """Seconds until due (negative: overdue by), while not reported."""
    follow_ups: int = 0
    """Reports sent after the first (the first is the one the 24-hour clock judges)."""
    provisional: bool = False
    """Serious only provisionally: grade 4-5 with seriousness not yet assessed."""
    since: float | None = None
    """For a provisional clock: the awareness time the assessment has been pending since."""
    from_first_record: bool = False
    """The clock runs from the event's first record, no earlier awareness having been recorded."""

    @property
    def late(self) -> bool | None:
        """Whether the first report was sent after the 24 h (None: not reported, or no awareness
        time to judge it against)."""
        if self.reported_at is None or self.due is None:
            return None
        return self.reported_at > self.due

    @property
    def timeliness(self) -> str:
        """The state as the JSON says it: a report is "reported on time", "reported late" or
        "reported (no awareness time to judge)"; otherwise the state."""
        if self.state != "reported":
            return self.state
        if self.late is None:
            return "reported (no awareness time to judge)"
        return "reported late" if self.late else "reported on time"

    @property
    def open(self) -> bool:
        """Whether the screen must keep showing it (a serious event not yet reported)."""
        return self.state in ("due", "overdue", "no awareness time")


def report_clock(
    criteria: Sequence[str] | None,
    awareness: float | None,
    reported_at: float | None,
    now: float,
    follow_ups: int = 0,
    grade: int | None = None,
    from_first_record: bool = False,
) -> ReportClock:
    """Due 24 h after the team became aware; shown until a report to the sponsor is recorded.
    `awareness` is the earliest awareness any version of the event recorded (a later correction
    never makes a late report timely); `reported_at` is the first report's time; `follow_ups` how
    many reports were sent after it. A grade 4-5 event not yet assessed for seriousness runs the
    clock provisionally (`PROVISIONALLY_SERIOUS_GRADE`). `from_first_record`: `awareness` is the
    event's first record, no earlier awareness having been given (said where the clock is shown)."""
    if reported_at is not None:
        due = None if awareness is None else awareness + REPORT_WINDOW
        return ReportClock(
            "reported", due, reported_at, follow_ups=follow_ups, from_first_record=from_first_record
        )
    is_serious = serious(criteria)
    provisional = is_serious is None and grade is not None and grade >= PROVISIONALLY_SERIOUS_GRADE
    if is_serious is None and not provisional:
        return ReportClock("not assessed")
    if is_serious is False:
        return ReportClock("not serious")
    if awareness is None:
        return ReportClock("no awareness time", provisional=provisional)
    due = awareness + REPORT_WINDOW
    return ReportClock(
        "due" if now <= due else "overdue",
        due,
        None,
        due - now,
        provisional=provisional,
        since=awareness if provisional else None,
        from_first_record=from_first_record,
    )


def duration_text(seconds: float) -> str:
    """ "3 h 05 min", "25 min": whole minutes, never rounded up into a lie about time left."""
    minutes = int(abs(seconds) // 60)
    hours, mins = divmod(minutes, 60)
    return f"{hours} h {mins:02d} min" if hours else f"{mins} min"


def follow_up_text(follow_ups: int) -> str:
    """What follows the first report's time when more reports were sent: every place that lists an
    event's report shows the first (the one the 24-hour clock judges) and says how many followed,
    so no reader takes the first for the only one."""
    if follow_ups < 1:
        return ""
    return " " + ngettext(
        "(first report; {n} follow-up report since)",
        "(first report; {n} follow-up reports since)",
        follow_ups,
    ).format(n=follow_ups)


def clock_text(clock: ReportClock, when: Callable[[float], str]) -> str:
    """One line for a list; `when` formats an epoch time for the screen (local time)."""
    if clock.state == "reported" and clock.reported_at is not None:
        return (
            _("reported to sponsor {at}").format(at=when(clock.reported_at))
            + (" " + _("(after the 24 h)") if clock.late else "")
            + follow_up_text(clock.follow_ups)
        )
    line = _timed_text(clock, when)
    if clock.provisional and line:
        pending = (
            _("seriousness to be assessed (pending since {at})").format(at=when(clock.since))
            if clock.since is not None
            else _("seriousness to be assessed")
        )
        return _("{clock}; grade 4-5: {pending}").format(clock=line, pending=pending)
    return line


def _timed_text(clock: ReportClock, when: Callable[[float], str]) -> str:
    if clock.due is not None and clock.left is not None:
        origin = " " + _("(24 h from the first record)") if clock.from_first_record else ""
        if clock.state == "due":
            return (
                _("SAE report due {at} (in {left})").format(
                    at=when(clock.due), left=duration_text(clock.left)
                )
                + origin
            )
        return (
            _("SAE report OVERDUE since {at} (by {late})").format(
                at=when(clock.due), late=duration_text(clock.left)
            )
            + origin
        )
    if clock.state == "no awareness time":
        return _("SAE report: when the team became aware is not recorded")
    return ""
