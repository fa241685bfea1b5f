"""Days alive and free of something (invasive ventilation, the ICU) from day 0 to day 28, after
Schoenfeld and Bernard (Crit Care Med 2002;30:1772): 0 for a patient who died by day 28, and no
value, with the reason, while it cannot be computed."""

from __future__ import annotations

from collections.abc import Sequence

from bedside.i18n import _, localize_number
from bedside.review import DAY

HORIZON_DAYS = 28.0

Period = tuple[float, float | None]
"""(start, end); end None: still going on."""


def days_text(x: float) -> str:
    return localize_number(f"{x:.1f}")


def overlap(periods: Sequence[Period], lo: float, hi: float, now: float) -> float:
    """Seconds of [lo, hi] covered by the periods (an open one runs to `now`); periods may overlap."""
    spans = sorted((max(a, lo), min(hi, now if b is None else b)) for a, b in periods)
    total, reach = 0.0, lo
    for a, b in spans:
        a = max(a, reach)
        if b > a:
            total += b - a
            reach = b
    return total


def free_days(
    busy: Sequence[Period],
    day0: float | None,
    died: float | None,
    last_seen: float | None,
    now: float,
    what: str,
    unsure: str = "",
) -> tuple[float | None, str, str]:
    """(value, text, missing) of "days alive and free of `what` from day 0 to day 28".

    `unsure`: a reason the periods cannot be trusted (an extubation not confirmed): no value then."""
    if day0 is None:
        return None, _("not computable: no dose given"), _("the first dose")
    end = day0 + HORIZON_DAYS * DAY
    if died is not None and died <= end:
        day = (died - day0) / DAY
        return 0.0, _("0 (died on day {day}, by day 28)").format(day=days_text(day)), ""
    if now < end:
        so_far = max(0.0, (now - day0) / DAY - overlap(busy, day0, now, now) / DAY)
        text = _("not yet computable: day {day} of 28; {free} days alive and free of {what} so far").format(
            day=days_text((now - day0) / DAY), free=days_text(so_far), what=_(what)
        )
        return None, text, _("day 28 has not passed")
    if unsure:
        return None, _("not computable: {reason}").format(reason=unsure), unsure
    if last_seen is None or last_seen < end:
        return (
            None,
            _(
                "not computable: alive at day 28 not known (no death recorded, and no value or "
                "follow-up on or after day 28)"
            ),
            _("vital status at day 28 (a follow-up 'alive' entry, or a death)"),
        )
    value = HORIZON_DAYS - overlap(busy, day0, end, now) / DAY
    return value, _("{days} days").format(days=days_text(value)), ""
