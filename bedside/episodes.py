"""Infusion episodes: one dose of a cell product, its start and end, where they came from, who confirmed.

A start can come from a manual entry, the pump's PCD-10 event, a pump status change (PCD-01) or the
eMAR's RAS^O17. Sources rank (manual > eMAR > pump event > pump status): a higher-ranked source
re-anchors the episode, a lower one never overrides it. A start that no clinician entered stays a
*candidate* until confirmed; rules run on it at once (a reaction must not wait for paperwork) and its
alerts say that the start is unconfirmed.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from bedside.model import PatientRef

SOURCE_RANK = {"manual": 4, "ras": 3, "pcd10": 2, "pcd01-status": 1}

MATCH_SECONDS = 30 * 60.0
"""A start within 30 min of an existing episode's start is the same dose seen by another source."""


class EpisodeState(enum.StrEnum):
    CANDIDATE = "candidate"
    """From a device or the eMAR, not yet confirmed in Bedside."""
    CONFIRMED = "confirmed"
    ACCEPTED = "accepted"
    """A device start nobody confirmed within the configured time: used as the dose, still unconfirmed."""
    CANCELLED = "cancelled"
    """Entered in error: kept (and logged), no longer alerted on."""


@dataclass(frozen=True)
class InfusionEpisode:
    id: int
    patient: PatientRef
    dose_number: int
    start: float
    end: float | None
    start_source: str
    state: EpisodeState = EpisodeState.CANDIDATE
    product: str = ""
    cells: float | None = None
    """Total cells given, when known."""
    weight_kg: float | None = None
    cells_per_kg_entered: float | None = None
    planned_start: float | None = None
    end_source: str = ""
    confirmed_by: str = ""
    confirmed_at: float | None = None
    targets: tuple[tuple[str, float], ...] = ()
    """The patient's own limits for this dose, set by the intensivist (("spo2", 85), ("abp_mean", 60)):
    where the baseline already sits past an absolute threshold, a rule counts a fall past these.
    Unset ones default from the baseline (`bedside.rules.targets`)."""

    @property
    def cells_per_kg(self) -> float | None:
        """Computed from cells and weight when both are known (derived, never stored as truth),
        else what the clinician entered."""
        if self.cells is not None and self.weight_kg:
            return self.cells / self.weight_kg
        return self.cells_per_kg_entered

    @property
    def confirmed(self) -> bool:
        return self.state is EpisodeState.CONFIRMED

    def end_or(self, now: float) -> float:
        """The end for window arithmetic: a running infusion ends 'now'."""
        return self.end if self.end is not None else max(now, self.start)


def outranks(new_source: str, old_source: str) -> bool:
    """May a time from `new_source` replace one from `old_source`? Equal rank: yes (a correction)."""
    return SOURCE_RANK.get(new_source, 0) >= SOURCE_RANK.get(old_source, 0)
