"""`bedside-cli` says each refusal once and in the reader's language: a refusal that already says
nothing was recorded is not followed by a second "nothing was recorded", a date that is not one is
called a date and time, and a `--lang` Bedside does not have is refused in the system's language."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from bedside_ui.cli import main as cli_main

from bedside.users import Role
from tests.signed_in import dose_start, signed_in


@pytest.fixture
def url(sqlite_engine) -> str:  # type: ignore[no-untyped-def]
    url = sqlite_engine.url.render_as_string(hide_password=False)
    assert cli_main(["--db", url, *dose_start(iso(-7200)), *signed_in(url, "RN")]) == 0
    return url


def iso(offset: float) -> str:
    return datetime.fromtimestamp(time.time() + offset, UTC).isoformat(timespec="seconds")


GIVEN = [
    *("medication", "add", "--patient", "P1^H", "--drug", "Paracetamol", "--class", "antipyretic"),
    *("--dose", "1", "--unit", "g", "--route", "IV"),
]


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("command", ["medication", "vitals"])
def test_a_refusal_that_says_nothing_was_recorded_says_it_once(url, lang: str, command: str, capsys) -> None:  # type: ignore[no-untyped-def]
    nurse = signed_in(url, "ada", Role.NURSE)
    if command == "medication":
        entry = [*GIVEN, "--at", iso(-600)]
    else:
        entry = ["vitals", "--patient", "P1^H", "--at", iso(-600), "--hr", "80"]
    entry[entry.index("P1^H")] = "NOBODY^H"
    capsys.readouterr()
    assert cli_main(["--lang", lang, "--db", url, *entry, *nurse]) != 0
    err = capsys.readouterr().err
    said = "nothing was recorded" if lang == "en" else "no se ha registrado nada"
    assert "NOBODY^H" in err and err.casefold().count(said) == 1, err


@pytest.mark.parametrize(
    ("lang", "said", "not_said"),
    [
        ("en", "--at '31/02/2026' is not a date and time: use ", "is not a time"),
        ("es", "--at '31/02/2026' no es una fecha y hora: use ", "no es una hora"),
    ],
)
def test_a_date_that_does_not_exist_is_called_a_date_and_time(  # type: ignore[no-untyped-def]
    url, lang: str, said: str, not_said: str, capsys
) -> None:
    nurse = signed_in(url, "ada", Role.NURSE)
    capsys.readouterr()
    for entry in (
        [*GIVEN, "--at", "31/02/2026"],
        ["vitals", "--patient", "P1^H", "--at", "31/02/2026", "--hr", "80"],
    ):
        assert cli_main(["--lang", lang, "--db", url, *entry, *nurse]) == 2
        err = capsys.readouterr().err
        assert said in err and not_said not in err, err


@pytest.mark.parametrize(
    ("system", "said"),
    [("es_ES.UTF-8", "--lang: «fr» no está entre: en, es"), ("C", "--lang: 'fr' is not one of: en, es")],
)
def test_a_language_bedside_does_not_have_is_refused_in_the_systems(
    system: str, said: str, monkeypatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", system)
    with pytest.raises(SystemExit) as exited:
        cli_main(["--lang", "fr", "rules"])
    assert exited.value.code == 2
    assert said in capsys.readouterr().err
