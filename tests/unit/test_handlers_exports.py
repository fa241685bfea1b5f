"""An export of the trial's datasets, against the in-memory unit of work: logged with its files'
hashes and rows, refused to a role that may not export and with nothing written."""

from __future__ import annotations

import pytest

from bedside.commands import ActionError, ExportDatasets
from bedside.handlers import authorize_datasets, export_datasets
from bedside.model import PatientRef
from bedside.users import NotAllowed, Role
from tests.acting import acts
from tests.unit.fake_uow import FakeUnitOfWork

NOW = 1_780_000_000.0


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    fake.patients.stored += [PatientRef("MRN1", "HOSP")]
    return fake


def export(**more: object) -> ExportDatasets:
    fields = {
        "patient": PatientRef.parse("MRN1"),
        "patients": (PatientRef("MRN1", "HOSP"),),
        "directory": "sdtm",
        "files": {"dm.xpt": "aa", "dm.csv": "bb"},
        "rows": {"DM": 1},
        **acts("marta"),
        "recorded_at": NOW,
        **more,
    }
    return ExportDatasets(**fields)  # type: ignore[arg-type]


def test_an_export_is_logged_with_its_files_and_rows(uow) -> None:  # type: ignore[no-untyped-def]
    export_datasets(uow, export())
    ((entry, at),) = uow.log.entries
    assert entry.kind == "datasets.exported" and entry.patient_ref == PatientRef("MRN1", "HOSP") and at == NOW
    assert entry.payload() == {
        "directory": "sdtm",
        "patients": ["MRN1^HOSP"],
        "files": {"dm.csv": "bb", "dm.xpt": "aa"},
        "rows": {"DM": 1},
    }


def test_an_export_of_every_patient_names_no_one_patient(uow) -> None:  # type: ignore[no-untyped-def]
    export_datasets(uow, export(patient=None))
    ((entry, _),) = uow.log.entries
    assert entry.patient_ref is None and entry.payload()["patients"] == ["MRN1^HOSP"]


def test_an_export_without_files_or_author_is_refused(uow) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ActionError, match="nothing to record"):
        export_datasets(uow, export(files={}))
    with pytest.raises(ActionError, match="say who exports"):
        export_datasets(uow, export(by=" "))
    assert uow.log.entries == []


def test_a_nurse_may_not_export_and_the_refusal_is_logged(uow) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotAllowed):
        export_datasets(uow, export(**acts("ana", Role.NURSE)))
    assert uow.log.kinds() == ["action.refused"]


def test_an_export_naming_a_patient_the_record_does_not_know_is_refused(uow) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ActionError, match="no patient 'NOBODY' in this database"):
        export_datasets(uow, export(patient=PatientRef("NOBODY"), patients=(PatientRef("NOBODY"),)))
    assert uow.log.entries == []


def test_the_writer_asks_before_writing_and_is_given_the_patients_as_stored(uow) -> None:  # type: ignore[no-untyped-def]
    asked = export(files={}, rows={}, patients=(PatientRef("MRN1"),))
    assert authorize_datasets(uow, asked) == (PatientRef("MRN1", "HOSP"),)  # the bare MRN resolved
    assert uow.log.entries == [] and uow.commits == 0  # asking records nothing


def test_asking_refuses_a_nurse_once_and_an_unknown_patient_before_anything_is_written(uow) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotAllowed):
        authorize_datasets(uow, export(files={}, rows={}, **acts("ana", Role.NURSE)))
    assert uow.log.kinds() == ["action.refused"]
    with pytest.raises(ActionError, match="no patient 'NOBODY' in this database"):
        authorize_datasets(
            uow, export(files={}, rows={}, patients=(PatientRef("MRN1"), PatientRef("NOBODY")))
        )
    with pytest.raises(ActionError, match="directory has no name"):
        authorize_datasets(uow, export(files={}, rows={}, directory=" "))
    assert uow.log.kinds() == ["action.refused"]
