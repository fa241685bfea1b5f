"""A thrombosis or secondary infection recorded as an outcome with no adverse event of special
interest of its kind is named until one is recorded."""

from __future__ import annotations

from bedside.adverse_events_outcomes import outcomes_without_aesi
from bedside.review import CourseEvent

T = 1_780_000_000.0


def test_an_outcome_without_its_adverse_event_of_special_interest_is_named() -> None:
    events = [CourseEvent("infection", T + 60), CourseEvent("thrombosis", T), CourseEvent("extubation", T)]
    when = lambda t: f"t+{t - T:g}"  # noqa: E731
    assert outcomes_without_aesi(events, [], when) == [
        "thrombosis recorded t+0 as an outcome: no adverse event of special interest recorded for it",
        "secondary infection recorded t+60 as an outcome: no adverse event of special interest recorded for it",
    ]
    recorded = ["thrombosis or embolism", "infusion reaction", None]
    assert outcomes_without_aesi(events, recorded, when) == [
        "secondary infection recorded t+60 as an outcome: no adverse event of special interest recorded for it"
    ]
