"""A thrombosis or a secondary infection recorded as a course event (an outcome) is also an adverse
event of special interest this study follows: until one is recorded for it, every adverse-event list
says so, so the course and the adverse events never silently disagree (CDISC SDTMIG: the same
occurrence in CE and AE)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from bedside.i18n import N_, _
from bedside.review import CourseEvent

OUTCOME_AESI = {"thrombosis": "thrombosis or embolism", "infection": "infection"}
"""The course events that are outcomes and the adverse event of special interest each one is."""

_OUTCOME_WORDS = {"thrombosis": N_("thrombosis"), "infection": N_("secondary infection")}


def outcomes_without_aesi(
    events: Sequence[CourseEvent],
    recorded_aesi: Iterable[str | None],
    when: Callable[[float], str],
) -> list[str]:
    """One line per thrombosis or secondary infection recorded as an outcome while no adverse event of
    special interest of its kind is recorded for the patient, oldest first. `recorded_aesi`: the
    special-interest category of each of the patient's adverse events (None: not of special interest)."""
    recorded = {(aesi or "").lower() for aesi in recorded_aesi}
    return [
        _(
            "{outcome} recorded {at} as an outcome: no adverse event of special interest recorded for it"
        ).format(outcome=_(_OUTCOME_WORDS[e.kind]), at=when(e.at))
        for e in sorted(events, key=lambda e: e.at)
        if e.kind in OUTCOME_AESI and OUTCOME_AESI[e.kind] not in recorded
    ]
