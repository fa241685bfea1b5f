"""Care of the data: online backup, database size."""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from bedside_adapters.db.engine import url_password, without_password
from bedside_adapters.private_files import create_private_file, make_private_dir
from sqlalchemy import Engine, text

from bedside.i18n import _


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
    """A SQLAlchemy PostgreSQL URL as pg_dump and psql understand it, without its password in either
    form (that goes by `libpq_password_file`, never on a command line)."""
    return without_password(url).set(drivername="postgresql").render_as_string(hide_password=False)


@contextlib.contextmanager
def libpq_password_file(url: str) -> Iterator[dict[str, str]]:
    """The environment for a libpq client (pg_dump) of `url`. A password in the URL goes into a
    password file of its own (0600, deleted afterwards) named by PGPASSFILE: a command line is readable
    by every account on the machine. A URL without a password leaves libpq to the site's own
    PGPASSFILE, ~/.pgpass or service file."""
    env = dict(os.environ)
    password = url_password(url)
    if password is None:
        yield env
        return
    with tempfile.TemporaryDirectory(prefix="bedside-pgpass-") as folder:
        passfile = Path(folder) / "pgpass"
        create_private_file(passfile)
        # Any host, port, database and user: the URL names them. libpq reads \\ and \: as escapes.
        escaped = str(password).replace("\\", "\\\\").replace(":", "\\:")
        passfile.write_text(f"*:*:*:*:{escaped}\n", encoding="utf-8")
        env["PGPASSFILE"] = str(passfile)
        env.pop("PGPASSWORD", None)
        yield env


def backup(engine: Engine, target: Path) -> str:
    """Copy the live database to `target` without stopping ingest. Returns what was done. The copy is
    0600 from its first moment, and a folder made for it 0700: a backup holds every patient's record."""
    make_private_dir(target.parent)
    try:
        create_private_file(target)
    except FileExistsError:
        raise BackupError(
            _("{path} exists; choose a new file (a backup never overwrites one)").format(path=target)
        ) from None
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
            raise BackupError(_("the copy failed its integrity check: {result}").format(result=ok))
        return _("SQLite online backup written to {path} (integrity check: ok)").format(path=target)
    pg_dump = shutil.which("pg_dump")
    # The URL as it is: str() of an engine's URL masks the password.
    url = engine.url.render_as_string(hide_password=False)
    command = ["pg_dump", "--format=custom", f"--file={target}", libpq_url(url)]
    if pg_dump is None:
        target.unlink()
        raise BackupError(
            "pg_dump is not installed here. On a machine with the PostgreSQL client tools run:\n  "
            + shlex.join(command)
            + "\n(its password from PGPASSFILE or a service file); restore with pg_restore --dbname=URL FILE."
        )
    with libpq_password_file(url) as env:
        # The copy exists 0600 already; the umask keeps whatever else pg_dump creates private too.
        result = subprocess.run(
            [pg_dump, *command[1:]], capture_output=True, text=True, timeout=3600, env=env, umask=0o077
        )
    if result.returncode != 0:
        target.unlink(missing_ok=True)  # what a failed dump left is no backup
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return f"pg_dump (custom format) written to {target}; restore with pg_restore --dbname=URL {target}"
