"""How the patient left the ICU, said the same way by the review's header and its JSON: an ADT
discharge at (or after) the recorded death is a death in the ICU, never a discharge beside a death;
a discharge ADT sent with a death nobody confirmed says so; a discharge alive is a discharge."""

from __future__ import annotations

import pytest
from bedside_adapters.review_tables import review_json

from bedside.model import Patient, PatientRef
from bedside.outcomes import Outcome
from bedside.review import Outcomes
from bedside.review_data import ReviewData, icu_exit
from bedside.review_text import review_header

T = 1_780_000_000.0


def data(discharged: float | None, died: float | None, adt_death: bool = False) -> ReviewData:
    outcomes = Outcomes(T, "entered", None, None, "", None, discharged, died)
    reported = [Outcome("death_adt", "Death reported by ADT", None, "event", "", "ADT")] if adt_death else []
    return ReviewData(
        Patient(PatientRef("MRN1", "H"), "Doe", "Ann"), T + 30 * 86400, [], {}, {}, [], [], [],
        outcomes, "", None, outcome_set=reported,
    )  # fmt: skip


@pytest.mark.parametrize("after", [0.0, 120.0])
def test_a_discharge_at_the_death_is_a_death_in_the_icu(after: float) -> None:
    d = data(T + 86400 + after, T + 86400)
    assert icu_exit(d).kind == "died"  # type: ignore[union-attr]
    header = review_header(d)
    assert "died in the ICU" in header and "ICU discharge" not in header
    assert header.count("died") == 1  # said once, as the death in the ICU
    got = review_json(d)["outcomes"]
    assert got["icu_discharge"] is None and got["icu_exit"] == {"kind": "died", "at": T + 86400}


def test_a_discharge_alive_then_a_death_later_are_both_said() -> None:
    d = data(T + 86400, T + 5 * 86400)
    header = review_header(d)
    assert "ICU discharge" in header and " · died " in header and "in the ICU" not in header
    got = review_json(d)["outcomes"]
    assert got["icu_discharge"] == T + 86400 and got["icu_exit"]["kind"] == "discharged"


def test_a_discharge_sent_with_an_unconfirmed_death_says_so() -> None:
    d = data(T + 86400, None, adt_death=True)
    assert "ADT reported a death, not yet confirmed" in review_header(d)
    assert review_json(d)["outcomes"]["icu_exit"]["kind"] == "death_reported"


def test_a_death_with_no_discharge_is_a_death_only() -> None:
    d = data(None, T + 86400)
    assert icu_exit(d) is None and " · died " in review_header(d)
    assert review_json(d)["outcomes"]["icu_exit"] is None
