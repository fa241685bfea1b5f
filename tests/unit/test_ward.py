"""The ward overview's model: dose state, problems counted as the nurse sees them, and the ranking."""

from __future__ import annotations

from bedside.alerts import Alert
from bedside.feeds import FeedActivity
from bedside.model import Patient, PatientRef
from bedside.rules.engine import Baseline
from bedside.status import DoseInfo
from bedside.ward import (
    BedFacts,
    BedView,
    DoseState,
    WardFacts,
    bed_view,
    dose_state,
    rank_beds,
    ward_view,
)
from tests.helpers import shown_alert

NOW = 1_800_000_000.0
H = 3600.0


def dose(start: float, end: float | None, n: int = 1, state: str = "confirmed", **kw) -> DoseInfo:  # type: ignore[no-untyped-def]
    return DoseInfo(n, n, start, end, state, "pcd10", **kw)


def alert(
    i: int,
    severity: str = "high",
    state: str = "raised",
    escalated: bool = False,
    folded_into: int | None = None,
    rule: str = "B1",
) -> Alert:
    return shown_alert(
        i, 1, rule, f"alert {i}", severity, state, NOW - 60 * i, "", escalated, folded_into=folded_into
    )


def monitor(silent_for: float = 2.0) -> FeedActivity:
    return FeedActivity("SIM_MON^0001", NOW - silent_for, NOW - silent_for, 100)


def facts(
    bed: str,
    doses: tuple[DoseInfo, ...] = (),
    alerts: tuple[Alert, ...] = (),
    feeds: tuple[FeedActivity, ...] | None = None,
    latest: dict[str, tuple[float, float]] | None = None,
) -> BedFacts:
    patient = Patient(PatientRef(f"MRN{bed}"), "SYNTHETIC", f"Patient {bed}", f"ICU^{bed}^1")
    values = FRESH if latest is None else latest
    return BedFacts(patient, doses, alerts, values, (monitor(),) if feeds is None else feeds)


FRESH = {"hr": (NOW - 5, 80.0), "spo2": (NOW - 5, 97.0)}


def view(f: BedFacts) -> BedView:
    return bed_view(f, NOW, 15.0, {"B1": frozenset({"hr"})})


def test_dose_state_windows() -> None:
    assert dose_state([], NOW) == (DoseState.NONE, None)
    running = dose(NOW - H, None)
    assert dose_state([running], NOW) == (DoseState.INFUSING, running)
    assert dose_state([dose(NOW - 3 * H, NOW - 2 * H)], NOW)[0] is DoseState.WINDOW_6H
    assert dose_state([dose(NOW - 9 * H, NOW - 6 * H - 1)], NOW)[0] is DoseState.WINDOW_24H
    old = dose(NOW - 50 * H, NOW - 49 * H)
    assert dose_state([old], NOW) == (DoseState.NONE, old)  # still named on the tile, no window
    # An unconfirmed pump start is watched by the rules: it counts as infusing.
    assert dose_state([old, dose(NOW - 60, None, 2, "candidate")], NOW)[0] is DoseState.INFUSING
    # A dose entered ahead of time has not started.
    assert dose_state([dose(NOW + H, None)], NOW)[0] is DoseState.NONE


def test_problems_count_composites_not_their_components() -> None:
    v = view(
        facts("1", alerts=(alert(1), alert(2, folded_into=1), alert(3, folded_into=1), alert(4, "medium")))
    )
    assert [a.id for a in v.problems] == [1, 4]
    assert v.count("high") == 1 and v.count("medium") == 1


def test_numerics_against_the_running_dose_baseline_and_coloured_by_open_alerts() -> None:
    d = dose(NOW - H, None, baselines={"hr": Baseline("hr", 80.0, "median", 30)})
    v = view(facts("1", (d,), (alert(1),), latest={"hr": (NOW - 5, 120.0), "spo2": (NOW - 5, 95.0)}))
    hr = next(r for r in v.readings if r.spec.key == "hr")
    assert (hr.value, hr.baseline, hr.change, hr.severity) == (120.0, 80.0, 40.0, "high")
    assert [r.spec.key for r in v.readings] == ["hr", "spo2", "abp_sys", "temp"]
    bp = next(r for r in v.readings if r.spec.key == "abp_sys")
    assert bp.value is None and bp.stale


def test_ranking_beds_that_need_attention_first() -> None:
    running = dose(NOW - H, None)
    ended_2h = dose(NOW - 4 * H, NOW - 2 * H)
    ended_12h = dose(NOW - 14 * H, NOW - 12 * H)
    beds = {
        "quiet": facts("10"),
        "24h": facts("09", (ended_12h,)),
        "stale-no-dose": facts("08", feeds=(monitor(silent_for=120.0),)),
        "6h": facts("07", (ended_2h,)),
        "acked-high": facts("06", alerts=(alert(1, state="acknowledged"),)),
        "raised-medium": facts("05", alerts=(alert(1, "medium"),)),
        "infusing": facts("04", (running,)),
        "blind-during-dose": facts("03", (ended_2h,), feeds=()),
        "escalated": facts("02", alerts=(alert(1, "medium", escalated=True),)),
        "high": facts("01", (running,), alerts=(alert(1),)),
    }
    order = [str(b.patient.ref) for b in rank_beds([view(f) for f in reversed(list(beds.values()))])]
    names = {str(f.patient.ref): name for name, f in beds.items()}
    assert [names[r] for r in order] == [
        "high",
        "escalated",
        "blind-during-dose",
        "infusing",
        "raised-medium",
        "acked-high",
        "6h",
        "stale-no-dose",
        "24h",
        "quiet",
    ]
    reasons = {names[str(b.patient.ref)]: b.attention.reason for b in [view(f) for f in beds.values()]}
    assert reasons["high"] == "HIGH not acknowledged (1)"
    assert reasons["blind-during-dose"] == "no data during the dose window"
    assert reasons["quiet"] == ""


def test_stale_feed_in_a_dose_window_outranks_a_calm_infusion() -> None:
    stale = view(facts("2", (dose(NOW - H, None),), feeds=(monitor(silent_for=60.0),)))
    calm = view(facts("1", (dose(NOW - H, None),)))
    assert stale.blind and not calm.blind
    assert rank_beds([calm, stale]) == [stale, calm]


def test_a_talking_feed_with_old_values_is_no_view_of_the_bed() -> None:
    old = {"hr": (NOW - 900, 90.0), "spo2": (NOW - 900, 95.0)}
    v = view(facts("1", (dose(NOW - H, None),), latest=old))
    assert v.blind and v.blind_reason == "no current HR or SpO2"
    assert v.attention.rank == 2
    fresh = view(facts("1", latest={"hr": (NOW - 5, 90.0), "spo2": (NOW - 900, 95.0)}))
    assert not fresh.blind


def test_equal_rank_by_severity_then_number_of_problems_then_bed() -> None:
    one = view(facts("1", alerts=(alert(1, "medium", "acknowledged"),)))
    two = view(facts("2", alerts=(alert(1, "medium", "acknowledged"), alert(2, "low", "acknowledged"))))
    high = view(facts("3", alerts=(alert(1, "high", "acknowledged"),)))
    assert [b.patient.bed for b in rank_beds([one, two, high])] == ["ICU^3^1", "ICU^2^1", "ICU^1^1"]
    a, b = view(facts("1")), view(facts("2"))
    assert rank_beds([b, a]) == [a, b]


def test_ward_view_knows_whether_alerting_runs() -> None:
    w = ward_view(WardFacts((facts("1"),), NOW - 5, "r1", NOW), NOW, 15.0, {})
    assert w.alerting_live
    assert not ward_view(WardFacts((), NOW - 60, "r1", NOW), NOW, 15.0, {}).alerting_live
    assert not ward_view(WardFacts((), None, "", None), NOW, 15.0, {}).alerting_live


def test_alerts_folded_under_a_composite_that_resolved_are_problems_again() -> None:
    # The composite (id 9) resolved and left the open list; its components are still open: the bed
    # must not read as having no open alert.
    v = view(facts("1", alerts=(alert(2, folded_into=9), alert(3, "medium", folded_into=9))))
    assert [a.id for a in v.problems] == [2, 3]
    assert v.count("high") == 1 and v.count("medium") == 1


def test_a_stopped_feed_greys_an_infusing_beds_alerting_values_and_the_bed_says_it_cannot_see() -> None:
    from bedside.feeds import data_age, describe_silence

    # The monitor's last message came 44 s ago with values observed 81 s ago (its clock lags).
    stopped = FeedActivity("SIM_MON^0001", NOW - 44, NOW - 81, 100)
    latest = {"hr": (NOW - 81, 133.0), "spo2": (NOW - 81, 84.0), "temp": (NOW - 300, 38.9)}
    bed = view(facts("1", (dose(NOW - H, None),), (alert(1, "high"),), feeds=(stopped,), latest=latest))
    hr = next(r for r in bed.readings if r.spec.key == "hr")
    assert hr.severity == "high" and hr.stale and hr.shown_severity is None  # greyed, not red
    # The value's age and the feed's "no data for" are one age.
    assert describe_silence(hr.age or 0) == describe_silence(data_age(bed.feeds[0])) == "81 s"
    # A value older than the feed's last word but within its own interval is greyed too.
    assert next(r for r in bed.readings if r.spec.key == "temp").stale
    # The alert keeps the bed first, and the bed says it cannot see the patient beside it.
    assert bed.attention.rank == 0
    assert bed.attention.reason == "HIGH not acknowledged (1) · no data"
    # With the feed live, the same alerting value is red and current.
    live = view(facts("1", (dose(NOW - H, None),), (alert(1, "high"),), latest={"hr": (NOW - 2, 133.0)}))
    hr = next(r for r in live.readings if r.spec.key == "hr")
    assert not hr.stale and hr.shown_severity == "high"
    assert live.attention.reason == "HIGH not acknowledged (1)"


def test_a_tile_counts_every_open_alert_by_severity_as_the_alerts_list_shows_them() -> None:
    from bedside.ward_text import alerts_text

    composite = alert(1, "high")
    members = (
        *(alert(i, "high", folded_into=1) for i in range(2, 7)),
        *(alert(i, "medium", folded_into=1) for i in range(7, 14)),
        alert(14, "low", folded_into=1),
    )
    bed = view(facts("1", alerts=(composite, *members)))
    assert len(bed.problems) == 1
    assert alerts_text(bed) == "14 open (6 high, 7 medium, 1 low), 1 to acknowledge"
    # One folded in after its composite was acknowledged waits on its own, as on the nurse's button.
    acked = alert(1, "high", "acknowledged")
    late = view(facts("1", alerts=(acked, alert(2, "medium", folded_into=1))))
    assert alerts_text(late) == "2 open (1 high, 1 medium), 1 to acknowledge"
    assert alerts_text(view(facts("1"))) == ""
