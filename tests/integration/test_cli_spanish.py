"""`bedside-cli --lang es`: what a person reads in Spanish (messages, refusals, --help), numbers with
the decimal comma and dates day first on a 24-hour clock; what a machine reads (--json) the same in
both languages."""

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
from tests.signed_in import signed_in

REF = "MRN1^HOSP"


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    """Each command sets the process's language; the next test starts in English."""
    yield
    i18n.set_language("en")


@pytest.fixture
def url(engine) -> str:  # type: ignore[no-untyped-def]
    """A database with one admitted patient (MRN1, authority HOSP)."""
    return admitted_url(engine)


def run(capsys, url: str, lang: str, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = cli_main(["--lang", lang, "--db", url, *args])
    out, err = capsys.readouterr()
    return code, out, err


def an_hour_ago() -> tuple[float, str]:
    at = float(int(time.time() - 3600))
    return at, datetime.fromtimestamp(at, UTC).isoformat()


def day_first(at: float) -> str:
    """How Spanish writes a moment: day/month/year, 24-hour clock, local time."""
    return datetime.fromtimestamp(at).astimezone().strftime("%d/%m/%Y %H:%M")


def test_vitals_recorded_in_spanish_with_the_decimal_comma_and_the_date_day_first(url, capsys) -> None:  # type: ignore[no-untyped-def]
    at, when = an_hour_ago()
    code, out, err = run(
        capsys,
        url,
        "es",
        "vitals",
        "--patient",
        "MRN1",
        "--at",
        when,
        "--temp",
        "38.4",
        "--temp-site",
        "core",
        *signed_in(url, "RN Ada", Role.NURSE),
    )
    assert code == 0, err
    assert out.startswith(f"registrado para {REF} el {day_first(at)} ")
    assert "38,4" in out and "38.4" not in out
    assert "registro de seguridad n.º" in out


def test_medication_in_both_languages_the_json_identical(url, capsys) -> None:  # type: ignore[no-untyped-def]
    at, when = an_hour_ago()
    code, out, err = run(
        capsys,
        url,
        "es",
        "medication",
        "add",
        "--patient",
        "MRN1",
        "--drug",
        "Morphine",
        "--class",
        "other",
        "--dose",
        "2,5",  # as a Spanish nurse writes it
        "--unit",
        "mg",
        "--route",
        "IV",
        "--at",
        when,
        *signed_in(url, "RN Ada", Role.NURSE),
    )
    assert code == 0, err
    assert out.startswith(f"registrado para {REF}: Morphine 2,5 mg IV el {day_first(at)} ")

    code, spanish, _ = run(capsys, url, "es", "medication", "list", "--patient", REF)
    assert code == 0
    assert spanish.startswith(day_first(at)) and "Morphine 2,5 mg IV" in spanish
    code, english, _ = run(capsys, url, "en", "medication", "list", "--patient", REF)
    assert code == 0
    assert english.startswith(datetime.fromtimestamp(at).strftime("%Y-%m-%d %H:%M"))
    assert "Morphine 2.5 mg IV" in english

    outputs = [
        run(capsys, url, lang, "medication", "list", "--patient", REF, "--json") for lang in ("en", "es")
    ]
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0][1])[0]["dose"] == 2.5


def test_a_dose_typed_with_a_comma_is_refused_in_english(url, capsys) -> None:  # type: ignore[no-untyped-def]
    """In English "1,000" is a thousand: never read as 1."""
    _, when = an_hour_ago()
    add = ["medication", "add", "--patient", "MRN1", "--drug", "Morphine", "--class", "other"]
    given = ["--unit", "mg", "--route", "IV", "--at", when, *signed_in(url, "RN Ada", Role.NURSE)]
    code, out, err = run(capsys, url, "en", *add, "--dose", "1,000", *given)
    assert (code, out) == (2, "")
    assert err == "bedside-cli: --dose '1,000' is not a number\n"


def test_episodes_in_spanish_and_their_json_the_same_in_both(url, capsys) -> None:  # type: ignore[no-untyped-def]
    at, when = an_hour_ago()
    start = ["episode", "start", "--json", "--patient", "MRN1", "--dose", "1", "--at", when]
    cells = ["--cells-per-kg", "1,5e6", "--weight-kg", "70,5"]  # as a Spanish nurse writes them
    code, out, err = run(capsys, url, "es", *start, *cells, *signed_in(url, "RN Ada", Role.NURSE))
    assert code == 0, err
    started = json.loads(out)
    assert (started["cells_per_kg"], started["weight_kg"]) == (1.5e6, 70.5)

    code, out, _ = run(capsys, url, "es", "episodes", "--patient", "MRN1")
    assert code == 0
    assert f"dosis 1  {day_first(at)} → en curso" in out
    code, out, _ = run(capsys, url, "en", "episodes", "--patient", "MRN1")
    assert "dose 1  " in out and "→ running" in out

    def machine(lang: str) -> list[dict]:
        code, out, _ = run(capsys, url, lang, "episodes", "--patient", "MRN1", "--json")
        assert code == 0
        # The one field that is the time since the start, read at each call.
        return [{k: v for k, v in e.items() if k != "unconfirmed_for"} for e in json.loads(out)]

    assert machine("es") == machine("en")


def test_a_refusal_in_spanish(url, capsys, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("BEDSIDE_USER", raising=False)
    monkeypatch.delenv("BEDSIDE_CREDENTIALS", raising=False)
    _, when = an_hour_ago()
    code, out, err = run(
        capsys, url, "es", "episode", "start", "--json", "--patient", "MRN1", "--dose", "1", "--at", when
    )
    assert code == 2 and not out
    assert err.strip() == (
        "bedside-cli: ¿quién es usted? indique --user NOMBRE (se pide la contraseña) o --credentials "
        "ARCHIVO: una orden que registra se rechaza sin un usuario autenticado"
    )
    code, _, err = run(capsys, url, "es", "vitals", "--patient", "MRN1", "--at", "ayer", "--temp", "38")
    assert code == 2
    assert err.startswith(
        "bedside-cli: --at 'ayer' no es una fecha y hora: use día/mes/año y hora como '02/03/2026 10:42', ISO"
    )
    code, _, err = run(capsys, url, "es", "episodes", "--patient", "NADIE")
    assert (code, err) == (1, "bedside-cli: no hay paciente 'NADIE' en esta base de datos\n")


def test_help_in_spanish_with_argparse_own_words_left_alone(capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as done:
        cli_main(["--lang", "es", "vitals", "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "Registrar constantes vitales medidas a mano." in out
    assert "cuándo se midieron: día/mes/año y hora como" in out
    assert "SpO2 en %" in out
    i18n.set_language("en")
    with pytest.raises(SystemExit):
        cli_main(["vitals", "--help"])
    assert "Record vital signs measured by hand." in capsys.readouterr().out


def test_a_missing_database_said_in_spanish_and_in_english(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "bedisde.sqlite3"
    assert cli_main(["--lang", "es", "--db", str(missing), "alerts"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"bedside-cli: no hay base de datos en {missing} (revise --db;"), err
    assert cli_main(["--lang", "en", "--db", str(missing), "alerts"]) == 1
    assert capsys.readouterr().err.startswith(f"bedside-cli: no database at {missing} (check --db;")
    assert not missing.exists()


def test_the_review_and_the_cohort_json_read_the_same_in_both_languages(url, capsys) -> None:  # type: ignore[no-untyped-def]
    """The review's computed texts (the outcome set, its sources and what is missing) are worded
    when they are computed: with --lang es they must still come out as in English."""
    _, when = an_hour_ago()
    start = ["episode", "start", "--json", "--patient", "MRN1", "--dose", "1", "--at", when]
    code, _, err = run(capsys, url, "en", *start, *signed_in(url, "RN Ada", Role.NURSE))
    assert code == 0, err

    def machine(lang: str, *args: str) -> object:
        code, out, err = run(capsys, url, lang, *args)
        assert code == 0, err
        data = json.loads(out)
        return json.loads(json.dumps(data).replace(str(int(time.time())), ""))  # no clock differences

    review = ["review", "--patient", "MRN1", "--json"]
    english, spanish = machine("en", *review), machine("es", *review)
    assert "no se" not in json.dumps(spanish) and "días" not in json.dumps(spanish)
    assert spanish.keys() == english.keys()  # type: ignore[attr-defined]
    assert machine("es", "cohort", "--json") == machine("en", "cohort", "--json")
