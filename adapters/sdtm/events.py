"""AE: the adverse events clinicians documented in Bedside, each as its latest version."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bedside_adapters.sdtm.common import Study, identifiers
from bedside_adapters.sdtm.model import Dataset, Variable, ascii_text, iso, sequence, study_day
from bedside_adapters.sdtm.source import SubjectRecord
from bedside_adapters.sdtm.subject import reference_start
from bedside_adapters.sdtm.writer import SUPP_KEY

from bedside.adverse_event_listing import ListedAdverseEvent
from bedside.adverse_events import AdverseEventVersion
from bedside.ctcae import ctcae
from bedside.sae_clock import report_clock
from bedside.sae_listing import awareness_correction

RELATEDNESS = {
    "unrelated": "NOT RELATED",
    "unlikely": "UNLIKELY RELATED",
    "possible": "POSSIBLY RELATED",
    "probable": "PROBABLY RELATED",
    "definite": "RELATED",
    "not yet assessed": "",
}
"""Bedside's relatedness to the study product as AEREL (sponsor-defined terms; SDTMIG v3.3 leaves
the codelist to the sponsor). Not yet assessed is empty, never a guess."""

SERIOUSNESS_FLAGS = {
    # ICH E2A II.B criterion: its SDTM flag (SDTMIG v3.3 AE domain)
    "death": "AESDTH",
    "life_threatening": "AESLIFE",
    "hospitalisation": "AESHOSP",
    "disability": "AESDISAB",
    "congenital_anomaly": "AESCONG",
    "medically_important": "AESMIE",
}

OUTCOMES = {
    "recovered": "RECOVERED/RESOLVED",
    "recovering": "RECOVERING/RESOLVING",
    "not_recovered": "NOT RECOVERED/NOT RESOLVED",
    "recovered_with_sequelae": "RECOVERED/RESOLVED WITH SEQUELAE",
    "fatal": "FATAL",
    "unknown": "UNKNOWN",
}
"""Bedside's outcome as AEOUT (CDISC Controlled Terminology OUT, C66768)."""

ACTIONS = {
    "none": "DOSE NOT CHANGED",
    "slowed": "DOSE RATE REDUCED",
    "interrupted": "DRUG INTERRUPTED",
    "stopped": "DRUG WITHDRAWN",
    # A later dose of the course not given: the course interrupted (SUPPAE AEACNDTL says which).
    "later_dose_withheld": "DRUG INTERRUPTED",
    "not_applicable": "NOT APPLICABLE",
}
"""Bedside's action taken with the study product as AEACN (CDISC Controlled Terminology ACN,
C66767); Bedside's own term is kept in SUPPAE AEACNDTL."""

_YN = "NY (C66742): Y, N; empty when not assessed"


def _flag(value: bool | None) -> str:
    return "" if value is None else ("Y" if value else "N")


def adverse_events(study: Study, records: list[SubjectRecord]) -> Dataset:
    seriousness = [
        Variable(flag, label, "Char", "Collected (intensivist or investigator)", _YN, f"ICH E2A: {criterion}")
        for criterion, flag, label in (
            ("death", "AESDTH", "Results in Death"),
            ("life_threatening", "AESLIFE", "Is Life Threatening"),
            ("hospitalisation", "AESHOSP", "Requires or Prolongs Hospitalization"),
            ("disability", "AESDISAB", "Persist or Signif Disability/Incapacity"),
            ("congenital_anomaly", "AESCONG", "Congenital Anomaly or Birth Defect"),
            ("medically_important", "AESMIE", "Other Medically Important Serious Event"),
        )
    ]
    ds = Dataset(
        "AE",
        "Adverse Events",
        [
            *identifiers("AE"),
            Variable(
                "AESEQ",
                "Sequence Number",
                "Num",
                "Derived",
                note="1, 2, 3 ... within the subject in the order the events were first recorded (by "
                "AESPID): the same in every export; rows by "
                "AESTDTC within the subject",
            ),
            Variable(
                "AESPID",
                "Sponsor-Defined Identifier",
                "Char",
                "Assigned",
                note="the event's number in Bedside",
            ),
            Variable("AETERM", "Reported Term for the Adverse Event", "Char", "Collected (clinician)"),
            Variable(
                "AEDECOD",
                "Dictionary-Derived Term",
                "Char",
                "Collected (clinician)",
                "CTCAE v5.0 term (MedDRA lowest level term)",
                "the CTCAE term chosen. Empty for a term outside the coded list "
                "(resources/adverse_events/ctcae_terms.toml): uncoded until the sponsor's MedDRA "
                "coding; the verbatim term is in AETERM, never here",
            ),
            Variable(
                "AETOXGR",
                "Standard Toxicity Grade",
                "Char",
                "Collected (clinician)",
                "CTCAE grade 1-5 (version in SUPPAE AETOXVER, given with every grade)",
            ),
            Variable(
                "AESER",
                "Serious Event",
                "Char",
                "Derived",
                _YN,
                "Y when any ICH E2A criterion applies",
            ),
            *seriousness,
            Variable(
                "AEREL",
                "Causality",
                "Char",
                "Collected (intensivist or investigator)",
                "NOT RELATED; UNLIKELY RELATED; POSSIBLY RELATED; PROBABLY RELATED; RELATED",
                "empty while not yet assessed",
            ),
            Variable(
                "AEACN",
                "Action Taken with Study Treatment",
                "Char",
                "Collected (clinician)",
                "ACN (C66767): DOSE NOT CHANGED; DOSE RATE REDUCED; DRUG INTERRUPTED; DRUG WITHDRAWN; "
                "NOT APPLICABLE",
                "a later dose withheld is DRUG INTERRUPTED (SUPPAE AEACNDTL)",
            ),
            Variable(
                "AECONTRT",
                "Concomitant or Additional Trtmnt Given",
                "Char",
                "Collected (clinician)",
                "NY (C66742): Y; empty when none was recorded",
                "the treatment's text in SUPPAE AETRTTXT",
            ),
            Variable("AEOUT", "Outcome of Adverse Event", "Char", "Collected (clinician)", "OUT (C66768)"),
            Variable(
                "AESTDTC",
                "Start Date/Time of Adverse Event",
                "Char",
                "Collected (clinician)",
                "ISO 8601 (UTC)",
                "the onset entered",
            ),
            Variable(
                "AEENDTC",
                "End Date/Time of Adverse Event",
                "Char",
                "Collected (clinician)",
                "ISO 8601 (UTC)",
                "the end entered; for a fatal outcome the recorded death's time (SUPPAE AEENDDRV Y when "
                "no end equal to it was entered, the end entered then in AEENDREC)",
            ),
            Variable(
                "AEDTC",
                "Date/Time of Collection",
                "Char",
                "Collected (clinician)",
                "ISO 8601 (UTC)",
                "when the version exported was recorded",
            ),
            Variable(
                "AESTDY",
                "Study Day of Start of Adverse Event",
                "Num",
                "Derived",
                note="SDTMIG 4.4.4 from RFSTDTC",
            ),
            Variable(
                "AEENDY",
                "Study Day of End of Adverse Event",
                "Num",
                "Derived",
                note="SDTMIG 4.4.4 from RFSTDTC",
            ),
        ],
        note="Each adverse event documented in Bedside as its latest version (earlier versions stay in "
        "Bedside's record). Bedside records the CTCAE grade (AETOXGR), not a mild/moderate/severe "
        "severity, so AESEV is not exported. Anything not assessed is empty, never defaulted. AEDECOD "
        "is empty for a term outside the CTCAE terms Bedside codes: uncoded until MedDRA coding, "
        "never the verbatim term. SUPPAE "
        "holds the CTCAE version, expectedness, the reference safety information, the SUSAR flag, "
        "adverse events of special interest, the version number, the action's own term, the "
        "treatment given, the MedDRA code as recorded (AEMDRCD: Bedside does not record whether it "
        "is a lowest level term or a preferred term code, so it is not put in AELLTCD or AEPTCD) "
        "and when the site first knew of the event (AEAWRDTC, ICH E2A day 0: the earliest awareness "
        "of any version, or the first record when that is earlier; a later version's corrected time "
        "in AEAWRCDT, and the reason it gave in AEAWRRSN) "
        "(ISO 8601, UTC); for reconciliation with the "
        "sponsor's safety database, when the event was first reported to the sponsor (AERPTDTC), "
        "whether that was more than 24 h after the team first became aware in any version (AERPTLT, "
        "Y/N), and who assessed causality (AECAUSBY) in which role (AECAUSRL). A fatal event ends at "
        "the recorded death: AEENDTC is the death's time, SUPPAE AEENDDRV Y where that was derived.",
    )
    for record in records:
        ref_start = reference_start(record)
        died = record.review.outcomes.died
        for listed in record.review.adverse_events:
            ae = listed.latest
            criteria = ae.seriousness
            end, end_supp = _end(ae, died)
            row: dict[str, Any] = {
                "STUDYID": study.studyid,
                "DOMAIN": "AE",
                "USUBJID": study.usubjid(record.ref),
                "AESEQ": None,
                "AESPID": str(listed.id),
                "AETERM": ascii_text(ae.term),
                "AEDECOD": ascii_text(ae.ctcae_term or ""),
                "AETOXGR": str(ae.grade),
                "AESER": "" if criteria is None else _flag(bool(criteria)),
                **_seriousness(criteria),
                "AEREL": RELATEDNESS.get(ae.relatedness, ascii_text(ae.relatedness).upper()),
                "AEACN": ACTIONS.get(ae.action_taken or "", ""),
                "AECONTRT": "Y" if ae.treatment.strip() else "",
                "AEOUT": OUTCOMES.get(ae.outcome or "", ""),
                "AESTDTC": iso(ae.onset),
                "AEENDTC": iso(end),
                "AEDTC": iso(ae.reported_at),
                "AESTDY": study_day(ae.onset, ref_start),
                "AEENDY": study_day(end, ref_start),
                SUPP_KEY: _qualifiers(listed) + end_supp,
            }
            ds.rows.append(row)
    # Rows by onset within the subject; AESEQ is 1, 2, 3 … for each subject in the order the events
    # were first recorded (their number in Bedside, AESPID, in ascending order). SUPPAE points at its
    # AE row through AESEQ, so it must not change when an event is added: one documented later, whatever
    # its onset, takes the next number, and AESEQ is the same in every export (SDTMIG v3.3 4.1.9).
    sequence(ds.rows, "AESEQ", ("AESTDTC", "AESPID"))
    events = sorted({(str(row["USUBJID"]), int(str(row["AESPID"]))) for row in ds.rows})
    counts: dict[str, int] = {}
    numbers: dict[tuple[str, int], int] = {}
    for subject, event in events:
        counts[subject] = counts.get(subject, 0) + 1
        numbers[(subject, event)] = counts[subject]
    for row in ds.rows:
        row["AESEQ"] = float(numbers[(str(row["USUBJID"]), int(str(row["AESPID"])))])
    return ds


def _end(ae: AdverseEventVersion, died: float | None) -> tuple[float | None, list[tuple[str, str, str, str]]]:
    """The event's end as exported, and the SUPPAE rows saying how. A fatal outcome (CTCAE v5.0 grade
    5, SDTM AEOUT FATAL) ends at the death: where no end was entered, or one that is not the
    recorded death's time, AEENDTC is the death's time marked derived, and an end entered otherwise
    is kept beside it (never an AEENDTC that contradicts DTHDTC)."""
    end = ae.end
    if ae.outcome != "fatal" or died is None or end == died:
        return end, []
    supp = [("AEENDDRV", "End Derived from the Recorded Death", "Y", "Derived")]
    if end is not None:
        supp.append(("AEENDREC", "End as Entered, Not the Death's Time", iso(end), "Collected"))
    return died, supp


def _seriousness(criteria: Sequence[str] | None) -> dict[str, str]:
    return {flag: "" if criteria is None else _flag(c in criteria) for c, flag in SERIOUSNESS_FLAGS.items()}


def _late(ae: AdverseEventVersion) -> str | None:
    """Y or N once the event was reported to the sponsor with an awareness time to judge it by."""
    clock = report_clock(ae.seriousness, ae.clock_awareness, ae.sent_at, 0.0)
    return None if clock.late is None else _flag(clock.late)


def _corrected_awareness(ae: AdverseEventVersion) -> str | None:
    """The latest version's awareness where it differs from the earliest one (None otherwise)."""
    latest, first = ae.awareness, ae.clock_awareness
    return None if latest is None or latest == first else iso(latest)


def _awareness_reason(listed: ListedAdverseEvent) -> str | None:
    """Why the latest version that moved the awareness time moved it (None: none did)."""
    found = awareness_correction(listed)
    return None if found is None else ascii_text(found[1])


def _qualifiers(listed: ListedAdverseEvent) -> list[tuple[str, str, str, str]]:
    """SUPPAE rows: what SDTM's AE has no variable for, each only when recorded."""
    ae = listed.latest
    susar = ae.susar.value
    wanted: list[tuple[str, str, object, str]] = [
        # Every grade is a CTCAE v5.0 grade (the record refuses any other), whether or not the term
        # is one of CTCAE's: the version goes with every AETOXGR, never only with a coded term.
        (
            "AETOXVER",
            "CTCAE Version",
            ae.ctcae_version or (ctcae().version if ae.grade else None),
            "Collected",
        ),
        ("AEEXPECT", "Expectedness per the RSI", ae.expectedness, "Collected"),
        ("AERSI", "Reference Safety Information", ae.rsi, "Collected"),
        (
            "AESUSAR",
            "Suspected Unexpected Serious AR (SUSAR)",
            None if susar is None else _flag(susar),
            "Derived",
        ),
        ("AESI", "Adverse Event of Special Interest", ae.aesi, "Collected"),
        ("AEACNDTL", "Action Taken, as Recorded", ae.action_taken, "Collected"),
        ("AETRTTXT", "Treatment Given for the Event", ae.treatment, "Collected"),
        ("AEMDRCD", "MedDRA Code as Recorded (Level Unknown)", ae.meddra_code, "Collected"),
        ("AEVER", "Version of the Event Record", ae.version, "Assigned"),
        # ICH E2A day 0 is the first knowledge of the event: the earliest awareness of any version,
        # so a late report reconciles; a later version's corrected time is kept beside it.
        ("AEAWRDTC", "Date/Time the Team Became Aware", iso(ae.clock_awareness), "Collected"),
        ("AEAWRCDT", "Awareness as Corrected, Latest Version", _corrected_awareness(ae), "Collected"),
        ("AEAWRRSN", "Reason the Awareness Was Corrected", _awareness_reason(listed), "Collected"),
        # For reconciliation with the sponsor's safety database: when the sponsor first heard of the
        # event, whether that was later than the 24 h after the team first became aware (EU
        # Regulation 536/2014 Article 41(2); ICH E2A day 0 is the first knowledge, so the earliest
        # awareness of any version), and who judged causality in which role (ICH E2A III.A.1).
        ("AERPTDTC", "Date/Time First Reported to Sponsor", iso(ae.sent_at), "Collected"),
        ("AERPTLT", "Reported Later Than 24 h After Awareness", _late(ae), "Derived"),
        ("AECAUSBY", "Causality Assessed By", ae.assessed_by, "Collected"),
        ("AECAUSRL", "Role of the Causality Assessor", ae.assessor_role, "Collected"),
    ]
    return [(q, label, str(v), origin) for q, label, v, origin in wanted if v not in (None, "")]
