"""The command line's counts take the language's plural form: "1 message acknowledged", "1 mensaje
confirmado", "3 mensajes confirmados"; never "1 messages"."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bedside_adapters.cli_export import written_text
from bedside_adapters.cli_feeds import acknowledged_text

from bedside import i18n


@pytest.fixture
def restore() -> Iterator[None]:
    yield
    i18n.set_language("en")


def test_counts_in_english_and_spanish(restore) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language("en")
    assert (acknowledged_text(1), acknowledged_text(15)) == (
        "1 message acknowledged",
        "15 messages acknowledged",
    )
    assert (
        written_text(Path("out"), 1, {"DM": 1}, 1)
        == "The datasets of 1 patient written to out (1 file): DM: 1 row."
    )
    i18n.set_language("es")
    assert (acknowledged_text(1), acknowledged_text(3)) == ("1 mensaje confirmado", "3 mensajes confirmados")
    assert written_text(Path("out"), 2, {"DM": 2, "AE": 1}, 9) == (
        "Los conjuntos de datos de 2 pacientes, escritos en out (9 archivos): DM: 2 filas; AE: 1 fila."
    )


def test_the_rules_watched_are_counted_in_english_forms(restore) -> None:  # type: ignore[no-untyped-def]
    from bedside.rules.watching import Watching

    i18n.set_language("en")
    assert Watching(rules=1, without_baseline={}).summary() == "Watching 1 rule"
    assert Watching(rules=14, without_baseline={}).summary() == "Watching 14 rules"
    i18n.set_language("es")
    assert Watching(rules=1, without_baseline={}).summary() == "Reglas vigiladas: 1"
