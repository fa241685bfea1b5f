"""The screens' read ports (bedside.ports) over the database: thin wrappers of the stores' reads, and
`sql_ports`, which the composition roots (the app, the tests) use to hand the screens all of them."""

from __future__ import annotations

from functools import partial

from bedside_adapters.db.read_store import SqlSeriesStore
from bedside_adapters.db.review_store import cohort, load_review
from bedside_adapters.db.unit_of_work import SqlUnitOfWork
from bedside_adapters.db.ward_store import read_ward
from sqlalchemy import Engine

from bedside.model import PatientRef
from bedside.ports import ScreenPorts
from bedside.review import CohortRow
from bedside.review_data import ReviewData
from bedside.ward import WardFacts


class SqlWardQueries:
    def __init__(self, engine: Engine) -> None:
        self._store = SqlSeriesStore(engine)

    def schema_ready(self) -> bool:
        return self._store.schema_ready()

    def read_ward(self, now: float) -> WardFacts:
        return read_ward(self._store, now)


class SqlReviewQueries:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def load_review(self, patient: PatientRef, now: float) -> ReviewData:
        return load_review(self._engine, patient, now)

    def cohort(self, now: float) -> list[CohortRow]:
        return cohort(self._engine, now)


def sql_ports(engine: Engine) -> ScreenPorts:
    """The screens' ports on one engine; their actions write through the same engine, each in a unit
    of work of its own."""
    writes = partial(SqlUnitOfWork, engine)
    return ScreenPorts(SqlSeriesStore(engine), SqlWardQueries(engine), SqlReviewQueries(engine), writes)
