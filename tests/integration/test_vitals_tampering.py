"""Vital signs entered by hand against their `vitals.recorded` entries: a value, its unit or its time
changed by SQL, a hand-charted value deleted or one added outside Bedside is found by
`bedside-cli verify-log`, naming the value (its series and time) and the entry that disagrees, on
SQLite and PostgreSQL, whether the value is still a staging row or already folded into its chunk."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC

import numpy as np
import pytest
from bedside_adapters.cli import main as cli_main
from bedside_adapters.db import schema as t
from bedside_adapters.db.compaction import compact_all
from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.db.unit_of_work import SqlUnitOfWork
from bedside_adapters.ingest.pipeline import IngestPipeline
from sqlalchemy import Connection, Engine, delete, insert, select, update

from bedside import handlers
from bedside.chunks import chunk_start_ms, decode_grid, encode_grid
from bedside.clock import to_ms
from bedside.commands import RecordVitals
from bedside.model import PatientRef
from bedside.parameters import ParameterCatalog
from bedside.users import Role
from tests.helpers import adt_a01

PATIENT = PatientRef("MRN1", "HOSP")


@dataclass(frozen=True)
class Charted:
    url: str
    folded_at: float
    """The first set's time: folded into its hour chunk by compaction."""
    staged_at: float
    """The second set's time: still a staging row."""
    hr_series: int


def _series(conn: Connection, parameter: str) -> int:
    s = t.series.c
    return int(conn.execute(select(s.id).where(s.parameter == parameter, s.device == "manual")).scalar_one())


@pytest.fixture
def charted(engine: Engine) -> Charted:
    pipeline = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), time.time, UTC)
    assert pipeline.handle(adt_a01("ADT1", "DOE^JANE").encode(), "127.0.0.1:9").ack_code == "AA"
    now = float(int(time.time()))
    folded, staged = now - 7200, now - 600

    def chart(at: float, hr: float) -> None:
        cmd = RecordVitals(PATIENT, at, "RN Ada", hr=hr, spo2=94, temp=37.9, temp_site="axillary")
        handlers.record_vitals(SqlUnitOfWork(engine), handlers.stamped(cmd, now, Role.NURSE))

    chart(folded, 88)
    compact_all(engine, to_ms(now))
    chart(staged, 112)
    with engine.connect() as conn:
        hr = _series(conn, "hr")
    return Charted(engine.url.render_as_string(hide_password=False), folded, staged, hr)


def verify(url: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    rc = cli_main(["--db", url, "verify-log", "--anchors", "/dev/null"])
    got = capsys.readouterr()
    return rc, got.out, got.err


def test_hand_charted_vitals_verify_and_are_counted(charted: Charted, capsys) -> None:  # type: ignore[no-untyped-def]
    rc, out, err = verify(charted.url, capsys)
    assert rc == 0, err
    # Two sets of three values (heart rate, SpO2, temperature): six values checked.
    assert "; 6 alerts, adverse events and doses match the log" in out


def _rewrite_chunk_slot(conn: Connection, series: int, at: float, value: float) -> None:
    k = t.series_chunk.c
    start = chunk_start_ms(to_ms(at))
    grid = decode_grid(
        conn.execute(select(k.grid).where(k.series_id == series, k.start_ms == start)).scalar_one()
    ).copy()
    grid[(to_ms(at) - start) // 1000] = np.float32(value)
    conn.execute(
        update(t.series_chunk)
        .where(k.series_id == series, k.start_ms == start)
        .values(grid=encode_grid(grid))
    )


_O = t.observation.c
Tamper = Callable[[Connection, Charted], object]
TAMPERINGS: dict[str, tuple[Tamper, Callable[[Charted], str], str]] = {
    "change a staged heart rate": (
        lambda c, r: c.execute(update(t.observation).where(_O.series_id == r.hr_series).values(value=72.0)),
        lambda r: f"obs:{r.hr_series}:{to_ms(r.staged_at)}",
        "its value is 72.0, the log says 112.0",
    ),
    "change a heart rate already in its chunk": (
        lambda c, r: _rewrite_chunk_slot(c, r.hr_series, r.folded_at, 60.0),
        lambda r: f"obs:{r.hr_series}:{to_ms(r.folded_at)}",
        "its value is 60.0, the log says 88.0",
    ),
    "change the series' unit": (
        lambda c, r: c.execute(update(t.series).where(t.series.c.id == r.hr_series).values(unit="/s")),
        lambda r: f"obs:{r.hr_series}:{to_ms(r.folded_at)}",
        "unit",
    ),
    "move a staged value's time": (
        lambda c, r: c.execute(
            update(t.observation)
            .where(_O.series_id == r.hr_series)
            .values(observed_ms=to_ms(r.staged_at - 3600 * 5))
        ),
        lambda r: f"obs:{r.hr_series}:{to_ms(r.staged_at)}",
        "no such row",
    ),
    "delete a staged value": (
        lambda c, r: c.execute(delete(t.observation).where(_O.series_id == r.hr_series)),
        lambda r: f"obs:{r.hr_series}:{to_ms(r.staged_at)}",
        "no such row",
    ),
    "add a hand-charted value": (
        lambda c, r: c.execute(
            insert(t.observation).values(
                series_id=r.hr_series,
                observed_ms=to_ms(r.staged_at + 60),
                received_ms=to_ms(r.staged_at + 60),
                value=150.0,
                status="F",
            )
        ),
        lambda r: f"obs:{r.hr_series}:{to_ms(r.staged_at + 60)}",
        "no log entry names it",
    ),
}


@pytest.mark.parametrize("name", sorted(TAMPERINGS))
def test_a_hand_charted_vital_changed_by_sql_is_found(
    engine: Engine, charted: Charted, capsys, name: str
) -> None:  # type: ignore[no-untyped-def]
    tamper, where, said = TAMPERINGS[name]
    with engine.begin() as conn:
        tamper(conn, charted)
    rc, _out, err = verify(charted.url, capsys)
    assert rc == 1, err
    named = f"BROKEN at vital sign entered by hand {where(charted)}:"
    assert named in err, err
    assert said in err.split(named, 1)[1], err


def test_pruning_old_device_numerics_keeps_the_hand_charted_values(charted: Charted, capsys) -> None:  # type: ignore[no-untyped-def]
    """Retention drops a device's old numerics, never a clinician's signed record: after pruning
    everything older than now, both hand-charted sets (folded and staged) are still there and the
    log still verifies, through the command line an operator runs."""
    rc = cli_main(["--db", charted.url, "prune", "--older-than-days", "0"])
    assert rc == 0, capsys.readouterr().err
    capsys.readouterr()
    rc, out, err = verify(charted.url, capsys)
    assert rc == 0, err + out
    assert "; 6 alerts, adverse events and doses match the log" in out
