"""The ACK a message was answered with, kept as what cannot be rebuilt and rebuilt byte for byte.

Two acknowledgements of one sender's messages differ only in their own time (MSH-7), their own
control id (MSH-10) and the control id they echo (MSA-2); the rest (our names, the sender's, the
event, the processing id, the version, the code) repeats. That rest is kept once, as a template
(ack_template), and a row keeps the template's id, the ACK's second as an offset from its receive
time, and the number that ends the ACK's control id; the echoed control id is the row's own,
escaped as the ACK escaped it. A row is written so only after the ACK rebuilt from those parts has
been compared equal, character for character, with the ACK sent; any other ACK (one carrying an ERR
segment, or one of a shape not foreseen) is kept whole in `ack`. Templates are never changed or
deleted, so every stored ACK can be rebuilt for as long as its row exists.
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from bedside_adapters.db import schema as t
from bedside_adapters.db.interned import text_id
from sqlalchemy import Connection, select

TIME = -1
"""A template slot: the ACK's MSH-7, the receive second plus the row's ack_at."""
ECHO = -2
"""A template slot: the row's control id, escaped (MSA-2)."""
# A positive slot is the row's ack_seq written with that many digits (MSH-10's last 1 to 10 digits).
_SEQ = re.compile(r"(.*?)(\d{1,10})", re.DOTALL)
_STAMP = re.compile(r"(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})\+0000")
_CACHE_LIMIT = 4096

Parts = list[str | int]
# What rebuilds a stored ACK is written out here rather than borrowed from the HL7 writer: it must
# read back ACKs for as long as their rows exist, whatever the writer does later (a change there only
# makes new ACKs fail the comparison and be kept whole).
_SPECIAL = "\\|^&~"
_ESCAPES = (("\\", "\\E\\"), ("|", "\\F\\"), ("^", "\\S\\"), ("&", "\\T\\"), ("~", "\\R\\"))


def _escape(value: str) -> str:
    """A value escaped for the standard delimiters |^~\\& (HL7 v2.x section 2.7), escape character first."""
    if not any(ch in value for ch in _SPECIAL):
        return value  # the usual case
    for ch, code in _ESCAPES:
        value = value.replace(ch, code)
    return value


@lru_cache(maxsize=1024)
def _stamp(second: int) -> str:
    return datetime.fromtimestamp(second, tz=UTC).strftime("%Y%m%d%H%M%S") + "+0000"


@dataclass(frozen=True, slots=True)
class SplitAck:
    parts: tuple[str | int, ...]
    """The template: strings as they are, slots as integers."""
    at: int
    seq: int

    @property
    def template(self) -> str:
        """The template as stored (JSON)."""
        return json.dumps(list(self.parts), ensure_ascii=False, separators=(",", ":"))


@lru_cache(maxsize=1024)  # one ACK time serves every message answered within that second
def _second(stamp: str) -> int | None:
    m = _STAMP.fullmatch(stamp)
    if m is None:
        return None
    try:
        return calendar.timegm((*(int(g) for g in m.groups()), 0, 0, 0))
    except (ValueError, OverflowError):
        return None


def split_ack(ack: str, control_id: str, received_ms: int) -> SplitAck | None:
    """The ACK as a template and this row's parts, or None when it is to be kept whole."""
    if not ack.startswith("MSH|^~\\&|") or "\rERR|" in ack:
        return None
    end = ack.find("\r")
    if end < 0:
        return None
    msh = ack[:end].split("|")
    if len(msh) < 10:
        return None
    second = _second(msh[6])
    seq = _SEQ.fullmatch(msh[9])
    if second is None or seq is None:
        return None
    prefix, digits = seq.groups()
    parts: list[str | int] = ["|".join(msh[:6]) + "|", TIME, "|" + "|".join([*msh[7:9], prefix]), len(digits)]
    tail = "".join("|" + f for f in msh[10:]) + "\r"
    rest = ack[end + 1 :]
    if rest.startswith("MSA|"):
        msa_end = rest.find("\r")
        msa_end = len(rest) if msa_end < 0 else msa_end
        msa = rest[:msa_end].split("|")
        if len(msa) >= 3 and msa[2] == _escape(control_id):
            parts += [
                tail + "|".join(msa[:2]) + "|",
                ECHO,
                "".join("|" + f for f in msa[3:]) + rest[msa_end:],
            ]
        else:
            parts.append(tail + rest)
    else:
        parts.append(tail + rest)
    split = SplitAck(tuple(parts), second - received_ms // 1000, int(digits))
    if rebuild(split.parts, received_ms, split.at, split.seq, control_id) != ack:
        return None
    return split


def rebuild(parts: Sequence[str | int], received_ms: int, at: int, seq: int, control_id: str) -> str:
    out = []
    for p in parts:
        if isinstance(p, str):
            out.append(p)
        elif p == TIME:
            out.append(_stamp(received_ms // 1000 + at))
        elif p == ECHO:
            out.append(_escape(control_id))
        else:
            out.append(str(seq).zfill(p))
    return "".join(out)


class AckTemplates:
    """Template ids by text and texts by id, for one database. Not thread-safe: one per user."""

    def __init__(self) -> None:
        self._ids: dict[tuple[str | int, ...], int] = {}
        self._parts: dict[int, Parts] = {}

    def clear(self) -> None:
        """After a rolled-back transaction: a template it inserted does not exist."""
        self._ids.clear()
        self._parts.clear()

    def id_for(self, conn: Connection, split: SplitAck, insert: Callable[..., Any]) -> int:
        """The template's id, stored in this transaction if it is new (`insert`: the dialect's)."""
        found = self._ids.get(split.parts)
        if found is not None:
            return found
        found = text_id(conn, t.ack_template, "parts", split.template, insert)
        if len(self._ids) >= _CACHE_LIMIT:
            self._ids.clear()
        self._ids[split.parts] = found
        return found

    def parts(self, conn: Connection, template_id: int) -> Parts:
        found = self._parts.get(template_id)
        if found is None:
            text = conn.execute(
                select(t.ack_template.c.parts).where(t.ack_template.c.id == template_id)
            ).scalar_one()
            found = json.loads(text)
            if len(self._parts) >= _CACHE_LIMIT:
                self._parts.clear()
            self._parts[template_id] = found
        return found

    def text(
        self,
        conn: Connection,
        ack: str,
        template_id: int | None,
        at: int | None,
        seq: int | None,
        received_ms: int,
        control_id: str,
    ) -> str:
        """The ACK as sent, from a row's ack, ack_template, ack_at, ack_seq, received_ms, control_id."""
        if template_id is None:
            return ack
        return rebuild(
            self.parts(conn, int(template_id)), int(received_ms), int(at or 0), int(seq or 0), control_id
        )


def ack_columns() -> tuple[Any, ...]:
    """The columns `AckTemplates.text` reads, in its order."""
    m = t.inbound_message.c
    return (m.ack, m.ack_template, m.ack_at, m.ack_seq, m.received_ms, m.control_id)
