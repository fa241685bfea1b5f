"""Data leaving the record for the trial's data management: each export is logged with what
identifies its files, like an exported report."""

from __future__ import annotations

from bedside import log_entries as le
from bedside.commands import ActionError, ExportDatasets
from bedside.handlers.common import authorize, known_patient, require_who
from bedside.i18n import N_, _
from bedside.model import PatientRef
from bedside.unit_of_work import UnitOfWork
from bedside.users import Action


def _allowed(uow: UnitOfWork, cmd: ExportDatasets) -> None:
    """The role's permission (a refusal logged by `authorize`), who exports and where: what is asked
    both before anything is written and when it is logged. Exporting the record is the permission of
    exporting a report (an intensivist or an investigator)."""
    authorize(uow, Action.EXPORT_REPORT, cmd, cmd.patient)
    require_who(cmd.by, ActionError, N_("exports the datasets"))
    if not cmd.directory.strip():
        raise ActionError(_("the export's directory has no name"))


def _stored(uow: UnitOfWork, cmd: ExportDatasets) -> tuple[PatientRef, ...]:
    """Every patient the export names, as the record holds them (a bare MRN resolved); refused for
    one it does not know."""
    return tuple(dict.fromkeys(known_patient(uow.patients, p, ActionError) for p in cmd.patients))


def authorize_datasets(uow: UnitOfWork, cmd: ExportDatasets) -> tuple[PatientRef, ...]:
    """Whether this role may export these patients' datasets, asked by the writer before any file is
    written (`cmd` with no files yet): refused (the refusal logged, once) for want of the role, and
    for a patient the record does not know. Returns the patients as the record holds them, the ones
    the writer then exports. `export_datasets` asks again, in a unit of work of its own."""
    _allowed(uow, cmd)
    with uow:
        return _stored(uow, cmd)


def export_datasets(uow: UnitOfWork, cmd: ExportDatasets) -> int:
    """Datasets written to a directory, logged with each file's hash and each dataset's rows;
    returns the entry's sequence number. A writer asks `authorize_datasets` before writing, and
    removes what it wrote if this refuses."""
    _allowed(uow, cmd)
    if not cmd.files:
        raise ActionError(_("no file was written: nothing to record"))
    with uow:
        _stored(uow, cmd)
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
