"""`bedside-cli export sdtm` on a real SQLite file the simulator's course was ingested into, with an
adverse event, a death and co-medication recorded: every dataset read back from its CSV and, with
pyreadstat, from its SAS transport file, and compared with the database; the files within SAS
version 5's limits; the define description covering every column; the export in the safety log."""

from __future__ import annotations

import csv
import hashlib
import json
import math
import shutil
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyreadstat
import pytest
from bedside_adapters.cli import main as cli
from bedside_adapters.db.co_medication_store import insert_administrations
from bedside_adapters.db.engine import make_engine
from bedside_adapters.db.read_store import SqlSeriesStore
from bedside_adapters.sdtm.source import hourly_vitals
from sqlalchemy import text

from bedside.co_medication import DrugClass, MedicationAdministration, Source
from bedside.course_spec import load_beds
from bedside.model import PatientRef
from bedside.review import DAY, HOUR
from bedside.users import Role
from tests.helpers import COURSE_START, build_course_db
from tests.signed_in import signed_in

DATASETS = ("DM", "EX", "AE", "LB", "VS", "DS", "CM", "PR", "CE")
# 120 characters, then 'ß' (two letters in ASCII) 40 times, then accents: over 200 once in ASCII.
LONG_TERM = "Infusion related reaction with fever 39.4 °C, rigors and hypotension needing fluids " + (
    "x" * 36 + "ß" * 40 + " é µ"
)


@pytest.fixture(scope="module")
def died_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("died") / "course.sqlite3"
    build_course_db(path, "died", COURSE_START + 5 * DAY)
    return path


@pytest.fixture
def died(died_file: Path, data_dir: Path) -> str:
    path = data_dir / "course.sqlite3"
    shutil.copy(died_file, path)
    return f"sqlite:///{path}"


def iso(at: float) -> str:
    return datetime.fromtimestamp(round(at), UTC).strftime("%Y-%m-%dT%H:%M:%S")


def record_course(url: str, ref: str, mrn: str) -> dict:
    """Two adverse events documented with the command line (one serious with its outcome, action and
    treatment; one whose term is past 200 characters once in ASCII, its seriousness not assessed),
    co-medication given and one only ordered as the eMAR and pharmacy store them; what was written."""
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            first = conn.exec_driver_sql(
                "SELECT id, start_ms FROM infusion_episode WHERE patient_ref = ? AND state != 'cancelled' "
                "ORDER BY start_ms LIMIT 1",
                (ref,),
            ).one()
            given = MedicationAdministration(
                patient=PatientRef.parse(ref),
                drug="Dexamethasone",
                drug_class=DrugClass.CORTICOSTEROID,
                start=first.start_ms / 1000 - 2 * DAY,
                end=first.start_ms / 1000 - 2 * DAY + 300,
                dose=6.0,
                unit="mg",
                route="IV",
                code="H02AB02",
                code_system="ATC",
                source=Source.EMAR,
            )
            ordered = MedicationAdministration(
                patient=PatientRef.parse(ref),
                drug="Tocilizumab",
                drug_class=DrugClass.IMMUNOMODULATOR,
                start=first.start_ms / 1000 + DAY,
                dose=560.0,
                unit="mg",
                route="IV",
                source=Source.ORDER,
                status="ordered",
            )
            given_id, ordered_id = insert_administrations(conn, [given, ordered], first.start_ms / 1000)
    finally:
        engine.dispose()
    onset = first.start_ms / 1000 + 25 * 60
    common = [
        "--db",
        url,
        "adverse-event",
        "--json",
        "--patient",
        mrn,
        "--dose",
        "1",
        *signed_in(url, "luis", meaning=True),
    ]
    serious = [
        *("--term", "Infusion related reaction", "--grade", "3", "--relatedness", "probable"),
        *("--onset", iso(onset) + "Z", "--serious", "life_threatening", "hospitalisation"),
        *("--awareness", iso(onset + 600) + "Z"),
        *("--outcome", "recovered", "--end", iso(onset + 3 * HOUR) + "Z", "--action-taken", "interrupted"),
        *("--treatment", "Paracetamol 1 g IV, hydrocortisone 100 mg IV"),
    ]
    long = [
        *("--term", LONG_TERM[:200], "--grade", "2", "--relatedness", "unlikely"),
        *("--onset", iso(onset + DAY) + "Z"),
    ]
    assert cli([*common, *serious]) == 0
    assert cli([*common, *long]) == 0
    # Reported to the sponsor two days after the team became aware: late against the 24 hours.
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            (event_id,) = conn.exec_driver_sql(
                "SELECT id FROM adverse_event WHERE term = 'Infusion related reaction'"
            ).one()
    finally:
        engine.dispose()
    sent = [
        "adverse-event-reported",
        "--json",
        str(event_id),
        "--patient",
        mrn,
        "--sent",
        iso(onset + 2 * DAY) + "Z",
    ]
    assert cli(["--db", url, *sent, *signed_in(url, "luis")]) == 0
    return {
        "first_dose_ms": int(first.start_ms),
        "onset": onset,
        "given": given,
        "given_id": given_id,
        "ordered_id": ordered_id,
    }


def read_back(folder: Path, name: str) -> tuple[list[dict[str, str]], list[dict], object]:
    with (folder / f"{name.lower()}.csv").open(encoding="utf-8", newline="") as f:
        from_csv = list(csv.DictReader(f))
    frame, meta = pyreadstat.read_xport(str(folder / f"{name.lower()}.xpt"))
    from_xpt = frame.to_dict("records")
    assert list(frame.columns) == list(from_csv[0] if from_csv else _header(folder, name))
    assert len(from_xpt) == len(from_csv)
    for c, x in zip(from_csv, from_xpt, strict=True):
        for key, written in c.items():
            value = x[key]
            if isinstance(value, float):
                assert (math.isnan(value) and written == "") or float(written) == value, (name, key)
            else:
                assert (value or "") == written, (name, key)
    return from_csv, from_xpt, meta


def _header(folder: Path, name: str) -> list[str]:
    with (folder / f"{name.lower()}.csv").open(encoding="utf-8") as f:
        return next(csv.reader(f))


def test_export_read_back_matches_the_database(died, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    (bed,) = load_beds("died", COURSE_START)
    engine = make_engine(died)
    with engine.connect() as conn:
        (ref,) = [r[0] for r in conn.exec_driver_sql("SELECT DISTINCT patient_ref FROM infusion_episode")]
    engine.dispose()
    written = record_course(died, ref, bed.mrn)
    death = written["first_dose_ms"] / 1000 + 60 * HOUR
    assert (
        cli(
            [
                *("--db", died, "course-event", "--patient", bed.mrn, "--kind", "death"),
                *("--at", iso(death) + "Z", *signed_in(died, "luis")),
            ]
        )
        == 0
    )
    capsys.readouterr()
    out = tmp_path / "sdtm"
    args = [
        "--db",
        died,
        "export",
        "sdtm",
        "--json",
        "--out",
        str(out),
        "--patient",
        bed.mrn,
        "--study",
        "MSC-ARDS",
    ]
    assert cli([*args, "--subject", f"{bed.mrn}=0103", *signed_in(died, "marta", Role.INVESTIGATOR)]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["patients"] == [ref]

    engine = make_engine(died)
    with engine.connect() as conn:

        def sql(q: str, *params: object) -> list:
            return list(conn.exec_driver_sql(q, params))

        doses = sql(
            "SELECT dose_number, start_ms, end_ms, state FROM infusion_episode "
            "WHERE patient_ref = ? AND state != 'cancelled' ORDER BY start_ms",
            ref,
        )
        labs = sql(
            "SELECT analyte, code, value, unit, value_as_sent, unit_as_sent, observed_ms, comparator "
            "FROM lab_result WHERE patient_ref = ? AND current = 1 AND retracted = 0 AND analyte IS NOT NULL "
            "AND analyte != 'gcs'",
            ref,
        )
        given_count = sql(
            "SELECT count(*) FROM co_medication WHERE patient_ref = ? AND status = 'given'", ref
        )[0][0]
        scores = sql("SELECT count(*) FROM lab_result WHERE patient_ref = ? AND analyte = 'gcs'", ref)[0][0]
        ((birth_date, sex),) = sql("SELECT birth_date, sex FROM patient WHERE identifier = ?", bed.mrn)
    usubjid = "MSC-ARDS-01-0103"

    # DM: one subject, identified by the trial's number, never by name; the reference start the first dose.
    dm, _, _ = read_back(out, "DM")
    assert len(dm) == 1 and dm[0]["USUBJID"] == usubjid and dm[0]["SUBJID"] == "0103"
    assert dm[0]["RFSTDTC"] == iso(doses[0].start_ms / 1000)
    assert dm[0]["DTHDTC"] == iso(death) and dm[0]["DTHFL"] == "Y"
    # Age at the first dose from the birth date ADT sent (PID-7), sex as sent (PID-8), the study's arm.
    assert len(birth_date) == 8 and sex in ("M", "F") and dm[0]["SEX"] == sex
    born = datetime.strptime(birth_date, "%Y%m%d").replace(tzinfo=UTC)
    first = datetime.fromtimestamp(doses[0].start_ms / 1000, UTC)
    years = first.year - born.year - ((first.month, first.day) < (born.month, born.day))
    assert float(dm[0]["AGE"]) == years and dm[0]["AGEU"] == "YEARS"
    assert (dm[0]["ARMCD"], dm[0]["ACTARMCD"]) == ("ATMSC", "ATMSC") and dm[0]["ACTARM"] == dm[0]["ARM"]
    assert dm[0]["ARMNRS"] == "" and not (out / "suppdm.csv").exists()  # nothing missing to explain
    assert birth_date not in (out / "dm.csv").read_text()
    assert bed.mrn not in (out / "dm.csv").read_text()

    # EX: every dose not cancelled, its times and the cell dose read from the pump's label.
    ex, _, _ = read_back(out, "EX")
    assert len(ex) == len(doses) == 2
    for row, dose in zip(ex, doses, strict=True):
        assert row["EXSPID"] == str(dose.dose_number) and row["EXSTDTC"] == iso(dose.start_ms / 1000)
        assert row["EXENDTC"] == (iso(dose.end_ms / 1000) if dose.end_ms is not None else "")
        assert row["EXTRT"] == "AT-MSC" and float(row["EXDOSE"]) == 1e6 and row["EXDOSU"] == "cells/kg"
    assert [r["EXSEQ"] for r in ex] == ["1", "2"] and ex[0]["EXSTDY"] == "1"
    suppex, _, _ = read_back(out, "SUPPEX")
    confirmed = {r["IDVARVAL"]: r["QVAL"] for r in suppex if r["QNAM"] == "EXCONF"}
    assert confirmed == {"1": "N", "2": "N"}  # the pump's starts, never confirmed on this record

    # AE: each event as the review lists it (its latest version). The long term in ASCII (ß as ss, é
    # as e, µ as u, ° dropped), its first piece in AETERM and the rest in SUPPAE AETERM1, nothing lost.
    assert cli(["--db", died, "review", "--patient", bed.mrn, "--json"]) == 0
    events = {e["id"]: e for e in json.loads(capsys.readouterr().out)["adverse_events"]}
    ae, _, _ = read_back(out, "AE")
    suppae, _, _ = read_back(out, "SUPPAE")
    qualifiers = {(r["IDVARVAL"], r["QNAM"]): r["QVAL"] for r in suppae}
    assert len(ae) == len(events) == 2
    reaction, long_one = ae
    assert (reaction["AETERM"], reaction["AEDECOD"], reaction["AETOXGR"]) == (
        "Infusion related reaction",
        "Infusion related reaction",
        "3",
    )
    assert (reaction["AESER"], reaction["AESLIFE"], reaction["AESHOSP"], reaction["AESDTH"]) == (
        "Y",
        "Y",
        "Y",
        "N",
    )
    assert (reaction["AEREL"], reaction["AEACN"], reaction["AEOUT"], reaction["AECONTRT"]) == (
        "PROBABLY RELATED",
        "DRUG INTERRUPTED",
        "RECOVERED/RESOLVED",
        "Y",
    )
    assert reaction["AESTDTC"] == iso(written["onset"]) and reaction["AESTDY"] == "1"
    assert reaction["AEENDTC"] == iso(written["onset"] + 3 * HOUR)
    event = events[int(reaction["AESPID"])]
    seq = str(int(float(reaction["AESEQ"])))
    assert qualifiers[(seq, "AETOXVER")] == event["ctcae_version"]
    assert qualifiers[(seq, "AESUSAR")] == {True: "Y", False: "N"}[event["susar"]]
    assert qualifiers[(seq, "AETRTTXT")] == "Paracetamol 1 g IV, hydrocortisone 100 mg IV"
    assert qualifiers[(seq, "AEAWRDTC")] == iso(written["onset"] + 600)
    # For reconciliation with the sponsor's safety database: when first reported, late or not, and
    # who assessed causality in which role.
    assert qualifiers[(seq, "AERPTDTC")] == iso(written["onset"] + 2 * DAY)
    assert qualifiers[(seq, "AERPTLT")] == "Y"  # two days after the team became aware
    assert (qualifiers[(seq, "AECAUSBY")], qualifiers[(seq, "AECAUSRL")]) == ("luis", "intensivist")
    assert all(len(r["QNAM"]) <= 8 and len(r["QLABEL"]) <= 40 for r in suppae)
    # Not assessed is empty, never a default.
    assert (long_one["AESER"], long_one["AESLIFE"], long_one["AEOUT"], long_one["AEDECOD"]) == (
        "",
        "",
        "",
        "",
    )
    assert long_one["AEREL"] == "UNLIKELY RELATED"
    ascii_term = LONG_TERM[:200].replace("ß", "ss").replace("é", "e").replace("µ", "u").replace(" °C", " C")
    long_seq = str(int(float(long_one["AESEQ"])))
    assert len(ascii_term) > 200 and 190 < len(long_one["AETERM"]) <= 200
    assert long_one["AETERM"] + qualifiers[(long_seq, "AETERM1")] == ascii_term  # joined as they are

    # LB: the result in force of each test, as received and in the standard unit.
    lb, _, _ = read_back(out, "LB")
    assert len(lb) == len(labs) > 0
    assert scores > 0 and "GCS" not in {r["LBTESTCD"] for r in lb}  # a clinical score, not a lab test
    by_key = {(r["LBLOINC"], r["LBDTC"]): r for r in lb}
    for lab in labs:
        row = by_key[(lab.code, iso(lab.observed_ms / 1000))]
        assert row["LBORRES"] == lab.comparator + lab.value_as_sent
        assert row["LBORRESU"] == lab.unit_as_sent.replace("µ", "u")
        if lab.value is not None and not lab.comparator:
            assert float(row["LBSTRESN"]) == pytest.approx(lab.value)
    crp = [r for r in lb if r["LBTESTCD"] == "CRP"]
    assert crp and {r["LBSTRESU"] for r in crp} == {"mg/L"} and {r["LBLOINC"] for r in crp} == {"1988-5"}
    assert all(len(r["LBTESTCD"]) <= 8 and r["LBTESTCD"].isupper() for r in lb)

    # VS: hourly medians; one hour's heart rate checked against the stored values of that hour.
    vs, _, _ = read_back(out, "VS")
    hr = [r for r in vs if r["VSTESTCD"] == "HR"]
    assert hr and {r["VSSTRESU"] for r in hr} == {"beats/min"} and {r["VSORRESU"] for r in hr} == {"/min"}
    assert {r["VSTESTCD"] for r in vs} >= {"HR", "OXYSAT", "SYSBP", "DIABP", "MAP", "TEMP"}
    hour = hr[len(hr) // 2]
    start = datetime.fromisoformat(hour["VSDTC"]).replace(tzinfo=UTC).timestamp()
    store = SqlSeriesStore(engine)
    values = np.concatenate(
        [
            w.values
            for w in store.windows(store.series_for(PatientRef.parse(ref), ["hr"]), start, start + HOUR - 0.5)
        ]
    )
    assert float(hour["VSSTRESN"]) == pytest.approx(float(np.median(values.astype(np.float64))), rel=1e-5)
    assert hour["VSENDTC"] == iso(start + HOUR)
    assert len({(r["VSTESTCD"], r["VSMETHOD"], r["VSDTC"]) for r in vs}) == len(vs)  # one row per hour
    engine.dispose()

    # DS: the death entered (no ADT discharge exported for a patient who died).
    ds, _, _ = read_back(out, "DS")
    assert [(r["DSDECOD"], r["DSSTDTC"], r["DSCAT"]) for r in ds] == [
        ("DEATH", iso(death), "DISPOSITION EVENT")
    ]

    # CM: the administration given; the order never confirmed as given is not exported.
    cm, _, _ = read_back(out, "CM")
    assert len(cm) == given_count  # the simulated eMAR's administrations too, where it sends them
    assert str(written["ordered_id"]) not in {r["CMSPID"] for r in cm}
    dexa = next(r for r in cm if r["CMSPID"] == str(written["given_id"]))
    assert (dexa["CMTRT"], dexa["CMCLAS"], dexa["CMCLASCD"], dexa["CMROUTE"]) == (
        "Dexamethasone",
        "CORTICOSTEROID",
        "H02AB02",
        "INTRAVENOUS",
    )
    assert float(dexa["CMDOSE"]) == 6.0 and dexa["CMDOSU"] == "mg"
    assert dexa["CMSTDTC"] == iso(written["given"].start) and dexa["CMSTDY"] == "-2"  # no day 0

    assert summary["rows"] == {
        "DM": 1,
        "EX": 2,
        "SUPPEX": len(suppex),
        "AE": 2,
        "SUPPAE": len(suppae),
        "LB": len(lb),
        "VS": len(vs),
        "DS": 1,
        "CM": given_count,
        "SUPPCM": given_count,
        "PR": 1,  # the ventilation since the first ventilator value: no intubation entered
        "SUPPPR": 2,  # its source, and its end derived from the death (the patient died ventilated)
        "CE": 0,
    }

    # The export is in the safety log: who, the patient, each file's SHA-256 and each dataset's rows.
    assert cli(["--db", died, "log", "--json"]) == 0
    logged = [e for e in json.loads(capsys.readouterr().out) if e["kind"] == "datasets.exported"]
    assert len(logged) == 1 and logged[0]["actor"] == "marta" and logged[0]["patient"] == ref
    payload = logged[0]["payload"]
    assert payload["rows"] == summary["rows"] and payload["patients"] == [ref]
    assert set(payload["files"]) == {p.name for p in out.iterdir()}
    for name, digest in payload["files"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    assert cli(["--db", died, "verify-log"]) == 0


def test_files_keep_sas_v5_limits_and_the_define_covers_every_column(died, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    (bed,) = load_beds("died", COURSE_START)
    out = tmp_path / "sdtm"
    args = ["--db", died, "export", "sdtm", "--out", str(out), *signed_in(died, "luis")]
    assert cli(args) == 0
    capsys.readouterr()
    with (out / "define.csv").open(encoding="utf-8", newline="") as f:
        define = {(r["dataset"], r["variable"]): r for r in csv.DictReader(f)}
    md = (out / "define.md").read_text(encoding="utf-8")
    assert "hourly" in md or "clock hour" in md
    seen = set()
    for xpt in sorted(out.glob("*.xpt")):
        raw = xpt.read_bytes()
        assert (
            raw.startswith(b"HEADER RECORD*******LIBRARY HEADER RECORD!!!!!!!") and b"LIBV8" not in raw[:80]
        )
        frame, meta = pyreadstat.read_xport(str(xpt))
        assert meta.file_label.isascii() and all(label.isascii() for label in meta.column_labels)
        for column in frame.columns:
            if meta.readstat_variable_types[column] == "string":
                assert all(str(v).isascii() for v in frame[column]), (xpt.name, column)
        name = meta.table_name
        assert name == xpt.stem.upper() and len(name) <= 8
        assert f"## {name}:" in md
        for column, label in zip(meta.column_names, meta.column_labels, strict=True):
            assert column.isupper() and len(column) <= 8
            assert label and len(label) <= 40
            entry = define[(name, column)]
            seen.add((name, column))
            assert entry["label"] == label and entry["origin"]
            width = meta.variable_storage_width[column]
            assert width <= 200 and int(entry["length"]) == width
            assert entry["type"] == ("Num" if meta.readstat_variable_types[column] == "double" else "Char")
    assert seen == set(define)
    assert {n for n, _ in seen} >= set(DATASETS)
    assert bed.mrn in (out / "dm.csv").read_text()  # without --subject, SUBJID is the MRN


def test_a_nurse_may_not_export_and_an_existing_folder_is_not_overwritten(died, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    (bed,) = load_beds("died", COURSE_START)
    out = tmp_path / "sdtm"
    nurse = signed_in(died, "ana", Role.NURSE)
    assert cli(["--db", died, "export", "sdtm", "--out", str(out), "--patient", bed.mrn, *nurse]) == 2
    assert "may not" in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())
    out.mkdir(exist_ok=True)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    assert cli(["--db", died, "export", "sdtm", "--out", str(out), *signed_in(died, "luis")]) == 2
    assert "not an empty directory" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    beyond = out / "notes.txt" / "sdtm"  # a folder that cannot be made: one line, nothing logged
    assert cli(["--db", died, "export", "sdtm", "--out", str(beyond), *signed_in(died, "luis")]) == 2
    assert "cannot write" in capsys.readouterr().err
    assert cli(["--db", died, "log", "--json"]) == 0
    kinds = [e["kind"] for e in json.loads(capsys.readouterr().out) if e["actor"] in ("ana", "luis")]
    assert kinds.count("action.refused") == 1 and "datasets.exported" not in kinds  # refused once


def test_an_unknown_patient_is_the_handlers_refusal_before_anything_is_written(
    died, tmp_path, capsys
) -> None:  # type: ignore[no-untyped-def]
    (bed,) = load_beds("died", COURSE_START)
    out = tmp_path / "sdtm"
    luis = signed_in(died, "luis")
    argv = ["--db", died, "export", "sdtm", "--out", str(out), "--patient", bed.mrn, "--patient", "NOBODY"]
    assert cli([*argv, *luis]) == 2
    assert "no patient 'NOBODY' in this database" in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())
    assert cli(["--db", died, "log", "--json"]) == 0
    assert [e for e in json.loads(capsys.readouterr().out) if e["kind"] == "datasets.exported"] == []


def test_vital_signs_stop_at_the_last_whole_hour(died) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(died)
    try:
        with engine.connect() as conn:
            ref, start_ms = conn.exec_driver_sql(
                "SELECT patient_ref, start_ms FROM infusion_episode ORDER BY start_ms LIMIT 1"
            ).one()
        now = start_ms / 1000 + 30 * 60 + 0.5  # half an hour into the first dose
        rows = list(hourly_vitals(engine, PatientRef.parse(ref), now))
    finally:
        engine.dispose()
    last_whole = math.floor(now / HOUR) * HOUR - HOUR
    assert rows and max(r.start for r in rows) == last_whole  # the running hour is not yet an hour
    assert {r.parameter for r in rows if r.start == last_whole} >= {"hr", "spo2", "abp_sys", "temp"}
    assert all(r.count > 0 and math.isfinite(r.median) for r in rows)


def test_the_export_reads_the_same_on_postgresql_and_sqlite(db_url, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """A day of the reaction course, its dose included, ingested into either database: the export's
    reads are the review's and the stores', on both."""
    from datetime import UTC as utc

    from bedside_adapters.db.ingest_store import IngestStore
    from bedside_adapters.db.migrate import upgrade
    from bedside_adapters.ingest.pipeline import IngestPipeline
    from bedside_adapters.sim.course_run import WardFeed

    from bedside.parameters import ParameterCatalog
    from tests.helpers import COURSE_STEP

    (bed,) = load_beds("reaction", COURSE_START)
    engine = make_engine(db_url)
    upgrade(engine)
    clock = {"now": COURSE_START}
    pipeline = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), lambda: clock["now"], utc)
    feed = WardFeed("reaction", COURSE_START).messages(
        COURSE_START - 2 * HOUR, COURSE_START + DAY, COURSE_STEP
    )
    for m in feed:
        clock["now"] = m.at + 1.0
        assert pipeline.handle(m.text.encode(), "127.0.0.1:9").ack_code in ("AA", "CA")
    with engine.connect() as conn:
        (ref,) = [r[0] for r in conn.exec_driver_sql("SELECT DISTINCT patient_ref FROM infusion_episode")]
        doses = conn.execute(
            text("SELECT count(*) FROM infusion_episode WHERE state <> 'cancelled' AND patient_ref = :ref"),
            {"ref": ref},
        ).scalar()
        given = conn.execute(text("SELECT count(*) FROM co_medication WHERE status = 'given'")).scalar()
    engine.dispose()
    out = tmp_path / "sdtm"
    assert (
        cli(["--db", db_url, "export", "sdtm", "--json", "--out", str(out), *signed_in(db_url, "luis")]) == 0
    )
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert rows["DM"] == 1 and rows["EX"] == doses == 1 and rows["CM"] == given
    assert rows["LB"] > 0 and rows["VS"] > 0
    for name in ("DM", "EX", "LB", "VS"):
        from_csv, _, _ = read_back(out, name)
        assert len(from_csv) == rows[name] and {r["USUBJID"] for r in from_csv} == {f"BEDSIDE-01-{bed.mrn}"}
