"""`bedside-cli --lang es`: a command that records says what it did in one Spanish sentence, signed
with the user's printed name and role (never a bare username), numbers and times as Spanish writes
them; `--json` prints the record instead, the same in both languages. A dose's product reads as a
sentence, its cell dose in the language's notation, never as the pump's label was sent."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from bedside_adapters.cli import main as cli_main

from bedside import i18n
from bedside.users import Role
from tests.cli_db import admitted_url
from tests.helpers import COURSE_START, build_course_db
from tests.signed_in import ensure_user, signed_in

REF = "MRN1^HOSP"


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    yield
    i18n.set_language("en")


@pytest.fixture
def url(engine) -> str:  # type: ignore[no-untyped-def]
    url = admitted_url(engine)
    ensure_user(url, "ana", Role.NURSE, full_name="Ana García")
    ensure_user(url, "luis", Role.INTENSIVIST, full_name="Luis Pérez")
    return url


def run(capsys, url: str, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = cli_main(["--lang", "es", "--db", url, *args])
    out, err = capsys.readouterr()
    return code, out, err


def an_hour_ago() -> tuple[float, str]:
    at = float(int(time.time() - 3600))
    return at, datetime.fromtimestamp(at, UTC).isoformat()


def test_a_dose_entered_is_said_in_spanish_and_its_product_in_spanish_notation(url, capsys) -> None:  # type: ignore[no-untyped-def]
    at, when = an_hour_ago()
    start = ["episode", "start", "--patient", "MRN1", "--dose", "1", "--at", when]
    product = ["--product", "AT-MSC dose 1 1.5e6/kg", "--weight-kg", "70,5"]
    code, out, err = run(capsys, url, *start, *product, *signed_in(url, "ana", Role.NURSE))
    assert code == 0, err
    local = datetime.fromtimestamp(at).astimezone().strftime("%d/%m/%Y %H:%M")
    assert out.startswith(f"{REF}: dosis 1 registrada, iniciada el {local}"), out
    assert "AT-MSC, 1,5 × 10⁶ células/kg" in out and "1.5e6" not in out
    with pytest.raises(json.JSONDecodeError):
        json.loads(out)

    code, out, err = run(capsys, url, "episodes", "--patient", "MRN1")
    assert code == 0, err
    assert "AT-MSC, 1,5 × 10⁶ células/kg" in out and "e6/kg" not in out and "dose 1" not in out

    code, out, err = run(capsys, url, "episodes", "--patient", "MRN1", "--json")
    assert json.loads(out)[0]["product"] == "AT-MSC dose 1 1.5e6/kg"  # as entered, for machines


def test_an_adverse_event_and_its_report_are_said_in_spanish_signed_by_name_and_role(url, capsys) -> None:  # type: ignore[no-untyped-def]
    _at, when = an_hour_ago()
    record = ["adverse-event", "--patient", "MRN1", "--term", "Hypotension", "--grade", "3"]
    assessed = ["--relatedness", "probable", "--onset", when, "--serious", "life_threatening"]
    code, out, err = run(
        capsys, url, *record, *assessed, "--awareness", when, *signed_in(url, "luis", meaning=True)
    )
    assert code == 0, err
    assert out.startswith(
        "Acontecimiento adverso n.º 1 (versión 1) registrado para MRN1^HOSP por Luis Pérez"
    ), out
    assert "(intensivista)" in out and "Hipotensión" in out and "grado 3" in out and "probable" in out
    assert " luis" not in out

    code, out, err = run(
        capsys,
        url,
        "adverse-event-reported",
        "1",
        "--patient",
        "MRN1",
        "--sent",
        "ahora",
        *signed_in(url, "luis", meaning=True),
    )
    assert code == 0, err
    assert "notificado al promotor" in out and "Luis Pérez (intensivista)" in out

    code, out, err = run(
        capsys, url, *record, *assessed, "--awareness", when, "--json", *signed_in(url, "luis", meaning=True)
    )
    assert code == 0, err
    assert json.loads(out)["term"] == "Hypotension"  # stored in English, for machines

    code, out, err = run(capsys, url, "adverse-events", "--patient", "MRN1")
    assert code == 0, err
    assert "#1 v1 Hipotensión G3" in out and "Hypotension" not in out


def test_an_alert_acknowledged_is_said_in_spanish(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "course.sqlite3"
    build_course_db(path, "reaction", COURSE_START + 4 * 86400)
    url = f"sqlite:///{path}"
    ensure_user(url, "ana", Role.NURSE, full_name="Ana García")
    cli_main(["--db", url, "alerts", "--json"])
    waiting = [a["id"] for a in json.loads(capsys.readouterr().out) if a["acknowledged_by"] is None]
    code, out, err = run(capsys, url, "ack", str(waiting[0]), *signed_in(url, "ana", Role.NURSE))
    assert code == 0, err
    assert out.startswith(f"Alerta n.º {waiting[0]} (dosis 1) reconocida por Ana García (enfermería)"), out


def test_a_course_event_is_said_in_spanish(url, capsys) -> None:  # type: ignore[no-untyped-def]
    at, when = an_hour_ago()
    event = ["course-event", "--patient", "MRN1", "--kind", "intubacion", "--at", when]
    code, out, err = run(capsys, url, *event, *signed_in(url, "luis", meaning=True))
    assert code == 0, err
    local = datetime.fromtimestamp(at).astimezone().strftime("%d/%m/%Y %H:%M")
    assert out.startswith(
        f"{REF}: evento de la evolución registrado (intubación) para el {local}, firmado por Luis Pérez (intensivista)"
    ), out

    code, out, err = run(capsys, url, *event, "--json", *signed_in(url, "luis", meaning=True))
    assert code == 0, err
    assert json.loads(out)["kind"] == "intubation"
