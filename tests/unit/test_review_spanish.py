"""The review's core texts in Spanish: before/after cells with the decimal comma and why a value is
missing, marker names, outcomes, SOFA, co-medication notes, adverse-event labels and dates in the
Spanish order; the codes stored never change with the language."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from bedside import adverse_events as ae
from bedside.co_medication import DrugClass, MedicationAdministration, note_for
from bedside.i18n import set_language
from bedside.outcome_free_days import free_days
from bedside.outcomes import day0_text
from bedside.review import DAY, HOUR, MARKERS, TIMEPOINTS, BeforeAfterRow, Cell, Point, marker_heading
from bedside.review_signatures import signed_rows
from bedside.review_text import missing_text, table_rows
from bedside.seriousness import criteria_text
from bedside.sofa import Component, SofaDay

SPECS = {m.key: m for m in MARKERS}
T0 = datetime(2026, 12, 6, 14, 30).timestamp()


@pytest.fixture
def spanish() -> Iterator[None]:
    set_language("es")
    yield
    set_language("en")


def row(key: str, base: float, after: float | None) -> BeforeAfterRow:
    cells = {label: Cell(None, "not yet") for label, _offset in TIMEPOINTS}
    if after is not None:
        cells["+24 h"] = Cell(Point(T0 + 23.6 * HOUR, after))
    return BeforeAfterRow(SPECS[key], Cell(Point(T0 - 20 * 60, base)), cells)


def test_before_after_cells_with_the_decimal_comma_and_the_reason_in_spanish(spanish) -> None:  # type: ignore[no-untyped-def]
    (crp,) = table_rows([row("crp", 12.35, 9.8)], T0)
    assert crp[0] == "PCR (mg/L)"
    assert crp[1] == "12,35 (-20 min)" and crp[2] == "9,8 (+24 h)  -2,55 (-21 %)"
    assert crp[3] == "—  (aún no)"
    assert marker_heading("D-dimer (FEU)", "mg/L{FEU}") == "Dímero D (mg/L FEU)"
    assert missing_text("none in the 1.5 h before") == "sin valor en las 1,5 h previas"
    assert missing_text("no value ±12 h") == "sin valor ±12 h"
    assert missing_text("something else") == "something else"  # not known here: shown as it is


def test_outcomes_sofa_and_notes_in_spanish_with_dates_in_spanish_order(spanish) -> None:  # type: ignore[no-untyped-def]
    assert day0_text(T0) == "Día 0: el inicio de la primera dosis, 06 dic 2026 14:30."
    value, text, missing = free_days([], T0, None, None, T0 + 2.5 * DAY, "the ICU")
    assert value is None and text.startswith("aún no calculable: día 2,5 de 28")
    assert missing == "aún no ha pasado el día 28"
    partial = SofaDay(0, T0, T0 + DAY, (Component("Renal", 2, "x"), Component("Liver", None, missing="-")))
    assert partial.total_text() == "SOFA 2 (1 de 2 componentes)"
    given = MedicationAdministration("p", "paracetamol", DrugClass.ANTIPYRETIC, T0 - 2 * HOUR)
    assert note_for(given, T0) == "Antipirético administrado 2 h antes: la fiebre puede quedar enmascarada"
    assert criteria_text(("life_threatening",)) == "grave: amenaza vital"
    assert ae.relatedness_text("possible") == "posible"
    assert ae.susar("possible", None, "unexpected").text == "no se puede determinar: gravedad sin evaluar"
    # The codes stored are the same in every language; only their labels are translated.
    assert set(ae.OUTCOMES) >= {"recovered", "fatal"} and ae.OUTCOMES["fatal"] == "fatal"


def test_a_signature_names_the_role_in_spanish_and_keeps_what_was_signed(spanish) -> None:  # type: ignore[no-untyped-def]
    signature = {"name": "Ana López", "role": "intensivist", "meaning": "Confirmed", "at": T0}
    entry = {"at": T0, "kind": "episode.confirm", "payload": {"dose": 2, "signature": signature}}
    (row,) = signed_rows([entry])
    assert row == [
        "06 dic 14:30",
        "Inicio de la dosis 2 confirmado",
        "Ana López",
        "intensivista",
        "Confirmed",
        "06 dic 14:30",
    ]


def test_english_is_unchanged() -> None:
    (crp,) = table_rows([row("crp", 12.35, 9.8)], T0)
    assert crp[1] == "12.35 (-20 min)" and crp[3] == "—  (not yet)"
    assert day0_text(T0) == "Day 0: the start of the first dose, 06 Dec 2026 14:30."
