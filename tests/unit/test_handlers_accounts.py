"""The account handlers on the in-memory unit of work: who may manage accounts, what is refused, and
the entry each change leaves."""

from __future__ import annotations

import pytest

from bedside.account_commands import AccountError, AddUser, DisableUser, ListUsers, SetPassword
from bedside.handlers.accounts import add_user, disable_user, list_users, set_password
from bedside.users import NotAllowed, Role
from tests.unit.fake_uow import FakeUnitOfWork

NOW = 1_767_225_600.0
PASSWORD = "correct horse battery"


def hashed(password: str) -> str:
    """A stand-in hash: the handlers store what the adapter's hash function returns."""
    return f"hash:{password}"


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


def bootstrap(uow: FakeUnitOfWork) -> None:
    cmd = AddUser(
        by=None, role=None, username="root", full_name="Site Admin", new_role=Role.ADMIN, password=PASSWORD
    )
    add_user(uow, cmd, hashed)


def add(uow: FakeUnitOfWork, username: str, role: Role, by: str = "root", as_: Role = Role.ADMIN):  # type: ignore[no-untyped-def]
    cmd = AddUser(
        by=by,
        role=as_,
        username=username,
        full_name=username.title(),
        new_role=role,
        password=PASSWORD,
        recorded_at=NOW,
    )
    return add_user(uow, cmd, hashed)


def test_the_first_account_creates_itself_as_admin_and_only_once(uow: FakeUnitOfWork) -> None:
    with pytest.raises(AccountError, match="the first account is an admin's"):
        add_user(
            uow,
            AddUser(
                by=None, role=None, username="ana", full_name="Ana", new_role=Role.NURSE, password=PASSWORD
            ),
            hashed,
        )
    bootstrap(uow)
    entry, _ = uow.log.entries[-1]
    assert entry.kind == "user.added" and entry.actor == "root"
    with pytest.raises(AccountError, match="accounts exist already"):
        add_user(
            uow,
            AddUser(
                by=None, role=None, username="eve", full_name="Eve", new_role=Role.ADMIN, password=PASSWORD
            ),
            hashed,
        )
    assert uow.users.count() == 1


def test_an_admin_adds_an_account_with_the_hash_never_the_password(uow: FakeUnitOfWork) -> None:
    bootstrap(uow)
    user = add(uow, "ana", Role.NURSE)
    assert user.role is Role.NURSE and uow.users.find("ana").password_hash == f"hash:{PASSWORD}"
    entry, at = uow.log.entries[-1]
    assert (entry.kind, entry.actor, at) == ("user.added", "root", NOW)
    assert PASSWORD not in repr(entry.payload()) and f"hash:{PASSWORD}" not in repr(entry.payload())


@pytest.mark.parametrize(
    ("username", "says"),
    [("", "not empty"), (" ana", "no blanks"), ("a" * 121, "at most 120"), ("an\x00a", "printable")],
)
def test_a_bad_username_is_refused(uow: FakeUnitOfWork, username: str, says: str) -> None:
    bootstrap(uow)
    with pytest.raises(AccountError, match=says):
        add(uow, username, Role.NURSE)
    assert uow.users.count() == 1


def test_a_short_password_is_refused_before_it_is_hashed(uow: FakeUnitOfWork) -> None:
    bootstrap(uow)
    asked: list[str] = []

    def hash_password(password: str) -> str:
        asked.append(password)
        return password

    cmd = AddUser(
        by="root", role=Role.ADMIN, username="ana", full_name="Ana", new_role=Role.NURSE, password="short"
    )
    with pytest.raises(AccountError, match="at least 8 characters"):
        add_user(uow, cmd, hash_password)
    assert asked == [] and uow.users.find("ana") is None


def test_a_nurse_may_not_manage_accounts_and_the_refusal_is_logged(uow: FakeUnitOfWork) -> None:
    bootstrap(uow)
    add(uow, "ana", Role.NURSE)
    before = len(uow.log.entries)
    with pytest.raises(NotAllowed, match="may not manage users"):
        add(uow, "eve", Role.ADMIN, by="ana", as_=Role.NURSE)
    with pytest.raises(NotAllowed):
        disable_user(uow, DisableUser(by="ana", role=Role.NURSE, username="root", recorded_at=NOW))
    with pytest.raises(NotAllowed):
        list_users(uow, ListUsers(by="ana", role=Role.NURSE, recorded_at=NOW))
    with pytest.raises(NotAllowed):
        set_password(uow, SetPassword(by="ana", role=Role.NURSE, username="root", password=PASSWORD), hashed)
    refused = [e for e, _ in uow.log.entries[before:]]
    assert [e.kind for e in refused] == ["action.refused"] * 4
    assert {e.actor for e in refused} == {"ana"} and uow.users.find("eve") is None


def test_a_user_changes_their_own_password(uow: FakeUnitOfWork) -> None:
    bootstrap(uow)
    add(uow, "ana", Role.NURSE)
    set_password(uow, SetPassword(by="ana", role=Role.NURSE, username="ana", password="a new one!"), hashed)
    assert uow.users.find("ana").password_hash == "hash:a new one!"
    assert uow.log.entries[-1][0].kind == "user.password_changed"


def test_the_last_active_admin_is_not_disabled(uow: FakeUnitOfWork) -> None:
    bootstrap(uow)
    with pytest.raises(AccountError, match="last active admin"):
        disable_user(uow, DisableUser(by="root", role=Role.ADMIN, username="root"))
    add(uow, "bo", Role.ADMIN)
    done = disable_user(uow, DisableUser(by="bo", role=Role.ADMIN, username="root", reason="left"))
    assert not done.active and not uow.users.find("root").user.active
    with pytest.raises(AccountError, match="disabled already"):
        disable_user(uow, DisableUser(by="bo", role=Role.ADMIN, username="root"))
    assert [u.username for u in list_users(uow, ListUsers(by="bo", role=Role.ADMIN))] == ["bo", "root"]


def test_no_account_is_ever_reused(uow: FakeUnitOfWork) -> None:
    bootstrap(uow)
    add(uow, "ana", Role.NURSE)
    with pytest.raises(AccountError, match="exists already"):
        add(uow, "ana", Role.INTENSIVIST)
    assert uow.users.find("ana").user.role is Role.NURSE
