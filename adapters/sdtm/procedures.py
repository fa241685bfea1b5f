"""PR (procedures: invasive ventilation, intubation, reintubation, extubation, tracheostomy, ECMO,
renal replacement therapy) and CE (clinical events: thrombosis or embolism, secondary infection),
from the course events clinicians entered, read as the review's outcome set reads them, so that the
rows count what the outcomes count."""

from __future__ import annotations

from collections.abc import Sequence

from bedside_adapters.sdtm.common import Study, identifiers
from bedside_adapters.sdtm.model import Dataset, Variable, ascii_text, iso, sequence, study_day
from bedside_adapters.sdtm.source import SubjectRecord
from bedside_adapters.sdtm.subject import reference_start
from bedside_adapters.sdtm.writer import SUPP_KEY

from bedside.outcomes import paired_periods
from bedside.review import CourseEvent

AIRWAY = "AIRWAY AND VENTILATION"
EXTRACORPOREAL = "EXTRACORPOREAL SUPPORT"

PERIODS = {
    # (start kind, end kind): (PRTRT, PRCAT)
    ("ecmo_start", "ecmo_end"): ("EXTRACORPOREAL MEMBRANE OXYGENATION", EXTRACORPOREAL),
    ("rrt_start", "rrt_end"): ("RENAL REPLACEMENT THERAPY", EXTRACORPOREAL),
}

CLINICAL_EVENTS = {
    # course event kind: CETERM
    "thrombosis": "THROMBOSIS OR EMBOLISM",
    "infection": "SECONDARY INFECTION",
}

ENTERED = "course event entered by a clinician"
FIRST_VENTILATOR_VALUE = "first ventilator value (no intubation entered before it)"


PERIOD_NAMES = frozenset({"INVASIVE MECHANICAL VENTILATION", *(trt for trt, _cat in PERIODS.values())})
"""The procedures that last (a start and an end), as opposed to those at one time."""


def _entered_once(events: Sequence[CourseEvent], kind: str) -> list[CourseEvent]:
    """One entry per time of a kind (an entry made twice at the same time is one event, as the
    outcome set counts it: the last entered stands), in time order."""
    by_time = {e.at: e for e in events if e.kind == kind}
    return [by_time[at] for at in sorted(by_time)]


def procedures(study: Study, records: list[SubjectRecord]) -> Dataset:
    ds = Dataset(
        "PR",
        "Procedures",
        [
            *identifiers("PR"),
            Variable(
                "PRSEQ", "Sequence Number", "Num", "Derived", note="by PRSTDTC, PRTRT within the subject"
            ),
            Variable(
                "PRTRT",
                "Reported Name of Procedure",
                "Char",
                "Collected (course event)",
                "INVASIVE MECHANICAL VENTILATION; ENDOTRACHEAL INTUBATION; ENDOTRACHEAL REINTUBATION; "
                "EXTUBATION; TRACHEOSTOMY; EXTRACORPOREAL MEMBRANE OXYGENATION; RENAL REPLACEMENT THERAPY",
                "a reintubation is an intubation entered after an extubation",
            ),
            Variable("PRCAT", "Category", "Char", "Assigned", f"{AIRWAY}; {EXTRACORPOREAL}"),
            Variable(
                "PRSTDTC",
                "Start Date/Time of Procedure",
                "Char",
                "Collected (course event)",
                "ISO 8601 (UTC)",
                "the time entered; empty for an end entered with no start before it (SUPPPR PRNOTE)",
            ),
            Variable(
                "PRENDTC",
                "End Date/Time of Procedure",
                "Char",
                "Collected (course event)",
                "ISO 8601 (UTC)",
                "for a period (ventilation, ECMO, renal replacement): its end entered, empty while it "
                "runs; the death's time for a period still running at the recorded death (SUPPPR "
                "PRENDDRV); empty for a procedure at one time (intubation, extubation, tracheostomy)",
            ),
            Variable(
                "PRSTDY",
                "Study Day of Start of Procedure",
                "Num",
                "Derived",
                note="SDTMIG 4.4.4 from RFSTDTC",
            ),
            Variable(
                "PRENDY", "Study Day of End of Procedure", "Num", "Derived", note="SDTMIG 4.4.4 from RFSTDTC"
            ),
        ],
        note="The procedures of the outcome set, from the course events clinicians entered, as the "
        "review counts them: each period of invasive mechanical ventilation (from an intubation "
        "entered, or from the first ventilator value when the patient came ventilated, to the "
        "extubation entered), each intubation that started one (a reintubation when it followed an "
        "extubation), each extubation that ended one, each tracheostomy, and each period of ECMO and "
        "of renal replacement therapy (started and ended entries). An extubation the ventilator data "
        "only suggest (not confirmed) is not exported. SUPPPR PRSRC says where each row came from, "
        "and PRNOTE what is missing. A period still running when the patient died ends at the death "
        "(PRENDTC the death's time, SUPPPR PRENDDRV Y: derived, not entered).",
    )
    for record in records:
        ref_start = reference_start(record)
        usubjid = study.usubjid(record.ref)
        events, outcomes = record.review.events, record.review.outcomes
        intubations = {e.at for e in events if e.kind == "intubation"}

        def add(
            trt: str,
            cat: str,
            start: float | None,
            end: float | None,
            source: str = ENTERED,
            note: str = "",
            usubjid: str = usubjid,
            ref_start: float | None = ref_start,
            died: float | None = outcomes.died,
        ) -> None:
            supp = [("PRSRC", "Source of the Record", source, "Assigned")]
            if note:
                supp.append(("PRNOTE", "What Is Missing", note, "Derived"))
            running = end is None and trt in PERIOD_NAMES
            if running and died is not None and start is not None and start <= died:
                # Nothing continues after a death: a period with no end entered ended at it, and
                # says it was derived so (never an end a clinician entered).
                end = died
                supp.append(("PRENDDRV", "End Derived from the Recorded Death", "Y", "Derived"))
            ds.rows.append(
                {
                    "STUDYID": study.studyid,
                    "DOMAIN": "PR",
                    "USUBJID": usubjid,
                    "PRSEQ": None,
                    "PRTRT": trt,
                    "PRCAT": cat,
                    "PRSTDTC": iso(start),
                    "PRENDTC": iso(end),
                    "PRSTDY": study_day(start, ref_start),
                    "PRENDY": study_day(end, ref_start),
                    SUPP_KEY: supp,
                }
            )

        for start, end in outcomes.ventilation:
            entered = start in intubations
            add(
                "INVASIVE MECHANICAL VENTILATION",
                AIRWAY,
                start,
                end,
                ENTERED if entered else FIRST_VENTILATOR_VALUE,
            )
            if entered:
                reintubation = start in outcomes.reintubations
                add(
                    "ENDOTRACHEAL REINTUBATION" if reintubation else "ENDOTRACHEAL INTUBATION",
                    AIRWAY,
                    start,
                    None,
                )
            if end is not None:
                add("EXTUBATION", AIRWAY, end, None)
        if not outcomes.ventilation:
            # An extubation entered with no ventilation known before it still happened.
            for e in _entered_once(events, "extubation"):
                add("EXTUBATION", AIRWAY, e.at, None, note="no intubation entered and no ventilator data")
        for e in _entered_once(events, "tracheostomy"):
            add("TRACHEOSTOMY", AIRWAY, e.at, None)
        for (start_kind, end_kind), (trt, cat) in PERIODS.items():
            periods, stray = paired_periods(events, start_kind, end_kind)
            for start, end in periods:
                add(trt, cat, start, end)
            for end in stray:
                add(trt, cat, None, end, note="an end entered with no start before it")
    sequence(ds.rows, "PRSEQ", ("PRSTDTC", "PRTRT"))
    return ds


def clinical_events(study: Study, records: list[SubjectRecord]) -> Dataset:
    ds = Dataset(
        "CE",
        "Clinical Events",
        [
            *identifiers("CE"),
            Variable(
                "CESEQ", "Sequence Number", "Num", "Derived", note="by CESTDTC, CETERM within the subject"
            ),
            Variable(
                "CETERM",
                "Reported Term for the Clinical Event",
                "Char",
                "Collected (course event)",
                "; ".join(CLINICAL_EVENTS.values()),
            ),
            Variable("CECAT", "Category for Clinical Event", "Char", "Assigned", "OUTCOME"),
            Variable(
                "CESTDTC",
                "Start Date/Time of Clinical Event",
                "Char",
                "Collected (course event)",
                "ISO 8601 (UTC)",
                "the time entered",
            ),
            Variable(
                "CESTDY", "Study Day of Start of Event", "Num", "Derived", note="SDTMIG 4.4.4 from RFSTDTC"
            ),
        ],
        note="Each thrombosis or embolism and each secondary infection a clinician entered as a course "
        "event (an outcome of the review). One recorded as an adverse event (of special interest) is "
        "in AE and never repeated here; the review's outcome set counts both. SUPPCE CETXT holds the "
        "clinician's note where one was written.",
    )
    for record in records:
        ref_start = reference_start(record)
        for kind, term in CLINICAL_EVENTS.items():
            for e in _entered_once(record.review.events, kind):
                note = ascii_text(e.text.strip())
                ds.rows.append(
                    {
                        "STUDYID": study.studyid,
                        "DOMAIN": "CE",
                        "USUBJID": study.usubjid(record.ref),
                        "CESEQ": None,
                        "CETERM": term,
                        "CECAT": "OUTCOME",
                        "CESTDTC": iso(e.at),
                        "CESTDY": study_day(e.at, ref_start),
                        SUPP_KEY: [("CETXT", "Clinician's Note", note, "Collected")] if note else [],
                    }
                )
    sequence(ds.rows, "CESEQ", ("CESTDTC", "CETERM"))
    return ds
