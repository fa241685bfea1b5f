"""How every `bedside-cli` command opens its database: `open_database`, the one way, so that what a
command may do to a database (create it, migrate it, write to it, or only read it) is said where it
opens it, in one call, and decided here."""

from __future__ import annotations

from bedside_adapters.db.engine import Engine, open_existing, open_or_create, resolve_url


def open_database(db: str | None, *, write: bool, migrate: bool = True, create: bool = False) -> Engine:
    """The engine of `db`: `--db` as given (a file's path or a URL), or None for `BEDSIDE_DB_URL` or
    the installation's default database. The caller disposes of it.

    A read-only command (`write` False) opens a database that exists (NoDatabase otherwise) and never
    creates or migrates it: a schema other than this version's is refused, unless `migrate` is False
    (whatever schema it has: `db current`, a backup, verify-log's check of an older schema). A command
    that records (`write`) opens a database that exists and first brings it to this version's schema
    (unless `migrate` is False). `create`: only for the commands that may start a database (`db
    upgrade`, `import`); it implies `write`."""
    url = resolve_url(db)
    if create:
        return open_or_create(url, migrate=migrate)
    return open_existing(url, write=write, migrate=migrate)
