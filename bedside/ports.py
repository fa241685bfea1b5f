"""Ports: what the core needs from the outside world, as `typing.Protocol`s.

Adapters (adapters/db) implement them; unit tests implement them with plain in-memory fakes. The
screens read through these and nothing else: they never see a database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from bedside.feeds import FeedActivity
from bedside.model import Patient, PatientRef, Series, SeriesWindow
from bedside.review import CohortRow
from bedside.review_data import ReviewData
from bedside.status import PatientStatus
from bedside.unit_of_work import UnitOfWork
from bedside.ward import WardFacts


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


class LiveStore(SeriesStore, Protocol):
    """What the nurse's screen reads every second: the numerics, and the patient's doses, alerts,
    signed checks and labs, with the services' heartbeats."""

    def schema_ready(self) -> bool:
        """False until the ingest service has created the database."""
        ...

    def patient_status(
        self, patient: PatientRef | None, now: float, labs_from: float | None = None
    ) -> PatientStatus: ...

    def last_ingest_heartbeat(self) -> float | None: ...


class WardQueries(Protocol):
    """What the ward overview reads: every bed at once."""

    def schema_ready(self) -> bool: ...

    def read_ward(self, now: float) -> WardFacts: ...


class ReviewQueries(Protocol):
    """What the review screen, the cohort and the report read."""

    def load_review(self, patient: PatientRef, now: float) -> ReviewData: ...

    def cohort(self, now: float) -> list[CohortRow]:
        """Every treated patient's row, in the order of their first dose."""
        ...


Writes = Callable[[], UnitOfWork]
"""Opens a new unit of work: each clinician action the screens perform runs in one of its own."""


@dataclass(frozen=True)
class ScreenPorts:
    """Everything the screens are given by the composition root: what they read, and `writes`, the
    unit-of-work factory the actions of the nurse's and the review screen run their handlers in."""

    live: LiveStore
    ward: WardQueries
    review: ReviewQueries
    writes: Writes
