"""The report's adverse-event table names who first recorded each event (version 1's signature) and,
after a follow-up, who last changed it, never the latest version's author alone; and the MedDRA code
recorded under the term."""

from __future__ import annotations

from bedside_ui.report import _recorded_and_changed

from bedside.users import SignedBy

T = 1_780_000_000.0


def test_the_first_recorder_and_the_last_change_are_both_named() -> None:
    recorded = {
        1: SignedBy("Ana Lopez", "nurse", "", T),
        7: SignedBy("Marta Ruiz", "investigator", "", T + 80),
    }
    event = {"id": 1, "version_id": 7, "version": 2, "versions": 2, "reported_by": "marta", "history": []}
    first, last = _recorded_and_changed(event, recorded).split("\n")
    assert first.startswith("Ana Lopez (nurse) ")
    assert last.startswith("last changed by Marta Ruiz (investigator) ") and last.endswith("(version 2)")
    once = {"id": 1, "version_id": 1, "version": 1, "versions": 1, "reported_by": "ana", "history": []}
    assert "\n" not in _recorded_and_changed(once, recorded)
    # Unsigned versions are named by account: the first version's from its history.
    unsigned = {**event, "history": [{"version": 1, "by": "ana"}, {"version": 2, "by": "marta"}]}
    assert _recorded_and_changed(unsigned, {}) == "ana\nlast changed by marta (version 2)"
