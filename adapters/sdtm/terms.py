"""Bedside's analytes and vital-sign parameters as SDTM test codes, and UCUM units as SDTM writes
them. Test codes are those of CDISC Controlled Terminology (LBTESTCD C65047, VSTESTCD C66741) where
a code exists. The others (standard=False: a code Bedside made, or one this mapping could not
confirm in Controlled Terminology, for the trial's data manager to check against the version the
trial uses) follow its rules: at most 8 characters, upper-case letters and digits, not starting with
a digit (SDTMIG v3.3 section 4.5.3.1)."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class LabTest:
    testcd: str
    test: str
    category: str
    standard: bool = True
    """False: a code Bedside made for a test Controlled Terminology has no code for."""


LAB_TESTS: dict[str, LabTest] = {
    "crp": LabTest("CRP", "C Reactive Protein", "CHEMISTRY"),
    "hs_crp": LabTest("CRPHS", "C Reactive Protein, High Sensitivity", "CHEMISTRY", standard=False),
    "ferritin": LabTest("FERRITIN", "Ferritin", "CHEMISTRY"),
    "ddimer_feu": LabTest("DDIMER", "D-Dimer", "COAGULATION"),
    # D-dimer in D-dimer units is a different measurement from FEU (never converted into it): a code
    # of its own keeps one standard unit per test code.
    "ddimer_ddu": LabTest("DDIMDDU", "D-Dimer, D-Dimer Units", "COAGULATION", standard=False),
    "ldh": LabTest("LDH", "Lactate Dehydrogenase", "CHEMISTRY"),
    "lymphocytes": LabTest("LYM", "Lymphocytes", "HEMATOLOGY"),
    "cd3_abs": LabTest("CD3", "CD3 Cells", "IMMUNOLOGY"),
    "cd3_pct": LabTest("CD3LY", "CD3 Cells/Lymphocytes", "IMMUNOLOGY", standard=False),
    "cd4_abs": LabTest("CD4", "CD4 Cells", "IMMUNOLOGY"),
    "cd4_pct": LabTest("CD4LY", "CD4 Cells/Lymphocytes", "IMMUNOLOGY", standard=False),
    "cd8_abs": LabTest("CD8", "CD8 Cells", "IMMUNOLOGY"),
    "cd8_pct": LabTest("CD8LY", "CD8 Cells/Lymphocytes", "IMMUNOLOGY", standard=False),
    "cd19_abs": LabTest("CD19", "CD19 Cells", "IMMUNOLOGY"),
    "cd19_pct": LabTest("CD19LY", "CD19 Cells/Lymphocytes", "IMMUNOLOGY", standard=False),
    "pao2": LabTest("PO2", "Partial Pressure Oxygen", "BLOOD GAS"),
    "il6": LabTest("IL6", "Interleukin 6", "IMMUNOLOGY"),
    "fibrinogen": LabTest("FIBRINO", "Fibrinogen", "COAGULATION"),
    "platelets": LabTest("PLAT", "Platelets", "HEMATOLOGY"),
    "bilirubin": LabTest("BILI", "Bilirubin", "CHEMISTRY"),
    "creatinine": LabTest("CREAT", "Creatinine", "CHEMISTRY"),
}


NOT_LABS = frozenset({"gcs"})
"""Analytes the lab catalogue carries that are not laboratory tests: the Glasgow Coma Scale total is
a clinical score (SDTM's QS domain), not exported in LB."""


def lab_test(analyte: str) -> LabTest:
    """The test of an analyte key; one Bedside learns later (a site's labs.toml) gets a code made
    from its key, marked as not Controlled Terminology."""
    known = LAB_TESTS.get(analyte)
    if known is not None:
        return known
    code = re.sub(r"[^A-Z0-9]", "", analyte.upper())
    code = ("L" + code if not code or code[0].isdigit() else code)[:8]
    return LabTest(code, analyte, "OTHER", standard=False)


@dataclass(frozen=True)
class VitalTest:
    testcd: str
    test: str
    method: str = ""
    """How it was measured where the same test comes two ways (invasive and cuff pressures)."""
    unit: str = ""
    """The SDTM unit of the standard result (VSSTRESU)."""


VITAL_TESTS: dict[str, VitalTest] = {
    "hr": VitalTest("HR", "Heart Rate", "ECG", "beats/min"),
    "pr_spo2": VitalTest("PULSE", "Pulse Rate", "PULSE OXIMETRY", "beats/min"),
    # CDISC Controlled Terminology codes SpO2 as OXYSAT (Oxygen Saturation).
    "spo2": VitalTest("OXYSAT", "Oxygen Saturation", "PULSE OXIMETRY", "%"),
    "abp_sys": VitalTest("SYSBP", "Systolic Blood Pressure", "INVASIVE", "mmHg"),
    "abp_dia": VitalTest("DIABP", "Diastolic Blood Pressure", "INVASIVE", "mmHg"),
    "abp_mean": VitalTest("MAP", "Mean Arterial Pressure", "INVASIVE", "mmHg"),
    "nibp_sys": VitalTest("SYSBP", "Systolic Blood Pressure", "NON-INVASIVE", "mmHg"),
    "nibp_dia": VitalTest("DIABP", "Diastolic Blood Pressure", "NON-INVASIVE", "mmHg"),
    "nibp_mean": VitalTest("MAP", "Mean Arterial Pressure", "NON-INVASIVE", "mmHg"),
    "temp": VitalTest("TEMP", "Temperature", "", "C"),
    # A tympanic, axillary or oral reading is stored apart from core temperatures (it reads lower),
    # but it is the same test: the site, in VSLOC, tells them apart.
    "temp_peripheral": VitalTest("TEMP", "Temperature", "", "C"),
    "rr": VitalTest("RESP", "Respiratory Rate", "", "breaths/min"),
}
"""The parameters VS holds. The ventilator's settings and measurements are respiratory findings,
not vital signs, and the pump's rate belongs to the dose: neither goes to VS."""

_UNITS = {
    "mm[Hg]": "mmHg",
    "cm[H2O]": "cmH2O",
    "Cel": "C",
    "10*9/L": "10^9/L",
    "10*3/uL": "10^3/uL",
    "10*6/L": "10^6/L",
    "{score}": "",
    "1": "",
}


def sdtm_unit(ucum: str) -> str:
    """A UCUM unit as SDTM units are written (CDISC's UNIT codelist C71620 spells mmHg, C, 10^9/L):
    exponents with ^, brackets dropped, an annotation such as {FEU} kept as a word (mg/L FEU)."""
    if ucum in _UNITS:
        return _UNITS[ucum]
    unit = ucum.replace("10*", "10^").replace("[", "").replace("]", "")
    return re.sub(r"\{([^}]*)\}", lambda m: " " + m.group(1), unit).strip()
