"""Where the database is and how to open it.

Order of precedence for the URL: `--db`, then BEDSIDE_DB_URL, then a SQLite file in the platformdirs
data dir (BEDSIDE_DATA_DIR overrides the dir: tests and kiosks). A plain path is taken as a SQLite file.

A command opens a database that must already exist through `open_existing`: one that records
something brings the schema to this version first; one that only reads opens it read-only and never
migrates, so a reader (above all the safety-log verifier) cannot change what it reads.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import platformdirs
from bedside_adapters.keys import private_installation
from bedside_adapters.private_files import (
    PRIVATE_DIR,
    make_private_dir,
    private_sqlite_files,
    restrict,
    restrict_sqlite_files,
)
from sqlalchemy import Engine as Engine  # the type the adapters outside this package name
from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, make_url

from bedside.i18n import _

SYNCHRONOUS_MODES = ("NORMAL", "FULL")


class NoDatabase(LookupError):
    """A command that reads a database was pointed at one that does not exist."""


class SchemaNotCurrent(RuntimeError):
    """A command that only reads was pointed at a database whose schema is not this version's: it
    will not migrate it (a reader never writes)."""


def require_existing(url: str) -> None:
    """NoDatabase when `url` is a SQLite file that is not there. Opening it would create an empty
    database: a mistyped `--db` then answered "no alerts", "no entries" or "log intact" about a
    file that never held anything. (A server database that is missing fails to connect anyway.)"""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return
    if not Path(parsed.database).exists():
        raise NoDatabase(_("no database at {path}").format(path=parsed.database))


def data_dir() -> Path:
    override = os.environ.get("BEDSIDE_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir("bedside", "bedside"))


def _restrict_data_dir(folder: Path) -> None:
    """The data dir, and each directory of it down to `folder`, 0700 when `folder` is in it (a
    directory elsewhere that a file was asked for in keeps its mode)."""
    root = data_dir()
    try:
        inside = folder.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return
    restrict(root, PRIVATE_DIR)
    for part in inside.parts:
        root = root / part
        restrict(root, PRIVATE_DIR)


def resolve_url(cli_value: str | None = None) -> str:
    value = cli_value or os.environ.get("BEDSIDE_DB_URL")
    if not value:
        return f"sqlite:///{data_dir() / 'bedside.sqlite3'}"
    if "://" not in value:
        return f"sqlite:///{Path(value).expanduser().resolve()}"
    return value


def url_password(url: str | URL) -> str | None:
    """The password a URL carries: after `user:` or as its `password` query parameter, which libpq and
    psycopg take as well (and which wins when both are given). None when it carries none."""
    parsed = make_url(url)
    given = parsed.query.get("password")
    if isinstance(given, tuple):
        given = given[-1] if given else None
    return given if given is not None else parsed.password


def without_password(url: str | URL) -> URL:
    """The URL with neither form of password (a client then finds it in PGPASSFILE or a service file)."""
    u = make_url(url)
    # URL.set leaves a password it is given as None in place: the URL is made anew without one.
    bare = URL.create(u.drivername, u.username, None, u.host, u.port, u.database, u.query)
    return bare.difference_update_query(["password"])


def password_on_command_line(cli_value: str | None) -> str | None:
    """A warning when a `--db` URL carries a password (in either form): every account on the machine
    can read a process's command line (ps, /proc/PID/cmdline). None when it carries none."""
    if not cli_value or "://" not in cli_value or url_password(cli_value) is None:
        return None
    return (
        f"the password of {describe_url(cli_value)} is on the command line, where every account on "
        "this machine can read it: put the URL in BEDSIDE_DB_URL (an environment file only this account "
        "reads), or leave the password out of the URL and keep it in a libpq service file or PGPASSFILE"
    )


def describe_url(url: str | URL) -> str:
    """The URL without its password (in either form), for screens and logs."""
    parsed = make_url(url)
    if "password" in parsed.query:
        parsed = parsed.update_query_dict({"password": "***"})
    return parsed.render_as_string(hide_password=True)


def make_engine(url: str, synchronous: str = "NORMAL", busy_timeout: float = 10.0) -> Engine:
    """An engine with Bedside's settings. SQLite: WAL, `synchronous` NORMAL (default) or FULL
    (an ACK then survives power loss), foreign keys on; the file, its -wal and -shm 0600 and a folder
    it creates 0700 (the data dir 0700 too). Both databases: a statement waits at most
    `busy_timeout` seconds for a lock, then fails, so a sender gets AE/CE in time to resend rather
    than a listener that hangs."""
    if synchronous.upper() not in SYNCHRONOUS_MODES:
        raise ValueError(f"synchronous must be one of {SYNCHRONOUS_MODES}, not {synchronous!r}")
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = Path(parsed.database) if parsed.database and parsed.database != ":memory:" else None
        if database is not None:
            make_private_dir(database.parent)
            _restrict_data_dir(database.parent)
        engine = create_engine(url, connect_args={"timeout": busy_timeout})
        mode = synchronous.upper()

        if database is not None:

            @event.listens_for(engine, "do_connect")
            def _private(*_args) -> None:  # type: ignore[no-untyped-def]
                private_sqlite_files(database)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute(f"PRAGMA synchronous={mode}")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
            cur.close()

        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    ms = int(busy_timeout * 1000)
    return create_engine(url, pool_pre_ping=True, connect_args={"options": f"-c lock_timeout={ms}"})


def is_standalone(url: str) -> bool:
    """True when `url` is a SQLite file: one machine, so the window runs its own ingest."""
    return make_url(url).get_backend_name() == "sqlite"


def open_or_create(url: str, migrate: bool = True) -> Engine:
    """The one way to open a database that may not exist yet, for what may create it (`db upgrade`,
    `import`, the window): the installation's folders private as `open_existing` makes them, and,
    with `migrate`, the schema brought to this version's (DatabaseTooNew when a newer Bedside wrote
    it). A command that only reads uses `open_existing`, which never creates."""
    from bedside_adapters.db.migrate import upgrade

    private_installation(data_dir())
    engine = make_engine(url)
    if migrate:
        try:
            upgrade(engine)
        except BaseException:
            engine.dispose()
            raise
    return engine


def open_existing(url: str, write: bool, migrate: bool = True) -> Engine:
    """The one way a command opens a database that must exist (NoDatabase otherwise; nothing created).

    `write`: the engine may write; with `migrate`, the schema is first brought to this version's
    (DatabaseTooNew when a newer Bedside wrote it). Read-only (`write` False): SQLite opens the file
    read-only (the connection cannot write it; its WAL side files may appear, as for any reader, 0600
    as the file is made first),
    PostgreSQL runs every transaction read-only; with `migrate`, a schema other than this version's
    is refused (SchemaNotCurrent, or DatabaseTooNew) rather than upgraded. `migrate` False: whatever
    the schema is (`db current`, backup, compaction)."""
    from bedside_adapters.db.migrate import check_not_newer, current_revision, head_revision, upgrade

    require_existing(url)
    # The installation's folders are made private by a reader too (a reader changes no byte of
    # content; permissions of what this account owns are not content).
    private_installation(data_dir())
    engine = make_engine(url) if write else _read_only_engine(url)
    try:
        if migrate and write:
            upgrade(engine)
        elif migrate:
            check_not_newer(engine)
            current, head = current_revision(engine), head_revision()
            if current is None:
                raise SchemaNotCurrent(
                    _(
                        "{database} is empty (no Bedside schema): "
                        "run `bedside-cli db upgrade` or start ingest"
                    ).format(database=describe_url(url))
                )
            if current != head:
                raise SchemaNotCurrent(
                    _(
                        "{database} has the schema of an older Bedside (revision {current}, this "
                        "version reads {head}); this command only reads and does not upgrade it: "
                        "run `bedside-cli db upgrade` first"
                    ).format(database=describe_url(url), current=current, head=head)
                )
    except BaseException:
        engine.dispose()
        raise
    return engine


def _read_only_engine(url: str, busy_timeout: float = 10.0) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            return create_engine(url)
        # mode=ro: SQLite itself refuses every write through this connection, and it neither
        # creates the file nor changes its journal mode (the writers set WAL).
        # The engine keeps the file's URL (what the size and backup code read); its connections
        # come from the read-only opener.
        database = Path(parsed.database).resolve()
        _restrict_data_dir(database.parent)
        uri = f"{database.as_uri()}?mode=ro"

        def connect() -> sqlite3.Connection:
            # Before each connection, as the writers': a -wal or -shm SQLite creates for this reader
            # takes the main file's mode, which must be 0600 by then.
            restrict_sqlite_files(database)
            return sqlite3.connect(uri, uri=True, timeout=busy_timeout, check_same_thread=False)

        return create_engine(url, creator=connect)
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    ms = int(busy_timeout * 1000)
    options = f"-c lock_timeout={ms} -c default_transaction_read_only=on"
    return create_engine(url, pool_pre_ping=True, connect_args={"options": options})
