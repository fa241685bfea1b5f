"""The nurse's screen never presents an old or impossible state as the current one: while the
feeds catch up a backlog the header and checks say the data are still arriving; after a death
(recorded, or only reported by ADT) no check is due after it and no dose can start; a stopped feed
says when its last value was; a check far into an infusion is named in hours or days."""

from __future__ import annotations

from dataclasses import replace

from bedside import nurse_checks
from bedside import nurse_screen as screen
from bedside.checks import CheckState, ScheduledCheck, check_label, during_offset
from bedside.feeds import FeedPace, FeedState, FeedStatus
from bedside.status import DoseInfo, PatientStatus

M, H = 60.0, 3600.0
T0 = 1_790_000_000.0
RUNNING = DoseInfo(7, 2, T0, None, "candidate", "pcd10", weight_kg=70.0)


def status(**kw) -> PatientStatus:  # type: ignore[no-untyped-def]
    return replace(PatientStatus(T0, "rules-1", (), (), (RUNNING,), {}, {}), **kw)


def test_while_the_feeds_catch_up_the_header_speaks_of_the_time_the_data_reached() -> None:
    now = T0 + 350 * H
    line = screen.dose_line(RUNNING, now, behind=349 * H)
    assert "350:00" not in line.state and "data still arriving (349 h behind)" in line.state
    assert line.state.startswith("As of " + screen.local(T0 + H)) and "INFUSING" in line.state
    ended = replace(RUNNING, end=T0 + 45 * M)
    said = screen.dose_line(ended, now, behind=300 * H).state
    assert "ended " + screen.local(T0 + 45 * M) in said and "ran 45 min" in said
    assert screen.dose_line(RUNNING, T0 + 90 * M).state.startswith("<b>INFUSING</b> 01:30:00")


def test_while_the_feeds_catch_up_no_check_is_called_missed() -> None:
    now = T0 + 350 * H
    c = nurse_checks.checks(status(), RUNNING, now, behind=349 * H)
    assert c.more_missed == 0 and len(c.rows) == 1
    assert c.rows[0].state is CheckState.LATER and "data still arriving" in c.rows[0].detail
    live = nurse_checks.checks(status(), RUNNING, now)
    assert live.more_missed > 1000  # the same schedule measured against the clock


def test_a_check_far_into_an_infusion_is_named_in_hours_or_days() -> None:
    assert during_offset(45) == "+45 min" and during_offset(120) == "+120 min"
    assert during_offset(135) == "+2 h 15 min" and during_offset(30 * 60) == "+30 h"
    assert during_offset(14 * 24 * 60) == "+14 d" and during_offset(20955) == "+14 d 13 h"
    label = check_label(ScheduledCheck("during+20955", "During", "", T0, 0.0, 0.0))
    assert label == "+14 d 13 h"


def test_after_a_reported_death_no_check_is_due_after_it() -> None:
    ended = replace(RUNNING, end=T0 + 45 * M)
    c = nurse_checks.checks(status(doses=(ended,), reported_death=T0 + 16 * H), ended, T0 + 26 * H)
    assert not any(r.state in (CheckState.DUE, CheckState.OVERDUE, CheckState.MISSED) for r in c.rows)
    assert c.rows[-1].detail == f"ADT reports death {screen.local(T0 + 16 * H)}, not confirmed"
    assert c.more_missed == 0 and c.signable == ()


def test_start_dose_says_why_it_is_disabled_after_a_recorded_death() -> None:
    assert nurse_checks.start_dose_tip(status()) == ""
    tip = nurse_checks.start_dose_tip(status(deceased_at=T0 + 16 * H))
    assert tip.startswith("No dose can be started") and screen.local(T0 + 16 * H) in tip


def test_a_feed_silent_for_long_says_when_its_last_value_was() -> None:
    now = T0 + 10 * H
    # Caught up after the death: received 5 s ago, its newest value observed 10 h before that.
    stopped = FeedStatus("MON^X", FeedState.STALE, 5.0, 10 * H)
    (chip,) = screen.feed_chips([stopped], FeedPace(), now)
    assert (
        chip.technical
        and chip.text == f"■ MON: no data for 10 h 00 min, last value {screen.local(now - 10 * H - 5)}"
    )
    (short,) = screen.feed_chips([FeedStatus("MON^X", FeedState.STALE, 75.0, 0.0)], FeedPace(), now)
    assert short.text == "■ MON: no data for 75 s"
