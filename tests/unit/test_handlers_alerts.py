"""Acknowledging alerts and muting the screen, against the in-memory unit of work."""

from __future__ import annotations

import pytest

from bedside.alerts import AlertState
from bedside.commands import AcknowledgeAlert, ActionError, AlertError, MuteAlerts, StartDose
from bedside.handlers import acknowledge_alerts, mute_alerts, start_dose
from bedside.model import PatientRef
from bedside.users import Action
from tests.acting import acts, signs
from tests.unit.fake_uow import FakeUnitOfWork

REF = PatientRef("MRN1", "HOSP")
T0 = 1_780_000_000.0
NOW = T0 + 900


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    fake.patients.stored.append(PatientRef("MRN1", "HOSP"))
    start_dose(fake, StartDose(patient=REF, dose=1, start=T0, **acts("RN"), recorded_at=T0))
    fake.log.entries.clear()
    return fake


def ack(uow: FakeUnitOfWork, *alert_ids: int, comment: str = "seen") -> tuple[int, ...]:
    return acknowledge_alerts(
        uow,
        AcknowledgeAlert(
            alert_ids=alert_ids, **signs("RN Ada", Action.ACKNOWLEDGE), recorded_at=NOW, comment=comment
        ),
    )


def test_an_acknowledgement_takes_the_alerts_folded_under_it(uow) -> None:  # type: ignore[no-untyped-def]
    ep = uow.episodes.rows[1]
    parent = uow.alerts.raised(ep, "ANA", "high")
    child = uow.alerts.raised(ep, "SPO2", "medium", folded_into=parent.id)
    done_already = uow.alerts.raised(ep, "HR", "low", folded_into=parent.id, state=AlertState.RESOLVED)
    assert ack(uow, parent.id) == (parent.id,)
    assert uow.alerts.rows[parent.id].state is AlertState.ACKNOWLEDGED
    assert uow.alerts.rows[parent.id].acked_by == "RN Ada" and uow.alerts.rows[parent.id].acked_at == NOW
    assert uow.alerts.rows[child.id].state is AlertState.ACKNOWLEDGED
    assert uow.alerts.comments[child.id] == f"acknowledged with alert {parent.id}"
    assert uow.alerts.rows[done_already.id].acked_at is None
    (first, _), (second, _) = uow.log.entries
    assert (first.alert_id, first.patient_ref, first.episode_id) == (parent.id, REF, ep.id)
    assert first.body() == {"comment": "seen", "rule": "ANA", "severity": "high"}
    assert second.alert_id == child.id
    assert second.body() == {"comment": "seen", "rule": "SPO2", "severity": "medium", "with": parent.id}


def test_an_unknown_alert_is_refused(uow) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AlertError, match="no alert 99"):
        ack(uow, 99)
    assert uow.log.entries == [] and uow.commits == 1  # the dose's start only


def test_a_resolved_alert_acknowledged_already_is_refused(uow) -> None:  # type: ignore[no-untyped-def]
    ep = uow.episodes.rows[1]
    gone = uow.alerts.raised(ep, state=AlertState.RESOLVED, acked_at=T0 + 700, acked_by="RN Bo")
    with pytest.raises(AlertError, match="already acknowledged by RN Bo and is resolved"):
        ack(uow, gone.id)
    assert uow.alerts.rows[gone.id].acked_by == "RN Bo" and uow.log.entries == []


def test_a_second_acknowledgement_is_refused_and_keeps_the_first(uow) -> None:  # type: ignore[no-untyped-def]
    a = uow.alerts.raised(uow.episodes.rows[1])
    assert ack(uow, a.id, comment="first") == (a.id,)
    with pytest.raises(AlertError, match=f"alert {a.id} was already acknowledged by RN Ada$"):
        acknowledge_alerts(
            uow,
            AcknowledgeAlert(
                alert_ids=(a.id,), **signs("RN Bo", Action.ACKNOWLEDGE), recorded_at=NOW + 60, comment="again"
            ),
        )
    assert uow.alerts.rows[a.id].acked_by == "RN Ada" and uow.alerts.rows[a.id].acked_at == NOW
    assert uow.alerts.comments[a.id] == "first" and len(uow.log.entries) == 1


def test_a_resolved_alert_nobody_acknowledged_can_be_for_the_record(uow) -> None:  # type: ignore[no-untyped-def]
    gone = uow.alerts.raised(uow.episodes.rows[1], state=AlertState.RESOLVED)
    ack(uow, gone.id)
    assert uow.alerts.rows[gone.id].state is AlertState.RESOLVED
    assert uow.alerts.rows[gone.id].acked_by == "RN Ada"


def test_of_several_one_that_cannot_be_is_skipped_and_the_others_kept(uow) -> None:  # type: ignore[no-untyped-def]
    ep = uow.episodes.rows[1]
    a = uow.alerts.raised(ep, "R1")
    gone = uow.alerts.raised(ep, "R2", state=AlertState.RESOLVED, acked_at=T0, acked_by="X")
    b = uow.alerts.raised(ep, "R3")
    assert ack(uow, a.id, gone.id, b.id) == (a.id, b.id)
    assert [e.alert_id for e, _ in uow.log.entries] == [a.id, b.id]
    with pytest.raises(AlertError, match=f"no alert 98; alert {gone.id} was already acknowledged"):
        ack(uow, 98, gone.id)
    assert len(uow.log.entries) == 2


def test_an_acknowledgement_needs_who_and_an_alert(uow) -> None:  # type: ignore[no-untyped-def]
    a = uow.alerts.raised(uow.episodes.rows[1])
    with pytest.raises(AlertError, match="say who acknowledges"):
        acknowledge_alerts(
            uow, AcknowledgeAlert(alert_ids=(a.id,), **signs(" ", Action.ACKNOWLEDGE), recorded_at=NOW)
        )
    with pytest.raises(AlertError, match="no alert to acknowledge"):
        acknowledge_alerts(
            uow, AcknowledgeAlert(alert_ids=(), **signs("RN", Action.ACKNOWLEDGE), recorded_at=NOW)
        )
    assert uow.alerts.rows[a.id].state is AlertState.RAISED


def test_a_mute_is_logged_with_what_was_open(uow) -> None:  # type: ignore[no-untyped-def]
    seq = mute_alerts(
        uow,
        MuteAlerts(
            patient=REF,
            **acts("GH"),
            recorded_at=NOW,
            until=NOW + 120,
            alert_ids=(3, 1),
            reason="bedside",
        ),
    )
    ((entry, at),) = uow.log.entries
    assert seq == 1 and at == NOW and entry.kind == "alerts.muted" and entry.patient_ref == REF
    assert entry.payload()["alerts"] == [1, 3] and entry.payload()["minutes"] == 2


def test_a_mute_that_ends_before_it_begins_is_refused(uow) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ActionError, match="must end after it begins"):
        mute_alerts(uow, MuteAlerts(patient=REF, **acts("GH"), recorded_at=NOW, until=NOW))
    assert uow.log.entries == []


def test_a_mute_for_a_patient_the_record_does_not_know_is_refused(uow) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ActionError, match="no patient 'NOBODY\\^HOSP' in this database"):
        mute_alerts(
            uow,
            MuteAlerts(
                patient=PatientRef("NOBODY", "HOSP"), **acts("RN Ada"), recorded_at=NOW, until=NOW + 120
            ),
        )
    assert uow.log.entries == []


def test_a_dose_may_name_a_patient_no_feed_has_brought_yet(uow) -> None:  # type: ignore[no-untyped-def]
    # Deliberate: a dose given before the ADT admission arrives is kept under the MRN given.
    start_dose(
        uow, StartDose(patient=PatientRef("NEW1", "HOSP"), dose=1, start=T0, **acts("RN"), recorded_at=T0)
    )
    assert uow.episodes.rows[2].patient == PatientRef("NEW1", "HOSP")
