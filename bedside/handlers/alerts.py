"""A nurse's actions on alerts: acknowledging them, and muting the screen's sound."""

from __future__ import annotations

from bedside import log_entries as le
from bedside.acknowledgement import AckChange, acknowledgement
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
    episode = uow.episodes.by_id(alert.episode_id)
    decided = acknowledgement(
        alert,
        uow.alerts.folded_under(alert_id),
        by=cmd.by,
        at=cmd.recorded_at,
        comment=cmd.comment,
        patient=None if episode is None else episode.patient,
        signature=signature,
    )
    _write(uow, decided.alert, cmd.by)
    for child in decided.folded:
        try:
            _write(uow, child, cmd.by)
        except ChangedMeanwhile:
            continue  # resolved or acknowledged since it was read: what it is now stands


def _write(uow: UnitOfWork, change: AckChange, by: str) -> None:
    uow.alerts.acknowledge(
        change.alert_id,
        expected=change.expected,
        state=change.state,
        by=by,
        at=change.at,
        comment=change.comment,
    )
    uow.log.record(change.entry, change.at)


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
