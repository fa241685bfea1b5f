"""Spanish as a Spanish ICU writes it: counts agree with their word in number and gender (10 altas,
1 alta; grado 3, grados 2, 3), a signed check names the signer and role as a signature does (never a
bare username), the demo's people carry no English title, and the catalogues' words for what was
ambiguous or foreign ("Sonido: Alta", "definitivo", "Ingesta") say what they mean."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from bedside_adapters.auth.demo import DEMO_ACCOUNTS
from bedside_ui.translations import po_messages, qt_messages

from bedside import i18n
from bedside.checks import Signature
from bedside.nurse_screen import signer
from bedside.resources import resource_path
from bedside.severity_counts import grades_text, severity_counts


@pytest.fixture
def spanish() -> Iterator[None]:
    i18n.set_language("es")
    yield
    i18n.set_language("en")


def test_counts_agree_in_number_and_gender_in_spanish(spanish) -> None:  # type: ignore[no-untyped-def]
    assert severity_counts(["high"] * 10 + ["low"]) == "10 altas, 1 baja"
    assert severity_counts(["high", "medium", "medium"]) == "1 alta, 2 medias"
    assert grades_text([3]) == "grado 3"
    assert grades_text([3, 2, 3]) == "grados 2, 3"


def test_counts_in_english() -> None:
    assert severity_counts(["high"] * 10 + ["low"]) == "10 high, 1 low"
    assert grades_text([3, 3]) == "grade 3" and grades_text([2, 3]) == "grades 2, 3"


def test_a_signed_check_names_the_signer_and_role(spanish) -> None:  # type: ignore[no-untyped-def]
    assert signer(Signature("vitals", 0.0, "ana", "Ana Ruiz", "nurse")) == "Ana Ruiz (enfermería)"
    assert signer(Signature("vitals", 0.0, "ana")) == "ana"  # an entry without its signature


def test_the_demo_people_carry_no_english_title() -> None:
    for _username, name, _role, _password in DEMO_ACCOUNTS:
        assert not {"RN", "Dr", "Dr."} & set(name.replace(",", " ").split()), name


def _spanish(source: str) -> set[str]:
    found = {
        m.translation
        for ts in resource_path("i18n", "es").glob("*.ts")
        for m in qt_messages(ts)
        if m.source == source
    }
    po_dir = resource_path("locale", "es", "LC_MESSAGES")
    found |= {
        m.translation
        for po in po_dir.glob("*.po")
        for m in po_messages(po, "es")
        if m.source == source and not m.context
    }
    return found


def test_the_catalogues_say_what_they_mean() -> None:
    assert _spanish("Sound: High") == {"Sonido: alertas altas y escaladas"}
    assert _spanish("definite") == {"definida"}
    assert _spanish("none recorded") == {"sin registro"}  # of any noun: "Reintubación: sin registro"
    assert _spanish("Ingest {address}: {state}") == {"Recepción de datos HL7 {address}: {state}"}
    everything = " ".join(
        m.translation for ts in resource_path("i18n", "es").glob("*.ts") for m in qt_messages(ts)
    ) + " ".join(
        m.translation
        for po in resource_path("locale", "es", "LC_MESSAGES").glob("*.po")
        for m in po_messages(po, "es")
    )
    assert "ingesta" not in everything.lower() and "definitivo" not in everything


class _Bed:
    """What the ward's summary reads of a bed."""

    def __init__(self, high: int = 0, escalated: bool = False) -> None:
        self.high, self.escalated, self.blind, self.problems = high, escalated, False, bool(high)
        self.dose_state = None

    def count(self, severity: str, unacknowledged: bool = False) -> int:
        return self.high if severity == "high" else 0


class _View:
    def __init__(self, beds: list[_Bed]) -> None:
        self.beds = tuple(beds)


def test_the_ward_summary_counts_beds_in_agreement(spanish) -> None:  # type: ignore[no-untyped-def]
    from bedside.ward_text import summary_text

    ten = summary_text(_View([_Bed(high=1)] * 10 + [_Bed(high=1, escalated=True)]))  # type: ignore[arg-type]
    assert "<b>11</b> con ALTA sin reconocer" in ten and "<b>1</b> con alerta escalada" in ten
    assert "<b>11</b> con alertas abiertas" in ten


def test_the_severity_tab_counts_readings_in_agreement(spanish) -> None:  # type: ignore[no-untyped-def]
    from bedside.i18n import ngettext

    one = ngettext("P/F: {n} blood gas with a FiO2 in force", "P/F: {n} blood gases with a FiO2 in force", 1)
    many = ngettext("P/F: {n} blood gas with a FiO2 in force", "P/F: {n} blood gases with a FiO2 in force", 4)
    assert (one.format(n=1), many.format(n=4)) == (
        "P/F: 1 gasometría con una FiO2 vigente",
        "P/F: 4 gasometrías con una FiO2 vigente",
    )


def test_the_cohort_counts_flagged_outcomes_in_agreement(spanish) -> None:  # type: ignore[no-untyped-def]
    from bedside.i18n import ngettext

    assert (
        ngettext("{n} flagged ({flag})", "{n} flagged ({flag})", 1).format(n=1, flag="x") == "1 señalado (x)"
    )
    assert (
        ngettext("{n} flagged ({flag})", "{n} flagged ({flag})", 3).format(n=3, flag="x") == "3 señalados (x)"
    )
