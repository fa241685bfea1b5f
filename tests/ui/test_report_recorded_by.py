"""The report's adverse-event table names who first recorded each event (version 1's signature) and,
after a follow-up, who last changed it, never the latest version's author alone; and the MedDRA code
recorded under the term."""

from __future__ import annotations

from bedside_ui.report import _recorded_and_changed

from bedside.users import SignedBy
from tests.listed_events import listed

T = 1_780_000_000.0


def test_the_first_recorder_and_the_last_change_are_both_named() -> None:
    recorded = {
        1: SignedBy("Ana Lopez", "nurse", "", T),
        7: SignedBy("Marta Ruiz", "investigator", "", T + 80),
    }
    # Version 2 (row 7) of event 1.
    event = listed(id=7, event=1, version=2, versions=2, reported_by="marta")
    first, last = _recorded_and_changed(event, recorded).split("\n")
    assert first.startswith("Ana Lopez (nurse) ")
    assert last.startswith("last changed by Marta Ruiz (investigator) ") and last.endswith("(version 2)")
    once = listed(id=1, versions=1, reported_by="ana")
    assert "\n" not in _recorded_and_changed(once, recorded)
    # Unsigned versions are named by account: the first version's from its history.
    unsigned = listed(
        id=7, event=1, version=2, versions=2, reported_by="marta",
        history=[{"version": 1, "by": "ana"}, {"version": 2, "by": "marta"}],
    )  # fmt: skip
    assert _recorded_and_changed(unsigned, {}) == "ana\nlast changed by marta (version 2)"
