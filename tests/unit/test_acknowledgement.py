"""The pure decision of what acknowledging an alert changes, without any store."""

from __future__ import annotations

import pytest

from bedside.acknowledgement import acknowledgement
from bedside.alerts import Alert, AlertState
from bedside.commands import AlertError
from bedside.log_entries import AlertAcknowledged
from bedside.model import PatientRef
from bedside.users import Action
from tests.acting import signs

REF = PatientRef("MRN1", "HOSP")
T0 = 1_780_000_000.0
NOW = T0 + 900
SIGNATURE = signs("RN Ada", Action.ACKNOWLEDGE)["signature"]


def alert(i: int, state: AlertState = AlertState.RAISED, **kw) -> Alert:  # type: ignore[no-untyped-def]
    return Alert(i, 7, f"R{i}", "high", state, T0, T0, T0, T0, patient=REF, **kw)


def decide(of: Alert, folded: tuple[Alert, ...] = ()):  # type: ignore[no-untyped-def]
    return acknowledgement(of, folded, by="RN Ada", at=NOW, comment="seen", patient=REF, signature=SIGNATURE)


def test_a_raised_alert_becomes_acknowledged_with_its_signed_entry() -> None:
    decided = decide(alert(1))
    own = decided.alert
    assert (own.alert_id, own.expected, own.state, own.at, own.comment) == (
        1,
        AlertState.RAISED,
        AlertState.ACKNOWLEDGED,
        NOW,
        "seen",
    )
    assert own.entry == AlertAcknowledged(
        actor="RN Ada",
        patient_ref=REF,
        episode_id=7,
        signature=SIGNATURE,
        alert_id=1,
        comment="seen",
        rule="R1",
        severity="high",
    )
    assert decided.folded == ()


def test_a_resolved_alert_nobody_acknowledged_is_acknowledged_and_stays_resolved() -> None:
    own = decide(alert(2, AlertState.RESOLVED)).alert
    assert (own.expected, own.state) == (AlertState.RESOLVED, AlertState.RESOLVED)
    assert own.entry.alert_id == 2


@pytest.mark.parametrize(
    ("state", "said"),
    [
        (AlertState.ACKNOWLEDGED, "alert 3 was already acknowledged by RN Bo$"),
        (AlertState.RESOLVED, "alert 3 was already acknowledged by RN Bo and is resolved"),
    ],
)
def test_an_alert_acknowledged_already_is_refused(state: AlertState, said: str) -> None:
    with pytest.raises(AlertError, match=said):
        decide(alert(3, state, acked_at=T0 + 60, acked_by="RN Bo"))


def test_only_the_raised_folded_alerts_are_acknowledged_with_it() -> None:
    folded = (
        alert(5, folded_into=4),
        alert(6, AlertState.RESOLVED, folded_into=4),
        alert(8, AlertState.ACKNOWLEDGED, folded_into=4, acked_at=T0, acked_by="RN Bo"),
    )
    (child,) = decide(alert(4), folded).folded
    assert (child.alert_id, child.expected, child.state) == (5, AlertState.RAISED, AlertState.ACKNOWLEDGED)
    assert child.comment == "acknowledged with alert 4"
    assert (child.entry.alert_id, child.entry.with_alert, child.entry.rule) == (5, 4, "R5")
    assert child.entry.comment == "seen" and child.entry.episode_id == 7
