"""Accounts and the log's own defences against an insider with SQL, on SQLite and PostgreSQL.

An account taken over in the app_user table (a password hash replaced, a disabled account enabled
again, a role raised, an admin inserted) is found by `bedside-cli verify-log` against the account's
latest user.* entry; a log emptied together with every record it named, and append-only triggers
dropped, are found too. A refused sign-in at the command line is logged. docs/security.md tabulates
them.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bedside_adapters.auth import accounts
from bedside_adapters.auth.local import hash_password
from bedside_adapters.cli import main as cli_main
from bedside_adapters.db import log_guard
from bedside_adapters.db import schema as t
from sqlalchemy import Connection, Engine, delete, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from bedside.log_entries import password_digest
from bedside.users import Role, User
from tests.signed_in import PASSWORD, credentials_file

OTHER = "another long password"
SCREEN = f"bedside-cli@{platform.node() or 'localhost'}"
BIN = Path(sys.executable).parent


def verify(engine: Engine, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    url = engine.url.render_as_string(hide_password=False)
    rc = cli_main(["--db", url, "verify-log", "--anchors", "/dev/null", *extra])
    got = capsys.readouterr()
    return rc, got.out + got.err


@pytest.fixture
def staffed(engine: Engine) -> Engine:
    """An admin, a nurse and a disabled intensivist, each made through the accounts' code."""
    admin = accounts.add_user(
        engine, None, username="root", full_name="Site Admin", role=Role.ADMIN, password=PASSWORD
    )
    accounts.add_user(engine, admin, username="ana", full_name="Ana Ruiz", role=Role.NURSE, password=PASSWORD)
    accounts.add_user(
        engine, admin, username="lee", full_name="Dr Lee", role=Role.INTENSIVIST, password=PASSWORD
    )
    accounts.disable_user(engine, admin, "lee", reason="left")
    accounts.set_password(engine, admin, "ana", OTHER)
    return engine


def _latest(conn: Connection, kind: str, username: str) -> int:
    c = t.safety_log.c
    rows = conn.execute(select(c.seq, c.payload).where(c.kind == kind).order_by(c.seq.desc())).all()
    return next(int(seq) for seq, payload in rows if json.loads(payload)["username"] == username)


def test_the_accounts_entries_carry_what_verify_log_checks_never_the_hash(staffed: Engine, capsys) -> None:  # type: ignore[no-untyped-def]
    with staffed.connect() as conn:
        users = {r.username: r for r in conn.execute(select(t.app_user))}
        payloads = [json.loads(p) for p in conn.execute(select(t.safety_log.c.payload)).scalars()]
    changed = next(
        p for p in payloads if p.get("username") == "ana" and "reason" not in p and "full_name" not in p
    )
    assert changed == {
        "username": "ana",
        "role": "nurse",
        "active": True,
        "password_digest": password_digest(users["ana"].password_hash),
    }
    disabled = next(p for p in payloads if p.get("reason") == "left")
    assert disabled["active"] is False and disabled["role"] == "intensivist"
    text_ = json.dumps(payloads)
    assert all(u.password_hash not in text_ for u in users.values()) and PASSWORD not in text_
    rc, out = verify(staffed, capsys)
    assert rc == 0 and "safety log intact" in out, out


def _replace_hash(conn: Connection) -> None:
    forged = hash_password("mallory's own password")
    conn.execute(update(t.app_user).where(t.app_user.c.username == "ana").values(password_hash=forged))


TAKEOVERS = {
    "replace a clinician's password hash": (
        _replace_hash,
        lambda c: _latest(c, "user.password_changed", "ana"),
        "user ana",
        "password_digest",
    ),
    "enable a disabled account again": (
        lambda c: c.execute(update(t.app_user).where(t.app_user.c.username == "lee").values(active=True)),
        lambda c: _latest(c, "user.disabled", "lee"),
        "user lee",
        "active",
    ),
    "promote a nurse to admin": (
        lambda c: c.execute(update(t.app_user).where(t.app_user.c.username == "ana").values(role="admin")),
        lambda c: _latest(c, "user.password_changed", "ana"),
        "user ana",
        "role",
    ),
    "insert an admin the log never saw": (
        lambda c: c.execute(
            insert(t.app_user).values(
                username="mallory",
                full_name="Mallory",
                role="admin",
                password_hash=hash_password("mallory's own password"),
                active=True,
                created_ms=1,
                changed_ms=1,
            )
        ),
        lambda c: None,
        "user mallory",
        "no log entry names it",
    ),
    "delete an account the log names": (
        lambda c: c.execute(delete(t.app_user).where(t.app_user.c.username == "ana")),
        lambda c: _latest(c, "user.added", "ana"),
        "user ana",
        "no such row",
    ),
}


@pytest.mark.parametrize("name", sorted(TAKEOVERS))
def test_an_account_taken_over_by_sql_is_found_and_named(staffed: Engine, capsys, name: str) -> None:  # type: ignore[no-untyped-def]
    do, entry, where, said = TAKEOVERS[name]
    with staffed.begin() as conn:
        do(conn)
    with staffed.connect() as conn:
        seq = entry(conn)
    rc, out = verify(staffed, capsys)
    assert rc == 1 and f"BROKEN at {where}:" in out, out
    reason = out.split(f"BROKEN at {where}:", 1)[1]
    assert said in reason, out
    if seq is not None:
        assert f"entry {seq}" in reason, out


def test_an_emptied_log_in_a_database_that_received_messages_is_broken(staffed: Engine, capsys) -> None:  # type: ignore[no-untyped-def]
    """Every record the log named deleted with it, accounts too: the messages received still say the
    database was in use, and the triggers, installed again, do not vouch for it."""
    with staffed.begin() as conn:
        log_guard.uninstall(conn)
        for table in (t.safety_log, t.safety_log_head, t.safety_log_key, t.app_user):
            conn.execute(delete(table))
        sender_id = conn.execute(insert(t.message_sender).values(name="MON^ICU")).inserted_primary_key[0]
        conn.execute(
            insert(t.inbound_message).values(
                received_ms=1,
                peer="10.0.0.9",
                sender_id=sender_id,
                digest=bytes(16),
                raw=b"MSH|",
                raw_size=4,
                ack_code="AA",
                ack="MSA|AA",
            )
        )
        log_guard.install(conn)
    rc, out = verify(staffed, capsys)
    assert rc == 1 and "BROKEN at entry 1: the log is empty but the database holds a received message" in out


def test_an_empty_log_in_an_empty_database_is_intact(engine: Engine, capsys) -> None:  # type: ignore[no-untyped-def]
    rc, out = verify(engine, capsys)
    assert rc == 0 and "safety log intact: 0 entries" in out, out


def test_a_log_emptied_with_every_record_it_named_is_still_found(staffed: Engine, capsys) -> None:  # type: ignore[no-untyped-def]
    """The trial's insider with DDL: triggers dropped, log, head and keys deleted, and the records
    the log named too; the accounts' rows left (Bedside cannot run without them)."""
    with staffed.begin() as conn:
        log_guard.uninstall(conn)
        for table in (t.safety_log, t.safety_log_head, t.safety_log_key, t.alert, t.adverse_event):
            conn.execute(delete(table))
        conn.execute(delete(t.infusion_episode))
    rc, out = verify(staffed, capsys)
    assert rc == 1 and "intact" not in out, out
    assert "BROKEN at user" in out or "BROKEN at entry 1" in out, out


@pytest.mark.parametrize("how", ["dropped", "replaced"])
def test_missing_append_only_triggers_are_broken(staffed: Engine, capsys, how: str) -> None:  # type: ignore[no-untyped-def]
    with staffed.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("DROP TRIGGER safety_log_no_delete")
            if how == "replaced":
                conn.exec_driver_sql(
                    "CREATE TRIGGER safety_log_no_delete BEFORE DELETE ON safety_log WHEN 0 BEGIN SELECT 1; END"
                )
            gone = "safety_log_no_delete"
        elif how == "dropped":
            conn.exec_driver_sql("DROP TRIGGER safety_log_no_change ON safety_log")
            gone = "safety_log_no_change on safety_log"
        else:
            conn.exec_driver_sql("ALTER TABLE safety_log DISABLE TRIGGER safety_log_no_change")
            gone = "safety_log_no_change on safety_log"
    rc, out = verify(staffed, capsys)
    assert rc == 1 and "BROKEN at the append-only triggers: missing or changed" in out, out
    assert gone in out, out


_PG_SUBVERSIONS = {
    # The function kept by name, its body made to let every change through: the trigger still fires.
    "function body": (
        [
            "CREATE OR REPLACE FUNCTION bedside_log_refuse() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            "BEGIN RETURN coalesce(NEW, OLD); END $$"
        ],
        "safety_log_no_change on safety_log",
    ),
    # The trigger made again under its name for INSERT only: UPDATE and DELETE pass.
    "events": (
        [
            "DROP TRIGGER safety_log_no_change ON safety_log",
            "CREATE TRIGGER safety_log_no_change BEFORE INSERT ON safety_log "
            "FOR EACH ROW EXECUTE FUNCTION bedside_log_refuse()",
        ],
        "safety_log_no_change on safety_log",
    ),
    # The trigger made again with a condition that never holds.
    "condition": (
        [
            "DROP TRIGGER safety_log_head_no_delete ON safety_log_head",
            "CREATE TRIGGER safety_log_head_no_delete BEFORE DELETE ON safety_log_head "
            "FOR EACH ROW WHEN (false) EXECUTE FUNCTION bedside_log_refuse()",
        ],
        "safety_log_head_no_delete on safety_log_head",
    ),
}


@pytest.mark.parametrize("how", sorted(_PG_SUBVERSIONS))
def test_a_postgresql_trigger_subverted_under_its_own_name_is_broken(
    staffed: Engine, capsys, how: str
) -> None:  # type: ignore[no-untyped-def]
    if staffed.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's trigger functions, events and conditions")
    statements, gone = _PG_SUBVERSIONS[how]
    with staffed.begin() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)
    rc, out = verify(staffed, capsys)
    assert rc == 1 and "BROKEN at the append-only triggers: missing or changed" in out, out
    assert gone in out, out


def test_the_installed_triggers_are_all_there(engine: Engine) -> None:
    with engine.connect() as conn:
        assert log_guard.missing(conn) == []
    with engine.begin() as conn:
        log_guard.uninstall(conn)
    with engine.connect() as conn:
        assert len(log_guard.missing(conn)) >= 8


def _refusals(engine: Engine) -> list[tuple[str, dict]]:
    c = t.safety_log.c
    with engine.connect() as conn:
        rows = conn.execute(
            select(c.actor, c.payload).where(c.kind == "session.refused").order_by(c.seq)
        ).all()
    return [(actor, json.loads(payload)) for actor, payload in rows]


def test_a_refused_cli_sign_in_is_logged_with_its_reason_never_the_password(
    staffed: Engine, tmp_path, capsys, caplog
) -> None:  # type: ignore[no-untyped-def]
    import logging

    caplog.set_level(logging.INFO)  # the program log's line is INFO: the terminal shows one refusal
    url = staffed.url.render_as_string(hide_password=False)
    start = ["episode", "start", "--json", "--patient", "P1^H", "--dose", "1", "--at", "2026-03-02T10:00Z"]
    tries = [
        (credentials_file("ana", "a wrong password"), "ana", "wrong password"),
        (credentials_file("nobody", PASSWORD), "nobody", "unknown user"),
        (credentials_file("lee", PASSWORD), "lee", "disabled account"),
    ]
    for path, _who, _why in tries:
        assert cli_main(["--db", url, *start, "--credentials", str(path)]) == 2
    loose = credentials_file("ana", OTHER)
    loose.chmod(0o644)
    assert cli_main(["--db", url, *start, "--credentials", str(loose)]) == 2
    capsys.readouterr()
    expected = [(who, why) for _p, who, why in tries] + [("(no username)", "credentials file refused")]
    got = _refusals(staffed)
    assert [(a, p["reason"]) for a, p in got] == expected
    assert all(p["at"] == "sign-in" and p["screen"] == SCREEN for _a, p in got)
    logged = json.dumps(got) + caplog.text
    assert "a wrong password" not in logged and PASSWORD not in logged and OTHER not in logged
    # The reason is for the auditors (the entry above), not the terminal: the program log names none.
    assert "sign-in refused for 'nobody' (the reason is in the safety log)" in caplog.text
    assert all(why not in caplog.text for _p, _who, why in tries)
    assert "has mode 0644" in caplog.text


def test_a_refused_cli_sign_in_tells_the_terminal_the_same_for_every_reason(staffed: Engine) -> None:
    url = staffed.url.render_as_string(hide_password=False)
    start = ["episode", "start", "--json", "--patient", "P1^H", "--dose", "1", "--at", "2026-03-02T10:00Z"]
    said: dict[str, str] = {}
    for who, password in (("ana", "a wrong password"), ("nobody", PASSWORD), ("lee", PASSWORD)):
        done = subprocess.run(
            [
                str(BIN / "bedside-cli"),
                "--db",
                url,
                *start,
                "--credentials",
                str(credentials_file(who, password)),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 2, done.stderr
        said[who] = done.stderr.replace(repr(who), "'NAME'")
    assert len(set(said.values())) == 1, said
    answer = said["nobody"]
    assert "unknown user or wrong password" in answer
    assert all(
        why not in answer.replace("unknown user or wrong password", "")
        for why in ("unknown", "wrong", "disabled")
    )
    assert [p["reason"] for _a, p in _refusals(staffed)] == [
        "wrong password",
        "unknown user",
        "disabled account",
    ]


def test_only_administration_changes_accounts_on_postgresql(postgres_url: str, capsys) -> None:  # type: ignore[no-untyped-def]
    from bedside_adapters.db.engine import make_engine
    from sqlalchemy.engine import make_url

    assert cli_main(["--db", postgres_url, "db", "upgrade"]) == 0
    owner = make_engine(postgres_url)
    try:
        user = User(username="ana", full_name="Ana Ruiz", role=Role.NURSE)
        accounts.provision(owner, user, hash_password(PASSWORD), "provisioning", time.time())
    finally:
        owner.dispose()
    assert cli_main(["--db", postgres_url, "db", "roles", "--apply"]) == 0
    capsys.readouterr()
    for role, allowed in (("bedside_ingest", False), ("bedside_screens", False), ("bedside_admin", True)):
        as_role = (
            make_url(postgres_url).set(username=role, password=None).render_as_string(hide_password=False)
        )
        engine = make_engine(as_role)
        try:
            with engine.connect() as conn:  # every role reads the accounts (sign-in)
                assert conn.execute(select(t.app_user.c.role)).scalars().all() == ["nurse"]
            for sql in (
                "UPDATE app_user SET role = 'admin'",
                "UPDATE app_user SET active = true, password_hash = 'x'",
                "INSERT INTO app_user VALUES ('m', 'M', 'admin', 'x', true, 1, 1)",
                "DELETE FROM app_user WHERE username = 'nobody'",
            ):
                if allowed:
                    with engine.connect() as conn:  # allowed, and rolled back
                        conn.execute(text(sql))
                        conn.rollback()
                    continue
                with pytest.raises(DBAPIError, match="permission denied"), engine.begin() as conn:
                    conn.execute(text(sql))
        finally:
            engine.dispose()
