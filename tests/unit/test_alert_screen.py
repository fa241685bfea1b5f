"""The nurse's screen's alert model without Qt: the banner's alert, the list, what a selection
acknowledges, when the screen sounds and how a mute ends; and the check a signature preselects."""

from __future__ import annotations

import pytest

from bedside.alert_screen import (
    MUTE_SECONDS,
    AlertSound,
    ack_targets,
    banner_alert,
    escalation_text,
    list_rows,
    unacknowledged,
)
from bedside.alerts import Alert
from bedside.checks import CheckState, check_statuses, preselect, schedule
from tests.helpers import shown_alert

T = 1_790_000_000.0


def alert(
    id: int,
    severity: str = "medium",
    state: str = "raised",
    fired: float = 0.0,
    folded_into: int | None = None,
    escalated: bool = False,
    acked_by: str = "",
) -> Alert:
    return shown_alert(
        id,
        1,
        f"R{id}",
        f"alert {id}",
        severity,
        state,
        T + fired,
        "",
        escalated=escalated,
        acked_by=acked_by,
        acked_at=T + 99 if acked_by else None,
        folded_into=folded_into,
    )


def test_the_banner_shows_the_most_severe_unacknowledged_problem_and_moves_on() -> None:
    composite = alert(1, "high", fired=60)
    part = alert(2, "high", fired=30, folded_into=1)
    other = alert(3, "medium", fired=90)
    open_ = [composite, part, other]
    assert banner_alert(open_) == composite
    # The composite acknowledged (its parts with it): the next problem, not the acknowledged one.
    acked = [
        alert(1, "high", "acknowledged", 60, acked_by="AB"),
        alert(2, "high", "acknowledged", 30, 1, acked_by="AB"),
        other,
    ]
    assert banner_alert(acked) == other
    # Everything acknowledged: the most severe open problem stays on the banner.
    all_acked = [*acked[:2], alert(3, "medium", "acknowledged", 90, acked_by="AB")]
    assert banner_alert(all_acked) == all_acked[0]
    # A part folded in after its composite was acknowledged waits on its own.
    late = alert(4, "high", fired=120, folded_into=1)
    assert unacknowledged([*all_acked, late]) == [late]
    assert banner_alert([]) is None


def test_the_list_puts_each_problem_above_its_parts_and_a_selection_acknowledges_once() -> None:
    composite, part, other = alert(1, "high", fired=60), alert(2, "high", fired=30, folded_into=1), alert(3)
    resolved = alert(5, state="resolved", acked_by="AB")
    rows = list_rows([composite, part, other], [resolved])
    assert [(r.alert.id, r.depth) for r in rows] == [(1, 0), (2, 1), (3, 0), (5, 0)]
    everything = [composite, part, other, resolved]
    # The part goes with its selected composite; an acknowledged-and-resolved alert is left alone.
    assert ack_targets([2, 1, 3, 5], everything) == [1, 3]
    assert ack_targets([2], everything) == [2]


def test_escalation_is_named_while_it_waits_and_after() -> None:
    assert escalation_text(alert(1, escalated=True), 5) == "ESCALATED: not acknowledged for 5 min"
    assert escalation_text(alert(1, state="acknowledged", escalated=True, acked_by="AB"), 5) == (
        "escalated (was not acknowledged for 5 min)"
    )
    assert escalation_text(alert(1), 5) == ""


def test_high_alerts_sound_until_acknowledged_and_a_mute_expires_by_itself() -> None:
    sound = AlertSound(repeat=30)
    medium, high = alert(1), alert(2, "high")
    assert not sound.cue([medium], T)  # a medium alert is quiet unless every alert is to sound
    assert sound.cue([medium, high], T + 1)  # a High one sounds at once
    assert not sound.cue([medium, high], T + 10)
    assert sound.cue([medium, high], T + 31)  # and again while nobody acknowledges it
    mute = sound.mute_for("AB", T + 40)
    assert mute.until == T + 40 + MUTE_SECONDS
    assert not any(sound.cue([medium, high, alert(3, "high")], T + 40 + s) for s in (1, 60, 119))
    assert sound.cue([medium, high], T + 40 + MUTE_SECONDS)  # the mute ran out: at once
    assert sound.mute is None
    acked = alert(2, "high", "acknowledged", acked_by="AB")
    assert not sound.cue([medium, acked], T + 400)
    # Escalated: sounds whatever its severity; a new medium alert cues only with every alert on.
    assert sound.cue([alert(1, escalated=True), acked], T + 401)
    quiet = AlertSound()
    quiet.cue([medium], T)
    assert not quiet.cue([medium, alert(4)], T + 1)
    assert quiet.cue([medium, alert(4), alert(5)], T + 2, every_new=True)


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (-30, "baseline"),
        (0, "start"),
        (40, "during+45"),
        (53, "during+45"),
        (55, "during+60"),
        (58, "during+60"),
    ],
)
def test_the_check_preselected_is_the_one_due_now_never_the_old_baseline(
    minutes: float, expected: str
) -> None:
    start = T
    now = start + minutes * 60
    statuses = check_statuses(schedule(start, None, now), [], now)
    key = preselect(statuses, now)
    assert key == expected
    assert next(s.state for s in statuses if s.check.key == "baseline") in (
        CheckState.MISSED,
        CheckState.DUE,
        CheckState.UPCOMING,
    )


def test_unacknowledged_high_alerts_folded_under_an_escalated_problem_are_shown_escalated_with_it() -> None:
    from bedside.alert_screen import row_escalation_text

    parent = alert(1, "high", escalated=True)
    waiting_high = alert(2, "high", folded_into=1)
    waiting_medium = alert(3, "medium", folded_into=1)
    acked_high = alert(4, "high", "acknowledged", folded_into=1, acked_by="AB")
    rows = {r.alert.id: r for r in list_rows([parent, waiting_high, waiting_medium, acked_high])}
    assert rows[1].escalated_with is None and row_escalation_text(rows[1], 5).startswith("ESCALATED")
    assert rows[2].escalated_with == parent and row_escalation_text(rows[2], 5) == "ESCALATED with R1"
    # Only what the escalation is about: a High alert nobody acknowledged.
    assert rows[3].escalated_with is None and row_escalation_text(rows[3], 5) == ""
    assert rows[4].escalated_with is None and row_escalation_text(rows[4], 5) == ""
    # A problem not escalated leaves its members' column empty.
    calm = {r.alert.id: r for r in list_rows([alert(1, "high"), waiting_high])}
    assert calm[2].escalated_with is None and row_escalation_text(calm[2], 5) == ""
