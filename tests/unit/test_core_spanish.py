"""The core in Spanish: the nurse's screen texts, rule messages, parameter and lab names, numbers with
a decimal comma; and what machines read (stored alert messages, the safety log) unchanged in Spanish."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from bedside import handlers, i18n, nurse_checks
from bedside import nurse_screen as screen
from bedside.commands import NOT_ASSESSED, RecordAdverseEvent, Refused, StartDose
from bedside.labs import LabCatalog
from bedside.model import PatientRef
from bedside.parameters import ParameterCatalog
from bedside.resources import resource_path
from bedside.rules.messages import message, shown_message, shown_title
from bedside.rules.ruleset import RuleSet, RuleSetError
from bedside.status import DoseInfo, PatientStatus
from bedside.units import cells_text, format_change, format_number, format_value, plain_number, plain_value
from bedside.users import Action, Role
from bedside.vitals import ManualValue, describe
from tests.acting import acts, signs
from tests.helpers import shown_alert
from tests.unit.fake_uow import FakeUnitOfWork

RULES = RuleSet.load()
T0 = 1_790_000_000.0
DOSE = DoseInfo(7, 1, T0, None, "confirmed", "manual", weight_kg=70.5, course_doses=3)


@pytest.fixture
def spanish():
    i18n.set_language("es")
    yield
    i18n.set_language("en")


def _fever(base: float | None) -> str:
    return message(RULES.rule("F1").message, {"temp": 38.5, "base.temp": base})


def test_the_nurse_screen_speaks_spanish_and_english_again_after(spanish) -> None:
    assert screen.patient_line(None, ()).name == "Todavía no hay paciente"
    assert screen.dose_line(None, T0).heading == "Ninguna dosis registrada"
    running = screen.dose_line(DOSE, T0 + 5400)
    assert running.state.startswith("<b>EN INFUSIÓN</b> 01:30:00 desde ")
    assert running.heading == "Dosis 1 de 3"
    assert screen.banner(PatientStatus(None, "r", (), (), (DOSE,), {}, {}), DOSE, RULES).text.startswith(
        "Ninguna alerta abierta de reacción relacionada con la infusión · Reglas vigiladas"
    )
    i18n.set_language("en")
    assert screen.dose_line(None, T0).heading == "No dose recorded"
    assert screen.dose_line(DOSE, T0 + 5400).heading == "Dose 1 of 3"


def test_an_alert_reads_in_spanish_with_its_values_and_a_decimal_comma(spanish) -> None:
    stored = _fever(37.1) + " The dose start is not yet confirmed."
    assert shown_title(RULES, "F1", "Fever") == "Fiebre"
    assert shown_message(RULES, "F1", stored) == (
        "Temperatura 38,5 °C, al menos 38,0 °C (basal 37,1 °C; fiebre, grado 1 tipo CTCAE)."
        " El inicio de la dosis aún no está confirmado."
    )
    assert "(sin valor basal; fiebre" in shown_message(RULES, "F1", _fever(None))
    d_dimer = message(RULES.rule("L1").message, {"value": 2.5, "base": 1.5, "uln": 0.5, "unit": " mg/L FEU"})
    assert shown_message(RULES, "L1", d_dimer).startswith(
        "Dímero D 2,5 mg/L FEU, al menos el doble de la basal 1,5 mg/L FEU y por encima del límite superior 0,5"
    )
    # A text the template does not fit (an older rule file's) is shown as stored, never mangled.
    assert shown_message(RULES, "F1", "Temperature 38.5 °C (an older wording).") == (
        "Temperature 38,5 °C (an older wording)."
    )
    alert = shown_alert(1, 7, "F1", "Fever", "low", "raised", T0, stored)
    b = screen.banner(PatientStatus(None, "r", (alert,), (), (DOSE,), {}, {}), DOSE, RULES)
    assert "BAJA&nbsp; Fiebre" in b.text and "Temperatura 38,5 °C" in b.text


def test_what_is_stored_stays_english_whatever_the_screens_language(spanish) -> None:
    """The engine writes the rule's English message (the alert row, the safety log, HL7 to the alarm
    manager); only the screen translates it."""
    assert _fever(37.1).startswith("Temperature 38.5 °C, at least 38.0 °C (pre-dose 37.1 °C")
    assert describe((ManualValue("temp", "Cel", 38.4, "core"),)) == "Temp 38.4 °C (core)"
    assert plain_number(38.45, 1) == "38.5" and plain_value("temp", 38.44) == "38.4"


def test_a_refusal_is_read_in_spanish_and_logged_in_english(spanish) -> None:
    uow = FakeUnitOfWork()
    uow.patients.stored.append(PatientRef("MRN1", "HOSP"))
    handlers.start_dose(
        uow, StartDose(patient=PatientRef("MRN1", "HOSP"), dose=1, start=T0, **acts("RN"), recorded_at=T0)
    )
    uow.log.entries.clear()
    cmd = RecordAdverseEvent(
        patient=PatientRef("MRN1", "HOSP"),
        term="Fever",
        grade=1,
        relatedness="possible",
        onset=T0,
        recorded_at=T0 + 60,
        **signs("u", Action.RECORD_ADVERSE_EVENT, Role.NURSE, T0 + 60),
    )
    with pytest.raises(Refused) as refused:
        handlers.record_adverse_event(uow, cmd)
    assert str(refused.value).startswith("el rol de enfermería no puede valorar la relación causal")
    ((entry, _at),) = uow.log.entries
    assert entry.body()["reason"].startswith("a nurse may not assess relatedness and seriousness")
    assert NOT_ASSESSED == "not yet assessed"


def test_every_rule_says_its_title_and_message_in_spanish_with_the_same_fields() -> None:
    for rule in RULES.rules:
        assert rule.message_es and rule.title_es, rule.id
    assert RULES.stale is not None and RULES.stale.message_es


def _rule_file(tmp_path: Path, drop: str = "", replace: tuple[str, str] = ("", "")) -> Path:
    text = resource_path("rules/infusion-reaction.toml").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not (drop and line.startswith(drop))]
    text = "\n".join(lines)
    if replace[0]:
        assert replace[0] in text
        text = text.replace(replace[0], replace[1], 1)
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_rule_without_its_spanish_message_is_refused_when_the_rules_load(tmp_path) -> None:
    with pytest.raises(RuleSetError, match="needs `message_es`"):
        RuleSet.load(_rule_file(tmp_path, drop="message_es = "))
    with pytest.raises(RuleSetError, match="same \\{fields\\}"):
        RuleSet.load(_rule_file(tmp_path, replace=("(basal {base.temp} °C; fiebre", "(fiebre")))


def test_parameter_and_lab_names_in_spanish(spanish) -> None:
    params, labs = ParameterCatalog.load(), LabCatalog.load()
    assert params.get("spo2").label == "Saturación de oxígeno (SpO2)"
    assert params.get("hr").label == "Frecuencia cardiaca (ECG)" and params.get("hr").short == "FC"
    assert params.get("nibp_sys").label.startswith("Tensión arterial")
    assert labs.get("ddimer_feu").label == "Dímero D (FEU)"
    with resource_path("parameters.toml").open("rb") as f:
        shipped = tomllib.load(f)["parameter"]
    assert all(p.get("label_es") and p.get("short_es") for p in shipped)
    i18n.set_language("en")
    assert params.get("spo2").label == "SpO2" and labs.get("ddimer_feu").label == "D-dimer (FEU)"


def test_numbers_for_people_take_the_decimal_comma_in_spanish(spanish) -> None:
    assert format_number(38.456, 1) == "38,5"
    assert format_value("temp", 38.44) == "38,4" and format_value("pf", 151.795) == "152"
    assert format_change(0.44, 1) == "+0,4" and format_change(-0.01, 1) == "±0,0"
    assert cells_text(1.5e6) == "1,5 × 10⁶"
    i18n.set_language("en")
    assert format_number(38.456, 1) == "38.5" and cells_text(1.5e6) == "1.5 × 10⁶"


def test_a_signed_check_stores_its_english_name_and_is_read_in_spanish(spanish) -> None:
    from bedside.checks import stored_check_label
    from bedside.review_signatures import record_text

    c = nurse_checks.checks(PatientStatus(T0, "rules-1", (), (), (DOSE,), {}, {}), DOSE, T0 + 15 * 60)
    # The Sign check list reads Spanish with the state; what the record stores is the English name.
    assert dict(c.signable)["during+15"] == "+15 min (pendiente)"
    assert dict(c.labels)["during+15"] == "+15 min"
    assert stored_check_label("post+15", "end +15 min") == "final +15 min"
    said = record_text({"kind": "check.done", "payload": {"check": "post+15", "label": "end +15 min"}})
    assert "final +15 min" in said and "end +15" not in said


def test_an_alerts_values_read_at_the_precision_their_tiles_show(spanish) -> None:
    # A pre-dose median of 95.5/min is stored as computed; the tile shows whole beats, so does the alert.
    stored = message(RULES.rule("H1").message, {"hr": 121.0, "base.hr": 95.5})
    assert "95.5" in stored
    shown = shown_message(RULES, "H1", stored)
    assert "basal 96/min" in shown and "95,5" not in shown
    # A temperature keeps its one decimal, a lab value its own.
    assert "basal 37,1 °C" in shown_message(RULES, "F1", _fever(37.14))


def test_spanish_style_a_space_before_percent_and_cmh2o_with_its_subscript(spanish) -> None:
    for rule in RULES.rules:
        for text in (rule.title_es, rule.message_es):
            assert not re.search(r"[\d}]%", text), text
            assert "cmH2O" not in text, text


def test_pressures_read_cmh2o_with_its_subscript_in_english_too_even_as_stored_before() -> None:
    """The rule set writes cmH₂O; a message an older rule set stored with "cmH2O" reads the same on
    screen (English and Spanish), while what is stored is never rewritten."""
    assert all("cmH2O" not in r.message for r in RULES.rules)
    older = "Plateau pressure 31 cmH2O, at least 5 above the pre-dose 24 at the same tidal volume."
    assert shown_message(RULES, "V2", older) == older.replace("cmH2O", "cmH₂O")


def test_an_older_stored_pressure_message_still_reads_in_spanish(spanish) -> None:
    older = "Plateau pressure 31 cmH2O, at least 5 above the pre-dose 24 at the same tidal volume."
    assert shown_message(RULES, "V2", older).startswith("Presión meseta 31 cmH₂O, al menos 5 por encima")
