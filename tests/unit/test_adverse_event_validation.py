"""validate_adverse_event: the handler's own checks of a record's fields, run by a form before the
signature; it refuses what the handler refuses and records nothing."""

from __future__ import annotations

import pytest

from bedside.commands import AdverseEventError, RecordAdverseEvent
from bedside.handlers import validate_adverse_event
from bedside.model import PatientRef
from bedside.users import Role

NOW = 1_790_000_000.0


def command(**changes: object) -> RecordAdverseEvent:
    fields: dict[str, object] = {
        "patient": PatientRef("MRN1"),
        "term": "Hypotension",
        "grade": 3,
        "relatedness": "possible",
        "onset": NOW - 3600,
        "by": "luis",
        "role": Role.INTENSIVIST,
        "recorded_at": NOW,
        **changes,
    }
    return RecordAdverseEvent(**fields)  # type: ignore[arg-type]


def test_a_complete_record_passes() -> None:
    validate_adverse_event(command())
    validate_adverse_event(
        command(seriousness=("hospitalisation",), awareness=NOW - 1800, meddra_code="10021097")
    )


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"end": NOW - 7200}, "the end is before the onset"),
        ({"seriousness": ("hospitalisation",)}, "a serious event needs the time the team became aware"),
        ({"meddra_code": "1234"}, "a MedDRA code is 8 digits"),
        ({"grade": None}, "the grade"),
    ],
)
def test_what_the_handler_refuses_is_refused_before_signing(changes: dict, reason: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(AdverseEventError, match=reason):
        validate_adverse_event(command(**changes))
