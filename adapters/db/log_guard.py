"""The database itself keeps the safety log append-only: triggers on SQLite and PostgreSQL, and on
PostgreSQL roles for ingest, the screens and administration that hold no UPDATE, DELETE or TRUNCATE
on the log.

What the triggers allow:
- `safety_log`: an INSERT of the entry after the last one (its seq one more, its previous-hash the last
  entry's hash) that carries a signature; no UPDATE, no DELETE (nor TRUNCATE on PostgreSQL). SQLite's
  INSERT OR REPLACE over an entry is an INSERT of an entry that is not next: refused too.
- `safety_log_head`: created once (seq 0, the genesis hash) and moved only onto the last entry, with
  that entry's hash: it can never fall behind the log nor point past it. Rewriting the head row to the
  values it holds is allowed (that is how an append takes the write lock).
- `safety_log_key`: the public keys entries name; added, never changed or removed. On SQLite an
  INSERT naming a key already there is refused too: INSERT OR REPLACE would otherwise swap the row
  without firing the delete trigger.

Someone who can run DDL (SQLite: anyone who can write the file; PostgreSQL: the tables' owner or a
superuser) can drop the triggers: what they then change is caught by the signatures and the anchors
(`bedside-cli verify-log`), not prevented.

A later migration that rebuilds one of these tables on SQLite (batch_alter_table copies it to a new
table) loses its triggers: it must call `install` again.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import make_url

from bedside.safety_log import GENESIS

_SQLITE_APPEND_ONLY = (
    "safety_log_no_update",
    "safety_log_no_delete",
    "safety_log_append",
    "safety_log_head_create",
    "safety_log_head_forward",
    "safety_log_head_no_delete",
    "safety_log_key_no_update",
    "safety_log_key_no_delete",
)

_SQLITE_KEY_GUARD = ("safety_log_key_no_replace",)
"""Added after the first set (its own migration): a database made before it lacks it."""

_SQLITE_KEY_GUARD_SQL = [
    """CREATE TRIGGER safety_log_key_no_replace BEFORE INSERT ON safety_log_key
WHEN EXISTS (SELECT 1 FROM safety_log_key WHERE key_id = NEW.key_id)
BEGIN SELECT RAISE(ABORT, 'safety_log_key is append-only: a key cannot be replaced'); END""",
]

_SQLITE = [
    """CREATE TRIGGER safety_log_no_update BEFORE UPDATE ON safety_log
BEGIN SELECT RAISE(ABORT, 'safety_log is append-only: an entry cannot be changed'); END""",
    """CREATE TRIGGER safety_log_no_delete BEFORE DELETE ON safety_log
BEGIN SELECT RAISE(ABORT, 'safety_log is append-only: an entry cannot be deleted'); END""",
    f"""CREATE TRIGGER safety_log_append BEFORE INSERT ON safety_log
WHEN NEW.seq IS NOT coalesce((SELECT max(seq) FROM safety_log), 0) + 1
  OR NEW.prev_hash IS NOT coalesce((SELECT hash FROM safety_log ORDER BY seq DESC LIMIT 1), '{GENESIS}')
  OR NEW.signature IS NULL OR NEW.key_id IS NULL
BEGIN
  SELECT RAISE(ABORT, 'safety_log: an entry is appended after the last one, linked to it and signed');
END""",
    f"""CREATE TRIGGER safety_log_head_create BEFORE INSERT ON safety_log_head
WHEN NEW.id IS NOT 1 OR NEW.seq IS NOT 0 OR NEW.hash IS NOT '{GENESIS}'
  OR EXISTS (SELECT 1 FROM safety_log_head)
BEGIN SELECT RAISE(ABORT, 'safety_log_head is created once, empty'); END""",
    """CREATE TRIGGER safety_log_head_forward BEFORE UPDATE ON safety_log_head
WHEN (NEW.id IS NOT OLD.id OR NEW.seq IS NOT OLD.seq OR NEW.hash IS NOT OLD.hash)
  AND NOT (NEW.id = OLD.id AND NEW.seq = (SELECT max(seq) FROM safety_log)
           AND NEW.hash = (SELECT hash FROM safety_log WHERE seq = NEW.seq))
BEGIN SELECT RAISE(ABORT, 'safety_log_head moves only onto the last entry of the log'); END""",
    """CREATE TRIGGER safety_log_head_no_delete BEFORE DELETE ON safety_log_head
BEGIN SELECT RAISE(ABORT, 'safety_log_head cannot be deleted'); END""",
    """CREATE TRIGGER safety_log_key_no_update BEFORE UPDATE ON safety_log_key
BEGIN SELECT RAISE(ABORT, 'safety_log_key is append-only'); END""",
    """CREATE TRIGGER safety_log_key_no_delete BEFORE DELETE ON safety_log_key
BEGIN SELECT RAISE(ABORT, 'safety_log_key is append-only'); END""",
]

PG_FUNCTIONS = (
    "bedside_log_refuse",
    "bedside_log_append",
    "bedside_log_head_create",
    "bedside_log_head_forward",
)

_PG = [
    """CREATE OR REPLACE FUNCTION bedside_log_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- The message is concatenated: a percent sign would be read as a parameter by the driver.
  RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
    MESSAGE = TG_TABLE_NAME || ' is append-only: ' || TG_OP || ' refused';
END $$""",
    f"""CREATE OR REPLACE FUNCTION bedside_log_append() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE last_seq bigint; last_hash text;
BEGIN
  SELECT seq, hash INTO last_seq, last_hash FROM safety_log ORDER BY seq DESC LIMIT 1;
  IF NEW.seq IS DISTINCT FROM coalesce(last_seq, 0) + 1
     OR NEW.prev_hash IS DISTINCT FROM coalesce(last_hash, '{GENESIS}')
     OR NEW.signature IS NULL OR NEW.key_id IS NULL THEN
    RAISE EXCEPTION 'safety_log: an entry is appended after the last one, linked to it and signed'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$""",
    f"""CREATE OR REPLACE FUNCTION bedside_log_head_create() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id IS DISTINCT FROM 1 OR NEW.seq IS DISTINCT FROM 0 OR NEW.hash IS DISTINCT FROM '{GENESIS}'
     OR EXISTS (SELECT 1 FROM safety_log_head) THEN
    RAISE EXCEPTION 'safety_log_head is created once, empty' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$""",
    """CREATE OR REPLACE FUNCTION bedside_log_head_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW IS NOT DISTINCT FROM OLD THEN
    RETURN NEW;
  END IF;
  IF NEW.id = OLD.id AND NEW.seq = (SELECT max(seq) FROM safety_log)
     AND NEW.hash = (SELECT hash FROM safety_log WHERE seq = NEW.seq) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'safety_log_head moves only onto the last entry of the log'
    USING ERRCODE = 'insufficient_privilege';
END $$""",
    """CREATE TRIGGER safety_log_no_change BEFORE UPDATE OR DELETE ON safety_log
FOR EACH ROW EXECUTE FUNCTION bedside_log_refuse()""",
    """CREATE TRIGGER safety_log_no_truncate BEFORE TRUNCATE ON safety_log
FOR EACH STATEMENT EXECUTE FUNCTION bedside_log_refuse()""",
    """CREATE TRIGGER safety_log_append BEFORE INSERT ON safety_log
FOR EACH ROW EXECUTE FUNCTION bedside_log_append()""",
    """CREATE TRIGGER safety_log_head_create BEFORE INSERT ON safety_log_head
FOR EACH ROW EXECUTE FUNCTION bedside_log_head_create()""",
    """CREATE TRIGGER safety_log_head_forward BEFORE UPDATE ON safety_log_head
FOR EACH ROW EXECUTE FUNCTION bedside_log_head_forward()""",
    """CREATE TRIGGER safety_log_head_no_delete BEFORE DELETE ON safety_log_head
FOR EACH ROW EXECUTE FUNCTION bedside_log_refuse()""",
    """CREATE TRIGGER safety_log_head_no_truncate BEFORE TRUNCATE ON safety_log_head
FOR EACH STATEMENT EXECUTE FUNCTION bedside_log_refuse()""",
    """CREATE TRIGGER safety_log_key_no_change BEFORE UPDATE OR DELETE ON safety_log_key
FOR EACH ROW EXECUTE FUNCTION bedside_log_refuse()""",
    """CREATE TRIGGER safety_log_key_no_truncate BEFORE TRUNCATE ON safety_log_key
FOR EACH STATEMENT EXECUTE FUNCTION bedside_log_refuse()""",
]

# (table, trigger, function, tgtype): pg_trigger.tgtype's bits are 1 row-level, 2 before, 4 insert,
# 8 delete, 16 update, 32 truncate (PostgreSQL's catalog, src/include/catalog/pg_trigger.h).
_PG_TRIGGERS = (
    ("safety_log", "safety_log_no_change", "bedside_log_refuse", 1 | 2 | 8 | 16),
    ("safety_log", "safety_log_no_truncate", "bedside_log_refuse", 2 | 32),
    ("safety_log", "safety_log_append", "bedside_log_append", 1 | 2 | 4),
    ("safety_log_head", "safety_log_head_create", "bedside_log_head_create", 1 | 2 | 4),
    ("safety_log_head", "safety_log_head_forward", "bedside_log_head_forward", 1 | 2 | 16),
    ("safety_log_head", "safety_log_head_no_delete", "bedside_log_refuse", 1 | 2 | 8),
    ("safety_log_head", "safety_log_head_no_truncate", "bedside_log_refuse", 2 | 32),
    ("safety_log_key", "safety_log_key_no_change", "bedside_log_refuse", 1 | 2 | 8 | 16),
    ("safety_log_key", "safety_log_key_no_truncate", "bedside_log_refuse", 2 | 32),
)


def _pg_bodies() -> dict[str, str]:
    """Each trigger function's body as installed (PostgreSQL keeps the text between the $$ quotes
    as it was given, in pg_proc.prosrc)."""
    bodies = {}
    for sql in _PG[: len(PG_FUNCTIONS)]:
        name = sql.split("FUNCTION ", 1)[1].split("(", 1)[0]
        bodies[name] = sql.split("$$", 2)[1]
    return bodies


def install(conn: Connection) -> None:
    """Create every trigger (a migration that rebuilds one of the tables, and the tests that put
    them back, call this)."""
    install_append_only(conn)
    install_key_guard(conn)


def install_append_only(conn: Connection) -> None:
    """Create the first set of triggers (the migration that made the log append-only calls this)."""
    statements = _SQLITE if conn.dialect.name == "sqlite" else _PG
    for sql in statements:
        conn.exec_driver_sql(sql)


def install_key_guard(conn: Connection) -> None:
    """SQLite's refusal of a key row inserted over an existing one. PostgreSQL has no INSERT OR
    REPLACE (an ON CONFLICT DO UPDATE fires the update trigger): nothing to add there."""
    if conn.dialect.name == "sqlite":
        for sql in _SQLITE_KEY_GUARD_SQL:
            conn.exec_driver_sql(sql)


def missing(conn: Connection) -> list[str]:
    """The append-only triggers that are not there as installed (`verify-log`: someone with DDL
    dropped, disabled or replaced them). Reads only."""
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        present = {str(r[0]): str(r[1]) for r in rows}
        # A trigger dropped and created again under its name with another body counts as missing.
        expected = zip(_SQLITE_APPEND_ONLY + _SQLITE_KEY_GUARD, _SQLITE + _SQLITE_KEY_GUARD_SQL, strict=True)
        return [name for name, sql in expected if present.get(name) != sql]
    # Each trigger as installed: enabled as created (tgenabled 'O'; 'R' or 'A', set by ALTER TABLE
    # ENABLE REPLICA or ALWAYS TRIGGER, change when it fires), on its table, for its events, with no
    # WHEN condition, and calling a function of its name whose body is the one installed (CREATE OR
    # REPLACE FUNCTION keeps the name and the trigger while changing what it does).
    rows = conn.exec_driver_sql(
        "SELECT c.relname, g.tgname, p.proname, g.tgtype, p.prosrc, g.tgqual IS NULL "
        "FROM pg_trigger g "
        "JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_proc p ON p.oid = g.tgfoid "
        "WHERE NOT g.tgisinternal AND g.tgenabled = 'O' AND pg_table_is_visible(c.oid) "
        "AND c.relname IN ('safety_log', 'safety_log_head', 'safety_log_key')"
    )
    found = {(str(r[0]), str(r[1])): (str(r[2]), int(r[3]), str(r[4]), bool(r[5])) for r in rows}
    bodies = _pg_bodies()
    gone = [
        (table, name)
        for table, name, function, tgtype in _PG_TRIGGERS
        if found.get((table, name)) != (function, tgtype, bodies[function], True)
    ]
    return [f"{name} on {table}" for table, name in gone]


def uninstall(conn: Connection) -> None:
    """Drop the triggers: the migration's downgrade, and the tests that play an insider who can."""
    if conn.dialect.name == "sqlite":
        for name in _SQLITE_APPEND_ONLY + _SQLITE_KEY_GUARD:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        return
    for table, name, _function, _tgtype in _PG_TRIGGERS:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    for fn in PG_FUNCTIONS:
        conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {fn}()")


def uninstall_key_guard(conn: Connection) -> None:
    """Drop what `install_key_guard` made (its migration's downgrade)."""
    if conn.dialect.name == "sqlite":
        for name in _SQLITE_KEY_GUARD:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")


# PostgreSQL roles


ROLES = ("bedside_ingest", "bedside_screens", "bedside_admin")
"""Ingest (and the alerting engine in its process), the screens, and administration (backup,
retention, user and rule-set management). None of them owns the tables: the schema's owner (who runs
`bedside-cli db upgrade`) is the database administrator's account, kept apart from all three."""

LOG_TABLES = ("safety_log", "safety_log_head", "safety_log_key")

_PRIVILEGES = {
    # Ingest stores, compacts and merges (DELETE), and raises alerts.
    "bedside_ingest": "SELECT, INSERT, UPDATE, DELETE",
    # The screens record and correct; they delete nothing.
    "bedside_screens": "SELECT, INSERT, UPDATE",
    # Retention (prune) deletes old numeric data; users and rule sets are kept up to date.
    "bedside_admin": "SELECT, INSERT, UPDATE, DELETE",
}


def roles_sql(database: str, schema: str = "public") -> str:
    """The SQL that creates the three roles (LOGIN, no password: the site sets one with ALTER ROLE
    or \\password, or authenticates them by certificate or peer) and grants each what it needs. Run
    again after every schema upgrade: a new table is granted then. On the log, each role may only
    read and append (the head: move, guarded by its trigger); UPDATE, DELETE and TRUNCATE are granted
    to none, nor to PUBLIC. The accounts (app_user) are changed by administration only: the other
    two roles read them."""
    names = ", ".join(ROLES)
    lines = ["BEGIN;"]
    for role in ROLES:
        lines.append(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN "
            f"CREATE ROLE {role} LOGIN; END IF; END $$;"
        )
    lines += [
        f'GRANT CONNECT ON DATABASE "{database}" TO {names};',
        f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC;",
        f"GRANT USAGE ON SCHEMA {schema} TO {names};",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM PUBLIC, {names};",
    ]
    for role in ROLES:
        lines.append(f"GRANT {_PRIVILEGES[role]} ON ALL TABLES IN SCHEMA {schema} TO {role};")
    log_tables = ", ".join(f"{schema}.{t}" for t in LOG_TABLES)
    lines += [
        f"REVOKE ALL ON {log_tables} FROM {names};",
        f"GRANT SELECT, INSERT ON {log_tables} TO {names};",
        # Accounts: only administration changes them (a screen or ingest account that could set a
        # password hash, a role or the active flag could take over any account).
        f"REVOKE ALL ON {schema}.app_user FROM {names};",
        f"GRANT SELECT ON {schema}.app_user TO {names};",
        f"GRANT INSERT, UPDATE, DELETE ON {schema}.app_user TO bedside_admin;",
        f"GRANT UPDATE (seq, hash) ON {schema}.safety_log_head TO {names};",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {names};",
        "COMMIT;",
    ]
    return "\n".join(lines) + "\n"


def roles_sql_for(url: str) -> str | None:
    """`roles_sql` for the database of `url`; None for a database that has no roles (SQLite)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return None
    return roles_sql(parsed.database or "postgres")


class RolesRefused(Exception):
    """The server refused the roles' SQL (an account without CREATEROLE, or not the tables' owner)."""


def apply_roles(engine: Engine, sql: str) -> None:
    """Run the roles' SQL (its own BEGIN and COMMIT) as the engine's account; RolesRefused, with the
    server's one-line reason and what the account needs, when the server refuses it."""
    raw = engine.raw_connection()
    try:
        conn = raw.driver_connection
        conn.autocommit = True  # type: ignore[union-attr]
        with conn.cursor() as cur:  # type: ignore[union-attr]
            cur.execute(sql)
    except engine.dialect.loaded_dbapi.Error as exc:
        reason = " ".join(str(exc).split("\n", 1)[0].split())
        raise RolesRefused(
            f"{reason} (run it as the tables' owner, with CREATEROLE or as a superuser; "
            "nothing was changed: the SQL runs in one transaction)"
        ) from None
    finally:
        raw.close()
