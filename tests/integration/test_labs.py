"""Lab ORU^R01: LOINC mapping, canonical units, SN values, and result versions (P → F → C, D, a late
P), on SQLite and PostgreSQL; the NIST final/corrected pair from the public corpus."""

from __future__ import annotations

from datetime import UTC

import pytest
from bedside_adapters.db import schema as t
from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.ingest.pipeline import IngestPipeline
from sqlalchemy import select

from bedside.parameters import ParameterCatalog
from tests.helpers import CORPUS, SYNTHETIC

L = t.lab_result.c


@pytest.fixture
def pipeline(engine):
    return IngestPipeline(IngestStore(engine), ParameterCatalog.load(), lambda: 1_764_000_000.0, UTC)


def ingest(pipeline, *names: str, folder=SYNTHETIC) -> list[str]:
    return [pipeline.handle((folder / n).read_bytes(), "10.0.0.5:4000").ack_code for n in names]


def rows(engine, *where):
    with engine.connect() as conn:
        return conn.execute(select(t.lab_result).where(*where).order_by(L.id)).mappings().all()


def current(engine, analyte: str):
    (row,) = rows(engine, L.analyte == analyte, L.current.is_(True))
    return row


def test_icu_panel_mapped_and_converted_to_canonical_units(engine, pipeline) -> None:
    assert ingest(pipeline, "lab_icu_panel_preliminary.hl7") == ["CA"]
    expected = {
        "crp": (148.0, "mg/L"),  # 14.8 mg/dL
        "ferritin": (2450.0, "ug/L"),
        "ddimer_feu": (3.2, "mg/L{FEU}"),  # 3200 ng/mL{FEU}
        "ldh": (612.0, "U/L"),
        "lymphocytes": (0.3, "10*9/L"),  # 300 /uL
        "cd3_abs": (210.0, "/uL"),
        "cd3_pct": (70.0, "%"),
        "cd4_abs": (120.0, "/uL"),  # 0.12 10*9/L
        "cd8_abs": (80.0, "/uL"),
        "cd19_abs": (45.0, "/uL"),
        "cd19_pct": (15.0, "%"),
        "pao2": (63.0, "mm[Hg]"),  # 8.4 kPa × 7.50062
    }
    for analyte, (value, unit) in expected.items():
        row = current(engine, analyte)
        assert row["value"] == pytest.approx(value, rel=1e-3), analyte
        assert row["unit"] == unit and row["status"] == "P" and row["patient_ref"] == "SIM4417^BEDSIDE_DEMO"
    il6 = current(engine, "il6")
    assert (il6["comparator"], il6["value"], il6["abnormal_flags"]) == (">", 1000.0, "H~A")
    ddu = current(engine, "ddimer_ddu")  # an FEU unit on the DDU code: never converted silently
    assert ddu["value"] is None and "not convertible" in ddu["note"] and ddu["unit_as_sent"] == "mg/L{FEU}"
    unknown = rows(engine, L.code == "9999-9")[0]
    assert unknown["analyte"] is None and unknown["value"] is None and unknown["value_as_sent"] == "5"
    local = rows(engine, L.code == "KCAL")[0]
    assert local["analyte"] is None and local["note"] == "code not mapped to an analyte"
    assert current(engine, "crp")["reference_range"] == "<0.8"


def test_versions_supersede_correct_and_retract_but_never_overwrite(engine, pipeline) -> None:
    codes = ingest(
        pipeline,
        "lab_icu_panel_preliminary.hl7",
        "lab_icu_panel_final.hl7",
        "lab_icu_panel_correction.hl7",
        "lab_icu_panel_late_preliminary.hl7",
    )
    assert codes == ["CA"] * 4
    crp = rows(engine, L.analyte == "crp")
    assert [(r["version"], r["status"], r["value"], r["current"]) for r in crp] == [
        (1, "P", 148.0, False),
        (2, "F", 152.0, False),
        (3, "C", 129.0, True),  # the correction is what trends
        (4, "P", 990.0, False),  # a late preliminary does not undo it
    ]
    assert crp[0]["superseded_by"] == crp[1]["id"] and crp[1]["superseded_by"] == crp[2]["id"]
    cd3 = rows(engine, L.analyte == "cd3_pct")
    assert [(r["status"], r["current"], r["retracted"]) for r in cd3] == [
        ("P", False, False),
        ("F", False, True),
        ("D", False, True),
    ]
    assert (
        rows(engine, L.analyte == "cd3_pct", L.current.is_(True)) == []
    )  # gone from trends, kept in the audit
    assert current(engine, "ferritin")["status"] == "F"


def test_nist_final_and_corrected_pair_gives_two_versions(engine, pipeline) -> None:
    codes = ingest(pipeline, "lab_nist_elr_lead_final.hl7", "lab_nist_elr_lead_corrected.hl7", folder=CORPUS)
    assert codes == ["AA", "AA"]
    lead = rows(engine, L.code == "10368-9")
    assert [(r["status"], r["value_as_sent"], r["unit_as_sent"], r["current"]) for r in lead] == [
        ("F", "50", "ug/dL", False),
        ("C", "25", "ug/dl", True),
    ]
    assert lead[0]["patient_ref"] == "9817566735^MPI"
    assert lead[1]["reference_range"] == "<10 ug/dl" and lead[1]["abnormal_flags"] == "H"
    assert lead[1]["analyte"] is None  # lead is not an ICU analyte: stored, never trended
    assert lead[0]["filler_order"] == lead[1]["filler_order"] == "9700123"


def test_corpus_labs_expected_values(engine, pipeline) -> None:
    assert ingest(
        pipeline, "lab_ghh_glucose_hl7_normative_example.hl7", "lab_cerner_lead_ref_range.hl7", folder=CORPUS
    ) == ["AA", "AA"]
    glucose = rows(engine, L.code == "1554-5")[0]
    assert (glucose["value_as_sent"], glucose["status"], glucose["abnormal_flags"]) == ("^182", "F", "H")
    assert glucose["patient_ref"] == "555-44-4444"
    cerner = rows(engine, L.sender.like("HealthSentry%"))
    assert len(cerner) == 1 and cerner[0]["abnormal_flags"] == "H" and cerner[0]["status"] == "F"


def test_cli_observations_and_stats_by_type(engine, pipeline, capsys) -> None:
    import json

    from bedside_adapters.cli import main as cli_main

    from tests.helpers import pcd01

    ingest(pipeline, "lab_icu_panel_preliminary.hl7", "lab_icu_panel_final.hl7")
    from bedside_adapters.sim.pcd01 import SimulatedMonitor

    # ADT puts the patient in the bed the monitor reports (PV1-3 ICU^07^1), before the monitor's value.
    admit = SimulatedMonitor(room="07").admit_message("ADT-9", 1_735_000_000.0)
    assert pipeline.handle(admit.encode(), "10.0.0.7:1").ack_code == "AA"
    assert pipeline.handle(pcd01("M-1"), "10.0.0.6:1").ack_code == "AA"
    url = engine.url.render_as_string(hide_password=False)
    assert cli_main(["--db", url, "observations", "--patient", "SIM4417", "--json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    assert listing["patient"]["identifier"] == "SIM4417"
    crp = [lab for lab in listing["labs"] if lab["analyte"] == "crp"]
    assert [(lab["version"], lab["status"], lab["current"], lab["value"]) for lab in crp] == [
        (1, "P", False, 148.0),
        (2, "F", True, 152.0),
    ]
    hr = next(n for n in listing["numerics"] if n["parameter"] == "hr")
    assert (hr["values"], hr["last_value"], hr["unit"]) == (1, 112.0, "/min")
    assert cli_main(["--db", url, "observations", "--patient", "NOBODY"]) == 1
    capsys.readouterr()
    assert cli_main(["--db", url, "stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["by_type"]["ORU^R01"]["messages_received"] == 3
    assert stats["by_type"]["ADT^A01"]["messages_acknowledged"] == 1
    assert stats["lab_results"] == 32


def test_a_senders_local_codes_map_to_loinc(engine, tmp_path) -> None:
    from bedside.labs import LabCatalog

    codes = tmp_path / "site-lab-codes.toml"
    codes.write_text('[local_codes.LIS]\nDDIMER = "48065-7"\n')
    labs = LabCatalog.load().with_local_codes(codes)
    p = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), lambda: 1.7e9, UTC, labs=labs)
    msg = (
        "MSH|^~\\&|LIS|HOSP_LAB|BEDSIDE|ICU|20251124083000+0000||ORU^R01^ORU_R01|LOC-1|P|2.5.1\r"
        "PID|1||SIM4417^^^BEDSIDE_DEMO^MR||SYNTHETIC^Patient A\rORC|RE|O-1|F-1\r"
        "OBR|1|O-1|F-1|DD^D-dimer^L|||20251124060000+0000\r"
        "OBX|1|NM|DDIMER^D-Dimer^L||800|ng/mL{FEU}|<500|H|||F\r"
        "OBX|2|NM|OTHER^Not mapped^L||1|U|||||F\r"
    )
    assert p.handle(msg.encode(), "x:1").ack_code == "AA"
    mapped = rows(engine, L.analyte == "ddimer_feu")[0]
    assert (mapped["code"], mapped["code_system"], mapped["value"], mapped["unit"]) == (
        "48065-7",
        "LN",
        0.8,
        "mg/L{FEU}",
    )
    other = rows(engine, L.code == "OTHER")[0]
    assert other["analyte"] is None and other["value"] is None  # unmapped: kept, never trended


@pytest.mark.parametrize(
    ("extra", "condition"),
    [
        ("SPM|1|||122555007^Venous blood specimen^SCT||||||||||||||||||||HEM^Hemolyzed^HL70493", "HEM"),
        ("NTE|1|L|Sample haemolysed: repeat advised", "HEM"),
        ("NTE|1|L|Drawn from the arterial line", ""),
    ],
)
def test_the_specimen_condition_is_kept_with_each_result_of_its_order(
    engine, pipeline, extra: str, condition: str
) -> None:
    """SPM-24 (HL7 table 0493) or a comment saying the sample was haemolysed: rule L5 skips such LDH."""
    text = (SYNTHETIC / "lab_icu_panel_final.hl7").read_bytes().decode("latin-1").rstrip("\r\n")
    assert pipeline.handle((text + "\r" + extra + "\r").encode("latin-1"), "10.0.0.5:4000").ack_code == "CA"
    assert current(engine, "ldh")["specimen_condition"] == condition
    assert current(engine, "crp")["specimen_condition"] == condition  # the whole order's sample
