"""The export's rules that need no database: ASCII, study days, SAS version 5's limits on names and
labels, long text cut into pieces that join back, test codes and units, and a dataset written as CSV
and XPT and read back the same."""

from __future__ import annotations

import csv
import math
from datetime import UTC, datetime

import pyreadstat
import pytest
from bedside_adapters.sdtm.model import Dataset, Variable, ascii_text, iso, number_text, sequence, study_day
from bedside_adapters.sdtm.terms import LAB_TESTS, VITAL_TESTS, lab_test, sdtm_unit
from bedside_adapters.sdtm.writer import SUPP_KEY, pieces, supplemental, write_csv, write_xpt

from bedside.adverse_event_listing import ListedAdverseEvent
from bedside.model import PatientRef
from tests.listed_events import listed


def at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


def test_text_becomes_ascii_without_losing_where_a_character_was() -> None:
    assert ascii_text("µg/L") == "ug/L" and ascii_text("38.5 °C") == "38.5 C"
    assert ascii_text("Muñoz Pérez, Łukasz Straße") == "Munoz Perez, Lukasz Strasse"
    assert ascii_text("line\nbreak") == "line break"
    assert ascii_text("IL-6 ≥ 40 → high") == "IL-6 >= 40 ? high"  # an arrow has no ASCII: a '?' marks it


def test_study_day_has_no_day_zero_and_counts_utc_dates() -> None:
    ref = at("2026-03-02T22:00:00")
    assert study_day(at("2026-03-02T23:59:00"), ref) == 1.0
    assert study_day(at("2026-03-03T00:01:00"), ref) == 2.0
    assert study_day(at("2026-03-01T12:00:00"), ref) == -1.0
    assert study_day(None, ref) is None and study_day(ref, None) is None
    assert iso(at("2026-03-02T22:00:00.4")) == "2026-03-02T22:00:00" and iso(None) == ""


def test_names_and_labels_outside_sas_v5_limits_are_refused() -> None:
    with pytest.raises(ValueError, match="1-8"):
        Variable("LBTESTCODE", "Too long a name", "Char", "Assigned")
    with pytest.raises(ValueError, match="1-8"):
        Variable("lbtestcd", "Lower case", "Char", "Assigned")
    with pytest.raises(ValueError, match="40"):
        Variable("LBTEST", "A label that is much longer than forty characters", "Char", "Assigned")
    with pytest.raises(ValueError, match="ASCII"):
        Variable("LBTEST", "Température", "Char", "Assigned")


def test_every_test_code_fits_and_unknown_analytes_get_a_marked_code() -> None:
    for test in [*LAB_TESTS.values(), *VITAL_TESTS.values()]:
        assert 1 <= len(test.testcd) <= 8 and test.testcd.isalnum() and test.testcd.isupper()
        assert not test.testcd[0].isdigit()
    assert lab_test("crp").testcd == "CRP" and lab_test("crp").standard
    made = lab_test("procalcitonin_ng")
    assert made.testcd == "PROCALCI" and not made.standard
    assert lab_test("25oh_vitamin_d").testcd == "L25OHVIT"
    assert VITAL_TESTS["spo2"].testcd == "OXYSAT" and VITAL_TESTS["rr"].testcd == "RESP"


def test_ucum_units_as_sdtm_writes_them() -> None:
    assert sdtm_unit("mm[Hg]") == "mmHg" and sdtm_unit("Cel") == "C" and sdtm_unit("10*9/L") == "10^9/L"
    assert sdtm_unit("mg/L{FEU}") == "mg/L FEU" and sdtm_unit("ug/L") == "ug/L"


def test_long_text_is_cut_into_pieces_that_join_back_and_never_end_in_a_blank() -> None:
    text = "word " * 100
    parts = pieces(text.rstrip())
    assert "".join(parts) == text.rstrip() and all(len(p) <= 200 for p in parts)
    assert not any(p.endswith(" ") for p in parts)
    assert pieces("short") == ["short"]


def _dataset() -> Dataset:
    ds = Dataset(
        "AE",
        "Adverse Events",
        [
            Variable("STUDYID", "Study Identifier", "Char", "Assigned"),
            Variable("USUBJID", "Unique Subject Identifier", "Char", "Derived"),
            Variable("AESEQ", "Sequence Number", "Num", "Derived"),
            Variable("AETERM", "Reported Term for the Adverse Event", "Char", "Collected"),
            Variable("AESTDY", "Study Day of Start of Adverse Event", "Num", "Derived"),
        ],
    )
    ds.rows = [
        {
            "STUDYID": "S",
            "USUBJID": "S-2",
            "AETERM": "Fever",
            "AESTDY": None,
            SUPP_KEY: [("AEX", "X", "1", "A")],
        },
        {"STUDYID": "S", "USUBJID": "S-1", "AETERM": "Rash " + "y" * 300, "AESTDY": 3.0},
        {"STUDYID": "S", "USUBJID": "S-1", "AETERM": "Chills", "AESTDY": -1.0},
    ]
    sequence(ds.rows, "AESEQ", ("AETERM",))
    return ds


def test_a_dataset_written_as_csv_and_xpt_reads_back_the_same(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ds = _dataset()
    assert [(r["USUBJID"], r["AESEQ"]) for r in ds.rows] == [("S-1", 1.0), ("S-1", 2.0), ("S-2", 1.0)]
    supp = supplemental(ds, "S")
    assert supp is not None and supp.name == "SUPPAE"
    assert [(r["QNAM"], r["IDVARVAL"]) for r in supp.rows] == [("AETERM1", "2"), ("AEX", "1")]
    long_row = ds.rows[1]
    assert long_row["AETERM"] + supp.rows[0]["QVAL"] == "Rash " + "y" * 300
    write_csv(ds, tmp_path / "ae.csv")
    write_xpt(ds, tmp_path / "ae.xpt")
    frame, meta = pyreadstat.read_xport(str(tmp_path / "ae.xpt"))
    assert meta.table_name == "AE" and meta.file_label == "Adverse Events"
    assert meta.column_labels == [v.label for v in ds.variables]
    assert meta.variable_storage_width["AETERM"] == 200
    with (tmp_path / "ae.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row, (_, x) in zip(rows, frame.iterrows(), strict=True):
        assert row["AETERM"] == x["AETERM"] and float(row["AESEQ"]) == x["AESEQ"]
        assert (row["AESTDY"] == "" and math.isnan(x["AESTDY"])) or float(row["AESTDY"]) == x["AESTDY"]
    # Sequence and study-day numbers are whole: the CSV writes them so (the XPT keeps its floats).
    assert [r["AESEQ"] for r in rows] == ["1", "2", "1"]
    assert all("." not in r["AESTDY"] for r in rows)


def test_numbers_as_text_are_never_rounded() -> None:
    assert number_text(12.0) == "12" and number_text(0.1) == "0.1" and number_text(1234.5678) == "1234.5678"


def test_awareness_exported_is_the_earliest_of_any_version() -> None:
    # A follow-up moved the awareness a day later: ICH E2A day 0 is still the first knowledge, so
    # AEAWRDTC is the earliest and the corrected time is kept beside it, and the late flag agrees.
    from bedside_adapters.sdtm.events import _qualifiers
    from bedside_adapters.sdtm.model import iso

    t = 1_700_000_000.0
    ae = {
        "seriousness": ["life_threatening"],
        "awareness": t + 90_000,
        "clock_awareness": t + 600,
        "sent_at": t + 100_000,
    }
    got = {q: v for q, _label, v, _origin in _qualifiers(listed(**ae))}  # type: ignore[arg-type]
    assert got["AEAWRDTC"] == iso(t + 600)
    assert got["AEAWRCDT"] == iso(t + 90_000)
    assert (got["AERPTDTC"], got["AERPTLT"]) == (iso(t + 100_000), "Y")
    # Awareness never corrected: one time, no second qualifier.
    same = {q for q, *_ in _qualifiers(listed(**{**ae, "awareness": t + 600}))}  # type: ignore[arg-type]
    assert "AEAWRDTC" in same and "AEAWRCDT" not in same and "AEAWRRSN" not in same


def test_the_reason_an_awareness_was_corrected_is_its_own_qualifier() -> None:
    """SUPPAE AEAWRRSN: the latest correcting version's reason, from its own field (ASCII)."""
    from bedside_adapters.sdtm.events import _qualifiers

    t = 1_700_000_000.0
    history = [
        {"version": 1, "awareness": t + 600, "awareness_reason": None},
        {"version": 2, "awareness": t + 9000, "awareness_reason": "la nota de planta tenía mal la fecha"},
        {"version": 3, "awareness": t + 9000, "awareness_reason": None},
    ]
    ae = listed(seriousness=["hospitalisation"], awareness=t + 9000, clock_awareness=t + 600, history=history)
    got = {q: v for q, _label, v, _origin in _qualifiers(ae)}
    assert got["AEAWRRSN"] == "la nota de planta tenia mal la fecha"


def test_aeseq_stays_the_same_when_an_earlier_event_is_added() -> None:
    # SUPPAE points at its AE row through AESEQ: an event documented later with an earlier onset
    # must not renumber the events exported before.
    from types import SimpleNamespace

    from bedside_adapters.sdtm.common import Study
    from bedside_adapters.sdtm.events import adverse_events

    t = 1_700_000_000.0

    def event(number: int, onset: float) -> ListedAdverseEvent:
        return listed(
            id=number,
            term=f"Event {number}",
            grade=2,
            relatedness="unrelated",
            onset=onset,
            reported_at=onset + 60,
            awareness=onset + 60,
        )

    def aeseq(events: list[ListedAdverseEvent]) -> dict[str, float]:
        record = SimpleNamespace(
            ref=PatientRef("MRN1", "H"),
            review=SimpleNamespace(doses=[], adverse_events=events, outcomes=SimpleNamespace(died=None)),
        )
        ds = adverse_events(Study("STUDY", "01"), [record])  # type: ignore[list-item]
        return {str(r["AESPID"]): float(r["AESEQ"]) for r in ds.rows}  # type: ignore[arg-type]

    before = aeseq([event(7, t + 3600)])
    after = aeseq([event(7, t + 3600), event(9, t)])
    assert after["7"] == before["7"]
    # 1, 2 … for the subject whatever the database's ids (another patient's events took 8).
    assert after == {"7": 1.0, "9": 2.0}


def test_a_corrected_death_is_one_disposition_the_one_in_force() -> None:
    # A death entered, then entered again at a corrected time: the later entry is in force (as the
    # outcomes read it), and the superseded one is not a second disposition.
    from types import SimpleNamespace

    from bedside_adapters.sdtm.common import Study
    from bedside_adapters.sdtm.subject import disposition

    from bedside.review import CourseEvent

    t = 1_700_000_000.0
    events = [  # in the order they were entered
        CourseEvent("extubation", t),
        CourseEvent("death", t + 7200),
        CourseEvent("death", t + 3600),
    ]
    review = SimpleNamespace(
        doses=[], events=events, outcomes=SimpleNamespace(discharged=None), outcome_set=[]
    )
    ds = disposition(Study("STUDY", "01"), [SimpleNamespace(ref=PatientRef("MRN1", "H"), review=review)])  # type: ignore[list-item]
    # The extubation is a procedure: in PR, not a disposition.
    assert [(r["DSDECOD"], r["DSSTDTC"]) for r in ds.rows] == [("DEATH", iso(t + 3600))]


def test_a_fatal_event_ends_at_the_death_never_before_it() -> None:
    # DTHDTC is the recorded death: a fatal event's AEENDTC is that time, derived and said so when no
    # end equal to it was entered; an end entered before the death is kept beside it, not exported as
    # the end. Another outcome's end is the one entered.
    from types import SimpleNamespace

    from bedside_adapters.sdtm.common import Study
    from bedside_adapters.sdtm.events import adverse_events

    t = 1_700_000_000.0
    died = t + 10 * 3600

    def event(number: int, outcome: str, end: float | None) -> ListedAdverseEvent:
        grade = 5 if outcome == "fatal" else 3
        return listed(id=number, term=f"Event {number}", grade=grade, relatedness="unrelated",
                      onset=t, reported_at=t + 60, awareness=t + 60, outcome=outcome, end=end)  # fmt: skip

    events = [
        event(1, "fatal", t + 3600),
        event(2, "fatal", None),
        event(3, "fatal", died),
        event(4, "recovered", t + 3600),
    ]
    review = SimpleNamespace(doses=[], adverse_events=events, outcomes=SimpleNamespace(died=died))
    ds = adverse_events(Study("STUDY", "01"), [SimpleNamespace(ref=PatientRef("MRN1", "H"), review=review)])  # type: ignore[list-item]
    rows = {str(r["AESPID"]): r for r in ds.rows}
    supp = {k: {q: v for q, _label, v, _o in r[SUPP_KEY]} for k, r in rows.items()}  # type: ignore[union-attr]
    assert [rows[k]["AEENDTC"] for k in "1234"] == [iso(died), iso(died), iso(died), iso(t + 3600)]
    assert supp["1"]["AEENDDRV"] == "Y" and supp["1"]["AEENDREC"] == iso(t + 3600)
    assert supp["2"]["AEENDDRV"] == "Y" and "AEENDREC" not in supp["2"]
    assert "AEENDDRV" not in supp["3"] and "AEENDDRV" not in supp["4"]


def test_a_period_running_at_the_death_ends_there_marked_derived() -> None:
    # Ventilation (and ECMO) with no end entered when the patient died: PRENDTC is the death's
    # time with SUPPPR PRENDDRV Y; no extubation is invented; a period ended before stays as entered.
    from types import SimpleNamespace

    from bedside_adapters.sdtm.common import Study
    from bedside_adapters.sdtm.procedures import procedures

    from bedside.review import CourseEvent

    t = 1_700_000_000.0
    died = t + 5 * 86400
    events = [
        CourseEvent("intubation", t),
        CourseEvent("ecmo_start", t + 86400),
        CourseEvent("ecmo_end", t + 2 * 86400),
        CourseEvent("rrt_start", t + 3 * 86400),
        CourseEvent("death", died),
    ]
    outcomes = SimpleNamespace(died=died, ventilation=[(t, None)], reintubations=[])
    review = SimpleNamespace(doses=[], events=events, outcomes=outcomes)
    ds = procedures(Study("STUDY", "01"), [SimpleNamespace(ref=PatientRef("MRN1", "H"), review=review)])  # type: ignore[list-item]
    by_trt = {str(r["PRTRT"]): r for r in ds.rows}
    assert "EXTUBATION" not in by_trt
    for trt in ("INVASIVE MECHANICAL VENTILATION", "RENAL REPLACEMENT THERAPY"):
        assert by_trt[trt]["PRENDTC"] == iso(died), trt
        assert ("PRENDDRV", "End Derived from the Recorded Death", "Y", "Derived") in by_trt[trt][SUPP_KEY]  # type: ignore[operator]
    ecmo = by_trt["EXTRACORPOREAL MEMBRANE OXYGENATION"]
    assert ecmo["PRENDTC"] == iso(t + 2 * 86400)
    assert all(q[0] != "PRENDDRV" for q in ecmo[SUPP_KEY])  # type: ignore[union-attr]
    assert by_trt["ENDOTRACHEAL INTUBATION"]["PRENDTC"] == ""


def test_the_meddra_code_recorded_is_exported() -> None:
    """SUPPAE AEMDRCD: the code as recorded (its level is not recorded, so not AELLTCD or AEPTCD)."""
    from bedside_adapters.sdtm.events import _qualifiers

    got = {q: (label, v) for q, label, v, _origin in _qualifiers(listed(meddra_code="10021097"))}
    assert got["AEMDRCD"] == ("MedDRA Code as Recorded (Level Unknown)", "10021097")
    assert "AEMDRCD" not in {q for q, *_ in _qualifiers(listed(meddra_code=""))}


def test_every_seq_is_the_same_whatever_order_the_database_returns_rows_in() -> None:
    # Two temperatures charted by hand in one minute at two sites tie on VSDTC, VSTESTCD and
    # VSMETHOD; two results of one test at one time tie on LBDTC and LBTESTCD. The database may
    # return them in either order: each record keeps its --SEQ in every export.
    from types import SimpleNamespace

    from bedside_adapters.sdtm.common import Study
    from bedside_adapters.sdtm.findings import laboratory, vital_signs
    from bedside_adapters.sdtm.source import HourlyVital

    t = at("2026-03-02T15:30:00")
    vitals = [
        HourlyVital("temp", "Cel", t + 5, 38.1, 1, True, "tympanic"),
        HourlyVital("temp", "Cel", t + 20, 39.9, 1, True, "bladder"),
        HourlyVital("temp", "Cel", t - 1800, 38.0, 60),
    ]

    def lab(order: str, value: str) -> dict:
        return {
            "analyte": "lactate",
            "code": "2524-7",
            "code_system": "LN",
            "sub_id": "1",
            "value": float(value),
            "comparator": "",
            "unit": "mmol/L",
            "value_as_sent": value,
            "unit_as_sent": "mmol/L",
            "reference_range": "",
            "abnormal_flags": "",
            "current": True,
            "retracted": False,
            "observed_at": t,
            "filler_order": order,
        }

    labs = [lab("A-1", "2.1"), lab("B-7", "4.5")]

    def numbered(vs: list[HourlyVital], results: list[dict]) -> tuple[dict, dict]:
        record = SimpleNamespace(
            ref=PatientRef("MRN1", "H"), review=SimpleNamespace(doses=[]), vitals=vs, labs=results
        )
        v = vital_signs(Study("STUDY", "01"), [record])  # type: ignore[list-item]
        lb = laboratory(Study("STUDY", "01"), [record])  # type: ignore[list-item]
        assert all("_source" not in r for r in [*v.rows, *lb.rows])
        return (
            {r["VSORRES"]: r["VSSEQ"] for r in v.rows},
            {r["LBREFID"]: r["LBSEQ"] for r in lb.rows},
        )

    first = numbered(vitals, labs)
    again = numbered(list(reversed(vitals)), list(reversed(labs)))
    assert first == again
    # By time first: the hour's median, then the two charted at 15:30 in the order they were taken.
    assert first[0] == {"38": 1.0, "38.1": 2.0, "39.9": 3.0}
    assert sorted(first[1].values()) == [1.0, 2.0]


def test_vsseq_renumbers_after_an_earlier_addition_and_suppvs_follows() -> None:
    # docs/sdtm-export.md: VS and LB are numbered in time order, so a value added earlier in time
    # than rows already exported (a vital charted late) renumbers the later rows in the next export;
    # within one export SUPPVS still names the right row, and the same data numbers the same.
    from types import SimpleNamespace

    from bedside_adapters.sdtm.common import Study
    from bedside_adapters.sdtm.findings import vital_signs
    from bedside_adapters.sdtm.source import HourlyVital

    t = at("2026-03-02T15:00:00")
    later = [
        HourlyVital("hr", "/min", t + 3600, 88.0, 60),
        HourlyVital("temp", "Cel", t + 4000, 38.4, 1, True, "oral"),
    ]
    charted_late = HourlyVital("temp", "Cel", t + 60, 37.2, 1, True, "axilla")

    def export(vs: list[HourlyVital]) -> tuple[dict[str, float], list[tuple[str, str]]]:
        record = SimpleNamespace(ref=PatientRef("MRN1", "H"), review=SimpleNamespace(doses=[]), vitals=vs)
        ds = vital_signs(Study("STUDY", "01"), [record])  # type: ignore[list-item]
        seqs = {str(r["VSORRES"]): float(r["VSSEQ"]) for r in ds.rows}  # type: ignore[arg-type]
        supp = supplemental(ds, "STUDY")
        assert supp is not None
        by_seq = {float(r["VSSEQ"]): str(r["VSORRES"]) for r in ds.rows}  # type: ignore[arg-type]
        manual = [
            (by_seq[float(str(r["IDVARVAL"]))], str(r["QVAL"])) for r in supp.rows if r["QNAM"] == "VSSRC"
        ]
        return seqs, manual

    before, _manual = export(later)
    assert export(list(reversed(later)))[0] == before == {"88": 1.0, "38.4": 2.0}
    after, manual = export([charted_late, *later])
    assert after == {"37.2": 1.0, "88": 2.0, "38.4": 3.0}
    assert sorted(manual) == [("37.2", "MANUAL"), ("38.4", "MANUAL")]


def test_an_uncoded_term_exports_its_grade_with_the_ctcae_version_and_no_decod() -> None:
    # Every grade is a CTCAE v5.0 grade, the term coded or not: AETOXVER goes with every AETOXGR.
    # A term outside the coded list stays empty in AEDECOD (uncoded until MedDRA coding): the
    # verbatim term is AETERM's, never a dictionary-derived one.
    from types import SimpleNamespace

    from bedside_adapters.sdtm.common import Study
    from bedside_adapters.sdtm.events import _qualifiers, adverse_events

    uncoded = listed(term="Tongue swelling after suction", grade=2, ctcae_term=None, ctcae_version=None)
    coded = listed(id=2, term="Hypotension", grade=3, ctcae_term="Hypotension", ctcae_version="5.0")
    for event in (uncoded, coded):
        toxver = {q: v for q, _label, v, _origin in _qualifiers(event)}["AETOXVER"]  # type: ignore[arg-type]
        assert toxver == "5.0"
    record = SimpleNamespace(
        ref=PatientRef("MRN1", "H"),
        review=SimpleNamespace(
            doses=[], adverse_events=[uncoded, coded], outcomes=SimpleNamespace(died=None)
        ),
    )
    ds = adverse_events(Study("STUDY", "01"), [record])  # type: ignore[list-item]
    rows = {str(r["AESPID"]): r for r in ds.rows}
    assert (rows["1"]["AETERM"], rows["1"]["AEDECOD"], rows["1"]["AETOXGR"]) == (
        "Tongue swelling after suction",
        "",
        "2",
    )
    assert rows["2"]["AEDECOD"] == "Hypotension"
    (decod,) = [v for v in ds.variables if v.name == "AEDECOD"]
    assert "uncoded until the sponsor's MedDRA coding" in decod.note


@pytest.mark.parametrize(
    ("toml", "exported", "why"),
    [
        ('country = "ESP"\n', "ESP", ""),
        ('country = "es"\n', "", "must be an ISO 3166-1 alpha-3 code"),
        ('[arm]\ncode = "A"\n', "", "resources/study.toml country is not set"),
        (None, "", "resources/study.toml is missing"),
    ],
)
def test_dm_country_is_the_configured_one_or_empty_saying_why(tmp_path, toml, exported, why) -> None:  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    from bedside_adapters.sdtm.common import Study, configured_country
    from bedside_adapters.sdtm.subject import demographics

    path = tmp_path / "study.toml"
    if toml is not None:
        path.write_text(toml, "utf-8")
    study = Study("STUDY", "01", country=configured_country(path))
    record = SimpleNamespace(
        ref=PatientRef("MRN1", "H"),
        review=SimpleNamespace(doses=[], outcomes=SimpleNamespace(died=None)),
        birth_date="",
        sex="F",
    )
    ds = demographics(study, [record])  # type: ignore[list-item]
    (row,) = ds.rows
    assert row["COUNTRY"] == exported
    supp = {q: v for q, _label, v, _origin in row[SUPP_KEY]}  # type: ignore[union-attr]
    assert (why in supp["CNTRYMIS"]) if why else ("CNTRYMIS" not in supp)
