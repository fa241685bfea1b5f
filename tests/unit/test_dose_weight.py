"""A dosing weight outside an adult ICU patient's plausible range is refused by the dose handler
(the screen and the command line both go through it), saying the range in the language; a plausible
one is stored as given."""

from __future__ import annotations

import pytest

from bedside import handlers, i18n
from bedside.commands import EpisodeError, StartDose
from bedside.dose_weight import HIGH_KG, LOW_KG, weight_refusal
from bedside.model import PatientRef
from tests.acting import acts
from tests.unit.fake_uow import FakeUnitOfWork

T0 = 1_790_000_000.0
PATIENT = PatientRef("MRN1", "HOSP")


def _start(weight_kg: float) -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    uow.patients.stored.append(PATIENT)
    handlers.start_dose(
        uow, StartDose(patient=PATIENT, dose=1, start=T0, weight_kg=weight_kg, **acts("RN"), recorded_at=T0)
    )
    return uow


@pytest.mark.parametrize("kg", [0.8, 1.23, 29.9, 300.5, 1234.5, float("inf")])
def test_an_implausible_weight_is_refused_with_the_range_and_nothing_stored(kg: float) -> None:
    with pytest.raises(EpisodeError) as refused:
        _start(kg)
    assert str(refused.value).startswith("Dosing weight ")
    assert str(refused.value).endswith(" kg is outside 30-300 kg: check the value")


def test_the_refusal_in_spanish_with_decimal_commas() -> None:
    i18n.set_language("es")
    try:
        with pytest.raises(EpisodeError) as refused:
            _start(0.8)
        assert str(refused.value) == "Peso para la dosis 0,8 kg está fuera de 30-300 kg: compruebe el valor"
        assert weight_refusal(1234.5) == (
            "Peso para la dosis 1234,5 kg está fuera de 30-300 kg: compruebe el valor"
        )
    finally:
        i18n.set_language("en")


@pytest.mark.parametrize("kg", [LOW_KG, 72.5, HIGH_KG])
def test_a_plausible_weight_is_stored_as_given(kg: float) -> None:
    uow = _start(kg)
    assert weight_refusal(kg) is None
    assert [ep.weight_kg for ep in uow.episodes.rows.values()] == [kg]
