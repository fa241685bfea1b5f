"""DM (demographics: one row per subject) and DS (disposition: death, extubation, ICU discharge)."""

from __future__ import annotations

from bedside_adapters.sdtm.common import ORIGIN_BEDSIDE, Study, identifiers
from bedside_adapters.sdtm.interventions import exported_doses
from bedside_adapters.sdtm.model import Dataset, Variable, iso, sequence, study_day
from bedside_adapters.sdtm.source import SubjectRecord

NOT_HELD = "Not available: Bedside does not receive it"


def reference_start(record: SubjectRecord) -> float | None:
    """RFSTDTC: the start of the first dose of the study product exported in EX."""
    doses = exported_doses(record)
    return doses[0].start if doses else None


def demographics(study: Study, records: list[SubjectRecord]) -> Dataset:
    ds = Dataset(
        "DM",
        "Demographics",
        [
            *identifiers("DM"),
            Variable(
                "SUBJID",
                "Subject Identifier for the Study",
                "Char",
                "Collected (HL7 PID-3)",
                note="the hospital identifier (MRN), or the subject number --subject maps it to",
            ),
            Variable(
                "RFSTDTC",
                "Subject Reference Start Date/Time",
                "Char",
                "Derived",
                "ISO 8601 (UTC)",
                "start of the first dose (EX)",
            ),
            Variable(
                "RFENDTC",
                "Subject Reference End Date/Time",
                "Char",
                "Derived",
                "ISO 8601 (UTC)",
                "end of the last dose (EX); empty while it runs",
            ),
            Variable(
                "RFXSTDTC",
                "Date/Time of First Study Treatment",
                "Char",
                "Derived",
                "ISO 8601 (UTC)",
                "as RFSTDTC",
            ),
            Variable(
                "RFXENDTC",
                "Date/Time of Last Study Treatment",
                "Char",
                "Derived",
                "ISO 8601 (UTC)",
                "as RFENDTC",
            ),
            Variable(
                "DTHDTC",
                "Date/Time of Death",
                "Char",
                "Collected (course event)",
                "ISO 8601 (UTC)",
                "the death entered by a clinician",
            ),
            Variable("DTHFL", "Subject Death Flag", "Char", "Derived", "NY (C66742): Y or empty"),
            Variable("SITEID", "Study Site Identifier", "Char", ORIGIN_BEDSIDE, note="--site"),
            Variable("AGE", "Age", "Num", NOT_HELD, note="empty: the birth date is not kept"),
            Variable(
                "SEX",
                "Sex",
                "Char",
                "Assigned",
                "SEX (C66731): U",
                "U (unknown): Bedside does not keep PID-8",
            ),
            Variable(
                "ARMCD",
                "Planned Arm Code",
                "Char",
                NOT_HELD,
                note="empty: the trial's randomisation holds the arm",
            ),
            Variable("ARM", "Description of Planned Arm", "Char", NOT_HELD, note="empty, as ARMCD"),
            Variable("ACTARMCD", "Actual Arm Code", "Char", NOT_HELD, note="empty, as ARMCD"),
            Variable("ACTARM", "Description of Actual Arm", "Char", NOT_HELD, note="empty, as ARMCD"),
        ],
        note="One row per subject. Names are never exported. Age, sex and arm are not held by Bedside "
        "and come from the trial's own records.",
    )
    for record in records:
        doses = exported_doses(record)
        first = doses[0].start if doses else None
        last = doses[-1].end if doses else None
        died = record.review.outcomes.died
        ds.rows.append(
            {
                "STUDYID": study.studyid,
                "DOMAIN": "DM",
                "USUBJID": study.usubjid(record.ref),
                "SUBJID": study.subjid(record.ref),
                "RFSTDTC": iso(first),
                "RFENDTC": iso(last),
                "RFXSTDTC": iso(first),
                "RFXENDTC": iso(last),
                "DTHDTC": iso(died),
                "DTHFL": "Y" if died is not None else "",
                "SITEID": study.siteid,
                "AGE": None,
                "SEX": "U",
                "ARMCD": "",
                "ARM": "",
                "ACTARMCD": "",
                "ACTARM": "",
            }
        )
    ds.rows.sort(key=lambda row: str(row["USUBJID"]))
    return ds


DISPOSITIONS = {
    # course event kind: (DSTERM, DSDECOD, DSCAT)
    "death": ("DEATH", "DEATH", "DISPOSITION EVENT"),
    "extubation": ("EXTUBATION", "EXTUBATION", "OTHER EVENT"),
    "icu_discharge": ("DISCHARGED FROM THE ICU", "ICU DISCHARGE", "OTHER EVENT"),
}


def disposition(study: Study, records: list[SubjectRecord]) -> Dataset:
    ds = Dataset(
        "DS",
        "Disposition",
        [
            *identifiers("DS"),
            Variable("DSSEQ", "Sequence Number", "Num", "Derived", note="by DSSTDTC within the subject"),
            Variable(
                "DSTERM",
                "Reported Term for the Disposition Event",
                "Char",
                "Collected (course event)",
                "DEATH; EXTUBATION; DISCHARGED FROM THE ICU; DISCHARGED FROM THE ICU (ADT)",
            ),
            Variable(
                "DSDECOD",
                "Standardized Disposition Term",
                "Char",
                "Assigned",
                "DEATH (NCOMPLT C66727); EXTUBATION, ICU DISCHARGE (Bedside's)",
            ),
            Variable(
                "DSCAT",
                "Category for Disposition Event",
                "Char",
                "Assigned",
                "DSCAT (C74558): DISPOSITION EVENT, OTHER EVENT",
            ),
            Variable(
                "DSSTDTC",
                "Start Date/Time of Disposition Event",
                "Char",
                "Collected (course event)",
                "ISO 8601 (UTC)",
            ),
            Variable(
                "DSSTDY",
                "Study Day of Start of Disposition Event",
                "Num",
                "Derived",
                note="SDTMIG 4.4.4 from RFSTDTC",
            ),
        ],
        note="Each death, extubation and ICU discharge a clinician entered; of a death entered more "
        "than once (a corrected time), only the latest entry, the one in force. With neither a discharge nor "
        "a death entered, the ADT discharge is exported and says so (DSTERM ends in (ADT)), unless ADT "
        "reported the patient's death (PV1-36 expired, PID-30) and no investigator has confirmed it: then "
        "no ADT discharge row is exported (it would call a possible death a discharge alive) until the "
        "death is confirmed (a DEATH row) or the ADT report is cancelled. An extubation the ventilator "
        "data only suggest (not confirmed) is not exported.",
    )
    for record in records:
        ref_start = reference_start(record)
        usubjid = study.usubjid(record.ref)
        entered = [e for e in record.review.events if e.kind in DISPOSITIONS]
        # A death entered again (a corrected time) supersedes the earlier entry, as the outcomes
        # read it: only the death in force, the latest entered, is a disposition.
        deaths = [e for e in entered if e.kind == "death"]
        entered = [e for e in entered if e.kind != "death" or e is deaths[-1]]
        for event in entered:
            term, decod, cat = DISPOSITIONS[event.kind]
            ds.rows.append(_ds_row(study, usubjid, term, decod, cat, event.at, ref_start))
        # A discharge is taken from ADT only when no death is entered and ADT reported none waiting
        # for an investigator's confirmation, so a death is never exported as a discharge alive.
        discharged = record.review.outcomes.discharged
        unconfirmed_death = any(o.key == "death_adt" for o in record.review.outcome_set)
        if (
            discharged is not None
            and not unconfirmed_death
            and not any(e.kind in ("icu_discharge", "death") for e in entered)
        ):
            term, decod, cat = DISPOSITIONS["icu_discharge"]
            ds.rows.append(_ds_row(study, usubjid, term + " (ADT)", decod, cat, discharged, ref_start))
    sequence(ds.rows, "DSSEQ", ("DSSTDTC", "DSTERM"))
    return ds


def _ds_row(
    study: Study, usubjid: str, term: str, decod: str, cat: str, at: float, ref_start: float | None
) -> dict:
    return {
        "STUDYID": study.studyid,
        "DOMAIN": "DS",
        "USUBJID": usubjid,
        "DSSEQ": None,
        "DSTERM": term,
        "DSDECOD": decod,
        "DSCAT": cat,
        "DSSTDTC": iso(at),
        "DSSTDY": study_day(at, ref_start),
    }
