"""The review's adverse-event list and the report's SAE page name a thrombosis or secondary
infection recorded as an outcome while no adverse event of special interest of its kind is recorded,
so the course and the adverse events never silently disagree."""

from __future__ import annotations

from types import SimpleNamespace

from bedside_ui.adverse_history import death_lines
from bedside_ui.report_sae import add_death

from bedside.adverse_event_listing import ListedAdverseEvent
from bedside.review import CourseEvent
from tests.listed_events import listed

T = 1_780_000_000.0


def review(adverse_events: list[ListedAdverseEvent]) -> SimpleNamespace:
    return SimpleNamespace(
        adverse_events=adverse_events,
        log=[],
        now=T + 7200,
        outcomes=SimpleNamespace(died=None),
        death_awareness=None,
        events=[CourseEvent("thrombosis", T + 3600, "DVT left leg", "luis")],
        doses=[],
        alerts=[],
    )


class Page:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def text(self, text: str, size: float = 9.0) -> None:
        self.lines.append(text)


def test_an_outcome_with_no_adverse_event_of_special_interest_is_named_until_one_is_recorded() -> None:
    (line,) = death_lines(review([]))  # type: ignore[arg-type]
    assert line.startswith("thrombosis recorded ") and line.endswith(
        "as an outcome: no adverse event of special interest recorded for it"
    )
    page = Page()
    add_death(page, review([]))  # type: ignore[arg-type]
    (said,) = page.lines
    assert said.startswith("Course and adverse events disagree: thrombosis recorded ")
    assert said.endswith(" as an outcome: no adverse event of special interest recorded for it.")
    recorded = listed(id=1, term="Thrombosis", aesi="thrombosis or embolism", reported_at=T)
    assert death_lines(review([recorded])) == []  # type: ignore[arg-type]


def test_an_outcome_with_a_signed_reason_is_listed_with_it_not_as_a_disagreement() -> None:
    data = review([])
    data.log = [
        {
            "kind": "outcome.no_aesi",
            "at": T + 5400,
            "actor": "marta",
            "payload": {
                "outcome": "thrombosis",
                "at": T + 3600,
                "reason": "catheter-related, unrelated to the study product",
                "signature": {"name": "Marta Gil", "role": "investigator"},
            },
        }
    ]
    (line,) = death_lines(data)  # type: ignore[arg-type]
    assert (
        line.startswith("thrombosis recorded ")
        and "no adverse event of special interest recorded" not in line
    )
    assert "no adverse event of special interest needed, as Marta Gil (investigator) signed " in line
    assert line.endswith(": catheter-related, unrelated to the study product")
    page = Page()
    add_death(page, data)  # type: ignore[arg-type]
    (said,) = page.lines
    assert said.startswith("Outcome without an adverse event of special interest: thrombosis recorded ")
    assert "Course and adverse events disagree" not in said
