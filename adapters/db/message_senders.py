"""Each sender's name kept once (message_sender), and its number in every message row.

A sender's name (MSH-3 and MSH-4, often 30 to 60 characters) repeated in every row, and again in the
index that finds a sender's latest messages, cost more at rest than the compressed frame itself. The
row keeps the number; readers join the name back (`joined`, `name`) or look the number up by name
(`id_of`). Names are never changed or deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bedside_adapters.db import schema as t
from sqlalchemy import Connection, ScalarSelect, select

_CACHE_LIMIT = 65536

name = t.message_sender.c.name
"""The sender's name, in a select from `joined()`."""


def joined() -> Any:
    """inbound_message with its sender's name (select_from this, then select `name`)."""
    return t.inbound_message.join(t.message_sender, t.message_sender.c.id == t.inbound_message.c.sender_id)


def id_of(sender: str) -> ScalarSelect[Any]:
    """The sender's number, for a where clause on inbound_message.sender_id (NULL: never seen)."""
    return select(t.message_sender.c.id).where(t.message_sender.c.name == sender).scalar_subquery()


class SenderIds:
    """Numbers of the senders one ingest process writes, created on first sight (one thread)."""

    def __init__(self, insert: Callable[..., Any]) -> None:
        """`insert`: the dialect's insert, which has on_conflict_do_nothing."""
        self._insert = insert
        self._ids: dict[str, int] = {}

    def clear(self) -> None:
        """Forget numbers a rolled-back transaction may have created."""
        self._ids.clear()

    def id_for(self, conn: Connection, sender: str) -> int:
        found = self._ids.get(sender)
        if found is not None:
            return found
        s = t.message_sender.c
        # Insert-or-ignore, then read: two ingest processes may meet the same sender at once.
        conn.execute(
            self._insert(t.message_sender).values(name=sender).on_conflict_do_nothing(index_elements=[s.name])
        )
        found = int(conn.execute(select(s.id).where(s.name == sender)).scalar_one())
        if len(self._ids) >= _CACHE_LIMIT:
            self._ids.clear()
        self._ids[sender] = found
        return found
