"""A death an ADT message reported and no investigator has confirmed yet still calls for its SAE
report: ICH E2A day 0 is the site's first knowledge, which the message's receipt is, so the 24-hour
clock runs from it while the confirmation is pending (the death is never counted as such until an
investigator confirms it)."""

from __future__ import annotations

from collections.abc import Callable

from bedside.i18n import _
from bedside.sae_clock import ReportClock, clock_text, report_clock


def reported_death_clock(received: float, now: float) -> ReportClock:
    """The 24-hour clock of the report an unconfirmed death calls for, from the message's receipt."""
    return report_clock(("death",), received, None, now)


def reported_death_text(died: float, received: float, now: float, when: Callable[[float], str]) -> str:
    """One line for a listing: the unconfirmed death and its report's clock."""
    return _(
        "death reported by ADT on {date}, not yet confirmed: no serious adverse event recorded; an SAE "
        "report is due within 24 h of the message's receipt at {received} ({clock})"
    ).format(
        date=when(died), received=when(received), clock=clock_text(reported_death_clock(received, now), when)
    )
