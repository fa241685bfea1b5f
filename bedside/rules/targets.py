"""The patient's own targets for one dose: the limits that count when a baseline is already abnormal.

In ventilated ARDS an SpO2 of 88-92 % or a MAP of 65 mmHg on a vasopressor are treatment targets, not
reactions, so an absolute threshold that the pre-dose baseline already crossed cannot mean a new event.
For those patients a rule compares the value with the patient's own target instead: the one the
intensivist set for the dose, else one derived from the baseline (a fall of `SPO2_MARGIN` points of
SpO2 or `MAP_MARGIN` mmHg of mean pressure below it, never above the usual absolute limit).
"""

from __future__ import annotations

import math

from bedside.i18n import _

SPO2_LIMIT = 88.0
SPO2_MARGIN = 4.0
"""More than a pulse oximeter's own error (ISO 80601-2-61 accepts an Arms of up to 4 %)."""
MAP_LIMIT = 65.0
MAP_MARGIN = 10.0


LIMITS = {"spo2": (70.0, 100.0), "abp_mean": (40.0, 110.0)}
"""What a clinician may set: SpO2 in %, MAP in mmHg."""


def check_targets(values: dict[str, float]) -> None:
    """Raise ValueError naming the target that cannot be used."""
    for key, value in values.items():
        if key not in LIMITS:
            raise ValueError(f"unknown target {key!r}: use {' or '.join(LIMITS)}")
        lo, hi = LIMITS[key]
        if not (lo <= value <= hi):
            raise ValueError(f"target {key} {value:g} is outside {lo:g}-{hi:g}")


def preexisting(
    set_by_clinician: dict[str, float], base_spo2: float | None, base_map: float | None
) -> dict[str, str]:
    """Context for the nurse's tiles where a baseline already sits past an absolute threshold: the
    value is not new, and a fall past the patient's own target is what will alert."""
    t = targets(set_by_clinician, base_spo2, base_map)
    out = {}
    if base_spo2 is not None and base_spo2 < SPO2_LIMIT:
        out["spo2"] = _("below {limit} before the dose: alerts below {target}").format(
            limit=f"{SPO2_LIMIT:.0f}", target=f"{t['target.spo2']:.0f}"
        )
    if base_map is not None and base_map < MAP_LIMIT:
        out["abp_sys"] = _("MAP below {limit} before the dose: alerts below {target}").format(
            limit=f"{MAP_LIMIT:.0f}", target=f"{t['target.abp_mean']:.0f}"
        )
    return out


def targets(
    set_by_clinician: dict[str, float], base_spo2: float | None, base_map: float | None
) -> dict[str, float]:
    """`target.spo2` and `target.abp_mean` for a rule's expressions (NaN when neither set nor derivable)."""

    def derived(base: float | None, limit: float, margin: float) -> float:
        return math.nan if base is None else min(limit, base - margin)

    return {
        "target.spo2": set_by_clinician.get("spo2", derived(base_spo2, SPO2_LIMIT, SPO2_MARGIN)),
        "target.abp_mean": set_by_clinician.get("abp_mean", derived(base_map, MAP_LIMIT, MAP_MARGIN)),
    }
