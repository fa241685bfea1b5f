"""The Spanish demo's eMAR writes its drugs in Spanish (dexametasona, enoxaparina...) with the same
ATC codes, times and doses as the English demo, which is unchanged; the app hands the simulator its
language."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from bedside_adapters.sim.co_medication import schedule

from bedside import i18n
from bedside.co_medication import CoMedicationCatalogue
from bedside.course import CourseModel
from bedside.course_spec import load_scenario

START = 1_780_000_000.0


@pytest.fixture
def restore() -> Iterator[None]:
    yield
    i18n.set_language("en")


def test_the_spanish_demo_names_its_drugs_in_spanish_and_nothing_else_changes(restore) -> None:  # type: ignore[no-untyped-def]
    model = CourseModel(load_scenario("improving", START))
    i18n.set_language("en")
    english = schedule(model)
    i18n.set_language("es")
    spanish = schedule(model)
    assert {g.name for g in english} == {"Dexamethasone", "Enoxaparin", "Noradrenaline", "Paracetamol"}
    assert {g.name for g in spanish} == {"Dexametasona", "Enoxaparina", "Noradrenalina", "Paracetamol"}
    assert "Intravenosa" in {g.route_text for g in spanish}
    strip = [(g.code, g.amount, g.unit, g.route, g.start, g.end) for g in english]
    assert strip == [(g.code, g.amount, g.unit, g.route, g.start, g.end) for g in spanish]
    catalogue = CoMedicationCatalogue.load()
    for en, es in zip(english, spanish, strict=True):
        # Classified alike, by the code or by the Spanish name alone.
        assert catalogue.classify(es.code, es.name, "ATC") == catalogue.classify(en.code, en.name, "ATC")
        assert catalogue.classify(name=es.name) == catalogue.classify(en.code, en.name, "ATC")


def test_the_demos_simulator_runs_in_the_screens_language(qapp, restore) -> None:  # type: ignore[no-untyped-def]
    from bedside_ui.supervisor import Supervisor

    i18n.set_language("es")
    supervisor = Supervisor("sqlite:///unused.sqlite3", demo=True)
    assert supervisor.simulator is not None
    args = supervisor.simulator._args
    assert args[args.index("--lang") + 1] == "es" and args.index("--lang") < args.index("simulate")
