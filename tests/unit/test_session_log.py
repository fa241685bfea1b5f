"""A screen's session events in the safety log, against the in-memory unit of work: one entry per
event, committed in a unit of work of its own, typed by what happened."""

from __future__ import annotations

import pytest

from bedside.session import log_session, session_entry
from bedside.users import Role, User
from tests.unit.fake_uow import FakeUnitOfWork

NOW = 1_780_000_000.0
ANA = User(username="ana", full_name="Ana Ruiz", role=Role.NURSE)


def test_each_event_is_one_committed_entry_with_its_sequence_number() -> None:
    uow = FakeUnitOfWork()
    seqs = [
        log_session(uow, session_entry("signed_in", "ana", "nurse", user=ANA), NOW),
        log_session(uow, session_entry("locked", "ana", "nurse", "idle 5 min"), NOW + 300),
        log_session(uow, session_entry("refused_signature", "ana", "review", "wrong password"), NOW + 400),
    ]
    assert seqs == [1, 2, 3] and uow.commits == 3
    assert uow.log.kinds() == ["session.signed_in", "session.locked", "session.refused"]
    assert [at for _e, at in uow.log.entries] == [NOW, NOW + 300, NOW + 400]
    signed_in, locked, refused = (e for e, _at in uow.log.entries)
    assert signed_in.actor == "ana" and signed_in.payload()["role"] == "nurse"
    assert locked.payload()["reason"] == "idle 5 min"
    assert refused.actor == "ana" and refused.payload()["at"] == "signature"


def test_a_refused_sign_in_is_logged_under_the_name_as_typed_and_printable() -> None:
    uow = FakeUnitOfWork()
    log_session(uow, session_entry("refused", "ana\x1b[2J", "nurse", "wrong password"), NOW)
    ((entry, _at),) = uow.log.entries
    assert entry.actor == "ana[2J" and entry.payload()["at"] == "sign-in"


def test_an_entry_the_log_cannot_take_leaves_nothing() -> None:
    uow = FakeUnitOfWork()

    def broken(entry: object, at: float) -> int:
        raise OSError("disk full")

    uow.log.record = broken  # type: ignore[method-assign]
    with pytest.raises(OSError):
        log_session(uow, session_entry("locked", "ana", "nurse", "idle"), NOW)
    assert uow.commits == 0


def test_a_sign_in_names_who_signed_in() -> None:
    with pytest.raises(ValueError, match="names the user"):
        session_entry("signed_in", "ana", "nurse")
