"""What acknowledging an alert changes, and what the safety log says about it: the alert's own step
(RAISED to ACKNOWLEDGED; a resolved alert keeps its state and gains who acknowledged it), and the
acknowledgement of the alerts folded under it that are still raised (one problem, one
acknowledgement). Pure: the handler reads the alert and its folded alerts, asks here, and writes
what comes back, each change with its entry in the same unit of work.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bedside.alerts import Alert, AlertState
from bedside.commands import AlertError
from bedside.i18n import _
from bedside.log_entries import AlertAcknowledged
from bedside.model import PatientRef
from bedside.users import Signature


@dataclass(frozen=True)
class AckChange:
    """One alert's acknowledgement: written only over the state `expected` (another writer's change
    in between refuses it), with its entry."""

    alert_id: int
    expected: AlertState
    state: AlertState
    at: float
    comment: str
    """The comment kept on the alert's row (a folded alert's says which alert it came with)."""
    entry: AlertAcknowledged


@dataclass(frozen=True)
class Acknowledgement:
    """`alert`: the alert acknowledged as asked; a change that cannot be written refuses the action.
    `folded`: its folded alerts; one changed since it was read is skipped, as what it is now stands."""

    alert: AckChange
    folded: tuple[AckChange, ...]


def acknowledgement(
    alert: Alert,
    folded: Iterable[Alert],
    *,
    by: str,
    at: float,
    comment: str,
    patient: PatientRef | None,
    signature: Signature,
) -> Acknowledgement:
    """The changes acknowledging `alert` (and the raised alerts in `folded`) make.

    An alert acknowledged already, open or resolved, is refused (once is the record: a second would
    overwrite who acknowledged it and when). A resolved alert nobody acknowledged can still be
    acknowledged, keeping its state: a latching alarm is acknowledged even after its condition ended
    (IEC 60601-1-8)."""
    if alert.acked_at is not None:
        if alert.state is AlertState.RESOLVED:
            raise AlertError(
                _("alert {alert_id} was already acknowledged by {acked_by} and is resolved").format(
                    alert_id=alert.id, acked_by=alert.acked_by
                )
            )
        raise AlertError(
            _("alert {alert_id} was already acknowledged by {acked_by}").format(
                alert_id=alert.id, acked_by=alert.acked_by
            )
        )

    def entry(of: Alert, with_alert: int | None) -> AlertAcknowledged:
        return AlertAcknowledged(
            actor=by,
            patient_ref=patient,
            episode_id=alert.episode_id,
            signature=signature,
            alert_id=of.id,
            comment=comment,
            rule=of.rule_id,
            severity=of.severity,
            with_alert=with_alert,
        )

    state = AlertState.ACKNOWLEDGED if alert.state is AlertState.RAISED else alert.state
    own = AckChange(alert.id, alert.state, state, at, comment, entry(alert, None))
    children = tuple(
        AckChange(
            child.id,
            AlertState.RAISED,
            AlertState.ACKNOWLEDGED,
            at,
            f"acknowledged with alert {alert.id}",
            entry(child, alert.id),
        )
        for child in folded
        if child.state is AlertState.RAISED
    )
    return Acknowledgement(own, children)
