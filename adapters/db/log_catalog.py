"""What else in PostgreSQL's catalogue can open the safety log while its triggers stay in place
(`verify-log` reads it after `log_guard.missing`):

- a rule on a log table: `DO INSTEAD NOTHING` on INSERT swallows every entry (the append trigger
  never sees it), one on the head's UPDATE keeps the head where it was;
- a trigger function with settings of its own (`ALTER FUNCTION ... SET search_path`: the
  unqualified `safety_log` it reads may then be another schema's table), or made SECURITY DEFINER;
- UPDATE, DELETE or TRUNCATE on a log table held by a role that is not the tables' owner, directly,
  through PUBLIC or through a role it belongs to. The roles' column grant UPDATE (seq, hash) on the
  head is what `bedside-cli db roles` gives (the head's trigger guards it). Superusers and members
  of the owner's role are left out: they can run DDL on the tables anyway.

Reads only. Each fault is (what, why), for `BROKEN at what: why`.
"""

from __future__ import annotations

from bedside_adapters.db.log_guard import LOG_TABLES, PG_FUNCTIONS
from sqlalchemy import Connection

from bedside.i18n import _

_TABLES = ", ".join(f"'{name}'" for name in LOG_TABLES)

_HEAD_COLUMNS_MOVED = ("seq", "hash")
"""The head's columns the roles may update (the head moves; its trigger says where to)."""


def pg_faults(conn: Connection) -> list[tuple[str, str]]:
    if conn.dialect.name != "postgresql":
        return []
    return _rules(conn) + _function_settings(conn) + _grants(conn)


def _rules(conn: Connection) -> list[tuple[str, str]]:
    rows = conn.exec_driver_sql(
        "SELECT c.relname, r.rulename, r.ev_type FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class "
        f"WHERE c.relname IN ({_TABLES}) AND pg_table_is_visible(c.oid) ORDER BY c.relname, r.rulename"
    )
    events = {"1": "SELECT", "2": "UPDATE", "3": "INSERT", "4": "DELETE"}
    return [
        (
            _("rule {name} on {table}").format(name=name, table=table),
            _(
                "a rule on {event} rewrites what reaches the log's triggers (CREATE RULE is DDL): drop it"
            ).format(event=events.get(str(ev), str(ev))),
        )
        for table, name, ev in rows
    ]


def _function_settings(conn: Connection) -> list[tuple[str, str]]:
    names = ", ".join(f"'{name}'" for name in PG_FUNCTIONS)
    rows = conn.exec_driver_sql(
        "SELECT p.proname, p.proconfig, p.prosecdef FROM pg_proc p "
        f"WHERE p.proname IN ({names}) AND pg_function_is_visible(p.oid) ORDER BY p.proname"
    )
    faults = []
    for name, config, definer in rows:
        if config:
            faults.append(
                (
                    _("function {name}()").format(name=name),
                    _("it has settings it was not installed with: {settings}").format(
                        settings=", ".join(config)
                    ),
                )
            )
        if definer:
            faults.append(
                (
                    _("function {name}()").format(name=name),
                    _("it was made SECURITY DEFINER (installed as SECURITY INVOKER)"),
                )
            )
    return faults


def _grants(conn: Connection) -> list[tuple[str, str]]:
    """Effective privileges, so a grant through membership (pg_write_all_data, another role) counts."""
    others = (
        "SELECT r.oid, r.rolname FROM pg_roles r WHERE NOT r.rolsuper AND r.oid <> c.relowner "
        "AND NOT pg_has_role(r.oid, c.relowner, 'MEMBER') AND left(r.rolname, 3) <> 'pg_'"
    )
    head_moved = ", ".join(f"'{col}'" for col in _HEAD_COLUMNS_MOVED)
    rows = conn.exec_driver_sql(
        "SELECT c.relname, who.rolname, p.priv FROM pg_class c "
        f"CROSS JOIN LATERAL ({others} UNION ALL SELECT 0, 'PUBLIC') who "
        "CROSS JOIN (VALUES ('DELETE'), ('TRUNCATE')) p(priv) "
        f"WHERE c.relname IN ({_TABLES}) AND c.relkind IN ('r', 'p') AND pg_table_is_visible(c.oid) "
        "AND has_table_privilege(CASE WHEN who.oid = 0 THEN 'public' ELSE who.rolname END, c.oid, p.priv) "
        "UNION "
        "SELECT c.relname, who.rolname, 'UPDATE' FROM pg_class c "
        f"CROSS JOIN LATERAL ({others} UNION ALL SELECT 0, 'PUBLIC') who "
        "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
        f"WHERE c.relname IN ({_TABLES}) AND c.relkind IN ('r', 'p') AND pg_table_is_visible(c.oid) "
        f"AND NOT (c.relname = 'safety_log_head' AND a.attname IN ({head_moved})) "
        "AND has_column_privilege(CASE WHEN who.oid = 0 THEN 'public' ELSE who.rolname END, "
        "c.oid, a.attnum, 'UPDATE') "
        "ORDER BY 1, 2, 3"
    )
    held: dict[tuple[str, str], list[str]] = {}
    for table, role, priv in rows:
        held.setdefault((str(table), str(role)), []).append(str(priv))
    return [
        (
            _("the grants on {table}").format(table=table),
            _("{role} holds {privileges} on it (only the tables' owner may; {revoke})").format(
                role=role,
                privileges=", ".join(privs),
                revoke=f"REVOKE {', '.join(privs)} ON {table} FROM {role}",
            ),
        )
        for (table, role), privs in held.items()
    ]
