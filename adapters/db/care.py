"""Care of the data: online backup, database size."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url


class BackupError(RuntimeError):
    pass


def database_bytes(engine: Engine) -> int:
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            return int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one())
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()
        size = conn.exec_driver_sql("PRAGMA page_size").scalar_one()
    wal = Path(f"{engine.url.database}-wal")
    return int(pages) * int(size) + (wal.stat().st_size if wal.exists() else 0)


def libpq_url(url: str) -> str:
    """A SQLAlchemy PostgreSQL URL as pg_dump and psql understand it."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def backup(engine: Engine, target: Path) -> str:
    """Copy the live database to `target` without stopping ingest. Returns what was done."""
    if target.exists():
        raise BackupError(f"{target} exists; choose a new file (a backup never overwrites one)")
    target.parent.mkdir(parents=True, exist_ok=True)
    if engine.dialect.name == "sqlite":
        # SQLite's online backup API copies a consistent snapshot while writers carry on.
        raw = engine.raw_connection()
        try:
            dest = sqlite3.connect(target)
            try:
                raw.driver_connection.backup(dest)  # type: ignore[union-attr]
                ok = dest.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                dest.close()
        finally:
            raw.close()
        if ok != "ok":
            raise BackupError(f"the copy failed its integrity check: {ok}")
        return f"SQLite online backup written to {target} (integrity check: ok)"
    pg_dump = shutil.which("pg_dump")
    command = ["pg_dump", "--format=custom", f"--file={target}", libpq_url(str(engine.url))]
    if pg_dump is None:
        raise BackupError(
            "pg_dump is not installed here. On a machine with the PostgreSQL client tools run:\n  "
            + " ".join(command[:-1])
            + " '"
            + make_url(str(engine.url)).set(drivername="postgresql").render_as_string(hide_password=True)
            + "'\nand restore with pg_restore --dbname=URL FILE."
        )
    result = subprocess.run([pg_dump, *command[1:]], capture_output=True, text=True, timeout=3600)
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return f"pg_dump (custom format) written to {target}; restore with pg_restore --dbname=URL {target}"
