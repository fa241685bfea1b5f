"""The outcome set: ventilator-free and ICU-free days at day 28 (Schoenfeld and Bernard's definition,
day 0 the first dose), the events, death near a dose, the times to the first dose; each says what
it came from and what is missing."""

from __future__ import annotations

import numpy as np
import pytest

from bedside.outcome_cohort import UNCONTROLLED, marker_table, outcome_lines, summarise
from bedside.outcome_free_days import free_days, overlap
from bedside.outcomes import OutcomeInputs, icu_periods, near_dose, outcome_set
from bedside.review import DAY, HOUR, CourseEvent, Samples, before_after, outcomes

D0 = 1_790_000_000.0  # the first dose's start


def ev(kind: str, day: float, text: str = "") -> CourseEvent:
    return CourseEvent(kind, D0 + day * DAY, text, "Dr Lee")


def build(events: list[CourseEvent], now_day: float, last_seen_day: float | None = None, **kw):  # type: ignore[no-untyped-def]
    out = outcomes(
        events,
        D0 - 3 * DAY,
        np.empty(0),
        None,
        D0,
        None,
        None if last_seen_day is None else D0 + last_seen_day * DAY,
    )
    doses = kw.pop("doses", [(1, D0, D0 + 45 * 60)])
    inputs = OutcomeInputs(out, events, doses, **kw)
    return {o.key: o for o in outcome_set(inputs, D0 + now_day * DAY)}


def test_ventilator_free_days_count_from_the_first_dose_and_subtract_a_reintubation() -> None:
    events = [ev("extubation", 5), ev("intubation", 7), ev("extubation", 10), ev("alive", 30)]
    got = build(events, now_day=40)
    # ventilated day 0-5 and 7-10: 8 days of 28
    assert got["vfd28"].value == pytest.approx(20.0)
    assert got["reintubation"].value == 1 and got["reintubation"].times == (D0 + 7 * DAY,)
    assert "day 7.0" in got["reintubation"].text


def test_ventilator_free_days_are_zero_when_dead_by_day_28_even_if_extubated() -> None:
    got = build([ev("extubation", 3), ev("death", 20)], now_day=40)
    assert got["vfd28"].value == 0.0 and "died on day 20.0" in got["vfd28"].text
    assert got["icufd28"].value == 0.0


def test_before_day_28_there_is_no_value_but_the_days_so_far() -> None:
    got = build([ev("extubation", 4)], now_day=10, last_seen_day=10)
    vfd = got["vfd28"]
    assert vfd.value is None and vfd.missing == "day 28 has not passed"
    assert "day 10.0 of 28" in vfd.text and "6.0 days alive and free of invasive ventilation" in vfd.text


def test_alive_at_day_28_must_be_known() -> None:
    got = build([ev("extubation", 4)], now_day=35, last_seen_day=20)
    assert got["vfd28"].value is None and "vital status" in got["vfd28"].missing


def test_an_unconfirmed_extubation_gives_no_value() -> None:
    out = outcomes([], D0 - DAY, np.array([D0 - DAY, D0 + 2 * DAY]), D0 + 3 * DAY, D0, None, D0 + 40 * DAY)
    got = {o.key: o for o in outcome_set(OutcomeInputs(out, [], [(1, D0, None)]), D0 + 40 * DAY)}
    assert got["vfd28"].value is None and "extubation not confirmed" in got["vfd28"].text


def test_icu_free_days_from_adt_stays_and_an_entered_discharge() -> None:
    stays = [(D0 - 2 * DAY, D0 + 10 * DAY), (D0 + 15 * DAY, None)]
    events = [ev("extubation", 6), ev("icu_discharge", 18), ev("alive", 29)]
    got = build(events, now_day=40, icu_stays=stays)
    # in the ICU day 0-10 and 15-18: 13 days
    assert got["icufd28"].value == pytest.approx(15.0)
    assert "ADT" in got["icufd28"].source
    assert icu_periods([], events, D0) == [(D0, D0 + 18 * DAY)]


def test_events_and_periods_with_their_sources() -> None:
    events = [
        ev("tracheostomy", 9),
        ev("ecmo_start", 1),
        ev("ecmo_end", 6),
        ev("rrt_end", 12),
        ev("thrombosis", 8),
        ev("symptom_onset", -9.5),
    ]
    special = [("infection", D0 + 11 * DAY, "Ventilator-associated pneumonia"), ("thrombosis", None, "DVT")]
    got = build(events, now_day=20, special_interest=special)
    assert got["tracheostomy"].value == 1
    assert got["ecmo"].value == 1 and "5.0 days" in got["ecmo"].text
    assert got["rrt"].value == 0 and "enter the start" in got["rrt"].missing
    assert got["thrombosis"].value == 2 and "onset" in got["thrombosis"].missing
    assert got["infection"].value == 1 and "pneumonia" in got["infection"].text
    assert got["onset_to_dose"].value == pytest.approx(9.5)
    assert got["intubation_to_dose"].value == pytest.approx(3.0)
    for o in got.values():
        assert o.source


def test_none_recorded_is_not_no() -> None:
    got = build([], now_day=3)
    for key in ("tracheostomy", "ecmo", "rrt", "thrombosis", "infection", "death"):
        assert got[key].text == "none recorded"
    assert got["onset_to_dose"].value is None and got["onset_to_dose"].missing == "the date of symptom onset"


@pytest.mark.parametrize(
    ("death_hours", "flagged"),
    [(20.0, [1]), (50.0, [2]), (49.0 + 24.0, [2]), (49.0 + 24.5, []), (26.0, [])],
)
def test_death_within_24_h_of_any_dose_is_flagged(death_hours: float, flagged: list[int]) -> None:
    doses = [(1, D0, D0 + HOUR), (2, D0 + 48 * HOUR, D0 + 49 * HOUR)]
    died = D0 + death_hours * HOUR
    assert near_dose(died, doses) == flagged
    got = build([CourseEvent("death", died)], now_day=40, doses=doses)
    assert bool(got["death"].flag) == bool(flagged)


def test_a_death_near_a_dose_already_recorded_as_an_sae_says_so_instead_of_asking_to_report() -> None:
    died = D0 + 20 * HOUR
    asked = build([CourseEvent("death", died)], now_day=40)["death"]
    assert asked.flag == "death within 24 h of dose 1: report as a serious adverse event"
    done = build([CourseEvent("death", died)], now_day=40, fatal_saes=[3])["death"]
    assert done.flag == "death within 24 h of dose 1: recorded as serious adverse event #3"
    assert "report as" not in done.text


def test_overlap_merges_overlapping_periods_and_runs_open_ones_to_now() -> None:
    assert overlap([(0.0, 10.0), (5.0, 15.0)], 0.0, 100.0, 50.0) == 15.0
    assert overlap([(20.0, None)], 0.0, 100.0, 50.0) == 30.0
    assert free_days([], None, None, None, 0.0, "x")[0] is None


def test_cohort_median_iqr_and_denominators() -> None:
    s = summarise([1.0, 2.0, 3.0, 4.0, None])
    assert (s.n, s.of, s.median, s.q1, s.q3) == (4, 5, 2.5, 1.75, 3.25)
    assert s.text().endswith("n = 4 of 5 with a value")
    sets = [
        list(build([ev("extubation", 5), ev("alive", 30)], now_day=40).values()),
        list(build([ev("death", 2)], now_day=40).values()),
        list(build([], now_day=10).values()),
    ]
    lines = dict(outcome_lines(sets))
    assert lines["Ventilator-free days at day 28 (days)"] == "11.5 (5.8–17.2), n = 2 of 3 with a value"
    assert lines["Death"].startswith("1 of 3 with one recorded")
    assert "do not show that the product had an effect" in UNCONTROLLED


def test_cohort_marker_table_counts_values_after_a_later_dose() -> None:
    crp = Samples.of([(D0 - HOUR, 100.0), (D0 + DAY, 80.0), (D0 + 7 * DAY, 40.0)])
    crp2 = Samples.of([(D0 - HOUR, 120.0), (D0 + DAY, 90.0)])
    a = before_after(D0, {"crp": crp}, D0 + 30 * DAY, later_doses=[(2, D0 + 3 * DAY)])
    b = before_after(D0, {"crp": crp2}, D0 + 30 * DAY)
    header, rows = marker_table([a, b])
    assert header[1] == "Pre-dose value"
    row = next(r for r in rows if r[0] == "CRP")
    assert row[1] == "110 (105–115), n = 2 of 2 with a value"
    assert row[header.index("+7 d")] == "40 (40–40), n = 1 of 2 with a value; 1 after a later dose"


def test_no_ventilation_known_gives_no_ventilator_free_days_unless_dead() -> None:
    bare = outcomes([], None, np.empty(0), None, D0, None, D0 + 40 * DAY)
    got = {o.key: o for o in outcome_set(OutcomeInputs(bare, [], [(1, D0, None)]), D0 + 40 * DAY)}
    assert got["vfd28"].value is None and "no ventilation period known" in got["vfd28"].text
    dead = outcomes([CourseEvent("death", D0 + 3 * DAY)], None, np.empty(0), None, D0, None, None)
    got = {o.key: o for o in outcome_set(OutcomeInputs(dead, [], [(1, D0, None)]), D0 + 40 * DAY)}
    assert got["vfd28"].value == 0.0


def test_a_death_reported_by_adt_and_not_confirmed_leaves_the_free_days_uncomputed() -> None:
    """The hours after a death ADT reported are not counted as alive while nobody confirmed it."""
    stays = [(D0 - 2 * DAY, D0 + 5 * DAY)]
    events = [ev("extubation", 3), ev("alive", 30)]
    got = build(events, now_day=40, icu_stays=stays, adt_deaths=[(D0 + 5 * DAY, "PV1-36")])
    for key in ("icufd28", "vfd28"):
        assert got[key].value is None
        assert "not computable: a death reported by ADT" in got[key].text
        assert "not yet confirmed or refuted" in got[key].missing
    assert got["death_adt"].value is None
    confirmed = build(
        [*events[:1], ev("death", 5)], now_day=40, icu_stays=stays, adt_deaths=[(D0 + 5 * DAY, "PV1-36")]
    )
    assert confirmed["icufd28"].value == 0.0 and confirmed["vfd28"].value == 0.0


def test_any_death_flags_its_sae_report_until_a_fatal_event_or_a_signed_reason_settles_it() -> None:
    """ICH E2A: a death is serious, near a dose or not: flagged with the 24 h clock from when the
    team became aware, and settled by a fatal event or an investigator's signed reason."""
    from bedside.death_sae import NoSaeNeeded, death_sae

    died = D0 + 10 * DAY  # far from the dose
    aware = died + HOUR
    due = build([CourseEvent("death", died)], now_day=10.5, death_sae=death_sae(died, aware))["death"]
    assert due.flag.startswith("death on ") and "no serious adverse event recorded" in due.flag
    assert "SAE report due " in due.flag and "an investigator's signed reason" in due.missing
    assert build([CourseEvent("death", died)], now_day=10.5)["death"].flag == ""  # not read: as before
    recorded = death_sae(died, aware, [4])
    got = build([CourseEvent("death", died)], now_day=10.5, fatal_saes=[4], death_sae=recorded)["death"]
    assert got.flag == "" and "recorded as serious adverse event #4" in got.text
    why = NoSaeNeeded("unrelated, reported as a death on study", "Marta", "investigator", aware + HOUR)
    got = build([CourseEvent("death", died)], now_day=10.5, death_sae=death_sae(died, aware, [], [why]))[
        "death"
    ]
    assert got.flag == "" and "no SAE report needed, as Marta (investigator) recorded" in got.text
    # Near a dose the death stays flagged, with where its report stands.
    near = D0 + 20 * HOUR
    got = build([CourseEvent("death", near)], now_day=2, death_sae=death_sae(near, near, [], [why]))["death"]
    assert (
        got.flag.startswith("death within 24 h of dose 1: death on ") and "no SAE report needed" in got.flag
    )
