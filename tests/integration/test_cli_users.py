"""Accounts and who runs `bedside-cli`: the first admin creates itself, then only an admin manages
accounts (every change logged, a refusal too); a command that records runs as an authenticated user
(a password at the prompt or a 0600 credentials file of one's own) or is refused in one line; a role
that may not take an action is refused and the refusal logged."""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path

import pytest
from bedside_adapters.auth.local import LocalAuthenticator
from bedside_adapters.db import schema as t
from bedside_ui.cli import main as cli_main
from sqlalchemy import Engine, select

from bedside.log_entries import password_digest
from bedside.users import AuthError, Role
from tests.signed_in import PASSWORD, PROVISIONER, credentials_file, dose_start, signed_in


@pytest.fixture
def url(sqlite_engine: Engine) -> str:
    return sqlite_engine.url.render_as_string(hide_password=False)


def cli(url: str, *args: str) -> int:
    return cli_main(["--db", url, *args])


def password_file(tmp_path: Path, password: str = PASSWORD, mode: int = 0o600) -> str:
    path = tmp_path / f"pw-{mode:o}"
    path.write_text(password + "\n")
    path.chmod(mode)
    return str(path)


def log_kinds(engine: Engine) -> list[tuple[str, str, dict]]:
    with engine.connect() as conn:
        rows = conn.execute(select(t.safety_log).order_by(t.safety_log.c.seq)).all()
    return [(r.kind, r.actor, json.loads(r.payload)) for r in rows if r.actor != PROVISIONER]


SCREEN = f"bedside-cli@{platform.node() or 'localhost'}"


def one_line(capsys) -> str:  # type: ignore[no-untyped-def]
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    return err


def admin(url: str, tmp_path: Path) -> list[str]:
    """The first admin, created without signing in (the bootstrap), and its credentials."""
    assert (
        cli(
            url,
            "user",
            "add",
            "root",
            "--role",
            "admin",
            "--full-name",
            "Site Admin",
            "--password-file",
            password_file(tmp_path),
        )
        == 0
    )
    return ["--credentials", str(credentials_file("root"))]


def test_the_first_admin_creates_itself_once_then_an_admin_adds_users(
    url, sqlite_engine, tmp_path, capsys
) -> None:  # type: ignore[no-untyped-def]
    pw = password_file(tmp_path)
    assert cli(url, "user", "add", "ana", "--role", "nurse", "--full-name", "Ana", "--password-file", pw) == 2
    assert "the first account is an admin's" in one_line(capsys)
    creds = admin(url, tmp_path)
    capsys.readouterr()
    assert cli(url, "user", "add", "eve", "--role", "admin", "--full-name", "Eve", "--password-file", pw) == 2
    assert "who are you? give --user NAME" in one_line(capsys)  # once one exists, an admin adds them
    assert (
        cli(
            url,
            "user",
            "add",
            "ana",
            "--role",
            "nurse",
            "--full-name",
            "Ana Ruiz",
            "--password-file",
            pw,
            *creds,
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out) == {
        "username": "ana",
        "full_name": "Ana Ruiz",
        "role": "nurse",
        "active": True,
    }
    assert cli(url, "user", "list", "--json", *creds) == 0
    assert [u["username"] for u in json.loads(capsys.readouterr().out)] == ["ana", "root"]
    kinds = log_kinds(sqlite_engine)
    assert [(k, a) for k, a, _ in kinds] == [("user.added", "root"), ("user.added", "root")]
    added = kinds[1][2]
    assert {k: added[k] for k in ("username", "full_name", "role")} == {
        "username": "ana",
        "full_name": "Ana Ruiz",
        "role": "nurse",
    }
    with sqlite_engine.connect() as conn:
        stored = conn.execute(
            select(t.app_user.c.password_hash).where(t.app_user.c.username == "ana")
        ).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert all(PASSWORD not in json.dumps(p) for _, _, p in kinds)
    # The entry says what verify-log checks the row against: never the hash, only its digest.
    assert added["active"] is True and added["password_digest"] == password_digest(stored)
    assert all(stored not in json.dumps(p) for _, _, p in kinds)


def test_only_an_admin_manages_accounts_and_a_refusal_is_logged(url, sqlite_engine, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    creds = admin(url, tmp_path)
    pw = password_file(tmp_path)
    assert (
        cli(url, "user", "add", "ana", "--role", "nurse", "--full-name", "Ana", "--password-file", pw, *creds)
        == 0
    )
    nurse = ["--credentials", str(credentials_file("ana"))]
    capsys.readouterr()
    assert (
        cli(url, "user", "add", "bo", "--role", "nurse", "--full-name", "Bo", "--password-file", pw, *nurse)
        == 2
    )
    assert one_line(capsys) == "bedside-cli: a nurse may not manage users: an admin does\n"
    assert cli(url, "user", "list", *nurse) == 2
    assert "may not manage users" in one_line(capsys)
    assert cli(url, "user", "passwd", "root", "--password-file", pw, *nurse) == 2
    assert "may not manage users" in one_line(capsys)
    # Her own password she may change; the old one then no longer signs her in.
    new = password_file(tmp_path, "a new long password", 0o400)
    assert cli(url, "user", "passwd", "--password-file", new, *nurse) == 0
    authenticator = LocalAuthenticator(sqlite_engine)
    assert authenticator.authenticate("ana", "a new long password").role is Role.NURSE
    with pytest.raises(AuthError):
        authenticator.authenticate("ana", PASSWORD)
    kinds = [(k, a, p.get("username", p.get("action"))) for k, a, p in log_kinds(sqlite_engine)]
    assert kinds[2:] == [
        ("action.refused", "ana", "manage_users"),
        ("action.refused", "ana", "manage_users"),
        ("action.refused", "ana", "manage_users"),
        ("user.password_changed", "ana", "ana"),
    ]


def test_a_disabled_account_is_kept_and_signs_in_no_more(
    url, sqlite_engine, tmp_path, capsys, caplog
) -> None:  # type: ignore[no-untyped-def]
    import logging

    caplog.set_level(logging.WARNING)
    creds = admin(url, tmp_path)
    pw = password_file(tmp_path)
    assert (
        cli(url, "user", "add", "ana", "--role", "nurse", "--full-name", "Ana", "--password-file", pw, *creds)
        == 0
    )
    assert cli(url, "user", "disable", "ana", "--reason", "left the unit", *creds) == 0
    assert cli(url, "user", "disable", "root", *creds) == 2
    assert "last active admin" in capsys.readouterr().err
    assert cli(url, "user", "list", *creds) == 0
    assert "(disabled)" in capsys.readouterr().out
    with pytest.raises(AuthError, match=r"^unknown user or wrong password$"):
        LocalAuthenticator(sqlite_engine).authenticate("ana", PASSWORD)
    assert cli(url, "alerts") == 0  # reading needs no account
    capsys.readouterr()
    assert (
        cli(
            url,
            *dose_start("now"),
            "--credentials",
            str(credentials_file("ana")),
        )
        == 2
    )
    assert one_line(capsys) == "bedside-cli: unknown user or wrong password\n"
    # The person reads one refusal in their language; no English warning line printed before it.
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING and "sign-in" in r.getMessage()]
    refused, *before = reversed(log_kinds(sqlite_engine))
    assert refused == (
        "session.refused",
        "ana",
        {"at": "sign-in", "screen": SCREEN, "reason": "disabled account"},
    )
    assert before[0][:2] == ("user.disabled", "root")
    disabled = before[0][2]
    assert {k: disabled[k] for k in ("username", "reason")} == {"username": "ana", "reason": "left the unit"}


def test_unknown_user_and_wrong_password_are_refused_alike(url, sqlite_engine) -> None:  # type: ignore[no-untyped-def]
    signed_in(url, "ana", Role.NURSE)
    authenticator = LocalAuthenticator(sqlite_engine)
    messages = set()
    for username, password in (("ana", "wrong password"), ("nobody", PASSWORD), ("", PASSWORD), ("ana", "")):
        with pytest.raises(AuthError) as refused:
            authenticator.authenticate(username, password)
        messages.add(str(refused.value))
    assert messages == {"unknown user or wrong password"}
    assert authenticator.authenticate("ana", PASSWORD).username == "ana"


START = ["episode", "start", "--json", "--patient", "P1^H", "--dose", "1", "--at", "2026-03-02T10:00Z"]


def test_a_command_that_records_is_refused_without_an_authenticated_user(
    url, sqlite_engine, tmp_path, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    signed_in(url, "ana", Role.NURSE)
    monkeypatch.delenv("BEDSIDE_USER", raising=False)
    monkeypatch.delenv("BEDSIDE_CREDENTIALS", raising=False)
    assert cli(url, *START) == 2
    assert "give --user NAME (the password is asked) or --credentials FILE" in one_line(capsys)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert cli(url, *START, "--user", "ana") == 2
    assert "no terminal to ask ana's password" in one_line(capsys)
    with pytest.raises(SystemExit):
        cli(url, *START, "--by", "Dr Somebody Else")  # there is no --by any more
    capsys.readouterr()
    assert log_kinds(sqlite_engine) == []


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_a_credentials_file_others_may_read_is_refused(url, sqlite_engine, mode: int, capsys) -> None:  # type: ignore[no-untyped-def]
    creds = signed_in(url, "ana", Role.NURSE)
    Path(creds[1]).chmod(mode)
    assert cli(url, *START, *creds) == 2
    assert (
        one_line(capsys)
        == f"bedside-cli: credentials file {creds[1]} has mode {mode:04o}: refused (chmod 600 it)\n"
    )
    refused = {"at": "sign-in", "screen": SCREEN, "reason": "credentials file refused"}
    assert log_kinds(sqlite_engine) == [("session.refused", "(no username)", refused)]


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="changing a file's owner needs root"
)
def test_a_credentials_file_of_another_account_is_refused(url, capsys) -> None:  # type: ignore[no-untyped-def]
    creds = signed_in(url, "ana", Role.NURSE)
    os.chown(creds[1], 65534, -1)
    assert cli(url, *START, *creds) == 2
    assert "belongs to another account: refused" in one_line(capsys)


def test_the_password_prompt_and_the_environment_name_the_user(
    url, sqlite_engine, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    creds = signed_in(url, "ana", Role.NURSE)
    asked: list[str] = []
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt: asked.append(prompt) or PASSWORD)
    monkeypatch.setenv("BEDSIDE_USER", "ana")
    assert cli(url, *START) == 0
    assert asked == ["password for ana: "]
    monkeypatch.delenv("BEDSIDE_USER")
    monkeypatch.setenv("BEDSIDE_CREDENTIALS", creds[1])
    assert (
        cli(url, "episode", "stop", "--json", "--patient", "P1^H", "--dose", "1", "--at", "2026-03-02T11:00Z")
        == 0
    )
    assert [(k, a) for k, a, _ in log_kinds(sqlite_engine)] == [
        ("episode.start", "ana"),
        ("episode.stop", "ana"),
    ]


def test_a_user_named_apart_from_the_credentials_file_is_refused(
    url, sqlite_engine, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    ana = signed_in(url, "ana", Role.NURSE)
    signed_in(url, "luis", Role.NURSE)
    monkeypatch.delenv("BEDSIDE_USER", raising=False)
    monkeypatch.delenv("BEDSIDE_CREDENTIALS", raising=False)
    differ = (
        "bedside-cli: the user named (luis) is not the credentials file's (ana): refused; give one of them\n"
    )
    assert cli(url, *START, *ana, "--user", "luis") == 2
    assert one_line(capsys) == differ
    monkeypatch.setenv("BEDSIDE_CREDENTIALS", ana[1])
    assert cli(url, *START, "--user", "luis") == 2
    assert one_line(capsys) == differ
    monkeypatch.delenv("BEDSIDE_CREDENTIALS")
    monkeypatch.setenv("BEDSIDE_USER", "luis")
    assert cli(url, *START, *ana) == 2
    assert one_line(capsys) == differ
    refused = {"at": "sign-in", "screen": SCREEN, "reason": "user and credentials file differ"}
    assert log_kinds(sqlite_engine) == [("session.refused", "(no username)", refused)] * 3
    # The same user both ways is no conflict.
    assert cli(url, *START, *ana, "--user", "ana") == 0
    assert [(k, a) for k, a, _ in log_kinds(sqlite_engine)][-1] == ("episode.start", "ana")


def test_a_role_that_may_not_is_refused_and_the_refusal_logged(url, sqlite_engine, capsys) -> None:  # type: ignore[no-untyped-def]
    nurse = signed_in(url, "ana", Role.NURSE)
    assert cli(url, *START, *nurse) == 0
    capsys.readouterr()
    cancel = [
        "episode",
        "cancel",
        "--json",
        "--patient",
        "P1^H",
        "--dose",
        "1",
        "--reason",
        "x",
        "--meaning",
        "Cancelled",
    ]
    assert cli(url, *cancel, *nurse) == 2
    assert one_line(capsys) == "bedside-cli: a nurse may not cancel a dose: an intensivist does\n"
    event = [
        "adverse-event",
        "--json",
        "--patient",
        "P1^H",
        "--term",
        "Fever",
        "--grade",
        "1",
        "--onset",
        "now",
        "--meaning",
        "Documented",
    ]
    assert cli(url, *event, "--relatedness", "possible", *nurse) == 2
    assert (
        "a nurse may not assess relatedness and seriousness: an intensivist or investigator does"
        in one_line(capsys)
    )
    assert cli(url, *event, "--relatedness", "not yet assessed", *nurse) == 0
    recorded = json.loads(capsys.readouterr().out)
    assert recorded["relatedness"] == "not yet assessed" and recorded["reported_by"] == "ana"
    assert recorded["signature"]["name"] == "ana" and recorded["signature"]["meaning"] == "Documented"
    kinds = log_kinds(sqlite_engine)
    assert [(k, a) for k, a, _ in kinds] == [
        ("episode.start", "ana"),
        ("action.refused", "ana"),
        ("action.refused", "ana"),
        ("adverse_event.recorded", "ana"),
    ]
    assert kinds[1][2]["action"] == "cancel_dose" and kinds[2][2]["action"] == "assess_adverse_event"


def test_a_signed_action_states_its_meaning_and_the_log_keeps_the_signature(
    url, sqlite_engine, capsys
) -> None:  # type: ignore[no-untyped-def]
    doctor = signed_in(url, "luis", Role.INTENSIVIST)
    assert cli(url, *START, *doctor) == 0
    cancel = ["episode", "cancel", "--json", "--patient", "P1^H", "--dose", "1", "--reason", "pump primed"]
    assert cli(url, *cancel, *doctor) == 2
    assert "to cancel a dose is a signature: say what it means with --meaning" in capsys.readouterr().err
    assert cli(url, *cancel, "--meaning", "Cancelled: entered in error", *doctor) == 0
    kind, actor, payload = log_kinds(sqlite_engine)[-1]
    assert (kind, actor) == ("episode.cancel", "luis")
    signature = payload["signature"]
    assert (signature["name"], signature["role"], signature["meaning"]) == (
        "luis",
        "intensivist",
        "Cancelled: entered in error",
    )


def test_the_demo_accounts_sign_in_with_their_published_passwords(sqlite_engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bedside_adapters.auth.demo import DEMO_ACCOUNTS, create_demo_accounts

    from bedside.log_entries import ENGINE_ACTOR

    folder = tmp_path / "demo" / "credentials"
    made = create_demo_accounts(sqlite_engine, folder)
    assert {(u.username, u.role) for u in made} == {
        ("admin", Role.ADMIN),
        ("ana", Role.NURSE),
        ("luis", Role.INTENSIVIST),
        ("marta", Role.INVESTIGATOR),
        (ENGINE_ACTOR, Role.SERVICE),
    }
    authenticator = LocalAuthenticator(sqlite_engine)
    for username, _, role, password in DEMO_ACCOUNTS:
        assert authenticator.authenticate(username, password).role is role
        assert (folder / username).stat().st_mode & 0o777 == 0o600
    assert folder.stat().st_mode & 0o777 == 0o700
    assert create_demo_accounts(sqlite_engine) == sorted(made, key=lambda u: u.username)  # made once
    assert [k for k, _, _ in log_kinds(sqlite_engine)] == ["user.added"] * 5


def test_a_new_password_comes_from_a_private_file_or_the_prompt_never_an_argument(
    url, tmp_path, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    add = ["user", "add", "root", "--role", "admin", "--full-name", "Site Admin"]
    assert cli(url, *add, "--password-file", password_file(tmp_path, mode=0o644)) == 2
    assert "has mode 0644: refused (chmod 600 it)" in one_line(capsys)
    assert cli(url, *add, "--password-file", password_file(tmp_path, "short")) == 2
    assert one_line(capsys) == "bedside-cli: a password has at least 8 characters\n"
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert cli(url, *add) == 2
    assert "no terminal to ask root's new password: give --password-file FILE" in one_line(capsys)
    typed = iter(["first password", "other password", PASSWORD, PASSWORD])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(typed))
    assert cli(url, *add) == 2
    assert "the two passwords differ: nothing was changed" in one_line(capsys)
    assert cli(url, *add) == 0
