"""The SAE listing's rows and the review's adverse-event history, from the review's listed events:
serious events only, the clock while unreported, every version listed."""

from __future__ import annotations

from types import SimpleNamespace

from bedside.adverse_event_listing import ListedAdverseEvent
from bedside.review_text import adverse_event_history, sae_clock_text
from bedside.sae_listing import COLUMNS, sae_listing
from tests.listed_events import listed

T = 1_780_000_000.0


def fields(**more: object) -> dict:
    """The event's fields as `listed` takes them (a test may change its history before listing it)."""
    base = {
        "id": 1,
        "version": 2,
        "versions": 2,
        "term": "Sepsis",
        "grade": 4,
        "relatedness": "unlikely",
        "onset": T,
        "seriousness": ["life_threatening", "hospitalisation"],
        "expectedness": "unexpected",
        "rsi": "IB 7, version 3",
        "ctcae_version": "5.0",
        "outcome": "recovering",
        "awareness": T + 600,
        "aesi": "infection",
        "sent_at": None,
        "history": [
            {"version": 1, "recorded_at": T + 700, "by": "luis", "grade": 3, "relatedness": "unlikely",
             "seriousness": ["hospitalisation"], "outcome": None, "end": None},
            {"version": 2, "recorded_at": T + 9000, "by": "marta", "grade": 4, "relatedness": "unlikely",
             "seriousness": ["life_threatening", "hospitalisation"], "outcome": "recovering", "end": None},
        ],
    }  # fmt: skip
    return {**base, **more}


def event(**more: object) -> ListedAdverseEvent:
    return listed(**fields(**more))


def when(at: float) -> str:
    return f"t+{at - T:g}"


def test_only_serious_events_are_listed_and_the_unassessed_counted() -> None:
    events = [event(), event(id=5, seriousness=[]), event(id=6, seriousness=None, grade=3)]
    listing = sae_listing(events, T + 3600, when)
    assert listing.not_assessed == 1 and listing.rsi == ("IB 7, version 3",)
    (row,) = listing.rows
    cells = dict(zip(COLUMNS, row, strict=True))
    assert cells["Event"] == "#1 Sepsis (special interest: infection)"
    assert cells["Seriousness (ICH E2A)"] == "life threatening\nhospitalisation"
    assert (cells["SUSAR"], cells["Version"]) == ("no", "2 of 2")
    assert cells["Outcome"] == "recovering\naction with the product: not recorded\ntreatment: none recorded"
    assert cells["Reported to sponsor"] == "not reported: SAE report due t+87000 (in 23 h 10 min)"


def test_a_late_report_says_so() -> None:
    (row,) = sae_listing([event(sent_at=T + 600 + 90000)], T + 200000, when).rows
    assert row[COLUMNS.index("Reported to sponsor")] == "t+90600 (after the 24 h)"


def test_a_susar_that_cannot_be_derived_says_what_is_missing() -> None:
    (row,) = sae_listing([event(relatedness="not_assessed")], T, when).rows
    assert row[COLUMNS.index("SUSAR")] == "cannot be derived: relatedness not assessed"


def test_the_review_lists_every_version_and_the_clock() -> None:
    data = SimpleNamespace(adverse_events=[event()], now=T + 86400 + 1200)
    lines = adverse_event_history(data)  # type: ignore[arg-type]
    assert lines[0].startswith("#1 Sepsis: serious: life threatening, hospitalisation; not a SUSAR")
    assert "special interest: infection" in lines[0] and "SAE report OVERDUE" in lines[0]
    versions = [line.split(",")[0].strip() for line in lines[1:] if line.strip().startswith("version")]
    assert versions == ["version 1", "version 2"]
    assert "by luis: G3" in lines[1] and "outcome recovering/resolving" in lines[2]
    assert sae_clock_text(event(seriousness=[]), T) == ""


def test_a_grade_4_event_not_assessed_is_listed_with_a_provisional_clock() -> None:
    """CTCAE grade 4 is life-threatening: with an awareness time it runs the 24 h clock until an
    intensivist or investigator assesses its seriousness."""
    listing = sae_listing([event(seriousness=None)], T + 3600, when)
    assert listing.not_assessed == 0
    (row,) = listing.rows
    cells = dict(zip(COLUMNS, row, strict=True))
    assert cells["Seriousness (ICH E2A)"] == "to be assessed (grade 4)"
    assert cells["Reported to sponsor"] == (
        "not reported: SAE report due t+87000 (in 23 h 10 min); "
        "grade 4-5: seriousness to be assessed (pending since t+600)"
    )
    assert sae_listing([event(seriousness=None, grade=3)], T + 3600, when).rows == []


def test_a_susar_status_changed_after_the_first_report_says_so() -> None:
    changed = event(sent_at=T + 1000, relatedness="probable", susar_at_first_report=False)
    (row,) = sae_listing([changed], T + 3600, when).rows
    assert row[COLUMNS.index("SUSAR")] == "SUSAR\nchanged after the first report (then: no)"
    (row,) = sae_listing([event(sent_at=T + 1000, susar_at_first_report=False)], T + 3600, when).rows
    assert row[COLUMNS.index("SUSAR")] == "no"


def test_the_clock_runs_from_the_earliest_awareness_of_any_version() -> None:
    moved = event(awareness=T + 90000, clock_awareness=T + 600, sent_at=T + 100000)
    (row,) = sae_listing([moved], T + 200000, when).rows
    assert row[COLUMNS.index("Reported to sponsor")] == "t+100000 (after the 24 h)"


def test_the_history_shows_expectedness_susar_and_what_each_version_changed() -> None:
    history = [
        {"version": 1, "recorded_at": T + 700, "by": "inv", "grade": 3, "relatedness": "probable",
         "seriousness": ["hospitalisation"], "expectedness": "unexpected",
         "awareness": T + 600, "awareness_reason": None, "outcome": None, "end": None},
        {"version": 2, "recorded_at": T + 9000, "by": "inv", "grade": 1, "relatedness": "probable",
         "seriousness": ["hospitalisation"], "expectedness": "expected",
         "awareness": T + 800, "awareness_reason": "misdated note", "outcome": None, "end": None},
    ]  # fmt: skip
    data = SimpleNamespace(adverse_events=[event(history=history)], now=T + 3600)
    lines = adverse_event_history(data)  # type: ignore[arg-type]
    assert "G3, probable, serious: hospitalisation, unexpected, SUSAR, outcome" in lines[1]
    assert "G1, probable, serious: hospitalisation, expected, not a SUSAR, outcome" in lines[2]
    changed = lines[3].strip()
    assert changed.startswith(
        "changed: grade: G3 → G1; expectedness: unexpected → expected; SUSAR: yes → no; awareness: "
    )
    assert changed.endswith(" (reason: misdated note)") and changed.count("→") == 4


def test_the_listing_names_a_ctcae_term_in_the_language() -> None:
    from bedside import i18n

    i18n.set_language("es")
    try:
        (row,) = sae_listing([event(term="Infusion related reaction")], T + 3600, when).rows
    finally:
        i18n.set_language("en")
    cells = dict(zip(COLUMNS, row, strict=True))
    assert cells["Event"].startswith("#1 Reacción relacionada con la infusión"), cells["Event"]
    (row,) = sae_listing([event(term="Infusion related reaction")], T + 3600, when).rows
    assert dict(zip(COLUMNS, row, strict=True))["Event"].startswith("#1 Infusion related reaction")


def _downgraded_fields(**more: object) -> dict:
    """A SUSAR (aware at T+600, due T+87000) that an intensivist reassesses as not serious."""
    return fields(
        version=2,
        seriousness=[],
        history=[
            {"version": 1, "recorded_at": T + 700, "by": "marta", "role": "investigator", "grade": 4,
             "relatedness": "probable", "seriousness": ["life_threatening"], "expectedness": "unexpected",
             "awareness": T + 600},
            {"version": 2, "recorded_at": T + 90000, "by": "luis", "role": "intensivist", "grade": 4,
             "relatedness": "probable", "seriousness": [], "awareness": None},
        ],
        **more,
    )  # fmt: skip


def _downgraded(**more: object) -> ListedAdverseEvent:
    return listed(**_downgraded_fields(**more))


def test_a_susar_reassessed_not_serious_after_its_clock_ran_out_stays_listed() -> None:
    listing = sae_listing([_downgraded()], T + 100000, when)
    (row,) = listing.rows
    cells = dict(zip(COLUMNS, row, strict=True))
    assert cells["Seriousness (ICH E2A)"] == "not serious since version 2"
    assert cells["SUSAR"] == "no\nSUSAR in version 1"
    assert cells["Reported to sponsor"] == (
        "assessed serious (life threatening) and a SUSAR in version 1; reassessed not serious in "
        "version 2 at t+90000 by luis (intensivist); its 24 h report was overdue then (due t+87000), "
        "not sent by then"
    )
    assert listing.not_assessed == 0


def test_a_reassessment_before_the_clock_ran_out_or_after_a_report_says_so() -> None:
    early = _downgraded_fields()
    early["history"][1] = {**early["history"][1], "recorded_at": T + 5000, "role": None}
    (row,) = sae_listing([listed(**early)], T + 100000, when).rows
    assert row[-2].endswith("by luis; its 24 h report was still due then (due t+87000)")
    (row,) = sae_listing([_downgraded(sent_at=T + 2000)], T + 100000, when).rows
    assert row[-2].endswith("it had been reported to the sponsor by then")
    # Never serious: not listed (counted as assessed, not as pending).
    never = event(seriousness=[], history=[{"version": 1, "recorded_at": T, "by": "x", "seriousness": []}])
    assert sae_listing([never], T, when).rows == []


def test_a_corrected_awareness_says_which_version_corrected_it_and_why() -> None:
    history = [
        {"version": 1, "recorded_at": T + 700, "by": "marta", "seriousness": ["hospitalisation"],
         "awareness": T + 600, "awareness_reason": None},
        {"version": 2, "recorded_at": T + 9000, "by": "marta", "seriousness": ["hospitalisation"],
         "awareness": T + 800, "awareness_reason": "the ward's note was misdated"},
    ]  # fmt: skip
    (row,) = sae_listing(
        [event(awareness=T + 800, clock_awareness=T + 600, history=history)], T + 3600, when
    ).rows
    cells = dict(zip(COLUMNS, row, strict=True))
    # The earliest, the one the clock runs from (as SUPPAE AEAWRDTC); the correction beside it.
    assert cells["Team aware"] == (
        "t+600\n(the 24 h clock runs from it; corrected to t+800 in version 2: the ward's note was misdated)"
    )
    assert "due t+87000" in cells["Reported to sponsor"]  # 24 h from the earliest
    # Corrected to an earlier time: that is the earliest, and the correction says so.
    earlier = [history[0], {**history[1], "awareness": T + 500}]
    (row,) = sae_listing(
        [event(awareness=T + 500, clock_awareness=T + 500, history=earlier)], T + 3600, when
    ).rows
    assert dict(zip(COLUMNS, row, strict=True))["Team aware"] == (
        "t+500\n(corrected in version 2: the ward's note was misdated)"
    )


def test_a_grade_4_event_whose_provisional_clock_ran_out_keeps_a_trace_once_assessed_not_serious() -> None:
    history = [
        {"version": 1, "recorded_at": T + 700, "by": "ana", "grade": 4, "seriousness": None,
         "awareness": T + 600},
        {"version": 2, "recorded_at": T + 90000, "by": "luis", "role": "intensivist", "grade": 4,
         "seriousness": [], "awareness": T + 600},
    ]  # fmt: skip
    assessed = event(seriousness=[], history=history)
    (row,) = sae_listing([assessed], T + 100000, when).rows
    cells = dict(zip(COLUMNS, row, strict=True))
    assert cells["Seriousness (ICH E2A)"] == "not serious since version 2"
    assert cells["Reported to sponsor"] == (
        "grade 4 not yet assessed for seriousness in version 1, its 24 h clock running provisionally; "
        "assessed not serious in version 2 at t+90000 by luis (intensivist); its 24 h report was overdue "
        "then (due t+87000), not sent by then"
    )
    # A grade 3 event was never on a clock: assessed not serious, it is not listed.
    low = [{**h, "grade": 3} for h in history]
    assert sae_listing([event(grade=3, seriousness=[], history=low)], T + 100000, when).rows == []


def test_the_relatedness_names_who_assessed_the_causality() -> None:
    assessed = event(relatedness="probable", assessed_by="marta", assessor_role="investigator")
    (row,) = sae_listing([assessed], T + 3600, when).rows
    assert dict(zip(COLUMNS, row, strict=True))["Relatedness"].endswith("\nassessed by marta (investigator)")
    (row,) = sae_listing([event()], T + 3600, when).rows  # not assessed by anyone named: nothing added
    assert "assessed by" not in dict(zip(COLUMNS, row, strict=True))["Relatedness"]


def test_a_change_names_the_field_once_in_spanish() -> None:
    from bedside import i18n
    from bedside.adverse_events import changes_text

    i18n.set_language("es")
    try:
        said = changes_text(
            {"seriousness": None, "susar": True}, {"seriousness": ["death"], "susar": False}, str
        )
    finally:
        i18n.set_language("en")
    assert "gravedad gravedad" not in said and "RAGI RAGI" not in said and "RAGI: RAGI" not in said
    assert said.startswith("gravedad: sin evaluar → grave") and "RAGI: sí → no" in said, said


def test_a_grade_4_lowered_to_3_before_assessment_keeps_its_provisional_clock_in_listing_and_history() -> (
    None
):
    """Lowering the grade is no assessment of seriousness: the clock grade 4 ran provisionally
    stays on the listing with how it ended, and the history says the follow-up ended it."""
    history = [
        {"version": 1, "recorded_at": T + 700, "by": "ana", "role": "nurse", "grade": 4,
         "relatedness": "not_assessed", "seriousness": None, "awareness": T + 600, "outcome": None,
         "end": None},
        {"version": 2, "recorded_at": T + 90000, "by": "ana", "role": "nurse", "grade": 3,
         "relatedness": "not_assessed", "seriousness": None, "awareness": T + 600, "outcome": None,
         "end": None},
    ]  # fmt: skip
    lowered = event(grade=3, seriousness=None, history=history)
    listing = sae_listing([lowered], T + 100000, when)
    (row,) = listing.rows
    cells = dict(zip(COLUMNS, row, strict=True))
    assert cells["Seriousness (ICH E2A)"] == "not assessed; its provisional clock ended in version 2"
    assert cells["Reported to sponsor"] == (
        "grade 4 not yet assessed for seriousness in version 1, its 24 h clock running provisionally; "
        "grade lowered to 3 in version 2 at t+90000 by ana (nurse), which ended that clock; seriousness "
        "still not assessed; its 24 h report was overdue then (due t+87000), not sent by then"
    )
    assert listing.not_assessed == 1  # still waiting for its assessment
    data = SimpleNamespace(adverse_events=[lowered], now=T + 100000)
    changed = adverse_event_history(data)[3].strip()  # type: ignore[arg-type]
    assert changed == (
        "changed: grade: G4 → G3; the 24 h clock that ran provisionally (grade 4-5, seriousness not "
        "assessed) ended: the grade was lowered before the seriousness was assessed"
    )
    # Assessed serious after the lowering: an ordinary SAE row, no trace of an ended clock.
    serious = [*history, {**history[1], "version": 3, "seriousness": ["hospitalisation"]}]
    (row,) = sae_listing(
        [event(grade=3, seriousness=["hospitalisation"], history=serious)], T + 100000, when
    ).rows
    assert dict(zip(COLUMNS, row, strict=True))["Seriousness (ICH E2A)"] == "hospitalisation"
    # A grade 3 from the start never ran a clock: not listed.
    never = [{**h, "grade": 3} for h in history]
    assert sae_listing([event(grade=3, seriousness=None, history=never)], T + 100000, when).rows == []


def test_a_clock_from_the_first_record_says_so_and_names_the_later_awareness() -> None:
    """Day 0 is never later than the first record (ICH E2A): the listing says the clock runs from the
    record and shows a later awareness beside it as not used."""
    later = event(awareness=T + 5000, clock_awareness=T + 700, clock_from_first_record=True)
    (row,) = sae_listing([later], T + 3600, when).rows
    cells = dict(zip(COLUMNS, row, strict=True))
    aware = next(v for k, v in cells.items() if "aware" in k.lower())
    assert aware == "t+700\n(the first record; the awareness time given, t+5000, is later and was not used)"
    assert cells["Reported to sponsor"] == (
        "not reported: SAE report due t+87100 (in 23 h 11 min) (24 h from the first record)"
    )
    (none,) = sae_listing([event(awareness=None, clock_awareness=T + 700, clock_from_first_record=True)],
                          T + 3600, when).rows  # fmt: skip
    assert "t+700\n(the first record: no awareness time was given)" in none


def test_the_outcome_cell_gives_the_end_the_action_taken_and_the_treatment() -> None:
    ended = event(outcome="recovered", end=T + 7200, action_taken="stopped", treatment="noradrenaline  IV")
    (row,) = sae_listing([ended], T + 3600, when).rows
    assert row[COLUMNS.index("Outcome")] == (
        "recovered\nended t+7200\naction with the product: infusion stopped\ntreatment: noradrenaline IV"
    )
    (row,) = sae_listing([event(outcome="fatal")], T + 3600, when).rows
    assert "\nend: not recorded\n" in row[COLUMNS.index("Outcome")]


def test_the_reviews_clock_runs_from_the_same_day_0_as_the_listing() -> None:
    """The review's history and the SAE listing show one clock: where it runs from the first record,
    both say so."""
    later = event(awareness=T + 5000, clock_awareness=T + 700, clock_from_first_record=True)
    text = sae_clock_text(later, T + 3600)
    assert text.startswith("SAE report due")
    assert text.endswith("(24 h from the first record)")
