"""A patient's rows found by the identifier typed for them, compared exactly.

Never by SQL LIKE: `_` and `%` are wildcards there, and an MRN may hold them (`A_1` matched `AB1`, and
a dose was recorded for the wrong patient). A stored reference is `MRN^AUTHORITY`; the MRN is its
part before the first `^`, compared character for character (substr counts characters on SQLite and
PostgreSQL alike, as Python's len does).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, or_

from bedside.model import PatientRef


def ref_text(ref: PatientRef) -> str:
    """A patient as the reference columns keep it: MRN^AUTHORITY, the `^` kept when no authority is
    known yet (MRN^), so such a reference is found under its MRN as every other one is."""
    return f"{ref.identifier}^{ref.authority}"


def ref_of(text: str) -> PatientRef:
    """The patient a reference column names (`ref_text` read back)."""
    return PatientRef.parse(text)


def mrn_prefix(mrn: str) -> str:
    """What a reference under any authority starts with, for this MRN."""
    return f"{mrn}^"


def under_mrn(column: ColumnElement[str], mrn: str) -> ColumnElement[bool]:
    """The reference in `column` is this MRN under some authority."""
    prefix = mrn_prefix(mrn)
    return func.substr(column, 1, len(prefix)) == prefix


def of_patient(column: ColumnElement[str], patient: str) -> ColumnElement[bool]:
    """The reference in `column` is `patient` as typed (MRN^AUTHORITY, or a reference stored without
    an authority), or `patient` is an MRN and the reference is it under some authority."""
    return or_(column == patient, under_mrn(column, patient))


# The same test in raw SQL (the alert reader's): the reference column, then `?` placeholders for
# `of_patient_params`.
OF_PATIENT_SQL = "({column} = ? OR substr({column}, 1, ?) = ?)"


def of_patient_params(patient: str) -> list[object]:
    prefix = mrn_prefix(patient)
    return [patient, len(prefix), prefix]


@dataclass(frozen=True, slots=True)
class MrnQuery:
    """Whose rows a listing reads, as a person names them: one patient (`MRN^AUTHORITY`), or a bare
    MRN, which names that MRN under any authority (a ward rarely has two, and `bedside-cli log
    --patient MRN` should not make anyone look up the authority first)."""

    mrn: str
    authority: str | None = None
    """None: any authority; "" the patient no authority was sent for."""

    @classmethod
    def parse(cls, text: str) -> MrnQuery:
        """As typed on a command line: `MRN^AUTHORITY` (`MRN^`: the patient without an authority), or
        a bare MRN (any authority)."""
        mrn, sep, authority = text.strip().partition("^")
        return cls(mrn, authority if sep else None)

    @classmethod
    def of(cls, ref: PatientRef) -> MrnQuery:
        """Exactly this patient."""
        return cls(ref.identifier, ref.authority)

    def _typed(self) -> str:
        return self.mrn if self.authority is None else f"{self.mrn}^{self.authority}"

    def where(self, column: ColumnElement[str]) -> ColumnElement[bool]:
        """The reference in `column` is the patient asked for, or (any authority) this MRN under
        some authority, or stored before any feed named one."""
        return of_patient(column, self._typed())

    def matches(self, ref: PatientRef) -> bool:
        """`ref` is the patient asked for (any authority: has this MRN)."""
        if self.authority is None:
            return ref.identifier == self.mrn
        return ref == PatientRef(self.mrn, self.authority)
