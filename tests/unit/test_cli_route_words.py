"""A co-medication's route on the command line in Spanish: "otra" (it agrees with "vía", as the
screens and the report write it), while the drug class of the same code reads "otros" as the
screens' class name does; what is stored is the code either way."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from bedside_adapters.cli_words import ROUTE_CONTEXT, choice, word

from bedside import i18n
from bedside.co_medication import ROUTE_LABELS, ROUTES, CoMedicationCatalogue, DrugClass


@pytest.fixture
def spanish() -> Iterator[None]:
    i18n.set_language("es")
    yield
    i18n.set_language("en")


def test_the_route_other_agrees_with_via_everywhere(spanish) -> None:  # type: ignore[no-untyped-def]
    route = choice(ROUTES, ROUTE_CONTEXT)
    assert "otra" in list(route["choices"]) and "otro" not in list(route["choices"])
    assert route["type"]("otra") == "other" and route["type"]("other") == "other"
    assert route["type"]("IV") == "IV"
    # The screens' and the report's route label: the same word.
    assert i18n._(ROUTE_LABELS["other"]) == word("other", ROUTE_CONTEXT) == "otra"


def test_the_class_other_reads_as_the_screens_class_name(spanish) -> None:  # type: ignore[no-untyped-def]
    drug_class = choice(c.value for c in DrugClass)
    assert drug_class["type"]("otros") == "other"
    shown = i18n._(CoMedicationCatalogue.load().label(DrugClass.OTHER))
    assert shown.lower() == word("other") == "otros"
