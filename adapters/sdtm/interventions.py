"""EX (the study product's doses, from Bedside's infusion episodes) and CM (co-medication)."""

from __future__ import annotations

import math
import re

from bedside_adapters.sdtm.common import Study, identifiers
from bedside_adapters.sdtm.model import Dataset, Variable, ascii_text, iso, sequence, study_day
from bedside_adapters.sdtm.source import SubjectRecord
from bedside_adapters.sdtm.terms import sdtm_unit
from bedside_adapters.sdtm.writer import SUPP_KEY

from bedside.status import DoseInfo

CONFIRMED_STATES = ("confirmed",)
"""A dose a clinician confirmed. The others exported are a device's or the eMAR's start not yet
confirmed (candidate) and one nobody confirmed within the configured time, used as the dose
(accepted): the review and the rules count them as doses, and SUPPEX says they are unconfirmed."""

_LABEL_DOSE = re.compile(r"\s*\bdose\s+(\d+)\b", re.IGNORECASE)
_LABEL_CELLS = re.compile(r"\s*\b(\d+(?:\.\d+)?)\s*[eE]\s*\+?(\d+)\s*(?:cells)?\s*/\s*kg\b")
"""A pump's drug label often carries the dose number and the cell dose ('AT-MSC dose 1 1.0e6/kg'),
read as the review's dose heading reads them (bedside.units.dose_heading)."""


def exported_doses(record: SubjectRecord) -> list[DoseInfo]:
    """Every dose not cancelled as entered in error, in time order."""
    return sorted((d for d in record.review.doses if d.state != "cancelled"), key=lambda d: (d.start, d.dose))


def treatment(dose: DoseInfo) -> tuple[str, float | None, str]:
    """The product's name, the cells per kg, and where the cells per kg came from: as entered with
    the dose, else as written on the product's label; the name without the dose number and cell
    dose its label repeats."""
    product = dose.product.strip()
    number = _LABEL_DOSE.search(product)
    if number is not None and int(number.group(1)) == dose.dose:
        product = _LABEL_DOSE.sub("", product, count=1).strip()
    cells, origin = dose.cells_per_kg, "entered" if dose.cells_per_kg is not None else ""
    label = _LABEL_CELLS.search(product)
    if label is not None:
        written = float(label.group(1)) * 10 ** int(label.group(2))
        if cells is None or math.isclose(written, cells, rel_tol=0.01):
            cells, origin = (written, "label") if cells is None else (cells, origin)
            product = _LABEL_CELLS.sub("", product, count=1).strip()
    return product, cells, origin


def exposure(study: Study, records: list[SubjectRecord]) -> Dataset:
    ds = Dataset(
        "EX",
        "Exposure",
        [
            *identifiers("EX"),
            Variable("EXSEQ", "Sequence Number", "Num", "Derived", note="by EXSTDTC within the subject"),
            Variable(
                "EXSPID",
                "Sponsor-Defined Identifier",
                "Char",
                "Collected (infusion episode)",
                note="the dose's number in the subject's course (1, 2, ...)",
            ),
            Variable(
                "EXTRT",
                "Name of Treatment",
                "Char",
                "Collected (pump, eMAR or clinician)",
                note="the product as recorded with the dose, without the dose number and cell dose its "
                "label repeats",
            ),
            Variable(
                "EXDOSE",
                "Dose",
                "Num",
                "Collected (clinician or product label)",
                "cells/kg",
                "cells per kilogram as entered with the dose, else as the product's label writes it "
                "(SUPPEX EXDOSSRC says which); empty when neither gives it",
            ),
            Variable("EXDOSU", "Dose Units", "Char", "Assigned", "cells/kg"),
            Variable("EXDOSFRM", "Dose Form", "Char", "Assigned", "FRM (C66726): SUSPENSION"),
            Variable("EXROUTE", "Route of Administration", "Char", "Assigned", "ROUTE (C66729): INTRAVENOUS"),
            Variable(
                "EXSTDTC",
                "Start Date/Time of Treatment",
                "Char",
                "Collected (pump, eMAR or clinician)",
                "ISO 8601 (UTC)",
            ),
            Variable(
                "EXENDTC",
                "End Date/Time of Treatment",
                "Char",
                "Collected (pump, eMAR or clinician)",
                "ISO 8601 (UTC)",
                "empty while the dose runs",
            ),
            Variable(
                "EXSTDY",
                "Study Day of Start of Treatment",
                "Num",
                "Derived",
                note="SDTMIG 4.4.4 from RFSTDTC",
            ),
            Variable(
                "EXENDY", "Study Day of End of Treatment", "Num", "Derived", note="SDTMIG 4.4.4 from RFSTDTC"
            ),
        ],
        note="One row per dose of the study product, as the review counts them: every dose not cancelled "
        "as entered in error. SUPPEX EXCONF says whether a clinician confirmed it (N: a device's or "
        "the eMAR's start not yet confirmed, or used as the dose when nobody confirmed it in time).",
    )
    for record in records:
        doses = exported_doses(record)
        ref_start = doses[0].start if doses else None
        for d in doses:
            product, cells, source = treatment(d)
            supp = [
                (
                    "EXCONF",
                    "Dose Confirmed by a Clinician",
                    "Y" if d.state in CONFIRMED_STATES else "N",
                    "Collected",
                )
            ]
            if source:
                supp.append(("EXDOSSRC", "Source of the Dose", source, "Collected"))
            ds.rows.append(
                {
                    "STUDYID": study.studyid,
                    "DOMAIN": "EX",
                    "USUBJID": study.usubjid(record.ref),
                    "EXSEQ": None,
                    "EXSPID": str(d.dose),
                    "EXTRT": ascii_text(product) or "STUDY PRODUCT (NAME NOT RECORDED)",
                    "EXDOSE": cells,
                    "EXDOSU": "cells/kg" if cells is not None else "",
                    "EXDOSFRM": "SUSPENSION",
                    "EXROUTE": "INTRAVENOUS",
                    "EXSTDTC": iso(d.start),
                    "EXENDTC": iso(d.end),
                    "EXSTDY": study_day(d.start, ref_start),
                    "EXENDY": study_day(d.end, ref_start),
                    SUPP_KEY: supp,
                }
            )
    sequence(ds.rows, "EXSEQ", ("EXSTDTC", "EXSPID"))
    return ds


ROUTES = {
    "IV": "INTRAVENOUS",
    "PO": "ORAL",
    "SC": "SUBCUTANEOUS",
    "IM": "INTRAMUSCULAR",
    "NG": "NASOGASTRIC",
    "INH": "RESPIRATORY (INHALATION)",
    "PR": "RECTAL",
    "TOP": "TOPICAL",
}
"""HL7 table 0162's route codes as CDISC Controlled Terminology ROUTE (C66729); another route is
kept as sent."""


def concomitant(study: Study, records: list[SubjectRecord]) -> Dataset:
    ds = Dataset(
        "CM",
        "Concomitant/Concomitant Medications",
        [
            *identifiers("CM"),
            Variable("CMSEQ", "Sequence Number", "Num", "Derived", note="by CMSTDTC within the subject"),
            Variable(
                "CMSPID",
                "Sponsor-Defined Identifier",
                "Char",
                "Assigned",
                note="the record's number in Bedside",
            ),
            Variable(
                "CMTRT",
                "Reported Name of Drug, Med, or Therapy",
                "Char",
                "Collected (eMAR RXA-5, pharmacy RXE-2 or clinician)",
            ),
            Variable(
                "CMCLAS",
                "Medication Class",
                "Char",
                "Assigned",
                "CORTICOSTEROID; IMMUNOMODULATOR; ANTIPYRETIC; ANTICOAGULANT; VASOPRESSOR; "
                "ANTIHISTAMINE; OTHER",
                "resources/co_medication.toml (by ATC code, else by name)",
            ),
            Variable(
                "CMCLASCD",
                "Medication Class Code",
                "Char",
                "Collected (eMAR or pharmacy)",
                "WHO ATC",
                "the ATC code when the sender coded the drug in ATC, or the catalogue's for a drug a "
                "clinician entered by a name resources/co_medication.toml knows",
            ),
            Variable(
                "CMDOSE",
                "Dose per Administration",
                "Num",
                "Collected (eMAR RXA-6 or clinician)",
                note="for an infusion, its rate (CMDOSU per minute or hour)",
            ),
            Variable(
                "CMDOSTXT",
                "Dose Description",
                "Char",
                "Collected (eMAR or clinician)",
                note="the amount as sent when it is not a number",
            ),
            Variable(
                "CMDOSU",
                "Dose Units",
                "Char",
                "Collected (eMAR RXA-7 or clinician)",
                "UCUM as SDTM writes it",
            ),
            Variable(
                "CMROUTE",
                "Route of Administration",
                "Char",
                "Collected (eMAR or clinician)",
                "ROUTE (C66729) from HL7 table 0162; another route as sent",
            ),
            Variable(
                "CMSTDTC",
                "Start Date/Time of Medication",
                "Char",
                "Collected (eMAR or clinician)",
                "ISO 8601 (UTC)",
            ),
            Variable(
                "CMENDTC",
                "End Date/Time of Medication",
                "Char",
                "Collected (eMAR or clinician)",
                "ISO 8601 (UTC)",
                "empty for a single dose",
            ),
            Variable(
                "CMSTDY",
                "Study Day of Start of Medication",
                "Num",
                "Derived",
                note="SDTMIG 4.4.4 from RFSTDTC",
            ),
        ],
        note="Each co-medication administration Bedside holds (from the eMAR's RAS^O17 or entered by a "
        "clinician). Pharmacy orders (RDE^O11) not confirmed as given are not exported: an order is "
        "not an administration. SUPPCM CMSRC says where each row came from.",
    )
    for record in records:
        doses = exported_doses(record)
        ref_start = doses[0].start if doses else None
        for m in record.medications:
            if m.status != "given":
                continue
            atc = m.code if m.code_system.upper() == "ATC" else ""
            ds.rows.append(
                {
                    "STUDYID": study.studyid,
                    "DOMAIN": "CM",
                    "USUBJID": study.usubjid(record.ref),
                    "CMSEQ": None,
                    "CMSPID": "" if m.id is None else str(m.id),
                    "CMTRT": ascii_text(m.label),
                    "CMCLAS": str(m.drug_class.value).upper(),
                    "CMCLASCD": atc,
                    "CMDOSE": m.dose,
                    "CMDOSTXT": ascii_text(m.dose_as_sent) if m.dose is None else "",
                    "CMDOSU": sdtm_unit(m.unit) if m.unit else "",
                    "CMROUTE": ROUTES.get(m.route.upper(), ascii_text(m.route)),
                    "CMSTDTC": iso(m.start),
                    "CMENDTC": iso(m.end),
                    "CMSTDY": study_day(m.start, ref_start),
                    SUPP_KEY: [
                        ("CMSRC", "Source of the Record", SOURCES.get(str(m.source.value), ""), "Assigned")
                    ],
                }
            )
    sequence(ds.rows, "CMSEQ", ("CMSTDTC", "CMSPID"))
    return ds


SOURCES = {"ras": "eMAR administration (RAS^O17)", "rde": "pharmacy order (RDE^O11)", "entered": "entered"}
