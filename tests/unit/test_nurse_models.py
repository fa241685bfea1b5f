"""The Qt-free models behind the nurse's screen: check schedule, numerics, P/F, reference ranges."""

from __future__ import annotations

import numpy as np
import pytest

from bedside.alerts import Alert, AlertState
from bedside.checks import CheckState, Signature, check_statuses, on_screen, schedule, state_of
from bedside.labs import reference_band
from bedside.numerics import readings
from bedside.oxygenation import pf_ratios
from bedside.rules.engine import Baseline, baselines_json, parse_baselines
from bedside.rules.ruleset import RuleSet

M, H = 60.0, 3600.0
T0 = 1_790_000_000.0


def by_key(checks):  # type: ignore[no-untyped-def]
    return {c.key: c for c in checks}


def _open(rule_id: str, severity: str, alert_id: int = 1, fired_at: float = T0) -> Alert:
    """An open alert of the dose (id 1)."""
    return Alert(alert_id, 1, rule_id, severity, AlertState.RAISED, fired_at, fired_at, fired_at, fired_at)


def _high(alert_id: int, fired_at: float) -> Alert:
    return _open("H1", "high", alert_id, fired_at)


def test_schedule_of_a_dose_follows_the_clinical_table() -> None:
    end = T0 + 50 * M
    checks = by_key(schedule(T0, end, now=end))
    assert checks["baseline"].due == T0 and checks["baseline"].before == H
    # q15 min during the infusion until its end (15, 30, 45; 60 is after the end)
    assert [k for k in checks if k.startswith("during")] == ["during+15", "during+30", "during+45"]
    assert checks["end"].due == end and checks["end"].after == 10 * M
    assert checks["post+60"].due == end + H and checks["post+60"].after == 10 * M
    assert [checks[f"hourly+{h}h"].due for h in range(2, 7)] == [end + h * H for h in range(2, 7)]
    assert [checks[f"4h+{h}h"].due for h in (10, 14, 18, 22, 24)] == [
        end + h * H for h in (10, 14, 18, 22, 24)
    ]
    assert checks["abg+1h"].after == 30 * M and checks["labs+7d"].due == end + 7 * 24 * H
    assert checks["review+1h"].after == 2 * H  # flagged when unsigned after +2 h


def test_while_the_infusion_runs_its_end_checks_wait() -> None:
    checks = by_key(schedule(T0, None, now=T0 + 20 * M))
    assert "during+30" in checks and "during+45" not in checks  # up to the next one ahead
    assert checks["end"].due is None and checks["post+15"].due is None
    assert state_of(checks["post+15"], T0 + 20 * M, None) is CheckState.WAITING


@pytest.mark.parametrize(
    ("minutes", "state"),
    [
        (-30, CheckState.LATER),
        (-15, CheckState.UPCOMING),
        (-5, CheckState.DUE),
        (0, CheckState.DUE),
        (5, CheckState.DUE),
        (6, CheckState.OVERDUE),
        (10, CheckState.OVERDUE),
        (11, CheckState.MISSED),
    ],
)
def test_states_around_a_check_with_five_minutes_either_side(minutes: float, state: CheckState) -> None:
    check = by_key(schedule(T0, None, now=T0 + 20 * M))["during+15"]
    assert state_of(check, check.due + minutes * M, None) is state  # type: ignore[operator]


def test_a_signature_makes_it_done_and_high_alerts_add_one_check_per_cluster() -> None:
    now = T0 + 40 * M
    checks = schedule(
        T0, None, now, high_alerts=(_high(9, T0 + 45 * M), _high(7, T0 + 25 * M), _high(8, T0 + 27 * M))
    )
    unscheduled = [c for c in checks if c.group == "Unscheduled"]
    assert [c.key for c in unscheduled] == ["alert7", "alert9"]  # 8 fired 2 min after 7: one check
    statuses = check_statuses(checks, [Signature("during+15", T0 + 16 * M, "AB")], now)
    done = [s for s in statuses if s.state is CheckState.DONE]
    assert [s.check.key for s in done] == ["during+15"] and done[0].signed.by == "AB"  # type: ignore[union-attr]
    shown = on_screen(statuses)
    assert shown[0].check.key == "during+15"
    assert any(s.check.key == "alert7" for s in shown)


def test_numerics_against_baseline_coloured_only_by_the_rules_that_read_them() -> None:
    rules = RuleSet.load()
    latest = {
        "hr": (T0 - 5, 131.0),
        "abp_sys": (T0 - 5, 84.0),
        "abp_dia": (T0 - 5, 48.0),
        "abp_mean": (T0 - 5, 60.0),
        "temp": (T0 - 900, 38.4),
        "nibp_sys": (T0 - 3000, 90.0),
    }
    baselines = {
        "hr": Baseline("hr", 88.0, "median", 40),
        "abp_sys": Baseline("abp_sys", 118.0, "median", 40),
        "temp": Baseline("temp", None, "last", 0, "no temp value in the hour before the start"),
    }
    out = {
        r.spec.key: r
        for r in readings(
            latest, baselines, [_open("H1", "medium"), _open("B1", "high")], rules.signals_of(), T0
        )
    }
    assert out["hr"].text() == "131" and out["hr"].change == 43 and out["hr"].severity == "medium"
    assert (
        out["abp_sys"].text() == "84/48 (60)"
        and out["abp_sys"].label == "ABP"
        and out["abp_sys"].severity == "high"
    )
    assert out["spo2"].severity is None and out["spo2"].value is None and out["spo2"].text() == "—"
    assert out["temp"].stale and out["temp"].baseline_text() == "no baseline"  # 15 min old: greyed
    assert not out["hr"].stale


def test_p_f_uses_the_fio2_in_force_at_the_draw() -> None:
    times = np.array([T0 - 2 * H, T0 - 10 * M, T0 + 30 * M])
    fio2 = np.array([40.0, 60.0, 80.0])
    out = pf_ratios([(T0, 90.0), (T0 - 3 * H, 80.0), (T0 + 3 * H, 70.0)], times, fio2)
    assert out == [(T0, pytest.approx(150.0), 60.0)]  # before any FiO2, and 2.5 h after the last: none


def test_reference_ranges_and_stored_baselines_round_trip() -> None:
    assert reference_band("0.5-1.1") == (0.5, 1.1) and reference_band("<8") == (0.0, 8.0)
    assert reference_band(">= 60")[0] == 60 and reference_band("negative") is None  # type: ignore[index]
    b = {"hr": Baseline("hr", 88.0, "median", 40), "temp": Baseline("temp", None, "last", 0, "none")}
    assert parse_baselines(baselines_json(b)) == b
    assert parse_baselines("not json") == {}


def test_pre_dose_check_names_what_is_missing() -> None:
    from bedside.checks import pre_dose_gaps

    now = T0
    vitals = {"heart rate": now - 30, "SpO2": now - 2 * H, "blood pressure": None}
    gaps = pre_dose_gaps(now, vitals, [now - 20 * H], [now - 7 * H])
    assert gaps == [
        "no SpO2 in the last 60 min",
        "no blood pressure in the last 60 min",
        "no arterial blood gas in the last 6 h",
    ]
    assert pre_dose_gaps(now, {"heart rate": now}, [now - H], [now - H]) == []
