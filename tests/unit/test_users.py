"""Roles, the actions each may take, and signatures (the core's rules, without any account store)."""

from __future__ import annotations

import pytest

from bedside.commands import Refused
from bedside.users import (
    ALLOWED,
    IMPLIED_MEANING,
    SIGNED,
    Action,
    AuthError,
    NotAllowed,
    Role,
    Signature,
    SignatureError,
    User,
    may,
    meaning_required,
    require,
    require_signature,
)

NURSE = User(username="ana", full_name="Ana Nurse", role=Role.NURSE)
DOCTOR = User(username="luis", full_name="Luis Doctor", role=Role.INTENSIVIST)


def test_every_action_names_its_roles() -> None:
    assert set(ALLOWED) == set(Action)


def test_a_nurse_documents_but_does_not_assess() -> None:
    assert may(NURSE, Action.RECORD_ADVERSE_EVENT)
    assert may(NURSE, Action.ACKNOWLEDGE)
    assert not may(NURSE, Action.ASSESS_ADVERSE_EVENT)
    assert may(DOCTOR, Action.ASSESS_ADVERSE_EVENT)
    assert may(Role.INVESTIGATOR, Action.ASSESS_ADVERSE_EVENT)


def test_only_admin_manages_and_admin_takes_no_clinical_action() -> None:
    for action in Action:
        admin_may = may(Role.ADMIN, action)
        assert admin_may == (action in (Action.MANAGE_USERS, Action.MANAGE_RULES)), action


def test_the_service_account_takes_no_clinician_action() -> None:
    assert not any(may(Role.SERVICE, action) for action in Action)


def test_a_disabled_user_may_do_nothing() -> None:
    disabled = User(username="ana", full_name="Ana Nurse", role=Role.NURSE, active=False)
    assert not may(disabled, Action.ACKNOWLEDGE)


def test_the_refusal_names_the_role_and_who_does() -> None:
    with pytest.raises(NotAllowed) as refused:
        require(NURSE, Action.ASSESS_ADVERSE_EVENT)
    assert str(refused.value) == (
        "a nurse may not assess relatedness and seriousness: an intensivist or investigator does"
    )
    assert isinstance(refused.value, Refused)
    with pytest.raises(
        NotAllowed,
        match=r"^an admin may not acknowledge an alert: a nurse, intensivist or investigator does$",
    ):
        require(Role.ADMIN, Action.ACKNOWLEDGE)
    with pytest.raises(NotAllowed, match=r"^a nurse may not manage users: an admin does$"):
        require(NURSE, Action.MANAGE_USERS)


def test_implied_meanings_are_for_signed_actions_and_the_others_are_stated() -> None:
    assert set(IMPLIED_MEANING) <= SIGNED
    assert meaning_required(Action.RECORD_ADVERSE_EVENT)
    assert meaning_required(Action.CANCEL_DOSE)
    assert not meaning_required(Action.ACKNOWLEDGE)
    assert not meaning_required(Action.MUTE)
    # Records entered on a screen are signed with the meaning their action implies.
    assert not meaning_required(Action.RECORD_COURSE_EVENT) and not meaning_required(Action.RECORD_MEDICATION)
    assert Action.RECORD_COURSE_EVENT in IMPLIED_MEANING and Action.RECORD_MEDICATION in IMPLIED_MEANING


def test_a_signature_takes_the_implied_meaning_or_the_stated_one() -> None:
    ack = Signature.of(NURSE, Action.ACKNOWLEDGE, 100.0)
    assert ack.meaning == IMPLIED_MEANING[Action.ACKNOWLEDGE]
    assert ack.payload() == {"name": "Ana Nurse", "role": "nurse", "meaning": ack.meaning, "at": 100.0}
    stated = Signature.of(DOCTOR, Action.CANCEL_DOSE, 5.0, meaning="  Entered in error  ")
    assert stated.meaning == "Entered in error"


def test_a_signed_action_needs_the_actors_signature_with_a_meaning() -> None:
    with pytest.raises(SignatureError, match="is a signature"):
        require_signature(Action.ACKNOWLEDGE, "ana", None)
    with pytest.raises(SignatureError, match="luis's, not ana's"):
        require_signature(Action.ACKNOWLEDGE, "ana", Signature.of(DOCTOR, Action.ACKNOWLEDGE, 1.0))
    with pytest.raises(SignatureError, match="means"):
        require_signature(Action.CANCEL_DOSE, "luis", Signature.of(DOCTOR, Action.CANCEL_DOSE, 1.0))
    sig = Signature.of(NURSE, Action.ACKNOWLEDGE, 1.0)
    assert require_signature(Action.ACKNOWLEDGE, "ana", sig) is sig


def test_an_auth_error_never_says_which_part_was_wrong() -> None:
    assert str(AuthError()) == "unknown user or wrong password"
    assert isinstance(AuthError(), Refused)
