"""Data leaving the record for the trial's data management: each export is logged with what
identifies its files, like an exported report."""

from __future__ import annotations

from bedside import log_entries as le
from bedside.commands import ActionError, ExportDatasets
from bedside.handlers.common import authorize, known_patient, require_who
from bedside.i18n import N_, _
from bedside.unit_of_work import UnitOfWork
from bedside.users import Action


def export_datasets(uow: UnitOfWork, cmd: ExportDatasets) -> int:
    """Datasets written to a directory, logged with each file's hash and each dataset's rows;
    returns the entry's sequence number. Exporting the record is the permission of exporting a
    report (an intensivist or an investigator)."""
    authorize(uow, Action.EXPORT_REPORT, cmd, cmd.patient)
    require_who(cmd.by, ActionError, N_("exports the datasets"))
    if not cmd.directory.strip():
        raise ActionError(_("the export's directory has no name"))
    if not cmd.files:
        raise ActionError(_("no file was written: nothing to record"))
    with uow:
        ref = known_patient(uow.patients, cmd.patient, ActionError) if cmd.patient is not None else None
        entry = le.DatasetsExported(
            actor=cmd.by,
            patient_ref=ref,
            directory=cmd.directory,
            patients=cmd.patients,
            files=cmd.files,
            rows=cmd.rows,
        )
        seq = uow.log.record(entry, cmd.recorded_at)
        uow.commit()
    return seq
