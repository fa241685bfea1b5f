"""Which patients the database knows: the ones a feed brought (ADT, a lab, a device report) and the
ones with a dose entered. The handlers decide what a typed MRN means from these."""

from __future__ import annotations

from bedside_adapters.db import schema as t
from bedside_adapters.db.patient_match import ref_of, ref_text, under_mrn
from sqlalchemy import Connection, Engine, select

from bedside.commands import PatientError
from bedside.handlers.common import is_known, resolve_patient
from bedside.i18n import _
from bedside.model import PatientRef


class SqlPatients:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def registered(self, patient: PatientRef, *, any_authority: bool = False) -> list[PatientRef]:
        p = t.patient.c
        where = [p.identifier == patient.identifier]
        where += [] if any_authority else [p.authority == patient.authority]
        rows = self._conn.execute(select(p.identifier, p.authority).where(*where).order_by(p.id)).all()
        return [PatientRef(r[0], r[1]) for r in rows]

    def dosed(self, patient: PatientRef) -> list[PatientRef]:
        e = t.infusion_episode.c
        rows = self._conn.execute(
            select(e.patient_ref).where(under_mrn(e.patient_ref, patient.identifier)).order_by(e.id)
        ).all()
        return list(dict.fromkeys(ref_of(str(r[0])) for r in rows))


def patient_to_read(engine: Engine, patient: PatientRef) -> PatientRef:
    """For a command that only reads one patient's record (a listing, the review): the patient it
    names, as their rows are stored. Never for one that writes: a writer passes the patient to its
    handler, whose check (`bedside.handlers.common.known_patient`) is the one that refuses.

    Wider than the handlers' check on purpose: a patient the safety log names but no feed or dose
    does (an action refused for them, say) still has a record to read. Refused (PatientError) when
    the MRN is known under several authorities, and when this database holds nothing about the
    patient (no feed brought them, no dose was entered for them, the safety log never names them):
    a mistyped MRN must not read as a patient with an empty record."""
    with engine.connect() as conn:
        patients = SqlPatients(conn)
        ref = resolve_patient(patients, patient)
        if is_known(patients, ref):
            return ref
        log = t.safety_log.c
        if conn.execute(select(log.seq).where(log.patient_ref == ref_text(ref)).limit(1)).first() is not None:
            return ref
    raise PatientError(_("no patient {patient} in this database").format(patient=repr(str(patient))))


def birth_date_and_sex(conn: Connection, patient: PatientRef) -> tuple[str, str]:
    """PID-7 and PID-8 as the latest message that sent them gave them ("" each: never sent)."""
    p = t.patient.c
    row = conn.execute(
        select(p.birth_date, p.sex)
        .where(p.identifier == patient.identifier, p.authority == patient.authority)
        .order_by(p.id)
        .limit(1)
    ).first()
    return ("", "") if row is None else (str(row[0]), str(row[1]))


def birth_date_and_sex_of(engine: Engine, patient: PatientRef) -> tuple[str, str]:
    """`birth_date_and_sex` on a connection of its own."""
    with engine.connect() as conn:
        return birth_date_and_sex(conn, patient)
