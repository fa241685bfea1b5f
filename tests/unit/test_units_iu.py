"""UCUM's international unit, [iU], is shown as clinicians write it wherever a unit is shown: IU in
English, UI in Spanish; the stored unit stays the UCUM code."""

from __future__ import annotations

import pytest

from bedside import i18n
from bedside.co_medication import UNITS
from bedside.units import display_unit


@pytest.mark.parametrize(("language", "word"), [("en", "IU"), ("es", "UI")])
def test_the_international_unit_is_never_shown_as_a_code(language: str, word: str) -> None:
    i18n.set_language(language)
    try:
        assert display_unit("[iU]") == word
        assert display_unit("[iU]/kg/h") == f"{word}/kg/h"
        assert all("[" not in display_unit(u) for u in UNITS)
        assert display_unit("mg/kg") == "mg/kg"
    finally:
        i18n.set_language("en")
