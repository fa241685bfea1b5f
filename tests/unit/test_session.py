"""A screen's session without Qt: locked at first, signed in, locked when idle, switched; the first
signature of a session asks both components, the next ones the password only."""

from __future__ import annotations

import pytest

from bedside.session import MAX_FAILED_SIGNATURES, Session, SessionLocked, session_entry
from bedside.users import IMPLIED_MEANING, Action, NotAllowed, Role, SignatureError, User

ANA = User(username="ana", full_name="Ana Lopez", role=Role.NURSE)
LUIS = User(username="luis", full_name="Luis Ortega", role=Role.INTENSIVIST)
ADMIN = User(username="admin", full_name="Site Admin", role=Role.ADMIN)


class Clocks:
    def __init__(self) -> None:
        self.idle = 100.0
        self.wall = 1_790_000_000.0


@pytest.fixture
def clocks() -> Clocks:
    return Clocks()


@pytest.fixture
def session(clocks: Clocks) -> Session:
    return Session(10, clock=lambda: clocks.idle, wall=lambda: clocks.wall)


def test_a_screen_starts_locked_and_takes_no_action(session: Session) -> None:
    assert session.locked and session.user is None and session.idle_deadline() is None
    with pytest.raises(SessionLocked, match="sign in first"):
        session.request(Action.ACKNOWLEDGE)
    assert session.lock() is None  # nothing to lock


def test_signing_in_starts_a_session_dated_by_the_wall_clock(session: Session, clocks: Clocks) -> None:
    session.sign_in(ANA)
    assert not session.locked and session.user == ANA and session.since == clocks.wall
    assert session.idle_deadline() == clocks.idle + 600


def test_idle_time_locks_and_any_activity_postpones_it(session: Session, clocks: Clocks) -> None:
    session.sign_in(ANA)
    clocks.idle += 599
    assert session.lock_if_idle() is None
    session.touch()  # a key or a mouse event
    clocks.idle += 599
    assert not session.idle_due() and not session.locked
    clocks.idle += 1
    assert session.lock_if_idle() == ANA
    assert session.locked and session.last_user == ANA and session.lock_reason == "idle"
    assert session.locked_at == clocks.wall and session.lock_if_idle() is None


def test_the_first_signature_of_a_session_asks_both_components_then_the_password_only(
    session: Session, clocks: Clocks
) -> None:
    session.sign_in(ANA)
    first = session.request(Action.ACKNOWLEDGE)
    assert first.both_components and first.signer == ANA
    assert first.implied == IMPLIED_MEANING[Action.ACKNOWLEDGE]
    signature = session.sign(first, ANA)
    assert (signature.username, signature.full_name, signature.role) == ("ana", "Ana Lopez", Role.NURSE)
    assert signature.meaning == IMPLIED_MEANING[Action.ACKNOWLEDGE] and signature.signed_at == clocks.wall
    assert not session.request(Action.SIGN_CHECK).both_components
    # A new session (after a lock, or another user) asks both again.
    session.lock()
    session.sign_in(ANA)
    assert session.request(Action.ACKNOWLEDGE).both_components


def test_a_meaning_the_action_does_not_imply_must_be_stated(session: Session) -> None:
    session.sign_in(ANA)
    request = session.request(Action.RECORD_ADVERSE_EVENT)
    assert request.implied is None
    with pytest.raises(SignatureError, match="means"):
        session.sign(request, ANA, "  ")
    assert session.signatures == 0 and session.request(Action.ACKNOWLEDGE).both_components
    signature = session.sign(request, ANA, "Documented: I observed this event")
    assert signature.meaning == "Documented: I observed this event"


def test_only_the_user_signed_in_signs_here(session: Session) -> None:
    session.sign_in(ANA)
    request = session.request(Action.ACKNOWLEDGE)
    with pytest.raises(SignatureError, match="only ana signs here"):
        session.sign(request, LUIS)
    assert session.signatures == 0


def test_a_role_that_may_not_take_the_action_is_refused_before_any_password(session: Session) -> None:
    session.sign_in(ADMIN)
    with pytest.raises(NotAllowed, match="an admin may not acknowledge an alert"):
        session.request(Action.ACKNOWLEDGE)


def test_switching_user_starts_a_new_session_and_remembers_who_was_signed_in(session: Session) -> None:
    session.sign_in(ANA)
    session.sign(session.request(Action.ACKNOWLEDGE), ANA)
    assert session.lock("switch user") == ANA
    session.sign_in(LUIS)
    assert session.user == LUIS and session.last_user == ANA and session.signatures == 0


def test_wrong_passwords_at_a_signature_lock_the_screen(session: Session) -> None:
    session.sign_in(ANA)
    for _ in range(MAX_FAILED_SIGNATURES - 1):
        assert not session.signature_refused()
    assert not session.locked
    assert session.signature_refused()
    assert session.locked and session.lock_reason == "wrong passwords"


def test_a_right_password_forgives_the_wrong_ones_before_it(session: Session) -> None:
    session.sign_in(ANA)
    for _ in range(MAX_FAILED_SIGNATURES - 1):
        session.signature_refused()
    session.sign(session.request(Action.ACKNOWLEDGE), ANA)
    assert not session.signature_refused() and not session.locked


def test_a_disabled_user_cannot_start_a_session(session: Session) -> None:
    with pytest.raises(SessionLocked):
        session.sign_in(User(username="bo", full_name="Bo", role=Role.NURSE, active=False))
    assert session.locked


def test_the_idle_time_is_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        Session(0)


def test_a_session_event_becomes_its_entry_in_one_place() -> None:
    ana = User(username="ana", full_name="Ana Lopez", role=Role.NURSE)
    signed = session_entry("signed_in", "ana", "icu-pc-3", user=ana)
    assert (signed.kind, signed.actor) == ("session.signed_in", "ana")
    assert signed.payload() == {"name": "Ana Lopez", "role": "nurse", "screen": "icu-pc-3"}
    locked = session_entry("locked", "ana", "icu-pc-3", "idle")
    assert (locked.kind, locked.payload()) == ("session.locked", {"reason": "idle", "screen": "icu-pc-3"})
    refused = session_entry("refused_signature", "ana", "icu-pc-3")
    assert refused.payload() == {"at": "signature", "screen": "icu-pc-3"}
    with pytest.raises(ValueError, match="names the user"):
        session_entry("signed_in", "ana", "icu-pc-3")


def test_a_refused_username_is_logged_printable_and_bounded() -> None:
    typed = "eve\x1b[2J" + "x" * 200
    entry = session_entry("refused", typed, "bedside-cli", "unknown user")
    assert entry.actor == ("eve[2J" + "x" * 200)[:120] and entry.payload()["reason"] == "unknown user"
    assert session_entry("refused", "\x00", "bedside-cli").actor == "(no username)"
