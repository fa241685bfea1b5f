"""Course events and co-medication entered by clinicians against the safety log: a death time, a
dose or a drug changed, a row deleted or one added by SQL is found by `bedside-cli verify-log`,
which names the record and the entry that disagrees with it, as it does for alerts and doses.
Co-medication from the eMAR comes with its message and has no entry of its own."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from bedside_adapters.cli import main as cli_main
from bedside_adapters.db import schema as t
from bedside_adapters.db.unit_of_work import SqlUnitOfWork
from sqlalchemy import Engine, delete, insert, select, update

from bedside import handlers
from bedside.clock import to_ms
from bedside.commands import RecordCourseEvent, RecordMedication, StartDose
from bedside.handlers.medication import record_medication
from bedside.model import PatientRef
from tests.acting import acts

T0 = 1_780_000_000.0
PATIENT = PatientRef("TMP7", "H")
REF = "TMP7^H"


@dataclass(frozen=True)
class Recorded:
    url: str
    death: int
    medication: int


@pytest.fixture
def recorded(engine: Engine) -> Recorded:
    uow = lambda: SqlUnitOfWork(engine)  # noqa: E731
    handlers.start_dose(uow(), StartDose(patient=PATIENT, dose=1, start=T0, **acts("RN Ada"), recorded_at=T0))
    death = handlers.record_course_event(
        uow(),
        RecordCourseEvent(
            patient=PATIENT, kind="death", at=T0 + 7200, **acts("Dr Lee"), recorded_at=T0 + 8000
        ),
    )
    med = record_medication(
        uow(),
        RecordMedication(
            patient=PATIENT,
            drug="Dexamethasone",
            drug_class="corticosteroid",
            dose=6.0,
            unit="mg",
            route="IV",
            start=T0 - 3600,
            **acts("Dr Lee"),
            recorded_at=T0,
        ),
    )
    return Recorded(engine.url.render_as_string(hide_password=False), death.id, med.id)


def verify(url: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    rc = cli_main(["--db", url, "verify-log", "--anchors", "/dev/null"])
    got = capsys.readouterr()
    return rc, got.out, got.err


def test_the_untouched_records_verify(recorded: Recorded, capsys) -> None:  # type: ignore[no-untyped-def]
    rc, out, err = verify(recorded.url, capsys)
    assert rc == 0, err
    # The dose, the death and the co-medication (accounts are not made here).
    assert "; 3 alerts, adverse events and doses match the log" in out


_CE = t.course_event
_CM = t.co_medication
TAMPERINGS = {
    "move the death": (
        lambda r: update(_CE).where(_CE.c.id == r.death).values(at_ms=to_ms(T0 + 86400)),
        lambda r: f"course event {r.death}",
        "at_ms",
    ),
    "delete the death": (
        lambda r: delete(_CE).where(_CE.c.id == r.death),
        lambda r: f"course event {r.death}",
        "no such row",
    ),
    "add a death": (
        lambda r: insert(_CE).values(patient_ref=REF, kind="death", at_ms=1, entered_by="x", entered_ms=1),
        lambda r: f"course event {r.death + 1}",
        "no log entry names it",
    ),
    "halve the entered dose": (
        lambda r: update(_CM).where(_CM.c.id == r.medication).values(dose=3.0),
        lambda r: f"co-medication {r.medication}",
        "dose",
    ),
    "change the drug class": (
        lambda r: update(_CM).where(_CM.c.id == r.medication).values(drug_class="other"),
        lambda r: f"co-medication {r.medication}",
        "drug_class",
    ),
    "pass an entered row off as the eMAR's": (
        lambda r: update(_CM).where(_CM.c.id == r.medication).values(source="ras"),
        lambda r: f"co-medication {r.medication}",
        "source",
    ),
    "add an entered co-medication": (
        lambda r: insert(_CM).values(
            patient_ref=REF,
            drug="Paracetamol",
            drug_class="antipyretic",
            dose=1.0,
            unit="g",
            route="IV",
            start_ms=to_ms(T0),
            source="entered",
            entered_by="x",
            recorded_ms=to_ms(T0),
        ),
        lambda r: f"co-medication {r.medication + 1}",
        "no log entry names it",
    ),
}


@pytest.mark.parametrize("name", sorted(TAMPERINGS))
def test_an_edited_course_event_or_co_medication_is_found(
    engine: Engine, recorded: Recorded, capsys, name: str
) -> None:  # type: ignore[no-untyped-def]
    statement, where, said = TAMPERINGS[name]
    with engine.begin() as conn:
        conn.execute(statement(recorded))
    rc, _out, err = verify(recorded.url, capsys)
    assert rc == 1, err
    assert f"BROKEN at {where(recorded)}:" in err, err
    assert said in err.split(f"BROKEN at {where(recorded)}:", 1)[1], err


@dataclass(frozen=True)
class Doses:
    url: str
    entered: int
    """A dose a clinician entered with its product and cell dose."""
    device: int
    """A pump's dose the nurse then started, naming the product and cell dose."""


@pytest.fixture
def doses(engine: Engine) -> Doses:
    from bedside_adapters.db.device_episodes import record_device_event

    from bedside.infusion import EventKind, EventSource, InfusionEvent

    uow = lambda: SqlUnitOfWork(engine)  # noqa: E731
    given = {"product": "AT-MSC lot 42", "cells_per_kg": 1.0e6, "weight_kg": 72.5}
    entered = handlers.start_dose(
        uow(), StartDose(patient=PATIENT, dose=1, start=T0, **given, **acts("RN Ada"), recorded_at=T0)
    )
    pump = InfusionEvent(
        PATIENT, EventSource.PUMP_EVENT, EventKind.START, T0 + 86400, device="P1", product="MSC"
    )
    with engine.begin() as conn:
        record_device_event(conn, pump, T0 + 86405)
    device = handlers.start_dose(
        uow(),
        StartDose(
            patient=PATIENT, dose=2, start=T0 + 86400, cells=7.0e7, weight_kg=70.0, product="AT-MSC lot 43",
            **acts("RN Ada"), recorded_at=T0 + 86460,
        ),
    )  # fmt: skip
    return Doses(engine.url.render_as_string(hide_password=False), entered.id, device.id)


@pytest.mark.parametrize(
    ("which", "column", "value"),
    [
        ("entered", "product", "AT-MSC lot 99"),
        ("entered", "cells_per_kg", 2.0e6),
        ("entered", "weight_kg", 52.5),
        ("device", "product", "saline"),
        ("device", "cells", 1.4e8),
        ("device", "weight_kg", 35.0),
    ],
)
def test_an_edited_product_cell_dose_or_weight_is_found(
    engine: Engine, doses: Doses, capsys, which: str, column: str, value: object
) -> None:  # type: ignore[no-untyped-def]
    """The dose's product, cells/kg, cells and dosing weight are in the entry that set them: an SQL
    edit of any is found, on a dose entered by hand and on a pump's dose a nurse started."""
    rc, _out, err = verify(doses.url, capsys)
    assert rc == 0, err
    episode = getattr(doses, which)
    with engine.begin() as conn:
        conn.execute(
            update(t.infusion_episode).where(t.infusion_episode.c.id == episode).values({column: value})
        )
    rc, _out, err = verify(doses.url, capsys)
    assert rc == 1, err
    assert f"BROKEN at dose {episode}: its {column} is" in err, err


@pytest.mark.parametrize("accepted", [False, True], ids=["candidate", "accepted"])
@pytest.mark.parametrize(
    ("column", "value"), [("cells_per_kg", 1.0e6), ("weight_kg", 70.0), ("cells", 7.0e7)]
)
def test_an_amount_written_on_a_pumps_dose_is_found(
    engine: Engine, capsys, accepted: bool, column: str, value: float
) -> None:  # type: ignore[no-untyped-def]
    """A pump's dose nobody started by hand has no cell dose or dosing weight: its entry names only the
    product, so a value there was set by no entry, and is named (dose and field)."""
    from bedside_adapters.db.device_episodes import accept_overdue_candidates, record_device_event

    from bedside.infusion import EventKind, EventSource, InfusionEvent

    pump = InfusionEvent(PATIENT, EventSource.PUMP_EVENT, EventKind.START, T0, device="P1", product="MSC")
    with engine.begin() as conn:
        record_device_event(conn, pump, T0 + 5)
        if accepted:
            assert accept_overdue_candidates(conn, T0 + 3600, 10) == 1
        episode = conn.execute(select(t.infusion_episode.c.id)).scalar_one()
    url = engine.url.render_as_string(hide_password=False)
    rc, _out, err = verify(url, capsys)
    assert rc == 0, err
    with engine.begin() as conn:
        conn.execute(
            update(t.infusion_episode).where(t.infusion_episode.c.id == episode).values({column: value})
        )
    rc, _out, err = verify(url, capsys)
    assert rc == 1, err
    assert f"BROKEN at dose {episode}: its {column} is" in err, err
