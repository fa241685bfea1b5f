"""The screens' actions write through the unit-of-work factory they are handed (no database, no
engine): each action opens a unit of its own, and an acknowledgement returns what it acknowledged."""

from __future__ import annotations

import pytest
from bedside_ui import actions

from bedside.alerts import AlertState
from bedside.commands import AlertError
from bedside.model import PatientRef
from bedside.users import Action, Role, Signature, User
from tests.unit.fake_uow import FakeUnitOfWork

REF = "MRN1^HOSP"
T0 = 1_780_000_000.0
RN = User(username="RN", full_name="RN", role=Role.NURSE)
ADA = User(username="RN Ada", full_name="Ada", role=Role.NURSE)


def ack_signature(user: User) -> Signature:
    return Signature.of(user, Action.ACKNOWLEDGE, T0)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    fake.patients.stored.append(PatientRef("MRN1", "HOSP"))
    return fake


def test_each_action_opens_a_unit_of_work_of_its_own(uow: FakeUnitOfWork) -> None:
    opened: list[FakeUnitOfWork] = []

    def writes() -> FakeUnitOfWork:
        opened.append(uow)
        return uow

    episode_id = actions.start_dose(writes, PatientRef.parse(REF), 1, T0, RN)
    assert actions.stop_dose(writes, PatientRef("MRN1"), 1, T0 + 1800, RN) == episode_id
    assert len(opened) == 2 and uow.commits == 2
    assert uow.log.kinds() == ["episode.start", "episode.stop"]


def test_acknowledgement_returns_the_ids_acknowledged(uow: FakeUnitOfWork) -> None:
    actions.start_dose(lambda: uow, PatientRef.parse(REF), 1, T0, RN)
    ep = uow.episodes.rows[1]
    first = uow.alerts.raised(ep, "ANA", "high")
    second = uow.alerts.raised(ep, "SPO2", "medium")
    gone = uow.alerts.raised(ep, "HR", "low", state=AlertState.RESOLVED, acked_at=T0 + 700, acked_by="RN Bo")
    signed = ack_signature(ADA)
    assert actions.ack_alert(lambda: uow, first.id, ADA, signed, "seen") == first.id
    assert actions.ack_alerts(lambda: uow, [gone.id, second.id], ADA, signed, "") == (second.id,)
    assert uow.alerts.rows[second.id].state is AlertState.ACKNOWLEDGED
    with pytest.raises(AlertError, match="already acknowledged"):
        actions.ack_alert(lambda: uow, gone.id, ADA, signed, "")
