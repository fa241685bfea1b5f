"""Adverse-event marks on the dose-aligned plots: onsets close together at the plot's scale are one
mark naming how many and the highest grade, so labels never pile up into an unreadable stack."""

from __future__ import annotations

from bedside_ui.review_plots import ae_clusters

from bedside.adverse_event_listing import ListedAdverseEvent
from tests.listed_events import listed

HOUR = 3600.0
ZERO = 1_790_000_000.0


def ae(hours: float | None, grade: int) -> ListedAdverseEvent:
    return listed(onset=None if hours is None else ZERO + hours * HOUR, grade=grade, term="Fever")


def test_onsets_at_one_moment_are_one_mark_with_the_highest_grade() -> None:
    events = [ae(24.0, 2), ae(24.1, 3), ae(24.2, 1), ae(60.0, 2), ae(-30.0, 4), ae(None, 3)]
    marks = ae_clusters(events, ZERO, -6.0, 72.0)
    # -30 h is outside the view; an event without an onset has no place on the time axis.
    assert marks == [(24.0, [2, 3, 1]), (60.0, [2])]


def test_zoomed_in_the_same_onsets_stand_apart() -> None:
    events = [ae(24.0, 2), ae(24.1, 3), ae(24.2, 1)]
    marks = ae_clusters(events, ZERO, 23.5, 24.5)
    assert [grades for _x, grades in marks] == [[2], [3], [1]]
