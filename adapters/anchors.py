"""The safety log's head written outside the database: an append-only anchor file and the system log.

Someone who can write the database can cut entries off the end of the log and move its head row to
match; the chain and the signatures of what is left are then intact. An anchor is a copy of the head
(sequence number and hash) kept where the database's writer cannot reach it unnoticed: a line appended
to a file in the data dir (0600; BEDSIDE_LOG_ANCHORS to keep it elsewhere, on a write-once volume for
instance) and a message to the system journal (syslog, when the machine has one). `verify-log` then
requires every anchored entry to be in the log with the anchored hash.

Lines: `time<TAB>seq:hash<TAB>database<TAB>why`, the time in UTC ISO 8601, the database as
`bedside_adapters.db.safety_store.database_identity` names it (one file can serve several databases).
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bedside_adapters.private_files import PRIVATE_FILE, make_private_dir, restrict

ANCHORS_ENV = "BEDSIDE_LOG_ANCHORS"
SYSLOG_SOCKET = "/dev/log"

log = logging.getLogger("bedside.anchors")


@dataclass(frozen=True)
class Anchor:
    at: str
    """When it was written (UTC, ISO 8601)."""
    seq: int
    hash: str
    database: str
    why: str
    line: int
    """Its line in the file (from 1), for a message that names it."""


def anchor_path(data: Path) -> Path:
    override = os.environ.get(ANCHORS_ENV)
    return Path(override).expanduser() if override else data / "safety-log.anchors"


def write_anchor(path: Path, database: str, head: tuple[int, str], why: str) -> str:
    """Append the head to the anchor file and send it to the system log; returns the line written.
    The file is created 0600 and only ever opened for appending."""
    seq, digest = head
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    line = f"{stamp}\t{seq}:{digest}\t{database}\t{' '.join(why.split())}"
    make_private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, PRIVATE_FILE)
    try:
        os.write(fd, (line + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    restrict(path, PRIVATE_FILE)
    _journal(f"safety log head {seq}:{digest} of {database} ({why})")
    return line


def read_anchors(path: Path, database: str | None = None) -> list[Anchor]:
    """The anchors in the file (none when there is no file); only `database`'s when it is given. A
    line that cannot be read is skipped: the anchors around it still count. A file this account owns
    loses the permissions beyond 0600 first (one left writable by others could be rewritten by them)."""
    restrict(path, PRIVATE_FILE)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    out = []
    for n, raw in enumerate(text.splitlines(), start=1):
        parts = raw.split("\t")
        if len(parts) < 3:
            continue
        seq, sep, digest = parts[1].partition(":")
        if not sep or not seq.isdigit() or len(digest) != 64:
            continue
        if database is not None and parts[2] != database:
            continue
        out.append(Anchor(parts[0], int(seq), digest, parts[2], parts[3] if len(parts) > 3 else "", n))
    return out


def forget_database(path: Path, database: str) -> int:
    """Drop `database`'s anchors from the file (the other databases' lines stay as they were);
    returns how many lines went. Only for a database that is itself being deleted and created anew
    under the same name (the demo's synthetic one): its old anchors would name entries the new log
    never had and make `verify-log` report it broken. The file is replaced whole, atomically."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    except FileNotFoundError:
        return 0
    kept = [raw for raw in lines if not (len(p := raw.rstrip("\n").split("\t")) >= 3 and p[2] == database)]
    if len(kept) == len(lines):
        return 0
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    try:
        os.write(fd, "".join(kept).encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    restrict(path, PRIVATE_FILE)
    return len(lines) - len(kept)


_journal_lock = threading.Lock()
_journal_handler: list[logging.Handler | None] = []


def _journal(message: str) -> None:
    """To the system log when the machine has one (/dev/log); a machine without it is not an error:
    the anchor file holds the same line."""
    with _journal_lock:
        if not _journal_handler:
            handler: logging.Handler | None = None
            if Path(SYSLOG_SOCKET).exists():
                try:
                    handler = logging.handlers.SysLogHandler(address=SYSLOG_SOCKET)
                    handler.ident = "bedside: "
                except OSError:
                    handler = None
            _journal_handler.append(handler)
        handler = _journal_handler[0]
    if handler is None:
        return
    record = logging.LogRecord("bedside.anchors", logging.INFO, __file__, 0, message, None, None)
    try:
        handler.emit(record)
    except Exception:  # the journal is a second copy; the anchor file is written already
        log.debug("the system log did not take the anchor", exc_info=True)


class Anchoring:
    """Anchors the head every `every` seconds when it has moved (the alerting process's tick calls
    `maybe`). `head` reads the committed head: (seq, hash) or None for an empty log."""

    def __init__(
        self,
        path: Path,
        database: str,
        head: Callable[[], tuple[int, str] | None],
        every: float = 600.0,
    ) -> None:
        self.path = path
        self.database = database
        self.head = head
        self.every = every
        self._last: tuple[int, str] | None = None
        self._due = 0.0

    def maybe(self, why: str = "periodic") -> bool:
        now = time.monotonic()
        if now < self._due:
            return False
        self._due = now + self.every
        head = self.head()
        if head is None or head == self._last:
            return False
        write_anchor(self.path, self.database, head, why)
        self._last = head
        return True
