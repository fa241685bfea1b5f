"""Notices of arrived data and the minute-close rule that both the ingest side and the runner apply."""

from __future__ import annotations

import pytest
from bedside_adapters.alerting.notices import (
    Bed,
    MinuteCloses,
    Pending,
    Whose,
    add_notice,
    late,
    merge,
    parse_whose,
    whose_text,
)

from bedside.model import PatientRef

P1 = PatientRef("P1", "H")
P2 = PatientRef("P2", "H")

T = 1_700_000_000.0 - 1_700_000_000.0 % 60  # the start of a minute


def test_a_notice_keeps_the_earliest_commit_and_the_newest_value() -> None:
    pending: dict[Whose, Pending] = {}
    add_notice(pending, P1, T + 5, committed_at=100.0)
    add_notice(pending, P1, T + 3, committed_at=101.0)
    assert pending[P1] == (100.0, T + 5, False)
    add_notice(pending, P1, None, committed_at=102.0)  # a lab result, an infusion event, ADT
    assert pending[P1] == (100.0, T + 5, True)


def test_merging_into_a_queue_keeps_the_earliest_commit_and_the_newest_value() -> None:
    queue: dict[Whose, Pending] = {}
    merge(queue, P1, (100.0, None, True))
    assert queue[P1] == (100.0, None, True)
    merge(queue, P1, (99.0, T + 7, False))
    assert queue[P1] == (99.0, T + 7, True)
    merge(queue, P1, (101.0, T + 2, False))
    assert queue[P1] == (99.0, T + 7, True)


def test_a_value_closes_a_minute_once_and_late_data_always() -> None:
    minutes = MinuteCloses()
    now = T + 30
    assert minutes.closes(P1, T + 1, now)  # the first value of a minute
    assert not minutes.closes(P1, T + 20, now)  # the same minute, still open
    assert not minutes.closes(P1, T - 30, now)  # the minute before: closed with the one above
    assert minutes.closes(P2, T + 20, now)  # each patient or bed on its own
    assert minutes.closes(P1, T + 61, now + 60)  # the next minute
    assert minutes.closes(P1, T - 150, now + 60)  # a minute closed long ago: late data, read again
    assert minutes.closes(Bed("12"), T + 2, now) and not minutes.closes(Bed("12"), T + 3, now)


def test_late_means_before_the_last_closed_minute() -> None:
    assert not late(T - 60, T + 10)
    assert late(T - 60.5, T + 10)


def test_a_notice_names_a_patient_a_bed_or_nobody_and_crosses_the_pipe_as_text() -> None:
    for whose in (
        PatientRef("SIM1", "BEDSIDE_DEMO"),
        PatientRef("SIM1", ""),  # no authority named by the sender
        PatientRef("bed:7", "H"),  # an MRN that happens to begin like a bed's text
        Bed("ICU^07^1"),  # a bed's name keeps its own `^`
        None,
    ):
        assert parse_whose(whose_text(whose)) == whose
    assert whose_text(PatientRef("bed:7", "H")) != whose_text(Bed("7^H"))
    with pytest.raises(ValueError):
        parse_whose("SIM1^H")  # text no notice was written as: refused, never guessed at
    # The same patient from ingest and from a dose's record is one key (one queue entry).
    pending: dict[Whose, Pending] = {}
    add_notice(pending, parse_whose(whose_text(PatientRef("SIM1", "H"))), T + 1, committed_at=100.0)
    add_notice(pending, PatientRef("SIM1", "H"), None, committed_at=101.0)
    assert pending == {PatientRef("SIM1", "H"): (100.0, T + 1, True)}
