"""Where the database is and how to open it (ARCHITECTURE.md §6).

Order of precedence for the URL: `--db`, then BEDSIDE_DB_URL, then a SQLite file in the platformdirs
data dir (BEDSIDE_DATA_DIR overrides the dir: tests and kiosks). A plain path is taken as a SQLite file.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

SYNCHRONOUS_MODES = ("NORMAL", "FULL")


class NoDatabase(LookupError):
    """A command that reads a database was pointed at one that does not exist."""


def require_existing(url: str) -> None:
    """NoDatabase when `url` is a SQLite file that is not there. Opening it would create an empty
    database: a mistyped `--db` then answered "no alerts", "no entries" or "log intact" about a
    file that never held anything. (A server database that is missing fails to connect anyway.)"""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return
    if not Path(parsed.database).exists():
        raise NoDatabase(f"no database at {parsed.database}")


def data_dir() -> Path:
    override = os.environ.get("BEDSIDE_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir("bedside", "bedside"))


def resolve_url(cli_value: str | None = None) -> str:
    value = cli_value or os.environ.get("BEDSIDE_DB_URL")
    if not value:
        return f"sqlite:///{data_dir() / 'bedside.sqlite3'}"
    if "://" not in value:
        return f"sqlite:///{Path(value).expanduser().resolve()}"
    return value


def describe_url(url: str) -> str:
    """The URL without its password, for screens and logs."""
    return make_url(url).render_as_string(hide_password=True)


def make_engine(url: str, synchronous: str = "NORMAL", busy_timeout: float = 10.0) -> Engine:
    """An engine with Bedside's settings. SQLite: WAL, `synchronous` NORMAL (default) or FULL
    (an ACK then survives power loss), foreign keys on. Both databases: a statement waits at most
    `busy_timeout` seconds for a lock, then fails, so a sender gets AE/CE in time to resend rather
    than a listener that hangs."""
    if synchronous.upper() not in SYNCHRONOUS_MODES:
        raise ValueError(f"synchronous must be one of {SYNCHRONOUS_MODES}, not {synchronous!r}")
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": busy_timeout})
        mode = synchronous.upper()

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
