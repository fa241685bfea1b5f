"""The safety log against an insider with a shell and SQL, on SQLite and PostgreSQL.

Each tampering is either refused by the database (the append-only triggers; on PostgreSQL also the
roles' grants) or, done by someone who can drop the triggers first, found by `bedside-cli verify-log`
with the first bad entry or record named: by the chain, the signatures, the anchors outside the
database, or the check of the records against the log. docs/security.md tabulates them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from bedside_adapters.cli import main as cli_main
from bedside_adapters.db import alert_store, log_guard
from bedside_adapters.db import schema as t
from bedside_adapters.db.safety_store import head_anchoring, record
from bedside_adapters.db.unit_of_work import SqlUnitOfWork
from sqlalchemy import Connection, Engine, delete, func, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from bedside import handlers
from bedside import log_entries as le
from bedside.alert_changes import Logged, RaiseAlert
from bedside.alerts import NOT_STORED, Alert, AlertState
from bedside.clock import to_ms
from bedside.commands import AcknowledgeAlert, RecordAdverseEvent, StartDose, StopDose
from bedside.log_signing import new_signer
from bedside.model import PatientRef
from bedside.safety_log import canonical, entry_hash
from bedside.users import Action, Role
from tests.acting import acts, signs
from tests.signed_in import signed_in

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC).timestamp()
PATIENT = PatientRef("TMP42", "H")
REF = "TMP42^H"


@dataclass(frozen=True)
class Logged_:
    """What the fixture recorded: ids and the entries' count."""

    url: str
    episode: int
    alerts: tuple[int, ...]
    adverse: int
    entries: int
    anchored: tuple[int, str]


def _raise_alert(engine: Engine, episode: int, rule: str, at: float) -> int:
    raised = le.AlertRaised(
        actor=le.ENGINE_ACTOR,
        patient_ref=PATIENT,
        episode_id=episode,
        rule=rule,
        ruleset="test",
        ruleset_digest="0" * 64,
        grading="CTCAE v5",
        severity="high",
        onset=at,
        fired_at=at,
        message=f"{rule} fired",
        observations=[],
        dose=1,
        start_unconfirmed=False,
    )
    change = RaiseAlert(
        Alert(
            id=NOT_STORED,
            episode_id=episode,
            patient=PATIENT,
            rule_id=rule,
            title=rule,
            severity="high",
            state=AlertState.RAISED,
            message=f"{rule} fired",
            onset=at,
            fired_at=at,
            last_true=at,
            raised_at=at,
            ruleset="test",
            ruleset_digest="0" * 64,
            grading="CTCAE v5",
        ),
        resolved=None,
        log=(Logged(raised, at),),
    )
    with engine.begin() as conn:
        return alert_store.persist(conn, [change]).raised[0]


@pytest.fixture
def logged(engine: Engine) -> Logged_:
    """A dose, three alerts (one acknowledged), an adverse event and a stop; the head anchored as the
    alerting process's tick does."""
    ep = handlers.start_dose(
        SqlUnitOfWork(engine), StartDose(patient=PATIENT, dose=1, start=T0, **acts("RN Ada"), recorded_at=T0)
    )
    alerts = tuple(_raise_alert(engine, ep.id, rule, T0 + 600 * (i + 1)) for i, rule in enumerate("ABC"))
    handlers.acknowledge_alerts(
        SqlUnitOfWork(engine),
        AcknowledgeAlert(alert_ids=(alerts[0],), **signs("RN Ada", Action.ACKNOWLEDGE), recorded_at=T0 + 700),
    )
    entry = handlers.record_adverse_event(
        SqlUnitOfWork(engine),
        RecordAdverseEvent(
            patient=PATIENT,
            term="Infusion related reaction",
            grade=2,
            relatedness="probable",
            **signs("Dr Lee", Action.RECORD_ADVERSE_EVENT),
            recorded_at=T0 + 800,
            dose=1,
            onset=T0 + 600,
            alert_ids=(alerts[0],),
        ),
    )
    handlers.stop_dose(
        SqlUnitOfWork(engine),
        StopDose(patient=PATIENT, dose=1, end=T0 + 2700, **acts("RN Ada"), recorded_at=T0 + 2700),
    )
    anchoring = head_anchoring(engine, every=0.0)
    assert anchoring.maybe()
    with engine.connect() as conn:
        count = conn.execute(select(t.safety_log.c.seq).order_by(t.safety_log.c.seq.desc())).first()[0]
        head = conn.execute(select(t.safety_log.c.hash).where(t.safety_log.c.seq == count)).scalar_one()
    url = engine.url.render_as_string(hide_password=False)
    return Logged_(url, ep.id, alerts, entry.id, int(count), (int(count), head))


def verify(url: str, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    rc = cli_main(["--db", url, "verify-log", *extra])
    got = capsys.readouterr()
    return rc, got.out, got.err


def test_the_untouched_log_verifies_with_its_key_anchors_and_records(logged: Logged_, capsys) -> None:  # type: ignore[no-untyped-def]
    rc, out, err = verify(logged.url, capsys)
    assert rc == 0, err
    assert f"safety log intact: {logged.entries} entries" in out
    assert "1 anchors checked" in out and "5 alerts, adverse events and doses match the log" in out
    assert "Safety log key ed25519:" in out
    seq, digest = logged.anchored
    assert f"head {seq}:{digest}" in out  # what an auditor notes, to pass as --expect-head later


# Tamperings the database refuses: the direct SQL fails and the log verifies as before.

Attempt = Callable[[Connection, Logged_], None]


def _entry(conn: Connection, seq: int) -> dict:
    return dict(conn.execute(select(t.safety_log).where(t.safety_log.c.seq == seq)).one()._mapping)


def _append_unsigned(conn: Connection, rec: Logged_) -> None:
    last = _entry(conn, rec.entries)
    seq, text_ = rec.entries + 1, canonical({"comment": "", "rule": "A", "severity": "high"})
    digest = entry_hash(
        last["hash"], seq, to_ms(T0 + 900), "alert.acknowledged", "Mallory", REF, None, None, text_
    )
    conn.execute(
        insert(t.safety_log).values(
            seq=seq,
            at_ms=to_ms(T0 + 900),
            kind="alert.acknowledged",
            actor="Mallory",
            patient_ref=REF,
            payload=text_,
            prev_hash=last["hash"],
            hash=digest,
        )
    )


REFUSED: dict[str, Attempt] = {
    "edit an entry's actor": lambda c, r: c.execute(
        update(t.safety_log).where(t.safety_log.c.seq == 3).values(actor="Mallory")
    ),
    "delete an entry": lambda c, r: c.execute(delete(t.safety_log).where(t.safety_log.c.seq == 3)),
    "delete the last entries": lambda c, r: c.execute(
        delete(t.safety_log).where(t.safety_log.c.seq > r.entries - 2)
    ),
    "delete every entry": lambda c, r: c.execute(delete(t.safety_log)),
    "renumber entries to make room": lambda c, r: c.execute(
        update(t.safety_log).where(t.safety_log.c.seq == r.entries).values(seq=r.entries + 1)
    ),
    "move the head back": lambda c, r: c.execute(
        update(t.safety_log_head).values(seq=r.entries - 2, hash=_entry(c, r.entries - 2)["hash"])
    ),
    "move the head past the log": lambda c, r: c.execute(update(t.safety_log_head).values(seq=r.entries + 5)),
    "delete the head": lambda c, r: c.execute(delete(t.safety_log_head)),
    "append an entry out of sequence": lambda c, r: c.execute(
        insert(t.safety_log).values({**_entry(c, 2), "seq": r.entries + 2})
    ),
    "append an unsigned entry with a valid hash": _append_unsigned,
    "replace the signing key's public key": lambda c, r: c.execute(
        update(t.safety_log_key).values(public_key=new_signer().public_hex)
    ),
    "delete the signing key": lambda c, r: c.execute(delete(t.safety_log_key)),
}


def _sqlite_replace(c: Connection) -> None:
    row = _entry(c, 3)
    names = ", ".join(row)
    marks = ", ".join(f":{k}" for k in row)
    c.execute(
        text(f"INSERT OR REPLACE INTO safety_log ({names}) VALUES ({marks})"), {**row, "actor": "Mallory"}
    )


@pytest.mark.parametrize("attempt", sorted(REFUSED))
def test_the_database_refuses_the_direct_sql(engine: Engine, logged: Logged_, capsys, attempt: str) -> None:  # type: ignore[no-untyped-def]
    refused = r"append-only|appended after the last one|head moves only|head cannot|created once"
    with pytest.raises(DBAPIError, match=refused), engine.begin() as conn:
        REFUSED[attempt](conn, logged)
    assert verify(logged.url, capsys)[0] == 0


def test_sqlite_insert_or_replace_cannot_overwrite_an_entry(sqlite_engine: Engine, capsys) -> None:  # type: ignore[no-untyped-def]
    handlers.start_dose(
        SqlUnitOfWork(sqlite_engine),
        StartDose(patient=PATIENT, dose=1, start=T0, **acts("RN Ada"), recorded_at=T0),
    )
    for k in range(3):
        with sqlite_engine.begin() as conn:
            record(conn, le.AlertAnnotated(actor="x", patient_ref=PATIENT, text=f"note {k}"), T0 + k)
    with pytest.raises(DBAPIError, match="appended after the last one"), sqlite_engine.begin() as conn:
        _sqlite_replace(conn)


def test_postgresql_refuses_truncate_even_to_the_tables_owner(postgres_url: str, capsys) -> None:  # type: ignore[no-untyped-def]
    from bedside_adapters.db.engine import make_engine
    from bedside_adapters.db.migrate import upgrade

    engine = make_engine(postgres_url)
    try:
        upgrade(engine)
        with engine.begin() as conn:
            record(conn, le.AlertAnnotated(actor="x", patient_ref=PATIENT, text="note"), T0)
        for table in log_guard.LOG_TABLES:
            with pytest.raises(DBAPIError, match="append-only: TRUNCATE refused"), engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {table}"))
    finally:
        engine.dispose()
    assert verify(postgres_url, capsys)[0] == 0


# Tamperings done by someone who dropped the triggers first: found, first bad entry or record named.


def _forge(
    conn: Connection, seq: int, prev: str, actor: str, payload: dict, sign: bool, **refs: object
) -> str:
    """An entry as the attacker writes it: a correct hash; signed by a key of their own, or not."""
    text_ = canonical(payload)
    at_ms = to_ms(T0 + 5000 + seq)
    kind = str(refs.pop("kind", "alert.annotated"))
    ep, al = refs.get("episode_id"), refs.get("alert_id")
    digest = entry_hash(prev, seq, at_ms, kind, actor, REF, ep, al, text_)  # type: ignore[arg-type]
    signer = new_signer()
    conn.execute(
        insert(t.safety_log).values(
            seq=seq,
            at_ms=at_ms,
            kind=kind,
            actor=actor,
            patient_ref=REF,
            episode_id=ep,
            alert_id=al,
            payload=text_,
            prev_hash=prev,
            hash=digest,
            key_id=signer.key_id if sign else None,
            signature=signer.sign(digest) if sign else None,
        )
    )
    return digest


def _cut_tail_and_move_head(conn: Connection, r: Logged_) -> None:
    conn.execute(delete(t.safety_log).where(t.safety_log.c.seq > r.entries - 2))
    head = _entry(conn, r.entries - 2)
    conn.execute(update(t.safety_log_head).values(seq=head["seq"], hash=head["hash"]))


def _append_with_a_valid_hash(conn: Connection, r: Logged_) -> None:
    digest = _forge(
        conn, r.entries + 1, _entry(conn, r.entries)["hash"], "Mallory", {"text": "x"}, sign=False
    )
    conn.execute(update(t.safety_log_head).values(seq=r.entries + 1, hash=digest))


def _append_signed_by_own_key(conn: Connection, r: Logged_) -> None:
    digest = _forge(conn, r.entries + 1, _entry(conn, r.entries)["hash"], "Mallory", {"text": "x"}, sign=True)
    conn.execute(update(t.safety_log_head).values(seq=r.entries + 1, hash=digest))


def _rewrite_actor_and_rechain(conn: Connection, r: Logged_) -> None:
    """The acknowledgement's actor changed, every later entry rehashed and relinked (signatures kept:
    the attacker has no key to make new ones)."""
    rows = [_entry(conn, s) for s in range(1, r.entries + 1)]
    conn.execute(delete(t.safety_log))
    prev = rows[0]["prev_hash"]
    for row in rows:
        if row["kind"] == "alert.acknowledged":
            row["actor"] = "Dr Somebody Else"
        row["prev_hash"] = prev
        row["hash"] = entry_hash(
            prev, row["seq"], row["at_ms"], row["kind"], row["actor"], row["patient_ref"],
            row["episode_id"], row["alert_id"], row["payload"],
        )  # fmt: skip
        prev = row["hash"]
        conn.execute(insert(t.safety_log).values(**row))
    conn.execute(update(t.safety_log_head).values(seq=rows[-1]["seq"], hash=prev))


def _delete_everything_in_the_log(conn: Connection, r: Logged_) -> None:
    conn.execute(delete(t.safety_log))
    conn.execute(delete(t.safety_log_head))


def _first_of(conn: Connection, kind: str) -> int:
    c = t.safety_log.c
    return int(conn.execute(select(c.seq).where(c.kind == kind).order_by(c.seq)).scalars().first())


@dataclass(frozen=True)
class Tampering:
    do: Attempt
    where: Callable[[Connection, Logged_], str]
    """What verify-log must name: `entry N` or a record."""
    said: str
    """A word of its reason."""
    args: tuple[str, ...] = ()


DETECTED: dict[str, Tampering] = {
    "edit an entry's actor": Tampering(
        lambda c, r: c.execute(update(t.safety_log).where(t.safety_log.c.seq == 3).values(actor="Mallory")),
        lambda c, r: "entry 3",
        "does not match its hash",
    ),
    "delete an entry": Tampering(
        lambda c, r: c.execute(delete(t.safety_log).where(t.safety_log.c.seq == 3)),
        lambda c, r: "entry 3",
        "missing",
    ),
    "delete the last entries, head left": Tampering(
        lambda c, r: c.execute(delete(t.safety_log).where(t.safety_log.c.seq > r.entries - 2)),
        lambda c, r: f"entry {r.entries - 1}",
        "missing from the end",
    ),
    "delete the last entries and move the head (anchor file)": Tampering(
        _cut_tail_and_move_head, lambda c, r: f"entry {r.entries - 1}", "anchored"
    ),
    "append an entry with a valid hash, head moved": Tampering(
        _append_with_a_valid_hash, lambda c, r: f"entry {r.entries + 1}", "not signed"
    ),
    "append an entry signed by another key, head moved": Tampering(
        _append_signed_by_own_key, lambda c, r: f"entry {r.entries + 1}", "unknown key"
    ),
    "rewrite an actor and recompute the chain": Tampering(
        _rewrite_actor_and_rechain,
        lambda c, r: f"entry {_first_of(c, 'alert.acknowledged')}",
        "signature",
    ),
    "delete every entry and the head while alerts exist": Tampering(
        _delete_everything_in_the_log, lambda c, r: "entry 1", "anchored"
    ),
    "delete every entry and the head, no anchor file": Tampering(
        _delete_everything_in_the_log,
        lambda c, r: f"dose {r.episode}",
        "no log entry names it",
        ("--anchors", "/dev/null"),
    ),
    "move the head row back": Tampering(
        lambda c, r: c.execute(
            update(t.safety_log_head).values(seq=r.entries - 2, hash=_entry(c, r.entries - 2)["hash"])
        ),
        lambda c, r: f"entry {r.entries - 1}",
        "added outside Bedside",
    ),
    "delete the head row": Tampering(
        lambda c, r: c.execute(delete(t.safety_log_head)), lambda c, r: "entry 1", "head is missing"
    ),
    "edit alert.acked_by": Tampering(
        lambda c, r: c.execute(
            update(t.alert).where(t.alert.c.id == r.alerts[0]).values(acked_by="Dr Other")
        ),
        lambda c, r: f"alert {r.alerts[0]}",
        "acked_by",
    ),
    "acknowledge an alert in the table only": Tampering(
        lambda c, r: c.execute(
            update(t.alert).where(t.alert.c.id == r.alerts[1]).values(state="acknowledged", acked_by="RN Ada")
        ),
        lambda c, r: f"alert {r.alerts[1]}",
        "the log says",
    ),
    "lower an alert's severity": Tampering(
        lambda c, r: c.execute(update(t.alert).where(t.alert.c.id == r.alerts[2]).values(severity="low")),
        lambda c, r: f"alert {r.alerts[2]}",
        "severity",
    ),
    "delete an alert row": Tampering(
        lambda c, r: c.execute(delete(t.alert).where(t.alert.c.id == r.alerts[2])),
        lambda c, r: f"alert {r.alerts[2]}",
        "no such row",
    ),
    "delete an adverse_event row the log names": Tampering(
        lambda c, r: c.execute(delete(t.adverse_event).where(t.adverse_event.c.id == r.adverse)),
        lambda c, r: f"adverse event {r.adverse}",
        "no such row",
    ),
    "lower an adverse event's grade": Tampering(
        lambda c, r: c.execute(
            update(t.adverse_event).where(t.adverse_event.c.id == r.adverse).values(grade=1)
        ),
        lambda c, r: f"adverse event {r.adverse}",
        "grade",
    ),
    "add an adverse event the log never saw": Tampering(
        lambda c, r: c.execute(
            insert(t.adverse_event).values(
                patient_ref=REF, term="Rash", grade=1, relatedness="unlikely", reported_by="x", reported_ms=1
            )
        ),
        lambda c, r: f"adverse event {r.adverse + 1}",
        "no log entry names it",
    ),
    "edit an acknowledgement's comment": Tampering(
        lambda c, r: c.execute(
            update(t.alert).where(t.alert.c.id == r.alerts[0]).values(ack_comment="patient asleep, fine")
        ),
        lambda c, r: f"alert {r.alerts[0]}",
        "ack_comment",
    ),
    "change who confirmed a dose": Tampering(
        lambda c, r: c.execute(
            update(t.infusion_episode).where(t.infusion_episode.c.id == r.episode).values(confirmed_by="Dr X")
        ),
        lambda c, r: f"dose {r.episode}",
        "confirmed_by",
    ),
    "move a dose's start": Tampering(
        lambda c, r: c.execute(
            update(t.infusion_episode)
            .where(t.infusion_episode.c.id == r.episode)
            .values(start_ms=to_ms(T0 - 3600))
        ),
        lambda c, r: f"dose {r.episode}",
        "start_ms",
    ),
}


@pytest.mark.parametrize("name", sorted(DETECTED))
def test_a_tampering_is_found_and_its_first_bad_entry_or_record_named(
    engine: Engine, logged: Logged_, capsys, name: str
) -> None:  # type: ignore[no-untyped-def]
    tampering = DETECTED[name]
    with engine.begin() as conn:
        log_guard.uninstall(conn)
        tampering.do(conn, logged)
    with engine.connect() as conn:
        where = tampering.where(conn, logged)
    rc, _out, err = verify(logged.url, capsys, *tampering.args)
    assert rc == 1
    assert f"BROKEN at {where}:" in err, err
    assert tampering.said in err.split(f"BROKEN at {where}:", 1)[1], err


def test_expect_head_catches_a_cut_tail_without_the_anchor_file(
    engine: Engine, logged: Logged_, capsys
) -> None:  # type: ignore[no-untyped-def]
    """Entries that change no record (two signed checks), cut off the end with the head row moved to
    match, and no anchor file to say they were there: the head a report printed, given by hand,
    still catches it."""
    for k in range(2):
        with engine.begin() as conn:
            check = le.CheckSigned(
                actor="RN Ada",
                patient_ref=PATIENT,
                check=f"p{k}",
                label="+60 min",
                values="HR 90",
                findings="",
            )
            record(conn, check, T0 + 3000 + k)
    seq = logged.entries + 2
    with engine.connect() as conn:
        digest = _entry(conn, seq)["hash"]
    none = ("--anchors", "/dev/null")
    assert verify(logged.url, capsys, *none, "--expect-head", f"{seq}:{digest[:16]}")[0] == 0
    with engine.begin() as conn:
        log_guard.uninstall(conn)
        conn.execute(delete(t.safety_log).where(t.safety_log.c.seq > logged.entries))
        conn.execute(update(t.safety_log_head).values(seq=logged.entries, hash=logged.anchored[1]))
        log_guard.install(conn)  # the insider puts the triggers back: verify-log checks they are there
    assert verify(logged.url, capsys, *none)[0] == 0  # nothing else says what was there
    rc, _out, err = verify(logged.url, capsys, *none, "--expect-head", f"{seq}:{digest[:16]}")
    first = logged.entries + 1
    assert rc == 1 and f"BROKEN at entry {first}: entries {first}..{seq} are missing from the end" in err


def test_a_verifier_without_the_key_trusts_only_a_fingerprint_it_is_given(
    logged: Logged_, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    rc, out, _err = verify(logged.url, capsys)
    fingerprint = out.split("Safety log key ", 1)[1].split()[0]
    elsewhere = tmp_path / "auditor" / "no.key"
    monkeypatch.setenv("BEDSIDE_LOG_KEY", str(elsewhere))
    rc, _out, err = verify(logged.url, capsys)
    assert rc == 1 and "BROKEN at entry 1: it is signed by an unknown key" in err and "--trust-key" in err
    assert not elsewhere.exists() and not elsewhere.parent.exists()  # the verifier made no key
    assert verify(logged.url, capsys, "--trust-key", fingerprint)[0] == 0
    assert verify(logged.url, capsys, "--trust-key", new_signer().key_id)[0] == 1


def test_the_anchor_file_is_private_and_only_appended_to(
    engine: Engine, logged: Logged_, data_dir: Path
) -> None:
    path = data_dir / "safety-log.anchors"
    assert path.stat().st_mode & 0o777 == 0o600
    first = path.read_text().splitlines()
    anchoring = head_anchoring(engine, every=0.0)
    assert anchoring.maybe()
    assert not anchoring.maybe()  # the head did not move: nothing new to anchor
    handlers.start_dose(  # any new entry moves the head
        SqlUnitOfWork(engine),
        StartDose(patient=PATIENT, dose=2, start=T0 + 2800, **acts("RN Ada"), recorded_at=T0 + 2800),
    )
    assert anchoring.maybe()
    lines = path.read_text().splitlines()
    assert lines[: len(first)] == first and len(lines) == len(first) + 2
    _when, head, database, why = lines[-1].split("\t")
    assert head.startswith(f"{logged.entries + 1}:") and why == "periodic"
    assert database.endswith(engine.url.database or "")


def test_the_key_is_made_private_on_first_use_and_never_by_a_reader(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bedside_adapters.keys import installation_public_key, installation_signer

    monkeypatch.delenv("BEDSIDE_LOG_KEY")
    assert installation_public_key(data_dir) is None
    assert not (data_dir / "keys").exists()
    signer = installation_signer(data_dir)
    key = data_dir / "keys" / "safety-log.key"
    assert key.stat().st_mode & 0o777 == 0o600 and key.parent.stat().st_mode & 0o777 == 0o700
    assert installation_public_key(data_dir) == (signer.key_id, signer.public_hex)
    assert installation_signer(data_dir).key_id == signer.key_id


# PostgreSQL roles: what the grants refuse, whatever the triggers.


def test_db_roles_prints_the_grants_and_refuses_sqlite(sqlite_url: str, capsys) -> None:  # type: ignore[no-untyped-def]
    assert cli_main(["--db", "postgresql://admin@db.example/bedside", "db", "roles"]) == 0
    sql = capsys.readouterr().out
    assert "CREATE ROLE bedside_screens LOGIN" in sql and 'GRANT CONNECT ON DATABASE "bedside"' in sql
    assert "GRANT SELECT, INSERT ON public.safety_log, public.safety_log_head, public.safety_log_key" in sql
    assert cli_main(["--db", sqlite_url, "db", "roles"]) == 2
    assert "for PostgreSQL" in capsys.readouterr().err


@pytest.mark.parametrize("role", ["bedside_ingest", "bedside_screens", "bedside_admin"])
def test_no_role_may_update_delete_or_truncate_the_log(postgres_url: str, capsys, role: str) -> None:  # type: ignore[no-untyped-def]
    from bedside_adapters.db.engine import make_engine
    from sqlalchemy.engine import make_url

    owner = make_engine(postgres_url)
    try:
        assert cli_main(["--db", postgres_url, "db", "upgrade"]) == 0
        with owner.begin() as conn:
            record(conn, le.AlertAnnotated(actor="x", patient_ref=PATIENT, text="note"), T0)
        assert cli_main(["--db", postgres_url, "db", "roles", "--apply"]) == 0
        capsys.readouterr()
        with owner.begin() as conn:
            log_guard.uninstall(conn)  # the grants alone refuse
    finally:
        owner.dispose()
    as_role = make_url(postgres_url).set(username=role, password=None).render_as_string(hide_password=False)
    engine = make_engine(as_role)
    try:
        with engine.begin() as conn:  # the role appends, as Bedside does
            record(conn, le.AlertAnnotated(actor=role, patient_ref=PATIENT, text="by the role"), T0 + 1)
        for sql in (
            "UPDATE safety_log SET actor = 'Mallory'",
            "DELETE FROM safety_log",
            "TRUNCATE safety_log",
            "DELETE FROM safety_log_head",
            "UPDATE safety_log_key SET public_key = ''",
            "TRUNCATE safety_log_head",
        ):
            with pytest.raises(DBAPIError, match="permission denied"), engine.begin() as conn:
                conn.execute(text(sql))
        if role == "bedside_screens":  # the screens record and correct; they delete nothing
            for table in ("alert", "adverse_event", "infusion_episode"):
                with pytest.raises(DBAPIError, match="permission denied"), engine.begin() as conn:
                    conn.execute(text(f"DELETE FROM {table}"))
        with engine.connect() as conn:
            kinds = conn.execute(select(t.safety_log.c.actor).order_by(t.safety_log.c.seq)).scalars().all()
    finally:
        engine.dispose()
    assert kinds == ["x", role]


def test_the_report_prints_the_key_and_anchors_the_head_it_prints(
    sqlite_engine: Engine, data_dir: Path, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import unicodedata

    from bedside_ui.cli import main as bedside_cli

    url = sqlite_engine.url.render_as_string(hide_password=False)
    handlers.start_dose(
        SqlUnitOfWork(sqlite_engine),
        StartDose(patient=PATIENT, dose=1, start=T0, **acts("RN Ada"), recorded_at=T0),
    )
    pdf = tmp_path / "review.pdf"
    signed = signed_in(url, "Dr Lee", Role.INVESTIGATOR)
    assert bedside_cli(["--db", url, "report", "--json", "--patient", REF, "--out", str(pdf), *signed]) == 0
    info = json.loads(capsys.readouterr().out)
    seq, digest = info["log_head"]
    words = unicodedata.normalize(
        "NFKC",
        subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout,
    )
    rc, out, _err = verify(url, capsys)
    fingerprint = out.split("Safety log key ", 1)[1].split()[0]
    assert rc == 0 and f"Safety log key {fingerprint}" in " ".join(words.split())
    anchors = (data_dir / "safety-log.anchors").read_text().splitlines()
    assert anchors[-1].split("\t")[1] == f"{seq}:{digest}" and "report review.pdf" in anchors[-1]


# Signatures stripped: every entry made unsigned, one rewritten, the chain recomputed, the triggers
# put back. A log from before signing looks the same, so unsigned entries count only when the
# auditor accepts them.


def _strip_signatures_and_rewrite(conn: Connection, r: Logged_) -> None:
    rows = [_entry(conn, s) for s in range(1, r.entries + 1)]
    conn.execute(delete(t.safety_log))
    prev = rows[0]["prev_hash"]
    for row in rows:
        if row["kind"] == "alert.acknowledged":
            row["actor"] = "Dr Somebody Else"
        row["key_id"] = row["signature"] = None
        row["prev_hash"] = prev
        row["hash"] = entry_hash(
            prev, row["seq"], row["at_ms"], row["kind"], row["actor"], row["patient_ref"],
            row["episode_id"], row["alert_id"], row["payload"],
        )  # fmt: skip
        prev = row["hash"]
        conn.execute(insert(t.safety_log).values(**row))
    conn.execute(update(t.safety_log_head).values(seq=rows[-1]["seq"], hash=prev))
    conn.execute(update(t.alert).where(t.alert.c.id == r.alerts[0]).values(acked_by="Dr Somebody Else"))


def test_a_log_stripped_of_its_signatures_is_broken_unless_the_auditor_accepts_it(
    engine: Engine, logged: Logged_, capsys
) -> None:  # type: ignore[no-untyped-def]
    with engine.begin() as conn:
        log_guard.uninstall(conn)
        _strip_signatures_and_rewrite(conn, logged)
        log_guard.install(conn)
    none = ("--anchors", "/dev/null")  # no anchor: the stripped log alone must be caught
    rc, _out, err = verify(logged.url, capsys, *none)
    assert rc == 1 and "BROKEN at entry 1: it is not signed" in err, err
    assert "--accept-unsigned-through N" in err
    # An auditor who knows the log began before signing says how far: only that much counts.
    rc, _out, err = verify(logged.url, capsys, *none, "--accept-unsigned-through", "2")
    assert rc == 1 and "BROKEN at entry 3: it is not signed" in err, err
    rc, out, err = verify(logged.url, capsys, *none, "--accept-unsigned-through", str(logged.entries))
    assert rc == 0, err
    assert f"{logged.entries} unsigned entries from before signing (accepted through {logged.entries})" in out
    # The anchor file still holds the head as it was signed: the rewrite is found there too.
    rc, _out, err = verify(logged.url, capsys, "--accept-unsigned-through", str(logged.entries))
    assert rc == 1 and f"BROKEN at entry {logged.entries}: it is not the entry anchored" in err, err


def test_accept_unsigned_through_takes_an_entry_number(logged: Logged_, capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exited:
        cli_main(["--db", logged.url, "verify-log", "--accept-unsigned-through", "-3"])
    assert exited.value.code == 2 and "not an entry number" in capsys.readouterr().err
    assert verify(logged.url, capsys, "--accept-unsigned-through", "0")[0] == 0


# A broken schema: one line naming what is missing, never a trace.


@pytest.mark.parametrize(
    ("ddl", "said"),
    [
        ("ALTER TABLE safety_log RENAME TO safety_log_old", "table safety_log missing (renamed or dropped)"),
        ("ALTER TABLE safety_log_head RENAME TO head_old", "table safety_log_head missing"),
        ("DROP TABLE safety_log_key", "table safety_log_key missing"),
        ("ALTER TABLE safety_log RENAME COLUMN signature TO sig", "table safety_log has no column signature"),
    ],
)
def test_a_renamed_or_broken_log_table_is_one_broken_line(  # type: ignore[no-untyped-def]
    engine: Engine, logged: Logged_, capsys, ddl: str, said: str
) -> None:
    with engine.begin() as conn:
        log_guard.uninstall(conn)
        conn.execute(text(ddl))
    rc, _out, err = verify(logged.url, capsys)
    assert rc == 1 and "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("safety log BROKEN: ") and said in lines[0], err


# SQLite: INSERT OR REPLACE over a key row deletes it without firing the delete trigger.


def _replace_key(conn: Connection) -> None:
    key_id = conn.execute(select(t.safety_log_key.c.key_id)).scalar_one()
    conn.execute(
        text(
            "INSERT OR REPLACE INTO safety_log_key (key_id, public_key, first_seq, created_ms) "
            "VALUES (:key_id, :public_key, 1, 0)"
        ),
        {"key_id": key_id, "public_key": new_signer().public_hex},
    )


def test_sqlite_insert_or_replace_cannot_swap_a_public_key(sqlite_engine: Engine, capsys) -> None:  # type: ignore[no-untyped-def]
    url = sqlite_engine.url.render_as_string(hide_password=False)
    with sqlite_engine.begin() as conn:
        record(conn, le.AlertAnnotated(actor="x", patient_ref=PATIENT, text="note"), T0)
        before = conn.execute(select(t.safety_log_key.c.public_key)).scalar_one()
    with pytest.raises(DBAPIError, match="a key cannot be replaced"), sqlite_engine.begin() as conn:
        _replace_key(conn)
    with sqlite_engine.connect() as conn:
        assert conn.execute(select(t.safety_log_key.c.public_key)).scalar_one() == before
    assert verify(url, capsys)[0] == 0
    # A database without that trigger (dropped, or made before it) is reported.
    with sqlite_engine.begin() as conn:
        conn.execute(text("DROP TRIGGER safety_log_key_no_replace"))
    rc, _out, err = verify(url, capsys)
    assert (
        rc == 1 and "BROKEN at the append-only triggers: missing or changed: safety_log_key_no_replace" in err
    )


def test_the_key_guard_comes_with_its_own_migration(sqlite_url: str) -> None:
    from bedside_adapters.db.engine import make_engine
    from bedside_adapters.db.migrate import upgrade
    from sqlalchemy import inspect

    engine = make_engine(sqlite_url)
    try:
        upgrade(engine, "0024")
        with engine.connect() as conn:
            assert "safety_log_key_no_replace" not in _sqlite_triggers(conn)
            assert log_guard.missing(conn) == ["safety_log_key_no_replace"]
        upgrade(engine)
        with engine.connect() as conn:
            assert "safety_log_key_no_replace" in _sqlite_triggers(conn) and log_guard.missing(conn) == []
            assert "safety_log_key" in inspect(conn).get_table_names()
    finally:
        engine.dispose()


def _sqlite_triggers(conn: Connection) -> set[str]:
    return set(conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars())


# PostgreSQL: what else in the catalogue can open the log while its triggers stay in place.


def _owner_does(postgres_url: str, *sql: str) -> None:
    from bedside_adapters.db.engine import make_engine

    owner = make_engine(postgres_url)
    try:
        with owner.begin() as conn:
            for statement in sql:
                conn.exec_driver_sql(statement)
    finally:
        owner.dispose()


@pytest.fixture
def pg_logged(postgres_url: str, capsys) -> str:  # type: ignore[no-untyped-def]
    """A PostgreSQL database with a signed entry and the three roles applied: verifies as is."""
    from bedside_adapters.db.engine import make_engine

    assert cli_main(["--db", postgres_url, "db", "upgrade"]) == 0

    engine = make_engine(postgres_url)
    try:
        with engine.begin() as conn:
            record(conn, le.AlertAnnotated(actor="x", patient_ref=PATIENT, text="note"), T0)
    finally:
        engine.dispose()
    assert cli_main(["--db", postgres_url, "db", "roles", "--apply"]) == 0
    capsys.readouterr()
    rc, _out, err = verify(postgres_url, capsys)
    assert rc == 0, err  # the roles' own grants (UPDATE (seq, hash) on the head) are no fault
    return postgres_url


PG_OPENED: dict[str, tuple[tuple[str, ...], str, str]] = {
    "a trigger enabled for replica sessions only": (
        ("ALTER TABLE safety_log ENABLE REPLICA TRIGGER safety_log_no_change",),
        "the append-only triggers",
        "safety_log_no_change on safety_log",
    ),
    "a trigger enabled always": (
        ("ALTER TABLE safety_log_head ENABLE ALWAYS TRIGGER safety_log_head_forward",),
        "the append-only triggers",
        "safety_log_head_forward on safety_log_head",
    ),
    "DELETE granted to the screens' role": (
        ("GRANT DELETE ON safety_log TO bedside_screens",),
        "the grants on safety_log",
        "bedside_screens holds DELETE",
    ),
    "UPDATE of one column granted to ingest": (
        ("GRANT UPDATE (payload) ON safety_log TO bedside_ingest",),
        "the grants on safety_log",
        "bedside_ingest holds UPDATE",
    ),
    "TRUNCATE of the keys granted to PUBLIC": (
        ("GRANT TRUNCATE ON safety_log_key TO PUBLIC",),
        "the grants on safety_log_key",
        "PUBLIC holds TRUNCATE",
    ),
    "UPDATE of the whole head granted to administration": (
        ("GRANT UPDATE ON safety_log_head TO bedside_admin",),
        "the grants on safety_log_head",
        "bedside_admin holds UPDATE",
    ),
    "a rule that swallows every new entry": (
        ("CREATE RULE swallow AS ON INSERT TO safety_log DO INSTEAD NOTHING",),
        "rule swallow on safety_log",
        "a rule on INSERT",
    ),
    "a rule that keeps the head where it is": (
        ("CREATE RULE stay AS ON UPDATE TO safety_log_head DO INSTEAD NOTHING",),
        "rule stay on safety_log_head",
        "a rule on UPDATE",
    ),
    "a trigger function's search_path changed": (
        ("ALTER FUNCTION bedside_log_append() SET search_path = pg_temp, public",),
        "function bedside_log_append()",
        "search_path=pg_temp, public",
    ),
    "a trigger function made SECURITY DEFINER": (
        ("ALTER FUNCTION bedside_log_refuse() SECURITY DEFINER",),
        "function bedside_log_refuse()",
        "SECURITY DEFINER",
    ),
}


@pytest.mark.parametrize("name", sorted(PG_OPENED))
def test_postgresql_catalogue_changes_that_open_the_log_are_broken(pg_logged: str, capsys, name: str) -> None:  # type: ignore[no-untyped-def]
    sql, where, said = PG_OPENED[name]
    _owner_does(pg_logged, *sql)
    rc, _out, err = verify(pg_logged, capsys)
    assert rc == 1 and f"BROKEN at {where}:" in err, err
    assert said in err.split(f"BROKEN at {where}:", 1)[1], err


def test_a_rule_swallowing_entries_is_what_it_says(pg_logged: str) -> None:
    """Why a rule is a fault: with DO INSTEAD NOTHING, an append reports success and nothing is kept."""
    from bedside_adapters.db.engine import make_engine

    _owner_does(pg_logged, "CREATE RULE swallow AS ON INSERT TO safety_log DO INSTEAD NOTHING")
    engine = make_engine(pg_logged)
    try:
        with engine.begin() as conn:
            conn.execute(insert(t.safety_log).values({**_entry(conn, 1), "seq": 2}))
            assert conn.execute(select(func.count()).select_from(t.safety_log)).scalar_one() == 1
    finally:
        engine.dispose()


def test_db_roles_apply_without_createrole_is_one_clear_line(postgres_url: str, capsys) -> None:  # type: ignore[no-untyped-def]
    import uuid

    from sqlalchemy.engine import make_url

    assert cli_main(["--db", postgres_url, "db", "upgrade"]) == 0
    role = f"bedside_plain_{uuid.uuid4().hex[:8]}"
    _owner_does(postgres_url, f"CREATE ROLE {role} LOGIN")
    try:
        as_role = (
            make_url(postgres_url).set(username=role, password=None).render_as_string(hide_password=False)
        )
        capsys.readouterr()
        rc = cli_main(["--db", as_role, "db", "roles", "--apply"])
        err = capsys.readouterr().err
        assert rc == 1 and "Traceback" not in err, err
        lines = err.strip().splitlines()
        assert len(lines) == 1 and "db roles --apply failed" in lines[0] and "CREATEROLE" in lines[0], err
        assert "permission denied" in lines[0], err
    finally:
        _owner_does(postgres_url, f"DROP OWNED BY {role}", f"DROP ROLE {role}")
