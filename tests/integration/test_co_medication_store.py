"""Co-medication a clinician enters through `bedside-cli medication add`, in a real database (SQLite
and PostgreSQL): stored with its signed safety-log entry, read back by `medication list` and by the
store's `administrations`, refused with one line when wrong."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import pytest
from bedside_adapters.cli import main as cli_main
from bedside_adapters.db.co_medication_store import administrations, insert_administrations
from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.db.patient_match import MrnQuery
from bedside_adapters.db.safety_store import log_listing, verify_log
from bedside_adapters.ingest.pipeline import IngestPipeline

from bedside.co_medication import DrugClass, MedicationAdministration, Source
from bedside.model import PatientRef
from bedside.parameters import ParameterCatalog
from bedside.users import Role
from tests.helpers import adt_a01
from tests.signed_in import signed_in

REF = "MRN1^HOSP"


@pytest.fixture
def url(engine) -> str:
    pipeline = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), time.time, UTC)
    assert pipeline.handle(adt_a01("ADT1", "DOE^JANE").encode(), "127.0.0.1:9").ack_code == "AA"
    return engine.url.render_as_string(hide_password=False)


def test_store_round_trip_keeps_every_field(engine) -> None:
    rows = [
        MedicationAdministration(
            patient=PatientRef.parse(REF),
            drug="Noradrenaline",
            drug_class=DrugClass.VASOPRESSOR,
            start=1_780_000_000.123,
            end=1_780_036_000.0,
            dose=0.08,
            unit="ug/kg/min",
            route="IV",
            code="C01CA03",
            code_system="ATC",
            source=Source.ENTERED,
            source_id="RN",
            dose_as_sent="0.08 ug/kg/min",
        ),
        MedicationAdministration(
            patient=PatientRef.parse(REF),
            drug="Unknown tea",
            drug_class=DrugClass.OTHER,
            start=1_779_990_000.0,
        ),
    ]
    with engine.begin() as conn:
        ids = insert_administrations(conn, rows, 1_780_040_000.0, entered_by="RN")
    with engine.connect() as conn:
        back = administrations(conn, PatientRef.parse(REF))
        running = administrations(
            conn, PatientRef.parse(REF), since_ms=1_780_030_000_000, until_ms=1_780_040_000_000
        )
    assert [a.id for a in back] == ids[::-1]  # in order of start
    norad = back[1]
    assert norad == MedicationAdministration(**{**_fields(rows[0]), "id": ids[0], "start": 1_780_000_000.123})
    assert back[0].dose is None and back[0].end is None and back[0].drug == "Unknown tea"
    assert [a.drug for a in running] == ["Noradrenaline"]  # started before, running into the window


def _fields(a: MedicationAdministration) -> dict:
    return {name: getattr(a, name) for name in a.__slots__}


def test_cli_records_and_lists_a_medication_with_its_log_entry(url, engine, capsys) -> None:
    at = float(int(time.time() - 3600))
    when = datetime.fromtimestamp(at, UTC).isoformat()
    rc = cli_main(
        [
            "--db", url, "medication", "add", "--patient", "MRN1", "--drug", "Paracetamol",
            "--class", "antipyretic", "--dose", "1", "--unit", "g", "--route", "IV", "--at", when,
            *signed_in(url, "RN Ada", Role.NURSE),
        ]
    )  # fmt: skip
    assert rc == 0, capsys.readouterr().err
    assert "recorded for MRN1^HOSP: Paracetamol 1 g IV" in capsys.readouterr().out
    assert cli_main(["--db", url, "medication", "list", "--patient", REF, "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["drug"], row["class"], row["dose"], row["unit"], row["start"]) == (
        "Paracetamol",
        "antipyretic",
        1.0,
        "g",
        at,
    )
    assert (row["source"], row["source_id"], row["status"]) == ("entered", "RN Ada", "given")
    entries = [e for e in log_listing(engine, MrnQuery("MRN1")) if e["kind"] == "medication.recorded"]
    assert verify_log(engine).ok
    assert len(entries) == 1 and entries[0]["actor"] == "RN Ada"
    # A bare MRN lists the same patient, as every command that reads a record takes it; an MRN
    # the database does not know is refused, never read as an empty list.
    assert cli_main(["--db", url, "medication", "list", "--patient", "MRN1", "--json"]) == 0
    assert [r["drug"] for r in json.loads(capsys.readouterr().out)] == ["Paracetamol"]
    assert cli_main(["--db", url, "medication", "list", "--patient", "NOBODY"]) == 1
    assert "no patient 'NOBODY' in this database" in capsys.readouterr().err


def test_cli_refuses_a_wrong_entry_with_one_line(url, engine, capsys) -> None:
    rc = cli_main(
        [
            "--db", url, "medication", "add", "--patient", "MRN1", "--drug", "Paracetamol",
            "--class", "antipyretic", "--dose", "-1", "--unit", "g", "--route", "IV", "--at", "now",
            *signed_in(url, "RN Ada", Role.NURSE),
        ]
    )  # fmt: skip
    assert rc == 2
    assert "the dose must be a number above 0; nothing was recorded" in capsys.readouterr().err
    with engine.connect() as conn:
        assert administrations(conn, PatientRef.parse(REF)) == []
