"""The Spanish report's safety log extract names each entry's kind in Spanish words only (the code
stays in the machine exports), names an account that made an unsigned entry as a signed one is
(printed name and role), and says what the entry holds in Spanish (severity, relatedness, the engine's reasons);
what a person or a device wrote stays as written, quoted."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from bedside_adapters.db.review_store import load_review
from bedside_ui import report
from bedside_ui.i18n import install_language
from PySide6.QtWidgets import QApplication

from bedside.log_text import kind_name, people_of, people_with, what_text, who_text
from bedside.model import PatientRef
from tests.ui.conftest import REACTION_NOW as NOW
from tests.ui.conftest import REACTION_PATIENT as PATIENT


@pytest.fixture
def spanish(qapp: QApplication) -> Iterator[None]:
    install_language(qapp, "es")
    yield
    install_language(qapp, "en")


def test_each_entry_kind_and_what_it_says_read_in_spanish(spanish, reaction_engine) -> None:  # type: ignore[no-untyped-def]
    data = load_review(reaction_engine, PatientRef.parse(PATIENT), NOW)
    built, _footer = report.build(data)
    (extract,) = [b for b in built.blocks if b.rows and "Tipo" in b.rows[0] and "Qué" in b.rows[0]]
    kinds = {row[2] for row in extract.rows[1:]}
    assert {"alerta generada", "alerta resuelta"} <= kinds, kinds
    assert not any("alert." in kind for kind in kinds), kinds
    said = " ".join(row[4] for row in extract.rows[1:])
    assert "prioridad alta" in said and "severity" not in said and "dosis 1" in said
    assert "condición resuelta durante el periodo de rearme" in said and "re-arm" not in said


def test_what_an_entry_says_in_spanish_with_a_persons_words_as_written(spanish) -> None:  # type: ignore[no-untyped-def]
    acknowledged = {"dose": 1, "comment": "febrile, paracetamol given"}
    assert what_text(acknowledged) == "dosis 1, comentario: “febrile, paracetamol given”"
    recorded = {"term": "Hypotension", "grade": 3, "relatedness": "probable"}
    assert what_text(recorded) == "Hipotensión, grado 3, causalidad probable"
    assert kind_name("adverse_event.recorded") == "acontecimiento adverso registrado"
    assert kind_name("some.new_kind") == "some.new_kind"  # an unknown kind as logged, never dropped


def test_an_unsigned_entry_names_its_account_as_a_signed_one_does(spanish) -> None:  # type: ignore[no-untyped-def]
    from bedside.users import Role, User

    exported = {"kind": "report.exported", "actor": "marta", "payload": {}}
    added = {
        "kind": "user.added",
        "actor": "admin",
        "payload": {"username": "luis", "full_name": "Luis Pereira", "role": "intensivist"},
    }
    signed_in = {
        "kind": "session.signed_in",
        "actor": "ana",
        "payload": {"name": "Ana Ruiz", "role": "nurse"},
    }
    service = {
        "kind": "user.added",
        "actor": "admin",
        "payload": {"username": "bedside-rules", "full_name": "Ingest", "role": "service"},
    }
    people = people_of([exported, added, signed_in, service])
    assert who_text("luis", people) == "Luis Pereira (intensivista)"
    assert who_text("ana", people) == "Ana Ruiz (enfermería)"
    assert who_text("bedside-rules", people) == "el motor de alertas"
    assert who_text("marta", people) == "marta"
    marta = User(username="marta", full_name="Marta Silva", role=Role.INVESTIGATOR)
    assert who_text("marta", people_with(people, [marta])) == "Marta Silva (investigación)"


def test_the_co_medication_count_agrees_in_number(spanish, reaction_engine) -> None:  # type: ignore[no-untyped-def]
    data = load_review(reaction_engine, PatientRef.parse(PATIENT), NOW)
    built, _footer = report.build(data)
    texts = [b.text for b in built.blocks if b.text and "total registrado" in b.text]
    assert texts and all("administración(es)" not in t for t in texts)
    assert any(
        t.split()[0].isdigit() and t.split()[1] in ("administración", "administraciones") for t in texts
    )
    n = int(texts[0].split()[0])
    assert texts[0].split()[1] == ("administración" if n == 1 else "administraciones")


def test_a_co_medication_entry_names_drug_dose_unit_and_route(spanish) -> None:  # type: ignore[no-untyped-def]
    logged = {"id": 3, "drug": "Adrenalina", "class": "vasopressor", "dose": 0.5, "unit": "mg", "route": "IM"}
    assert what_text(logged) == "Adrenalina 0,5 mg IM"
    other = {**logged, "dose": 80, "unit": "[iU]/kg", "route": "other", "drug": "Heparina"}
    assert what_text(other) == "Heparina 80 UI/kg otra"


def test_a_vital_signs_entry_reads_in_spanish_with_decimal_commas(spanish) -> None:  # type: ignore[no-untyped-def]
    logged = {
        "values": {
            "temp_peripheral": 38.2,
            "nibp_sys": 85.0,
            "nibp_dia": 50.0,
            "nibp_mean": 61.7,
            "hr": 112.0,
        },
        "temp_site": "tympanic",
        "mean_computed": True,
        "text": "Temp 38.2 °C (tympanic), BP 85/50 (62 computed) mmHg, HR 112 /min",
    }
    said = what_text(logged)
    assert said == "Temperatura 38,2 °C (timpánica), PA 85/50 (62 calculada) mmHg, FC 112 /min"


def test_the_engines_resolution_reasons_and_annotations_read_in_spanish(spanish) -> None:  # type: ignore[no-untyped-def]
    said = what_text({"reason": "not supported on re-evaluation"})
    assert "no se confirma al reevaluar" in said and "re-evaluation" not in said
    noted = what_text({"text": "no longer met on re-evaluation (start time or data changed)"})
    assert noted == "ya no se cumple al reevaluar (cambió la hora de inicio o los datos)"
    assert what_text({"text": "febrile, paracetamol given"}) == "“febrile, paracetamol given”"


def test_the_rsi_an_event_was_judged_against_reads_in_spanish(spanish) -> None:  # type: ignore[no-untyped-def]
    from bedside.ctcae import rsi, rsi_text

    said = rsi_text(rsi().label)
    assert said.startswith("Manual del investigador, sección 7") and said.endswith(f"versión {rsi().version}")
    assert "Investigator" not in said
    assert rsi_text("Another sponsor's RSI, 2025") == "Another sponsor's RSI, 2025"  # as recorded


def test_who_sent_an_entry_is_named_as_signed_or_in_words(spanish) -> None:  # type: ignore[no-untyped-def]
    from bedside.log_text import people_of, who_text

    log = [
        {"actor": "ana", "payload": {"signature": {"name": "Ana López", "role": "nurse", "at": 1.0}}},
        {"actor": "ana", "payload": {"dose": 1}},
    ]
    people = people_of(log)
    assert who_text("ana", people) == "Ana López (enfermería)"  # as the signatures table writes it
    assert who_text("bedside-rules", people) == "el motor de alertas"
    # The engine run over imported data: in words too, never its process name.
    assert who_text("bedside-rules (import)", people) == "el motor de alertas (en una importación)"
    assert (
        who_text("ingest:pcd10", people) == "los eventos de administración de la bomba de infusión (PCD-10)"
    )
    assert who_text("ingest:hl7x", people) == "señal del dispositivo hl7x"
    assert who_text("luis", people) == "luis"  # an account that never signed: as logged


def test_the_reports_log_extract_names_people_not_accounts(spanish, reaction_engine) -> None:  # type: ignore[no-untyped-def]
    data = load_review(reaction_engine, PatientRef.parse(PATIENT), NOW)
    built, _footer = report.build(data)
    (extract,) = [b for b in built.blocks if b.rows and "Tipo" in b.rows[0] and "Qué" in b.rows[0]]
    senders = {row[3] for row in extract.rows[1:]}
    assert "bedside-rules" not in senders and "el motor de alertas" in senders
    assert not any(s.startswith("ingest:") for s in senders), senders


def test_the_reports_header_names_one_time_zone_without_contradicting_itself(
    spanish, reaction_engine
) -> None:  # type: ignore[no-untyped-def]
    data = load_review(reaction_engine, PatientRef.parse(PATIENT), NOW)
    built, _footer = report.build(data)
    header = next(b.text for b in built.blocks if b.text and "Generado el" in b.text)
    assert "Horas locales" not in header and "zona horaria de este equipo (" in header, header
