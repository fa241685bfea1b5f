"""A nurse's actions on alerts: acknowledging them, and muting the screen's sound."""

from __future__ import annotations

from bedside import log_entries as le
from bedside.alerts import AlertState
from bedside.commands import AcknowledgeAlert, ActionError, AlertError, MuteAlerts
from bedside.handlers.common import authorize, known_patient, require_time, require_who, signed
from bedside.i18n import N_, _
from bedside.unit_of_work import ChangedMeanwhile, UnitOfWork
from bedside.users import Action, Signature


def acknowledge_alerts(uow: UnitOfWork, cmd: AcknowledgeAlert) -> tuple[int, ...]:
    """Acknowledge each alert, and with it the alerts folded under it that are still raised (one
    problem, one acknowledgement). Returns the ids acknowledged as asked, in order.

    An alert acknowledged already, open or resolved, is refused (once is the record); of several, it
    is skipped so the others are not lost (another screen may have acknowledged it since), and only
    when none can be acknowledged is the command refused. A resolved alert nobody acknowledged can
    still be: a latching alarm is acknowledged even after its condition ended (IEC 60601-1-8).

    An acknowledgement is a signature: each entry carries it."""
    authorize(uow, Action.ACKNOWLEDGE, cmd, alert_ids=cmd.alert_ids)
    require_who(cmd.by, AlertError, N_("acknowledges"))
    signature = signed(Action.ACKNOWLEDGE, cmd)
    if not cmd.alert_ids:
        raise AlertError(_("no alert to acknowledge"))
    require_time(cmd.recorded_at, AlertError, N_("the time"))
    done: list[int] = []
    refused: list[str] = []
    with uow:
        for alert_id in cmd.alert_ids:
            try:
                _acknowledge(uow, alert_id, cmd, signature)
            except (AlertError, ChangedMeanwhile) as exc:
                refused.append(str(exc))
            else:
                done.append(alert_id)
        if not done:
            raise AlertError("; ".join(refused))
        uow.commit()
    return tuple(done)


def _acknowledge(uow: UnitOfWork, alert_id: int, cmd: AcknowledgeAlert, signature: Signature) -> None:
    alert = uow.alerts.get(alert_id)
    if alert is None:
        raise AlertError(_("no alert {alert_id}").format(alert_id=alert_id))
    if alert.acked_at is not None:
        # One acknowledgement per alert: a second would overwrite who acknowledged it and when.
        if alert.state is AlertState.RESOLVED:
            raise AlertError(
                _("alert {alert_id} was already acknowledged by {acked_by} and is resolved").format(
                    alert_id=alert_id, acked_by=alert.acked_by
                )
            )
        raise AlertError(
            _("alert {alert_id} was already acknowledged by {acked_by}").format(
                alert_id=alert_id, acked_by=alert.acked_by
            )
        )
    episode = uow.episodes.by_id(alert.episode_id)
    ref = None if episode is None else episode.patient
    by, now = cmd.by, cmd.recorded_at
    state = AlertState.ACKNOWLEDGED if alert.state is AlertState.RAISED else alert.state
    uow.alerts.acknowledge(alert_id, expected=alert.state, state=state, by=by, at=now, comment=cmd.comment)
    refs = {"actor": by, "patient_ref": ref, "episode_id": alert.episode_id, "signature": signature}
    entry = le.AlertAcknowledged(
        **refs, alert_id=alert_id, comment=cmd.comment, rule=alert.rule_id, severity=alert.severity
    )
    uow.log.record(entry, now)
    for child in uow.alerts.folded_under(alert_id):
        if child.state is not AlertState.RAISED:
            continue
        try:
            uow.alerts.acknowledge(
                child.id,
                expected=AlertState.RAISED,
                state=AlertState.ACKNOWLEDGED,
                by=by,
                at=now,
                comment=f"acknowledged with alert {alert_id}",
            )
        except ChangedMeanwhile:
            continue  # resolved or acknowledged since it was read: what it is now stands

        entry = le.AlertAcknowledged(
            **refs,
            alert_id=child.id,
            comment=cmd.comment,
            rule=child.rule_id,
            severity=child.severity,
            with_alert=alert_id,
        )
        uow.log.record(entry, now)


def mute_alerts(uow: UnitOfWork, cmd: MuteAlerts) -> int:
    """A mute silences this screen only (the monitor and the pump keep the primary alarms), yet it is
    a decision about alarms: logged like an acknowledgement, with what was open. Returns the entry's
    sequence number."""
    authorize(uow, Action.MUTE, cmd, cmd.patient)
    require_who(cmd.by, ActionError, N_("mutes the sound"))
    require_time(cmd.recorded_at, ActionError, N_("the time"))
    require_time(cmd.until, ActionError, N_("the end of the mute"))
    if not cmd.until > cmd.recorded_at:
        raise ActionError(_("a mute must end after it begins"))
    with uow:
        ref = known_patient(uow.patients, cmd.patient, ActionError)
        entry = le.AlertsMuted(
            actor=cmd.by,
            patient_ref=ref,
            at=cmd.recorded_at,
            until=cmd.until,
            alert_ids=cmd.alert_ids,
            reason=cmd.reason,
        )
        seq = uow.log.record(entry, cmd.recorded_at)
        uow.commit()
    return seq
