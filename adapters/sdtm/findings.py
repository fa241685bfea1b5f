"""LB (laboratory results) and VS (vital signs, reduced to hourly medians)."""

from __future__ import annotations

import re

from bedside_adapters.sdtm.common import Study, identifiers
from bedside_adapters.sdtm.model import (
    SOURCE_KEY,
    Dataset,
    Variable,
    ascii_text,
    iso,
    number_text,
    sequence,
    study_day,
)
from bedside_adapters.sdtm.source import HOUR, HourlyVital, SubjectRecord
from bedside_adapters.sdtm.subject import reference_start
from bedside_adapters.sdtm.terms import NOT_LABS, VITAL_TESTS, VitalTest, lab_test, sdtm_unit
from bedside_adapters.sdtm.writer import SUPP_KEY

from bedside.labs import with_source_precision

_RANGE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*-\s*(-?\d+(?:\.\d+)?)\s*$")

NORMAL_FLAGS = {
    "H": "HIGH",
    "HH": "HIGH",
    "L": "LOW",
    "LL": "LOW",
    "N": "NORMAL",
    "A": "ABNORMAL",
    "AA": "ABNORMAL",
}
"""HL7 OBX-8 (table 0078) as LBNRIND (C78736)."""

LOINC_SYSTEMS = ("LN", "LOINC")


def exported_labs(record: SubjectRecord) -> list[dict]:
    """The result in force of each lab test: current (a correction replaced the earlier versions),
    not retracted, and of an analyte Bedside knows (a code it does not know has no test code)."""
    return [
        lab
        for lab in record.labs
        if lab["current"] and not lab["retracted"] and lab["analyte"] and lab["analyte"] not in NOT_LABS
    ]


def laboratory(study: Study, records: list[SubjectRecord]) -> Dataset:
    ds = Dataset(
        "LB",
        "Laboratory Test Results",
        [
            *identifiers("LB"),
            Variable(
                "LBSEQ", "Sequence Number", "Num", "Derived", note="by LBDTC, LBTESTCD within the subject"
            ),
            Variable(
                "LBREFID", "Specimen ID", "Char", "Collected (HL7 OBR-3)", note="the filler order number"
            ),
            Variable(
                "LBTESTCD",
                "Lab Test or Examination Short Name",
                "Char",
                "Assigned",
                "LBTESTCD (C65047) where it has the test; see docs/sdtm-export.md",
            ),
            Variable("LBTEST", "Lab Test or Examination Name", "Char", "Assigned", "LBTEST (C67154)"),
            Variable(
                "LBCAT",
                "Category for Lab Test",
                "Char",
                "Assigned",
                "CHEMISTRY; HEMATOLOGY; IMMUNOLOGY; COAGULATION; BLOOD GAS; OTHER",
            ),
            Variable(
                "LBLOINC",
                "LOINC Code",
                "Char",
                "Collected (HL7 OBX-3)",
                "LOINC",
                "empty when the lab coded the test otherwise",
            ),
            Variable(
                "LBORRES",
                "Result or Finding in Original Units",
                "Char",
                "Collected (HL7 OBX-5)",
                note="as received, with its comparator (<, >)",
            ),
            Variable("LBORRESU", "Original Units", "Char", "Collected (HL7 OBX-6)", "as received"),
            Variable("LBORNRLO", "Reference Range Lower Limit in Orig Unit", "Char", "Collected (HL7 OBX-7)"),
            Variable("LBORNRHI", "Reference Range Upper Limit in Orig Unit", "Char", "Collected (HL7 OBX-7)"),
            Variable(
                "LBSTRESC",
                "Character Result/Finding in Std Format",
                "Char",
                "Derived",
                note="in the standard unit; empty when the unit sent cannot be converted",
            ),
            Variable(
                "LBSTRESN",
                "Numeric Result/Finding in Standard Units",
                "Num",
                "Derived",
                note="empty for a result with a comparator or not convertible",
            ),
            Variable("LBSTRESU", "Standard Units", "Char", "Assigned", "resources/labs.toml's unit"),
            Variable(
                "LBNRIND",
                "Reference Range Indicator",
                "Char",
                "Collected (HL7 OBX-8)",
                "NRIND (C78736): HIGH; LOW; NORMAL; ABNORMAL",
            ),
            Variable(
                "LBDTC",
                "Date/Time of Specimen Collection",
                "Char",
                "Collected (HL7 OBX-14)",
                "ISO 8601 (UTC)",
            ),
            Variable(
                "LBDY", "Study Day of Specimen Collection", "Num", "Derived", note="SDTMIG 4.4.4 from RFSTDTC"
            ),
        ],
        note="The result in force of each test: a corrected result replaces the earlier version, a "
        "retracted one is left out, as are results of codes Bedside does not know and the Glasgow "
        "Coma Scale total (a clinical score, not a laboratory test).",
    )
    for record in records:
        ref_start = reference_start(record)
        for lab in exported_labs(record):
            test = lab_test(lab["analyte"])
            low, high = _range(lab["reference_range"])
            value, comparator = lab["value"], lab["comparator"]
            if value is not None:
                # A row stored before conversions kept the lab's precision: same rule as at ingest.
                value = with_source_precision(value, lab["value_as_sent"])
            ds.rows.append(
                {
                    # Two results of one test in one second (two specimens) are told apart by their
                    # exact time and their order.
                    SOURCE_KEY: (  # type: ignore[dict-item]
                        f"{lab['observed_at']:014.3f}",
                        lab["filler_order"],
                        lab["sub_id"],
                    ),
                    "STUDYID": study.studyid,
                    "DOMAIN": "LB",
                    "USUBJID": study.usubjid(record.ref),
                    "LBSEQ": None,
                    "LBREFID": ascii_text(lab["filler_order"]),
                    "LBTESTCD": test.testcd,
                    "LBTEST": test.test,
                    "LBCAT": test.category,
                    "LBLOINC": lab["code"] if lab["code_system"].upper() in LOINC_SYSTEMS else "",
                    "LBORRES": ascii_text(comparator + lab["value_as_sent"].strip()),
                    "LBORRESU": ascii_text(lab["unit_as_sent"]),
                    "LBORNRLO": low,
                    "LBORNRHI": high,
                    "LBSTRESC": "" if value is None else comparator + number_text(value),
                    "LBSTRESN": value if value is not None and not comparator else None,
                    "LBSTRESU": sdtm_unit(lab["unit"]) if value is not None else "",
                    "LBNRIND": NORMAL_FLAGS.get(lab["abnormal_flags"].strip().upper(), ""),
                    "LBDTC": iso(lab["observed_at"]),
                    "LBDY": study_day(lab["observed_at"], ref_start),
                }
            )
    sequence(ds.rows, "LBSEQ", ("LBDTC", "LBTESTCD"))
    made = sorted({str(r["LBTESTCD"]) for r in ds.rows} & {lab_test(k).testcd for k in _made_codes(records)})
    if made:
        ds.note += (
            f" Test codes Bedside made or could not confirm in Controlled Terminology: {', '.join(made)}."
        )
    return ds


def _made_codes(records: list[SubjectRecord]) -> set[str]:
    return {
        lab["analyte"] for r in records for lab in exported_labs(r) if not lab_test(lab["analyte"]).standard
    }


def _range(text: str) -> tuple[str, str]:
    match = _RANGE.match(text or "")
    return (match.group(1), match.group(2)) if match else ("", "")


VS_REDUCTION = (
    "Monitors report about every second: VS holds, for each parameter, the median of its values in "
    "each clock hour (UTC; VSDTC the hour's start, VSENDTC its end), robust to single artefacts. An "
    "hour without a value has no row, nor has the hour still running at the export. A value a "
    "clinician charted by hand is not in any median: it is a row of its own at its own time (VSDTC "
    "to the minute, no VSENDTC), with the temperature's site in VSLOC, and SUPPVS VSSRC 'MANUAL' "
    "(device rows have no VSSRC)."
)

TEMP_LOCATIONS = {
    "tympanic": "TYMPANIC MEMBRANE",
    "axillary": "AXILLA",
    "oral": "ORAL CAVITY",
    "rectal": "RECTUM",
    "bladder": "URINARY BLADDER",
    "oesophageal": "ESOPHAGUS",
}
"""The site a temperature was charted at, as CDISC Controlled Terminology LOC (C74456). A "core"
temperature with no site named has no LOC term: VSLOC is left empty rather than guessed."""


def vital_signs(study: Study, records: list[SubjectRecord]) -> Dataset:
    ds = Dataset(
        "VS",
        "Vital Signs",
        [
            *identifiers("VS"),
            Variable(
                "VSSEQ",
                "Sequence Number",
                "Num",
                "Derived",
                note="by VSDTC, VSTESTCD, VSMETHOD within the subject",
            ),
            Variable(
                "VSTESTCD",
                "Vital Signs Test Short Name",
                "Char",
                "Assigned",
                "VSTESTCD (C66741): HR; PULSE; OXYSAT; SYSBP; DIABP; MAP; TEMP; RESP",
            ),
            Variable("VSTEST", "Vital Signs Test Name", "Char", "Assigned", "VSTEST (C67153)"),
            Variable(
                "VSMETHOD",
                "Method of Test or Examination",
                "Char",
                "Assigned",
                "ECG; PULSE OXIMETRY; INVASIVE; NON-INVASIVE",
                "the device's method; for a value charted by hand only the method the entry implies "
                "(NON-INVASIVE for a cuff pressure), otherwise empty",
            ),
            Variable(
                "VSORRES",
                "Result or Finding in Original Units",
                "Char",
                "Derived",
                note="the hour's median, 6 significant digits; a value charted by hand as entered",
            ),
            Variable("VSORRESU", "Original Units", "Char", "Collected (HL7 OBX-6)", "UCUM as stored"),
            Variable(
                "VSSTRESC",
                "Character Result/Finding in Std Format",
                "Char",
                "Derived",
                note="as VSORRES; empty for a unit that is not the standard one",
            ),
            Variable("VSSTRESN", "Numeric Result/Finding in Standard Units", "Num", "Derived"),
            Variable("VSSTRESU", "Standard Units", "Char", "Assigned", "beats/min; %; mmHg; C; breaths/min"),
            Variable(
                "VSLOC",
                "Location of Vital Signs Measurement",
                "Char",
                "Collected (charted by hand)",
                "LOC (C74456): TYMPANIC MEMBRANE; AXILLA; ORAL CAVITY; RECTUM; URINARY BLADDER; ESOPHAGUS",
                "the site of a temperature charted by hand; empty for device values and a core "
                "temperature with no site named",
            ),
            Variable(
                "VSDTC",
                "Date/Time of Measurements",
                "Char",
                "Derived",
                "ISO 8601 (UTC)",
                "the start of the hour; for a value charted by hand its time, to the minute",
            ),
            Variable(
                "VSENDTC",
                "End Date/Time of Observation",
                "Char",
                "Derived",
                "ISO 8601 (UTC)",
                "the end of the hour; empty for a value charted by hand (a single measurement)",
            ),
            Variable("VSDY", "Study Day of Vital Signs", "Num", "Derived", note="SDTMIG 4.4.4 from RFSTDTC"),
        ],
        note=VS_REDUCTION,
    )
    for record in records:
        ref_start = reference_start(record)
        for v in record.vitals:
            test = VITAL_TESTS[v.parameter]
            text = f"{v.median:.6g}"
            standard = _same_unit(v.unit, test.unit)
            ds.rows.append(
                {
                    **_manual(v),
                    # VSDTC keeps a hand-charted value's minute only: two charted in one minute, or
                    # at two sites, are told apart by their exact time and series.
                    SOURCE_KEY: (f"{v.start:014.3f}", v.parameter, v.unit, v.site),  # type: ignore[dict-item]
                    "STUDYID": study.studyid,
                    "DOMAIN": "VS",
                    "USUBJID": study.usubjid(record.ref),
                    "VSSEQ": None,
                    "VSTESTCD": test.testcd,
                    "VSTEST": test.test,
                    "VSMETHOD": _method(v, test),
                    "VSORRES": text,
                    "VSORRESU": ascii_text(v.unit),
                    "VSSTRESC": text if standard else "",
                    "VSSTRESN": float(text) if standard else None,
                    "VSSTRESU": test.unit if standard else "",
                    "VSDTC": iso(v.start)[:16] if v.manual else iso(v.start),
                    "VSENDTC": "" if v.manual else iso(v.start + HOUR),
                    "VSDY": study_day(v.start, ref_start),
                }
            )
    sequence(ds.rows, "VSSEQ", ("VSDTC", "VSTESTCD", "VSMETHOD"))
    return ds


def _manual(v: HourlyVital) -> dict[str, object]:
    """VSLOC, and the qualifier that says a value was charted by hand (SDTMIG v3.3 section 8.4:
    a qualifier with no SDTM variable goes to SUPP--)."""
    if not v.manual:
        return {"VSLOC": ""}
    return {
        "VSLOC": TEMP_LOCATIONS.get(v.site, "") if v.parameter.startswith("temp") else "",
        SUPP_KEY: [("VSSRC", "Source of the Value", "MANUAL", "Assigned")],
    }


def _method(v: HourlyVital, test: VitalTest) -> str:
    """A device value's method; a value charted by hand carries only the method the entry implies
    (a cuff pressure is NON-INVASIVE): a counted heart rate was not taken from an ECG, and a charted
    SpO2's device is not known."""
    if v.manual and not v.parameter.startswith("nibp_"):
        return ""
    return test.method


def _same_unit(ucum: str, standard: str) -> bool:
    """Whether a value in `ucum` is already in the standard unit (Bedside stores each parameter in
    its canonical unit; another unit is left without a standard result rather than guessed)."""
    return sdtm_unit(ucum) == standard or (ucum == "/min" and standard.endswith("/min"))
