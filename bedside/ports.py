"""Ports: what the core needs from the outside world, as `typing.Protocol`s.

Adapters (adapters/db) implement them; unit tests implement them with plain in-memory fakes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bedside.feeds import FeedActivity
from bedside.model import Patient, PatientRef, Series, SeriesWindow


class SeriesStore(Protocol):
    """Read side of the stored numerics: what the screens and the rules read."""

    def patients(self) -> Sequence[Patient]:
        """Known patients, the one with the most recent data first."""
        ...

    def series_for(
        self, patient: PatientRef, parameters: Sequence[str] | None = None
    ) -> Sequence[Series]: ...

    def window(self, series: Series, start: float, end: float) -> SeriesWindow:
        """Values with start <= observed_at <= end, ordered by observation time."""
        ...

    def windows(self, series: Sequence[Series], start: float, end: float) -> list[SeriesWindow]:
        """`window` for several series at once (one query where the store can)."""
        ...

    def feed_activity(
        self, patient: PatientRef | None = None, now: float | None = None
    ) -> Sequence[FeedActivity]:
        """Per sender and device: when the last message arrived and the last observation time it carried."""
        ...
