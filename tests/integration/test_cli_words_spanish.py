"""`bedside-cli --lang es` takes the words of a fixed list (a temperature's site, a relatedness, an
outcome...) in Spanish as well as in English, stores the English code whichever was typed, and
lists the Spanish words in --help and when it refuses one; argparse's own words (usage, options,
its refusals) are Spanish too."""

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


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    yield
    i18n.set_language("en")


@pytest.fixture
def url(engine) -> str:  # type: ignore[no-untyped-def]
    return admitted_url(engine)


def run(capsys, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    try:
        code = cli_main(list(args))
    except SystemExit as exited:  # argparse's refusals and --help
        code = int(exited.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def an_hour_ago() -> str:
    return datetime.fromtimestamp(time.time() - 3600, UTC).isoformat(timespec="seconds")


@pytest.mark.parametrize(
    ("typed", "stored"), [("axilar", "axillary"), ("timpanica", "tympanic"), ("core", "core")]
)
def test_a_temperature_site_in_spanish_or_english_is_stored_as_its_code(url, capsys, typed, stored) -> None:  # type: ignore[no-untyped-def]
    vitals = ["vitals", "--patient", "MRN1", "--at", an_hour_ago(), "--temp", "37,2", "--temp-site", typed]
    code, out, err = run(
        capsys, "--lang", "es", "--db", url, *vitals, "--json", *signed_in(url, "ana", Role.NURSE)
    )
    assert code == 0, err
    assert [v["instance"] for v in json.loads(out)["values"]] == [stored]


def test_a_site_that_is_none_is_refused_naming_the_spanish_sites(url, capsys) -> None:  # type: ignore[no-untyped-def]
    vitals = ["vitals", "--patient", "MRN1", "--at", "ahora", "--temp", "37,2", "--temp-site", "frente"]
    code, _out, err = run(capsys, "--lang", "es", "--db", url, *vitals, *signed_in(url, "ana", Role.NURSE))
    assert code == 2
    assert "'frente' no es un lugar de medida de la temperatura" in err and "axilar" in err
    assert "axillary" not in err


def test_an_adverse_events_words_in_spanish_are_stored_as_their_codes(url, capsys) -> None:  # type: ignore[no-untyped-def]
    record = [
        "adverse-event",
        "--patient",
        "MRN1",
        "--term",
        "Hypotension",
        "--grade",
        "2",
        "--onset",
        an_hour_ago(),
    ]
    words = [
        "--relatedness",
        "posible",
        "--outcome",
        "en_recuperación",
        "--action-taken",
        "ralentizada",
        "--not-serious",
    ]
    code, out, err = run(
        capsys, "--lang", "es", "--db", url, *record, *words, "--json", *signed_in(url, "luis", meaning=True)
    )
    assert code == 0, err
    entry = json.loads(out)
    assert (entry["relatedness"], entry["outcome"], entry["action_taken"]) == (
        "possible",
        "recovering",
        "slowed",
    )


def test_help_and_argparse_refusals_read_in_spanish(url, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _err = run(capsys, "--lang", "es", "adverse-event", "--help")
    assert code == 0
    assert out.startswith("uso: bedside-cli adverse-event")
    assert "opciones:" in out and "muestra esta ayuda y termina" in out
    assert "{no_relacionada,improbable,posible,probable,definida,aún_no_valorada}" in out
    assert "show this help" not in out and "usage:" not in out

    code, _out, err = run(
        capsys, "--lang", "es", "--db", url, "adverse-event", "--patient", "MRN1", "--relatedness", "quizá"
    )
    assert code == 2
    assert "--relatedness: «quizá» no está entre: no_relacionada, improbable, posible" in err
    assert "error: the following" not in err and "invalid choice" not in err

    code, _out, err = run(capsys, "--lang", "en", "--db", url, "ack")
    assert code == 2 and "error: missing: alert" in err  # English stays English


def test_the_report_commands_help_reads_in_spanish(capsys) -> None:  # type: ignore[no-untyped-def]
    from bedside_ui.cli import main as full_cli

    with pytest.raises(SystemExit) as exited:
        full_cli(["--lang", "es", "report", "--help"])
    out = capsys.readouterr().out
    assert exited.value.code == 0
    assert "el PDF que se escribe" in out and "NHC o NHC^AUTORIDAD" in out and "the PDF to write" not in out
