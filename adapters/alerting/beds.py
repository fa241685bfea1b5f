"""Who is in a bed: a device notice names a bed, and the runner evaluates the patient in it."""

from __future__ import annotations

from bedside_adapters.db.alerting_store import stay_at
from bedside_adapters.db.engine import Engine

from bedside.model import PatientRef

STAYS_KEPT = 8
"""A bed's few recent stays; backfills ask about older ones."""


class BedOccupancy:
    """Who ADT has in a bed at a time. Cached per bed as the stay found (or the gap between stays),
    so the many device messages of a stay cost one query; `forget` after ADT news."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._beds: dict[str, list[tuple[float, float, PatientRef | None]]] = {}

    def patient_in(self, bed: str, at: float) -> PatientRef | None:
        for lo, hi, who in self._beds.get(bed, ()):
            if lo <= at < hi:
                return who
        stay = stay_at(self.engine, bed, at)
        if stay is None:
            who, lo, hi = None, at - 10.0, at + 10.0  # an empty bed: asked again ten seconds on
        else:
            who, lo, until = stay
            hi = until if until is not None else float("inf")
        spans = self._beds.setdefault(bed, [])
        spans.append((lo, hi, who))
        del spans[:-STAYS_KEPT]
        return who

    def forget(self) -> None:
        self._beds.clear()
