"""`bedside-cli verify-log`: the safety log checked against itself, its keys, its anchors, and the
records the screens show.

In this order, stopping at the first fault, which is named (an entry by its sequence number, a record
by its table and id):
1. the chain, the head and the signatures (`bedside.safety_log.verify`), with the keys this machine
   trusts: the installation's key file, and the fingerprints given with `--trust-key` (a report
   prints its key's);
2. the anchors (the anchor file's lines for this database, and `--expect-head`): each anchored entry
   must still be in the log with the anchored hash;
3. the records that mirror the log (`bedside_adapters.db.log_records`): every alert, adverse event,
   dose and account the log names is there, as the log says, and every one there is in the log;
4. the database's own defences: an empty log in a database in use (accounts, doses, alerts, adverse
   events or messages) is a deleted log; the append-only triggers (`log_guard`) must be there as
   installed; on PostgreSQL no rule, changed trigger function or grant may open the log
   (`log_catalog`).
Before all of these, the log's tables must be there with their columns: a renamed or broken schema
is named as such, not read.
Reads only: opened read-only by the CLI, it writes neither the database nor any file.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bedside_adapters import anchors
from bedside_adapters.db import log_catalog, log_guard
from bedside_adapters.db import schema as t
from bedside_adapters.db.engine import Engine, data_dir
from bedside_adapters.db.log_records import MIRRORED, RecordFault, check_records
from bedside_adapters.keys import installation_public_key
from sqlalchemy import Connection, Table, func, inspect, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError

from bedside.i18n import N_, _
from bedside.log_signing import fingerprint
from bedside.safety_log import SafetyLogEntry, Verification, verify


@dataclass(frozen=True)
class LogCheck:
    ok: bool
    checked: int
    """Entries read."""
    first_broken: int | None = None
    """The first entry at fault (for a record: the entry that disagrees with it, when one does)."""
    where: str = ""
    """What is at fault: `entry N`, or a record such as `alert 3`."""
    reason: str = ""
    key_ids: tuple[str, ...] = ()
    """The keys that signed the entries."""
    unsigned: int = 0
    anchors: int = 0
    """Anchors checked (the file's lines for this database, and --expect-head)."""
    records: int = 0
    """Alerts, adverse events and doses checked against the log."""
    trusted: tuple[str, ...] = ()
    head: tuple[int, str] | None = None
    """The head row as stored (sequence, hash): verified against the chain when `ok`, so an auditor
    can note it and pass it as --expect-head next time."""
    notes: list[str] = field(default_factory=list)


def verify_database(
    engine: Engine,
    expect_head: tuple[int, str] | None = None,
    trust: Sequence[str] = (),
    anchor_file: Path | None = None,
    unsigned_through: int = 0,
) -> LogCheck:
    """`anchor_file`: read every line of this file (an auditor's copy); default: this installation's
    anchor file, its lines for this database. `unsigned_through`: the last entry the auditor accepts
    unsigned (a log begun before signing existed); by default every entry must be signed. A database
    that cannot be read as the schema says is a broken log (named in the result), never a trace."""
    try:
        return _verify(engine, expect_head, trust, anchor_file, unsigned_through)
    except SQLAlchemyError as exc:
        # Broken in a way the check of the log's tables does not foresee: one line, not a trace.
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
        return LogCheck(False, 0, reason=_("the database could not be read: {reason}").format(reason=reason))


def _verify(
    engine: Engine,
    expect_head: tuple[int, str] | None,
    trust: Sequence[str],
    anchor_file: Path | None,
    unsigned_through: int,
) -> LogCheck:
    identity = database_identity(engine.url)
    if anchor_file is None:
        anchored = anchors.read_anchors(anchors.anchor_path(data_dir()), identity)
    else:
        anchored = anchors.read_anchors(anchor_file)
    wanted = {a.seq for a in anchored} | ({expect_head[0]} if expect_head else set())
    with engine.connect() as conn:
        unreadable = schema_fault(conn)
        if unreadable is not None:
            return LogCheck(False, 0, reason=unreadable)
        keys, notes = _trusted_keys(conn, trust)
        stored = conn.execute(select(t.safety_log_head.c.seq, t.safety_log_head.c.hash)).first()
        head = None if stored is None else (int(stored[0]), str(stored[1]))
        seen: dict[int, str] = {}
        mirrored: list[SafetyLogEntry] = []
        chain = verify(_watch(entries(conn), wanted, seen, mirrored), head, keys, unsigned_through)
        base = {
            "checked": chain.checked,
            "key_ids": chain.key_ids,
            "unsigned": chain.unsigned,
            "trusted": tuple(keys),
            "head": head,
            "notes": notes,
        }
        if not chain.ok:
            return _broken_entry(chain, base)
        last = chain.checked
        fault = _anchor_fault(anchored, expect_head, seen, last)
        base["anchors"] = len(anchored) + (1 if expect_head else 0)
        if fault is not None:
            seq, reason = fault
            return LogCheck(
                False, first_broken=seq, where=_("entry {n}").format(n=seq), reason=reason, **base
            )  # type: ignore[arg-type]
        outcome = check_records(conn, mirrored)
        if not isinstance(outcome, RecordFault):
            unguarded = _unguarded(conn, chain.checked)
            if unguarded is not None:
                seq, where, reason = unguarded
                return LogCheck(False, first_broken=seq, where=where, reason=reason, records=outcome, **base)  # type: ignore[arg-type]
    if isinstance(outcome, RecordFault):
        return LogCheck(
            False,
            first_broken=outcome.entry,
            where=outcome.record,
            reason=outcome.reason,
            records=outcome.checked,
            **base,  # type: ignore[arg-type]
        )
    return LogCheck(True, records=outcome, **base)  # type: ignore[arg-type]


_RECORDS_OF_USE = (
    (
        N_("the log is empty but the database holds an account: the log (and its head) were deleted"),
        t.app_user,
    ),
    (
        N_("the log is empty but the database holds a dose: the log (and its head) were deleted"),
        t.infusion_episode,
    ),
    (N_("the log is empty but the database holds an alert: the log (and its head) were deleted"), t.alert),
    (
        N_("the log is empty but the database holds an adverse event: the log (and its head) were deleted"),
        t.adverse_event,
    ),
    (
        N_("the log is empty but the database holds a received message: the log (and its head) were deleted"),
        t.inbound_message,
    ),
)
"""What an installation in use holds, each of which comes with safety-log entries: a database that
holds any of them has a log (each with what its presence without a log means)."""


def _unguarded(conn: Connection, checked: int) -> tuple[int | None, str, str] | None:
    """The database's own defences, checked after the entries and records: a log emptied by someone
    who also deleted every record it named still leaves the database in use; and the append-only
    triggers must be there (dropped, the log is open to whoever can write the database)."""
    if checked == 0:
        for reason, table in _RECORDS_OF_USE:
            if conn.execute(select(func.count()).select_from(table)).scalar_one():
                return 1, _("entry {n}").format(n=1), _(reason)
    gone = log_guard.missing(conn)
    if gone:
        return (
            None,
            _("the append-only triggers"),
            _("missing or changed: {triggers} (dropped with DDL)").format(triggers=", ".join(gone)),
        )
    opened = log_catalog.pg_faults(conn)
    if opened:
        where, reason = opened[0]
        more = " " + _("({n} more such faults)").format(n=len(opened) - 1) if len(opened) > 1 else ""
        return None, where, reason + more
    return None


_READ = (t.safety_log, t.safety_log_head, t.safety_log_key)
"""The tables read column by column: each must be there with every column."""


def schema_fault(conn: Connection) -> str | None:
    """What of the schema verify-log reads is not there (a table renamed or dropped, a column gone),
    or None. Only the log's tables are required column by column: the records' tables may be of an
    older revision (verify-log never migrates), so for them only their presence is required."""
    found = inspect(conn)
    tables = set(found.get_table_names())
    required: tuple[Table, ...] = (*_READ, *(table for _name, table in _RECORDS_OF_USE))
    gone = [table.name for table in required if table.name not in tables]
    if gone:
        return _("table {tables} missing (renamed or dropped)").format(tables=", ".join(gone))
    for table in _READ:
        present = {col["name"] for col in found.get_columns(table.name)}
        lost = [col.name for col in table.columns if col.name not in present]
        if lost:
            return _("table {table} has no column {columns} (altered outside Bedside)").format(
                table=table.name, columns=", ".join(lost)
            )
    return None


def entries(conn: Connection, batch: int = 5000) -> Iterator[SafetyLogEntry]:
    c = t.safety_log.c
    after = 0
    while True:
        rows = conn.execute(select(t.safety_log).where(c.seq > after).order_by(c.seq).limit(batch)).all()
        if not rows:
            return
        for r in rows:
            yield SafetyLogEntry(
                int(r.seq),
                int(r.at_ms),
                r.kind,
                r.actor,
                r.patient_ref,
                None if r.episode_id is None else int(r.episode_id),
                None if r.alert_id is None else int(r.alert_id),
                r.payload,
                r.prev_hash,
                r.hash,
                r.key_id,
                r.signature,
            )
        after = int(rows[-1].seq)


def database_identity(url: URL | str) -> str:
    """How an anchor names the database: the SQLite file's absolute path, or the server and database
    (without user or password: the roles that write it share its anchors)."""
    u = make_url(str(url)) if isinstance(url, str) else url
    if u.get_backend_name() == "sqlite":
        db = u.database or ""
        return f"sqlite:{Path(db).resolve() if db and db != ':memory:' else ':memory:'}"
    return f"{u.get_backend_name()}://{u.host or ''}:{u.port or ''}/{u.database or ''}"


def _watch(
    stream: Iterator[SafetyLogEntry], wanted: set[int], seen: dict[int, str], mirrored: list[SafetyLogEntry]
) -> Iterator[SafetyLogEntry]:
    """The entries as they pass to the chain's check, keeping the anchored ones' hashes and the
    entries about records (one read of the log)."""
    for e in stream:
        if e.seq in wanted:
            seen[e.seq] = e.hash
        if e.kind in MIRRORED:
            mirrored.append(e)
        yield e


def _broken_entry(chain: Verification, base: dict) -> LogCheck:
    return LogCheck(
        False,
        first_broken=chain.first_broken,
        where=_("entry {n}").format(n=chain.first_broken),
        reason=chain.reason,
        **base,
    )


def _trusted_keys(conn: Connection, trust: Sequence[str]) -> tuple[dict[str, str], list[str]]:
    """Fingerprint -> public key of the keys whose signatures count. The database's key table is
    only a place to find a public key by a fingerprint trusted from elsewhere: a key someone added
    there is not trusted for being there."""
    keys: dict[str, str] = {}
    notes: list[str] = []
    own = installation_public_key(data_dir())
    if own is not None:
        keys[own[0]] = own[1]
    k = t.safety_log_key.c
    stored = {r.key_id: r.public_key for r in conn.execute(select(k.key_id, k.public_key))}
    for wanted in trust:
        fp = wanted.strip().lower()
        if not fp.startswith("ed25519:"):
            fp = "ed25519:" + fp
        public = stored.get(fp)
        if public is None or fingerprint(public) != fp:
            notes.append(_("key {key} (--trust-key) signed no entry in this database").format(key=fp))
            continue
        keys[fp] = public
    if own is None and not trust:
        notes.append(
            _(
                "this machine has no installation key: give --trust-key with the fingerprint a report "
                "prints, or set BEDSIDE_LOG_KEY"
            )
        )
    return keys, notes


def _anchor_fault(
    anchored: Sequence[anchors.Anchor],
    expect_head: tuple[int, str] | None,
    seen: dict[int, str],
    last: int,
) -> tuple[int, str] | None:
    """The lowest entry that an anchor (or --expect-head) says should be there and is not, or is
    there with another hash."""
    faults: list[tuple[int, str]] = []
    claims = [
        (a.seq, a.hash, _("anchored {at} (anchor file line {line})").format(at=a.at, line=a.line))
        for a in anchored
    ]
    if expect_head is not None:
        claims.append((expect_head[0], expect_head[1], _("expected by --expect-head")))
    for seq, digest, said in claims:
        if seq > last:
            cut = _("entries {first}..{last} are missing from the end: entry {seq} was {said}").format(
                first=last + 1, last=seq, seq=seq, said=said
            )
            faults.append((last + 1, cut))
        elif not seen.get(seq, "").startswith(digest):
            faults.append((seq, _("it is not the entry {said}: its hash differs").format(said=said)))
    return min(faults) if faults else None
