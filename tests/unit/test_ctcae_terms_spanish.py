"""CTCAE terms read in Spanish on a Spanish screen (the form's list, the signing text, the SAE line,
the review's lines) while the term stored and exported stays the English CTCAE v5.0 term that SDTM
AETERM/AEDECOD expect; a term recorded as written is shown as written."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bedside import adverse_events as ae
from bedside import i18n
from bedside.commands import NOT_ASSESSED
from bedside.ctcae import ctcae, term_text

T = 1_790_000_000.0


@pytest.fixture
def spanish() -> Iterator[None]:
    i18n.set_language("es")
    yield
    i18n.set_language("en")


def test_every_term_has_its_spanish_and_is_found_in_either_language() -> None:
    for t in ctcae().terms:
        assert t.term_es and t.term_es != "" and ctcae().find(t.term_es) is t
        assert ctcae().find(t.term) is t
    assert ctcae().find("") is None


def test_terms_read_in_spanish_and_english_unchanged(spanish) -> None:
    assert term_text("Infusion related reaction") == "Reacción relacionada con la infusión"
    assert term_text("fever") == "Fiebre"
    assert term_text("Rash on the left arm") == "Rash on the left arm"
    assert ae.relatedness_text(NOT_ASSESSED) == "aún no valorada"
    i18n.set_language("en")
    assert term_text("Infusion related reaction") == "Infusion related reaction"
    assert ae.relatedness_text(NOT_ASSESSED) == "not yet assessed"


def test_the_sae_line_names_the_term_in_spanish(spanish) -> None:
    version = _version()
    lines = ae.open_reports([version], version.awareness + 3600, lambda t: "06 dic 18:20")
    assert lines and "Reacción relacionada con la infusión G3" in lines[0][1]
    assert version.term == "Infusion related reaction"  # stored, exported: English


def _version() -> ae.AdverseEventVersion:
    return ae.AdverseEventVersion(
        id=4,
        patient_ref="P^H",
        episode_id=None,
        term="Infusion related reaction",
        grade=3,
        relatedness=NOT_ASSESSED,
        onset=T,
        reported_by="ana",
        reported_at=T,
        seriousness=("hospitalisation",),
        awareness=T,
    )
