"""The dosing weight a dose is given by (cells/kg depends on it), checked for plausibility the way a
typed vital sign is (bedside/vitals.py): a weight outside what an adult in intensive care can weigh
is most likely a typo (72,5 typed as 7,25, or a thousands separator read as a decimal) and is
refused, saying the range, rather than stored."""

from __future__ import annotations

import math

from bedside.i18n import N_, _, localize_number

LOW_KG = 30.0
HIGH_KG = 300.0
"""An adult ICU patient's plausible weight: below a cachectic adult's, above the heaviest patients
ICU beds are rated for (bariatric beds carry about 250-450 kg), a value is a typo to check."""
WHAT = N_("Dosing weight")


def weight_refusal(kg: float) -> str | None:
    """Why `kg` cannot be a dosing weight, in the screen's language (None: plausible)."""
    if math.isfinite(kg) and LOW_KG <= kg <= HIGH_KG:
        return None
    shown = f"{kg:g}" if math.isfinite(kg) else str(kg)
    return _("{what} {value} {unit} is outside {low}-{high} {unit}: check the value").format(
        what=_(WHAT),
        value=localize_number(shown),
        unit="kg",
        low=localize_number(f"{LOW_KG:g}"),
        high=localize_number(f"{HIGH_KG:g}"),
    )
