"""Respiratory mechanics from the ventilator's own readings: driving pressure and static compliance.

Driving pressure ΔP = plateau pressure − PEEP, and static compliance of the respiratory system
Crs = tidal volume / ΔP (Amato et al., N Engl J Med 2015;372:747-55, which found ΔP the ventilation
variable most strongly associated with survival in ARDS). Each plateau reading is paired with the PEEP and
the tidal volume the ventilator reported with it (at most `PAIR_MAX_AGE` before); a reading without
them is counted as such and never paired with an older or a guessed value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from bedside.i18n import _
from bedside.review import Samples

PAIR_MAX_AGE = 60.0
"""A PEEP or tidal volume older than this at a plateau reading is not the one that breath had."""


def _empty() -> npt.NDArray[np.float64]:
    return np.empty(0)


@dataclass
class Mechanics:
    """Per plateau reading: its time, ΔP (cmH₂O) and Crs (mL/cmH₂O; NaN where ΔP is not above 0)."""

    times: npt.NDArray[np.float64] = field(default_factory=_empty)
    driving: npt.NDArray[np.float64] = field(default_factory=_empty)
    compliance: npt.NDArray[np.float64] = field(default_factory=_empty)
    plateau_readings: int = 0
    without_peep: int = 0
    without_tidal_volume: int = 0
    not_above_peep: int = 0
    """Plateau at or below PEEP (an open circuit during suction, a disconnection): no compliance."""

    def missing(self) -> str:
        """Why there is no driving pressure or compliance, or which readings were left out ('' if none)."""
        if self.plateau_readings == 0:
            return _("no plateau pressure reported by the ventilator")
        parts = []
        if self.without_peep:
            parts.append(
                _("{n} of {total} plateau readings without a PEEP").format(
                    n=self.without_peep, total=self.plateau_readings
                )
            )
        if self.without_tidal_volume:
            parts.append(_("{n} without a tidal volume (no compliance)").format(n=self.without_tidal_volume))
        if self.not_above_peep:
            parts.append(
                _("{n} with the plateau not above PEEP (no compliance)").format(n=self.not_above_peep)
            )
        return "; ".join(parts)


def _paired(s: Samples, at: npt.NDArray[np.float64], max_age: float) -> npt.NDArray[np.float64]:
    """The value of `s` reported at or before each time in `at`, within `max_age`; NaN otherwise."""
    out = np.full(at.shape, np.nan)
    if not len(s) or not at.size:
        return out
    i = np.searchsorted(s.times, at, side="right") - 1
    ok = i >= 0
    idx = np.where(ok, i, 0)
    ok &= (at - s.times[idx]) <= max_age
    out[ok] = s.values[idx[ok]]
    return out


def driving_pressure(plateau: float, peep: float) -> float:
    """ΔP = Pplat − PEEP (cmH₂O)."""
    return plateau - peep


def static_compliance(tidal_volume_ml: float, plateau: float, peep: float) -> float | None:
    """Crs = VT / (Pplat − PEEP) in mL/cmH₂O; None when the plateau is not above PEEP (no inflation
    pressure: the ratio would be infinite or negative, never a compliance)."""
    dp = driving_pressure(plateau, peep)
    return None if dp <= 0 else tidal_volume_ml / dp


def respiratory_mechanics(
    plateau: Samples, peep: Samples, tidal_volume: Samples, max_age: float = PAIR_MAX_AGE
) -> Mechanics:
    ok = np.isfinite(plateau.values) if len(plateau) else np.zeros(0, dtype=bool)
    times, pplat = plateau.times[ok], plateau.values[ok]
    if not times.size:
        return Mechanics()
    pe = _paired(peep, times, max_age)
    vt = _paired(tidal_volume, times, max_age)
    has_peep = np.isfinite(pe)
    dp = pplat - pe
    positive = has_peep & (dp > 0)
    crs = np.full(times.shape, np.nan)
    usable = positive & np.isfinite(vt)
    crs[usable] = vt[usable] / dp[usable]
    return Mechanics(
        times=times[has_peep],
        driving=dp[has_peep],
        compliance=crs[has_peep],
        plateau_readings=int(times.size),
        without_peep=int((~has_peep).sum()),
        without_tidal_volume=int((has_peep & ~np.isfinite(vt)).sum()),
        not_above_peep=int((has_peep & ~positive).sum()),
    )
