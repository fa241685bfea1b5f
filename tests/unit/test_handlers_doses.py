"""The dose handlers against the in-memory unit of work: what they change, what they log, and what
they refuse (leaving nothing written)."""

from __future__ import annotations

import math
import re

import pytest

from bedside.commands import (
    CancelDose,
    ConfirmDose,
    EditDose,
    EpisodeError,
    PatientError,
    SetTargets,
    StartDose,
    StopDose,
)
from bedside.episodes import EpisodeState
from bedside.handlers import cancel_dose, confirm_dose, edit_dose, set_targets, start_dose, stop_dose
from bedside.model import PatientRef
from bedside.users import Action
from tests.acting import acts, signs
from tests.unit.fake_uow import FakeUnitOfWork

REF = PatientRef("MRN1", "HOSP")
T0 = 1_780_000_000.0
NOW = T0 + 2 * 86400  # after every time the tests record: a dose is entered once it happened


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    fake.patients.stored.append(PatientRef("MRN1", "HOSP"))
    return fake


def start(uow: FakeUnitOfWork, dose: int = 1, at: float = T0, **more: object):  # type: ignore[no-untyped-def]
    return start_dose(
        uow,
        StartDose(patient=REF, dose=dose, start=at, **acts("RN Ada"), recorded_at=NOW, **more),  # type: ignore[arg-type]
    )


def assert_nothing_written(uow: FakeUnitOfWork, episodes: int = 0, entries: int = 0) -> None:
    assert len(uow.episodes.rows) == episodes and len(uow.log.entries) == entries


def test_a_start_no_device_reported_creates_a_confirmed_manual_dose(uow) -> None:  # type: ignore[no-untyped-def]
    ep = start(uow, product="AT-MSC lot 1", weight_kg=70.0, cells=70e6, course_doses=3)
    assert ep.state is EpisodeState.CONFIRMED and ep.start_source == "manual" and ep.confirmed_by == "RN Ada"
    assert ep.cells_per_kg == pytest.approx(1e6) and uow.episodes.course_doses[ep.id] == 3
    ((entry, at),) = uow.log.entries
    assert entry.kind == "episode.start" and at == NOW and entry.episode_id == ep.id
    assert entry.payload()["product"] == "AT-MSC lot 1" and entry.payload()["state"] == "confirmed"


def test_a_bare_mrn_resolves_to_the_stored_patient(uow) -> None:  # type: ignore[no-untyped-def]
    ep = start_dose(
        uow, StartDose(patient=PatientRef("MRN1"), dose=1, start=T0, **acts("RN"), recorded_at=NOW)
    )
    assert ep.patient == REF


def test_a_start_confirms_and_reanchors_the_devices_candidate(uow) -> None:  # type: ignore[no-untyped-def]
    candidate = uow.episodes.candidate(REF, dose=2, start=T0 + 120)
    ep = start(uow, dose=1, at=T0)
    assert ep.id == candidate.id and ep.dose_number == 1 and ep.start == T0
    assert ep.state is EpisodeState.CONFIRMED and ep.start_source == "manual"
    assert uow.log.kinds() == ["episode.confirm", "episode.edit"]
    confirm, edit = (e.payload() for e, _ in uow.log.entries)
    assert confirm["was"]["start_source"] == "pcd10" and confirm["was"]["dose"] == 2
    assert edit == {
        "dose": 1,
        "start": {"from": T0 + 120, "to": T0},
        "why": "manual start re-anchors the rules",
    }


def test_a_candidate_far_from_the_start_is_another_dose(uow) -> None:  # type: ignore[no-untyped-def]
    uow.episodes.candidate(REF, dose=1, start=T0 - 3 * 3600)
    ep = start(uow, dose=2)
    assert ep.id == 2 and uow.log.kinds() == ["episode.start"]


def test_a_dose_a_clinician_started_cannot_be_started_again(uow) -> None:  # type: ignore[no-untyped-def]
    start(uow)
    with pytest.raises(EpisodeError, match=r"already started .* by RN Ada: use `episode edit`"):
        start(uow, at=T0 + 60)
    assert_nothing_written(uow, episodes=1, entries=1)
    assert uow.episodes.rows[1].start == T0


@pytest.mark.parametrize(
    ("more", "says"),
    [
        ({"by": " "}, "say who starts the dose"),
        ({"dose": 0}, "dose number must be 1 or more"),
        ({"start": math.nan}, "the start is not a valid time"),
        ({"weight_kg": 0.0}, "weight must be more than 0"),
        ({"cells_per_kg": -1.0}, "cells/kg must be more than 0"),
        ({"course_doses": 0}, "must be at least 1"),
    ],
)
def test_a_start_that_makes_no_sense_is_refused(uow, more, says) -> None:  # type: ignore[no-untyped-def]
    fields = {"patient": REF, "dose": 1, "start": T0, **acts("RN"), "recorded_at": NOW, **more}
    with pytest.raises(EpisodeError, match=says):
        start_dose(uow, StartDose(**fields))
    assert_nothing_written(uow)


def test_an_mrn_under_two_authorities_is_refused(uow) -> None:  # type: ignore[no-untyped-def]
    uow.patients.stored.append(PatientRef("MRN1", "OTHER"))
    with pytest.raises(PatientError, match=r"several authorities .*: give MRN\^AUTHORITY"):
        start_dose(
            uow, StartDose(patient=PatientRef("MRN1"), dose=1, start=T0, **acts("RN"), recorded_at=NOW)
        )
    assert_nothing_written(uow)


def test_an_mrn_with_a_dose_under_an_authority_no_feed_named_is_ambiguous(uow) -> None:  # type: ignore[no-untyped-def]
    # One patient registered by the feed, a dose of another entered as MRN1^CLINIC: the bare MRN
    # names either, so it is refused rather than given to the registered one.
    uow.patients.stored.append(PatientRef("MRN1", "HOSP"))
    start_dose(
        uow, StartDose(patient=PatientRef("MRN1", "CLINIC"), dose=1, start=T0, **acts("RN"), recorded_at=NOW)
    )
    with pytest.raises(PatientError, match="MRN1\\^CLINIC, MRN1\\^HOSP"):
        start_dose(
            uow, StartDose(patient=PatientRef("MRN1"), dose=2, start=T0, **acts("RN"), recorded_at=NOW)
        )


def test_a_dose_entered_before_the_feed_named_the_patient_does_not_make_it_ambiguous(uow) -> None:  # type: ignore[no-untyped-def]
    start_dose(uow, StartDose(patient=PatientRef("MRN2"), dose=1, start=T0, **acts("RN"), recorded_at=NOW))
    uow.patients.stored.append(PatientRef("MRN2", "HOSP"))
    ep = start_dose(
        uow, StartDose(patient=PatientRef("MRN2"), dose=2, start=T0 + 86400, **acts("RN"), recorded_at=NOW)
    )
    assert ep.patient == PatientRef("MRN2", "HOSP")


def test_a_stop_is_logged_with_the_end_it_replaced(uow) -> None:  # type: ignore[no-untyped-def]
    start(uow)
    ep = stop_dose(uow, StopDose(patient=REF, dose=1, end=T0 + 3600, **acts("RN Bo"), recorded_at=NOW))
    assert ep.end == T0 + 3600 and ep.end_source == "manual"
    entry, _ = uow.log.entries[-1]
    assert entry.kind == "episode.stop" and entry.actor == "RN Bo"
    assert entry.payload() == {"dose": 1, "end": T0 + 3600, "was": None}


def test_a_stop_before_the_start_or_of_an_unknown_dose_is_refused(uow) -> None:  # type: ignore[no-untyped-def]
    start(uow)
    with pytest.raises(EpisodeError, match="is before the start") as refused:
        stop_dose(uow, StopDose(patient=REF, dose=1, end=T0 - 1, **acts("RN"), recorded_at=NOW))
    # The times as a person reads them (the same minute: to the second), never epoch seconds.
    assert str(T0) not in str(refused.value) and str(int(T0)) not in str(refused.value)
    assert re.search(r"the end \d\d \w+ \d{4} \d\d:\d\d:\d\d is before the start", str(refused.value))
    with pytest.raises(EpisodeError, match="no dose 2 for MRN1\\^HOSP: start it first"):
        stop_dose(uow, StopDose(patient=REF, dose=2, end=T0 + 1, **acts("RN"), recorded_at=NOW))
    assert uow.episodes.rows[1].end is None and len(uow.log.entries) == 1


def test_confirming_with_a_corrected_start_logs_the_edit(uow) -> None:  # type: ignore[no-untyped-def]
    uow.episodes.candidate(REF, dose=1, start=T0)
    ep = confirm_dose(
        uow,
        ConfirmDose(
            patient=REF,
            dose=1,
            **signs("Dr Lee", Action.CONFIRM_DOSE),
            recorded_at=NOW,
            start=T0 - 300,
        ),
    )
    assert ep.state is EpisodeState.CONFIRMED and ep.start == T0 - 300 and ep.start_source == "manual"
    assert [e.body() for e, _ in uow.log.entries] == [
        {"dose": 1, "start": T0 - 300, "source": "pcd10"},
        {"dose": 1, "start": {"from": T0, "to": T0 - 300}},
    ]


def test_confirming_as_is_keeps_the_devices_start(uow) -> None:  # type: ignore[no-untyped-def]
    uow.episodes.candidate(REF, dose=1, start=T0)
    ep = confirm_dose(
        uow,
        ConfirmDose(patient=REF, dose=1, **signs("Dr Lee", Action.CONFIRM_DOSE), recorded_at=NOW),
    )
    assert ep.start == T0 and ep.start_source == "pcd10" and ep.confirmed_at == NOW
    assert uow.log.kinds() == ["episode.confirm"]


def test_an_edit_logs_only_what_moved(uow) -> None:  # type: ignore[no-untyped-def]
    start(uow)
    edit = EditDose(
        patient=REF,
        dose=1,
        **signs("Dr Lee", Action.EDIT_DOSE),
        recorded_at=NOW,
        start=T0,
        end=T0 + 1800,
        reason="pump",
    )
    ep = edit_dose(uow, edit)
    assert ep.end == T0 + 1800 and ep.end_source == "manual"
    assert uow.log.entries[-1][0].body() == {
        "dose": 1,
        "reason": "pump",
        "end": {"from": None, "to": T0 + 1800},
    }
    edit_dose(uow, edit)  # the same times again: nothing to change, nothing logged
    assert len(uow.log.entries) == 2


def test_an_edit_that_puts_the_end_before_the_start_is_refused(uow) -> None:  # type: ignore[no-untyped-def]
    start(uow)
    stop_dose(uow, StopDose(patient=REF, dose=1, end=T0 + 600, **acts("RN"), recorded_at=NOW))
    with pytest.raises(EpisodeError, match="would be before the start"):
        edit_dose(
            uow,
            EditDose(
                patient=REF,
                dose=1,
                **signs("RN", Action.EDIT_DOSE),
                recorded_at=NOW,
                start=T0 + 900,
            ),
        )
    assert uow.episodes.rows[1].start == T0 and len(uow.log.entries) == 2


def test_targets_are_validated_and_logged_before_and_after(uow) -> None:  # type: ignore[no-untyped-def]
    start(uow)
    ep = set_targets(
        uow,
        SetTargets(patient=REF, dose=1, **acts("Dr"), recorded_at=NOW, targets={"spo2": 85.0}),
    )
    assert dict(ep.targets) == {"spo2": 85.0}
    ep = set_targets(
        uow,
        SetTargets(
            patient=REF,
            dose=1,
            **acts("Dr"),
            recorded_at=NOW,
            targets={"spo2": None, "abp_mean": 60},
        ),
    )
    assert dict(ep.targets) == {"abp_mean": 60}
    assert uow.log.entries[-1][0].payload() == {
        "dose": 1,
        "from": {"spo2": 85.0},
        "to": {"abp_mean": 60},
        "reason": "",
    }
    with pytest.raises(EpisodeError, match="outside"):
        set_targets(
            uow,
            SetTargets(patient=REF, dose=1, **acts("Dr"), recorded_at=NOW, targets={"spo2": 20.0}),
        )
    assert uow.log.kinds() == ["episode.start", "episode.targets", "episode.targets"]


def test_a_cancelled_dose_is_kept_with_what_it_was(uow) -> None:  # type: ignore[no-untyped-def]
    start(uow)
    ep = cancel_dose(
        uow,
        CancelDose(
            patient=REF,
            dose=1,
            **signs("RN", Action.CANCEL_DOSE),
            recorded_at=NOW,
            reason="wrong patient",
        ),
    )
    assert ep.state is EpisodeState.CANCELLED and len(uow.episodes.rows) == 1
    payload = uow.log.entries[-1][0].payload()
    assert payload["reason"] == "wrong patient" and payload["was"]["state"] == "confirmed"
    with pytest.raises(EpisodeError, match="say who cancels"):
        cancel_dose(
            uow,
            CancelDose(patient=REF, dose=1, **signs("", Action.CANCEL_DOSE), recorded_at=NOW),
        )


def test_a_cancelled_dose_cannot_be_confirmed_corrected_stopped_or_cancelled_again(uow) -> None:  # type: ignore[no-untyped-def]
    uow.episodes.candidate(REF, dose=1, start=T0)
    patient = REF
    cancel_dose(
        uow,
        CancelDose(
            patient=patient, dose=1, **signs("Dr Lee", Action.CANCEL_DOSE), recorded_at=NOW, reason="priming"
        ),
    )
    entries = len(uow.log.entries)
    attempts = [
        lambda: confirm_dose(
            uow, ConfirmDose(patient=patient, dose=1, **signs("RN", Action.CONFIRM_DOSE), recorded_at=NOW)
        ),
        lambda: edit_dose(
            uow,
            EditDose(
                patient=patient, dose=1, **signs("Dr Lee", Action.EDIT_DOSE), recorded_at=NOW, start=T0 - 60
            ),
        ),
        lambda: stop_dose(uow, StopDose(patient=patient, dose=1, end=T0 + 60, **acts("RN"), recorded_at=NOW)),
        lambda: cancel_dose(
            uow, CancelDose(patient=patient, dose=1, **signs("Dr Lee", Action.CANCEL_DOSE), recorded_at=NOW)
        ),
    ]
    for attempt in attempts:
        with pytest.raises(EpisodeError, match="was cancelled"):
            attempt()
    assert uow.episodes.rows[1].state is EpisodeState.CANCELLED
    assert len(uow.log.entries) == entries


def test_a_clinicians_stop_is_moved_only_by_an_edit(uow) -> None:  # type: ignore[no-untyped-def]
    start(uow)
    patient = REF
    stop_dose(uow, StopDose(patient=patient, dose=1, end=T0 + 3600, **acts("RN"), recorded_at=NOW))
    entries = len(uow.log.entries)
    with pytest.raises(EpisodeError, match="already stopped by a clinician"):
        stop_dose(uow, StopDose(patient=patient, dose=1, end=T0 + 600, **acts("RN"), recorded_at=NOW))
    assert uow.episodes.rows[1].end == T0 + 3600 and len(uow.log.entries) == entries


def test_a_dose_time_in_the_future_is_refused_beyond_the_clock_tolerance(uow) -> None:  # type: ignore[no-untyped-def]
    """A dose's start or end is recorded once it has happened (every way a clinician sets one): a
    time beyond a few minutes ahead of the clock is a typo, refused saying what is accepted."""
    ahead = NOW + 6 * 60
    with pytest.raises(
        EpisodeError, match=r"the start .* is in the future \(this clock says .*\).*up to 5 minutes"
    ):
        start(uow, at=ahead)
    assert uow.log.entries == []
    start(uow, at=NOW + 4 * 60)  # within the tolerance: clocks differ a little
    patient = REF
    with pytest.raises(EpisodeError, match=r"the end .* is in the future"):
        stop_dose(uow, StopDose(patient=patient, dose=1, end=ahead, **acts("RN"), recorded_at=NOW))
    with pytest.raises(EpisodeError, match=r"the end .* is in the future"):
        edit_dose(
            uow,
            EditDose(patient=patient, dose=1, end=ahead, **signs("Dr", Action.EDIT_DOSE), recorded_at=NOW),
        )
    with pytest.raises(EpisodeError, match=r"the start .* is in the future"):
        edit_dose(
            uow,
            EditDose(patient=patient, dose=1, start=ahead, **signs("Dr", Action.EDIT_DOSE), recorded_at=NOW),
        )
    with pytest.raises(EpisodeError, match=r"the start .* is in the future"):
        confirm_dose(
            uow,
            ConfirmDose(
                patient=patient, dose=1, start=ahead, **signs("Dr", Action.CONFIRM_DOSE), recorded_at=NOW
            ),
        )


def test_a_dose_started_a_little_ahead_of_the_clock_says_how_to_stop_it(uow) -> None:  # type: ignore[no-untyped-def]
    """A start within the clock's tolerance ahead of now is taken; stopping it now would end it before
    it began, so the refusal says to correct the start first (and the stop after the correction works)."""
    start(uow, at=NOW + 4 * 60)
    entries = len(uow.log.entries)
    with pytest.raises(
        EpisodeError, match=r"dose 1 starts .*, later than now \(.*\): correct its start with an edit"
    ):
        stop_dose(uow, StopDose(patient=REF, dose=1, end=NOW, **acts("RN"), recorded_at=NOW))
    assert uow.episodes.rows[1].end is None and len(uow.log.entries) == entries
    edit_dose(
        uow, EditDose(patient=REF, dose=1, start=NOW - 60, **signs("Dr", Action.EDIT_DOSE), recorded_at=NOW)
    )
    stop_dose(uow, StopDose(patient=REF, dose=1, end=NOW, **acts("RN"), recorded_at=NOW))
    assert uow.episodes.rows[1].end == NOW


def test_a_refusals_times_are_in_the_readers_words_never_iso() -> None:
    # "07 dic 2026 02:15" in Spanish, "07 Dec 2026 02:15" in English: the month in words, the day first
    # (never 2026-12-07, which a Spanish reader may take for a code), with the year a typo may be in.
    from datetime import datetime

    from bedside import i18n

    uow = FakeUnitOfWork()
    ahead = NOW + 3600
    for language, month in (("en", _MONTHS_EN), ("es", _MONTHS_ES)):
        i18n.set_language(language)
        try:
            with pytest.raises(EpisodeError) as refused:
                start(uow, at=ahead)
        finally:
            i18n.set_language("en")
        message = str(refused.value)
        for at in (ahead, NOW):
            moment = datetime.fromtimestamp(at)
            said = f"{moment:%d} {month[moment.month - 1]} {moment:%Y %H:%M}"
            assert said in message, (said, message)
        assert not re.search(r"\d{4}-\d\d-\d\d", message), message


_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTHS_ES = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic")
