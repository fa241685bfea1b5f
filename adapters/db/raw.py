"""The DB-API cursor inside SQLAlchemy's transaction, for the few hot statements.

Core's per-statement work (building the statement, its cache key, processing each parameter) costs
several times what SQLite's own insert costs. The alert engine's write path issues a dozen statements
per raising patient, so a burst of reacting beds would queue behind that work. The same transaction,
the same connection: only the statement building is skipped. SQL is written with `?`
marks and turned into psycopg's `%s` for PostgreSQL.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Connection


def cursor(conn: Connection) -> Any:
    return conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]


def sql(conn: Connection, text: str) -> str:
    return _for(conn.dialect.name, text)


@lru_cache(maxsize=1024)
def _for(dialect: str, text: str) -> str:
    return text if dialect == "sqlite" else text.replace("?", "%s")
