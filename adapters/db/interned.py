"""Texts that repeat from one message row to the next, kept once in a table of their own.

Such a table has an id, the SHA-256 of the text (unique: a text of any length can be looked up, where
PostgreSQL's index entries are limited in size) and the text. Rows are never changed or deleted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Table, select


def text_id(conn: Connection, table: Table, column: str, text: str, insert: Callable[..., Any]) -> int:
    """The text's id in `table`, stored in this transaction if it is new (`insert`: the dialect's).
    Two ingest nodes may store the same text at once: the second waits for the first and reads its id."""
    c = table.c
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
    row = conn.execute(
        insert(table)
        .values({"digest": digest, column: text})
        .on_conflict_do_nothing(index_elements=["digest"])
        .returning(c.id)
    ).first()
    if row is None:  # stored already (by another node, or before this process started)
        row = conn.execute(select(c.id).where(c.digest == digest)).one()
    return int(row[0])
