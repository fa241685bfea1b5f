"""DM (demographics: one row per subject) and DS (disposition: death, ICU discharge)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bedside_adapters.sdtm.common import ARM_SOURCE, COUNTRY_SOURCE, ORIGIN_BEDSIDE, Arm, Study, identifiers
from bedside_adapters.sdtm.interventions import exported_doses
from bedside_adapters.sdtm.model import Dataset, Variable, ascii_text, iso, sequence, study_day
from bedside_adapters.sdtm.source import SubjectRecord
from bedside_adapters.sdtm.writer import SUPP_KEY


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
            Variable(
                "AGE",
                "Age",
                "Num",
                "Derived",
                note="completed years from the birth date (HL7 PID-7) to the date of RFSTDTC (UTC); the "
                "birth date itself is not exported. Empty when no message sent a whole birth date or no "
                "dose was given (SUPPDM AGEMISS says which)",
            ),
            Variable("AGEU", "Age Units", "Char", "Assigned", "AGEU (C66781): YEARS", "empty with AGE"),
            Variable(
                "SEX",
                "Sex",
                "Char",
                "Collected (HL7 PID-8)",
                "SEX (C66731): M, F, U, UNDIFFERENTIATED",
                "HL7 table 0001 administrative sex: M, F, U as sent, A as UNDIFFERENTIATED, N, O and "
                "any other code as U (the code as sent in SUPPDM SEXHL7). U (unknown) when no message "
                "sent PID-8, with SUPPDM SEXMISS saying so: SDTMIG requires SEX, never empty",
            ),
            Variable(
                "ARMCD",
                "Planned Arm Code",
                "Char",
                f"Protocol ({ARM_SOURCE})",
                note="the study's single arm (open label): every subject's planned arm. Empty when "
                "the configuration has none (SUPPDM ARMMISS)",
            ),
            Variable(
                "ARM", "Description of Planned Arm", "Char", f"Protocol ({ARM_SOURCE})", note="as ARMCD"
            ),
            Variable(
                "ACTARMCD",
                "Actual Arm Code",
                "Char",
                "Derived",
                note="ARMCD once a dose of the study product was given (EX); empty with ARMNRS otherwise",
            ),
            Variable("ACTARM", "Description of Actual Arm", "Char", "Derived", note="as ACTARMCD"),
            Variable(
                "ARMNRS",
                "Reason Arm and/or Actual Arm is Null",
                "Char",
                "Derived",
                "ARMNULRS (C142179): ASSIGNED, NOT TREATED",
                "when the arm is configured and no dose was given",
            ),
            Variable(
                "COUNTRY",
                "Country",
                "Char",
                f"Protocol ({COUNTRY_SOURCE})",
                "ISO 3166-1 alpha-3",
                "the country of the site, as configured. Empty when the configuration has none "
                "(SUPPDM CNTRYMIS)",
            ),
        ],
        note="One row per subject. Names and the birth date are never exported. AGE is derived from "
        "the birth date ADT or result messages sent (PID-7) and SEX from their administrative sex "
        "(PID-8); the arm is the study's single arm and COUNTRY the site's country as "
        "resources/study.toml configures them. What is empty (or SEX unknown) because it was never "
        "received or configured says so in SUPPDM (AGEMISS, SEXMISS, ARMMISS, CNTRYMIS).",
    )
    for record in records:
        doses = exported_doses(record)
        first = doses[0].start if doses else None
        last = doses[-1].end if doses else None
        died = record.review.outcomes.died
        age, age_missing = age_at(record.birth_date, first)
        sex, sex_sent = administrative_sex(record.sex)
        arm, arm_missing = _arm(study.arm, given=bool(doses))
        configured = not study.country.startswith("not configured")
        country, country_missing = (study.country, "") if configured else ("", study.country)
        supp = [
            (qnam, label, why, "Derived")
            for qnam, label, why in (
                ("AGEMISS", "Why AGE Is Empty", age_missing),
                ("SEXMISS", "Why SEX Is Unknown", "" if record.sex.strip() else "sex (PID-8) never received"),
                ("ARMMISS", "Why the Arm Is Empty", arm_missing),
                ("CNTRYMIS", "Why COUNTRY Is Empty", country_missing),
            )
            if why
        ]
        if sex_sent:
            supp.append(("SEXHL7", "Administrative Sex as Sent (HL7 0001)", sex_sent, "Collected"))
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
                "AGE": age,
                "AGEU": "YEARS" if age is not None else "",
                "SEX": sex,
                **arm,
                "COUNTRY": country,
                SUPP_KEY: supp,
            }
        )
    ds.rows.sort(key=lambda row: str(row["USUBJID"]))
    return ds


SEXES = {"F": "F", "M": "M", "U": "U", "A": "UNDIFFERENTIATED"}
"""HL7 table 0001 (administrative sex) as CDISC SEX (C66731). N (not applicable), O (other) and any
other code have no CDISC term: U, with the code as sent kept in SUPPDM SEXHL7."""


def administrative_sex(sent: str) -> tuple[str, str]:
    """SEX from PID-8 (U when none was sent), and the code as sent where SEX does not say it one to
    one ("" otherwise)."""
    code = sent.strip().upper()
    if not code:
        return "U", ""  # SEX is required in DM: unknown, and SUPPDM SEXMISS says it was never sent
    mapped = SEXES.get(code)
    return (mapped, "") if mapped is not None else ("U", ascii_text(code))


def age_at(birth_date: str, reference: float | None) -> tuple[float | None, str]:
    """AGE in completed years at the date of RFSTDTC (UTC), or None and why. PID-7 is an HL7 date
    (YYYYMMDD, perhaps with a time after it); a birth date without its day gives no age, since the
    age it gives may be a year off."""
    if not birth_date:
        return None, "birth date (PID-7) never received"
    if reference is None:
        return None, "no dose given: no reference start (RFSTDTC) to count the age at"
    digits = birth_date[:8]
    try:
        if len(digits) < 8 or not digits.isdigit():
            raise ValueError(digits)
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None, "birth date (PID-7) received is not a whole date (YYYYMMDD)"
    on = datetime.fromtimestamp(reference, UTC).date()
    if born > on:
        return None, "birth date (PID-7) received is after the reference start (RFSTDTC)"
    return float(on.year - born.year - ((on.month, on.day) < (born.month, born.day))), ""


def _arm(arm: Arm | str, *, given: bool) -> tuple[dict[str, str], str]:
    """ARMCD/ARM (planned) and ACTARMCD/ACTARM (actual: the same once a dose was given), and why
    they are empty where they are."""
    if isinstance(arm, str):
        empty = dict.fromkeys(("ARMCD", "ARM", "ACTARMCD", "ACTARM", "ARMNRS"), "")
        return empty, f"the study's arm is {arm}"
    actual = (arm.code, arm.description) if given else ("", "")
    return {
        "ARMCD": arm.code,
        "ARM": arm.description,
        "ACTARMCD": actual[0],
        "ACTARM": actual[1],
        "ARMNRS": "" if given else "ASSIGNED, NOT TREATED",
    }, ""


DISPOSITIONS = {
    # course event kind: (DSTERM, DSDECOD, DSCAT)
    "death": ("DEATH", "DEATH", "DISPOSITION EVENT"),
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
                "DEATH; DISCHARGED FROM THE ICU; DISCHARGED FROM THE ICU (ADT)",
            ),
            Variable(
                "DSDECOD",
                "Standardized Disposition Term",
                "Char",
                "Assigned",
                "DEATH (NCOMPLT C66727); ICU DISCHARGE (Bedside's)",
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
        note="Each death and ICU discharge a clinician entered (an extubation is a procedure, in "
        "PR); of a death entered more than once (a corrected time), only the latest entry, the one "
        "in force. With neither a discharge nor a death entered, the ADT discharge is exported and "
        "says so (DSTERM ends in (ADT)), unless ADT reported the patient's death (PV1-36 expired, "
        "PID-30) and no investigator has confirmed it: then no ADT discharge row is exported (it "
        "would call a possible death a discharge alive) until the death is confirmed (a DEATH row) "
        "or the ADT report is cancelled.",
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
