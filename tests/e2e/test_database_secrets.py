"""A PostgreSQL password never appears on a command line, where every account on the machine can read
it (/proc/PID/cmdline): not in the window's ingest child, nor in the pg_dump of a backup, whether the URL
has it after `user:` or as its `password` query parameter. `bedside-ingest --db` with a password warns
and keeps it out of its log. A URL without a password takes it from libpq's own places, PGPASSFILE or a
service file.

Against the real server of the test run: its members of bedside_password_login must sign in with their
password (tests/postgres.sh), so a password that did not reach libpq fails the connection."""

from __future__ import annotations

import os
import secrets
import signal
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from bedside_adapters.db.care import backup
from bedside_adapters.db.engine import make_engine
from bedside_adapters.db.migrate import upgrade
from bedside_ui.supervisor import Supervisor
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError


@dataclass
class PasswordRole:
    url: str  # with the password
    bare_url: str  # the same without it
    query_url: str  # the password as the URL's `password` query parameter (libpq and psycopg take it)
    password: str
    token: str  # the random part of the password: found in any spelling of it (no escaping changes it)
    admin_url: str  # the superuser, on the same database


def _proc_parents() -> dict[int, int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue  # ended meanwhile
        parents[int(entry.name)] = int(fields[1])
    return parents


def descendants(root: int) -> list[int]:
    parents = _proc_parents()
    found: list[int] = []
    frontier = [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        found += children
        frontier += children
    return found


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def every_command_line() -> list[str]:
    return [command_line(int(p.name)) for p in Path("/proc").iterdir() if p.name.isdigit()]


@pytest.fixture
def password_role(postgres_url: str) -> Iterator[PasswordRole]:
    """A login role with a password (with the characters a URL and a password file escape), owning the
    test's database, that the server makes sign in with it."""
    token = secrets.token_hex(12)
    password = f"pw:{token}\\@/#"
    role = f"bedside_pw_{secrets.token_hex(4)}"
    database = make_url(postgres_url).database
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(
            "DO $$ BEGIN CREATE ROLE bedside_password_login NOLOGIN; "
            "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
        )
        conn.exec_driver_sql(f"CREATE ROLE {role} LOGIN PASSWORD '{password}' IN ROLE bedside_password_login")
        conn.exec_driver_sql(f'ALTER DATABASE "{database}" OWNER TO {role}')
    bare = make_url(postgres_url).set(username=role, password=None)
    wrong = create_engine(bare.set(password="not-the-password"))
    try:
        wrong.connect().close()
    except OperationalError:
        pass  # refused: the password is what lets the role in
    else:
        pytest.fail(
            "the PostgreSQL server lets a role in without its password: these tests need "
            "'host all +bedside_password_login 127.0.0.1/32 scram-sha-256' first in pg_hba.conf"
        )
    finally:
        wrong.dispose()
    yield PasswordRole(
        url=bare.set(password=password).render_as_string(hide_password=False),
        bare_url=bare.render_as_string(hide_password=False),
        query_url=bare.update_query_dict({"password": password}).render_as_string(hide_password=False),
        password=password,
        token=token,
        admin_url=postgres_url,
    )
    with admin.connect() as conn:
        conn.exec_driver_sql(
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{role}'"
        )
    on_db = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with on_db.connect() as conn:
        conn.exec_driver_sql(f"REASSIGN OWNED BY {role} TO CURRENT_USER")
        conn.exec_driver_sql(f"DROP OWNED BY {role}")
    on_db.dispose()
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP ROLE {role}")
    admin.dispose()


URL_FORMS = ("user-info", "query")


def url_of(role: PasswordRole, form: str) -> str:
    return role.url if form == "user-info" else role.query_url


@pytest.mark.e2e
@pytest.mark.parametrize("form", URL_FORMS)
def test_the_windows_ingest_child_gets_the_password_by_its_environment(
    qtbot, password_role: PasswordRole, form: str
) -> None:
    url = url_of(password_role, form)
    supervisor = Supervisor(url, demo=False)
    supervisor.start()
    try:
        # Running: the child has connected (with the password), migrated the database and listens.
        qtbot.waitUntil(lambda: supervisor.ingest.state == "running", timeout=60_000)
        children = descendants(os.getpid())
        lines = {pid: command_line(pid) for pid in children}
        ingest = [pid for pid, line in lines.items() if "bedside_adapters.ingest.main" in line]
        assert ingest == [supervisor.ingest.pid]
        for pid, line in lines.items():
            assert password_role.token not in line, (pid, line)
        assert all(password_role.token not in line for line in every_command_line())
        # It came by the environment, which only this account (and root) can read.
        environ = Path(f"/proc/{supervisor.ingest.pid}/environ")
        assert stat.S_IMODE(environ.stat().st_mode) == 0o400
        assert f"BEDSIDE_DB_URL={url}".encode() in environ.read_bytes().split(b"\0")
    finally:
        supervisor.stop()
    assert supervisor.ingest.state == "stopped"
    engine = make_engine(url)
    with engine.connect() as conn:  # ingest made the schema, as the role
        owner = conn.execute(text("SELECT tableowner FROM pg_tables WHERE tablename = 'safety_log'"))
        assert owner.scalar_one() == make_url(password_role.url).username
    engine.dispose()


def _waiting_pg_dump(admin_url: str, attempts: int = 100_000) -> None:
    """Poll (no sleeping) until a pg_dump session waits for a lock."""
    watcher = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with watcher.connect() as conn:
            for _ in range(attempts):
                waiting = conn.exec_driver_sql(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE application_name = 'pg_dump' AND wait_event_type = 'Lock'"
                ).scalar_one()
                if waiting:
                    return
    finally:
        watcher.dispose()
    raise AssertionError("pg_dump never waited for the lock")


@pytest.mark.e2e
@pytest.mark.parametrize("form", URL_FORMS)
def test_backup_runs_pg_dump_without_the_password_on_its_command_line(
    password_role: PasswordRole, tmp_path: Path, form: str
) -> None:
    engine = make_engine(url_of(password_role, form))
    upgrade(engine)
    target = tmp_path / "backups" / "bedside.pgdump"
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(backup(engine, target))
        except Exception as exc:
            outcome.append(exc)

    # A lock pg_dump must wait for holds it mid-run, long enough to read what it runs with.
    holder = create_engine(password_role.admin_url)
    try:
        with holder.connect() as hold:
            hold.execute(text("LOCK TABLE alert IN ACCESS EXCLUSIVE MODE"))
            thread = threading.Thread(target=run, name="test-backup")
            thread.start()
            _waiting_pg_dump(password_role.admin_url)
            dumps = [
                pid
                for pid in descendants(os.getpid())
                if Path(command_line(pid).split(" ")[0]).name == "pg_dump"
            ]
            assert len(dumps) == 1
            line = command_line(dumps[0])
            assert "--format=custom" in line and make_url(password_role.url).username in line
            assert password_role.token not in line
            assert all(password_role.token not in other for other in every_command_line())
            environ = dict(
                item.split(b"=", 1)
                for item in Path(f"/proc/{dumps[0]}/environ").read_bytes().split(b"\0")
                if b"=" in item
            )
            assert b"PGPASSWORD" not in environ
            passfile = Path(environ[b"PGPASSFILE"].decode())
            assert stat.S_IMODE(passfile.stat().st_mode) == 0o600
            assert password_role.token in passfile.read_text()
            hold.rollback()
        thread.join(120)
    finally:
        holder.dispose()
        engine.dispose()
    assert not thread.is_alive()
    assert isinstance(outcome[0], str) and "pg_dump" in outcome[0], outcome
    assert not passfile.exists()  # deleted with its folder
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    listing = subprocess.run(["pg_restore", "--list", str(target)], capture_output=True, text=True)
    assert listing.returncode == 0 and "safety_log" in listing.stdout


@pytest.mark.e2e
def test_a_url_without_password_takes_it_from_pgpassfile_or_a_service_file(
    password_role: PasswordRole, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bare = make_url(password_role.bare_url)
    escaped = password_role.password.replace("\\", "\\\\").replace(":", "\\:")
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"{bare.host}:{bare.port}:{bare.database}:{bare.username}:{escaped}\n")
    passfile.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    engine = make_engine(password_role.bare_url)
    upgrade(engine)
    assert "pg_dump" in backup(engine, tmp_path / "by-passfile.pgdump")
    engine.dispose()
    monkeypatch.delenv("PGPASSFILE")

    services = tmp_path / "pg_service.conf"
    services.write_text(
        f"[bedside]\nhost={bare.host}\nport={bare.port}\ndbname={bare.database}\n"
        f"user={bare.username}\npassword={password_role.password}\n"
    )
    services.chmod(0o600)
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    engine = make_engine("postgresql:///?service=bedside")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT current_user")).scalar_one() == bare.username
    assert "pg_dump" in backup(engine, tmp_path / "by-service.pgdump")
    engine.dispose()
    for dump in ("by-passfile.pgdump", "by-service.pgdump"):
        listing = subprocess.run(
            ["pg_restore", "--list", str(tmp_path / dump)], capture_output=True, text=True
        )
        assert listing.returncode == 0 and "safety_log" in listing.stdout


@pytest.mark.e2e
@pytest.mark.parametrize("form", URL_FORMS)
def test_ingest_warns_of_a_password_in_db_and_keeps_it_out_of_its_log(
    password_role: PasswordRole, tmp_path: Path, form: str
) -> None:
    log = tmp_path / "ingest.log"
    with log.open("w") as stderr:
        proc = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "bedside-ingest"),
                "--db",
                url_of(password_role, form),
                "--listen",
                "127.0.0.1:0",
                "--log-level",
                "INFO",
            ],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
        try:
            assert proc.stdout is not None
            # Listening: it has connected with the password and logged the database it opened.
            assert proc.stdout.readline().startswith("bedside-ingest: listening on"), log.read_text()
            proc.send_signal(signal.SIGTERM)
            proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
    written = log.read_text()
    assert "is on the command line, where every account on this machine can read it" in written
    assert "at schema revision" in written  # the database it opened, named without the password
    assert password_role.token not in written
