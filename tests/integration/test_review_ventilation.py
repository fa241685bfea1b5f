"""Days on the ventilator before the first dose count from the first ventilator value of the whole
record, not from the first of the days the review loads around the doses."""

from __future__ import annotations

import numpy as np
import pytest
from bedside_adapters.db import schema as t
from bedside_adapters.db.review_store import load_review
from bedside_adapters.db.unit_of_work import SqlUnitOfWork
from sqlalchemy import Engine, insert

from bedside import handlers
from bedside.chunks import CHUNK_MS, chunk_start_ms, empty_grid, encode_grid
from bedside.clock import to_ms
from bedside.commands import StartDose
from bedside.model import PatientRef
from bedside.review import DAY
from tests.acting import acts

PATIENT = "VENT1^HOSP"
T0 = 1_790_006_400.0  # the first dose, on the hour


def _ventilator_since(engine: Engine, first: float) -> None:
    """A ventilator's peak pressure from `first` (a chunk, as compaction stores it), and a value a
    day before the dose still in the staging table."""
    start_ms = chunk_start_ms(to_ms(first))
    grid = empty_grid()
    offset = (to_ms(first) - start_ms) // 1000
    grid[offset:] = 24.0
    with engine.begin() as conn:
        series = conn.execute(
            insert(t.series).values(
                patient_ref=PATIENT, parameter="ppeak", unit="cm[H2O]", device="VENT^ICU", instance=""
            )
        ).inserted_primary_key[0]
        finite = grid[np.isfinite(grid)]
        conn.execute(
            insert(t.series_chunk).values(
                series_id=series,
                start_ms=start_ms,
                count=int(finite.size),
                vmin=float(finite.min()),
                vmax=float(finite.max()),
                grid=encode_grid(grid),
                updated_ms=start_ms + CHUNK_MS,
            )
        )
        conn.execute(
            insert(t.observation).values(
                series_id=series,
                observed_ms=to_ms(T0 - DAY),
                received_ms=to_ms(T0 - DAY),
                value=25.0,
                status="F",
                stream=0,
            )
        )


@pytest.mark.parametrize("days_before", [10.0, 2.0])
def test_days_on_the_ventilator_count_from_the_first_value_of_the_record(
    engine: Engine, days_before: float
) -> None:
    first = T0 - days_before * DAY + 90.0
    _ventilator_since(engine, first)
    handlers.start_dose(
        SqlUnitOfWork(engine),
        StartDose(patient=PatientRef.parse(PATIENT), dose=1, start=T0, **acts("Dr Lee"), recorded_at=T0),
    )
    out = load_review(engine, PatientRef.parse(PATIENT), now=T0 + DAY).outcomes
    assert out.intubated == first and out.intubated_source == "first ventilator value"
    assert out.ventilated_days_before_first_dose == pytest.approx(days_before - 90.0 / DAY)
