"""Who is in a bed: a device notice names a bed, and the runner evaluates the patient in it."""

from __future__ import annotations

from bedside_adapters.db import schema as t
from sqlalchemy import Engine, select

from bedside.clock import from_ms, to_ms

STAYS_KEPT = 8
"""A bed's few recent stays; backfills ask about older ones."""


class BedOccupancy:
    """Who ADT has in a bed at a time. Cached per bed as the stay found (or the gap between stays),
    so the many device messages of a stay cost one query; `forget` after ADT news."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._beds: dict[str, list[tuple[float, float, str | None]]] = {}

    def patient_in(self, bed: str, at: float) -> str | None:
        for lo, hi, who in self._beds.get(bed, ()):
            if lo <= at < hi:
                return who
        s = t.bed_stay.c
        at_ms = to_ms(at)
        with self.engine.connect() as conn:
            row = conn.execute(
                select(s.patient_ref, s.from_ms, s.to_ms)
                .where(s.bed == bed, s.cancelled.is_(False), s.from_ms <= at_ms)
                .where(s.to_ms.is_(None) | (s.to_ms > at_ms))
                .order_by(s.from_ms.desc())
                .limit(1)
            ).first()
        if row is None:
            who, lo, hi = None, at - 10.0, at + 10.0  # an empty bed: asked again ten seconds on
        else:
            who, lo = row[0], from_ms(row[1])
            hi = from_ms(row[2]) if row[2] is not None else float("inf")
        spans = self._beds.setdefault(bed, [])
        spans.append((lo, hi, who))
        del spans[:-STAYS_KEPT]
        return who

    def forget(self) -> None:
        self._beds.clear()
